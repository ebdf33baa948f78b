//! Fuzzes the AWS shared-file parsers (`~/.aws/credentials` and `~/.aws/config` layouts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = cloudcreds_core::import::ini::sections(text);
        let _ = cloudcreds_core::import::parse_aws_shared_file(text, false);
        let _ = cloudcreds_core::import::parse_aws_shared_file(text, true);
    }
});
