//! Messages of the operations domain.
crate::messages! {}
