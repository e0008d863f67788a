//! Keys, encryption of personal data at rest, keyed hashes for exact lookup, opaque tokens, and masking for
//! display.
//!
//! Two suites protect personal data: `standard` (AES-256-GCM, HMAC-SHA256) and `sm` (the national algorithms
//! SM4-GCM, HMAC-SM3). A sealed value names its suite and key version (`v2.<suite>.<version>.<base64>`), so values
//! written under an older suite or key stay readable while `yanxiu rekey` moves them to the current ones. Values
//! from before this format (plain base64) read as standard suite, key version 1.
use std::path::Path;

use aes_gcm::{
    Aes256Gcm, AesGcm, Nonce,
    aead::{Aead, KeyInit, consts::U12},
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sm3::Sm3;
use sm4::Sm4;

use crate::platform::config::{Config, CryptoSuite};

type HmacSha256 = Hmac<Sha256>;
type HmacSm3 = Hmac<Sm3>;
type Sm4Gcm = AesGcm<Sm4, U12>;

/// The tag of the self-describing sealed format.
const FORMAT: &str = "v2";

impl CryptoSuite {
    /// The suite's name inside a sealed value.
    pub fn tag(self) -> &'static str {
        match self {
            CryptoSuite::Standard => "standard",
            CryptoSuite::Sm => "sm",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [CryptoSuite::Standard, CryptoSuite::Sm]
            .into_iter()
            .find(|s| s.tag() == tag)
    }

    /// A keyed MAC with this suite's hash (HMAC-SHA256 or HMAC-SM3).
    fn mac(self, key: &[u8], message: &[u8]) -> Vec<u8> {
        match self {
            CryptoSuite::Standard => {
                let mut mac =
                    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
                mac.update(message);
                mac.finalize().into_bytes().to_vec()
            }
            CryptoSuite::Sm => {
                let mut mac =
                    <HmacSm3 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
                mac.update(message);
                mac.finalize().into_bytes().to_vec()
            }
        }
    }
}

/// The AEAD of one suite under one derived key.
#[derive(Clone)]
enum Sealer {
    Aes(Box<Aes256Gcm>),
    Sm4(Box<Sm4Gcm>),
}

impl Sealer {
    fn seal(&self, nonce: &[u8; 12], plain: &[u8]) -> Vec<u8> {
        let nonce = Nonce::from_slice(nonce);
        match self {
            Sealer::Aes(c) => c.encrypt(nonce, plain),
            Sealer::Sm4(c) => c.encrypt(nonce, plain),
        }
        .expect("GCM encryption of a short string cannot fail")
    }

    fn open(&self, nonce: &[u8], sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
        let nonce = Nonce::from_slice(nonce);
        match self {
            Sealer::Aes(c) => c.decrypt(nonce, sealed),
            Sealer::Sm4(c) => c.decrypt(nonce, sealed),
        }
        .map_err(|_| anyhow::anyhow!("decryption failed"))
    }
}

/// The personal-data keys of one (suite, key version): derived from that version's master secret with the
/// suite's own MAC, except that the standard suite keeps the derivation it has always had.
#[derive(Clone)]
struct DataKeys {
    suite: CryptoSuite,
    version: u32,
    sealer: Sealer,
    lookup: Vec<u8>,
}

impl DataKeys {
    fn derive(suite: CryptoSuite, version: u32, master: &[u8]) -> Self {
        let (sealer, lookup) = match suite {
            CryptoSuite::Standard => {
                let enc = suite.mac(master, b"yanxiu/pii-encryption/v1");
                (
                    Sealer::Aes(Box::new(
                        Aes256Gcm::new_from_slice(&enc).expect("32-byte key"),
                    )),
                    suite.mac(master, b"yanxiu/pii-lookup/v1"),
                )
            }
            CryptoSuite::Sm => {
                let enc = suite.mac(master, b"yanxiu/pii-encryption/sm4");
                (
                    Sealer::Sm4(Box::new(
                        Sm4Gcm::new_from_slice(&enc[..16]).expect("16-byte SM4 key"),
                    )),
                    suite.mac(master, b"yanxiu/pii-lookup/sm3"),
                )
            }
        };
        Self {
            suite,
            version,
            sealer,
            lookup,
        }
    }

    /// `v2.sm.2.` — what every value sealed with these keys starts with.
    fn prefix(&self) -> String {
        format!("{FORMAT}.{}.{}.", self.suite.tag(), self.version)
    }

    fn lookup_hash(&self, value: &str) -> String {
        hex::encode(
            self.suite
                .mac(&self.lookup, value.trim().to_uppercase().as_bytes()),
        )
    }
}

/// One master secret and the key version it is known by.
#[derive(Clone)]
pub struct MasterKey {
    pub version: u32,
    pub secret: Vec<u8>,
}

impl MasterKey {
    fn from_hex(version: u32, hex_key: &str, what: &str) -> anyhow::Result<Self> {
        let secret = hex::decode(hex_key.trim())
            .map_err(|e| anyhow::anyhow!("{what} is not hexadecimal: {e}"))?;
        anyhow::ensure!(
            secret.len() >= 32,
            "{what} must be at least 64 hex characters"
        );
        Ok(Self { version, secret })
    }
}

/// `2:<hex>,1:<hex>` (the value of `YANXIU_PREVIOUS_SECRET_KEYS`) as master keys.
pub fn parse_previous_keys(list: &str) -> anyhow::Result<Vec<MasterKey>> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (version, hex_key) = entry.split_once(':').ok_or_else(|| {
                anyhow::anyhow!("YANXIU_PREVIOUS_SECRET_KEYS entries are version:hex")
            })?;
            let version: u32 = version.trim().parse().map_err(|_| {
                anyhow::anyhow!("YANXIU_PREVIOUS_SECRET_KEYS: {version:?} is not a key version")
            })?;
            MasterKey::from_hex(
                version,
                hex_key,
                &format!("previous secret key version {version}"),
            )
        })
        .collect()
}

