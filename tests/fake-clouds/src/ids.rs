//! Random values in the providers' formats (keys, GUIDs, digits), for the test credentials
//! and the ids the fakes hand out.

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const DIGITS: &[u8] = b"0123456789";
pub(crate) const BASE64: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub(crate) const AZURE_SECRET: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";

pub(crate) fn pick(alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[fastrand::usize(..alphabet.len())] as char)
        .collect()
}

pub(crate) fn upper_alnum(n: usize) -> String {
    pick(UPPER_ALNUM, n)
}

pub(crate) fn alnum(n: usize) -> String {
    pick(ALNUM, n)
}

pub(crate) fn lower_alnum(n: usize) -> String {
    pick(LOWER_ALNUM, n)
}

pub(crate) fn hex(n: usize) -> String {
    pick(HEX, n)
}

pub(crate) fn digits(n: usize) -> String {
    pick(DIGITS, n)
}

/// A lowercase GUID, as Azure prints them.
pub(crate) fn guid() -> String {
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex(8),
        hex(4),
        hex(3),
        pick(b"89ab", 1),
        hex(3),
        hex(12)
    )
}
