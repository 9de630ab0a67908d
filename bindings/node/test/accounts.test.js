'use strict';
// The account family against the mock: every call's success, the codes the
// service documents (normalized), what is refused before any request, the
// pagers (lazy, freed on every way out, an error instead of a loop on a
// service that repeats a page), what is and is not retried, request(), and
// the password, which reaches the service and never an error.

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');

const { Client, AccountType, DEFAULT_PAGE_SIZE, MIN_PAGE_SIZE, MAX_PAGE_SIZE } = require('..');
const { C } = require('../ffi');
const { startMock } = require('../testutil/mock');
const { thrown, collect, expectEiamError, expectTypeError } = require('../testutil/assert');

const ZHANGSAN_ID = '20220331164602949-904C-D475B60AE';
const ACCOUNTS = '/api/v2/tenant/applications/demo-app/accounts';

let mock;
let c; // a client per case, authenticated, so a case counts only the API requests it caused

before(async () => {
  mock = await startMock();
});

after(async () => {
  c.close();
  await mock.stop();
});

// A reset makes a new tenant, whose tokens the last client's is not.
beforeEach(async () => {
  await mock.reset();
  if (c) c.close();
  c = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await c.authenticate();
});

/** API requests that reached the mock while fn ran (awaited if async). */
async function apiRequests(fn) {
  const before = (await mock.stats()).api_requests;
  await fn();
  return (await mock.stats()).api_requests - before;
}

/** Counts calls of C[name] (index.js looks C's functions up at each call) while fn runs. */
function counting(name, fn) {
  const original = C[name];
  let calls = 0;
  C[name] = (...args) => {
    calls++;
    return original(...args);
  };
  try {
    fn();
  } finally {
    C[name] = original;
  }
  return calls;
}

const api = (code, httpStatus = 400) => ({ status: 'API_ERROR', statusCode: 2, httpStatus, code });
const local = (code) => ({ status: 'INVALID_ARGUMENT', httpStatus: null, code });

// ---------------------------------------------------------------- creates

test('createPublicAccount: the account exists with every field sent', async () => {
  const id = await c.createPublicAccount('demo-app', 'shared-1', {
    name: 'Shared One',
    orgCode: 'sales',
    password: 'pw-1',
    disabled: true,
    extension: { dept: 'x' },
  });
  assert.equal(typeof id, 'string');
  const held = await mock.account('demo-app', id);
  assert.equal(held.account_type, AccountType.PUBLIC_ACCOUNT);
  assert.equal(held.account_name, 'shared-1');
  assert.equal(held.name, 'Shared One');
  assert.equal(held.org_id, '20220401000000002-0A0A-000000002'); // sales
  assert.equal(held.disabled, true);
  assert.deepEqual(held.extension, { dept: 'x' });
  assert.equal(await mock.passwordIs('demo-app', id, 'pw-1'), true);
  assert.equal(await mock.passwordIs('demo-app', id, 'pw-2'), false);
});

test('createBasicAccount: of a user, with and without an account name', async () => {
  const named = await c.createBasicAccount('demo-app', ZHANGSAN_ID, { accountName: 'zs' });
  const unnamed = await c.createBasicAccount('demo-app', ZHANGSAN_ID);
  assert.notEqual(named, unnamed);
  const a = await mock.account('demo-app', named);
  assert.equal(a.account_type, 'BASIC_ACCOUNT');
  assert.equal(a.account_name, 'zs');
  assert.equal(a.user_id, ZHANGSAN_ID);
  assert.equal(a.has_password, false);
  assert.equal((await mock.account('demo-app', unnamed)).account_name, 'zhangsan'); // named after the user
});

test('createOrphanAccount: fields left out are not sent', async () => {
  const id = await c.createOrphanAccount('demo-app', 'orphan-1');
  const a = await mock.account('demo-app', id);
  assert.equal(a.account_type, 'ORPHAN_ACCOUNT');
  assert.equal(a.account_name, 'orphan-1');
  assert.equal(a.name, null);
  assert.equal(a.org_id, null);
  assert.equal(a.disabled, false);
  assert.equal(a.has_password, false);
  assert.equal(await mock.accountCount('demo-app'), 3);
});

