//! Fuzzes smart paste: credential blocks, export lines, CSV, JSON, single tokens.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(creds) = cloudcreds_core::parse_paste(text) {
            let _ = cloudcreds_core::validate(&creds);
        }
        let _ = cloudcreds_core::import::parse_hf_token_file(text);
        let _ = cloudcreds_core::import::parse_lambda_keys_file(text);
    }
});
