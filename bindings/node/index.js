'use strict';
// Node.js binding of eiam: a thin layer over include/eiam.h, loaded with
// koffi (no native compile step; see ffi.js). Every method of Client
// returns a Promise: the call runs on the library's own worker threads
// (calls.js) and the event loop stays free. The blocking calls of the C
// API stay available as client.sync. The wrapper frees everything the
// library returns exactly once.

const { koffi, C, types, structs, constants, address, Status, statusName, CONFIG_SETTERS, libraryPath } = require('./ffi');
const { startCall } = require('./calls');

// ---------------------------------------------------------------- errors

class EiamError extends Error {
  /**
   * @param {number} statusCode numeric eiam_status
   * @param {number} httpStatus 0 when no response was received
   * @param {string|null} code
   * @param {string} message
   */
  constructor(statusCode, httpStatus, code, message, text) {
    super(message);
    this.statusCode = statusCode;
    this.status = statusName(statusCode) || `UNKNOWN_${statusCode}`;
    /** The library's name of the status: "api", "timeout", ... */
    this.kind = C.eiam_status_name(statusCode);
    this.httpStatus = httpStatus ? httpStatus : null;
    this.code = code == null ? null : code;
    /** The whole error as the library writes it: "api error APP.0001 (HTTP 400): ..." */
    this.text = text || `${this.kind} error: ${message}`;
  }

  toString() {
    return `EiamError: ${this.text}`;
  }
}

EiamError.prototype.name = 'EiamError';

function invalid(message) {
  return new EiamError(Status.INVALID_ARGUMENT, 0, null, message);
}

function errorFromStruct(e, status = e.status, ptr = null) {
  if (status === Status.OK) return null;
  const message = e.message || `eiam call failed with status ${statusName(status) || status}`;
  return new EiamError(status, e.http_status, e.code, message, ptr ? errorText(ptr) : null);
}

/** eiam_error_to_string of the eiam_error at `ptr`, or null. */
function errorText(ptr) {
  const slot = allocSlot();
  try {
    if (C.eiam_error_to_string(ptr, slot, null) !== Status.OK) return null;
    const text = koffi.decode(slot, 'char *');
    C.eiam_string_free(koffi.decode(slot, 'void *'));
    return text;
  } finally {
    koffi.free(slot);
  }
}

// ---------------------------------------------------------------- C memory

/** A zeroed value of C type `type` (a struct of header.json, a pointer, a number, a bool). */
function zeroOf(type) {
  if (structs[type]) return Object.fromEntries(Object.entries(structs[type]).map(([f, t]) => [f, zeroOf(t)]));
  if (type.endsWith('*')) return null;
  return type === 'bool' ? false : 0;
}

/** `count` zeroed values of struct `name` in C memory; release with koffi.free. */
function allocZeroed(name, count = 1) {
  const type = types[name];
  const ptr = koffi.alloc(type, count);
  const size = koffi.sizeof(type);
  const zero = zeroOf(name);
  for (let i = 0; i < count; i++) koffi.encode(ptr, i * size, type, zero);
  return ptr;
}

/** A NULL `void *` slot, for an out-parameter of pointer type. */
function allocSlot() {
  const slot = koffi.alloc('void *', 1);
  koffi.encode(slot, 'void *', null);
  return slot;
}

// Runs fn(errPtr) with a zeroed eiam_error; on a non-OK status throws an
// EiamError built from it. The error's strings are freed exactly once.
function call(fn) {
  const err = allocZeroed('eiam_error');
  try {
    const status = fn(err);
    if (status !== Status.OK) throw errorFromStruct(koffi.decode(err, types.eiam_error), status, err);
  } finally {
    C.eiam_error_clear(err);
    koffi.free(err);
  }
}

/**
 * Runs call() on fn(slot, err) with a NULL `char *` out-parameter; returns
 * the string the library put there (null if none), freed exactly once.
 */
function callForString(fn) {
  const slot = allocSlot();
  try {
    call((err) => fn(slot, err));
    return koffi.decode(slot, 'char *');
  } finally {
    C.eiam_string_free(koffi.decode(slot, 'void *')); // NULL-safe; NULL on failure
    koffi.free(slot);
  }
}

/**
 * Runs call() on fn(ptr, err) with a zeroed struct `name` to fill; returns
 * convert(the decoded struct). clear(ptr), the struct's _clear function,
 * frees its strings whether the call failed or not.
 */
function callForStruct(name, clear, fn, convert) {
  const ptr = allocZeroed(name);
  try {
    call((err) => fn(ptr, err));
    return convert(koffi.decode(ptr, types[name]));
  } finally {
    clear(ptr);
    koffi.free(ptr);
  }
}

/** A decoded eiam_*_page as `{ items, total, page }`, each item through convert. */
function pageOf(p, itemType, convert) {
  const len = Number(p.len);
  const items = len === 0 ? [] : koffi.decode(p.items, types[itemType], len).map(convert);
  return { items, total: Number(p.total), page: p.page };
}

// ---------------------------------------------------------------- arguments

