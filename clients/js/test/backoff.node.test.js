// Unit-level checks of the reconnect schedule with an injected clock: attempts hit a real
// closed port, the timers record each planned delay instead of waiting for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { backoffDelay, jwtExpiry, WsHubClient } from '../wshub.js';
import { freePort, nextEvent, waitFor } from './helpers.js';

test('backoffDelay: exponential, capped, full jitter spreads a delay over [0, base]', () => {
  const top = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, {}, () => 0));
  assert.deepEqual(top, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  const bottom = [0, 1, 6].map((a) => backoffDelay(a, {}, () => 0.999999));
  assert.deepEqual(bottom, [0, 0, 0]);
  // Default (full jitter): 1000 samples of attempt 3 cover [0, 4000], both halves well filled.
  const samples = Array.from({ length: 1000 }, () => backoffDelay(3));
  assert.ok(samples.every((d) => d >= 0 && d <= 4000), 'within [0, base]');
  assert.ok(samples.filter((d) => d < 1000).length > 150, 'the lowest quarter is used (was never below base/2)');
  assert.ok(samples.filter((d) => d > 3000).length > 150, 'the highest quarter is used');
  // An explicit smaller jitter still shortens by at most that fraction.
  const half = { initial: 500, max: 30000, factor: 2, jitter: 0.5 };
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(3, half);
    assert.ok(d >= 2000 && d <= 4000, `jitter 0.5: ${d}`);
  }
});

test('reconnect schedule with a fake clock follows backoffDelay and stops on close()', async () => {
  const port = await freePort();
  const planned = [];
  const timers = {
    setTimeout: (fn, ms) => { if (ms > 0 && ms < 60000) planned.push(ms); return setTimeout(fn, 0); },
    clearTimeout: (id) => clearTimeout(id),
    now: () => Date.now(),
  };
  const c = new WsHubClient(`ws://127.0.0.1:${port}/ws`, {
    WebSocket, timers, random: () => 0, heartbeatInterval: 0,
    backoff: { initial: 1000, max: 8000, factor: 2 },
  });
  c.open();
  await waitFor(() => planned.length >= 6, { what: '6 planned reconnects' });
  c.close();
  assert.deepEqual(planned.slice(0, 6), [1000, 2000, 4000, 8000, 8000, 8000]);
  const n = planned.length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(planned.length, n, 'no reconnect after close()');
  assert.equal(c.state, 'closed');
});

test('jwtExpiry reads exp from a JWT and ignores anything else', () => {
  const tok = (p) => `h.${Buffer.from(JSON.stringify(p)).toString('base64url')}.s`;
  assert.equal(jwtExpiry(tok({ sub: 'a', exp: 1700000000 })), 1700000000000);
  assert.equal(jwtExpiry(tok({ sub: 'a' })), null);
  assert.equal(jwtExpiry('opaque-token'), null);
  assert.equal(jwtExpiry(undefined), null);
});

test('close codes: 1008 and 4000 stop reconnecting, 4008, 1001 and 4029 reconnect', async () => {
  // The real server closes with 1008 only for policy breaches it refuses before the upgrade,
  // so a bare ws server stands in for it here to exercise every code the same way.
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  let code = 0;
  wss.on('connection', (sock) => sock.close(code, 'test'));
  try {
    for (const [c, expected] of [[1008, false], [4000, false], [4008, true], [1001, true], [4029, true]]) {
      code = c;
      const client = new WsHubClient(`ws://127.0.0.1:${wss.address().port}/ws`, { WebSocket, heartbeatInterval: 0, backoff: { initial: 10000 } });
      const closed = new Promise((r) => client.once('close', r));
      client.open();
      const info = await closed;
      assert.equal(info.code, c);
      assert.equal(info.willReconnect, expected, `close ${c}`);
      assert.equal(client.state, expected ? 'reconnecting' : 'closed');
      client.close();
    }
  } finally {
    wss.close();
  }
});

/** A bare ws server: runs onConnection(sock) per connection, records every message it gets. */
async function bareServer(onConnection) {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.received = [];
  wss.on('connection', (sock) => {
    sock.on('message', (raw) => {
      const m = JSON.parse(String(raw));
      wss.received.push(m);
      if (m.seqno) sock.send(JSON.stringify({ event: m.event, seqno: m.seqno, code: 0, data: [] }));
    });
    onConnection(sock);
  });
  wss.url = `ws://127.0.0.1:${wss.address().port}/ws`;
  return wss;
}

for (const [code, grows] of [[4029, true], [4008, true], [1001, false]]) {
  test(`a long connection closed with ${code} ${grows ? 'keeps backing off' : 'resets the backoff'}`, async () => {
    // The server closes every connection at once, but the clock says each lasted 6 s (> resetAfter).
    const wss = await bareServer((sock) => sock.close(code, 'test'));
    let clock = Date.now();
    const planned = [];
    const c = new WsHubClient(wss.url, {
      WebSocket, random: () => 0, heartbeatInterval: 0,
      backoff: { initial: 1000, max: 8000, factor: 2, resetAfter: 5000 },
      timers: { setTimeout: (fn) => setTimeout(fn, 0), clearTimeout: (id) => clearTimeout(id), now: () => (clock += 6000) },
    });
    c.on('reconnecting', ({ delay }) => planned.push(delay));
    try {
      c.open();
      await waitFor(() => planned.length >= 4, { what: '4 reconnects' });
    } finally {
      c.close();
      wss.close();
    }
    assert.deepEqual(planned.slice(0, 4), grows ? [1000, 2000, 4000, 8000] : [1000, 1000, 1000, 1000]);
  });
}

