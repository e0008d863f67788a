//! One stop signal for every background loop of a process (job worker, attempt closer, upload expirer, audit
//! sealer and archiver). `serve` fires it once the HTTP server has drained, so no loop starts new work against a
//! database the process is about to drop; tests fire it to prove each loop ends.
use std::{future::Future, time::Duration};

use tokio::sync::watch;

/// Cheap to clone; every clone sees the same signal.
#[derive(Clone, Debug)]
pub struct Shutdown {
    tx: std::sync::Arc<watch::Sender<bool>>,
    rx: watch::Receiver<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        let (tx, rx) = watch::channel(false);
        Self {
            tx: std::sync::Arc::new(tx),
            rx,
        }
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
}
