'use strict';
// Bench peer (b): Node.js + ws speaking the wshub bench protocol (json codec, HotGo shape).
// Env: PORT, HOST (default 127.0.0.1), JWT_SECRET, API_KEY. Tokens are verified (HS256) before the upgrade.
const http = require('http');
const { WebSocketServer } = require('ws');
const { verifyHs256 } = require('../common/jwt');

const port = Number(process.env.PORT || 0);
const host = process.env.HOST || '127.0.0.1';
const secret = process.env.JWT_SECRET || 'wshub-bench-secret-0123456789abcdef';
const rooms = new Map(); // tag -> Set<WebSocket>
const now = () => Math.floor(Date.now() / 1000);

const apiKey = process.env.API_KEY || 'bench-key';
// wshub's POST /api/send/tag/{tag}, so HTTP-published broadcasts compare with the same load.
const server = http.createServer((req, res) => {
  const tag = req.method === 'POST' && req.url.startsWith('/api/send/tag/') ? decodeURIComponent(req.url.slice(14)) : null;
  if (tag === null || req.headers['x-api-key'] !== apiKey) { res.writeHead(tag === null ? 404 : 401); res.end(); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let msg;
    try { msg = JSON.parse(Buffer.concat(chunks)); } catch { res.writeHead(400); res.end(); return; }
    const delivered = broadcast(tag, msg.data);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(`{"code":0,"data":{"delivered":${delivered}}}`);
  });
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://peer');
  const user = url.pathname === '/ws' ? verifyHs256(url.searchParams.get('token'), secret) : null;
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 37\r\nConnection: close\r\n\r\n{"code":401,"message":"unauthorized"}');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => accept(ws, user));
});

function reply(ws, event, data, seqno) {
  const msg = { event, code: 0, timestamp: now() };
  if (data !== undefined && data !== null) msg.data = data;
  if (seqno !== undefined) msg.seqno = seqno;
  ws.send(JSON.stringify(msg));
}

// Encodes once and writes the same bytes to every member of the tag.
function broadcast(tag, payload) {
  const members = rooms.get(tag);
  let delivered = 0;
  if (members) {
    const bytes = Buffer.from(JSON.stringify({ event: 'broadcast', code: 0, data: payload, timestamp: now() }));
    for (const member of members) {
      if (member.readyState === 1) { member.send(bytes, { binary: false }); delivered++; }
    }
  }
  return delivered;
}

function accept(ws, user) {
  ws.user = user;
  ws.tags = new Set();
  ws.on('message', (buf) => {
    if (buf.length === 0) return; // heartbeat
    let msg;
    try { msg = JSON.parse(buf); } catch {
      ws.send(JSON.stringify({ event: 'error', code: 400, errorMsg: 'unparseable JSON', timestamp: now() }));
      return;
    }
    const data = msg.data;
    switch (msg.event) {
      case 'echo': reply(ws, 'echo', data, msg.seqno); break;
      case 'ping': reply(ws, 'ping', null, msg.seqno); break;
      case 'join': {
        let members = rooms.get(data.id);
        if (!members) rooms.set(data.id, members = new Set());
        members.add(ws);
        ws.tags.add(data.id);
        reply(ws, 'join', [...ws.tags], msg.seqno);
        break;
      }
      case 'broadcast':
        reply(ws, 'broadcast', { delivered: broadcast(data.tag, data.payload) }, msg.seqno);
        break;
      default:
        ws.send(JSON.stringify({ event: msg.event, code: 404, errorMsg: 'unknown event', timestamp: now(), seqno: msg.seqno }));
    }
  });
  ws.on('close', () => {
    for (const tag of ws.tags) {
      const members = rooms.get(tag);
      if (members) { members.delete(ws); if (members.size === 0) rooms.delete(tag); }
    }
  });
  ws.on('error', () => {});
}

server.listen(port, host, () => console.log(`node-ws peer listening on ${host}:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