test('creates: APP.0001, APP.ORG.0024 and USER.0001', async () => {
  await expectEiamError(() => c.createPublicAccount('no-such-app', 'x'), api('APP.0001'));
  await expectEiamError(() => c.createOrphanAccount('no-such-app', 'x'), api('APP.0001'));
  await expectEiamError(() => c.createPublicAccount('demo-app', 'x', { orgCode: 'no-such-org' }), api('APP.ORG.0024'));
  await expectEiamError(() => c.createOrphanAccount('demo-app', 'x', { orgCode: 'no-such-org' }), api('APP.ORG.0024'));
  await expectEiamError(() => c.createBasicAccount('demo-app', 'no-such-user'), api('USER.0001'));
});

// ---------------------------------------------------------------- members

test('add and remove public account users, then list them', async () => {
  assert.equal(await c.addPublicAccountUsers('demo-app', 'pub-1', ['lisi']), 'pub-1');
  assert.deepEqual((await mock.members('demo-app', 'pub-1')).sort(), ['cq04130006', 'lisi', 'zhangsan']);
  assert.equal(await c.removePublicAccountUsers('demo-app', 'pub-1', ['zhangsan', 'cq04130006']), 'pub-1');
  assert.deepEqual(await mock.members('demo-app', 'pub-1'), ['lisi']);

  await c.addPublicAccountUsers('demo-app', 'pub-2', ['zhangsan', 'cq04130006', 'lisi']);
  const page = await c.listPublicAccountUsers('demo-app', 'pub-2', { pageSize: 10 });
  assert.equal(page.total, 3);
  assert.equal(page.page, 0);
  assert.deepEqual(page.items.map((u) => u.userName).sort(), ['cq04130006', 'lisi', 'zhangsan']);
  assert.deepEqual(page.items.find((u) => u.userName === 'zhangsan'), { id: ZHANGSAN_ID, userName: 'zhangsan', disabled: false });
  const past = await c.listPublicAccountUsers('demo-app', 'pub-2', { page: 1, pageSize: 10 });
  assert.deepEqual(past, { items: [], total: 3, page: 1 });
  assert.deepEqual(await collect(c.publicAccountUsers('demo-app', 'pub-2', { pageSize: MIN_PAGE_SIZE })), page.items);
});

test('members: APP.ACCOUNT.0038, USER.0001, and OAP.PAGE.0002 caught locally', async () => {
  await expectEiamError(() => c.listPublicAccountUsers('demo-app', 'no-such-account'), api('APP.ACCOUNT.0038'));
  await expectEiamError(() => collect(c.publicAccountUsers('demo-app', 'no-such-account')), api('APP.ACCOUNT.0038'));
  await expectEiamError(() => c.removePublicAccountUsers('demo-app', 'no-such-account', ['lisi']), api('APP.ACCOUNT.0038'));
  await expectEiamError(() => c.addPublicAccountUsers('demo-app', 'pub-1', ['no-such-user']), api('USER.0001'));
  assert.deepEqual((await mock.members('demo-app', 'pub-1')).sort(), ['cq04130006', 'zhangsan']);
  const n = await apiRequests(async () => {
    for (const pageSize of [MIN_PAGE_SIZE - 1, MAX_PAGE_SIZE + 1]) {
      await expectEiamError(() => c.listPublicAccountUsers('demo-app', 'pub-1', { pageSize }), local('OAP.PAGE.0002'));
      await expectEiamError(() => collect(c.publicAccountUsers('demo-app', 'pub-1', { pageSize })), local('OAP.PAGE.0002'));
    }
  });
  assert.equal(n, 0);
});

// ---------------------------------------------------------------- get, list, update

test('getAccount: every field; APP.ACCOUNT.0028 normalized from " APP.ACCOUNT. 0028"', async () => {
  assert.deepEqual(await c.getAccount('demo-app', 'pub-1'), {
    id: 'pub-1',
    accountName: 'pub-1',
    name: null,
    orgId: null,
    accountType: 'PUBLIC_ACCOUNT',
    disabled: false,
    extension: {},
  });
  const e = await expectEiamError(() => c.getAccount('demo-app', 'no-such-account'), api('APP.ACCOUNT.0028'));
  assert.match(e.text, /^api error APP\.ACCOUNT\.0028 \(HTTP 400\)/);
});

