'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');

const { Client, EiamError, Status, version } = require('..');
const { startMock } = require('../testutil/mock');
const { expectEiamError } = require('../testutil/assert');

const ZHANGSAN_ID = '20220331164602949-904C-D475B60AE';

let mock;
const clients = [];

function client(extra = {}) {
  const c = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret, ...extra });
  clients.push(c);
  return c;
}

before(async () => {
  mock = await startMock();
});

after(async () => {
  for (const c of clients) c.close();
  await mock.stop();
});

beforeEach(async () => {
  await mock.reset();
});

test('version is a semver string', async () => {
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('happy path: bind then get', async () => {
  const c = client();
  // The mock has one id per account: the id in the URL is the one answered.
  const accountId = await c.bindPublicAccountOwner('demo-app', 'pub-2', 'cq04130006');
  assert.equal(accountId, 'pub-2');
  const pub1AccountId = await c.bindPublicAccountOwner('demo-app', 'pub-1', 'zhangsan');
  assert.equal(pub1AccountId, 'pub-1');

  const owner = await c.getPublicAccountOwner('demo-app', 'pub-2');
  assert.equal(owner.userName, 'cq04130006');
  assert.equal(owner.disabled, false);
  assert.equal(typeof owner.userId, 'string');
  assert.notEqual(owner.userId, ZHANGSAN_ID);

  assert.deepEqual(await c.getPublicAccountOwner('demo-app', 'pub-1'), {
    userId: ZHANGSAN_ID,
    userName: 'zhangsan',
    disabled: false,
  });

  // Rebinding replaces the owner, and the account id is stable.
  assert.equal(await c.bindPublicAccountOwner('demo-app', 'pub-2', 'lisi'), accountId);
  assert.deepEqual(
    { name: (await c.getPublicAccountOwner('demo-app', 'pub-2')).userName, disabled: (await c.getPublicAccountOwner('demo-app', 'pub-2')).disabled },
    { name: 'lisi', disabled: true },
  );
});

test('API errors carry code and httpStatus', async () => {
  const c = client();
  await expectEiamError(() => c.getPublicAccountOwner('no-such-app', 'pub-1'), {
    status: 'API_ERROR',
    statusCode: Status.API_ERROR,
    httpStatus: 400,
    code: 'APP.0001',
  });
  await expectEiamError(() => c.bindPublicAccountOwner('demo-app', 'no-such-account', 'zhangsan'), {
    status: 'API_ERROR',
    statusCode: 2,
    httpStatus: 400,
    code: 'APP.ACCOUNT.0038',
  });
});

test('invalid argument: empty app id is rejected before any request', async () => {
  const c = client();
  await expectEiamError(() => c.getPublicAccountOwner('', 'pub-1'), {
    status: 'INVALID_ARGUMENT',
    statusCode: 1,
    httpStatus: null,
    code: 'APP.0006',
  });
  await expectEiamError(() => c.bindPublicAccountOwner('demo-app', '', 'zhangsan'), {
    status: 'INVALID_ARGUMENT',
    code: 'APP.ACCOUNT.0047',
  });
  // A NUL would truncate the C string: refused by the wrapper.
  await expectEiamError(() => c.getPublicAccountOwner('demo-app\0x', 'pub-1'), { status: 'INVALID_ARGUMENT', code: null });
  await assert.rejects(() => c.getPublicAccountOwner(42, 'pub-1'), TypeError);
  const stats = await mock.stats();
  assert.equal(stats.requests, 0);
});

test('invalid option: non-loopback http base URL fails in the constructor', async () => {
  await expectEiamError(() => new Client({ baseUrl: 'http://example.com', clientId: 'a', clientSecret: 'b' }), {
    status: 'INVALID_ARGUMENT',
    httpStatus: null,
  });
  await expectEiamError(() => new Client({ baseUrl: mock.url, timeoutMs: -1 }), { status: 'INVALID_ARGUMENT' });
});

test('auth error: wrong secret gives invalid_client and never leaks the secret', async () => {
  const secret = 'wrong-secret-9f3a7c';
  const c = client({ clientSecret: secret });
  const e = await expectEiamError(() => c.authenticate(), {
    status: 'AUTH_ERROR',
    statusCode: Status.AUTH_ERROR,
    code: 'invalid_client',
  });
  assert.ok(!e.message.includes(secret), `secret leaked in: ${e.message}`);
  assert.ok(!String(e.stack).includes(secret));
  const e2 = await expectEiamError(() => c.getPublicAccountOwner('demo-app', 'pub-1'), { code: 'invalid_client' });
  assert.ok(!e2.message.includes(secret));
  assert.equal((await mock.stats()).api_requests, 0);
});

test('retries: two 503s then success', async () => {
  const c = client();
  await mock.fault({ target: 'api', count: 2, status: 503, retry_after: '0' });
  const owner = await c.getPublicAccountOwner('demo-app', 'pub-1');
  assert.equal(owner.userName, 'zhangsan');
  const stats = await mock.stats();
  assert.equal(stats.api_requests, 3);
  assert.equal(stats.token_requests, 1);
});

test('retries off: the 503 is reported', async () => {
  const c = client({ maxRetries: 0 });
  await mock.fault({ target: 'api', count: 1, status: 503, retry_after: '0' });
  const e = await expectEiamError(() => c.getPublicAccountOwner('demo-app', 'pub-1'), { httpStatus: 503 });
  assert.notEqual(e.status, 'OK');
  assert.equal((await mock.stats()).api_requests, 1);
});

test('token reuse: several calls share one token', async () => {
  const c = client();
  await c.authenticate();
  for (let i = 0; i < 4; i++) assert.equal((await c.getPublicAccountOwner('demo-app', 'pub-1')).userName, 'zhangsan');
  await c.bindPublicAccountOwner('demo-app', 'pub-2', 'zhangsan');
  const stats = await mock.stats();
  assert.equal(stats.token_requests, 1);
  assert.equal(stats.api_requests, 5);
});

test('access token option: a bad token is an auth error', async () => {
  const c = new Client({ baseUrl: mock.url, accessToken: 'not-a-real-token' });
  clients.push(c);
  await expectEiamError(() => c.getPublicAccountOwner('demo-app', 'pub-1'), { status: 'AUTH_ERROR' });
});

test('bulk bind: one result per item, in order', async () => {
  const c = client();
  const results = await c.bindPublicAccountOwners(
    [
      { appId: 'demo-app', appUserId: 'pub-1', userName: 'cq04130006' },
      { appId: 'no-such-app', appUserId: 'pub-1', userName: 'zhangsan' },
      { appId: '', appUserId: 'pub-1', userName: 'zhangsan' },
      { appId: 'demo-app', appUserId: 'pub-2', userName: 'lisi' },
    ],
    { concurrency: 2 },
  );
  assert.equal(results.length, 4);
  assert.equal(results[0].ok, true);
  assert.equal(results[0].accountId, await c.bindPublicAccountOwner('demo-app', 'pub-1', 'cq04130006'));
  assert.notEqual(results[0].accountId, results[3].accountId);
  assert.equal(results[0].error, null);
  assert.equal(results[1].ok, false);
  assert.equal(results[1].accountId, null);
  assert.ok(results[1].error instanceof EiamError);
  assert.equal(results[1].error.code, 'APP.0001');
  assert.equal(results[1].error.httpStatus, 400);
  assert.equal(results[2].error.status, 'INVALID_ARGUMENT');
  assert.equal(results[2].error.code, 'APP.0006');
  assert.equal(results[3].ok, true);
  assert.equal((await c.getPublicAccountOwner('demo-app', 'pub-1')).userName, 'cq04130006');
  assert.equal((await c.getPublicAccountOwner('demo-app', 'pub-2')).userName, 'lisi');
  assert.ok((await mock.stats()).max_in_flight <= 2);
  assert.deepEqual(await c.bindPublicAccountOwners([]), []);
});

test('close: idempotent, later calls throw', async () => {
  const c = client();
  assert.equal((await c.getPublicAccountOwner('demo-app', 'pub-1')).userName, 'zhangsan');
  assert.equal(c.closed, false);
  c.close();
  c.close();
  assert.equal(c.closed, true);
  await expectEiamError(() => c.getPublicAccountOwner('demo-app', 'pub-1'), { status: 'INVALID_ARGUMENT' });
  await expectEiamError(() => c.bindPublicAccountOwner('demo-app', 'pub-1', 'zhangsan'), { status: 'INVALID_ARGUMENT' });
  await expectEiamError(() => c.authenticate(), { status: 'INVALID_ARGUMENT' });
  await assert.rejects(() => c.bindPublicAccountOwners([]), /closed/);
});

test('errors carry the library status name and read as the library writes them', async () => {
  const c = client();
  try {
    await c.getPublicAccountOwner('demo-app', 'no-such-account');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof EiamError);
    assert.equal(e.kind, 'api');
    assert.ok(e.text.startsWith('api error APP.ACCOUNT.0038 (HTTP 400): '), e.text);
    assert.equal(String(e), `EiamError: ${e.text}`);
  }
});
