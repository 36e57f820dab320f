// Real headless Chromium against the real server: two users chat through /demo, an operator
// signs in to /admin, sees both, kicks one, and the kicked page says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, API_KEY, waitFor } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test-results');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 800 };

let server;
let browser;
const pageErrors = [];

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

async function newPage() {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()); });
  return page;
}

async function enterChat(name) {
  const page = await newPage();
  await page.goto(`${server.httpUrl}/demo`);
  await page.fill('#name', name);
  await page.click('#enter');
  await page.waitForSelector('#status.online');
  await page.waitForSelector('#rooms li[data-id="lobby"].active');
  return page;
}

const messageText = (page, from) => page.locator(`#messages .msg[data-from="${from}"] .text`);

test('two tabs chat in a room and privately; the admin kicks one of them', async () => {
  const alice = await enterChat('alice');
  const bob = await enterChat('bob');

  // Both appear in each other's online list (presence pushes or the chat/online answer).
  await alice.waitForSelector('#online li[data-id="bob"]');
  await bob.waitForSelector('#online li[data-id="alice"]');

  // Room message: alice -> lobby -> bob.
  await alice.fill('#text', 'hello from alice');
  await alice.press('#text', 'Enter');
  await messageText(bob, 'alice').filter({ hasText: 'hello from alice' }).waitFor();
  await messageText(alice, 'alice').filter({ hasText: 'hello from alice' }).waitFor();

  // A second room only bob is in: alice must not see it.
  await bob.fill('#room-input', 'random');
  await bob.click('#join-btn');
  await bob.waitForSelector('#rooms li[data-id="random"].active');
  await bob.fill('#text', 'only in random');
  await bob.press('#text', 'Enter');
  await messageText(bob, 'bob').filter({ hasText: 'only in random' }).waitFor();

  // Private message: bob -> alice, shown as an unread conversation until alice opens it.
  await bob.click('#online li[data-id="alice"]');
  await bob.fill('#text', 'psst, alice');
  await bob.press('#text', 'Enter');
  await alice.waitForSelector('#online li[data-id="bob"] .unread');
  await alice.click('#online li[data-id="bob"]');
  await messageText(alice, 'bob').filter({ hasText: 'psst, alice' }).waitFor();
  assert.equal(await alice.locator('#messages .msg.private').count(), 1);
  await alice.fill('#text', 'hi bob, got it');
  await alice.press('#text', 'Enter');
  await messageText(bob, 'alice').filter({ hasText: 'hi bob, got it' }).waitFor();
  await alice.click('#rooms li[data-id="lobby"]');
  assert.equal(await alice.locator('#rooms li[data-id="random"]').count(), 0);
  assert.equal(await alice.getByText('only in random').count(), 0);
  await bob.click('#rooms li[data-id="lobby"]');
  await bob.fill('#text', 'hi everyone, bob here');
  await bob.press('#text', 'Enter');
  await messageText(alice, 'bob').filter({ hasText: 'bob here' }).waitFor();
  await alice.screenshot({ path: path.join(RESULTS, 'demo-alice.png') });

  // The operator signs in and sees both users.
  const admin = await newPage();
  await admin.goto(`${server.httpUrl}/admin`);
  await admin.fill('#api-key', API_KEY);
  await admin.click('#login-form button[type=submit]');
  await admin.waitForSelector('#dashboard:not([hidden])');
  await admin.waitForFunction(() => document.querySelectorAll('#clients tbody tr').length >= 2);
  const rowOf = (user) => admin.locator('#clients tbody tr', { hasText: user });
  await rowOf('alice').waitFor();
  await rowOf('bob').waitFor();
  await admin.waitForSelector('#users li >> text=alice');
  await admin.waitForSelector('#tags li >> text=lobby');
  assert.equal(await admin.locator('#stat-connections').textContent(), '2');
  // Let one refresh pass so the rates show numbers, then keep the screenshot.
  await admin.waitForFunction(() => /\d/.test(document.getElementById('stat-in-rate').textContent));
  await admin.screenshot({ path: path.join(RESULTS, 'admin.png'), fullPage: true });

  // The operator sends to the lobby tag from the form; the demo shows it like a chat message.
  await admin.selectOption('#send-target', 'tag');
  await admin.fill('#send-to', 'lobby');
  await admin.fill('#send-event', 'chat/message');
  await admin.fill('#send-data', JSON.stringify({ from: 'operator', room: 'lobby', text: 'maintenance at noon', private: false, at: Date.now() }));
  await admin.click('#send-form button[type=submit]');
  await admin.waitForFunction(() => document.getElementById('send-result').textContent === 'delivered to 2 connections');
  await messageText(alice, 'operator').filter({ hasText: 'maintenance at noon' }).waitFor();

  // Filter by user: only bob's row remains.
  await admin.fill('#filters input[name=userId]', 'bob');
  await admin.click('#filters button[type=submit]');
  await admin.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#clients tbody tr')];
    return rows.length === 1 && rows[0].textContent.includes('bob');
  });

  // Kick bob.
  await rowOf('bob').locator('button.kick').click();
  await admin.fill('#kick-reason', 'please take a break');
  await admin.click('#kick-confirm');
  await bob.waitForSelector('#kicked-banner:not([hidden])');
  assert.match(await bob.locator('#kicked-banner').textContent(), /please take a break/);
  assert.match(await bob.locator('#status-text').textContent(), /kicked/);
  await bob.screenshot({ path: path.join(RESULTS, 'demo-bob-kicked.png') });

  // Bob stays out (no reconnect) and alice sees him leave.
  await alice.waitForSelector('#online li[data-id="bob"].offline');
  await admin.fill('#filters input[name=userId]', '');
  await admin.click('#filters button[type=submit]');
  await admin.waitForFunction(() => document.querySelectorAll('#clients tbody tr').length === 1);
  const stillOut = await waitFor(async () => {
    const r = await server.api('GET', '/api/clients?userId=bob');
    return r.data.total === 0 && r;
  });
  assert.equal(stillOut.data.total, 0);
  assert.equal(await bob.evaluate(() => document.getElementById('status').className), 'status kicked');

  // Reconnect on request brings bob back.
  await bob.click('#rejoin');
  await bob.waitForSelector('#status.online');
  await alice.waitForSelector('#online li[data-id="bob"]:not(.offline)');

  assert.deepEqual(pageErrors, []);
});

