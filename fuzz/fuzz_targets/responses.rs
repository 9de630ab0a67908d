//! Any status, Retry-After and body bytes in: a typed result out, never a
//! panic, never the secret in a message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, Option<u64>, &[u8])| {
    let (status, retry_after, body) = input;
    eiam::fuzzing::classify_response(status, body, retry_after);
});
