//! Fuzzes import from the environment: `NAME=value` lines become the environment, and every
//! provider's credentials are read from it (no HOME, so no file is touched except a
//! `GOOGLE_APPLICATION_CREDENTIALS` path the input names).
#![no_main]

use cloudcreds_core::{Env, ProviderId};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let env = Env::from_pairs(text.lines().filter_map(|l| l.split_once('=')));
    for id in [
        ProviderId::Huggingface,
        ProviderId::Lambda,
        ProviderId::Aws,
        ProviderId::Azure,
        ProviderId::Gcp,
    ] {
        let _ = cloudcreds_core::import::credentials_in_env(&env, id);
    }
});
