// DemoChat (the /demo page's server events) through the JS client against the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect } from '../wshub.js';
import { startServer, mintToken, nextEvent, waitFor } from './helpers.js';

let server;
const clients = [];
before(async () => { server = await startServer(); });
after(async () => { for (const c of clients) c.close(); await server.kill(); });
async function open(user) {
  const c = connect(server.wsUrl, { WebSocket, token: user ? mintToken(user) : undefined });
  clients.push(c);
  // The hub counts a connection in presence by the time it has sent `connected` (README);
  // the socket's open alone can be a moment earlier.
  const connected = nextEvent(c, 'connected');
  await c.whenOpen();
  await connected;
  return c;
}

test('anonymous connections are refused with 401', async () => {
  const anon = await open(null);
  await assert.rejects(anon.request('chat/room', { room: 'r', text: 'x' }), { code: 401 });
  await assert.rejects(anon.request('chat/private', { to: 'a', text: 'x' }), { code: 401 });
  await assert.rejects(anon.request('chat/online'), { code: 401 });
});

test('chat/room validates its input and reaches everyone in the room', async () => {
  const alice = await open('ann');
  const bob = await open('ben');
  await alice.join('demo-room');
  await bob.join('demo-room');
  await assert.rejects(alice.request('chat/room', { room: 'demo-room' }), { code: 400 });
  await assert.rejects(alice.request('chat/room', { text: 'no room' }), { code: 400 });
  await assert.rejects(alice.request('chat/room', { room: 'demo-room', text: 'x'.repeat(2001) }), { code: 413 });
  await assert.rejects(alice.request('chat/room', { room: 'elsewhere', text: 'hi' }), { code: 403 });

  const got = nextEvent(bob, 'chat/message');
  const reply = await alice.request('chat/room', { room: 'demo-room', text: 'x'.repeat(2000) });
  assert.deepEqual(reply, { delivered: 2 }); // the sender's own connection is in the room too
  const [msg] = await got;
  assert.equal(msg.from, 'ann');
  assert.equal(msg.room, 'demo-room');
  assert.equal(msg.text.length, 2000);
  assert.equal(msg.private, false);
  assert.ok(Math.abs(msg.at - Date.now()) < 60000, `at is epoch ms: ${msg.at}`);
});

test('chat/private reaches every device of the recipient and echoes to the sender', async () => {
  const sam = await open('sam');
  const tia1 = await open('tia');
  const tia2 = await open('tia');
  const onTia = [nextEvent(tia1, 'chat/message'), nextEvent(tia2, 'chat/message')];
  const echo = nextEvent(sam, 'chat/message');
  assert.deepEqual(await sam.request('chat/private', { to: 'tia', text: 'psst' }), { delivered: 2 });
  for (const p of [...onTia, echo]) {
    const [m] = await p;
    assert.deepEqual({ from: m.from, to: m.to, text: m.text, private: m.private }, { from: 'sam', to: 'tia', text: 'psst', private: true });
  }
  assert.deepEqual(await sam.request('chat/private', { to: 'nobody-here', text: 'hello?' }), { delivered: 0 });
  await assert.rejects(sam.request('chat/private', { text: 'to whom?' }), { code: 400 });

  const online = await sam.request('chat/online');
  const byUser = Object.fromEntries(online.map((u) => [u.userId, u.connections]));
  assert.equal(byUser.tia, 2);
  assert.equal(byUser.sam, 1);
});

test('chat/presence tells the presence tag who comes and goes', async () => {
  const watcher = await open('watcher');
  await watcher.join('chat/presence');
  const seen = [];
  watcher.on('chat/presence', (d) => seen.push(d));
  const visitor = await open('visitor');
  await waitFor(() => seen.some((d) => d.userId === 'visitor' && d.online === true), { what: 'online presence' });
  const visitor2 = await open('visitor');
  // The push carries the user's connection count after the change, so pages need no chat/online.
  await waitFor(() => seen.some((d) => d.userId === 'visitor' && d.online === true && d.connections === 2), { what: 'second device' });
  visitor2.close();
  await waitFor(() => seen.some((d) => d.userId === 'visitor' && d.online === false && d.connections === 1), { what: 'one device left' });
  visitor.close();
  await waitFor(() => seen.some((d) => d.userId === 'visitor' && d.online === false && d.connections === 0), { what: 'offline presence' });
});