test('extension round trip: nested values and non-ASCII text', async () => {
  const extension = { 部门: '研发', nested: { list: [1, 2.5, 'ü', null, true], deep: { emoji: '😀' } }, empty: {} };
  const id = await c.createOrphanAccount('demo-app', '孤儿账号', { name: 'Zoë', extension });
  const got = await c.getAccount('demo-app', id);
  assert.deepEqual(got.extension, extension);
  assert.equal(got.accountName, '孤儿账号');
  assert.equal(got.name, 'Zoë');
  await c.updateAccount('demo-app', id, '孤儿账号', { extension: { ...extension, added: 'é' } });
  assert.deepEqual((await c.getAccount('demo-app', id)).extension, { ...extension, added: 'é' });
});

test('listAccounts: by type and all; APP.ACCOUNT.0045 and OAP.PAGE.0002 caught locally', async () => {
  const orphan = await c.createOrphanAccount('demo-app', 'o');
  const all = await c.listAccounts('demo-app', { pageSize: 10 });
  assert.equal(all.total, 3);
  assert.deepEqual(all.items.map((a) => a.id), ['pub-1', 'pub-2', orphan]);
  assert.deepEqual((await c.listAccounts('demo-app', { accountType: '' })).items, all.items);
  const orphans = await c.listAccounts('demo-app', { accountType: AccountType.ORPHAN_ACCOUNT });
  assert.deepEqual(orphans.items.map((a) => a.id), [orphan]);
  assert.equal(orphans.total, 1);
  assert.deepEqual((await collect(c.accounts('demo-app', { accountType: 'PUBLIC_ACCOUNT' }))).map((a) => a.id), ['pub-1', 'pub-2']);
  const second = await c.listAccounts('paging-app', { page: 1, pageSize: 10 });
  assert.equal(second.total, 250);
  assert.equal(second.page, 1);
  assert.deepEqual(second.items.map((a) => a.id)[0], 'acct-011');

  const n = await apiRequests(async () => {
    await expectEiamError(() => c.listAccounts('demo-app', { accountType: 'BOGUS' }), local('APP.ACCOUNT.0045'));
    await expectEiamError(() => collect(c.accounts('demo-app', { accountType: 'basic_account' })), local('APP.ACCOUNT.0045'));
    for (const pageSize of [9, 101]) {
      await expectEiamError(() => c.listAccounts('paging-app', { pageSize }), local('OAP.PAGE.0002'));
      await expectEiamError(() => c.accounts('paging-app', { pageSize }).next(), local('OAP.PAGE.0002'));
    }
  });
  assert.equal(n, 0);
});

test('update, disable, enable, delete', async () => {
  const id = await c.createOrphanAccount('demo-app', 'before', { name: 'Kept', orgCode: 'root' });
  assert.equal(await c.updateAccount('demo-app', id, 'after', { password: 'new-pw', disabled: true }), id);
  let a = await c.getAccount('demo-app', id);
  assert.equal(a.accountName, 'after');
  assert.equal(a.name, 'Kept', 'a field left out stays as it is');
  assert.equal(a.orgId, '20220401000000001-0A0A-000000001');
  assert.equal(a.disabled, true);
  assert.equal(await mock.passwordIs('demo-app', id, 'new-pw'), true);

  assert.equal(await c.enableAccount('demo-app', id), id);
  assert.equal((await c.getAccount('demo-app', id)).disabled, false);
  assert.equal(await c.disableAccount('demo-app', id), id);
  a = await c.getAccount('demo-app', id);
  assert.equal(a.disabled, true);

  assert.equal(await c.deleteAccount('demo-app', id), undefined);
  assert.equal(await mock.account('demo-app', id), null);
  await expectEiamError(() => c.getAccount('demo-app', id), api('APP.ACCOUNT.0028'));
});

test('update, disable, enable, delete: APP.0001 and APP.ACCOUNT.0028', async () => {
  await expectEiamError(() => c.updateAccount('no-such-app', 'pub-1', 'x'), api('APP.0001'));
  await expectEiamError(() => c.updateAccount('demo-app', 'no-such-account', 'x'), api('APP.ACCOUNT.0028'));
  await expectEiamError(() => c.disableAccount('demo-app', 'no-such-account'), api('APP.ACCOUNT.0028'));
  await expectEiamError(() => c.enableAccount('demo-app', 'no-such-account'), api('APP.ACCOUNT.0028'));
  await expectEiamError(() => c.deleteAccount('no-such-app', 'pub-1'), api('APP.0001'));
  await expectEiamError(() => c.deleteAccount('demo-app', 'no-such-account'), api('APP.ACCOUNT.0028'));
});

