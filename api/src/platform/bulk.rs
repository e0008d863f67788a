//! Bulk actions with per-item outcomes: every item is decided exactly as the single action would decide it (its own
//! scope check, transaction and audit entry), so one refusal never holds back the others. The answer counts what
//! was done and names every refusal with its reason; a refused item is left unchanged.
use std::{collections::HashSet, future::Future};

use poem_openapi::Object;

use super::{
    error::{AppError, AppResult, FieldError},
    i18n::ProblemCode,
};

/// The most items one bulk action may name; a longer list is refused whole (422) before anything changes.
pub const BULK_ACTION_LIMIT: usize = 500;

/// One item a bulk action did not carry out, and why.
#[derive(Debug, Clone, Object)]
pub struct BulkRefusal {
    pub id: i64,
    /// Why, as a catalogue code (`not_found` for an item outside my area or that does not exist).
    pub code: ProblemCode,
    /// Why, in the request's language.
    pub message: String,
}

/// What a bulk action did: `done + refused.len()` is the number of distinct ids requested.
#[derive(Debug, Clone, Object)]
pub struct BulkOutcome {
    /// Distinct ids in the request.
    pub requested: u64,
    /// Items changed.
    pub done: u64,
    pub refused: Vec<BulkRefusal>,
}

/// The catalogue code and message that explain a refusal: the first field's reason when there is one (it is the
/// most specific), else the problem's own.
pub fn refusal_reason(e: &AppError) -> (ProblemCode, String) {
    let problem = e.problem();
    match problem.errors.into_iter().next() {
        Some(FieldError {
            code: Some(code),
            message,
            ..
        }) => (code, message),
        _ => (problem.code, problem.detail),
    }
}

impl BulkOutcome {
    /// Runs `act` for each distinct id in order. A refusal (4xx) is recorded and the next id goes on; a server
    /// error stops the run and is returned, since it says nothing about the item.
    pub async fn run<F, Fut>(ids: &[i64], mut act: F) -> AppResult<Self>
    where
        F: FnMut(i64) -> Fut,
        Fut: Future<Output = AppResult<()>>,
    {
        let mut seen = HashSet::new();
        let mut outcome = BulkOutcome {
            requested: 0,
            done: 0,
            refused: Vec::new(),
        };
        for &id in ids.iter().filter(|id| seen.insert(**id)) {
            outcome.requested += 1;
            match act(id).await {
                Ok(()) => outcome.done += 1,
                Err(e) if e.status().is_server_error() => return Err(e),
                Err(e) => {
                    let (code, message) = refusal_reason(&e);
                    outcome.refused.push(BulkRefusal { id, code, message });
                }
            }
        }
        Ok(outcome)
    }
}
