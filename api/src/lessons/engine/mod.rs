//! The review engine's pure parts: reviewer assignment, score aggregation, ranking and quota selection. No
//! database here, so the rules are unit-tested and benchmarked on generated data.
mod assign;
mod scores;

pub use assign::*;
pub use scores::*;
