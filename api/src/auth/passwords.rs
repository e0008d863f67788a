//! argon2id hashing off the async threads, with a cap on how many run at once, and the password policy.
use std::sync::Arc;

use argon2::{
    Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier, Version,
    password_hash::phc::PasswordHash,
};
use tokio::sync::Semaphore;

use crate::platform::error::{AppError, FieldError};

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when the username is unknown, so both paths cost the same.
    decoy: Arc<tokio::sync::OnceCell<String>>,
}

impl PasswordHasher {
    pub fn new(memory_kib: u32, iterations: u32, concurrency: usize) -> anyhow::Result<Self> {
        let params = Params::new(memory_kib, iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            decoy: Arc::new(tokio::sync::OnceCell::new()),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let argon2 = self.argon2();
        let password = password.to_string();
        tokio::task::spawn_blocking(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(AppError::internal)
        })
        .await
        .map_err(AppError::internal)?
    }

    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let argon2 = self.argon2();
        let password = password.to_string();
        let hash = hash.to_string();
        tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
            Ok(argon2.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Spends the same work as a real verification and always says no.
    pub async fn verify_decoy(&self, password: &str) -> Result<bool, AppError> {
        let decoy = self
            .decoy
            .get_or_try_init(|| async { self.hash("yanxiu-decoy-password").await })
            .await?
            .clone();
        self.verify(password, &decoy).await.map(|_| false)
    }
}

/// Length and character-class rule; returns the reasons in both languages.
pub fn check_policy(
    password: &str,
    min_length: usize,
    min_classes: usize,
    field: &str,
) -> Result<(), AppError> {
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    let mut errors = Vec::new();
    if password.chars().count() < min_length {
        errors.push(FieldError::new(
            field,
            format!("密码至少 {min_length} 个字符 / At least {min_length} characters"),
        ));
    }
    if classes < min_classes {
        errors.push(FieldError::new(
            field,
            format!(
                "密码需包含小写、大写、数字、符号中的至少 {min_classes} 类 / Use at least {min_classes} of: lower case, upper case, digits, symbols"
            ),
        ));
    }
    if password.len() > 128 {
        errors.push(FieldError::new(field, "密码过长 / At most 128 characters"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_needs_length_and_classes() {
        assert!(check_policy("Abcdef12", 8, 3, "p").is_ok());
        assert!(check_policy("abcdefgh", 8, 3, "p").is_err());
        assert!(check_policy("Ab1!", 8, 3, "p").is_err());
    }

    #[tokio::test]
    async fn hash_verifies_and_rejects_wrong_password() {
        let hasher = PasswordHasher::new(1024, 1, 2).expect("params");
        let hash = hasher.hash("Secret#123").await.expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify("Secret#123", &hash).await.expect("verify"));
        assert!(!hasher.verify("secret#123", &hash).await.expect("verify"));
    }
}
