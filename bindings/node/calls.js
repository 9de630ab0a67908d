'use strict';
// Calls on the library's own worker threads (eiam_call_async), settled on
// the JS thread: one completion callback, registered once for the life of
// the module, routes each outcome to its Promise by the id passed as
// user_data. koffi queues a callback made from another thread to this
// thread's event loop, so no call ever blocks it, and none takes a thread
// of libuv's small pool (koffi's `.async()` would).

const { koffi, C, types } = require('./ffi');

/** id -> { settle(status, errPtr, resultJson), task } of the calls under way. */
const pending = new Map();
let lastId = 0;

// koffi's queue to the JS thread does not keep Node alive: while a call is
// under way a timer does, so `await client.getAccount(...)` at the top of
// a script is not cut short by the process exiting.
let keepAlive = null;
const NEVER = 2 ** 31 - 1;

function onDone(userData, status, errPtr, resultJson) {
  const id = Number(koffi.address(userData));
  const call = pending.get(id);
  if (!call) return; // cannot happen: every started call is pending until here
  pending.delete(id);
  if (pending.size === 0 && keepAlive !== null) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
  C.eiam_task_free(call.task);
  // errPtr and resultJson are valid only now: settle copies what it keeps.
  call.settle(status, errPtr, resultJson);
}

// Module-level, so it is never collected while a call may still complete.
const DONE = koffi.register(onDone, 'eiam_done_fn');

/**
 * Starts call `name` with `args` (JSON text) on `handle`'s workers;
 * settle(status, errPtr, resultJson) runs on the JS thread when it ends.
 * Returns the task handle (for eiam_task_cancel until settle has run).
 * `check(fn)` runs the C call and throws its synchronous error.
 */
function startCall(handle, name, args, settle, check) {
  const id = ++lastId;
  const slot = koffi.alloc('void *', 1);
  koffi.encode(slot, 'void *', null);
  try {
    check((err) => C.eiam_call_async(handle, name, args, DONE, id, slot, err));
    const task = koffi.decode(slot, 'void *');
    pending.set(id, { settle, task });
    if (keepAlive === null) keepAlive = setInterval(() => {}, NEVER);
    return task;
  } finally {
    koffi.free(slot);
  }
}

/** How many calls are under way (tests). */
const inFlight = () => pending.size;

module.exports = { startCall, inFlight, errorType: types.eiam_error };