/** Timers under test control: nothing fires until fire(id); now() is `clock`. */
function fakeTimers(start) {
  const t = { clock: start, next: 1, pending: new Map(), delays: [] };
  t.timers = {
    setTimeout: (fn, ms) => { const id = t.next++; t.delays.push(ms); t.pending.set(id, { fn, at: t.clock + ms }); return id; },
    clearTimeout: (id) => { t.pending.delete(id); },
    now: () => t.clock,
  };
  t.fire = (id) => { const p = t.pending.get(id); t.pending.delete(id); t.clock = Math.max(t.clock, p.at); p.fn(); };
  return t;
}

const jwt = (exp) => `h.${Buffer.from(JSON.stringify({ sub: 'u', exp: Math.floor(exp / 1000) })).toString('base64url')}.s`;

test('token refresh: a far exp waits in timers of at most 2^31-1 ms; a token no later is not re-armed', async () => {
  const wss = await bareServer(() => {});
  const t = fakeTimers(Date.now());
  const exp = Math.floor(t.clock / 1000) * 1000 + 40 * 24 * 3600 * 1000; // 40 days: the naive delay overflows setTimeout
  let calls = 0;
  const c = new WsHubClient(wss.url, {
    WebSocket, timers: t.timers, heartbeatInterval: 0, refreshBeforeExpiry: 30000,
    getToken: () => { calls += 1; return jwt(exp); }, // always the same token, as a cache would
  });
  try {
    c.open();
    await c.whenOpen();
    let fired = 0;
    while (calls === 1) {
      const id = c._timers.refresh;
      assert.ok(id !== undefined, 'a refresh timer is armed');
      assert.ok(fired++ < 5, 'refresh reached within a few capped timers');
      t.fire(id);
    }
    assert.ok(t.delays.every((ms) => ms <= 2 ** 31 - 1), `every timer fits setTimeout: ${t.delays}`);
    assert.ok(t.clock >= exp - 30000, 'the refresh ran only once exp - refreshBeforeExpiry was reached');
    await waitFor(() => wss.received.some((m) => m.event === 'refresh'), { what: 'refresh request' });
    await waitFor(() => c._pending.size === 0, { what: 'refresh reply' });
    assert.equal(c._timers.refresh, undefined, 'same exp: no refresh every second until it expires');
    assert.equal(calls, 2);
  } finally {
    c.close();
    wss.close();
  }
});

test('token refresh: a later exp re-arms for the new token', async () => {
  const wss = await bareServer(() => {});
  const t = fakeTimers(Date.now());
  const sec = Math.floor(t.clock / 1000) * 1000;
  const exps = [sec + 60000, sec + 3600000];
  let calls = 0;
  const c = new WsHubClient(wss.url, {
    WebSocket, timers: t.timers, heartbeatInterval: 0, refreshBeforeExpiry: 30000,
    getToken: () => jwt(exps[Math.min(calls++, 1)]),
  });
  try {
    c.open();
    await c.whenOpen();
    t.fire(c._timers.refresh);
    await waitFor(() => c._timers.refresh !== undefined, { what: 're-armed refresh' });
    assert.equal(t.pending.get(c._timers.refresh).at, exps[1] - 30000);
  } finally {
    c.close();
    wss.close();
  }
});

test('quit() drops a join still queued offline and settles it; the tag is never joined', async () => {
  const wss = await bareServer(() => {});
  const c = new WsHubClient(wss.url, { WebSocket, heartbeatInterval: 0 });
  try {
    c.open(); // still connecting: join is queued
    const joined = c.join('room:x');
    const quit = await c.quit('room:x');
    assert.deepEqual(quit, []);
    await assert.rejects(joined, (err) => err.code === 'CANCELLED');
    assert.deepEqual(c.tags, []);
    await c.whenOpen();
    await c.request('probe', {});
    assert.deepEqual(wss.received.map((m) => m.event), ['probe'], 'no join reached the server');
  } finally {
    c.close();
    wss.close();
  }
});

/** Fails instead of hanging when a promise never settles. */
function settles(p, ms = 5000) {
  let timer;
  return Promise.race([p, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`not settled in ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

test('whenOpen() rejects with CLOSED on close() while reconnecting, and at once when closed', async () => {
  const port = await freePort(); // nothing listens
  const c = new WsHubClient(`ws://127.0.0.1:${port}/ws`, { WebSocket, heartbeatInterval: 0, backoff: { initial: 60000 } });
  c.open();
  await nextEvent(c, 'reconnecting');
  const p = c.whenOpen();
  c.close();
  await assert.rejects(settles(p), (err) => err.code === 'CLOSED');
  await assert.rejects(settles(c.whenOpen()), (err) => err.code === 'CLOSED');
});

test('whenOpen() stays pending across closes that reconnect and resolves on the open', async () => {
  const { WebSocketServer } = await import('ws');
  let upgrades = 0;
  // The first two upgrades are refused (the client sees 1006 and reconnects), the third accepted.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: () => ++upgrades > 2 });
  await new Promise((r) => wss.once('listening', r));
  const c = new WsHubClient(`ws://127.0.0.1:${wss.address().port}/ws`, { WebSocket, heartbeatInterval: 0, backoff: { initial: 10 } });
  try {
    const closes = [];
    c.on('close', (info) => closes.push(info.willReconnect));
    const p = c.whenOpen();
    c.open();
    assert.equal(await settles(p), c);
    assert.deepEqual(closes, [true, true]);
  } finally {
    c.close();
    wss.close();
  }
});
