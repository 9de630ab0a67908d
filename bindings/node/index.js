'use strict';
// Node.js binding of eiam: a thin layer over include/eiam.h, loaded with
// koffi (no native compile step; see ffi.js). Every call is synchronous
// because the C API blocks; the wrapper frees everything the library
// returns exactly once.

const { koffi, C, types, address, Status, statusName, CONFIG_SETTERS, libraryPath } = require('./ffi');

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

const ZERO = {
  eiam_error: { status: Status.OK, http_status: 0, code: null, message: null },
  eiam_owner: { user_id: null, user_name: null, disabled: false },
};
ZERO.eiam_bind_result = { account_id: null, error: ZERO.eiam_error };

/** `count` zeroed values of struct `name` in C memory; release with koffi.free. */
function allocZeroed(name, count = 1) {
  const type = types[name];
  const ptr = koffi.alloc(type, count);
  const size = koffi.sizeof(type);
  for (let i = 0; i < count; i++) koffi.encode(ptr, i * size, type, ZERO[name]);
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

// Calls are synchronous, so none can be running when this fires.
const finalizer = new FinalizationRegistry(release);

// ---------------------------------------------------------------- Client

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
    finalizer.register(this, handle, this);
  }

  _live() {
    if (this._handle === null) throw invalid('client is closed');
    return this._handle;
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
    const slot = allocSlot(); // the char * out-parameter
    try {
      call((err) => C.eiam_bind_public_account_owner(h, a, u, n, slot, err));
      return koffi.decode(slot, 'char *');
    } finally {
      C.eiam_string_free(koffi.decode(slot, 'void *')); // NULL-safe; NULL on failure
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
    const owner = allocZeroed('eiam_owner');
    try {
      call((err) => C.eiam_get_public_account_owner(h, a, u, owner, err));
      const o = koffi.decode(owner, types.eiam_owner);
      return { userId: o.user_id, userName: o.user_name, disabled: o.disabled };
    } finally {
      C.eiam_owner_clear(owner);
      koffi.free(owner);
    }
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

  /** Frees the client. Idempotent; any later call throws. */
  close() {
    if (this._handle === null) return;
    const h = this._handle;
    this._handle = null;
    finalizer.unregister(this);
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

module.exports = { Client, EiamError, Status, version, libraryPath };
