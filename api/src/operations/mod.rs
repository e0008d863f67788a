//! Running the platform itself: the durable jobs (mail, reminders) that failed or wait for a retry, for the
//! province administrators to see and run again.
pub mod routes;
