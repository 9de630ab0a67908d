'use strict';
// Bad input to every string argument, every option and every item field:
// what C cannot carry (an embedded NUL, a lone surrogate) and values of the
// wrong type are refused by the binding, naming the argument, before anything
// reaches the library or the server. The library's own value checks (empty
// ids, control characters, lengths) are the core's and tested there.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { Client } = require('..');
const { startMock } = require('../testutil/mock');
const { thrown, checkEiamError, checkTypeError, expectEiamError, expectTypeError } = require('../testutil/assert');

let mock;
let authed; // holds its token, so a case counts only the requests it caused

before(async () => {
  mock = await startMock();
  authed = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await authed.authenticate();
});

after(async () => {
  authed.close();
  await mock.stop();
});

const invalid = (what) => ({ status: 'INVALID_ARGUMENT', what });
const typeError = (what) => ({ typeError: true, what });

// A string argument's inputs. `what` follows the argument's name in the
// message. Values carry a marker that must never be echoed (they may be
// secrets).
const STRING_INPUTS = {
  'embedded NUL': ['hunter2\0-other', invalid('must not contain NUL characters')],
  'lone high surrogate': ['hunter2-\uD800', invalid('is not valid Unicode text')],
  'lone low surrogate': ['\uDC00hunter2', invalid('is not valid Unicode text')],
  'surrogates in the wrong order': ['hunter2\uDC00\uD800', invalid('is not valid Unicode text')],
  number: [42, typeError('must be a string, not number')],
  null: [null, typeError('must be a string, not null')],
  object: [{ toString: () => 'pub-1' }, typeError('must be a string, not object')],
  array: [['pub-1'], typeError('must be a string, not object')],
};

/**
 * Runs call() and checks it failed as `expect` says for argument `name`,
 * without a request reaching the mock and without echoing the value.
 */
async function check(name, expect, call) {
  const before = await mock.stats();
  const e = await thrown(call);
  const message = new RegExp(`^${name.replace(/[[\].]/g, '\\$&')} ${expect.what}`);
  if (expect.typeError) checkTypeError(e, message);
  else checkEiamError(e, { status: expect.status, code: null, httpStatus: null, message });
  assert.ok(!e.message.includes('hunter2'), `the value was echoed: ${e.message}`);
  const after = await mock.stats();
  assert.equal(after.requests - before.requests, 0, 'a request reached the mock');
}

// ---------------------------------------------------------------- options

const STRING_OPTIONS = ['baseUrl', 'clientId', 'clientSecret', 'accessToken', 'caFile', 'proxy', 'userAgent'];

function validOptions(name) {
  if (name === 'accessToken') return { baseUrl: mock.url };
  return { baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret };
}

for (const name of STRING_OPTIONS) {
  for (const [input, [value, expect]] of Object.entries(STRING_INPUTS)) {
    test(`option ${name}: ${input}`, async () => {
      await check(name, expect, () => new Client({ ...validOptions(name), [name]: value }));
    });
  }
}

const BOOL_OPTIONS = ['allowInsecureHttp', 'usePlatformRoots', 'dangerAcceptInvalidCerts'];
const NOT_BOOLEANS = { "'false'": 'false', "'true'": 'true', 0: 0, 1: 1, null: null, object: {} };

for (const name of BOOL_OPTIONS) {
  for (const [input, value] of Object.entries(NOT_BOOLEANS)) {
    test(`option ${name}: ${input} is not a boolean`, async () => {
      const type = value === null ? 'null' : typeof value;
      await check(name, typeError(`must be a boolean, not ${type}`), () => {
        const c = new Client({ ...validOptions(name), baseUrl: 'http://example.com', [name]: value });
        c.close();
      });
    });
  }
}

test("allowInsecureHttp: 'false' does not allow insecure HTTP, true does, false does not", async () => {
  const options = { baseUrl: 'http://example.com', clientId: 'id', clientSecret: 's' };
  await expectTypeError(() => new Client({ ...options, allowInsecureHttp: 'false' }), /^allowInsecureHttp must be a boolean/);
  await expectEiamError(() => new Client({ ...options, allowInsecureHttp: false }), { status: 'INVALID_ARGUMENT' });
  new Client({ ...options, allowInsecureHttp: true }).close();
});

const NUMBER_OPTIONS = {
  timeoutMs: Number.MAX_SAFE_INTEGER,
  connectTimeoutMs: Number.MAX_SAFE_INTEGER,
  maxRetries: 4294967295,
};
const NOT_NUMBERS = { "'1000'": '1000', true: true, null: null, bigint: 1000n, object: {} };
const BAD_NUMBERS = { 1.5: 1.5, NaN: NaN, Infinity: Infinity, '-1': -1, '-0.5': -0.5 };

