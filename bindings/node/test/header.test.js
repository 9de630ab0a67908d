'use strict';
// The binding follows include/eiam.h: header.json (from which ffi.js declares
// every type and function) is what tools/header.js makes of the header
// today, the binding offers every function of it, and index.d.ts describes
// the statuses and options the binding actually has.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { render, parseHeader, HEADER, OUTPUT, REGENERATE } = require('../tools/header');
const { C, Status, CONFIG_SETTERS, CONVENIENCE_SETTERS } = require('../ffi');

const header = parseHeader(fs.readFileSync(HEADER, 'utf8'));
const stripComments = (src) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

test('header.json is generated from the current include/eiam.h', () => {
  const fresh = render(fs.readFileSync(HEADER, 'utf8'));
  const committed = fs.readFileSync(OUTPUT, 'utf8');
  assert.ok(committed === fresh, `bindings/node/header.json is stale: run \`${REGENERATE}\` and commit it`);
});

test('every function of the header is declared, with the header signature', () => {
  assert.deepEqual(Object.keys(C).sort(), Object.keys(header.functions).sort());
  for (const [name, fn] of Object.entries(header.functions)) {
    const info = C[name].info;
    assert.equal(info.name, name);
    assert.equal(info.arguments.length, fn.params.length, `${name}: parameter count`);
  }
});

/** header-parity-exempt.txt: the functions left out on purpose, each with its reason. */
function exempt() {
  const text = fs.readFileSync(path.join(__dirname, '..', 'header-parity-exempt.txt'), 'utf8');
  const out = new Map();
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const [name, why] = line.split('#').map((s) => s.trim());
    assert.ok(why, `header-parity-exempt.txt: ${name} has no reason`);
    out.set(name, why);
  }
  return out;
}

test('the binding offers every function of the header, or says why not', () => {
  const source = ['index.js', 'calls.js']
    .map((f) => stripComments(fs.readFileSync(path.join(__dirname, '..', f), 'utf8')))
    .join('\n');
  const asOption = new Set([...CONFIG_SETTERS.map((s) => s.setter), ...CONVENIENCE_SETTERS]);
  const skipped = exempt();
  for (const name of skipped.keys()) assert.ok(name in header.functions, `exempts ${name}, which the header does not have`);
  const unused = Object.keys(header.functions).filter(
    (name) => !asOption.has(name) && !skipped.has(name) && !source.includes(`C.${name}(`),
  );
  assert.deepEqual(unused, [], 'functions of include/eiam.h that index.js and calls.js never call');
});

/** The member names of `declare const Status` / `interface ClientOptions` in index.d.ts. */
function dtsMembers(dts, opening) {
  const at = dts.indexOf(opening);
  assert.ok(at >= 0, `index.d.ts has no "${opening}"`);
  const body = dts.slice(at + opening.length, dts.indexOf('}', at));
  return [...stripComments(body).matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\??:/gm)].map((m) => m[1]);
}

test('index.d.ts lists the statuses and options the binding has', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  assert.deepEqual(dtsMembers(dts, 'export declare const Status: Readonly<{'), Object.keys(Status));
  for (const [name, value] of Object.entries(Status)) assert.match(dts, new RegExp(`\\b${name}: ${value};`));
  const options = CONFIG_SETTERS.flatMap((s) => s.options.map(([name]) => name));
  assert.deepEqual(dtsMembers(dts, 'export interface ClientOptions {').sort(), options.sort());
});

test('index.d.ts declares every Client method as async, and client.sync as blocking', () => {
  const { Client } = require('..');
  const dts = stripComments(fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8'));
  const body = (opening) => dts.slice(dts.indexOf(opening), dts.indexOf('\n}', dts.indexOf(opening)));
  const client = body('export declare class Client {');
  const sync = body('export interface SyncCalls {');
  const methods = (proto) =>
    Object.getOwnPropertyNames(proto).filter((m) => m !== 'constructor' && !m.startsWith('_') && typeof proto[m] === 'function');
  for (const m of methods(Client.prototype)) {
    if (m === 'close') continue;
    const decl = new RegExp(`\\n\\s*${m}\\([^\\n]*\\): (Promise|AsyncGenerator)<`);
    assert.match(client, decl, `Client.${m} in index.d.ts`);
  }
  const syncProto = Object.getPrototypeOf(new Client({ baseUrl: 'http://127.0.0.1:9', accessToken: 't' }).sync);
  for (const m of methods(syncProto)) {
    assert.match(sync, new RegExp(`\\n\\s*${m}\\(`), `SyncCalls.${m} in index.d.ts`);
    assert.doesNotMatch(sync, new RegExp(`\\n\\s*${m}\\([^\\n]*\\): Promise<`), `SyncCalls.${m} blocks`);
  }
});