function typeName(v) {
  return v === null ? 'null' : typeof v;
}

// With the u flag, only a surrogate that is not half of a pair matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A string C can carry unchanged: a NUL would cut it short, and a lone
 * surrogate would reach C as U+FFFD, naming another account.
 */
function checkString(name, v) {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, not ${typeName(v)}`);
  if (v.includes('\0')) throw invalid(`${name} must not contain NUL characters`);
  if (LONE_SURROGATE.test(v)) throw invalid(`${name} is not valid Unicode text (it contains a lone surrogate)`);
  return v;
}

function checkBoolean(name, v) {
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean, not ${typeName(v)}`);
  return v;
}

function checkInteger(name, v, max) {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, not ${typeName(v)}`);
  if (!Number.isInteger(v) || v < 0 || v > max) throw invalid(`${name} must be an integer between 0 and ${max}`);
  return v;
}

const UINT32_MAX = 0xffffffff;

/** The check for a value of each C type a setter takes. */
const CHECK_BY_C_TYPE = {
  'const char *': checkString,
  bool: checkBoolean,
  uint32_t: (name, v) => checkInteger(name, v, UINT32_MAX),
  // Beyond 2^53 a JS number is no longer an exact integer.
  uint64_t: (name, v) => checkInteger(name, v, Number.MAX_SAFE_INTEGER),
};

for (const { setter, options } of CONFIG_SETTERS) {
  for (const [, type] of options) {
    if (!CHECK_BY_C_TYPE[type]) throw new Error(`eiam binding: no check for ${type}, a parameter of ${setter}`);
  }
}

const CLIENT_OPTIONS = CONFIG_SETTERS.flatMap(({ options }) => options.map(([name]) => name));

/** An options object whose every key is one of `known`. */
function checkOptions(options, known) {
  if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, not ${typeName(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`unknown option ${key} (known: ${known.join(', ')})`);
  }
  return options;
}

// ---------------------------------------------------------------- account arguments

/** The kinds of application account, as the service names them. */
const AccountType = Object.freeze({
  BASIC_ACCOUNT: 'BASIC_ACCOUNT',
  ORPHAN_ACCOUNT: 'ORPHAN_ACCOUNT',
  PUBLIC_ACCOUNT: 'PUBLIC_ACCOUNT',
});

/** undefined (not sent), false or true as EIAM_BOOL_UNSET/FALSE/TRUE. */
function checkTristate(name, v) {
  if (v === undefined) return constants.EIAM_BOOL_UNSET;
  return checkBoolean(name, v) ? constants.EIAM_BOOL_TRUE : constants.EIAM_BOOL_FALSE;
}

/** An optional string: undefined is NULL (not sent); anything else must be a string C can carry. */
const optionalString = (name, v) => (v === undefined ? null : checkString(name, v));

/** JSON.stringify(v), as a TypeError naming `name` when v has no JSON text. */
function jsonText(name, v) {
  let text;
  try {
    text = JSON.stringify(v);
  } catch (e) {
    throw new TypeError(`${name} cannot be written as JSON: ${e.message}`);
  }
  if (text === undefined) throw new TypeError(`${name} cannot be written as JSON (it is ${typeName(v)})`);
  return text;
}

function checkPlainObject(name, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${name} must be an object, not ${Array.isArray(v) ? 'an array' : typeName(v)}`);
  }
  return v;
}

