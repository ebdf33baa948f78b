//! The one thread that talks to the keyring. Callers hand it a job and wait at most the
//! timeout, so a keyring stuck in an unlock prompt never freezes the UI thread. Jobs run in
//! order, one at a time; a timed-out job may still complete later, so callers treat a
//! timeout as "maybe done" and queue their undo after it (`Urgency::MustRun`).

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::vault::backend::{Backend, BackendError};
use crate::vault::error::VaultError;

/// Builds the backend on the worker thread, again after a failure (the user may start or
/// unlock the keyring while the app runs).
pub(crate) type Connect = Box<dyn FnMut() -> Result<Box<dyn Backend>, BackendError> + Send>;

type Job = Box<dyn FnOnce(&mut Slot) + Send>;

pub(crate) struct Slot {
    connect: Connect,
    backend: Option<Box<dyn Backend>>,
}

impl Slot {
    /// The backend, connecting first if needed.
    pub(crate) fn backend(&mut self) -> Result<&mut dyn Backend, BackendError> {
        if self.backend.is_none() {
            self.backend = Some((self.connect)()?);
        }
        match self.backend.as_mut() {
            Some(backend) => Ok(backend.as_mut()),
            None => unreachable!("connected above"),
        }
    }

    /// Drops the backend so the next job reconnects (after it reported itself unavailable).
    pub(crate) fn reset(&mut self) {
        self.backend = None;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Urgency {
    /// Refused at once while an earlier job is stuck past its timeout.
    Normal,
    /// Always queued (rollback): it must run after whatever it undoes, even late.
    MustRun,
}

pub(crate) struct Worker {
    tx: mpsc::Sender<Job>,
    /// When the job now running started; `None` when idle.
    busy_since: Arc<Mutex<Option<Instant>>>,
    timeout: Duration,
}

impl Worker {
    pub(crate) fn spawn(connect: Connect, timeout: Duration) -> Worker {
        let (tx, rx) = mpsc::channel::<Job>();
        let busy_since = Arc::new(Mutex::new(None));
        let busy = Arc::clone(&busy_since);
        // The thread logs wherever its creator logs.
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        std::thread::Builder::new()
            .name("cloudcreds-keyring".into())
            .spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    let mut slot = Slot {
                        connect,
                        backend: None,
                    };
                    for job in rx {
                        *lock(&busy) = Some(Instant::now());
                        // A panicking store must not take the keyring down for the whole
                        // app; the caller sees its reply channel close.
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut slot)));
                        *lock(&busy) = None;
                    }
                })
            })
            .expect("spawning the keyring thread");
        Worker {
            tx,
            busy_since,
            timeout,
        }
    }

    pub(crate) fn run<T: Send + 'static>(
        &self,
        action: &str,
        urgency: Urgency,
        f: impl FnOnce(&mut Slot) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let stuck = lock(&self.busy_since).is_some_and(|t| t.elapsed() >= self.timeout);
        if stuck && urgency == Urgency::Normal {
            return Err(VaultError::timeout(action, self.timeout));
        }
        let (reply_tx, reply_rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |slot| {
            let _ = reply_tx.send(f(slot));
        });
        if self.tx.send(job).is_err() {
            return Err(VaultError::from_backend(
                action,
                BackendError::Unavailable("the keyring thread has stopped".into()),
            ));
        }
        match reply_rx.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(VaultError::timeout(action, self.timeout)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(VaultError::from_backend(
                action,
                BackendError::Failed("the keyring call failed unexpectedly".into()),
            )),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