// ---------------------------------------------------------------- pagers

test('accounts(): 250 accounts of paging-app in 3 requests of 100, no duplicates', async () => {
  let items;
  const n = await apiRequests(async () => {
    items = await collect(c.accounts('paging-app', { pageSize: 100 }));
  });
  assert.equal(items.length, 250);
  assert.equal(new Set(items.map((a) => a.id)).size, 250);
  assert.equal(items[0].id, 'acct-001');
  assert.equal(items[249].id, 'acct-250');
  assert.equal(n, 3);
  assert.equal(DEFAULT_PAGE_SIZE, 100);
  assert.equal(await apiRequests(() => collect(c.accounts('paging-app'))), 3, 'the default page size is 100');
});

test('accounts(): lazy; an early break sends no further request', async () => {
  const it = c.accounts('paging-app', { pageSize: 10 });
  assert.equal((await mock.stats()).api_requests, 0, 'nothing sent before the first step');
  assert.equal((await it.next()).value.id, 'acct-001');
  assert.deepEqual(await it.return(), { value: undefined, done: true });
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  assert.equal((await mock.stats()).api_requests, 1);

  let seen = 0;
  const n = await apiRequests(async () => {
    for await (const a of c.accounts('paging-app', { pageSize: 10 })) {
      assert.equal(typeof a.id, 'string');
      if (++seen === 15) break;
    }
  });
  assert.equal(n, 2, 'only the pages the loop reached');
  assert.equal((await mock.stats()).api_requests, 3, 'and none after the break');

  // A walk of a closed client rejects its next page.
  const other = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  const walk = other.accounts('paging-app', { pageSize: 10 });
  assert.equal((await walk.next()).value.id, 'acct-001');
  other.close();
  for (let i = 2; i <= 10; i++) assert.equal((await walk.next()).value.id, `acct-00${i}`.replace('0010', '010'), 'the page already fetched');
  await expectEiamError(() => walk.next(), { status: 'INVALID_ARGUMENT', message: /client is closed/ });
});

test('accounts(): a service that repeats a page rejects the walk', async () => {
  const items = Array.from({ length: 10 }, (_, i) => ({
    id: `same-${i}`,
    account_name: `same-${i}`,
    name: null,
    org_id: null,
    account_type: 'ORPHAN_ACCOUNT',
    disabled: false,
    extension: {},
  }));
  // Every list request answers the same first page, whatever its offset.
  await mock.fault({ target: 'api', count: 5, status: 200, body: JSON.stringify({ total: 250, accounts: items }) });
  let seen = 0;
  let e;
  const n = await apiRequests(async () => {
    e = await thrown(async () => {
      for await (const a of c.accounts('paging-app', { pageSize: 10 })) {
        assert.ok(a.id.startsWith('same-'));
        seen++;
        if (seen > 100) assert.fail('the walk loops');
      }
    });
  });
  await expectEiamError(() => Promise.reject(e), {});
  assert.notEqual(e.status, 'API_ERROR');
  assert.equal(seen, 10);
  assert.equal(n, 2);
});

// The blocking form keeps its C pagers: freed on every way out, once.
test('client.sync pagers: early break, return() and close() free the pager', async () => {
  let seen = 0;
  const frees = counting('eiam_account_pager_free', () => {
    for (const a of c.sync.accounts('paging-app', { pageSize: 10 })) {
      assert.equal(typeof a.id, 'string');
      if (++seen === 15) break;
    }
  });
  assert.equal(frees, 1);
  assert.equal((await mock.stats()).api_requests, 2, 'only the pages the loop reached');

  const it = c.sync.accounts('paging-app', { pageSize: 10 });
  assert.equal(
    counting('eiam_account_pager_free', () => {
      assert.equal(it.next().value.id, 'acct-001');
      assert.deepEqual(it.return(), { value: undefined, done: true });
      assert.deepEqual(it.next(), { value: undefined, done: true });
    }),
    1,
  );
  assert.equal(
    counting('eiam_account_user_pager_free', () => {
      assert.throws(() => [...c.sync.publicAccountUsers('demo-app', 'no-such-account')], { code: 'APP.ACCOUNT.0038' });
    }),
    1,
  );
  const other = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  const walk = other.sync.publicAccountUsers('demo-app', 'pub-1', { pageSize: 10 });
  assert.equal(walk.next().value.userName, 'zhangsan');
  assert.equal(counting('eiam_account_user_pager_free', () => other.close()), 1);
  assert.equal(walk.next().value.userName, 'cq04130006', 'the page already fetched');
  assert.throws(() => walk.next(), /client is closed/);
  assert.equal(counting('eiam_account_user_pager_free', () => walk.next()), 0, 'freed once only');
});

