//! Any string as an id: rejected, or encoded as exactly one path segment
//! that decodes back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|id: &str| {
    eiam::fuzzing::check_and_encode(id);
});
