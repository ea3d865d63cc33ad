//! Typed request and response models for Tencent Cloud GAAP (API 2018-05-29), generated
//! from the doc pages in `api-specs/` by `cargo xtask regenerate`, plus the hand-written
//! contracts they implement: [`Operation`], [`Validate`] and [`ServiceError`].

pub mod error;
pub mod operation;
pub mod validation;

pub use error::{ErrorMetadata, ServiceError};
pub use operation::{Operation, Paginated};
pub use validation::{Rule, Validate, ValidationError, Violation};