function checkStringArray(name, v) {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of strings, not ${typeName(v)}`);
  return v.map((s, i) => checkString(`${name}[${i}]`, s));
}

const UINT32 = (name, v) => checkInteger(name, v, UINT32_MAX);

/** `options.page` (default 0) and `options.pageSize` (default EIAM_DEFAULT_PAGE_SIZE), as uint32_t. */
function paging(options) {
  return {
    page: options.page === undefined ? 0 : UINT32('page', options.page),
    size: options.pageSize === undefined ? constants.EIAM_DEFAULT_PAGE_SIZE : UINT32('pageSize', options.pageSize),
  };
}

/** The options of a create or an update, as eiam_account_fields. */
const FIELD_OPTIONS = ['name', 'orgCode', 'password', 'disabled', 'extension'];

/**
 * Runs fn(cFields) with `options`' fields (of FIELD_OPTIONS) as an
 * eiam_account_fields. The password goes to C from a Buffer that is zeroed
 * once the call returns, so no copy of it is left in C memory; its value
 * is never part of an error.
 */
function withFields(options, fn) {
  const c = {
    name: optionalString('name', options.name),
    org_code: optionalString('orgCode', options.orgCode),
    password: null,
    disabled: checkTristate('disabled', options.disabled),
    extension: options.extension === undefined ? null : jsonText('extension', checkPlainObject('extension', options.extension)),
  };
  if (options.password !== undefined) {
    const password = checkString('password', options.password);
    c.password = Buffer.alloc(Buffer.byteLength(password) + 1); // zero-filled: NUL-terminated
    c.password.write(password);
  }
  try {
    return fn(c);
  } finally {
    if (c.password) c.password.fill(0);
  }
}

/** An eiam_account as JS: `extension` parsed, `name` and `orgId` null when absent. */
const toAccount = (a) => accountOf(a, JSON.parse(a.extension));

/** An account, from C's struct or the JSON of an async call (`extension` given as an object). */
function accountOf(a, extension) {
  return {
    id: a.id,
    accountName: a.account_name,
    name: a.name,
    orgId: a.org_id,
    accountType: a.account_type,
    disabled: a.disabled,
    extension,
  };
}

const toAccountUser = (u) => ({ id: u.id, userName: u.user_name, disabled: u.disabled });

/** `request`'s query, an object or [name, value] pairs, as eiam_query_param. */
function queryParams(query) {
  if (query === undefined) return [];
  const queryValue = (name, v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : checkString(name, v));
  if (Array.isArray(query)) {
    return query.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`query[${i}] must be a [name, value] pair`);
      return { name: checkString(`query[${i}][0]`, pair[0]), value: queryValue(`query[${i}][1]`, pair[1]) };
    });
  }
  checkPlainObject('query', query);
  return Object.entries(query).map(([k, v]) => ({ name: checkString('query name', k), value: queryValue(`query.${k}`, v) }));
}

// ---------------------------------------------------------------- pagers

/**
 * A pager whose walk was left without finishing it: freed when its
 * iterator is collected. The registry holds `live` (and so its client)
 * until then, so a client is never freed before its pagers.
 */
const pagerFinalizer = new FinalizationRegistry((live) => freePager(live));

function freePager(live) {
  pagerFinalizer.unregister(live);
  live.client._pagers.delete(live);
  if (live.pager === null) return;
  const pager = live.pager;
  live.pager = null;
  live.free(pager);
}

/**
 * The two kinds of C pager: next(pager, page, err), free(pager), the page
 * struct's name and its clear(page), the item struct's name and convert(item).
 */
const ACCOUNT_PAGES = {
  next: (pager, page, err) => C.eiam_account_pager_next(pager, page, err),
  free: (pager) => C.eiam_account_pager_free(pager),
  page: 'eiam_account_page',
  clear: (page) => C.eiam_account_page_clear(page),
  item: 'eiam_account',
  convert: toAccount,
};
const ACCOUNT_USER_PAGES = {
  next: (pager, page, err) => C.eiam_account_user_pager_next(pager, page, err),
  free: (pager) => C.eiam_account_user_pager_free(pager),
  page: 'eiam_account_user_page',
  clear: (page) => C.eiam_account_user_page_clear(page),
  item: 'eiam_account_user',
  convert: toAccountUser,
};

/**
 * Every item of a C pager of `kind`, fetched a page at a time as the
 * iteration asks; open(handle, slot, err) is its _new call. The pager is
 * created at the first step and freed at the end, on break/return(), on
 * an error, or with its client's close().
 */
function* walk(client, kind, open, live) {
  try {
    const h = client._live();
    const slot = allocSlot();
    try {
      call((err) => open(h, slot, err));
      live.pager = koffi.decode(slot, 'void *');
    } finally {
      koffi.free(slot);
    }
    client._pagers.add(live);
    for (;;) {
      client._live(); // close() has freed the pager
      const { items } = callForStruct(kind.page, kind.clear, (page, err) => kind.next(live.pager, page, err), (p) =>
        pageOf(p, kind.item, kind.convert),
      );
      if (items.length === 0) return; // a page with len 0 ends the walk
      yield* items;
    }
  } finally {
    freePager(live);
  }
}

// ---------------------------------------------------------------- async calls

/** options.signal: absent, or an AbortSignal. */
function checkSignal(signal) {
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw new TypeError(`signal must be an AbortSignal, not ${typeName(signal)}`);
  return signal;
}

/** What a call whose signal was aborted before it started rejects with: nothing was sent. */
function cancelledBeforeStart() {
  return new EiamError(Status.CANCELLED, 0, null, 'the call was cancelled before it started (its AbortSignal was aborted)');
}

/** The `{"account_id": ...}` answer of creates, updates and member calls. */
const accountIdOf = (answer) => answer.account_id;

/** An account as the async calls answer it (its extension already an object). */
const accountOfJson = (a) => accountOf(a, a.extension);

/** A `{items, total, page}` answer, each item through convert. */
const pageOfJson = (p, convert) => ({ items: p.items.map(convert), total: p.total, page: p.page });

/** One result of bind_public_account_owners: `{account_id}` or `{error}`. */
function bindResultOf(r) {
  if (!r.error) return { ok: true, accountId: r.account_id, error: null };
  const e = r.error;
  return { ok: false, accountId: null, error: new EiamError(e.status, e.http_status, e.code, e.message) };
}

/**
 * `args` with the fields of a create or an update (of `known`, options
 * of the call beside `signal`) in the dispatch table's names. The
 * password travels in the JSON text, a JS string (see the C page of
 * docs/getting-started: the fields of a create or an update).
 */
function fieldsJson(args, fields, known) {
  checkOptions(fields, [...known, 'signal']);
  const out = { ...args };
  if (fields.name !== undefined) out.name = checkString('name', fields.name);
  if (fields.orgCode !== undefined) out.org_code = checkString('orgCode', fields.orgCode);
  if (fields.password !== undefined) out.password = checkString('password', fields.password);
  if (fields.disabled !== undefined) out.disabled = checkBoolean('disabled', fields.disabled);
  if (fields.extension !== undefined) {
    out.extension = JSON.parse(jsonText('extension', checkPlainObject('extension', fields.extension)));
  }
  return out;
}

/**
 * Every item of a paged walk (`accounts_next`, `public_account_users_next`),
 * a page at a time as `for await` asks: the answer's cursor goes back
 * unchanged; a null cursor or a page with no items ends it, and the core
 * rejects a service that repeats a page.
 */
async function* walkAsync(client, name, args, options, convert) {
  let cursor = null;
  for (;;) {
    const page = await client._run(name, { ...args, cursor }, options);
    for (const item of page.items) yield convert(item);
    if (page.cursor === null || page.items.length === 0) return;
    cursor = page.cursor;
  }
}

// ---------------------------------------------------------------- client lifetime

// A client is freed by close(), or once garbage collected, or, never closed
// in a thread that ends first (a worker_threads worker, terminated or not),
// by Node itself: an environment cleanup hook of Node-API that calls
// eiam_client_free natively, since no JS runs at that point.
const node = koffi.load(null);
const addCleanupHook = node.func('int napi_add_env_cleanup_hook(void *env, void *fun, void *arg)');
const removeCleanupHook = node.func('int napi_remove_env_cleanup_hook(void *env, void *fun, void *arg)');
const CLIENT_FREE = address('eiam_client_free');

function own(handle) {
  if (addCleanupHook(koffi.node.env, CLIENT_FREE, handle) !== 0) {
    C.eiam_client_free(handle);
    throw new EiamError(Status.INTERNAL_ERROR, 0, null, 'napi_add_env_cleanup_hook failed');
  }
}

function release(handle) {
  removeCleanupHook(koffi.node.env, CLIENT_FREE, handle);
  C.eiam_client_free(handle);
}

// A client with calls under way is held by them (calls.js keeps their
// settle functions, which hold it), so this fires only once none runs.
const finalizer = new FinalizationRegistry(release);

// ---------------------------------------------------------------- Client

/**
 * The blocking form of every call, as `client.sync`: each waits for its
 * answer on the calling thread (bounded by `timeoutMs`), so it holds the
 * event loop; for scripts and worker_threads workers that want that.
 */
class SyncCalls {
  constructor(client) {
    /** @private */
    this._client = client;
  }

  _live() {
    return this._client._live();
  }

  /** Fetches (or reuses) the access token now, so bad credentials fail here. */
  authenticate() {
    const h = this._live();
    call((err) => C.eiam_client_authenticate(h, err));
  }

  /**
   * Makes userName the owner of public account appUserId of application appId.
   * @returns {string} the public account's account id
   */
  bindPublicAccountOwner(appId, appUserId, userName) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const n = checkString('userName', userName);
    return callForString((out, err) => C.eiam_bind_public_account_owner(h, a, u, n, out, err));
  }

  /**
   * Looks up the owner of public account appUserId of application appId.
   * @returns {{userId: string, userName: string, disabled: boolean}}
   */
  getPublicAccountOwner(appId, appUserId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    return callForStruct(
      'eiam_owner',
      (owner) => C.eiam_owner_clear(owner),
      (owner, err) => C.eiam_get_public_account_owner(h, a, u, owner, err),
      (o) => ({ userId: o.user_id, userName: o.user_name, disabled: o.disabled }),
    );
  }

  /**
   * Binds many owners with at most `concurrency` calls in flight (0 or
   * absent: the library's default). One item's failure never stops the others.
   * @param {{appId: string, appUserId: string, userName: string}[]} items
   * @returns {{ok: boolean, accountId: string|null, error: EiamError|null}[]} in input order
   */
  bindPublicAccountOwners(items, options = {}) {
    const h = this._live();
    if (!Array.isArray(items)) throw new TypeError(`items must be an array, not ${typeName(items)}`);
    checkOptions(options, ['concurrency']);
    const conc = options.concurrency === undefined ? 0 : checkInteger('concurrency', options.concurrency, UINT32_MAX);
    const cItems = items.map((it, i) => {
      if (it === null || typeof it !== 'object') throw new TypeError(`items[${i}] must be an object, not ${typeName(it)}`);
      return {
        app_id: checkString(`items[${i}].appId`, it.appId),
        app_user_id: checkString(`items[${i}].appUserId`, it.appUserId),
        user_name: checkString(`items[${i}].userName`, it.userName),
      };
    });
    const n = cItems.length;
    if (n === 0) return [];
    const results = allocZeroed('eiam_bind_result', n);
    const size = koffi.sizeof(types.eiam_bind_result);
    try {
      // No progress callback: the library would call it from its worker
      // threads while this thread, the only one that may run it, waits.
      call((err) => C.eiam_bind_public_account_owners(h, cItems, n, conc, null, null, results, err));
      const out = [];
      for (let i = 0; i < n; i++) {
        const r = koffi.decode(results, i * size, types.eiam_bind_result);
        const error = errorFromStruct(r.error);
        out.push({ ok: error === null, accountId: error === null ? r.account_id : null, error });
      }
      return out;
    } finally {
      C.eiam_bind_results_clear(results, n);
      koffi.free(results);
    }
  }

  // ------------------------------------------------------------ accounts

  /**
   * Creates a public (shared) account; fields: name, orgCode, password,
   * disabled, extension (an object). Not retried once it may have arrived.
   * @returns {string} the new account's id
   */
  createPublicAccount(appId, accountName, fields = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const n = checkString('accountName', accountName);
    checkOptions(fields, FIELD_OPTIONS);
    return withFields(fields, (f) => callForString((out, err) => C.eiam_create_public_account(h, a, n, f, out, err)));
  }

  /**
   * Creates a compliance (basic) account of user userId; accountName is
   * optional (the service names it after the user), the rest as above.
   * @returns {string} the new account's id
   */
  createBasicAccount(appId, userId, fields = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('userId', userId);
    checkOptions(fields, ['accountName', ...FIELD_OPTIONS]);
    const n = optionalString('accountName', fields.accountName);
    return withFields(fields, (f) => callForString((out, err) => C.eiam_create_basic_account(h, a, u, n, f, out, err)));
  }

  /**
   * Creates an orphan account (one with no user); as createPublicAccount.
   * @returns {string} the new account's id
   */
  createOrphanAccount(appId, accountName, fields = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const n = checkString('accountName', accountName);
    checkOptions(fields, FIELD_OPTIONS);
    return withFields(fields, (f) => callForString((out, err) => C.eiam_create_orphan_account(h, a, n, f, out, err)));
  }

  /**
   * Gives the users named userNames access to public account appUserId.
   * @returns {string} the account's id
   */
  addPublicAccountUsers(appId, appUserId, userNames) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const names = checkStringArray('userNames', userNames);
    return callForString((out, err) => C.eiam_add_public_account_users(h, a, u, names, names.length, out, err));
  }

  /**
   * Takes access to public account appUserId away from the users named userNames.
   * @returns {string} the account's id
   */
  removePublicAccountUsers(appId, appUserId, userNames) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const names = checkStringArray('userNames', userNames);
    return callForString((out, err) => C.eiam_remove_public_account_users(h, a, u, names, names.length, out, err));
  }

  /**
   * One page (from 0) of the members of public account appUserId.
   * @returns {{items: {id: string, userName: string, disabled: boolean}[], total: number, page: number}}
   */
  listPublicAccountUsers(appId, appUserId, options = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const { page, size } = paging(checkOptions(options, ['page', 'pageSize']));
    return callForStruct(
      'eiam_account_user_page',
      (p) => C.eiam_account_user_page_clear(p),
      (p, err) => C.eiam_list_public_account_users(h, a, u, page, size, p, err),
      (p) => pageOf(p, 'eiam_account_user', toAccountUser),
    );
  }

  /**
   * Every member of public account appUserId, fetched a page at a time as
   * the iteration goes. Errors of the walk (a bad pageSize included) are
   * thrown by the step that meets them.
   * @returns {Generator<{id: string, userName: string, disabled: boolean}>}
   */
  publicAccountUsers(appId, appUserId, options = {}) {
    this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const { size } = paging(checkOptions(options, ['pageSize']));
    return this._walk(ACCOUNT_USER_PAGES, (h, out, err) => C.eiam_account_user_pager_new(h, a, u, size, out, err));
  }

  /**
   * Account accountId of application appId.
   * @returns {{id: string, accountName: string, name: string|null, orgId: string|null,
   *   accountType: string, disabled: boolean, extension: object}}
   */
  getAccount(appId, accountId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const id = checkString('accountId', accountIdOf);
    return callForStruct(
      'eiam_account',
      (account) => C.eiam_account_clear(account),
      (account, err) => C.eiam_get_account(h, a, id, account, err),
      toAccount,
    );
  }

  /**
   * One page (from 0) of the accounts of application appId, of one
   * accountType or (absent or '') of every type.
   * @returns {{items: object[], total: number, page: number}}
   */
  listAccounts(appId, options = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const { page, size } = paging(checkOptions(options, ['accountType', 'page', 'pageSize']));
    const type = optionalString('accountType', options.accountType);
    return callForStruct(
      'eiam_account_page',
      (p) => C.eiam_account_page_clear(p),
      (p, err) => C.eiam_list_accounts(h, a, type, page, size, p, err),
      (p) => pageOf(p, 'eiam_account', toAccount),
    );
  }

  /**
   * Every account of application appId (of one accountType, or all), a
   * page at a time; as publicAccountUsers.
   * @returns {Generator<object>}
   */
  accounts(appId, options = {}) {
    this._live();
    const a = checkString('appId', appId);
    const { size } = paging(checkOptions(options, ['accountType', 'pageSize']));
    const type = optionalString('accountType', options.accountType);
    return this._walk(ACCOUNT_PAGES, (h, out, err) => C.eiam_account_pager_new(h, a, type, size, out, err));
  }

  /**
   * Updates account accountId: accountName (the service requires it) and
   * the fields given; the others stay as they are.
   * @returns {string} the account's id
   */
  updateAccount(appId, accountId, accountName, fields = {}) {
    const h = this._live();
    const a = checkString('appId', appId);
    const id = checkString('accountId', accountIdOf);
    const n = checkString('accountName', accountName);
    checkOptions(fields, FIELD_OPTIONS);
    return withFields(fields, (f) => callForString((out, err) => C.eiam_update_account(h, a, id, n, f, out, err)));
  }

  /** Disables account accountId; returns its id. */
  disableAccount(appId, accountId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const id = checkString('accountId', accountIdOf);
    return callForString((out, err) => C.eiam_disable_account(h, a, id, out, err));
  }

  /** Enables account accountId; returns its id. */
  enableAccount(appId, accountId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const id = checkString('accountId', accountIdOf);
    return callForString((out, err) => C.eiam_enable_account(h, a, id, out, err));
  }

  /** Deletes account accountId (of any type); a retry that finds it gone succeeds. */
  deleteAccount(appId, accountId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const id = checkString('accountId', accountIdOf);
    call((err) => C.eiam_delete_account(h, a, id, err));
  }

  /**
   * Sends method to path (relative to the base URL, starting with /api/)
   * with the client's token, deadline and retries. query: an object or
   * [name, value] pairs (values strings or numbers); json: the body, any
   * JSON-able value; idempotent: whether a retry is safe (absent: GET, PUT
   * and DELETE are retried like reads).
   * @returns {any} the answer's JSON, or undefined when it had no body
   */
  request(method, path, options = {}) {
    const h = this._live();
    const m = checkString('method', method);
    const p = checkString('path', path);
    checkOptions(options, ['query', 'json', 'idempotent']);
    const query = queryParams(options.query);
    const body = options.json === undefined ? null : jsonText('json', options.json);
    const idempotent = checkTristate('idempotent', options.idempotent);
    const text = callForString((out, err) => C.eiam_request(h, m, p, query, query.length, body, idempotent, out, err));
    return text === null ? undefined : JSON.parse(text);
  }

  /**
   * An iterator over a C pager of `kind` that open(handle, slot, err)
   * creates (see walk), freed with the walk or when collected. @private
   */
  _walk(kind, open) {
    const live = { client: this._client, pager: null, free: kind.free };
    const iterator = walk(this._client, kind, open, live);
    pagerFinalizer.register(iterator, live, live);
    return iterator;
  }
}

class Client {
  /**
   * @param {object} options see index.d.ts (ClientOptions)
   */
  constructor(options = {}) {
    checkOptions(options, CLIENT_OPTIONS);
    const cfg = C.eiam_config_new();
    if (!cfg) throw new EiamError(Status.INTERNAL_ERROR, 0, null, 'eiam_config_new failed');
    const slot = allocSlot();
    let handle = null;
    try {
      for (const { setter, options: names } of CONFIG_SETTERS) {
        if (names.every(([name]) => options[name] === undefined)) continue;
        const values = names.map(([name, type]) => CHECK_BY_C_TYPE[type](name, options[name]));
        call((err) => C[setter](cfg, ...values, err));
      }
      call((err) => C.eiam_client_new(cfg, slot, err));
      handle = koffi.decode(slot, 'void *');
    } finally {
      C.eiam_config_free(cfg);
      koffi.free(slot);
    }
    own(handle);
    /** @private */
    this._handle = handle;
    /** @private The pagers of walks under way (see walk). */
    this._pagers = new Set();
    /** @private The calls under way: their cancel functions (see _run). */
    this._running = new Set();
    /** The blocking form of every call (see SyncCalls). */
    this.sync = new SyncCalls(this);
    finalizer.register(this, handle, this);
  }

  _live() {
    if (this._handle === null) throw invalid('client is closed');
    return this._handle;
  }


  /**
   * Runs call `name` of the C API's table (src/dispatch.rs) with `args` on
   * the library's workers; the Promise of convert(its answer's JSON).
   * options.signal aborts it (eiam_task_cancel). @private
   */
  _run(name, args, options, convert = (v) => v) {
    const h = this._live();
    const signal = checkSignal(options.signal);
    const text = jsonText('arguments', args);
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) {
        reject(cancelledBeforeStart());
        return;
      }
      let task = null;
      const cancel = () => C.eiam_task_cancel(task);
      const settle = (status, errPtr, resultJson) => {
        this._running.delete(cancel);
        if (signal) signal.removeEventListener('abort', cancel);
        if (status !== Status.OK) {
          reject(errorFromStruct(koffi.decode(errPtr, types.eiam_error), status, errPtr));
          return;
        }
        try {
          resolve(convert(JSON.parse(resultJson)));
        } catch (e) {
          reject(e);
        }
      };
      task = startCall(h, name, text, settle, call);
      this._running.add(cancel);
      if (signal) signal.addEventListener('abort', cancel, { once: true });
    });
  }

  /** Fetches (or reuses) the access token now, so bad credentials fail here. */
  async authenticate(options = {}) {
    checkOptions(options, ['signal']);
    await this._run('authenticate', {}, options, () => undefined);
  }

  /** Makes userName the owner of public account appUserId; the account's id. */
  async bindPublicAccountOwner(appId, appUserId, userName, options = {}) {
    const args = {
      app_id: checkString('appId', appId),
      app_user_id: checkString('appUserId', appUserId),
      user_name: checkString('userName', userName),
    };
    return this._run('bind_public_account_owner', args, checkOptions(options, ['signal']), accountIdOf);
  }

  /** The owner of public account appUserId: { userId, userName, disabled }. */
  async getPublicAccountOwner(appId, appUserId, options = {}) {
    const args = { app_id: checkString('appId', appId), app_user_id: checkString('appUserId', appUserId) };
    return this._run('get_public_account_owner', args, checkOptions(options, ['signal']), (o) => ({
      userId: o.user_id,
      userName: o.user_name,
      disabled: o.disabled,
    }));
  }

  /**
   * Binds many owners with at most `concurrency` calls in flight (0 or
   * absent: the library's default); one result per item, in input order.
   */
  async bindPublicAccountOwners(items, options = {}) {
    this._live();
    if (!Array.isArray(items)) throw new TypeError(`items must be an array, not ${typeName(items)}`);
    checkOptions(options, ['concurrency', 'signal']);
    const conc = options.concurrency === undefined ? 0 : checkInteger('concurrency', options.concurrency, UINT32_MAX);
    const triples = items.map((it, i) => {
      if (it === null || typeof it !== 'object') throw new TypeError(`items[${i}] must be an object, not ${typeName(it)}`);
      return [
        checkString(`items[${i}].appId`, it.appId),
        checkString(`items[${i}].appUserId`, it.appUserId),
        checkString(`items[${i}].userName`, it.userName),
      ];
    });
    if (triples.length === 0) return [];
    const args = conc === 0 ? { items: triples } : { items: triples, concurrency: conc };
    return this._run('bind_public_account_owners', args, options, (results) => results.map(bindResultOf));
  }

  // ------------------------------------------------------------ accounts (async)

  /** Creates a public (shared) account; its id. Not retried once it may have arrived. */
  async createPublicAccount(appId, accountName, fields = {}) {
    const args = { app_id: checkString('appId', appId), account_name: checkString('accountName', accountName) };
    return this._run('create_public_account', fieldsJson(args, fields, FIELD_OPTIONS), fields, accountIdOf);
  }

  /** Creates a compliance (basic) account of user userId; accountName is optional. */
  async createBasicAccount(appId, userId, fields = {}) {
    const args = { app_id: checkString('appId', appId), user_id: checkString('userId', userId) };
    checkOptions(fields, ['accountName', ...FIELD_OPTIONS, 'signal']);
    if (fields.accountName !== undefined) args.account_name = checkString('accountName', fields.accountName);
    return this._run('create_basic_account', fieldsJson(args, fields, ['accountName', ...FIELD_OPTIONS]), fields, accountIdOf);
  }

  /** Creates an orphan account (one with no user); as createPublicAccount. */
  async createOrphanAccount(appId, accountName, fields = {}) {
    const args = { app_id: checkString('appId', appId), account_name: checkString('accountName', accountName) };
    return this._run('create_orphan_account', fieldsJson(args, fields, FIELD_OPTIONS), fields, accountIdOf);
  }

  /** Gives the users named userNames access to public account appUserId; its id. */
  async addPublicAccountUsers(appId, appUserId, userNames, options = {}) {
    return this._members('add_public_account_users', appId, appUserId, userNames, options);
  }

  /** Takes public account appUserId away from the users named userNames; its id. */
  async removePublicAccountUsers(appId, appUserId, userNames, options = {}) {
    return this._members('remove_public_account_users', appId, appUserId, userNames, options);
  }

  /** @private */
  _members(name, appId, appUserId, userNames, options) {
    const args = {
      app_id: checkString('appId', appId),
      app_user_id: checkString('appUserId', appUserId),
      user_names: checkStringArray('userNames', userNames),
    };
    return this._run(name, args, checkOptions(options, ['signal']), accountIdOf);
  }

  /** One page (from 0) of the members of public account appUserId. */
  async listPublicAccountUsers(appId, appUserId, options = {}) {
    const { page, size } = paging(checkOptions(options, ['page', 'pageSize', 'signal']));
    const args = { app_id: checkString('appId', appId), app_user_id: checkString('appUserId', appUserId), page, page_size: size };
    return this._run('list_public_account_users', args, options, (p) => pageOfJson(p, toAccountUser));
  }

  /**
   * Every member of public account appUserId, for `for await`: a page is
   * fetched when the loop needs it. Arguments are checked here; a failed
   * page (a bad pageSize included) rejects the step that meets it.
   */
  publicAccountUsers(appId, appUserId, options = {}) {
    this._live();
    const { size } = paging(checkOptions(options, ['pageSize', 'signal']));
    checkSignal(options.signal);
    const args = { app_id: checkString('appId', appId), app_user_id: checkString('appUserId', appUserId), page_size: size };
    return walkAsync(this, 'public_account_users_next', args, options, toAccountUser);
  }

  /** Account accountId of application appId. */
  async getAccount(appId, accountId, options = {}) {
    const args = { app_id: checkString('appId', appId), account_id: checkString('accountId', accountId) };
    return this._run('get_account', args, checkOptions(options, ['signal']), accountOfJson);
  }

  /** One page (from 0) of the accounts of application appId, of one accountType or (absent or '') all. */
  async listAccounts(appId, options = {}) {
    const { page, size } = paging(checkOptions(options, ['accountType', 'page', 'pageSize', 'signal']));
    const args = { app_id: checkString('appId', appId), page, page_size: size };
    if (options.accountType !== undefined) args.account_type = checkString('accountType', options.accountType);
    return this._run('list_accounts', args, options, (p) => pageOfJson(p, accountOfJson));
  }

  /** Every account of application appId (of one accountType, or all); as publicAccountUsers. */
  accounts(appId, options = {}) {
    this._live();
    const { size } = paging(checkOptions(options, ['accountType', 'pageSize', 'signal']));
    checkSignal(options.signal);
    const args = { app_id: checkString('appId', appId), page_size: size };
    if (options.accountType !== undefined) args.account_type = checkString('accountType', options.accountType);
    return walkAsync(this, 'accounts_next', args, options, accountOfJson);
  }

  /** Updates account accountId: accountName (required) and the fields given; its id. */
  async updateAccount(appId, accountId, accountName, fields = {}) {
    const args = {
      app_id: checkString('appId', appId),
      account_id: checkString('accountId', accountId),
      account_name: checkString('accountName', accountName),
    };
    return this._run('update_account', fieldsJson(args, fields, FIELD_OPTIONS), fields, accountIdOf);
  }

  /** Disables account accountId; its id. */
  async disableAccount(appId, accountId, options = {}) {
    return this._byId('disable_account', appId, accountId, options, accountIdOf);
  }

  /** Enables account accountId; its id. */
  async enableAccount(appId, accountId, options = {}) {
    return this._byId('enable_account', appId, accountId, options, accountIdOf);
  }

  /** Deletes account accountId (of any type); a retry that finds it gone succeeds. */
  async deleteAccount(appId, accountId, options = {}) {
    await this._byId('delete_account', appId, accountId, options, () => undefined);
  }

  /** @private */
  _byId(name, appId, accountId, options, convert) {
    const args = { app_id: checkString('appId', appId), account_id: checkString('accountId', accountId) };
    return this._run(name, args, checkOptions(options, ['signal']), convert);
  }

  /**
   * Sends method to path (relative to the base URL, starting with /api/)
   * with the client's token, deadline and retries; the answer's JSON, or
   * undefined when it had no body. Options as client.sync.request, and signal.
   */
  async request(method, path, options = {}) {
    checkOptions(options, ['query', 'json', 'idempotent', 'signal']);
    const args = {
      method: checkString('method', method),
      path: checkString('path', path),
      query: queryParams(options.query).map(({ name, value }) => [name, value]),
    };
    if (options.json !== undefined) args.json = JSON.parse(jsonText('json', options.json));
    if (options.idempotent !== undefined) args.idempotent = checkBoolean('idempotent', options.idempotent);
    return this._run('request', args, options, (v) => (v === null ? undefined : v));
  }

  /**
   * Frees the client and cancels its calls under way (their Promises
   * reject with CANCELLED). Idempotent; any later call rejects.
   */
  close() {
    if (this._handle === null) return;
    const h = this._handle;
    this._handle = null;
    finalizer.unregister(this);
    for (const live of [...this._pagers]) freePager(live); // a pager may not outlive its client
    // A call under way holds its own reference to the library's client,
    // so freeing the handle now is safe; its Promise rejects with CANCELLED.
    for (const cancel of [...this._running]) cancel();
    release(h);
  }

  get closed() {
    return this._handle === null;
  }
}

/** The library's version, e.g. "0.1.0". */
function version() {
  return C.eiam_version();
}

/** Page sizes the service accepts, and the iterators' default (from the header). */
const MIN_PAGE_SIZE = constants.EIAM_MIN_PAGE_SIZE;
const MAX_PAGE_SIZE = constants.EIAM_MAX_PAGE_SIZE;
const DEFAULT_PAGE_SIZE = constants.EIAM_DEFAULT_PAGE_SIZE;

module.exports = {
  Client, EiamError, Status, AccountType, MIN_PAGE_SIZE, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, version, libraryPath,
};
