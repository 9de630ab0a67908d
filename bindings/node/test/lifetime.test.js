'use strict';
// Clients never closed are freed: when garbage collected, and, in a
// worker_threads worker, when the worker ends, however it ends. Each used
// client holds a pooled connection, a socket of this process, so the
// sockets left afterwards tell.
//
// This file makes no HTTP request of its own (no fetch to the mock's admin
// endpoints), so the process's other sockets stay as they are.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const v8 = require('node:v8');
const vm = require('node:vm');

const { Client } = require('..');
const { startMock } = require('../testutil/mock');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

let mock;

before(async () => {
  mock = await startMock();
});

after(async () => {
  await mock.stop();
});

function sockets() {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // the fd of the readdir itself, closed by now
    }
  }
  return n;
}

// Each worker makes clients, uses them (so each holds a pooled connection),
// says so, and when told to, ends the way `end` says without closing them.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require(workerData.pkg);
const { url, clientId, clientSecret, clients, end } = workerData;
const keep = [];
(async () => {
  for (let i = 0; i < clients; i++) {
    const c = new Client({ baseUrl: url, clientId, clientSecret });
    if ((await c.getPublicAccountOwner('demo-app', 'pub-1')).userName !== 'zhangsan') throw new Error('wrong owner');
    keep.push(c);
  }
  parentPort.once('message', () => {
    if (end === 'process.exit') process.exit(0);
    if (end === 'terminate') setInterval(() => {}, 1000); // until the main thread terminates it
    // 'return': with no listener left, the event loop is empty and the worker ends
  });
  parentPort.postMessage('ready');
})();
`;

/** Runs the workers; returns the count of sockets while they all live. */
async function runWorkers(count, clients, end) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { pkg: path.join(__dirname, '..'), url: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret, clients, end },
    });
    const ready = new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    const exited = new Promise((resolve) => w.once('exit', resolve));
    workers.push({ w, ready, exited });
  }
  await Promise.all(workers.map((x) => x.ready));
  const whileAlive = sockets();
  for (const { w } of workers) w.postMessage('end');
  if (end === 'terminate') await Promise.all(workers.map(({ w }) => w.terminate()));
  await Promise.all(workers.map((x) => x.exited));
  return whileAlive;
}

for (const end of ['return', 'process.exit', 'terminate']) {
  test(`workers that end by ${end} free the clients they never closed`, async () => {
    const baseline = sockets();
    const count = 6;
    const clients = 2;
    const whileAlive = await runWorkers(count, clients, end);
    // The measure works: while the workers live, their connections are here.
    assert.ok(whileAlive >= baseline + count * clients, `${whileAlive} sockets with the workers alive, ${baseline} before`);
    assert.equal(sockets(), baseline, 'sockets left behind by the workers');
  });
}

test('clients never closed are freed once garbage collected', async () => {
  const baseline = sockets();
  await (async () => {
    for (let i = 0; i < 8; i++) {
      const c = new Client({ baseUrl: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
      assert.equal((await c.getPublicAccountOwner('demo-app', 'pub-1')).userName, 'zhangsan');
    }
  })();
  assert.ok(sockets() >= baseline + 8, 'the measure works: the clients hold their connections');
  // The registry's callbacks run as tasks after a collection: collect and
  // yield to the event loop until they have run, a bounded number of times.
  for (let round = 0; round < 50 && sockets() > baseline; round++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(sockets(), baseline, 'sockets of clients that were collected');
});
