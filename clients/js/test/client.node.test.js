// The client against the real server (json codec): requests, events, tags, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, WsHubError } from '../wshub.js';
import { startServer, freePort, mintToken, nextEvent, waitFor } from './helpers.js';

let server;
const clients = [];
function open(user, options = {}) {
  const c = connect(server.wsUrl, { WebSocket, token: user ? mintToken(user) : undefined, ...options });
  clients.push(c);
  return c;
}

before(async () => { server = await startServer(); });
after(async () => { for (const c of clients) c.close(); await server.kill(); });

test('connected event carries the client id and user id from the token', async () => {
  const c = open('alice');
  const [data] = await nextEvent(c, 'connected');
  assert.equal(data.userId, 'alice');
  assert.ok(data.id, 'server sends a client id');
  assert.equal(c.id, data.id);
  assert.equal(c.userId, 'alice');
});

test('request resolves with the reply matched by seqno', async () => {
  const c = open('alice');
  await c.whenOpen();
  const [a, b] = await Promise.all([c.request('join', { id: 'r-a' }), c.request('join', { id: 'r-b' })]);
  assert.deepEqual([...a].sort(), ['r-a']);
  assert.deepEqual([...b].sort(), ['r-a', 'r-b']);
  assert.equal(await c.request('ping'), undefined);
});

test('request rejects with an Error carrying the server code', async () => {
  const c = open('alice');
  await c.whenOpen();
  await assert.rejects(c.request('no/such/event', { x: 1 }), (err) => {
    assert.ok(err instanceof WsHubError);
    assert.equal(err.code, 404);
    assert.equal(err.event, 'no/such/event');
    return true;
  });
});

test('a request that gets no reply times out and leaves the offline queue', async () => {
  const port = await freePort(); // nothing listens: the request stays queued, unanswered
  const c = connect(`ws://127.0.0.1:${port}/ws`, { WebSocket, queueLimit: 1, backoff: { initial: 60000 } });
  clients.push(c);
  const started = Date.now();
  await assert.rejects(c.request('ping', null, { timeout: 200 }), { code: 'TIMEOUT' });
  assert.ok(Date.now() - started >= 190);
  assert.equal(c.send('ping'), true, 'the timed-out request freed its queue slot');
  assert.equal(c.send('ping'), false);
});

test('every handler of an event gets pushes; off() removes one', async () => {
  const c = open('bob');
  await c.whenOpen();
  const got = [];
  const h1 = (d) => got.push(['h1', d.n]);
  c.on('news', h1);
  c.on('news', (d, msg) => got.push(['h2', d.n, typeof msg.timestamp]));
  const r1 = await server.api('POST', '/api/send/user/bob', { event: 'news', data: { n: 1 } });
  assert.equal(r1.code, 0);
  assert.ok(r1.data.delivered >= 1);
  await waitFor(() => got.length === 2, { what: 'two handlers called' });
  assert.deepEqual(got, [['h1', 1], ['h2', 1, 'number']]);

  c.off('news', h1);
  await server.api('POST', '/api/send/user/bob', { event: 'news', data: { n: 2 } });
  await waitFor(() => got.length === 3, { what: 'remaining handler called' });
  assert.deepEqual(got[2], ['h2', 2, 'number']);
});

test('join/quit: a send to the tag arrives only while joined', async () => {
  const c = open('carol');
  await c.whenOpen();
  assert.deepEqual(await c.join('room:1'), ['room:1']);
  assert.deepEqual(c.tags, ['room:1']);
  const got = [];
  c.on('room/msg', (d) => got.push(d.text));
  const sent = await server.api('POST', '/api/send/tag/room:1', { event: 'room/msg', data: { text: 'one' } });
  assert.equal(sent.data.delivered, 1);
  await waitFor(() => got.length === 1, { what: 'tag message' });

  assert.deepEqual(await c.quit('room:1'), []);
  assert.deepEqual(c.tags, []);
  const after = await server.api('POST', '/api/send/tag/room:1', { event: 'room/msg', data: { text: 'two' } });
  assert.equal(after.data.delivered, 0);
});

test('anonymous connections work in optional auth mode', async () => {
  const c = open(null);
  const [data] = await nextEvent(c, 'connected');
  assert.equal(data.userId, null);
  assert.equal(await c.request('ping'), undefined);
});

test('getToken may be async and its token identifies the user', async () => {
  let calls = 0;
  const c = open(null, { getToken: async () => { calls += 1; await new Promise((r) => setTimeout(r, 10)); return mintToken('dave'); } });
  const [data] = await nextEvent(c, 'connected');
  assert.equal(data.userId, 'dave');
  assert.equal(calls, 1);
});

test('close() stops the client: no reconnect, later sends are refused', async () => {
  const c = open('erin', { backoff: { initial: 50 } });
  await c.whenOpen();
  const closed = nextEvent(c, 'close');
  c.close();
  const [info] = await closed;
  assert.equal(info.willReconnect, false);
  assert.equal(c.state, 'closed');
  assert.equal(c.send('x', 1), false);
  await assert.rejects(c.request('ping'), { code: 'CLOSED' });
  await waitFor(async () => (await server.api('GET', '/api/clients?userId=erin')).data.total === 0,
    { what: 'the server forgets the closed client' });
});
