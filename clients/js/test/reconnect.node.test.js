// Reconnecting against the real server: restarts, offline queue, backoff, kicks, heartbeat, token expiry.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { connect, CloseCode } from '../wshub.js';
import { startServer, freePort, mintToken, nextEvent, record, waitFor } from './helpers.js';

const servers = [];
const clients = [];
async function serve(options) { const s = await startServer(options); servers.push(s); return s; }
function open(url, options = {}) {
  const c = connect(url, { WebSocket, ...options });
  clients.push(c);
  return c;
}
after(async () => {
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.kill()));
});

test('tags are re-joined after the server restarts on the same port', async () => {
  const port = await freePort();
  let s1 = await serve({ port });
  let tokens = 0;
  const c = open(s1.wsUrl, { getToken: async () => { tokens += 1; return mintToken('rejoin'); }, backoff: { initial: 100, max: 500 } });
  await c.whenOpen();
  await c.join('restart-room');
  const events = record(c, ['close', 'reconnecting', 'open']);

  await s1.kill();
  await waitFor(() => events.some((e) => e.event === 'reconnecting'), { what: 'reconnecting after the kill' });
  assert.equal(c.state, 'reconnecting');

  const s2 = await serve({ port });
  await waitFor(() => events.some((e) => e.event === 'open'), { timeout: 15000, what: 'reopened' });
  assert.ok(tokens >= 2, `getToken runs on every connect (ran ${tokens} times)`);

  const got = [];
  c.on('restart/msg', (d) => got.push(d));
  // The re-join is a request sent on open; wait until the new server lists the tag.
  await waitFor(async () => {
    const tags = await s2.api('GET', '/api/tags');
    return tags.data.list.some((t) => t.tag === 'restart-room' && t.members === 1);
  }, { what: 'tag listed on the new server' });
  const sent = await s2.api('POST', '/api/send/tag/restart-room', { event: 'restart/msg', data: { hello: 1 } });
  assert.equal(sent.data.delivered, 1);
  await waitFor(() => got.length === 1, { what: 'tag message after restart' });
  assert.deepEqual(got[0], { hello: 1 });
});

test('offline queue is bounded and flushed in order on reconnect', async () => {
  const port = await freePort();
  const s1 = await serve({ port });
  // Requests time out from when they are made, queued or not: give them room for a slow server start.
  const c = open(s1.wsUrl, { token: mintToken('queue'), queueLimit: 3, requestTimeout: 60000, backoff: { initial: 100, max: 300 } });
  await c.whenOpen();
  await s1.kill();
  await waitFor(() => c.state === 'reconnecting', { what: 'offline' });

  const order = [];
  const queued = [1, 2, 3].map((n) => c.request('join', { id: `q${n}` }).then((tags) => { order.push(n); return tags; }));
  const pings = [c.request('ping'), c.request('ping')];
  assert.equal(c.send('ping'), true, 'third slot still free: joins do not count');
  assert.equal(c.send('ping'), false, 'a full queue refuses');
  await assert.rejects(c.request('ping'), { code: 'QUEUE_FULL' });

  const s2 = await serve({ port });
  await c.whenOpen();
  const results = await Promise.all(queued);
  assert.deepEqual(order, [1, 2, 3]);
  assert.deepEqual([...results[2]].sort(), ['q1', 'q2', 'q3']);
  await Promise.all(pings);
  const listed = await waitFor(async () => {
    const r = await s2.api('GET', '/api/clients?userId=queue');
    return r.data.total === 1 && r;
  }, { what: 'the reconnected client listed' });
  assert.deepEqual([...listed.data.list[0].tags].sort(), ['q1', 'q2', 'q3']);
});

