//! Typed request and response models for Tencent Cloud GAAP (API 2018-05-29), generated
//! from the doc pages in `api-specs/` by `cargo xtask regenerate`, plus the hand-written
//! contracts they implement: [`Operation`], [`Validate`] and [`ServiceError`].
#![warn(missing_docs)]

pub mod de;
pub mod error;
pub mod operation;
#[cfg(feature = "server")]
pub mod server;
pub mod timestamp;
pub mod validation;

#[rustfmt::skip]
mod generated;

/// The structs of the Data Types pages and every enumerated value of a parameter.
pub mod types {
    pub use crate::generated::types::*;
}

pub use error::{Error, ErrorMetadata, ServiceError};
pub use generated::{API_VERSION, DEFAULT_ENDPOINT, READ_ACTION_PREFIXES, SERVICE};
pub use operation::{Idempotency, Operation, Paginated};
pub use timestamp::Timestamp;
pub use validation::{Rule, Validate, ValidationError, Violation};
