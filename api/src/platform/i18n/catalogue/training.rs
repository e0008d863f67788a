//! Messages of the training domain.
crate::messages! {}
