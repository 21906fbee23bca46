#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    scslint::fuzzing::run("http_response", data);
});