// ---------------------------------------------------------------- retries

test('a create is not retried after its answer is cut: it throws and one account exists', async () => {
  const before = await mock.accountCount('demo-app');
  await mock.fault({ target: 'api', action: 'normal', cut: 'mid_body' });
  const e = await expectEiamError(() => c.createOrphanAccount('demo-app', 'cut-off'), {});
  assert.notEqual(e.status, 'API_ERROR');
  assert.equal((await mock.stats()).api_requests, 1);
  assert.equal(await mock.accountCount('demo-app'), before + 1);
});

test('a delete whose answer is lost is retried and succeeds', async () => {
  const id = await c.createOrphanAccount('demo-app', 'doomed');
  // A 204 has no body to cut: the answer is lost in its headers.
  await mock.fault({ target: 'api', action: 'normal', cut: 'in_headers' });
  const n = await apiRequests(() => c.deleteAccount('demo-app', id));
  assert.equal(n, 2, 'retried once');
  assert.equal(await mock.account('demo-app', id), null);
});

// ---------------------------------------------------------------- request

test('request: a GET with a query and a POST with a body', async () => {
  const list = await c.request('GET', ACCOUNTS, { query: { account_type: 'PUBLIC_ACCOUNT', offset: 0, limit: '10' } });
  assert.equal(list.total, 2);
  assert.deepEqual(list.accounts.map((a) => a.id), ['pub-1', 'pub-2']);
  const pairs = await c.request('GET', ACCOUNTS, { query: [['offset', '0'], ['limit', 10]] });
  assert.equal(pairs.total, 2);

  const made = await c.request('POST', `${ACCOUNTS}/orphan-account`, { json: { account_name: 'raw', extension: { k: 'v' } } });
  assert.equal(typeof made.account_id, 'string');
  assert.equal((await mock.account('demo-app', made.account_id)).account_name, 'raw');
  assert.equal(await c.request('DELETE', `${ACCOUNTS}/${made.account_id}`, { idempotent: true }), undefined, 'a 204 is undefined');
  assert.equal(await mock.account('demo-app', made.account_id), null);
  await expectEiamError(() => c.request('GET', `${ACCOUNTS}/no-such-account`), api('APP.ACCOUNT.0028'));
});

// ---------------------------------------------------------------- the password

test('the password never appears in an error, even when the answer echoes it', async () => {
  const password = 'hunter2-Pa55';
  await mock.fault({
    target: 'api',
    status: 400,
    body: JSON.stringify({ error_code: ' APP.0001', error_msg: `bad password ${password}` }),
  });
  const e = await expectEiamError(() => c.createPublicAccount('demo-app', 'x', { password }), api('APP.0001'));
  for (const text of [e.message, e.text, String(e), String(e.stack)]) assert.ok(!text.includes(password), text);
  await mock.fault({ target: 'api', status: 500, body: `{"echo": "${password}"}` });
  const e2 = await expectEiamError(() => c.updateAccount('demo-app', 'pub-1', 'pub-1', { password }), {});
  for (const text of [e2.message, e2.text]) assert.ok(!text.includes(password), text);
  await mock.fault({ target: 'api', status: 400, body: JSON.stringify({ error_code: 'X.1', error_msg: password }) });
  const e3 = await expectEiamError(() => c.request('PUT', `${ACCOUNTS}/pub-1`, { json: { account_name: 'pub-1', password } }), {});
  assert.ok(!e3.text.includes(password), e3.text);
});

// ---------------------------------------------------------------- refused before any request

const VALID_FIELDS = { name: 'n', orgCode: 'root', password: 'p', extension: { k: 'v' } };

