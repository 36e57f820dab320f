// Makes docs/admin-dashboard.png: a server with some activity for half a minute, then the dashboard.
// Run from clients/js after npm ci and a jar build: node scripts/admin-screenshot.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startServer, API_KEY, mintToken } from '../test/helpers.js';

const server = await startServer();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
await page.goto(`${server.httpUrl}/admin`);
await page.fill('#api-key', API_KEY);
await page.click('#login-form button[type=submit]');
await page.waitForSelector('#dashboard:not([hidden])');
const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const sockets = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let round = 0; round < 16; round++) {
  if (round < users.length) {
    const ws = new WebSocket(`${server.wsUrl}?token=${mintToken(users[round])}`);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ event: 'join', data: { id: round % 2 ? 'support' : 'sales' } }));
    sockets.push(ws);
  }
  for (let i = 0; i < 3 + (round % 5) * 4; i++) {
    for (const ws of sockets) ws.send(JSON.stringify({ event: 'ping' }));
  }
  await server.api('POST', '/api/send/tag/sales', { event: 'notice', data: { text: `update ${round}` } });
  if (round === 10) await server.api('POST', '/api/users/frank/kick', { reason: 'spamming the room' });
  await sleep(2000);
}
await page.screenshot({ path: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/admin-dashboard.png'), fullPage: true });
for (const ws of sockets) ws.close();
await browser.close();
await server.kill();
process.exit(0);
