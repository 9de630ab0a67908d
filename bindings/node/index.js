'use strict';
// Node.js binding of eiam: a thin layer over include/eiam.h, loaded with
// koffi (no native compile step). Every call is synchronous because the C
// API blocks; the wrapper frees everything the library returns exactly once.

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');

const STATUS_NAMES = [
  'OK',
  'INVALID_ARGUMENT',
  'API_ERROR',
  'AUTH_ERROR',
  'TRANSPORT_ERROR',
  'TIMEOUT',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'CANCELLED',
];
const Status = Object.freeze(Object.fromEntries(STATUS_NAMES.map((n, i) => [n, i])));

// ---------------------------------------------------------------- loading

const DEV_LIB = path.join(__dirname, '..', '..', 'target', 'debug', 'libeiam.so');
const HOW_TO_POINT =
  'set EIAM_LIB to the path of libeiam.so (for example EIAM_LIB=/usr/local/lib/libeiam.so.0), ' +
  'or install libeiam where the dynamic loader looks (ld.so(8): LD_LIBRARY_PATH, ldconfig)';

/** The file the dynamic loader mapped for `name` (searched for, not a path). */
function mappedFile(name) {
  let maps = '';
  try {
    maps = fs.readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return name;
  }
  for (const line of maps.split('\n')) {
    const at = line.indexOf('/');
    if (at >= 0 && path.basename(line.slice(at)).startsWith('libeiam.so')) return line.slice(at);
  }
  return name;
}

/** Opens `name` (a path, or a name the loader searches for); { lib, file }. */
function open(name) {
  const lib = koffi.load(name);
  return { lib, file: name.includes('/') ? fs.realpathSync(name) : mappedFile(name) };
}

/**
 * `EIAM_LIB` if set (and then nothing else); otherwise the installed
 * library through the loader's own search, by its SONAME and then its
 * development name; last, in a checkout, the repository's debug build.
 */
function loadLibrary() {
  const fromEnv = process.env.EIAM_LIB;
  if (fromEnv) {
    try {
      return open(fromEnv);
    } catch (e) {
      throw new Error(`cannot load libeiam from ${fromEnv} (EIAM_LIB): ${e.message}; ${HOW_TO_POINT}`);
    }
  }
  const tried = [];
  for (const name of ['libeiam.so.0', 'libeiam.so', DEV_LIB]) {
    if (name === DEV_LIB && !fs.existsSync(DEV_LIB)) continue;
    try {
      return open(name);
    } catch (e) {
      tried.push(`${name} (${e.message})`);
    }
  }
  throw new Error(`cannot load libeiam: tried ${tried.join(', ')}; ${HOW_TO_POINT}`);
}

const { lib, file: LIB_PATH } = loadLibrary();

// ---------------------------------------------------------------- FFI setup

koffi.opaque('eiam_client');
koffi.opaque('eiam_config');
// The structs are allocated in C memory (koffi.alloc), filled by the
// library, read with koffi.decode, then released by the library's own clear
// function through the same pointer, and the memory freed with koffi.free.
// The char * fields are declared `const char *` so that decoding copies
// them into JS strings without taking ownership.
const EiamErrorT = koffi.struct('eiam_error', {
  status: 'int',
  http_status: 'uint16_t',
  code: 'const char *',
  message: 'const char *',
});
const EiamOwnerT = koffi.struct('eiam_owner', {
  user_id: 'const char *',
  user_name: 'const char *',
  disabled: 'bool',
});
koffi.struct('eiam_bind_item', {
  app_id: 'const char *',
  app_user_id: 'const char *',
  user_name: 'const char *',
});
const EiamBindResultT = koffi.struct('eiam_bind_result', {
  account_id: 'const char *',
  error: 'eiam_error',
});
const ZERO = {
  error: { status: 0, http_status: 0, code: null, message: null },
  owner: { user_id: null, user_name: null, disabled: false },
};
ZERO.result = { account_id: null, error: ZERO.error };

