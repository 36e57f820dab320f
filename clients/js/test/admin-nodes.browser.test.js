// The dashboard's Nodes view in real headless Chromium, against two real server jars sharing a
// real redis-server: the table lists both nodes with each one's own connection count, marks the
// node the dashboard talks to, and drops a node that stops.
// Screenshot: test-results/admin-nodes.png (docs/admin-nodes.png is a copy of one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startServer, freePort, mintToken, waitFor, API_KEY } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let redis;
let a;
let b;
let browser;
const clients = [];

/** A redis-server on a free loopback port, without persistence; resolves once it accepts. */
async function startRedis() {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  await waitFor(() => out.includes('Ready to accept connections'), { timeout: 10000, what: 'redis-server ready' });
  return { url: `redis://127.0.0.1:${port}`, kill: () => proc.kill('SIGKILL') };
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(RESULTS, { recursive: true });
  redis = await startRedis();
  a = await startServer({ extraArgs: ['--redis-url', redis.url, '--node-id', 'node-a'] });
  b = await startServer({ extraArgs: ['--redis-url', redis.url, '--node-id', 'node-b'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
  for (const c of clients) c.close();
  if (browser) await browser.close();
  if (a) await a.kill();
  if (b) await b.kill();
  if (redis) redis.kill();
});

/** A raw WebSocket of {@code user} on {@code server}; resolves once the server said connected. */
function connect(server, user) {
  const ws = new WebSocket(`${server.wsUrl}?token=${mintToken(user)}`);
  ws.on('error', () => {}); // node-b's clients see their server stop
  clients.push(ws);
  return new Promise((resolve, reject) => {
    ws.on('message', (raw) => { if (JSON.parse(raw.toString()).event === 'connected') resolve(ws); });
    ws.on('close', () => reject(new Error(`${user} closed before connected`)));
  });
}

test('nodes view: both nodes with their own connection counts, then the stopped one leaves', async () => {
  await connect(a, 'ann');
  for (const user of ['bob', 'bob', 'bea']) await connect(b, user);

  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${a.httpUrl}/admin`);
  await page.fill('#api-key', API_KEY);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#dashboard:not([hidden])');

  const cells = (node) => page.locator(`#nodes tbody tr[data-node="${node}"] td`).allTextContents();
  await page.waitForFunction(() => {
    const b = document.querySelector('#nodes tbody tr[data-node="node-b"] td:nth-child(2)');
    return b && b.textContent === '3';
  }, null, { timeout: 15000 });
  const rowA = await cells('node-a');
  const rowB = await cells('node-b');
  assert.equal(rowA[0], 'node-a (this node)');
  assert.equal(rowA[1], '1');
  assert.equal(rowA[2], '1');
  assert.equal(rowB[0], 'node-b');
  assert.equal(rowB[1], '3');
  assert.equal(rowB[2], '2');
  assert.equal(await page.textContent('#nodes-mode'), 'cluster of 2 nodes');
  await page.locator('#nodes-card').screenshot({ path: path.join(RESULTS, 'admin-nodes.png') });

  for (const ws of clients.slice(1)) ws.close(); // node-b's
  await b.stop(); // a graceful stop: its presence goes at once
  await page.waitForFunction(() => !document.querySelector('#nodes tbody tr[data-node="node-b"]'), null, { timeout: 15000 });
  assert.equal(await page.locator('#nodes tbody tr').count(), 1);
  assert.equal(await page.textContent('#nodes-mode'), 'single node');
  b = null;

  assert.deepEqual(errors, []);
  await context.close();
});
