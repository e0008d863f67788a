//! Messages of the lessons domain.
crate::messages! {}
