// wshub.d.ts declares exactly what wshub.js exports, and every public method of the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as wshub from '../wshub.js';

const dts = readFileSync(new URL('../wshub.d.ts', import.meta.url), 'utf8');

test('every export of wshub.js is declared in wshub.d.ts and vice versa', () => {
  const declared = [...dts.matchAll(/^export declare (?:const|class|function) (\w+)/gm)].map((m) => m[1]);
  const exported = Object.keys(wshub).filter((k) => k !== 'default');
  assert.deepEqual([...declared].sort(), [...exported].sort());
  assert.deepEqual(Object.keys(wshub.default).sort(), [...exported].sort());
});

test('every public method of WsHubClient is declared', () => {
  const methods = Object.getOwnPropertyNames(wshub.WsHubClient.prototype)
    .filter((m) => m !== 'constructor' && !m.startsWith('_'));
  const body = dts.slice(dts.indexOf('export declare class WsHubClient'));
  const classBody = body.slice(0, body.indexOf('\n}\n'));
  for (const m of methods) assert.match(classBody, new RegExp(`\\b${m}\\b`), `${m} missing from wshub.d.ts`);
});