const C = {
  version: lib.func('const char *eiam_version(void)'),
  config_new: lib.func('eiam_config *eiam_config_new(void)'),
  config_free: lib.func('void eiam_config_free(eiam_config *cfg)'),
  set_base_url: lib.func('int eiam_config_set_base_url(eiam_config *cfg, const char *s, eiam_error *err)'),
  set_client_credentials: lib.func(
    'int eiam_config_set_client_credentials(eiam_config *cfg, const char *id, const char *secret, eiam_error *err)',
  ),
  set_access_token: lib.func('int eiam_config_set_access_token(eiam_config *cfg, const char *s, eiam_error *err)'),
  set_timeout_ms: lib.func('int eiam_config_set_timeout_ms(eiam_config *cfg, uint64_t ms, eiam_error *err)'),
  set_connect_timeout_ms: lib.func(
    'int eiam_config_set_connect_timeout_ms(eiam_config *cfg, uint64_t ms, eiam_error *err)',
  ),
  set_max_retries: lib.func('int eiam_config_set_max_retries(eiam_config *cfg, uint32_t n, eiam_error *err)'),
  set_ca_file: lib.func('int eiam_config_set_ca_file(eiam_config *cfg, const char *s, eiam_error *err)'),
  set_proxy: lib.func('int eiam_config_set_proxy(eiam_config *cfg, const char *s, eiam_error *err)'),
  set_allow_insecure_http: lib.func(
    'int eiam_config_set_allow_insecure_http(eiam_config *cfg, bool allow, eiam_error *err)',
  ),
  set_user_agent: lib.func('int eiam_config_set_user_agent(eiam_config *cfg, const char *s, eiam_error *err)'),
  client_new: lib.func('int eiam_client_new(const eiam_config *cfg, _Out_ eiam_client **out, eiam_error *err)'),
  client_free: lib.func('void eiam_client_free(eiam_client *client)'),
  authenticate: lib.func('int eiam_client_authenticate(const eiam_client *client, eiam_error *err)'),
  bind: lib.func(
    'int eiam_bind_public_account_owner(const eiam_client *client, const char *app_id, const char *app_user_id, ' +
      'const char *user_name, void **out_account_id, eiam_error *err)',
  ),
  get_owner: lib.func(
    'int eiam_get_public_account_owner(const eiam_client *client, const char *app_id, const char *app_user_id, ' +
      'eiam_owner *out_owner, eiam_error *err)',
  ),
  bind_many: lib.func(
    'int eiam_bind_public_account_owners(const eiam_client *client, const eiam_bind_item *items, size_t count, ' +
      'uint32_t concurrency, void *progress, void *user_data, eiam_bind_result *out_results, eiam_error *err)',
  ),
  bind_results_clear: lib.func('void eiam_bind_results_clear(eiam_bind_result *results, size_t count)'),
  owner_clear: lib.func('void eiam_owner_clear(eiam_owner *owner)'),
  error_clear: lib.func('void eiam_error_clear(eiam_error *err)'),
  string_free: lib.func('void eiam_string_free(void *s)'),
};

// ---------------------------------------------------------------- helpers

class EiamError extends Error {
  /**
   * @param {number} statusCode numeric eiam_status
   * @param {number} httpStatus 0 when no response was received
   * @param {string|null} code
   * @param {string} message
   */
  constructor(statusCode, httpStatus, code, message) {
    super(message);
    this.statusCode = statusCode;
    this.status = STATUS_NAMES[statusCode] || `UNKNOWN_${statusCode}`;
    this.httpStatus = httpStatus ? httpStatus : null;
    this.code = code == null ? null : code;
  }
}

EiamError.prototype.name = 'EiamError';

function invalid(message) {
  return new EiamError(Status.INVALID_ARGUMENT, 0, null, message);
}

// Zeroed C memory for `count` values of `type`; release with koffi.free.
// (Element by element: koffi.encode/decode with a length would create a new
// array type, never freed, on every call.)
function allocZeroed(type, zero, count = 1) {
  const ptr = koffi.alloc(type, count);
  const size = koffi.sizeof(type);
  for (let i = 0; i < count; i++) koffi.encode(ptr, i * size, type, zero);
  return ptr;
}

function errorFromStruct(e) {
  if (e.status === Status.OK) return null;
  const message = e.message || `eiam call failed with status ${STATUS_NAMES[e.status] || e.status}`;
  return new EiamError(e.status, e.http_status, e.code, message);
}

// Runs fn(errPtr) with a zeroed eiam_error; on a non-OK status throws an
// EiamError built from it. The error's strings are freed exactly once.
function call(fn) {
  const errPtr = allocZeroed(EiamErrorT, ZERO.error);
  try {
    const status = fn(errPtr);
    if (status === Status.OK) return;
    const e = koffi.decode(errPtr, EiamErrorT);
    e.status = status;
    throw errorFromStruct(e);
  } finally {
    C.error_clear(errPtr);
    koffi.free(errPtr);
  }
}

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

/** An options object whose every key is one of `known`. */
function checkOptions(options, known) {
  if (options === null || typeof options !== 'object') throw new TypeError(`options must be an object, not ${typeName(options)}`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`unknown option ${key} (known: ${known.join(', ')})`);
  }
  return options;
}

const CLIENT_OPTIONS = [
  'baseUrl', 'clientId', 'clientSecret', 'accessToken', 'timeoutMs', 'connectTimeoutMs',
  'maxRetries', 'caFile', 'proxy', 'allowInsecureHttp', 'userAgent',
];

// Frees clients that were never closed once they are garbage collected.
// Calls are synchronous, so none can be running when this fires.
const finalizer = new FinalizationRegistry((handle) => C.client_free(handle));

// ---------------------------------------------------------------- Client

