'use strict';
// HS256 verification shared by the Node peers: signature, exp and nbf, user id from sub (or id).
const crypto = require('crypto');

function verifyHs256(token, secret) {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = crypto.createHmac('sha256', secret).update(parts[0] + '.' + parts[1]).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  let claims;
  try { claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')); } catch { return null; }
  const now = Date.now() / 1000;
  if (typeof claims.exp === 'number' && claims.exp < now) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
  const sub = claims.sub ?? claims.id;
  return sub == null ? null : String(sub);
}

module.exports = { verifyHs256 };
