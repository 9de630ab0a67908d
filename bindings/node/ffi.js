'use strict';
// libeiam as koffi sees it: the library found the way an installed library
// is found, and every type and function of include/eiam.h declared from
// header.json, which tools/header.js generates from the header (a test
// checks it is fresh). Nothing here is copied from the header by hand.

const fs = require('node:fs');
const path = require('node:path');
const koffi = require('koffi');
const header = require('./header.json');

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

// Each completion of an async call (calls.js) holds one of koffi's async
// call slots while it waits for the JS thread; raise koffi's default of
// 256 to its maximum so that every worker a client may have
// (EIAM_MAX_ASYNC_WORKERS) fits. koffi allows this only before any
// library is loaded: if another module loaded one first, its limit stays.
try {
  koffi.config({ ...koffi.config(), max_async_calls: 4096 });
} catch {
  // configured by whoever loaded a library first
}

const { lib, file: libraryPath } = loadLibrary();

// ---------------------------------------------------------------- declarations

// The C enums are int-sized (their values are small and non-negative).
for (const name of Object.keys(header.enums)) koffi.alias(name, 'int');
for (const name of header.opaque) koffi.opaque(name);
// `char *` fields decode to JS strings (copies): the library's clear
// functions free the C strings, through the pointer to the struct.
const types = {};
for (const [name, fields] of Object.entries(header.structs)) types[name] = koffi.struct(name, fields);
// A C callback typedef names a pointer to a function type (of the structs above).
for (const [name, cb] of Object.entries(header.callbacks)) {
  koffi.pointer(name, koffi.proto(cb.result, cb.params.map(([type]) => type)));
}

function prototype(name, fn) {
  const params = fn.params.map(([type, param]) => `${type} ${param}`).join(', ');
  return `${fn.result} ${name}(${params || 'void'})`;
}

/** Every function of the header, by its C name. */
const C = {};
for (const [name, fn] of Object.entries(header.functions)) {
  try {
    C[name] = lib.func(prototype(name, fn));
  } catch (e) {
    throw new Error(`${libraryPath} does not match this binding's include/eiam.h (${e.message}): is it an older libeiam?`);
  }
}

/** Addresses of the functions that native code calls back (see index.js). */
const address = (name) => lib.symbol(name);

// ---------------------------------------------------------------- statuses

const STATUS_PREFIX = 'EIAM_STATUS_';
/** `{ OK: 0, INVALID_ARGUMENT: 1, ... }`, from `enum eiam_status`. */
const Status = Object.freeze(
  Object.fromEntries(Object.entries(header.enums.eiam_status).map(([k, v]) => [k.slice(STATUS_PREFIX.length), v])),
);
const statusName = (n) => Object.keys(Status).find((k) => Status[k] === n);

// ---------------------------------------------------------------- options

const camel = (snake) => snake.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The client options, one per `eiam_config_set_<name>(cfg, value, err)`,
 * named `<name>` in camelCase. A setter of several values takes them from
 * the options named after its parameters, given together.
 * Each: { setter, options: [[optionName, cType], ...] }.
 */
const ALL_SETTERS = Object.entries(header.functions)
  .filter(([name]) => name.startsWith('eiam_config_set_'))
  .map(([name, fn]) => {
    const values = fn.params.slice(1, -1);
    const options =
      values.length === 1
        ? [[camel(name.slice('eiam_config_set_'.length)), values[0][0]]]
        : values.map(([type, param]) => [camel(param), type]);
    return { setter: name, options };
  });
const single = new Set(ALL_SETTERS.filter((s) => s.options.length === 1).map((s) => s.options[0][0]));
// A setter of several values that single setters also cover (C's
// eiam_config_set_client_credentials) is a convenience for C callers.
const isConvenience = (s) => s.options.length > 1 && s.options.every(([name]) => single.has(name));
const CONFIG_SETTERS = ALL_SETTERS.filter((s) => !isConvenience(s));
const CONVENIENCE_SETTERS = ALL_SETTERS.filter(isConvenience).map((s) => s.setter);

/** The header's integer #defines, by name (`EIAM_BOOL_TRUE`, `EIAM_MAX_PAGE_SIZE`, ...). */
const constants = Object.freeze({ ...header.constants });

module.exports = {
  koffi, C, types, structs: header.structs, constants, address, Status, statusName, CONFIG_SETTERS, CONVENIENCE_SETTERS, libraryPath,
};
