//! The in-app inbox (站内信) beside mail, each account's choice of which kinds also go by mail, and announcements
//! (通知公告) published to a subtree with the reads that feed their per-region read counts.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InboxMessages {
    Table,
    Id,
    AccountId,
    Kind,
    Title,
    Body,
    Link,
    DedupeKey,
    ReadAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    AccountId,
    Kind,
    ByMail,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Announcements {
    Table,
    Id,
    AuthorId,
    NodeCode,
    Path,
    Title,
    Body,
    Roles,
    Attachments,
    ValidFrom,
    ValidUntil,
    WithdrawnAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AnnouncementReads {
    Table,
    AnnouncementId,
    AccountId,
    ChildCode,
    ReadAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

fn to_account(
    name: &str,
    from: impl IntoTableRef,
    col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from, col)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InboxMessages::Table)
                    .col(big_pk_auto(InboxMessages::Id))
                    .col(big_integer(InboxMessages::AccountId))
                    .col(string_len(InboxMessages::Kind, 32))
                    .col(string_len(InboxMessages::Title, 300))
                    .col(text(InboxMessages::Body))
                    .col(string_len_null(InboxMessages::Link, 300))
                    .col(string_len_null(InboxMessages::DedupeKey, 200).unique_key())
                    .col(timestamp_with_time_zone_null(InboxMessages::ReadAt))
                    .col(timestamp_with_time_zone(InboxMessages::CreatedAt))
                    .foreign_key(&mut to_account(
                        "fk_inbox_messages_account",
                        InboxMessages::Table,
                        InboxMessages::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        // My messages newest first, and my unread count: both start from the account.
        manager
            .create_index(
                Index::create()
                    .name("idx_inbox_messages_account_read")
                    .table(InboxMessages::Table)
                    .col(InboxMessages::AccountId)
                    .col(InboxMessages::ReadAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPreferences::Table)
                    .col(big_integer(NotificationPreferences::AccountId))
                    .col(string_len(NotificationPreferences::Kind, 32))
                    .col(boolean(NotificationPreferences::ByMail))
                    .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(NotificationPreferences::AccountId)
                            .col(NotificationPreferences::Kind),
                    )
                    .foreign_key(&mut to_account(
                        "fk_notification_preferences_account",
                        NotificationPreferences::Table,
                        NotificationPreferences::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Announcements::Table)
                    .col(big_pk_auto(Announcements::Id))
                    .col(big_integer(Announcements::AuthorId))
                    .col(string_len(Announcements::NodeCode, 16))
                    .col(string_len(Announcements::Path, 128))
                    .col(string_len(Announcements::Title, 200))
                    .col(text(Announcements::Body))
                    .col(text(Announcements::Roles))
                    .col(text(Announcements::Attachments))
                    .col(timestamp_with_time_zone(Announcements::ValidFrom))
                    .col(timestamp_with_time_zone_null(Announcements::ValidUntil))
                    .col(timestamp_with_time_zone_null(Announcements::WithdrawnAt))
                    .col(timestamp_with_time_zone(Announcements::CreatedAt))
                    .col(timestamp_with_time_zone(Announcements::UpdatedAt))
                    .foreign_key(&mut to_account(
                        "fk_announcements_author",
                        Announcements::Table,
                        Announcements::AuthorId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_announcements_path")
                    .table(Announcements::Table)
                    .col(Announcements::Path)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnouncementReads::Table)
                    .col(big_integer(AnnouncementReads::AnnouncementId))
                    .col(big_integer(AnnouncementReads::AccountId))
                    .col(string_len_null(AnnouncementReads::ChildCode, 16))
                    .col(timestamp_with_time_zone(AnnouncementReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(AnnouncementReads::AnnouncementId)
                            .col(AnnouncementReads::AccountId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_announcement_reads_announcement")
                            .from(AnnouncementReads::Table, AnnouncementReads::AnnouncementId)
                            .to(Announcements::Table, Announcements::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut to_account(
                        "fk_announcement_reads_account",
                        AnnouncementReads::Table,
                        AnnouncementReads::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        // Read counts per child region: one grouped read of one announcement's rows.
        manager
            .create_index(
                Index::create()
                    .name("idx_announcement_reads_child")
                    .table(AnnouncementReads::Table)
                    .col(AnnouncementReads::AnnouncementId)
                    .col(AnnouncementReads::ChildCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnnouncementReads::Table.into_iden(),
            Announcements::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
            InboxMessages::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
