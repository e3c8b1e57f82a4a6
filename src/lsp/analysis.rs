//! Per-version analysis of open documents: the first request that needs a version's
//! diagnostics starts their computation on the blocking pool; every other request
//! for that version waits for the same result. A computation whose version has been
//! replaced stops between rules, and its result is never handed out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::watch;

use crate::diagnostic::Diagnostic;

/// The diagnostics of one version of one document.
pub type Diagnostics = Arc<Vec<Diagnostic>>;

/// How a computation ended: its diagnostics, or why there are none.
#[derive(Clone)]
pub enum Outcome {
    Done(Diagnostics),
    /// The version was replaced (or the document closed) before it finished.
    Obsolete,
    /// A rule panicked; the message says where.
    Failed(String),
}

/// The analysis of one version, shared by every request for it.
pub struct Slot {
    pub version: i32,
    obsolete: Arc<AtomicBool>,
    result: watch::Receiver<Option<Outcome>>,
}

/// What the computation needs to report back and to know when to stop.
pub struct Job {
    obsolete: Arc<AtomicBool>,
    result: watch::Sender<Option<Outcome>>,
}

impl Slot {
    /// A slot for `version` and the job that fills it.
    pub fn new(version: i32) -> (Arc<Slot>, Job) {
        let obsolete = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = watch::channel(None);
        let slot = Slot {
            version,
            obsolete: obsolete.clone(),
            result: receiver,
        };
        let job = Job {
            obsolete,
            result: sender,
        };
        (Arc::new(slot), job)
    }

    /// Tells a running computation that nobody will use its result.
    pub fn make_obsolete(&self) {
        self.obsolete.store(true, Ordering::Relaxed);
    }

    /// Waits for the result. Cancelling the waiting request leaves the computation
    /// running for the others.
    pub async fn outcome(&self) -> Outcome {
        let mut receiver = self.result.clone();
        match receiver.wait_for(Option::is_some).await {
            Ok(outcome) => outcome.clone().unwrap_or(Outcome::Obsolete),
            // The job was dropped without an answer (its task died).
            Err(_) => Outcome::Obsolete,
        }
    }
}

impl Job {
    /// Whether the computation should stop.
    pub fn is_obsolete(&self) -> bool {
        self.obsolete.load(Ordering::Relaxed)
    }

    pub fn finish(self, outcome: Outcome) {
        let outcome = if self.is_obsolete() {
            Outcome::Obsolete
        } else {
            outcome
        };
        self.result.send_replace(Some(outcome));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_waiter_gets_the_one_result() {
        let (slot, job) = Slot::new(3);
        let waiter = {
            let slot = slot.clone();
            tokio::spawn(async move { slot.outcome().await })
        };
        job.finish(Outcome::Done(Arc::new(Vec::new())));
        assert!(matches!(slot.outcome().await, Outcome::Done(_)));
        assert!(matches!(waiter.await, Ok(Outcome::Done(_))));
    }

    #[tokio::test]
    async fn an_obsolete_result_is_never_handed_out() {
        let (slot, job) = Slot::new(3);
        slot.make_obsolete();
        assert!(job.is_obsolete());
        job.finish(Outcome::Done(Arc::new(Vec::new())));
        assert!(matches!(slot.outcome().await, Outcome::Obsolete));
        let (slot, job) = Slot::new(4);
        drop(job);
        assert!(matches!(slot.outcome().await, Outcome::Obsolete));
    }
}
