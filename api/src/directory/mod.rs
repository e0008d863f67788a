//! The directory: regions, schools, teachers and accounts, with their import and export.
pub mod accounts;
pub mod accounts_routes;
pub mod audit_routes;
pub mod export;
pub mod files_routes;
pub mod import;
pub mod labels;
pub mod personal_data;
pub mod personal_data_routes;
pub mod regions;
pub mod school_move;
pub mod schools;
pub mod schools_routes;
pub mod service;
pub mod teachers;
pub mod teachers_routes;
pub mod validate;

pub use accounts::AccountView;
pub use schools::SchoolView;
pub use teachers::TeacherView;
