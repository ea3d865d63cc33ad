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

pub use error::{ErrorMetadata, ServiceError};
pub use generated::*;
pub use operation::{Idempotency, Operation, Paginated};
pub use timestamp::Timestamp;
pub use validation::{Rule, Validate, ValidationError, Violation};