/** Every call, with its string arguments by name: (args) => call. */
const CALLS = {
  createPublicAccount: [{ appId: 'demo-app', accountName: 'a', ...VALID_FIELDS },
    (x) => c.createPublicAccount(x.appId, x.accountName, { name: x.name, orgCode: x.orgCode, password: x.password })],
  createBasicAccount: [{ appId: 'demo-app', userId: ZHANGSAN_ID, accountName: 'a', ...VALID_FIELDS },
    (x) => c.createBasicAccount(x.appId, x.userId, { accountName: x.accountName, name: x.name, orgCode: x.orgCode, password: x.password })],
  createOrphanAccount: [{ appId: 'demo-app', accountName: 'a', ...VALID_FIELDS },
    (x) => c.createOrphanAccount(x.appId, x.accountName, { name: x.name, orgCode: x.orgCode, password: x.password })],
  addPublicAccountUsers: [{ appId: 'demo-app', appUserId: 'pub-1', 'userNames[1]': 'lisi' },
    (x) => c.addPublicAccountUsers(x.appId, x.appUserId, ['lisi', x['userNames[1]']])],
  removePublicAccountUsers: [{ appId: 'demo-app', appUserId: 'pub-1', 'userNames[0]': 'zhangsan' },
    (x) => c.removePublicAccountUsers(x.appId, x.appUserId, [x['userNames[0]']])],
  listPublicAccountUsers: [{ appId: 'demo-app', appUserId: 'pub-1' }, (x) => c.listPublicAccountUsers(x.appId, x.appUserId)],
  publicAccountUsers: [{ appId: 'demo-app', appUserId: 'pub-1' }, (x) => c.publicAccountUsers(x.appId, x.appUserId)],
  getAccount: [{ appId: 'demo-app', accountId: 'pub-1' }, (x) => c.getAccount(x.appId, x.accountId)],
  listAccounts: [{ appId: 'demo-app', accountType: 'PUBLIC_ACCOUNT' }, (x) => c.listAccounts(x.appId, { accountType: x.accountType })],
  accounts: [{ appId: 'demo-app', accountType: 'PUBLIC_ACCOUNT' }, (x) => c.accounts(x.appId, { accountType: x.accountType })],
  updateAccount: [{ appId: 'demo-app', accountId: 'pub-1', accountName: 'a', ...VALID_FIELDS },
    (x) => c.updateAccount(x.appId, x.accountId, x.accountName, { name: x.name, orgCode: x.orgCode, password: x.password })],
  disableAccount: [{ appId: 'demo-app', accountId: 'pub-1' }, (x) => c.disableAccount(x.appId, x.accountId)],
  enableAccount: [{ appId: 'demo-app', accountId: 'pub-1' }, (x) => c.enableAccount(x.appId, x.accountId)],
  deleteAccount: [{ appId: 'demo-app', accountId: 'pub-1' }, (x) => c.deleteAccount(x.appId, x.accountId)],
  request: [{ method: 'GET', path: ACCOUNTS, 'query.offset': '0' },
    (x) => c.request(x.method, x.path, { query: { offset: x['query.offset'], limit: '10' } })],
  'request (query pairs)': [{ 'query[0][0]': 'offset', 'query[1][1]': '10' },
    (x) => c.request('GET', ACCOUNTS, { query: [[x['query[0][0]'], '0'], ['limit', x['query[1][1]']]] })],
};

/** The argument names CALLS[name] passes on to C (the VALID_FIELDS it does not pass excluded). */
const passed = (args) => Object.keys(args).filter((k) => k !== 'extension');

for (const [name, [args, call]] of Object.entries(CALLS)) {
  test(`${name}: an embedded NUL or a lone surrogate in any argument is refused, naming it, before any request`, async () => {
    const n = await apiRequests(async () => {
      for (const arg of passed(args)) {
        for (const [bad, what] of [['x\0hunter2', 'must not contain NUL characters'], ['hunter2\uD800', 'is not valid Unicode text']]) {
          const message = new RegExp(`^${arg.replace(/[[\].]/g, '\\$&')} ${what}`);
          const e = await expectEiamError(() => call({ ...args, [arg]: bad }), { status: 'INVALID_ARGUMENT', code: null, message });
          assert.ok(!e.message.includes('hunter2'), e.message);
        }
      }
    });
    assert.equal(n, 0);
    assert.deepEqual((await mock.members('demo-app', 'pub-1')).sort(), ['cq04130006', 'zhangsan'], 'nothing changed');
    assert.equal(await mock.accountCount('demo-app'), 2, 'nothing created');
  });
}

