// The dashboard's live views in real headless Chromium: the charts fill with samples, the event
// log shows a client's connect, join and kick (with its close code) as they happen and filters
// by user, and the labelled send form reaches the client. Screenshots go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { startServer, API_KEY, mintToken } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.kill();
});

function client(user) {
  const ws = new WebSocket(`${server.wsUrl}?token=${mintToken(user)}`);
  const seen = [];
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (m) => seen.push(JSON.parse(String(m))));
  const until = async (pred) => { while (!seen.some(pred)) await new Promise((r) => setTimeout(r, 25)); return seen.find(pred); };
  return { ws, seen, closed, until };
}

test('charts, the live event log with its filter, and the labelled send form', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.httpUrl}/admin`);
  await page.fill('#api-key', API_KEY);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#dashboard:not([hidden])');

  const eve = client('eve');
  await eve.until((m) => m.event === 'connected');
  eve.ws.send(JSON.stringify({ event: 'join', data: { id: 'night-shift' }, seqno: '1' }));
  await eve.until((m) => m.event === 'join');
  const bob = client('bob');
  await bob.until((m) => m.event === 'connected');

  await page.waitForSelector('#events li[data-kind="join"]:has-text("night-shift")');
  await page.waitForSelector('#events li[data-kind="connect"]:has-text("eve")');
  // two samples make a line: connections (and the rates after them)
  await page.waitForFunction(() => Number(document.getElementById('chart-connections').dataset.samples) >= 2
    && Number(document.getElementById('chart-in').dataset.samples) >= 1);
  assert.equal(await page.locator('#chart-connections polyline').count(), 1);

  // the labelled send form: every field has a label, the default event is the demo's "notice"
  for (const id of ['send-target', 'send-to', 'send-event', 'send-data']) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `label for ${id}`);
  }
  assert.equal(await page.inputValue('#send-event'), 'notice');
  await page.selectOption('#send-target', 'user');
  await page.fill('#send-to', 'eve');
  await page.fill('#send-data', '{"text":"hello eve"}');
  await page.click('#send-form button[type=submit]');
  assert.equal((await eve.until((m) => m.event === 'notice')).data.text, 'hello eve');

  await server.api('POST', '/api/users/eve/kick', { reason: 'end of shift' });
  assert.equal(await eve.closed, 4000);
  const kick = page.locator('#events li[data-kind="kick"]').filter({ hasText: 'eve' });
  await kick.waitFor();
  assert.match(await kick.innerText(), /4000/);
  assert.match(await kick.innerText(), /end of shift/);

  await page.fill('#events-filter', 'bob');
  await page.waitForFunction(() => [...document.querySelectorAll('#events li')].every((li) => li.textContent.includes('bob')));
  assert.ok(await page.locator('#events li').count() >= 1);
  await page.screenshot({ path: path.join(RESULTS, 'admin-live.png'), fullPage: true });
  await page.fill('#events-filter', '');

  bob.ws.close();
  assert.deepEqual(errors, []);
  await context.close();
});