/// Keys derived from the master secrets, each for one purpose.
#[derive(Clone)]
pub struct Keys {
    /// Signs access tokens (HS256) with a key derived from the current master secret, whatever the suite.
    pub jwt: Vec<u8>,
    /// Signs short-lived playback links (a `<video>` cannot send a bearer header).
    media: Vec<u8>,
    /// What new personal data is sealed and hashed with.
    current: DataKeys,
    /// Every (suite, version) that may still be found in the database, the current one first.
    readable: Vec<DataKeys>,
}

impl Keys {
    /// The standard suite with `master` as key version 1.
    pub fn from_master(master: &[u8]) -> Self {
        Self::new(
            CryptoSuite::Standard,
            &MasterKey {
                version: 1,
                secret: master.to_vec(),
            },
            &[],
        )
        .expect("one key version cannot clash")
    }

    /// `current` seals new data under `suite`; `previous` keys (older versions) stay readable under both suites,
    /// as does the current key under the other suite (a suite switch without a new key).
    pub fn new(
        suite: CryptoSuite,
        current: &MasterKey,
        previous: &[MasterKey],
    ) -> anyhow::Result<Self> {
        let mut versions = vec![current.version];
        for p in previous {
            anyhow::ensure!(
                !versions.contains(&p.version),
                "secret key version {} is given twice",
                p.version
            );
            versions.push(p.version);
        }
        // Token and link signing keep HMAC-SHA256 derivation whatever the suite (JWT stays HS256).
        let signing = CryptoSuite::Standard;
        let active = DataKeys::derive(suite, current.version, &current.secret);
        let mut readable = vec![active.clone()];
        for master in std::iter::once(current).chain(previous) {
            for s in [CryptoSuite::Standard, CryptoSuite::Sm] {
                if (s, master.version) != (suite, current.version) {
                    readable.push(DataKeys::derive(s, master.version, &master.secret));
                }
            }
        }
        Ok(Self {
            jwt: signing.mac(&current.secret, b"yanxiu/jwt-signing/v1"),
            media: signing.mac(&current.secret, b"yanxiu/media-link/v1"),
            current: active,
            readable,
        })
    }

    /// The keys `config` names: `secret_key` (or `data_dir/secret.key`, generated once with 0600 rights) as
    /// version `secret_key_version`, plus `previous_secret_keys`, under the suite `crypto`.
    pub fn load(config: &Config) -> anyhow::Result<Self> {
        let hex_key = match config.secret_key.as_deref() {
            Some(k) => k.to_string(),
            None => generated_secret(&config.data_dir, "secret.key")?,
        };
        let current =
            MasterKey::from_hex(config.secret_key_version, &hex_key, "YANXIU_SECRET_KEY")?;
        let previous = parse_previous_keys(config.previous_secret_keys.as_deref().unwrap_or(""))?;
        Self::new(config.crypto, &current, &previous)
    }

    /// The suite new personal data is protected with.
    pub fn suite(&self) -> CryptoSuite {
        self.current.suite
    }

    /// The key version new personal data is protected with.
    pub fn key_version(&self) -> u32 {
        self.current.version
    }

    /// What every value sealed under the current suite and key starts with; others need a rekey.
    pub fn current_prefix(&self) -> String {
        self.current.prefix()
    }

