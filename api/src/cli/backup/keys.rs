//! The keys a backup needs but does not hold.
//!
//! Neither key goes into a backup, by decision:
//! - the secret key (`YANXIU_SECRET_KEY`, or `secret.key` in the data dir) seals personal data (身份证号 …); a
//!   backup that carried it would hand whoever copies the backup every sealed field in clear;
//! - the audit key (`YANXIU_AUDIT_KEY`, or `audit.key`) is kept apart from the data and the data keys precisely so
//!   that a copy of the database cannot be used to rewrite the audit log unnoticed; a backup is such a copy.
//!
//! They are configuration, kept and restored apart. What the manifest records is a fingerprint of each (an HMAC
//! of a fixed label under the key), so a restore can tell before it changes anything that the configured keys are
//! not the ones the data was written under.
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::manifest::KeyChecks;
use crate::platform::{config::Config, crypto::parse_previous_keys};

const LABEL: &[u8] = b"yanxiu/backup-key-check/v1";

/// The fingerprints of the keys `config` names, reading generated key files but never creating one.
pub fn configured(config: &Config) -> anyhow::Result<KeyChecks> {
    let mut secret = Vec::new();
    if let Some(hex_key) = key_hex(config.secret_key.as_deref(), config, "secret.key")? {
        secret.push((config.secret_key_version, check(&hex_key)?));
    }
    for previous in parse_previous_keys(config.previous_secret_keys.as_deref().unwrap_or(""))? {
        secret.push((previous.version, check_bytes(&previous.secret)));
    }
    secret.sort();
    let audit = key_hex(config.audit_key.as_deref(), config, "audit.key")?
        .map(|hex_key| check(&hex_key))
        .transpose()?;
    Ok(KeyChecks { secret, audit })
}

/// What differs between the keys of the backup and the configured ones, one line each.
pub fn differences(backup: &KeyChecks, configured: &KeyChecks) -> Vec<String> {
    let mut found = Vec::new();
    for (version, fingerprint) in &backup.secret {
        match configured.secret.iter().find(|(v, _)| v == version) {
            Some((_, f)) if f == fingerprint => {}
            Some(_) => found.push(format!(
                "secret key version {version}: the configured key is a different one"
            )),
            None => found.push(format!(
                "secret key version {version}: not configured (YANXIU_SECRET_KEY / YANXIU_PREVIOUS_SECRET_KEYS, \
                 or secret.key in the data dir)"
            )),
        }
    }
    match (&backup.audit, &configured.audit) {
        (Some(a), Some(b)) if a == b => {}
        (Some(_), Some(_)) => {
            found.push("audit key: the configured key is a different one".to_string())
        }
        (Some(_), None) => found.push(
            "audit key: not configured (YANXIU_AUDIT_KEY, or audit.key in the data dir)"
                .to_string(),
        ),
        (None, _) => {}
    }
    found
}

/// The configured hex key, or the generated one in the data dir when there is one.
fn key_hex(
    configured: Option<&str>,
    config: &Config,
    file_name: &str,
) -> anyhow::Result<Option<String>> {
    if let Some(k) = configured {
        return Ok(Some(k.trim().to_string()));
    }
    let path = config.data_dir.join(file_name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text.trim().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
    }
}

fn check(hex_key: &str) -> anyhow::Result<String> {
    Ok(check_bytes(&hex::decode(hex_key)?))
}

fn check_bytes(secret: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(LABEL);
    hex::encode(&mac.finalize().into_bytes()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_other_key_is_named_and_the_same_keys_pass() {
        let backup = KeyChecks {
            secret: vec![(1, check_bytes(b"one")), (2, check_bytes(b"two"))],
            audit: Some(check_bytes(b"audit")),
        };
        assert!(differences(&backup, &backup.clone()).is_empty());
        let other = KeyChecks {
            secret: vec![(2, check_bytes(b"zwei"))],
            audit: None,
        };
        let found = differences(&backup, &other);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("version 1: not configured"));
        assert!(found[1].contains("version 2: the configured key is a different one"));
        assert!(found[2].starts_with("audit key: not configured"));
    }
}