class Client {
  /**
   * @param {object} options see index.d.ts (ClientOptions)
   */
  constructor(options = {}) {
    const o = checkOptions(options, CLIENT_OPTIONS);
    const cfg = C.config_new();
    if (!cfg) throw new EiamError(Status.INTERNAL_ERROR, 0, null, 'eiam_config_new failed');
    let handle = null;
    try {
      if (o.baseUrl !== undefined) {
        const v = checkString('baseUrl', o.baseUrl);
        call((err) => C.set_base_url(cfg, v, err));
      }
      if (o.clientId !== undefined || o.clientSecret !== undefined) {
        const id = checkString('clientId', o.clientId);
        const secret = checkString('clientSecret', o.clientSecret);
        call((err) => C.set_client_credentials(cfg, id, secret, err));
      }
      if (o.accessToken !== undefined) {
        const v = checkString('accessToken', o.accessToken);
        call((err) => C.set_access_token(cfg, v, err));
      }
      if (o.timeoutMs !== undefined) {
        const v = checkInteger('timeoutMs', o.timeoutMs, Number.MAX_SAFE_INTEGER);
        call((err) => C.set_timeout_ms(cfg, v, err));
      }
      if (o.connectTimeoutMs !== undefined) {
        const v = checkInteger('connectTimeoutMs', o.connectTimeoutMs, Number.MAX_SAFE_INTEGER);
        call((err) => C.set_connect_timeout_ms(cfg, v, err));
      }
      if (o.maxRetries !== undefined) {
        const v = checkInteger('maxRetries', o.maxRetries, UINT32_MAX);
        call((err) => C.set_max_retries(cfg, v, err));
      }
      if (o.caFile !== undefined) {
        const v = checkString('caFile', o.caFile);
        call((err) => C.set_ca_file(cfg, v, err));
      }
      if (o.proxy !== undefined) {
        const v = checkString('proxy', o.proxy);
        call((err) => C.set_proxy(cfg, v, err));
      }
      if (o.allowInsecureHttp !== undefined) {
        const v = checkBoolean('allowInsecureHttp', o.allowInsecureHttp);
        call((err) => C.set_allow_insecure_http(cfg, v, err));
      }
      if (o.userAgent !== undefined) {
        const v = checkString('userAgent', o.userAgent);
        call((err) => C.set_user_agent(cfg, v, err));
      }
      const out = [null];
      call((err) => C.client_new(cfg, out, err));
      handle = out[0];
    } finally {
      C.config_free(cfg);
    }
    /** @private */
    this._handle = handle;
    finalizer.register(this, handle, this);
  }

  _live() {
    if (this._handle === null) throw invalid('client is closed');
    return this._handle;
  }

  /** Fetches (or reuses) the access token now, so bad credentials fail here. */
  authenticate() {
    const h = this._live();
    call((err) => C.authenticate(h, err));
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
    const slot = allocZeroed('void *', null); // the char * out-parameter
    try {
      call((err) => C.bind(h, a, u, n, slot, err));
      return koffi.decode(slot, 'const char *');
    } finally {
      C.string_free(koffi.decode(slot, 'void *')); // NULL-safe; NULL on failure
      koffi.free(slot);
    }
  }

  /**
   * Looks up the owner of public account appUserId of application appId.
   * @returns {{userId: string, userName: string, disabled: boolean}}
   */
  getPublicAccountOwner(appId, appUserId) {
    const h = this._live();
    const a = checkString('appId', appId);
    const u = checkString('appUserId', appUserId);
    const ownerPtr = allocZeroed(EiamOwnerT, ZERO.owner);
    try {
      call((err) => C.get_owner(h, a, u, ownerPtr, err));
      const o = koffi.decode(ownerPtr, EiamOwnerT);
      return { userId: o.user_id, userName: o.user_name, disabled: Boolean(o.disabled) };
    } finally {
      C.owner_clear(ownerPtr);
      koffi.free(ownerPtr);
    }
  }

  /**
   * Binds many owners with at most `concurrency` calls in flight (default 8).
   * One item's failure never stops the others.
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
    const results = allocZeroed(EiamBindResultT, ZERO.result, n);
    const size = koffi.sizeof(EiamBindResultT);
    try {
      call((err) => C.bind_many(h, cItems, n, conc, null, null, results, err));
      const out = [];
      for (let i = 0; i < n; i++) {
        const r = koffi.decode(results, i * size, EiamBindResultT);
        const error = errorFromStruct(r.error);
        out.push({ ok: error === null, accountId: error === null ? r.account_id : null, error });
      }
      return out;
    } finally {
      C.bind_results_clear(results, n);
      koffi.free(results);
    }
  }

  /** Frees the client. Idempotent; any later call throws. */
  close() {
    if (this._handle === null) return;
    const h = this._handle;
    this._handle = null;
    finalizer.unregister(this);
    C.client_free(h);
  }

  get closed() {
    return this._handle === null;
  }
}

/** The library's version, e.g. "0.1.0". */
function version() {
  return C.version();
}

module.exports = { Client, EiamError, Status, version, libraryPath: LIB_PATH };