    /// Whether `sealed` was written under the current suite and key.
    pub fn is_current(&self, sealed: &str) -> bool {
        sealed.starts_with(&self.current.prefix())
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        out.extend(self.current.sealer.seal(&nonce, plain.as_bytes()));
        format!("{}{}", self.current.prefix(), STANDARD.encode(out))
    }

    pub fn decrypt(&self, sealed: &str) -> anyhow::Result<String> {
        let (suite, version, body) = parse_sealed(sealed)?;
        let keys = self
            .readable
            .iter()
            .find(|k| k.suite == suite && k.version == version)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no secret key version {version} is configured (YANXIU_PREVIOUS_SECRET_KEYS)"
                )
            })?;
        let bytes = STANDARD.decode(body)?;
        anyhow::ensure!(bytes.len() > 12, "sealed value too short");
        let (nonce, ciphertext) = bytes.split_at(12);
        Ok(String::from_utf8(keys.sealer.open(nonce, ciphertext)?)?)
    }

    /// Deterministic keyed hash under the current suite and key, so an exact value can be found without storing
    /// it in clear.
    pub fn lookup_hash(&self, value: &str) -> String {
        self.current.lookup_hash(value)
    }

    /// The value's keyed hash under every readable suite and key, the current one first: until a rekey has
    /// finished, a row may still carry an older one, so searches match any of them.
    pub fn lookup_hashes(&self, value: &str) -> Vec<String> {
        let mut hashes: Vec<String> = Vec::with_capacity(self.readable.len());
        for keys in &self.readable {
            let hash = keys.lookup_hash(value);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        hashes
    }
}

/// (suite, key version, base64 body) of a sealed value; the un-prefixed original format is (standard, 1).
fn parse_sealed(sealed: &str) -> anyhow::Result<(CryptoSuite, u32, &str)> {
    let Some(rest) = sealed
        .strip_prefix(FORMAT)
        .and_then(|r| r.strip_prefix('.'))
    else {
        return Ok((CryptoSuite::Standard, 1, sealed));
    };
    let mut parts = rest.splitn(3, '.');
    let (Some(suite), Some(version), Some(body)) = (parts.next(), parts.next(), parts.next())
    else {
        anyhow::bail!("malformed sealed value");
    };
    let suite = CryptoSuite::from_tag(suite)
        .ok_or_else(|| anyhow::anyhow!("unknown cryptographic suite {suite:?}"))?;
    Ok((suite, version.parse()?, body))
}

/// A 32-byte secret generated once into `data_dir/<file_name>` (0600), as hex: the master secret
/// (`secret.key`) and the audit key (`audit.key`), each kept apart from the other.
pub fn generated_secret(data_dir: &Path, file_name: &str) -> anyhow::Result<String> {
    let path = data_dir.join(file_name);
    if path.exists() {
        return Ok(std::fs::read_to_string(&path)?.trim().to_string());
    }
    std::fs::create_dir_all(data_dir)?;
    let mut master = [0u8; 32];
    rand::rng().fill_bytes(&mut master);
    let hex_key = hex::encode(master);
    write_private(&path, hex_key.as_bytes())?;
    Ok(hex_key)
}

impl Keys {
    /// HMAC-SHA256 of a playback link's claims.
    pub fn media_link_mac(&self, claims: &str) -> Vec<u8> {
        CryptoSuite::Standard.mac(&self.media, claims.as_bytes())
    }

    /// Whether `tag` is the HMAC of `claims`, compared in constant time.
    pub fn media_link_valid(&self, claims: &str, tag: &[u8]) -> bool {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.media).expect("HMAC takes any key length");
        mac.update(claims.as_bytes());
        mac.verify_slice(tag).is_ok()
    }
}

fn write_private(path: &Path, content: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(content)
}

