//! Messages of the assessment domain.
crate::messages! {}