test('reconnect delays grow exponentially, stay within the full-jitter range and are capped', async (t) => {
  const port = await freePort(); // nothing listens: every attempt fails
  const backoff = { initial: 100, max: 800, factor: 2 }; // default jitter 1: uniform in [0, base]
  const c = open(`ws://127.0.0.1:${port}/ws`, { backoff });
  const events = record(c, ['reconnecting', 'close']);
  await waitFor(() => events.filter((e) => e.event === 'reconnecting').length >= 7, { timeout: 20000, what: '7 attempts' });
  c.close();

  const planned = events.filter((e) => e.event === 'reconnecting');
  planned.forEach(({ args: [info] }, i) => {
    const base = Math.min(backoff.max, backoff.initial * 2 ** i);
    assert.equal(info.attempt, i + 1);
    assert.ok(info.delay >= 0 && info.delay <= base, `attempt ${i + 1}: delay ${info.delay} outside [0, ${base}]`);
  });
  // Measured: the next failed attempt closes no sooner than the planned delay.
  const closes = events.filter((e) => e.event === 'close');
  t.diagnostic(`planned ms: ${planned.map((e) => e.args[0].delay).join(', ')}`);
  t.diagnostic(`measured ms: ${planned.slice(0, Math.min(planned.length, closes.length) - 1).map((e, i) => closes[i + 1].at - e.at).join(', ')}`);
  for (let i = 0; i + 1 < planned.length && i + 1 < closes.length; i++) {
    const measured = closes[i + 1].at - planned[i].at;
    const { delay } = planned[i].args[0];
    assert.ok(measured >= delay - 15, `attempt ${i + 1}: reconnected after ${measured} ms, planned ${delay}`);
    assert.ok(measured <= delay + 1000, `attempt ${i + 1}: reconnected after ${measured} ms, planned ${delay}`);
  }
  const capped = planned.slice(4).map((e) => e.args[0].delay);
  assert.ok(capped.every((d) => d <= backoff.max), `capped delays ${capped}`);
  const distinct = new Set(planned.map((e) => e.args[0].delay));
  assert.ok(distinct.size >= 5, 'jitter makes delays differ');
});

test('a kicked client gets the kick event, closes with 4000 and does not reconnect', async () => {
  const s = await serve({});
  const c = open(s.wsUrl, { token: mintToken('kickme'), backoff: { initial: 50, max: 100 } });
  await waitFor(() => c.id, { what: 'client id from the connected event' });
  const events = record(c, ['kick', 'close', 'reconnecting', 'open']);
  const r = await s.api('POST', `/api/clients/${c.id}/kick`, { reason: 'operator says bye' });
  assert.deepEqual(r.data, { kicked: 1 });
  await waitFor(() => events.some((e) => e.event === 'close'), { what: 'close after kick' });
  const kick = events.find((e) => e.event === 'kick');
  assert.ok(kick, 'kick event delivered before the close');
  assert.equal(kick.args[0].reason, 'operator says bye');
  const close = events.find((e) => e.event === 'close').args[0];
  assert.equal(close.code, CloseCode.KICKED);
  assert.equal(close.willReconnect, false);
  assert.equal(c.state, 'closed');

  // Ten times the backoff: a reconnect would have happened by now.
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(events.filter((e) => e.event === 'reconnecting').length, 0);
  assert.equal((await s.api('GET', '/api/clients?userId=kickme')).data.total, 0);

  c.reconnect();
  await c.whenOpen();
  await waitFor(async () => (await s.api('GET', '/api/clients?userId=kickme')).data.total === 1,
    { what: 'the reconnected client listed' });
});

