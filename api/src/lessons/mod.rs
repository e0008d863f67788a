//! 一师一优课 (one teacher, one excellent lesson, issue #5): the yearly activity and its lesson catalogue, teachers'
//! lessons with their items, the school's 审查, and the chained review rounds (county → city → province → ministry)
//! with rubrics, reviewer pools, conflicts, aggregation, quotas, 公示 and awards.
pub mod engine;
// Rounds and review (Part B)
pub mod assignment;
pub mod publicity;
pub mod results;
pub mod reviews;
pub mod rounds;
pub mod rounds_routes;

use entity::file;

use crate::{AppState, auth::Principal, platform::error::AppResult};

/// Whether `principal` may read `file` because it is an item of a lesson they may see (its teacher, the school
/// and region administrators over it, a reviewer assigned to it).
pub async fn sees_file(
    _state: &AppState,
    _principal: &Principal,
    _file: &file::Model,
) -> AppResult<bool> {
    Ok(false)
}
