//! Messages of the competency domain.
crate::messages! {}