for (const [name, max] of Object.entries(NUMBER_OPTIONS)) {
  for (const [input, value] of Object.entries(NOT_NUMBERS)) {
    test(`option ${name}: ${input} is not a number`, async () => {
      const type = value === null ? 'null' : typeof value;
      await check(name, typeError(`must be a number, not ${type}`), () => new Client({ ...validOptions(name), [name]: value }));
    });
  }
  for (const [input, value] of Object.entries({ ...BAD_NUMBERS, 'max + 1': max + 1 })) {
    test(`option ${name}: ${input} is out of range`, async () => {
      await check(name, invalid(`must be an integer between 0 and ${max}`), () => new Client({ ...validOptions(name), [name]: value }));
    });
  }
}

test('options: an unknown option is a TypeError naming it', async () => {
  await expectTypeError(
    () => new Client({ baseUrl: mock.url, accessToken: 't', allowInsecureHTTP: true }),
    /^unknown option allowInsecureHTTP/,
  );
});

test('options: must be an object', async () => {
  for (const v of [null, 'https://h', 42]) await expectTypeError(() => new Client(v), /^options must be an object/);
});

// ---------------------------------------------------------------- calls

const GET_ARGS = ['appId', 'appUserId'];
const BIND_ARGS = ['appId', 'appUserId', 'userName'];
const VALID = { appId: 'demo-app', appUserId: 'pub-1', userName: 'zhangsan' };

for (const name of GET_ARGS) {
  for (const [input, [value, expect]] of Object.entries(STRING_INPUTS)) {
    test(`getPublicAccountOwner ${name}: ${input}`, async () => {
      const args = { ...VALID, [name]: value };
      await check(name, expect, () => authed.getPublicAccountOwner(args.appId, args.appUserId));
    });
  }
}

for (const name of BIND_ARGS) {
  for (const [input, [value, expect]] of Object.entries(STRING_INPUTS)) {
    test(`bindPublicAccountOwner ${name}: ${input}`, async () => {
      const args = { ...VALID, [name]: value };
      await check(name, expect, () => authed.bindPublicAccountOwner(args.appId, args.appUserId, args.userName));
      assert.equal((await authed.getPublicAccountOwner('demo-app', 'pub-1')).userName, 'zhangsan', 'nothing changed');
    });
  }
  // The whole job is refused, naming the item: nothing is sent, not even
  // the good items.
  for (const [input, [value, expect]] of Object.entries(STRING_INPUTS)) {
    test(`bindPublicAccountOwners items[1].${name}: ${input}`, async () => {
      const items = [VALID, { ...VALID, [name]: value }, VALID];
      await check(`items[1].${name}`, expect, () => authed.bindPublicAccountOwners(items));
    });
  }
}

test('a well-formed surrogate pair is sent as it is', async () => {
  const before = await mock.stats();
  const e = await expectEiamError(() => authed.bindPublicAccountOwner('demo-app', 'pub-\u{1F600}', 'zhangsan'), {
    status: 'API_ERROR',
  });
  assert.equal(e.code, 'APP.ACCOUNT.0038'); // no such account: the id arrived intact
  assert.equal((await mock.stats()).api_requests - before.api_requests, 1);
});

test('bindPublicAccountOwners: items must be an array of objects', async () => {
  await expectTypeError(() => authed.bindPublicAccountOwners('abc'), /^items must be an array/);
  await expectTypeError(() => authed.bindPublicAccountOwners([VALID, null]), /^items\[1\] must be an object/);
});

test('bindPublicAccountOwners: concurrency is strict too, and so are the options', async () => {
  const before = await mock.stats();
  const items = [VALID];
  for (const v of ['2', true, null, 2n]) {
    await expectTypeError(() => authed.bindPublicAccountOwners(items, { concurrency: v }), /^concurrency must be a number/);
  }
  for (const v of [1.5, NaN, -1, 2 ** 32]) {
    await expectEiamError(() => authed.bindPublicAccountOwners(items, { concurrency: v }), {
      status: 'INVALID_ARGUMENT',
      message: /^concurrency must be an integer between 0 and 4294967295/,
    });
  }
  await expectTypeError(() => authed.bindPublicAccountOwners(items, { concurency: 2 }), /^unknown option concurency/);
  await expectTypeError(() => authed.bindPublicAccountOwners(items, null), /^options must be an object/);
  assert.equal((await mock.stats()).requests - before.requests, 0);
});
