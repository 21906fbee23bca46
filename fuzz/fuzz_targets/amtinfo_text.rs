#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    scslint::fuzzing::run("amtinfo_text", data);
});
