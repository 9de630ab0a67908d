'use strict';
// The `@example` of every call in index.d.ts (written from docs/calls.toml
// by scripts/call-docs.py) runs as an async function of `client` (a Client
// of a fresh mock) and `assert`, as a reader would paste it.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { Client } = require('..');
const { startMock } = require('../testutil/mock');

const AsyncFunction = (async () => {}).constructor;

/** [method, code] of each documented example of the Client class. */
function examples() {
  const types = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const body = types.slice(types.indexOf('export declare class Client'));
  const found = [];
  for (const m of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*\n\s*(\w+)\(/g)) {
    const lines = m[1].split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    const at = lines.findIndex((line) => line.trim() === '@example');
    if (at >= 0) found.push([m[2], lines.slice(at + 1).join('\n').trim()]);
  }
  return found;
}

const found = examples();

test('the calls have examples', () => {
  assert.ok(found.length >= 19, `only ${found.length} examples found`);
});

for (const [method, code] of found) {
  test(`the example of ${method} runs against the mock`, async () => {
    const mock = await startMock();
    const client = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
    try {
      await new AsyncFunction('client', 'assert', code)(client, assert);
    } finally {
      client.close();
      await mock.stop();
    }
  });
}
