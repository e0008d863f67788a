//! One stop signal for every background loop of a process (job worker, attempt closer, upload expirer, audit
//! sealer and archiver). `serve` fires it when the process is asked to stop, together with the HTTP drain, so no
//! loop starts new work while requests finish; tests fire it to prove each loop ends. It carries the drain bound:
//! work already under way when it fires gets that long to finish (see [`Shutdown::or_drained`]).
use std::{future::Future, time::Duration};

use tokio::sync::watch;

/// Cheap to clone; every clone sees the same signal.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: std::sync::Arc<watch::Sender<bool>>,
    rx: watch::Receiver<bool>,
    drain: Duration,
}

/// The drain bound of a signal made without one: `serve`'s default.
const DEFAULT_DRAIN: Duration = Duration::from_secs(10);

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        Self::with_drain(DEFAULT_DRAIN)
    }

    /// A signal whose work under way gets `drain` to finish once it fires.
    pub fn with_drain(drain: Duration) -> Self {
        let (tx, rx) = watch::channel(false);
        Self {
            tx: std::sync::Arc::new(tx),
            rx,
            drain,
        }
    }

    /// How long work under way may still take after the signal.
    pub fn drain(&self) -> Duration {
        self.drain
    }

    /// Asks every loop to stop; idempotent.
    pub fn cancel(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once [`Shutdown::cancel`] was called (at once if it already was).
    pub async fn cancelled(&self) {
        let mut rx = self.rx.clone();
        // The sender lives in `self`, so `wait_for` only ends on the signal.
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Waits `period` unless the signal comes first; true when the loop should go on.
    pub async fn sleep(&self, period: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(period) => !self.is_cancelled(),
            _ = self.cancelled() => false,
        }
    }

    /// Runs `work` to its end, unless the signal comes and `work` is still not done [`Shutdown::drain`] later:
    /// then None, and the caller hands back what `work` was doing.
    pub async fn or_drained<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        let cut_off = async {
            self.cancelled().await;
            tokio::time::sleep(self.drain).await;
        };
        tokio::select! {
            out = work => Some(out),
            _ = cut_off => None,
        }
    }

    /// Resolves `margin` before the drain bound ends (at once past it): the moment for a long request to stop
    /// taking input and keep what it has, while there is still time to record it and answer.
    pub async fn drain_ending(&self, margin: Duration) {
        self.cancelled().await;
        tokio::time::sleep(self.drain.saturating_sub(margin)).await;
    }

    /// Runs `work` unless the signal comes first; None when cancelled.
    pub async fn or_cancelled<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            out = work => Some(out),
            _ = self.cancelled() => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_sees_one_cancel() {
        let stop = Shutdown::new();
        let loops: Vec<_> = (0..3)
            .map(|_| {
                let stop = stop.clone();
                tokio::spawn(async move {
                    let mut turns = 0u32;
                    while stop.sleep(Duration::from_millis(5)).await {
                        turns += 1;
                    }
                    turns
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(30)).await;
        stop.cancel();
        for l in loops {
            tokio::time::timeout(Duration::from_secs(2), l)
                .await
                .expect("loop ended")
                .expect("loop did not panic");
        }
        assert!(stop.is_cancelled());
        // Already cancelled: resolves at once.
        tokio::time::timeout(Duration::from_millis(50), stop.cancelled())
            .await
            .expect("resolves at once");
    }

    #[tokio::test]
    async fn work_under_way_gets_the_drain_bound_and_no_more() {
        let stop = Shutdown::with_drain(Duration::from_millis(100));
        stop.cancel();
        // Quick work still finishes after the signal …
        let quick = stop.or_drained(tokio::time::sleep(Duration::from_millis(20)));
        assert_eq!(quick.await, Some(()));
        // … slow work is cut off at the bound.
        let started = std::time::Instant::now();
        let slow = stop.or_drained(tokio::time::sleep(Duration::from_secs(30)));
        assert_eq!(slow.await, None);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
