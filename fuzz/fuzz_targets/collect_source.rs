#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    scslint::fuzzing::run("collect_source", data);
});
