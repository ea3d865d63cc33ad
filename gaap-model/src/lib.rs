#![doc = include_str!("../docs/guide.md")]
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
