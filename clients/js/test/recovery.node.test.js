// History and recovery (docs/history.md): positions tracked, missed messages recovered on
// reconnect exactly once and in order, gaps on the live path recovered by a re-join.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, WsHubClient } from '../wshub.js';
import { startServer, mintToken, waitFor } from './helpers.js';

let server;
const clients = [];
after(async () => {
  for (const c of clients) c.close();
  if (server) await server.kill();
});

test('a client that loses its socket gets what it missed on its inbox and tags, once and in order', async () => {
  server = await startServer({ extraArgs: ['--history', 'room:*=100/300,@user=100/300'] });
  const c = connect(server.wsUrl, { WebSocket, token: mintToken('rec-user'), backoff: { initial: 50, max: 200 } });
  clients.push(c);
  const got = [];
  const recovered = [];
  c.on('m', (d) => got.push(d));
  c.on('recovered', (info) => recovered.push(info));
  await c.whenOpen();
  await c.join('room:1');
  await waitFor(() => c.positions['tag:room:1'] && c.positions['user:rec-user'], { what: 'positions from connected and join' });

  await server.api('POST', '/api/send/tag/room:1', { event: 'm', data: 't1' });
  await server.api('POST', '/api/send/user/rec-user', { event: 'm', data: 'u1' });
  await waitFor(() => got.length === 2, { what: 'live messages' });

  c._ws.terminate(); // the network drops; the server has not noticed yet
  for (const n of [2, 3]) {
    const t = await server.api('POST', '/api/send/tag/room:1', { event: 'm', data: `t${n}` });
    assert.equal(t.data.stream, 'tag:room:1');
    assert.equal(t.data.offset, n);
    await server.api('POST', '/api/send/user/rec-user', { event: 'm', data: `u${n}` });
  }
  await waitFor(() => got.length === 6, { timeout: 15000, what: 'missed messages after the reconnect' });
  assert.deepEqual(got.filter((d) => d.startsWith('t')), ['t1', 't2', 't3']);
  assert.deepEqual(got.filter((d) => d.startsWith('u')), ['u1', 'u2', 'u3']);
  assert.deepEqual(recovered.map((r) => [r.stream, r.recovered]).sort(), [['tag:room:1', true], ['user:rec-user', true]]);
  assert.deepEqual(c.positions['tag:room:1'].offset, 3);
});

/** A client on a socket the test drives, to play what a real server does only under loss. */
function scripted() {
  const sent = [];
  class FakeSocket { constructor() { this.readyState = 1; } send(text) { sent.push(JSON.parse(text)); } close() {} }
  const c = new WsHubClient('ws://127.0.0.1:1/ws', { WebSocket: FakeSocket });
  const ws = new FakeSocket();
  c._ws = ws;
  c.state = 'open';
  c._stopped = false;
  const push = (m) => c._onMessage(ws, JSON.stringify({ code: 0, timestamp: 1, ...m }));
  return { c, sent, push };
}

test('an offset jump on the live path emits gap and re-joins from the last position', () => {
  const { c, sent, push } = scripted();
  const got = [];
  const gaps = [];
  c.on('m', (d) => got.push(d));
  c.on('gap', (g) => gaps.push(g));
  c._tags.add('room:1');
  push({ event: 'join', seqno: 'x', data: ['room:1'], stream: 'tag:room:1', offset: 1, epoch: 'e' });
  push({ event: 'm', data: 2, stream: 'tag:room:1', offset: 2, epoch: 'e' });
  push({ event: 'm', data: 4, stream: 'tag:room:1', offset: 4, epoch: 'e' }); // 3 was dropped
  push({ event: 'm', data: 5, stream: 'tag:room:1', offset: 5, epoch: 'e' }); // in flight before the re-join
  assert.deepEqual(gaps, [{ stream: 'tag:room:1', from: 2, to: 4 }]);
  const rejoin = sent.find((m) => m.event === 'join');
  assert.deepEqual(rejoin.data, { id: 'room:1', since: { offset: 2, epoch: 'e' } });

  push({ event: 'join', seqno: rejoin.seqno, data: ['room:1'], stream: 'tag:room:1', offset: 5, epoch: 'e', recovered: true });
  for (const n of [3, 4, 5]) push({ event: 'm', data: n, stream: 'tag:room:1', offset: n, epoch: 'e' });
  push({ event: 'm', data: 5, stream: 'tag:room:1', offset: 5, epoch: 'e' }); // a late duplicate
  push({ event: 'm', data: 6, stream: 'tag:room:1', offset: 6, epoch: 'e' });
  assert.deepEqual(got, [2, 3, 4, 5, 6]);
});

test('a new epoch or an unrecoverable gap moves the position to the stream top and says recovered: false', () => {
  const { c, push } = scripted();
  const recovered = [];
  c.on('recovered', (r) => recovered.push(r));
  push({ event: 'connected', data: { id: 'a.1', userId: 'u' }, stream: 'user:u', offset: 7, epoch: 'e1' });
  push({ event: 'connected', data: { id: 'a.2', userId: 'u' }, stream: 'user:u', offset: 2, epoch: 'e2', recovered: false });
  assert.deepEqual(c.positions, { 'user:u': { offset: 2, epoch: 'e2' } });
  assert.deepEqual(recovered, [{ stream: 'user:u', recovered: false, offset: 2, epoch: 'e2' }]);
});
