'use strict';
// The async API's promises: the calls run on the library's workers, so the
// event loop keeps ticking while they wait; an AbortSignal cancels a call
// (eiam_task_cancel) or, aborted already, keeps it from being sent; close()
// cancels the calls under way; the paged walks are async iterators.

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');

const { Client, Status } = require('..');
const { inFlight } = require('../calls');
const { startMock } = require('../testutil/mock');
const { collect, expectEiamError } = require('../testutil/assert');

let mock;
let c;

before(async () => {
  mock = await startMock();
});

after(async () => {
  c.close();
  await mock.stop();
});

beforeEach(async () => {
  await mock.reset();
  if (c) c.close();
  c = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await c.authenticate();
});

const cancelled = { status: 'CANCELLED', statusCode: Status.CANCELLED, httpStatus: null, kind: 'cancelled' };

/** Resolves once cond() holds, checking at each turn of the event loop. */
async function until(cond) {
  while (!cond()) await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves once the mock is handling `n` API requests. */
async function mockHolds(n) {
  while ((await mock.stats()).in_flight < n) await new Promise((resolve) => setImmediate(resolve));
}

test('the event loop keeps ticking while 100 calls wait 200 ms each', async (t) => {
  // The library starts its worker threads as calls need them: a first
  // burst of 100 on this 2-CPU machine spends tens of ms in starting 100
  // threads that compete with this one for the CPUs. They stay up (30 s
  // idle), so a first unmeasured burst starts them; the measure is then
  // of the calls alone.
  const warm = performance.now();
  await Promise.all(Array.from({ length: 100 }, () => c.getPublicAccountOwner('demo-app', 'pub-1')));
  t.diagnostic(`starting the workers: 100 calls in ${(performance.now() - warm).toFixed(0)} ms`);
  const before = await mock.stats();
  await mock.fault({ target: 'api', action: 'normal', count: 100, delay_ms: 200 });
  let last = performance.now();
  let maxGap = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  let owners;
  try {
    owners = await Promise.all(Array.from({ length: 100 }, () => c.getPublicAccountOwner('demo-app', 'pub-1')));
  } finally {
    clearInterval(timer);
  }
  const took = performance.now() - started;
  t.diagnostic(`100 calls in ${took.toFixed(0)} ms; ${ticks} ticks, the longest gap ${maxGap.toFixed(1)} ms`);
  assert.equal(owners.length, 100);
  for (const o of owners) assert.equal(o.userName, 'zhangsan');
  assert.ok(maxGap < 50, `the event loop stalled for ${maxGap.toFixed(1)} ms`);
  const stats = await mock.stats();
  assert.equal(stats.api_requests - before.api_requests, 100);
  assert.ok(stats.max_in_flight > 4, `only ${stats.max_in_flight} at once: the calls are not on the library's workers`);
});

test('an AbortSignal cancels a call waiting for the service: CANCELLED within 100 ms', async () => {
  await mock.fault({ target: 'api', action: 'normal', delay_ms: 10000 });
  const controller = new AbortController();
  const call = c.getAccount('demo-app', 'pub-1', { signal: controller.signal });
  await mockHolds(1); // the request is with the mock, which holds it for 10 s
  const aborted = performance.now();
  controller.abort();
  const e = await expectEiamError(() => call, cancelled);
  const took = performance.now() - aborted;
  assert.ok(took < 100, `cancelled after ${took.toFixed(0)} ms`);
  const stats = await mock.stats();
  assert.equal(stats.api_requests, 1);
  assert.equal(stats.in_flight, 1, 'the mock still holds the request the call gave up on');
  assert.match(e.text, /^cancelled error/);
  assert.equal(inFlight(), 0, 'the completion arrived and was routed');
});

test('an AbortSignal aborted already: rejects CANCELLED and sends nothing', async () => {
  const before = await mock.stats();
  const controller = new AbortController();
  controller.abort();
  const { signal } = controller;
  await expectEiamError(() => c.getAccount('demo-app', 'pub-1', { signal }), cancelled);
  await expectEiamError(() => c.createOrphanAccount('demo-app', 'never', { signal }), cancelled);
  await expectEiamError(() => c.request('GET', '/api/v2/tenant/applications/demo-app/accounts', { signal }), cancelled);
  await expectEiamError(() => collect(c.accounts('paging-app', { signal })), cancelled);
  const after = await mock.stats();
  assert.equal(after.requests - before.requests, 0);
  assert.equal(await mock.accountCount('demo-app'), 2, 'nothing created');
});

test('a signal that is not an AbortSignal is a TypeError', async () => {
  await assert.rejects(() => c.getAccount('demo-app', 'pub-1', { signal: {} }), /^TypeError: signal must be an AbortSignal/);
  assert.throws(() => c.accounts('paging-app', { signal: 'x' }), TypeError);
});

test('a signal aborted after the call ended changes nothing', async () => {
  const controller = new AbortController();
  const account = await c.getAccount('demo-app', 'pub-1', { signal: controller.signal });
  controller.abort();
  assert.equal(account.id, 'pub-1');
});

test('for await over paging-app: 250 accounts in 3 requests; break stops fetching', async () => {
  const before = (await mock.stats()).api_requests;
  const ids = [];
  for await (const a of c.accounts('paging-app')) ids.push(a.id);
  assert.equal(ids.length, 250);
  assert.equal(new Set(ids).size, 250);
  assert.equal((await mock.stats()).api_requests - before, 3);

  let seen = 0;
  for await (const a of c.accounts('paging-app', { pageSize: 100 })) {
    assert.equal(typeof a.id, 'string');
    if (++seen === 101) break;
  }
  assert.equal((await mock.stats()).api_requests - before, 5, 'two pages for 101 accounts, none after the break');

  const members = [];
  for await (const u of c.publicAccountUsers('demo-app', 'pub-1', { pageSize: 10 })) members.push(u.userName);
  assert.deepEqual(members.sort(), ['cq04130006', 'zhangsan']);
});

test('an AbortSignal cancels a walk between pages', async () => {
  const controller = new AbortController();
  const walk = c.accounts('paging-app', { pageSize: 10, signal: controller.signal });
  assert.equal((await walk.next()).value.id, 'acct-001');
  controller.abort();
  for (let i = 2; i <= 10; i++) assert.equal((await walk.next()).done, false, 'the page already fetched');
  await expectEiamError(() => walk.next(), cancelled);
  assert.equal((await mock.stats()).api_requests, 1);
});

test('close() cancels the calls under way; their completions still arrive safely', async () => {
  await mock.fault({ target: 'api', action: 'normal', count: 5, delay_ms: 10000 });
  const doomed = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await doomed.authenticate();
  const calls = Promise.allSettled(Array.from({ length: 5 }, () => doomed.getPublicAccountOwner('demo-app', 'pub-1')));
  await mockHolds(5);
  doomed.close();
  for (const outcome of await calls) await expectEiamError(() => Promise.reject(outcome.reason), cancelled);
  await until(() => inFlight() === 0);
  await expectEiamError(() => doomed.getAccount('demo-app', 'pub-1'), { status: 'INVALID_ARGUMENT', message: /client is closed/ });
});

test('many calls at once settle each to its own Promise', async () => {
  const ids = ['pub-1', 'pub-2', 'no-such-account'];
  const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => c.getAccount('demo-app', ids[i % 3])));
  outcomes.forEach((o, i) => {
    if (i % 3 === 2) {
      assert.equal(o.status, 'rejected');
      assert.equal(o.reason.code, 'APP.ACCOUNT.0028');
      assert.equal(o.reason.httpStatus, 400);
    } else {
      assert.equal(o.status, 'fulfilled');
      assert.equal(o.value.id, ids[i % 3]);
    }
  });
});
