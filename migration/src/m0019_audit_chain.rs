//! The tamper-evident audit log: a per-entry MAC and a hash chain over `audit_log`, signed checkpoints of the
//! chain, the archive of old entries moved to the object store, and (PostgreSQL) a trigger that keeps the table
//! append-only.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    EntryMac,
    Seq,
    PrevMac,
    ChainMac,
}

#[derive(DeriveIden)]
enum AuditSeal {
    Table,
    Id,
    LastSeq,
    LastMac,
    LegacyThroughId,
    SealedAt,
}

#[derive(DeriveIden)]
enum AuditCheckpoint {
    Table,
    Id,
    Seq,
    ChainMac,
    At,
    Signature,
}

#[derive(DeriveIden)]
enum AuditArchive {
    Table,
    Id,
    FirstSeq,
    LastSeq,
    EntryCount,
    FirstPrevMac,
    LastChainMac,
    ObjectKey,
    Manifest,
    Signature,
    ArchivedAt,
}

/// Refuses every UPDATE and DELETE of an audit entry except the two the application makes: setting a chain
/// column that is still NULL (the entry's own MAC right after insert, the sealer's seq/prev_mac/chain_mac) with
/// every other column unchanged, and deleting an entry whose place in the chain an archive already covers.
const PG_GUARD: &str = r#"
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.seq IS NOT NULL
           AND OLD.seq <= (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: entry % is not archived', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor = OLD.actor
       AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
       AND NEW.target_id IS NOT DISTINCT FROM OLD.target_id
       AND NEW.target_path IS NOT DISTINCT FROM OLD.target_path
       AND NEW.detail = OLD.detail AND NEW.ip IS NOT DISTINCT FROM OLD.ip
       AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
       AND (OLD.entry_mac IS NULL OR NEW.entry_mac IS NOT DISTINCT FROM OLD.entry_mac)
       AND (OLD.seq IS NULL OR NEW.seq IS NOT DISTINCT FROM OLD.seq)
       AND (OLD.prev_mac IS NULL OR NEW.prev_mac IS NOT DISTINCT FROM OLD.prev_mac)
       AND (OLD.chain_mac IS NULL OR NEW.chain_mac IS NOT DISTINCT FROM OLD.chain_mac) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: entry % cannot be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE FUNCTION audit_record_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows cannot be changed or removed', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_checkpoint_immutable BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_record_immutable();
CREATE TRIGGER audit_archive_immutable BEFORE UPDATE OR DELETE ON audit_archive
    FOR EACH ROW EXECUTE FUNCTION audit_record_immutable();
"#;

const PG_GUARD_DROP: &str = r#"
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
DROP TRIGGER IF EXISTS audit_checkpoint_immutable ON audit_checkpoint;
DROP TRIGGER IF EXISTS audit_archive_immutable ON audit_archive;
DROP FUNCTION IF EXISTS audit_log_append_only();
DROP FUNCTION IF EXISTS audit_record_immutable();
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite cannot add several at once.
        for column in [
            string_len_null(AuditLog::EntryMac, 64),
            big_integer_null(AuditLog::Seq),
            string_len_null(AuditLog::PrevMac, 64),
            string_len_null(AuditLog::ChainMac, 64),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_audit_log_seq")
                    .table(AuditLog::Table)
                    .col(AuditLog::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditSeal::Table)
                    .col(integer(AuditSeal::Id).primary_key())
                    .col(big_integer(AuditSeal::LastSeq).default(0))
                    .col(string_len(AuditSeal::LastMac, 64).default(""))
                    .col(big_integer(AuditSeal::LegacyThroughId).default(0))
                    .col(timestamp_with_time_zone_null(AuditSeal::SealedAt))
                    .to_owned(),
            )
            .await?;
        // Entries written before the chain existed carry no MAC; the first seal gives them one (nothing else can).
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO audit_seal (id, last_seq, last_mac, legacy_through_id) \
                 SELECT 1, 0, '', COALESCE(MAX(id), 0) FROM audit_log",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditCheckpoint::Table)
                    .col(big_pk_auto(AuditCheckpoint::Id))
                    .col(big_integer(AuditCheckpoint::Seq))
                    .col(string_len(AuditCheckpoint::ChainMac, 64))
                    .col(timestamp_with_time_zone(AuditCheckpoint::At))
                    .col(string_len(AuditCheckpoint::Signature, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditArchive::Table)
                    .col(big_pk_auto(AuditArchive::Id))
                    .col(big_integer(AuditArchive::FirstSeq))
                    .col(big_integer(AuditArchive::LastSeq))
                    .col(big_integer(AuditArchive::EntryCount))
                    .col(string_len(AuditArchive::FirstPrevMac, 64))
                    .col(string_len(AuditArchive::LastChainMac, 64))
                    .col(string_len(AuditArchive::ObjectKey, 255))
                    .col(text(AuditArchive::Manifest))
                    .col(string_len(AuditArchive::Signature, 64))
                    .col(timestamp_with_time_zone(AuditArchive::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(PG_GUARD)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(PG_GUARD_DROP)
                .await?;
        }
        for table in ["audit_archive", "audit_checkpoint", "audit_seal"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("uq_audit_log_seq")
                    .table(AuditLog::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            AuditLog::EntryMac,
            AuditLog::Seq,
            AuditLog::PrevMac,
            AuditLog::ChainMac,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
