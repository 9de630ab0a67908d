'use strict';
// Assertions shared by the test files.

const assert = require('node:assert/strict');
const { EiamError } = require('..');

/** Runs fn, which must throw or return a Promise that rejects; returns what it threw. */
async function thrown(fn) {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail, and it succeeded');
}

/** Every item of an async iterable, in order. */
async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/**
 * `caught` must be an EiamError whose fields equal `expected` (a field
 * given as a RegExp is matched instead).
 */
function checkEiamError(caught, expected = {}) {
  assert.ok(caught instanceof EiamError, `expected an EiamError, got ${caught && caught.stack}`);
  assert.equal(caught.name, 'EiamError');
  assert.equal(typeof caught.message, 'string');
  assert.ok(caught.message.length > 0);
  for (const [k, v] of Object.entries(expected)) {
    if (v instanceof RegExp) assert.match(caught[k], v, `error.${k}`);
    else assert.deepEqual(caught[k], v, `error.${k}`);
  }
  return caught;
}

/** `caught` must be a TypeError whose message matches `message`. */
function checkTypeError(caught, message) {
  assert.ok(caught instanceof TypeError, `expected a TypeError, got ${caught && caught.stack}`);
  assert.match(caught.message, message);
  return caught;
}

const expectEiamError = async (fn, expected) => checkEiamError(await thrown(fn), expected);
const expectTypeError = async (fn, message) => checkTypeError(await thrown(fn), message);

module.exports = { thrown, collect, checkEiamError, checkTypeError, expectEiamError, expectTypeError };
