'use strict';
// Which libeiam the binding loads, and what it says when it cannot.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PACKAGE = path.join(__dirname, '..');
const DEV_LIB = path.join(PACKAGE, '..', '..', 'target', 'debug', 'libeiam.so');

/** Runs `require(<package>)` in a fresh node with `env`, printing libraryPath. */
function load(env) {
  const script = `process.stdout.write(require(${JSON.stringify(PACKAGE)}).libraryPath)`;
  const clean = { ...process.env };
  delete clean.EIAM_LIB;
  delete clean.LD_LIBRARY_PATH;
  return spawnSync(process.execPath, ['-e', script], { env: { ...clean, ...env }, encoding: 'utf8' });
}

test('the tests use the library EIAM_LIB names', (t) => {
  const { libraryPath } = require('..');
  t.diagnostic(`libeiam: ${libraryPath}`);
  if (process.env.EIAM_LIB) assert.equal(libraryPath, fs.realpathSync(process.env.EIAM_LIB));
  assert.ok(fs.existsSync(libraryPath), libraryPath);
});

test('a wrong EIAM_LIB: the error names the file and the variable, and nothing else is tried', () => {
  for (const wrong of ['/nonexistent/dir/libeiam.so', '/etc/hostname']) {
    const r = load({ EIAM_LIB: wrong });
    assert.notEqual(r.status, 0, 'loading must fail');
    assert.match(r.stderr, new RegExp(`cannot load libeiam from ${wrong.replace(/[/.]/g, '\\$&')} \\(EIAM_LIB\\)`));
    assert.match(r.stderr, /set EIAM_LIB to the path of libeiam\.so/);
    assert.doesNotMatch(r.stderr, /target\/debug/, 'no fallback when EIAM_LIB is set');
  }
});

test('without EIAM_LIB, the loader search finds libeiam.so.0 (LD_LIBRARY_PATH) before the development build', (t) => {
  assert.ok(fs.existsSync(DEV_LIB), `this test needs the development build at ${DEV_LIB}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eiam-node-lib-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A copy under its SONAME, as `make install` leaves it; a hard link where
  // possible (the debug build is large).
  const installed = path.join(dir, 'libeiam.so.0');
  try {
    fs.linkSync(fs.realpathSync(DEV_LIB), installed);
  } catch {
    fs.copyFileSync(DEV_LIB, installed);
  }
  const r = load({ LD_LIBRARY_PATH: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, installed);
  // EIAM_LIB may be a name for the loader to search, too.
  const named = load({ LD_LIBRARY_PATH: dir, EIAM_LIB: 'libeiam.so.0' });
  assert.equal(named.status, 0, named.stderr);
  assert.equal(named.stdout, installed);
});

test('without EIAM_LIB and nothing installed, the development build is the fallback', (t) => {
  const cache = spawnSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }).stdout || '';
  if (/\blibeiam\.so/.test(cache)) {
    t.skip('a libeiam is installed system-wide, so the fallback is not reached');
    return;
  }
  const r = load({});
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, fs.realpathSync(DEV_LIB));
});
