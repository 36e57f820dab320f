// permessage-deflate interop with the two clients that matter: Node's `ws` and Chromium. Both
// negotiate it with a server started with --compression, send compressed messages the server
// understands, and read the server's compressed broadcasts and replies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { startServer, mintToken } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BIG = 'compressible '.repeat(400); // about 5 KB

let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  server = await startServer({ extraArgs: ['--compression', 'true', '--compression-threshold', '256'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.kill();
});

/** Resolves with the next parsed message whose event is `event`. */
function nextMessage(ws, event) {
  return new Promise((resolve) => {
    const onMessage = (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.event === event) { ws.off('message', onMessage); resolve(msg); }
    };
    ws.on('message', onMessage);
  });
}

test('Node ws: negotiated, compressed messages both ways', async () => {
  const ws = new WebSocket(`${server.wsUrl}?token=${mintToken('node-user')}`, { perMessageDeflate: { threshold: 0 } });
  const connected = nextMessage(ws, 'connected');
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  assert.match(ws.extensions, /permessage-deflate/);
  await connected;

  // Tags are at most 256 bytes: three of 250 make a join reply (it lists them all) over the threshold.
  const tags = ['a', 'b', 'c'].map((c) => c.repeat(250));
  let joined;
  for (const [i, tag] of tags.entries()) {
    const reply = nextMessage(ws, 'join');
    ws.send(JSON.stringify({ event: 'join', data: { id: tag }, seqno: String(i) })); // compressed by ws (threshold 0)
    joined = await reply;
  }
  assert.deepEqual([...joined.data].sort(), tags);

  const pushed = nextMessage(ws, 'big');
  const res = await server.api('POST', '/api/send/user/node-user', { event: 'big', data: BIG });
  assert.equal(res.data.delivered, 1);
  assert.equal((await pushed).data, BIG);
  ws.close();
});

test('Chromium: negotiated, a compressed broadcast and reply arrive intact', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.httpUrl}/client/wshub.d.ts`); // any page of the server's origin
    const url = `${server.wsUrl}?token=${mintToken('browser-user')}`;
    const opened = await page.evaluate((u) => new Promise((resolve, reject) => {
      const ws = new WebSocket(u);
      window.got = [];
      ws.onmessage = (e) => window.got.push(JSON.parse(e.data));
      ws.onerror = () => reject(new Error('websocket error'));
      ws.onopen = () => { window.ws = ws; resolve(ws.extensions); };
    }), url);
    assert.match(opened, /permessage-deflate/);
    await page.waitForFunction(() => window.got.some((m) => m.event === 'connected'));

    const res = await server.api('POST', '/api/send/all', { event: 'big', data: BIG });
    assert.ok(res.data.delivered >= 1);
    const big = await page.waitForFunction(() => window.got.find((m) => m.event === 'big'));
    assert.equal((await big.jsonValue()).data, BIG);

    // Three tags of 250 bytes (the most is 256): the last join's reply lists them all, over the threshold.
    const tags = ['x', 'y', 'z'].map((c) => c.repeat(250));
    await page.evaluate((ts) => ts.forEach((t, i) => window.ws.send(JSON.stringify({ event: 'join', data: { id: t }, seqno: `j${i}` }))), tags);
    const joined = await page.waitForFunction(() => window.got.find((m) => m.event === 'join' && m.seqno === 'j2'));
    assert.deepEqual([...(await joined.jsonValue()).data].sort(), tags);
  } finally {
    await context.close();
  }
});
