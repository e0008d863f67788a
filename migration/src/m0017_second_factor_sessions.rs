//! Sign-in sessions, the second factor (TOTP) and forced password changes:
//! - `sessions`: one row per sign-in (the refresh-token family it owns), with its activity, how it ended, when the
//!   second factor was last verified in it, and an optional restriction (a password change or a second-factor
//!   enrolment is due first).
//! - `second_factors`: the account's TOTP secret (encrypted), a new one awaiting its first code, when it was confirmed, the last time step used (no
//!   replay) and its own failure counter and lock.
//! - `recovery_codes`: single-use codes, stored as keyed hashes.
//! - `sign_in_challenges`: the short-lived ticket between the password step and the second-factor step.
//! - `accounts.must_change_password` and `accounts.password_changed_at`.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    Family,
    CreatedAt,
    LastActiveAt,
    Ip,
    UserAgent,
    EndedAt,
    EndReason,
    EndedBy,
    SecondFactorAt,
    Restriction,
}

#[derive(DeriveIden)]
enum SecondFactors {
    Table,
    AccountId,
    SecretEnc,
    PendingSecretEnc,
    ConfirmedAt,
    LastUsedStep,
    Failures,
    LockedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInChallenges {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    Failures,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    MustChangePassword,
    PasswordChangedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(big_pk_auto(Sessions::Id))
                    .col(big_integer(Sessions::AccountId))
                    .col(string_len(Sessions::Family, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastActiveAt))
                    .col(string_len(Sessions::Ip, 64))
                    .col(string_len(Sessions::UserAgent, 512))
                    .col(timestamp_with_time_zone_null(Sessions::EndedAt))
                    // signed_out | ended_by_owner | ended_by_administrator | revoked | refresh_reuse
                    .col(string_len_null(Sessions::EndReason, 32))
                    .col(big_integer_null(Sessions::EndedBy))
                    .col(timestamp_with_time_zone_null(Sessions::SecondFactorAt))
                    // password_change | second_factor_enrolment
                    .col(string_len_null(Sessions::Restriction, 32))
                    .foreign_key(&mut foreign_key(
                        "fk_sessions_account",
                        (Sessions::Table, Sessions::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_sessions_family",
                Sessions::Table,
                vec![Alias::new("family")],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_sessions_account_created",
                Sessions::Table,
                vec![Alias::new("account_id"), Alias::new("created_at")],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SecondFactors::Table)
                    .col(big_integer(SecondFactors::AccountId).primary_key())
                    .col(text_null(SecondFactors::SecretEnc))
                    .col(text_null(SecondFactors::PendingSecretEnc))
                    .col(timestamp_with_time_zone_null(SecondFactors::ConfirmedAt))
                    .col(big_integer_null(SecondFactors::LastUsedStep))
                    .col(integer(SecondFactors::Failures).default(0))
                    .col(timestamp_with_time_zone_null(SecondFactors::LockedUntil))
                    .col(timestamp_with_time_zone(SecondFactors::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_second_factors_account",
                        (SecondFactors::Table, SecondFactors::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(big_pk_auto(RecoveryCodes::Id))
                    .col(big_integer(RecoveryCodes::AccountId))
                    .col(string_len(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_recovery_codes_account",
                        (RecoveryCodes::Table, RecoveryCodes::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_recovery_codes_account_hash",
                RecoveryCodes::Table,
                vec![Alias::new("account_id"), Alias::new("code_hash")],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInChallenges::Table)
                    .col(big_pk_auto(SignInChallenges::Id))
                    .col(big_integer(SignInChallenges::AccountId))
                    .col(string_len(SignInChallenges::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(SignInChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(SignInChallenges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SignInChallenges::UsedAt))
                    .col(integer(SignInChallenges::Failures).default(0))
                    .foreign_key(&mut foreign_key(
                        "fk_sign_in_challenges_account",
                        (SignInChallenges::Table, SignInChallenges::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(boolean(Accounts::MustChangePassword).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::PasswordChangedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [Accounts::PasswordChangedAt, Accounts::MustChangePassword] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SignInChallenges::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RecoveryCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SecondFactors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Sessions::Table).to_owned())
            .await
    }
}
