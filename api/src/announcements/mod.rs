//! Announcements (通知公告): an administrator publishes to the subtree of their node, to every role or to chosen
//! ones, for a validity period; readers see the valid ones that reach them, and the author's side sees how many
//! have read per child region.
pub mod routes;
pub mod service;
pub mod targeting;

pub use service::AnnouncementFiles;
