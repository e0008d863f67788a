//! Messages of the directory domain.
crate::messages! {}
