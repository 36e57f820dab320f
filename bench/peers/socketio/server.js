'use strict';
// Bench peer (c): Socket.IO, WebSocket transport only. The bench protocol maps onto events with
// acks: 42N["echo",X] -> 43N[{"event":"echo","code":0,"data":X,...}], join/broadcast likewise;
// members of a room receive 42["broadcast",{"event":"broadcast","code":0,"data":P,...}].
// Env: PORT, HOST, JWT_SECRET. The token (query ?token=) is verified (HS256) before the upgrade.
const http = require('http');
const { Server } = require('socket.io');
const { verifyHs256 } = require('../common/jwt');

const port = Number(process.env.PORT || 0);
const host = process.env.HOST || '127.0.0.1';
const secret = process.env.JWT_SECRET || 'wshub-bench-secret-0123456789abcdef';
const now = () => Math.floor(Date.now() / 1000);

const httpServer = http.createServer();
const io = new Server(httpServer, {
  path: '/socket.io/',
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
  allowRequest: (req, callback) => {
    const url = new URL(req.url, 'http://peer');
    callback(null, verifyHs256(url.searchParams.get('token'), secret) !== null);
  },
});

io.on('connection', (socket) => {
  const ok = (event, data) => ({ event, code: 0, data, timestamp: now() });
  const ack = (fn, value) => { if (typeof fn === 'function') fn(value); };
  socket.on('echo', (data, fn) => ack(fn, ok('echo', data)));
  socket.on('ping', (fn) => ack(fn, { event: 'ping', code: 0, timestamp: now() }));
  socket.on('join', (data, fn) => {
    socket.join(data.id);
    ack(fn, ok('join', [...socket.rooms].filter((room) => room !== socket.id)));
  });
  socket.on('broadcast', (data, fn) => {
    const room = io.sockets.adapter.rooms.get(data.tag);
    // Socket.IO encodes a room broadcast once and writes the same packet to every member.
    io.to(data.tag).emit('broadcast', ok('broadcast', data.payload));
    ack(fn, ok('broadcast', { delivered: room ? room.size : 0 }));
  });
});

httpServer.listen(port, host, () => console.log(`socketio peer listening on ${host}:${httpServer.address().port}`));
process.on('SIGTERM', () => process.exit(0));
