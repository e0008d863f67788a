//! Keys, encryption of personal data at rest (AES-256-GCM), keyed hashes for exact lookup, opaque tokens,
//! and masking for display.
use std::path::Path;

use aes_gcm::{
    Aes256Gcm, Nonce,
    aead::{Aead, KeyInit},
};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Keys derived from one master secret, each for one purpose.
#[derive(Clone)]
pub struct Keys {
    pub jwt: Vec<u8>,
    cipher: Aes256Gcm,
    lookup: Vec<u8>,
    /// Signs short-lived playback links (a `<video>` cannot send a bearer header).
    media: Vec<u8>,
}

impl Keys {
    pub fn from_master(master: &[u8]) -> Self {
        let derive = |label: &str| -> Vec<u8> {
            let mut mac =
                <HmacSha256 as Mac>::new_from_slice(master).expect("HMAC takes any key length");
            mac.update(label.as_bytes());
            mac.finalize().into_bytes().to_vec()
        };
        let enc = derive("yanxiu/pii-encryption/v1");
        Self {
            jwt: derive("yanxiu/jwt-signing/v1"),
            cipher: Aes256Gcm::new_from_slice(&enc).expect("32-byte key"),
            lookup: derive("yanxiu/pii-lookup/v1"),
            media: derive("yanxiu/media-link/v1"),
        }
    }

    /// The configured secret (64 hex chars), or one generated once into `data_dir/secret.key` with 0600 rights.
    pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(hex_key) = configured {
            let master = hex::decode(hex_key.trim())?;
            anyhow::ensure!(
                master.len() >= 32,
                "YANXIU_SECRET_KEY must be at least 64 hex characters"
            );
            return Ok(Self::from_master(&master));
        }
        let path = data_dir.join("secret.key");
        if path.exists() {
            let master = hex::decode(std::fs::read_to_string(&path)?.trim())?;
            return Ok(Self::from_master(&master));
        }
        std::fs::create_dir_all(data_dir)?;
        let mut master = [0u8; 32];
        rand::rng().fill_bytes(&mut master);
        write_private(&path, hex::encode(master).as_bytes())?;
        Ok(Self::from_master(&master))
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encryption of a short string cannot fail");
        let mut out = nonce.to_vec();
        out.extend(ciphertext);
        STANDARD.encode(out)
    }

    pub fn decrypt(&self, sealed: &str) -> anyhow::Result<String> {
        let bytes = STANDARD.decode(sealed)?;
        anyhow::ensure!(bytes.len() > 12, "sealed value too short");
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .map_err(|_| anyhow::anyhow!("decryption failed"))?;
        Ok(String::from_utf8(plain)?)
    }

    /// Deterministic keyed hash, so an exact value can be found without storing it in clear.
    pub fn lookup_hash(&self, value: &str) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.lookup).expect("HMAC takes any key length");
        mac.update(value.trim().to_uppercase().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl Keys {
    /// HMAC-SHA256 of a playback link's claims.
    pub fn media_link_mac(&self, claims: &str) -> Vec<u8> {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.media).expect("HMAC takes any key length");
        mac.update(claims.as_bytes());
        mac.finalize().into_bytes().to_vec()
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
        let mut sealed = STANDARD
            .decode(keys.encrypt("13812341234"))
            .expect("base64");
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(keys.decrypt(&STANDARD.encode(sealed)).is_err());
    }
}
