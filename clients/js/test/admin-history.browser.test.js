// The dashboard's history view in real headless Chromium, against a server with a history rule:
// a tag's stream shows its position (offset, epoch) and kept messages, "after offset" pages from
// there, a target no rule covers says so, and dropping the stream starts a new epoch.
// Screenshot: test-results/admin-history.png (docs/admin-history.png is a copy of one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, API_KEY } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server;
let browser;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(RESULTS, { recursive: true });
  server = await startServer({ extraArgs: ['--history', 'room:*=100/300'] });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.kill();
});

test('history view: position, kept messages, paging by offset, no rule, drop', async () => {
  const sent = [];
  for (const text of ['first', 'second', 'third']) {
    const r = await server.api('POST', '/api/send/tag/room:1', { event: 'room/message', data: { text } });
    assert.equal(r.code, 0);
    sent.push(r.data);
  }
  assert.deepEqual(sent.map((s) => s.offset), [1, 2, 3]);
  const epoch = sent[0].epoch;

  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => d.accept()); // the drop's confirmation
  await page.goto(`${server.httpUrl}/admin`);
  await page.fill('#api-key', API_KEY);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#dashboard:not([hidden])');

  for (const id of ['history-kind', 'history-id', 'history-since']) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `label for ${id}`);
  }
  await page.selectOption('#history-kind', 'tag');
  await page.fill('#history-id', 'room:1');
  await page.click('#history-form button[type=submit]');
  await page.waitForSelector('#history tbody tr[data-offset="3"]');
  assert.equal(await page.locator('#history tbody tr').count(), 3);
  assert.equal(await page.textContent('#history-offset'), '3');
  assert.equal(await page.textContent('#history-epoch'), epoch);
  assert.match(await page.textContent('#history tbody tr[data-offset="1"]'), /room\/message.*"text":"first"/);
  await page.locator('#history-card').screenshot({ path: path.join(RESULTS, 'admin-history.png') });

  await page.fill('#history-since', '2');
  await page.click('#history-form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#history tbody tr').length === 1);
  assert.match(await page.textContent('#history tbody tr'), /third/);

  await page.fill('#history-id', 'lobby'); // no rule covers it
  await page.click('#history-form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('history-position').textContent.includes('no --history rule'));
  assert.equal(await page.locator('#history tbody tr').count(), 0);
  assert.ok(await page.isDisabled('#history-drop'));

  await page.fill('#history-id', 'room:1');
  await page.fill('#history-since', '0');
  await page.click('#history-form button[type=submit]');
  await page.waitForSelector('#history tbody tr[data-offset="3"]');
  await page.click('#history-drop');
  await page.waitForFunction((old) => {
    const e = document.getElementById('history-epoch');
    return e && e.textContent !== old;
  }, epoch);
  assert.equal(await page.textContent('#history-offset'), '0');
  assert.equal(await page.locator('#history tbody tr').count(), 0);
  const fresh = await server.api('GET', '/api/history/tag/room:1');
  assert.equal(fresh.data.epoch, await page.textContent('#history-epoch'));

  assert.deepEqual(errors, []);
  await context.close();
});
