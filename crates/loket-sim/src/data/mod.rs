//! Deterministic generated data: word lists, permit types, permits.

pub(crate) mod names;
pub(crate) mod permit_types;
pub(crate) mod permits;
