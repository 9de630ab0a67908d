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

test('the binding offers every function of the header', () => {
  const source = stripComments(fs.readFileSync(path.join(__dirname, '..', 'index.js'), 'utf8'));
  const asOption = new Set([...CONFIG_SETTERS.map((s) => s.setter), ...CONVENIENCE_SETTERS]);
  const unused = Object.keys(header.functions).filter((name) => !asOption.has(name) && !source.includes(`C.${name}(`));
  assert.deepEqual(unused, [], 'functions of include/eiam.h that index.js never calls');
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
