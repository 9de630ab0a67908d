// The bench protocol of bench/inflight.py for a Node contender: warm up,
// print {"ready":true}, then for each number N read from stdin make N
// calls with EIAM_BENCH_IN_FLIGHT of them in flight and print
// {"seconds":...}; exit when stdin closes.
'use strict';
const readline = require('node:readline');

const IN_FLIGHT = Number(process.env.EIAM_BENCH_IN_FLIGHT);
const OWNER_PATH = '/api/v2/tenant/applications/demo-app/accounts/public-account/pub-1/owner';

/** `calls` calls of `call`, `inFlight` at a time: as many loops, each
 * starting its next call when its last one is answered. */
async function inFlight(calls, call) {
  let left = calls;
  const loop = async () => {
    while (left > 0) {
      left -= 1;
      await call();
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, calls) }, loop));
}

/** Runs the protocol over `call` (an async function making one query). */
async function serve(call) {
  await inFlight(2 * IN_FLIGHT, call); // opens the connections
  process.stdout.write('{"ready":true}\n');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const started = process.hrtime.bigint();
    await inFlight(Number(line), call);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(JSON.stringify({ seconds }) + '\n');
  }
}

/** Says that this build lacks what the contender measures, and ends. */
function unavailable(reason) {
  process.stdout.write(JSON.stringify({ unavailable: reason }) + '\n');
  process.exit(0);
}

module.exports = { OWNER_PATH, serve, unavailable };
