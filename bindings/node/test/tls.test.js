'use strict';
// The trust options over real TLS: the mock behind an HTTPS proxy whose
// certificate a CA of the test signed.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { Client } = require('..');
const { startMock } = require('../testutil/mock');
const { startTlsProxy } = require('../testutil/tls');
const { expectEiamError } = require('../testutil/assert');

let mock;
let https;

before(async () => {
  mock = await startMock();
  https = await startTlsProxy(mock.url);
});

after(async () => {
  await https.stop();
  await mock.stop();
});

async function owner(options) {
  const c = new Client({ baseUrl: https.url, clientId: mock.clientId, clientSecret: mock.clientSecret, ...options });
  try {
    return (await c.getPublicAccountOwner('demo-app', 'pub-1')).userName;
  } finally {
    c.close();
  }
}

test('an unknown CA is refused; caFile trusts it, with or without the platform roots', async () => {
  await expectEiamError(() => owner({}), { status: 'TRANSPORT_ERROR' });
  assert.equal(await owner({ caFile: https.caFile }), 'zhangsan');
  assert.equal(await owner({ caFile: https.caFile, usePlatformRoots: false }), 'zhangsan');
  assert.equal(await owner({ caFile: https.caFile, usePlatformRoots: true }), 'zhangsan');
});

test('usePlatformRoots: false needs a caFile (the option reaches the library)', async () => {
  await expectEiamError(() => owner({ usePlatformRoots: false }), {
    status: 'INVALID_ARGUMENT',
    message: /^use_platform_roots\(false\) needs a ca_file/,
  });
});

test('dangerAcceptInvalidCerts: true accepts the unknown CA, false does not', async () => {
  assert.equal(await owner({ dangerAcceptInvalidCerts: true }), 'zhangsan');
  await expectEiamError(() => owner({ dangerAcceptInvalidCerts: false }), { status: 'TRANSPORT_ERROR' });
});