test('heartbeat: an unanswered ping drops the socket and reconnects', async (t) => {
  const s = await serve({});
  const c = open(s.wsUrl, { token: mintToken('beat'), heartbeatInterval: 300, heartbeatTimeout: 1000, backoff: { initial: 100, max: 200 } });
  await c.whenOpen();
  const events = record(c, ['close', 'reconnecting', 'open']);
  // Pongs keep the connection healthy while the server runs.
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(events.length, 0, `healthy connection stayed up: ${JSON.stringify(events.map((e) => e.event))}`);

  const stoppedAt = Date.now();
  s.proc.kill('SIGSTOP'); // the server stops answering without closing the TCP connection
  try {
    await waitFor(() => events.some((e) => e.event === 'close'), { timeout: 8000, what: 'heartbeat timeout' });
  } finally {
    s.proc.kill('SIGCONT');
  }
  const closeEvent = events.find((e) => e.event === 'close');
  t.diagnostic(`dead server detected after ${closeEvent.at - stoppedAt} ms (interval 300 + timeout 1000)`);
  const close = closeEvent.args[0];
  assert.equal(close.code, CloseCode.HEARTBEAT_TIMEOUT);
  assert.equal(close.willReconnect, true);
  await waitFor(() => events.some((e) => e.event === 'open'), { timeout: 15000, what: 'reopened after SIGCONT' });
});

test('token expiry (4001): fresh token from getToken, immediate reconnect', async () => {
  const s = await serve({});
  const issued = [];
  const getToken = () => {
    const t = mintToken('expiring', { ttlSeconds: issued.length === 0 ? 2 : 3600 });
    issued.push(t);
    return t;
  };
  const c = open(s.wsUrl, { getToken, refreshBeforeExpiry: 0, backoff: { initial: 5000 } });
  await c.whenOpen();
  const events = record(c, ['close', 'reconnecting']);
  await waitFor(() => events.length >= 2, { timeout: 8000, what: 'close 4001 and reconnecting' });
  const [close, reconnecting] = events.map((e) => e.args[0]);
  assert.equal(close.code, CloseCode.TOKEN_EXPIRED);
  assert.equal(close.willReconnect, true);
  assert.equal(reconnecting.delay, 0, 'no backoff for an expired token');
  await c.whenOpen();
  assert.equal(issued.length, 2);
  assert.equal(c.userId, 'expiring');
});

test('token refresh before exp keeps the connection open past the first token', async () => {
  const s = await serve({});
  let n = 0;
  // 8 s with a 5 s margin: a slow first upgrade on a busy machine still leaves the refresh time.
  const firstExp = Date.now() + 8000;
  const getToken = () => mintToken('refresher', { ttlSeconds: n++ === 0 ? 8 : 3600 });
  const c = open(s.wsUrl, { getToken, refreshBeforeExpiry: 5000 });
  await c.whenOpen();
  const events = record(c, ['close', 'error']);
  await waitFor(() => n >= 2, { timeout: 8000, what: 'refresh getToken call' });
  // Past the first token's exp and the server's 5 s clock-skew allowance.
  await new Promise((r) => setTimeout(r, Math.max(0, firstExp - Date.now()) + 6500));
  assert.deepEqual(events.map((e) => e.event), [], 'no close or error');
  assert.equal(c.state, 'open');
});

test('a static token that expired is not retried', async () => {
  const s = await serve({});
  const c = open(s.wsUrl, { token: mintToken('static', { ttlSeconds: 2 }) });
  await c.whenOpen();
  const [info] = await nextEvent(c, 'close', 8000);
  assert.equal(info.code, CloseCode.TOKEN_EXPIRED);
  assert.equal(info.willReconnect, false);
  assert.equal(c.state, 'closed');
});

test('getToken handing out expired tokens backs off instead of looping', async () => {
  const s = await serve({});
  let calls = 0;
  const getToken = () => { calls += 1; return mintToken('stale', { ttlSeconds: calls === 1 ? 2 : -60 }); };
  // Half jitter: every later delay is at least half the backoff, so "backs off" is checkable.
  const c = open(s.wsUrl, { getToken, refreshBeforeExpiry: 0, backoff: { initial: 300, max: 600, jitter: 0.5 } });
  await c.whenOpen();
  const delays = [];
  c.on('reconnecting', ({ delay }) => delays.push(delay));
  await waitFor(() => delays.length >= 4, { timeout: 10000, what: '4 reconnect attempts' });
  c.close();
  assert.equal(delays[0], 0, 'first expiry: immediate');
  assert.ok(delays.slice(1).every((d) => d >= 150), `later attempts back off: ${delays}`);
});
