// permessage-deflate on and off, side by side: server CPU per delivered broadcast message, bytes
// on the wire per delivery, and server memory per connection. Needs the server jar and the JS
// client's node_modules (ws):
//
//   node bench/deflate/deflate.mjs [connections] [messages]     (defaults 1500 and 40)
//
// and writes docs/benchmarks-deflate.md (no figure there is typed in by hand). bench/run.sh runs
// it as its "deflate" phase with DEFLATE_SERVER_CPU (the server pinned to that core with taskset),
// DEFLATE_JSONL (each row appended there as one JSON line) and DEFLATE_DOC (where the page goes).
//
// Each run starts the jar with a fixed, pre-touched heap, connects the clients (each sends one
// compressed message, so the server holds whatever inflater state it keeps), broadcasts a 1 KB
// notification-like JSON message `messages` times through the HTTP API, one after another, and
// waits until every client has every message.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'clients/js/package.json'));
const WebSocket = require('ws');
const JAR = path.join(root, 'wshub-server/target/wshub.jar');
const KEY = 'deflate-bench-key';
const SECRET = 'deflate-bench-secret-0123456789abcdef';
const CONNS = Number(process.argv[2] || 1500);
const MESSAGES = Number(process.argv[3] || 40);
const TICK_MS = 10; // /proc/<pid>/stat counts CPU in clock ticks of 10 ms (CLK_TCK 100)

function message(i) {
  return {
    event: 'notice',
    data: {
      id: `n-${i}`, kind: 'order-update', createdAt: 1763760000 + i,
      title: `Your order #${100000 + i} has shipped`,
      body: 'The parcel left our warehouse and is on its way. Track it with the link below; delivery usually takes two to three working days.',
      items: Array.from({ length: 6 }, (_, k) => ({ sku: `SKU-${1000 + k}`, name: `Item number ${k}`, qty: 1 + (k % 3), price: 9.99 + k })),
      links: { track: `https://shop.example.com/orders/${100000 + i}/track`, help: 'https://shop.example.com/help/shipping' },
    },
  };
}

const cpuTicks = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SERVER_CPU = process.env.DEFLATE_SERVER_CPU;
const JSONL = process.env.DEFLATE_JSONL;
const DOC = process.env.DEFLATE_DOC || path.join(root, 'docs/benchmarks-deflate.md');

async function run(compression) {
  const java = ['java', '-Xms512m', '-Xmx512m', '-XX:+AlwaysPreTouch', '-XX:+UseParallelGC', '-Dio.netty.leakDetection.level=disabled',
    '-jar', JAR, '--host', '127.0.0.1', '--port', '0', '--jwt-secret', SECRET, '--api-key', KEY, '--auth', 'off',
    '--compression', String(compression)];
  const command = SERVER_CPU !== undefined ? ['taskset', '-c', SERVER_CPU, ...java] : java;
  const proc = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => {
    let out = '';
    proc.stdout.on('data', (c) => { out += c; const m = /listening on http:\/\/[^:]+:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
  });
  await sleep(1000);
  const rssBefore = rssKiB(proc.pid);
  const clients = [];
  let received = 0;
  for (let i = 0; i < CONNS; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: compression ? { threshold: 0 } : false });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    ws.on('message', (m) => { if (String(m).includes('"notice"')) received++; });
    ws.send(JSON.stringify({ event: 'join', data: { id: `room-${i % 10}-${'r'.repeat(200)}` } }));
    clients.push(ws);
  }
  await sleep(2000);
  const rssConnected = rssKiB(proc.pid);
  const bytesBefore = clients.reduce((n, ws) => n + ws._socket.bytesRead, 0);
  const cpuBefore = cpuTicks(proc.pid);
  const started = Date.now();
  for (let i = 0; i < MESSAGES; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/send/all`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: JSON.stringify(message(i)) });
    await res.text();
  }
  while (received < CONNS * MESSAGES) await sleep(20);
  const elapsed = Date.now() - started;
  const cpuMs = (cpuTicks(proc.pid) - cpuBefore) * TICK_MS;
  const bytes = clients.reduce((n, ws) => n + ws._socket.bytesRead, 0) - bytesBefore;
  const deliveries = CONNS * MESSAGES;
  for (const ws of clients) ws.terminate();
  proc.kill('SIGKILL');
  return {
    compression, connections: CONNS, messages: MESSAGES, deliveries,
    payloadBytes: JSON.stringify({ event: 'notice', code: 0, ...message(0) }).length,
    cpuMicrosPerDelivery: +(cpuMs * 1000 / deliveries).toFixed(2),
    wireBytesPerDelivery: +(bytes / deliveries).toFixed(1),
    rssKiBPerConnection: +((rssConnected - rssBefore) / CONNS).toFixed(1),
    seconds: +(elapsed / 1000).toFixed(1),
  };
}

const rows = [await run(false), await run(true)];
const table = ['| permessage-deflate | server CPU per delivery | bytes on the wire per delivery | server RSS per connection | time |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.compression ? 'on' : 'off'} | ${r.cpuMicrosPerDelivery} µs | ${r.wireBytesPerDelivery} B | ${r.rssKiBPerConnection} KiB | ${r.seconds} s |`)];
const doc = `# Experiment: permessage-deflate

Written by \`node bench/deflate/deflate.mjs ${CONNS} ${MESSAGES}\` on ${new Date().toISOString().slice(0, 10)}
(${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, load average ${os.loadavg()[0].toFixed(1)} at the end; the clients,
Node \`ws\` in one process, share the machine with the server).

${CONNS} connections; each sends one compressed message (so the server holds the inflater a
browser connection costs), then ${MESSAGES} broadcasts of a ${rows[0].payloadBytes}-byte
notification-like JSON message go out through \`POST /api/send/all\`, one after another. Server
CPU is the server process's user + system time over the broadcasts divided by the deliveries;
bytes on the wire are what the clients' sockets read; memory is the server's RSS growth while
connecting (the heap is fixed and pre-touched), per connection.

${table.join('\n')}

Reading: compression halves the bytes of such a message on the wire. On the server it adds
one deflate per broadcast, shared by every connection (\`server_no_context_takeover\`,
docs/protocol.md §1.9); the CPU-per-delivery column moves with the load of this shared machine
more than with that (compare runs, and the load average above). Each connection whose client
keeps its compression context (browsers do) holds an inflater on the server, up to about
40 KiB (zlib's 32 KiB window and its state); one run's RSS column does not show it reliably
(the pages are touched when used, and RSS is sampled once), so compare runs. That memory, on a hub whose main cost is connections, is
why compression is **off by default**: turn it on (\`--compression\`) where bandwidth costs more
than memory (mobile clients, large JSON).
`;
writeFileSync(DOC, doc);
if (JSONL) {
  appendFileSync(JSONL, rows.map((r) => JSON.stringify({ server: `wshub-deflate-${r.compression ? 'on' : 'off'}`, scenario: 'deflate', ...r })).join('\n') + '\n');
}
console.log(JSON.stringify(rows, null, 1));
console.log(table.join('\n'));
process.exit(0);
