//! The audit key: its own secret, apart from the data keys, so that whoever holds the data keys (or a copy of
//! the database) still cannot rewrite the audit log unnoticed. The MAC is HMAC-SHA256 under the `standard`
//! suite and HMAC-SM3 under `sm`.
use std::{future::Future, path::Path, sync::Arc, sync::OnceLock};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sm3::Sm3;

use crate::platform::config::CryptoSuite;

/// The secret and the MAC algorithm of the audit chain.
pub struct AuditKey {
    secret: Vec<u8>,
    suite: CryptoSuite,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("suite", &self.suite)
            .finish_non_exhaustive()
    }
}

impl AuditKey {
    pub fn new(secret: Vec<u8>, suite: CryptoSuite) -> Self {
        Self { secret, suite }
    }

    /// `YANXIU_AUDIT_KEY` (64 hex characters), or a key generated once into `<data_dir>/audit.key` (0600).
    pub fn load_or_create(
        configured: Option<&str>,
        data_dir: &Path,
        suite: CryptoSuite,
    ) -> anyhow::Result<Self> {
        if let Some(hex_key) = configured {
            let secret = hex::decode(hex_key.trim())?;
            anyhow::ensure!(
                secret.len() >= 32,
                "YANXIU_AUDIT_KEY must be at least 64 hex characters"
            );
            return Ok(Self::new(secret, suite));
        }
        let hex_key = crate::platform::crypto::generated_secret(data_dir, "audit.key")?;
        Ok(Self::new(hex::decode(hex_key)?, suite))
    }

    /// The MAC (hex) of the concatenated `parts`.
    pub fn mac(&self, parts: &[&[u8]]) -> String {
        match self.suite {
            CryptoSuite::Standard => hex::encode(mac_with::<Hmac<Sha256>>(&self.secret, parts)),
            CryptoSuite::Sm => hex::encode(mac_with::<Hmac<Sm3>>(&self.secret, parts)),
        }
    }

    /// Whether `tag` (hex) is the MAC of `parts`, compared in constant time.
    pub fn verify(&self, parts: &[&[u8]], tag: &str) -> bool {
        let Ok(tag) = hex::decode(tag) else {
            return false;
        };
        match self.suite {
            CryptoSuite::Standard => verify_with::<Hmac<Sha256>>(&self.secret, parts, &tag),
            CryptoSuite::Sm => verify_with::<Hmac<Sm3>>(&self.secret, parts, &tag),
        }
    }
}

fn keyed<M: Mac + hmac::digest::KeyInit>(secret: &[u8], parts: &[&[u8]]) -> M {
    let mut mac = <M as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac
}

fn mac_with<M: Mac + hmac::digest::KeyInit>(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    keyed::<M>(secret, parts).finalize().into_bytes().to_vec()
}

fn verify_with<M: Mac + hmac::digest::KeyInit>(secret: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    keyed::<M>(secret, parts).verify_slice(tag).is_ok()
}

// `platform::audit::record(db, actor, event)` takes no key (its callers are everywhere and should not carry
// one), so the key travels beside the call: each request runs inside a task-local scope holding its
// application's key, and code outside a request (the CLI, background loops) falls back to the key of the
// process, installed once when the application state is built. One process serves one configuration; the
// scope exists so that several applications in one process (the test harness) each sign with their own key.
tokio::task_local! {
    static SCOPED_KEY: Arc<AuditKey>;
}

static PROCESS_KEY: OnceLock<Arc<AuditKey>> = OnceLock::new();

/// Makes `key` the fallback outside any scope (the first application built in the process wins).
pub fn install_process_key(key: Arc<AuditKey>) {
    let _ = PROCESS_KEY.set(key);
}

/// Runs `work` with `key` as the audit key of every entry it records.
pub async fn with_key<F: Future>(key: Arc<AuditKey>, work: F) -> F::Output {
    SCOPED_KEY.scope(key, work).await
}

/// The audit key in force here.
pub fn current() -> Option<Arc<AuditKey>> {
    SCOPED_KEY
        .try_with(Arc::clone)
        .ok()
        .or_else(|| PROCESS_KEY.get().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_selects_the_mac() {
        let standard = AuditKey::new(vec![7; 32], CryptoSuite::Standard);
        let sm = AuditKey::new(vec![7; 32], CryptoSuite::Sm);
        let a = standard.mac(&[b"entry"]);
        let b = sm.mac(&[b"entry"]);
        assert_eq!(a.len(), 64);
        assert_eq!(b.len(), 64);
        assert_ne!(a, b);
        assert!(standard.verify(&[b"en", b"try"], &a));
        assert!(sm.verify(&[b"entry"], &b));
        assert!(!sm.verify(&[b"entry"], &a));
        assert!(!standard.verify(&[b"entry"], "not hex"));
    }

    #[test]
    fn a_generated_key_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = AuditKey::load_or_create(None, dir.path(), CryptoSuite::Standard).expect("key");
        let again = AuditKey::load_or_create(None, dir.path(), CryptoSuite::Standard).expect("key");
        assert_eq!(first.mac(&[b"x"]), again.mac(&[b"x"]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("audit.key"))
                .expect("key file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(AuditKey::load_or_create(Some("abcd"), dir.path(), CryptoSuite::Sm).is_err());
    }
}
