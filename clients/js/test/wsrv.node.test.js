// The client with codec 'wsrv' against the real server started with --codec wsrv.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, codecs } from '../wshub.js';
import { startServer, mintToken, nextEvent, waitFor } from './helpers.js';

let server;
const clients = [];
before(async () => { server = await startServer({ codec: 'wsrv' }); });
after(async () => { for (const c of clients) c.close(); await server.kill(); });
function open(user) {
  const c = connect(server.wsUrl, { WebSocket, codec: 'wsrv', token: mintToken(user) });
  clients.push(c);
  return c;
}

test('wsrv codec encodes cmd/seqno/data and decodes status/msg', () => {
  assert.deepEqual(JSON.parse(codecs.wsrv.encode('join', { id: 't' }, '7')), { cmd: 'join', seqno: '7', data: { id: 't' } });
  assert.deepEqual(codecs.wsrv.decode({ cmd: 'x', seqno: '7', status: 404, msg: 'unknown event' }),
    { event: 'x', code: 404, message: 'unknown event', data: undefined, seqno: '7', timestamp: undefined });
});

test('wsrv: request/response, join and error status', async () => {
  const c = open('wanda');
  await c.whenOpen();
  assert.deepEqual(await c.request('join', { id: 'w-room' }), ['w-room']);
  // wsrv's default reply to a cmd nobody handles: status -1, msg "not implement"
  await assert.rejects(c.request('nope'), (err) => err.code === -1 && err.message === 'not implement');
});

test('wsrv: raw frames have the wsrv shape and pushes carry a random seqno', async () => {
  const c = open('walt');
  const raw = [];
  c.on('message', (m) => raw.push(m));
  await c.whenOpen();
  await c.join('w-tag');
  const got = nextEvent(c, 'w/push');
  const sent = await server.api('POST', '/api/send/tag/w-tag', { event: 'w/push', data: { ok: true } });
  assert.equal(sent.data.delivered, 1);
  const [data, msg] = await got;
  assert.deepEqual(data, { ok: true });
  assert.equal(msg.code, 0);
  assert.match(msg.seqno, /^.{8}$/, 'server pushes get an 8-character seqno');
});

test('wsrv: a kick still arrives and stops the client', async () => {
  const c = open('wilma');
  await c.whenOpen();
  const kicked = nextEvent(c, 'kick');
  const closed = nextEvent(c, 'close');
  await waitFor(() => c.id, { what: 'client id from connected' });
  await server.api('POST', `/api/clients/${c.id}/kick`, { reason: 'wsrv bye' });
  assert.equal((await kicked)[0].reason, 'wsrv bye');
  assert.equal((await closed)[0].willReconnect, false);
});
