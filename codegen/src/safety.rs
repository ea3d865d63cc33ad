//! Which actions are safe to repeat after a failure that leaves unknown whether the service
//! applied them. This is the one reviewed place for that decision: a name prefix decides
//! by default, [`OVERRIDES`] corrects it, and a `ClientToken` input makes a write safe.
//!
//! The runtime reads the result (`Operation::IDEMPOTENCY`) to decide whether a timeout,
//! a dropped connection, a 5xx or `InternalError` may be retried.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Action, Type};

/// Name prefixes of actions that only read.
pub const READ_PREFIXES: &[&str] = &["Describe", "Check", "Inquiry"];

/// What an override declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only reads, whatever its name says.
    ReadOnly,
    /// Writes, but repeating it has the same effect as sending it once.
    Idempotent,
    /// Writes and may apply twice, even though its name looks like a read.
    NotIdempotent,
}

/// Actions whose name prefix gives the wrong answer. Each entry needs a reason. (None of
/// the 88 actions of the international site needs one today: every `Describe*`, `Check*`
/// and `Inquiry*` page only reads, and no other page does.)
pub const OVERRIDES: &[(&str, Kind, &str)] = &[];

/// The classification of `a`, as the runtime's `gaap_model::Idempotency`.
pub fn classify(a: &Action) -> Classification {
    if let Some((_, kind, _)) = OVERRIDES.iter().find(|(name, _, _)| *name == a.name) {
        return match kind {
            Kind::ReadOnly => Classification::ReadOnly,
            Kind::Idempotent => Classification::Idempotent,
            Kind::NotIdempotent if has_token(a) => Classification::ClientToken,
            Kind::NotIdempotent => Classification::NotIdempotent,
        };
    }
    if READ_PREFIXES.iter().any(|p| a.name.starts_with(p)) {
        Classification::ReadOnly
    } else if has_token(a) {
        Classification::ClientToken
    } else {
        Classification::NotIdempotent
    }
}

/// See `gaap_model::Idempotency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    /// A read.
    ReadOnly,
    /// A write with a `ClientToken` the runtime fills once.
    ClientToken,
    /// A write declared safe to repeat.
    Idempotent,
    /// A write that may apply twice.
    NotIdempotent,
}

fn has_token(a: &Action) -> bool {
    a.input
        .iter()
        .any(|p| p.constraints.idempotency_token && !p.required && p.ty == Type::String)
}

/// `crate::Idempotency::X` for the generated `Operation` impl.
pub fn tokens(a: &Action) -> TokenStream {
    match classify(a) {
        Classification::ReadOnly => quote!(crate::Idempotency::ReadOnly),
        Classification::ClientToken => quote!(crate::Idempotency::ClientToken),
        Classification::Idempotent => quote!(crate::Idempotency::Idempotent),
        Classification::NotIdempotent => quote!(crate::Idempotency::NotIdempotent),
    }
}
