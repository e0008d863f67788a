//! What the audit MACs cover: an unambiguous encoding of an entry's columns, and the three MACs built on it.
use chrono::{DateTime, Utc};
use entity::audit_log;

use super::audit_key::AuditKey;

/// The chain's start: the `prev_mac` of the first entry ever sealed.
pub const GENESIS: &str = "";

/// Each field as a presence byte and a length-prefixed value, so no two different entries encode alike (a
/// separator inside `detail` cannot shift a boundary). `at` is taken in whole microseconds, the precision both
/// engines keep.
pub fn encode_entry(e: &audit_log::Model) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + e.detail.len());
    let mut field = |value: Option<&[u8]>| match value {
        None => out.push(0),
        Some(bytes) => {
            out.push(1);
            out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
            out.extend_from_slice(bytes);
        }
    };
    field(Some(b"yanxiu-audit-entry/v1"));
    field(Some(&e.id.to_be_bytes()));
    field(Some(&e.at.timestamp_micros().to_be_bytes()));
    field(e.actor_id.map(i64::to_be_bytes).as_ref().map(|b| &b[..]));
    field(Some(e.actor.as_bytes()));
    field(Some(e.action.as_bytes()));
    field(Some(e.target_type.as_bytes()));
    field(e.target_id.as_deref().map(str::as_bytes));
    field(e.target_path.as_deref().map(str::as_bytes));
    field(Some(e.detail.as_bytes()));
    field(e.ip.as_deref().map(str::as_bytes));
    field(e.request_id.as_deref().map(str::as_bytes));
    out
}

/// The MAC an entry gets in the transaction that writes it.
pub fn entry_mac(key: &AuditKey, e: &audit_log::Model) -> String {
    key.mac(&[&encode_entry(e)])
}

/// The entry's link in the chain: it binds the entry, its place and everything before it.
pub fn chain_mac(key: &AuditKey, prev_mac: &str, seq: i64, e: &audit_log::Model) -> String {
    key.mac(&[
        b"yanxiu-audit-chain/v1",
        &(prev_mac.len() as u64).to_be_bytes(),
        prev_mac.as_bytes(),
        &seq.to_be_bytes(),
        &encode_entry(e),
    ])
}

fn checkpoint_parts(seq: i64, chain_mac: &str, at: DateTime<Utc>) -> Vec<u8> {
    let mut out = b"yanxiu-audit-checkpoint/v1".to_vec();
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&at.timestamp_micros().to_be_bytes());
    out.extend_from_slice(chain_mac.as_bytes());
    out
}

pub fn checkpoint_signature(
    key: &AuditKey,
    seq: i64,
    chain_mac: &str,
    at: DateTime<Utc>,
) -> String {
    key.mac(&[&checkpoint_parts(seq, chain_mac, at)])
}

pub fn checkpoint_valid(
    key: &AuditKey,
    seq: i64,
    chain_mac: &str,
    at: DateTime<Utc>,
    signature: &str,
) -> bool {
    key.verify(&[&checkpoint_parts(seq, chain_mac, at)], signature)
}

/// An archive manifest's signature covers its JSON text exactly as stored.
pub fn manifest_signature(key: &AuditKey, manifest: &str) -> String {
    key.mac(&[b"yanxiu-audit-archive/v1", manifest.as_bytes()])
}

pub fn manifest_valid(key: &AuditKey, manifest: &str, signature: &str) -> bool {
    key.verify(
        &[b"yanxiu-audit-archive/v1", manifest.as_bytes()],
        signature,
    )
}

/// Now, at the precision the MACs cover (so the value read back from either engine encodes the same).
pub fn now_micros() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::config::CryptoSuite;

    fn entry() -> audit_log::Model {
        audit_log::Model {
            id: 7,
            at: now_micros(),
            actor_id: Some(1),
            actor: "admin".into(),
            action: "teacher.update".into(),
            target_type: "teacher".into(),
            target_id: Some("3".into()),
            target_path: None,
            detail: "{}".into(),
            ip: Some("127.0.0.1".into()),
            request_id: None,
            entry_mac: None,
            seq: None,
            prev_mac: None,
            chain_mac: None,
        }
    }

    #[test]
    fn every_covered_column_changes_the_mac() {
        let key = AuditKey::new(vec![1; 32], CryptoSuite::Standard);
        let base = entry();
        let mac = entry_mac(&key, &base);
        let mut altered = base.clone();
        altered.detail = "{\"x\":1}".into();
        assert_ne!(entry_mac(&key, &altered), mac);
        let mut moved = base.clone();
        moved.target_id = None;
        moved.target_path = Some("3".into());
        assert_ne!(entry_mac(&key, &moved), mac);
        let mut renumbered = base.clone();
        renumbered.id = 8;
        assert_ne!(entry_mac(&key, &renumbered), mac);
        assert_ne!(
            chain_mac(&key, "a", 1, &base),
            chain_mac(&key, "b", 1, &base)
        );
        assert_ne!(
            chain_mac(&key, "a", 1, &base),
            chain_mac(&key, "a", 2, &base)
        );
    }
}
