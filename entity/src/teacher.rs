use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teachers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// Follows the 身份证号 (its 17th digit).
    pub gender: Gender,
    pub school_id: i64,
    /// The school's path, so scope filters are one prefix match.
    pub path: String,
    /// AES-GCM ciphertext of the 身份证号 (base64 nonce||ciphertext).
    pub id_card_enc: String,
    /// Keyed hash of the 身份证号 for exact lookup and uniqueness.
    #[sea_orm(unique)]
    pub id_card_hash: String,
    pub id_card_masked: String,
    pub birth_date: Date,
    pub phone_enc: Option<String>,
    pub phone_hash: Option<String>,
    pub phone_masked: Option<String>,
    pub email: Option<String>,
    pub teacher_number: Option<String>,
    /// 任教学段.
    pub stage: crate::school::Stage,
    pub subject: String,
    pub title: Option<String>,
    pub education: Option<String>,
    pub teaching_years: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::state_enum! {
    /// 性别.
    pub enum Gender {
        Male = "male",
        Female = "female",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
