// The README's browser snippet run by real headless Chromium from a page on another origin and
// from a page on disk (Origin: null): the JS client imports across origins, the WebSocket
// connects when --allowed-origins lets the page in, and the HTTP API answers a cross-origin
// admin page (preflight included) only when --cors-origins lists it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, API_KEY, mintToken } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server;
let browser;
let site;         // another origin: a plain HTTP server that only serves the page
let siteOrigin;
let tmp;

/** The README snippet, pointed at the hub, reporting to window.result. */
function snippetPage(hubUrl, token) {
  const ws = hubUrl.replace('http:', 'ws:') + '/ws';
  return `<!doctype html><meta charset="utf-8"><title>snippet</title>
<script type="module">
  window.result = { steps: [] };
  try {
    const { connect } = await import('${hubUrl}/client/wshub.js');
    window.result.steps.push('imported');
    const hub = connect('${ws}', { token: '${token}' });
    await hub.join('room-1');
    window.result.steps.push('joined');
    const pong = await hub.request('ping', null, { timeout: 5000 });
    window.result.steps.push('ping:' + JSON.stringify(pong));
    hub.close();
  } catch (err) {
    window.result.error = String(err && err.message || err);
  }
  try {
    const res = await fetch('${hubUrl}/api/stats', { headers: { 'X-API-Key': '${API_KEY}' } });
    window.result.api = res.status + ':' + (await res.json()).code;
  } catch (err) {
    window.result.api = 'blocked';
  }
  window.result.done = true;
</script>`;
}

async function runPage(url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.result && window.result.done, null, { timeout: 20000 });
    return await page.evaluate(() => window.result);
  } finally {
    await context.close();
  }
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  site = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(snippetPage(server.httpUrl, mintToken('cross')));
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  // "localhost" is another origin than the hub's 127.0.0.1 and than the site's port alone
  siteOrigin = `http://localhost:${site.address().port}`;
  server = await startServer({ extraArgs: ['--allowed-origins', `${siteOrigin},null`, '--cors-origins', siteOrigin] });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'wshub-cors-'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.kill();
  if (site) site.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the README snippet works from another origin, and the API answers it when --cors-origins lists it', async () => {
  const result = await runPage(`${siteOrigin}/`);
  assert.equal(result.error, undefined);
  assert.deepEqual(result.steps.slice(0, 2), ['imported', 'joined']);
  assert.match(result.steps[2], /^ping:/);
  assert.equal(result.api, '200:0', 'preflighted API call from a listed origin');
});

test('the README snippet works from a page on disk; the API stays closed to it', async () => {
  const file = path.join(tmp, 'snippet.html');
  writeFileSync(file, snippetPage(server.httpUrl, mintToken('disk')));
  const result = await runPage(pathToFileURL(file).href);
  assert.equal(result.error, undefined);
  assert.deepEqual(result.steps.slice(0, 2), ['imported', 'joined']);
  assert.equal(result.api, 'blocked', 'origin null is not in --cors-origins');
});

test('static files carry Access-Control-Allow-Origin: *; the API answers preflights of listed origins only', async () => {
  const js = await fetch(`${server.httpUrl}/client/wshub.d.ts`, { headers: { Origin: 'https://elsewhere.example' } });
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('access-control-allow-origin'), '*');

  const preflight = (origin) => fetch(`${server.httpUrl}/api/send/all`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-api-key, content-type' },
  });
  const ok = await preflight(siteOrigin);
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), siteOrigin);
  assert.match(ok.headers.get('access-control-allow-headers'), /X-API-Key/);
  const other = await preflight('https://elsewhere.example');
  assert.equal(other.status, 401, 'an unlisted origin gets no preflight, only the keyless 401');
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
