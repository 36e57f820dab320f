// Test helpers: run the real wshub server jar as a child process, mint JWTs, call the HTTP API.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.WSHUB_JAR || path.resolve(here, '../../../wshub-server/target/wshub.jar');
export const SECRET = 'js-client-test-secret-0123456789abcdef';
export const API_KEY = 'js-test-key';

const running = new Set();
function killAll() { for (const p of running) { try { p.kill('SIGKILL'); } catch { /* gone */ } } }
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

/** A port that was free a moment ago (for tests that restart a server on the same port). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * Starts `java -jar wshub.jar` and resolves once it printed its ready line.
 * Options: port (default 0), codec, auth (default 'optional'), demo (default true), extraArgs.
 */
export async function startServer({ port = 0, codec, auth = 'optional', demo = true, extraArgs = [] } = {}) {
  if (!existsSync(JAR)) throw new Error(`server jar missing at ${JAR}: run mvn -DskipTests install first`);
  const args = ['-Xmx256m', '-jar', JAR, '--host', '127.0.0.1', '--port', String(port),
    '--jwt-secret', SECRET, '--api-key', API_KEY, '--auth', auth, '--demo', String(demo), ...extraArgs];
  if (codec) args.push('--codec', codec);
  const proc = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let log = '';
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => {
    running.delete(proc);
    resolve({ code, signal });
  }));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 30 s; output:\n${log}`)), 30000);
    const onData = (chunk) => {
      log += chunk;
      const m = /^wshub listening on (http:\/\/[^\s:]+:(\d+))\s+ws=(\S+)\s+apiKey=(\S+)(?:\s+sampleToken=(\S+))?/m.exec(log);
      if (m) { clearTimeout(timer); resolve({ httpUrl: m[1], port: Number(m[2]), wsPath: m[3], sampleToken: m[5] }); }
    };
    proc.stdout.setEncoding('utf8').on('data', onData);
    proc.stderr.setEncoding('utf8').on('data', (c) => { log += c; });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code} before ready:\n${log}`)); });
  });
  // Keep draining output so the child never blocks on a full pipe.
  proc.stdout.removeAllListeners('data');
  proc.stdout.on('data', (c) => { log = (log + c).slice(-20000); });
  return {
    ...ready,
    proc,
    wsUrl: `ws://127.0.0.1:${ready.port}${ready.wsPath}`,
    log: () => log,
    api: (method, p, body) => api(ready.httpUrl, method, p, body),
    /** SIGKILL and wait for the exit, so the port is free again. */
    async kill() { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); await exited; },
    /** SIGTERM (graceful drain) and wait for the exit. */
    async stop() { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); return exited; },
    exited,
  };
}

/** Calls the HTTP API with the test API key; resolves with the parsed JSON body (and status). */
export async function api(baseUrl, method, p, body) {
  const res = await fetch(baseUrl + p, {
    method,
    headers: { 'X-API-Key': API_KEY, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, ...json };
}

/** An HS256 JWT for `sub`, valid for `ttlSeconds`. */
export function mintToken(sub, { ttlSeconds = 3600, secret = SECRET, extra = {} } = {}) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iat: now, exp: now + ttlSeconds, ...extra })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Polls `check` until it returns a truthy value (which is returned) or the timeout passes. */
export async function waitFor(check, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await check(); } catch (err) { last = err; }
    if (last && !(last instanceof Error)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last && (last.stack || JSON.stringify(last))}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Resolves with the arguments of the next `event` from a client, or rejects after `timeout` ms. */
export function nextEvent(client, event, timeout = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no '${event}' event within ${timeout} ms`)); }, timeout);
    const off = client.on(event, (...args) => { clearTimeout(timer); off(); resolve(args); });
  });
}

/** Records every event of the given names with a timestamp. */
export function record(client, events) {
  const seen = [];
  for (const e of events) client.on(e, (...args) => seen.push({ event: e, at: Date.now(), args }));
  return seen;
}
