//! Access tokens: HS256 JWTs, 15 minutes, with `exp`, `iss`, `aud` and `sub` required and the algorithm pinned.
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::platform::{config::Config, crypto::Keys};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    /// The account's token version when issued.
    pub ver: i32,
    /// The session (sign-in) the token belongs to.
    pub sid: i64,
}

pub fn issue_access(
    config: &Config,
    keys: &Keys,
    account_id: i64,
    version: i32,
    session_id: i64,
) -> anyhow::Result<String> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: account_id.to_string(),
        iss: config.jwt_issuer.clone(),
        aud: config.jwt_audience.clone(),
        exp: now + config.access_token_minutes * 60,
        iat: now,
        ver: version,
        sid: session_id,
    };
    Ok(encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&keys.jwt)?,
    )?)
}

pub fn verify_access(config: &Config, keys: &Keys, token: &str) -> anyhow::Result<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.set_issuer(&[config.jwt_issuer.as_str()]);
    validation.set_audience(&[config.jwt_audience.as_str()]);
    validation.leeway = 5;
    Ok(decode::<Claims>(token, &DecodingKey::from_secret(&keys.jwt)?, &validation)?.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrong_audience_or_key_fail() {
        let config = Config::default();
        let keys = Keys::from_master(&[1u8; 32]);
        let token = issue_access(&config, &keys, 42, 3, 7).expect("issue");
        let claims = verify_access(&config, &keys, &token).expect("verify");
        assert_eq!((claims.sub.as_str(), claims.ver, claims.sid), ("42", 3, 7));

        let other = Config {
            jwt_audience: "elsewhere".into(),
            ..Config::default()
        };
        assert!(verify_access(&other, &keys, &token).is_err());
        assert!(verify_access(&config, &Keys::from_master(&[2u8; 32]), &token).is_err());
    }

    #[test]
    fn unsigned_token_is_rejected() {
        let config = Config::default();
        let keys = Keys::from_master(&[1u8; 32]);
        // header {"alg":"none"} . claims . empty signature
        let forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwiaXNzIjoieWFueGl1IiwiYXVkIjoieWFueGl1LWFwaSIsImV4cCI6OTk5OTk5OTk5OSwiaWF0IjowLCJ2ZXIiOjB9.";
        assert!(verify_access(&config, &keys, forged).is_err());
    }
}
