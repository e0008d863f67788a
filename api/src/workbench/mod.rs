//! The workbench (工作台): what each signed-in user sees first. An administrator gets the year's figures of their
//! area (read from the maintained counters, never a scan) and the queues waiting for them; a teacher their own
//! programs, progress and certificates; a reviewer the assignments due. Each part is shown only to whoever can act
//! on it, and every count goes through `access/`.
pub mod figures;
pub mod mine;
pub mod routes;
pub mod todo;
