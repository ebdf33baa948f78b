//! Fuzzes the GCP key-file reader (service-account keys, gcloud user logins, anything else).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(key) = cloudcreds_core::import::parse_key_file(text, "key") {
            let _ = cloudcreds_core::parse_paste(&key);
        }
    }
});