test('the admin page refuses a wrong API key', async () => {
  const admin = await newPage();
  await admin.goto(`${server.httpUrl}/admin`);
  await admin.fill('#api-key', 'wrong-key');
  await admin.click('#login-form button[type=submit]');
  await admin.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
  assert.equal(await admin.locator('#dashboard').isHidden(), true);
  assert.equal(await admin.evaluate(() => sessionStorage.getItem('wshub.apiKey')), null);
});

test('the server serves the client module at /client/wshub.js', async () => {
  const page = await newPage();
  await page.goto(`${server.httpUrl}/demo`);
  const exported = await page.evaluate(async () => Object.keys(await import('/client/wshub.js')).sort());
  assert.ok(exported.includes('connect') && exported.includes('WsHubClient'), exported.join(','));
});

test('demo: a conversation keeps its last 500 messages and appends new ones without redrawing', async () => {
  const errorsBefore = pageErrors.length;
  const carol = await enterChat('carol');
  const push = (text) => server.api('POST', '/api/send/user/carol',
    { event: 'chat/message', data: { from: 'op', room: 'lobby', text, private: false, at: Date.now() } });
  await push('first');
  await messageText(carol, 'op').filter({ hasText: 'first' }).waitFor();
  await carol.evaluate(() => { document.querySelector('#messages .msg[data-from="op"]').id = 'kept-node'; });
  await push('second');
  await messageText(carol, 'op').filter({ hasText: 'second' }).waitFor();
  assert.equal(await carol.evaluate(() => !!document.getElementById('kept-node')), true, 'earlier message node was not redrawn');

  for (let i = 0; i < 520; i++) await push(`m${i}`);
  await messageText(carol, 'op').filter({ hasText: /^m519$/ }).waitFor();
  const shown = await carol.evaluate(() => [...document.querySelectorAll('#messages > li')].map((li) => li.textContent));
  assert.equal(shown.length, 500);
  // The oldest messages are gone. Sends made one after another over separate HTTP requests may
  // swap with a neighbour on the way (no order is promised across senders), so the check stays
  // clear of the exact boundary.
  for (const gone of ['first', 'second', 'm0', 'm1', 'm10', 'm15']) {
    assert.ok(!shown.some((t) => t.endsWith(gone)), `${gone} was dropped`);
  }
  // Switching away and back redraws from the kept messages: still 500.
  await carol.click('#online li[data-id="carol"]');
  await carol.click('#rooms li[data-id="lobby"]');
  assert.equal(await carol.locator('#messages > li').count(), 500);
  assert.deepEqual(pageErrors.slice(errorsBefore), []);
});

test('admin: polls never overlap, even when the server answers slower than the poll interval', async () => {
  const admin = await newPage();
  let inFlight = 0;
  let maxInFlight = 0;
  let served = 0;
  await admin.route('**/api/stats', async (route) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 2500)); // a slow server: longer than the 2 s poll
    await route.continue();
    inFlight -= 1;
    served += 1;
  });
  await admin.goto(`${server.httpUrl}/admin`);
  await admin.fill('#api-key', API_KEY);
  await admin.click('#login-form button[type=submit]');
  await waitFor(() => served >= 3, { timeout: 30000, what: '3 polls' });
  assert.equal(maxInFlight, 1, 'a poll started while another was in flight');
  await admin.close();
});
