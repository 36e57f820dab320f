// The backend of bench/proxy.sh: answers every proxied event with its own data, after
// checking the signature as a real backend would (docs/backend.md "Signatures").
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const SECRET = process.env.WSHUB_BACKEND_SECRET || '';

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (SECRET) {
      const ts = req.headers['x-wshub-timestamp'];
      const want = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex');
      const got = String(req.headers['x-wshub-signature'] || '');
      if (got.length !== want.length || !crypto.timingSafeEqual(Buffer.from(got), Buffer.from(want))) {
        res.writeHead(401).end();
        return;
      }
    }
    const msg = JSON.parse(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 0, data: msg.data }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log('backend listening on ' + server.address().port));
