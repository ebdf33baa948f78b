//! How one logical secret maps onto keyring entries. A value that fits one entry is stored
//! as-is under its key (so `secret-tool lookup` shows it). A larger one is split into chunk
//! entries `key#1..key#n`, written first, then the head entry `key` is set to a manifest
//! (chunk count, length, FNV-1a hash) as the commit point; a torn set is detected on read.

use secrecy::ExposeSecret;

use crate::vault::backend::{Backend, BackendError};
use crate::vault::SecretBytes;

/// Marks a head entry as a manifest. Plain values that happen to start with it are stored
/// chunked, so reading is never ambiguous.
const MAGIC: &[u8] = b"\0cloudcreds-chunked-v1\0";

/// Why a stored value could not be read back whole.
#[derive(Debug)]
pub(crate) enum ReadError {
    Backend(BackendError),
    Damaged(&'static str),
}

impl From<BackendError> for ReadError {
    fn from(e: BackendError) -> Self {
        ReadError::Backend(e)
    }
}

pub(crate) fn chunk_account(key: &str, index: usize) -> String {
    format!("{key}#{index}")
}

/// The head key of a chunk account (`a/b/c#2` -> `a/b/c`), `None` for a head.
pub(crate) fn chunk_owner(account: &str) -> Option<&str> {
    let (head, index) = account.rsplit_once('#')?;
    (!index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())).then_some(head)
}

struct Manifest {
    chunks: usize,
    len: usize,
    hash: u64,
}

impl Manifest {
    fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(
            format!("{}:{}:{:016x}", self.chunks, self.len, self.hash).as_bytes(),
        );
        out
    }

    /// `None` for a plain value; `Some(Err)` for a manifest that does not parse.
    fn decode(head: &[u8]) -> Option<Result<Manifest, ReadError>> {
        let body = head.strip_prefix(MAGIC)?;
        let parsed = std::str::from_utf8(body).ok().and_then(|text| {
            let mut parts = text.split(':');
            let chunks = parts.next()?.parse().ok()?;
            let len = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            parts
                .next()
                .is_none()
                .then_some(Manifest { chunks, len, hash })
        });
        Some(parsed.ok_or(ReadError::Damaged("its chunk manifest does not parse")))
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How many chunk entries the current head says exist (0 for a plain value or none).
fn current_chunks(b: &mut dyn Backend, service: &str, key: &str) -> Result<usize, BackendError> {
    Ok(match b.get(service, key)? {
        Some(head) => match Manifest::decode(head.expose_secret()) {
            Some(Ok(m)) => m.chunks,
            _ => 0,
        },
        None => 0,
    })
}

/// Deletes chunks `from..=to`, then any run of leftovers beyond `to` (from an earlier
/// interrupted write), stopping at the first absent index.
fn delete_chunks(
    b: &mut dyn Backend,
    service: &str,
    key: &str,
    from: usize,
    to: usize,
) -> Result<(), BackendError> {
    for index in from..=to {
        b.delete(service, &chunk_account(key, index))?;
    }
    let mut index = to.max(from.saturating_sub(1)) + 1;
    while b.delete(service, &chunk_account(key, index))? {
        index += 1;
    }
    Ok(())
}

pub(crate) fn write(
    b: &mut dyn Backend,
    service: &str,
    key: &str,
    value: &[u8],
) -> Result<(), BackendError> {
    let old_chunks = current_chunks(b, service, key)?;
    let limit = b.max_entry_bytes().unwrap_or(usize::MAX).max(1);
    if value.len() <= limit && !value.starts_with(MAGIC) {
        b.set(service, key, value)?;
        return delete_chunks(b, service, key, 1, old_chunks);
    }
    let mut chunks = 0;
    for (i, piece) in value.chunks(limit).enumerate() {
        b.set(service, &chunk_account(key, i + 1), piece)?;
        chunks = i + 1;
    }
    let manifest = Manifest {
        chunks,
        len: value.len(),
        hash: fnv1a(value),
    };
    b.set(service, key, &manifest.encode())?;
    delete_chunks(b, service, key, chunks + 1, old_chunks)
}

pub(crate) fn read(
    b: &mut dyn Backend,
    service: &str,
    key: &str,
) -> Result<Option<SecretBytes>, ReadError> {
    let Some(head) = b.get(service, key)? else {
        return Ok(None);
    };
    let manifest = match Manifest::decode(head.expose_secret()) {
        None => return Ok(Some(head)),
        Some(m) => m?,
    };
    let mut whole = Vec::with_capacity(manifest.len);
    for index in 1..=manifest.chunks {
        let piece = b
            .get(service, &chunk_account(key, index))?
            .ok_or(ReadError::Damaged("one of its chunks is missing"))?;
        whole.extend_from_slice(piece.expose_secret());
    }
    let whole = SecretBytes::from(whole);
    if whole.expose_secret().len() != manifest.len || fnv1a(whole.expose_secret()) != manifest.hash
    {
        return Err(ReadError::Damaged(
            "its chunks do not add up to the stored value",
        ));
    }
    Ok(Some(whole))
}

/// Deletes the chunks, then the head; `false` when nothing was stored.
pub(crate) fn delete(b: &mut dyn Backend, service: &str, key: &str) -> Result<bool, BackendError> {
    let chunks = current_chunks(b, service, key)?;
    delete_chunks(b, service, key, 1, chunks)?;
    b.delete(service, key)
}
