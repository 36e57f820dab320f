// A wshub backend in plain Node (node:http, no framework): the event, connect and join
// routes and the webhooks of docs/backend.md, each request's signature verified.
//
//   WSHUB_BACKEND_SECRET=s3cret WSHUB_URL=http://127.0.0.1:8080 WSHUB_API_KEY=key node server.js
//
// PORT (default 3000; 0 picks a free one) is printed as "backend listening on <port>".
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const SECRET = process.env.WSHUB_BACKEND_SECRET || '';
const WSHUB_URL = process.env.WSHUB_URL || 'http://127.0.0.1:8080';
const API_KEY = process.env.WSHUB_API_KEY || '';
const MAX_SKEW_SECONDS = 300; // refuse replays of requests older than five minutes

/** docs/backend.md "Signatures": HMAC-SHA256 of `${timestamp}.${body}`, hex, after "sha256=". */
function verify(req, body) {
  if (!SECRET) return true;
  const ts = Number(req.headers['x-wshub-timestamp']);
  const sig = String(req.headers['x-wshub-signature'] || '');
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > MAX_SKEW_SECONDS) return false;
  const want = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex');
  return sig.length === want.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want));
}

/** Calls wshub's HTTP API (docs/http-api.md), e.g. to push to a tag. */
async function api(path, payload) {
  const res = await fetch(WSHUB_URL + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify(payload),
  });
  return res.json();
}

// ---- the connect route: who may open a connection, as whom, in which tags -------------
function connect(req) {
  const token = req.token || '';
  if (token === 'revoked') return { code: 401, message: 'token revoked' };
  const m = /^opaque-([a-z0-9]+)$/.exec(token);
  if (!m) return { code: 403, message: 'unknown token' };
  return { userId: m[1], tags: ['user:' + m[1]], meta: { plan: 'free' } };
}

// ---- the join route: which tags a client may join itself -------------------------------
function join(req) {
  const tag = req.tag;
  return { allow: tag.startsWith('room:') || tag === 'user:' + req.user };
}

// ---- the event route: client events no Java handler serves -----------------------------
const events = {
  async 'chat/send'(msg) {
    const room = msg.data && msg.data.room;
    if (typeof room !== 'string' || !msg.meta.tags.includes(room)) {
      return { code: 403, errorMsg: 'join the room first' };
    }
    const r = await api('/api/send/tag/' + encodeURIComponent(room),
      { event: 'chat/message', data: { from: msg.user, room, text: String(msg.data.text) } });
    return { code: 0, data: { delivered: r.data.delivered } };
  },
  async 'profile/get'(msg) {
    return { code: 0, data: { user: msg.user, client: msg.client, plan: (msg.meta.connect || {}).plan } };
  },
};

async function event(msg) {
  const handler = events[msg.event];
  return handler ? handler(msg) : { code: 404, errorMsg: 'no such event: ' + msg.event };
}

// ---- webhooks: kept in memory so the example's test can look at them ---------------------
const webhooks = [];
function webhook(hook) {
  webhooks.push(hook);
  return {};
}

const routes = { '/wshub/connect': connect, '/wshub/join': join, '/wshub/events': event, '/wshub/webhooks': webhook };

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const send = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (req.method === 'GET' && req.url === '/webhooks') return send(200, webhooks);
    const route = routes[req.url];
    if (req.method !== 'POST' || !route) return send(404, { error: 'not found' });
    if (!verify(req, body)) return send(401, { error: 'bad signature' });
    try {
      send(200, await route(JSON.parse(body.toString('utf8'))));
    } catch (e) {
      console.error('route failed:', e);
      send(500, { error: 'internal' });
    }
  });
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log('backend listening on ' + server.address().port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
