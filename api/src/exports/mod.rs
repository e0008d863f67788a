//! The export center (导出中心) and scheduled reports: an export asked for in the background returns at once; a
//! durable job, taken by any instance's worker, makes the file into the object store as its owner (with the
//! owner's grants at run time), the owner is told and downloads it from "my exports" until it expires, when the
//! sweeper removes row and file. A subscription asks for the same export weekly or monthly; the scheduler moves
//! its next run with a compare-and-set, so with several instances each run happens once, and runs missed while
//! no instance was up are made up once.
pub mod job;
pub mod params;
pub mod produce;
pub mod routes;
pub mod schedule;
pub mod service;

pub use job::ExportJobs;
pub use schedule::run_scheduler;