test('options: unknown keys and wrong types are TypeErrors, before any request', async () => {
  const n = await apiRequests(async () => {
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { orgcode: 'root' }), /^unknown option orgcode/);
    await expectTypeError(() => c.createOrphanAccount('demo-app', 'a', { accountName: 'b' }), /^unknown option accountName/);
    await expectTypeError(() => c.createBasicAccount('demo-app', ZHANGSAN_ID, { user_id: 'x' }), /^unknown option user_id/);
    await expectTypeError(() => c.updateAccount('demo-app', 'pub-1', 'a', { disable: true }), /^unknown option disable/);
    await expectTypeError(() => c.listAccounts('demo-app', { type: 'PUBLIC_ACCOUNT' }), /^unknown option type/);
    await expectTypeError(() => c.accounts('demo-app', { page: 1 }), /^unknown option page/);
    await expectTypeError(() => c.publicAccountUsers('demo-app', 'pub-1', { page_size: 10 }), /^unknown option page_size/);
    await expectTypeError(() => c.listPublicAccountUsers('demo-app', 'pub-1', { limit: 10 }), /^unknown option limit/);
    await expectTypeError(() => c.request('GET', ACCOUNTS, { body: {} }), /^unknown option body/);

    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { disabled: 'false' }), /^disabled must be a boolean/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { name: null }), /^name must be a string, not null/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { password: 1234 }), /^password must be a string/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { extension: '{}' }), /^extension must be an object/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { extension: [] }), /^extension must be an object/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', { extension: { n: 1n } }), /^extension cannot be written as JSON/);
    await expectTypeError(() => c.createPublicAccount('demo-app', 'a', null), /^options must be an object/);
    await expectTypeError(() => c.createBasicAccount('demo-app', 42), /^userId must be a string/);
    await expectTypeError(() => c.addPublicAccountUsers('demo-app', 'pub-1', 'lisi'), /^userNames must be an array of strings/);
    await expectTypeError(() => c.addPublicAccountUsers('demo-app', 'pub-1', ['lisi', 7]), /^userNames\[1\] must be a string/);
    await expectTypeError(() => c.listAccounts('demo-app', { pageSize: '10' }), /^pageSize must be a number/);
    await expectTypeError(() => c.listAccounts('demo-app', { accountType: null }), /^accountType must be a string/);
    await expectTypeError(() => c.accounts('demo-app', { pageSize: 10n }), /^pageSize must be a number/);
    await expectEiamError(() => c.listAccounts('demo-app', { page: -1 }), { status: 'INVALID_ARGUMENT', message: /^page must be an integer/ });
    await expectEiamError(() => c.listAccounts('demo-app', { pageSize: 2 ** 32 }), { status: 'INVALID_ARGUMENT', message: /^pageSize must be an integer/ });
    await expectTypeError(() => c.request('GET', ACCOUNTS, { idempotent: 1 }), /^idempotent must be a boolean/);
    await expectTypeError(() => c.request('GET', ACCOUNTS, { query: 'offset=0' }), /^query must be an object/);
    await expectTypeError(() => c.request('GET', ACCOUNTS, { query: [['offset']] }), /^query\[0\] must be a \[name, value\] pair/);
    await expectTypeError(() => c.request('GET', ACCOUNTS, { query: { offset: true } }), /^query\.offset must be a string/);
    await expectTypeError(() => c.request('POST', ACCOUNTS, { json: () => 1 }), /^json cannot be written as JSON/);
  });
  assert.equal(n, 0);
});

test('what the core refuses: an empty user list, a path outside /api/', async () => {
  const n = await apiRequests(async () => {
    await expectEiamError(() => c.addPublicAccountUsers('demo-app', 'pub-1', []), { status: 'INVALID_ARGUMENT' });
    await expectEiamError(() => c.request('GET', '/__mock/stats'), { status: 'INVALID_ARGUMENT' });
    await expectEiamError(() => c.request('FETCH', ACCOUNTS), { status: 'INVALID_ARGUMENT' });
  });
  assert.equal(n, 0);
});

test('calls on a closed client throw', async () => {
  const closed = new Client({ baseUrl: mock.url, accessToken: 't' });
  closed.close();
  for (const call of [
    () => closed.getAccount('demo-app', 'pub-1'),
    () => closed.accounts('demo-app'),
    () => closed.request('GET', ACCOUNTS),
    () => closed.createOrphanAccount('demo-app', 'a'),
  ]) {
    await expectEiamError(call, { status: 'INVALID_ARGUMENT', message: /client is closed/ });
  }
});