/// A random opaque token for the client, and the hash we store instead of it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// `510104199001011234` → `510104********1234`.
pub fn mask_id_card(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// `13812341234` → `138****1234`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_id_card("51010419900101123X"), "510104********123X");
        assert_eq!(mask_phone("13812341234"), "138****1234");
    }

    #[test]
    fn encryption_round_trips_and_is_randomised() {
        let keys = Keys::from_master(&[7u8; 32]);
        let a = keys.encrypt("51010419900101123X");
        let b = keys.encrypt("51010419900101123X");
        assert_ne!(a, b);
        assert_eq!(keys.decrypt(&a).expect("decrypts"), "51010419900101123X");
        assert_eq!(
            keys.lookup_hash("51010419900101123x"),
            keys.lookup_hash("51010419900101123X")
        );
    }

    #[test]
    fn tampered_ciphertext_is_rejected() {
        let keys = Keys::from_master(&[7u8; 32]);
        let sealed = keys.encrypt("13812341234");
        let (_, _, body) = parse_sealed(&sealed).expect("parses");
        let mut bytes = STANDARD.decode(body).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = format!("{}{}", keys.current_prefix(), STANDARD.encode(bytes));
        assert!(keys.decrypt(&tampered).is_err());
    }

    fn master(version: u32, byte: u8) -> MasterKey {
        MasterKey {
            version,
            secret: vec![byte; 32],
        }
    }

    /// A value sealed the way every value was before the self-describing format: plain base64 of nonce||ct.
    fn legacy_seal(master: &[u8], plain: &str) -> String {
        let enc = CryptoSuite::Standard.mac(master, b"yanxiu/pii-encryption/v1");
        let cipher = Aes256Gcm::new_from_slice(&enc).expect("key");
        let nonce = [3u8; 12];
        let mut out = nonce.to_vec();
        out.extend(
            cipher
                .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
                .expect("seal"),
        );
        STANDARD.encode(out)
    }

    #[test]
    fn sealed_values_name_their_suite_and_key_version() {
        let standard = Keys::from_master(&[7u8; 32]);
        assert!(standard.encrypt("x").starts_with("v2.standard.1."));
        let sm = Keys::new(CryptoSuite::Sm, &master(2, 9), &[master(1, 7)]).expect("keys");
        let sealed = sm.encrypt("51010419900101123X");
        assert!(sealed.starts_with("v2.sm.2."), "{sealed}");
        assert!(sm.is_current(&sealed));
        assert_eq!(sm.decrypt(&sealed).expect("sm4"), "51010419900101123X");
        // Older values (legacy format, standard v2 format) still read under the new suite and key …
        assert_eq!(
            sm.decrypt(&legacy_seal(&[7u8; 32], "13812341234"))
                .expect("legacy"),
            "13812341234"
        );
        let older = standard.encrypt("13812341234");
        assert!(!sm.is_current(&older));
        assert_eq!(sm.decrypt(&older).expect("previous key"), "13812341234");
        // … and a key version nobody configured is an error, not garbage.
        let unknown = Keys::new(CryptoSuite::Sm, &master(3, 5), &[]).expect("keys");
        assert!(unknown.decrypt(&older).is_err());
        assert!(unknown.decrypt(&sealed).is_err());
    }

    /// The SM4-GCM known answer of RFC 8998 (appendix A.1) and SM3("abc") of GB/T 32905: the generic GCM over SM4
    /// and the SM3 wiring are the national algorithms, not merely something that round-trips.
    #[test]
    fn sm4_gcm_and_sm3_match_the_published_vectors() {
        let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").expect("hex");
        let nonce = hex::decode("00001234567800000000ABCD").expect("hex");
        let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").expect("hex");
        let plain = hex::decode(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD\
             EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        )
        .expect("hex");
        let cipher = Sm4Gcm::new_from_slice(&key).expect("key");
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                aes_gcm::aead::Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .expect("seal");
        assert_eq!(
            hex::encode_upper(sealed),
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735\
             D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D\
             83DE3541E4C2B58177E065A9BF7B62EC"
        );
        assert_eq!(
            hex::encode(Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn lookup_hashes_cover_every_readable_key_current_first() {
        let standard = Keys::from_master(&[7u8; 32]);
        let sm = Keys::new(CryptoSuite::Sm, &master(2, 9), &[master(1, 7)]).expect("keys");
        let id = "51010419900101123X";
        assert_ne!(sm.lookup_hash(id), standard.lookup_hash(id));
        assert_eq!(sm.lookup_hash(id).len(), 64);
        let all = sm.lookup_hashes(id);
        assert_eq!(all[0], sm.lookup_hash(id));
        assert!(all.contains(&standard.lookup_hash(id)));
        assert_eq!(all.len(), 4, "two suites × two key versions");
    }

    #[test]
    fn the_same_key_version_twice_is_refused() {
        assert!(Keys::new(CryptoSuite::Sm, &master(1, 9), &[master(1, 7)]).is_err());
        assert!(parse_previous_keys("1:abcd").is_err(), "too short");
        assert!(parse_previous_keys("x:00").is_err());
        let keys = parse_previous_keys(&format!("1:{}, 2:{}", "ab".repeat(32), "cd".repeat(32)))
            .expect("two keys");
        assert_eq!(keys.iter().map(|k| k.version).collect::<Vec<_>>(), [1, 2]);
    }
}
