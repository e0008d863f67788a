//! The closed sets stored in status, kind, category and similar columns.
//!
//! The entity crate otherwise knows nothing of the web layer; these enums are the exception because one type has to
//! be both the column (sea-orm `DeriveActiveEnum`, stored as its string) and the contract (a `poem_openapi::Enum`
//! the spec lists), so the stored value, the API value and the SPA's generated type cannot drift apart. Reading a
//! stored value that is not in the set is a database error, never a silent default.

use sea_orm::sea_query::StringLen;

/// Declares a state enum: every variant names its stored string once, and that string is also its API value and
/// what `as_str` returns and its JSON form (for CSV cells, audit details, JSON columns and raw SQL binds). The calling module must have
/// `StringLen` in scope (the entity prelude brings it).
#[macro_export]
macro_rules! state_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:tt, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            sea_orm::EnumIter,
            sea_orm::DeriveActiveEnum,
            poem_openapi::Enum,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $value)]
                #[oai(rename = $value)]
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The stored (and API) value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// The value named exactly `s`, if any.
            pub fn from_stored(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

state_enum! {
    /// Hour categories seen in provincial systems (集中 / 网络 / 信息技术 / 区域特色 / 校本 / 实践应用).
    #[derive(PartialOrd, Ord)]
    pub enum HourCategory {
        Centralized = "centralized",
        Online = "online",
        Ict = "ict",
        Regional = "regional",
        SchoolBased = "school_based",
        Practice = "practice",
    }
}
