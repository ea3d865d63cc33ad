//! Error enums. The common codes (the Common Error Codes page) live once, in `CommonError`;
//! each action's enum has a variant per code only its page documents, `Common(CommonError)`
//! and `Unhandled(ErrorMetadata)`. Both get `is_*()` predicates; `retry_of` gives any code's
//! retry class, generated from the IR's codes by the rule in [`retry_class`]. Plus the
//! service-wide `Error`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::Ctx;
use crate::docs;
use crate::ir::{Action, ErrorCode};
use crate::naming;

/// Code families whose every code, sub-codes included, has the family's retry class.
/// `Throttled`: the service refused the call before acting on it (a rate limit), so any
/// call may be sent again. `Transient`: the service failed while handling it and may or
/// may not have applied it, so only a call that is safe to repeat may be.
pub const FAMILY_RETRY_CLASSES: &[(&str, &str)] = &[
    ("RequestLimitExceeded", "Throttled"),
    ("InternalError", "Transient"),
];

/// Single codes with a retry class that their sub-codes do not share (a
/// `ServiceUnavailable.X` names a specific refusal, not a passing outage).
pub const CODE_RETRY_CLASSES: &[(&str, &str)] = &[("ServiceUnavailable", "Transient")];

/// Codes the Common Error Codes page does not list but nearly every action's page does
/// (98 to 101 of 102): shared codes, so they live in `CommonError` too. A reviewed list:
/// `codegen/tests/generated_code.rs` checks it against the pages.
pub const ALSO_COMMON: &[&str] = &[
    "AuthFailure",
    "AuthFailure.NotEnterpriseAuthorization",
    "FailedOperation.UserNotConfirmProtocol",
    "ResourceUnavailable.AccountViolation",
];

fn family(code: &str) -> &str {
    code.split_once('.').map_or(code, |(family, _)| family)
}

/// How a documented code may be retried: the one rule ([`FAMILY_RETRY_CLASSES`], then
/// [`CODE_RETRY_CLASSES`]), applied to the IR's codes at generation time.
pub fn retry_class(code: &str) -> Option<&'static str> {
    let family = family(code);
    FAMILY_RETRY_CLASSES
        .iter()
        .find(|(f, _)| *f == family)
        .or_else(|| CODE_RETRY_CLASSES.iter().find(|(c, _)| *c == code))
        .map(|(_, class)| *class)
}

/// One code of an enum: wire code, doc lines, variant name.
pub struct Code {
    /// The wire code.
    pub code: String,
    /// Its doc lines (bilingual description).
    pub text: Vec<String>,
    /// Its variant name.
    pub variant: String,
}

fn to_codes<'e>(errors: impl Iterator<Item = &'e ErrorCode>, reserved: &[&str]) -> Vec<Code> {
    let by_code: BTreeMap<&str, &ErrorCode> = errors.map(|e| (e.code.as_str(), e)).collect();
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    by_code
        .into_iter()
        .map(|(code, e)| {
            let variant = naming::unique(naming::error_variant(code), &mut taken);
            let text = if e.description.trim().is_empty() {
                Vec::new()
            } else {
                docs::bilingual(&e.description, e.description_zh.as_deref(), code)
            };
            Code {
                code: code.to_owned(),
                text,
                variant,
            }
        })
        .collect()
}

/// The common codes, sorted, with their variant names.
pub fn common_codes(ctx: &Ctx<'_>) -> Vec<Code> {
    // The shared codes of action pages, described by the first page that lists each.
    let also = ALSO_COMMON.iter().filter_map(|code| {
        ctx.ir
            .actions
            .iter()
            .flat_map(|a| &a.errors)
            .find(|e| e.code == *code)
    });
    to_codes(ctx.ir.common_errors.iter().chain(also), &[])
}

fn is_common(ctx: &Ctx<'_>, code: &str) -> bool {
    ALSO_COMMON.contains(&code) || ctx.ir.common_errors.iter().any(|e| e.code == code)
}

/// The codes only `a`'s page documents (not common ones), sorted, with variant names.
pub fn codes(ctx: &Ctx<'_>, a: &Action) -> Vec<Code> {
    let own = a.errors.iter().filter(|e| !is_common(ctx, &e.code));
    to_codes(own, &["Common", "Unhandled"])
}

fn variant_docs(c: &Code) -> TokenStream {
    let mut lines = vec![format!("`{}`.", c.code)];
    if !c.text.is_empty() {
        lines.push(String::new());
        lines.extend(c.text.iter().cloned());
    }
    if let Some(class) = retry_class(&c.code) {
        lines.push(String::new());
        lines.push(format!(
            "Retry class: [`Retry::{class}`](crate::error::Retry::{class})."
        ));
    }
    docs::attrs(&lines)
}

/// Variant names, wire codes and variant docs of `codes`, in order.
fn parts(codes: &[Code]) -> (Vec<proc_macro2::Ident>, Vec<&str>, Vec<TokenStream>) {
    let variants = codes
        .iter()
        .map(|c| format_ident!("{}", c.variant))
        .collect();
    let wires = codes.iter().map(|c| c.code.as_str()).collect();
    let docs = codes.iter().map(variant_docs).collect();
    (variants, wires, docs)
}

/// `is_<variant>()` predicates, one per code.
fn predicates(codes: &[Code]) -> TokenStream {
    let fns = codes.iter().map(|c| {
        let variant = format_ident!("{}", c.variant);
        let is = format_ident!("is_{}", naming::snake(&c.variant));
        let doc = format!(" Whether the code is `{}`.", c.code);
        quote! {
            #[doc = #doc]
            pub fn #is(&self) -> bool {
                ::std::matches!(self, Self::#variant(_))
            }
        }
    });
    quote!(#( #fns )*)
}

/// `CommonError`: the codes every action can return, once.
pub fn emit_common(ctx: &Ctx<'_>) -> TokenStream {
    let codes = common_codes(ctx);
    let (variants, wires, docs) = parts(&codes);
    let predicates = predicates(&codes);
    let meta_body = if codes.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #( Self::#variants(meta) )|* => meta, })
    };
    let every_code = ctx
        .ir
        .common_errors
        .iter()
        .chain(ctx.ir.actions.iter().flat_map(|a| &a.errors));
    let every_code: Vec<&str> = every_code.map(|e| e.code.as_str()).collect();
    let families: BTreeMap<&str, &str> = FAMILY_RETRY_CLASSES
        .iter()
        .filter(|(f, _)| every_code.iter().any(|c| family(c) == *f))
        .copied()
        .collect();
    let exact: BTreeMap<&str, &str> = CODE_RETRY_CLASSES
        .iter()
        .filter(|(c, _)| every_code.contains(c))
        .copied()
        .collect();
    let class_arm = |(key, class): (&&str, &&str)| {
        let class = format_ident!("{}", class);
        quote!(#key => ::std::option::Option::Some(crate::error::Retry::#class),)
    };
    let family_classes = families.iter().map(class_arm);
    let code_classes = exact.iter().map(class_arm);
    quote! {
        /// A code of the Common Error Codes page, or one nearly every action's page lists
        /// (`AuthFailure`, ...): any action can return it (authentication,
        /// rate limits, bad parameters, service trouble). Each action's error enum holds it
        /// in its `Common` variant, so matching one is a single pattern:
        ///
        /// ```
        /// use gaap_model::error::{CommonError, ErrorMetadata, ServiceError};
        /// use gaap_model::operation::describe_proxies::DescribeProxiesError;
        ///
        /// let error = DescribeProxiesError::from(ErrorMetadata::new("AuthFailure.SignatureExpire", "expired", None));
        /// assert!(matches!(error, DescribeProxiesError::Common(CommonError::AuthFailureSignatureExpire(_))));
        /// assert!(error.common().is_some_and(CommonError::is_auth_failure_signature_expire));
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum CommonError {
            #( #docs #[error("{0}")] #variants(crate::ErrorMetadata), )*
        }
        impl CommonError {
            /// The common code `meta` carries, or `meta` back when its code is not common.
            pub fn from_meta(meta: crate::ErrorMetadata) -> ::std::result::Result<Self, crate::ErrorMetadata> {
                ::std::result::Result::Ok(match meta.code.as_str() {
                    #( #wires => Self::#variants(meta), )*
                    _ => return ::std::result::Result::Err(meta),
                })
            }
            /// The full metadata: code, message, request ID.
            pub fn meta(&self) -> &crate::ErrorMetadata {
                #meta_body
            }
            /// Whether, and how, a call that failed with this code may be sent again.
            pub fn retry(&self) -> ::std::option::Option<crate::error::Retry> {
                retry_of(&self.meta().code)
            }
            #predicates
        }
        /// The retry class of any code, documented or not: every code of a retried family
        /// (`RequestLimitExceeded.New` is throttling like its family), else the class of
        /// the code itself (`ServiceUnavailable`, but not `ServiceUnavailable.X`).
        pub fn retry_of(code: &str) -> ::std::option::Option<crate::error::Retry> {
            let family = code.split_once('.').map_or(code, |(family, _)| family);
            match family {
                #( #family_classes )*
                _ => match code {
                    #( #code_classes )*
                    _ => ::std::option::Option::None,
                },
            }
        }
    }
}

/// The error enum of one action with its `From<ErrorMetadata>` and `ServiceError` impls.
pub fn emit(ctx: &Ctx<'_>, a: &Action) -> TokenStream {
    let name = format_ident!("{}", naming::error(&a.name));
    let codes = codes(ctx, a);
    let (variants, wires, docs) = parts(&codes);
    let also: Vec<String> = a
        .errors
        .iter()
        .filter(|e| is_common(ctx, &e.code))
        .map(|e| format!("`{}`", e.code))
        .collect();
    let mut doc = vec![format!(
        "An error of `{}`: the codes its page documents, any common code (`Common`), or `Unhandled`.",
        a.name
    )];
    if !also.is_empty() {
        doc.push(String::new());
        doc.push(format!(
            "The page also lists these common codes, matched through `Common`: {}.",
            also.join(", ")
        ));
    }
    let doc = docs::attrs(&doc);
    let predicates = predicates(&codes);
    let wire_action = a.name.as_str();
    let shared = quote!(
        crate::error::CommonError::from_meta(meta).map_or_else(Self::Unhandled, Self::Common)
    );
    let from_body = if codes.is_empty() {
        shared
    } else {
        quote! {
            match meta.code.as_str() {
                #( #wires => Self::#variants(meta), )*
                _ => #shared,
            }
        }
    };
    let predicates = (!codes.is_empty()).then(|| quote!(impl #name { #predicates }));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #[error("{0}")] #variants(crate::ErrorMetadata), )*
            /// A common code (see [`CommonError`](crate::error::CommonError)).
            #[error(transparent)]
            Common(crate::error::CommonError),
            /// A code this SDK version does not document for this action.
            #[error("{0}")]
            Unhandled(crate::ErrorMetadata),
        }
        #predicates
        impl ::std::convert::From<crate::ErrorMetadata> for #name {
            fn from(meta: crate::ErrorMetadata) -> Self {
                #from_body
            }
        }
        impl crate::ServiceError for #name {
            const ACTION: &'static str = #wire_action;
            fn meta(&self) -> &crate::ErrorMetadata {
                match self {
                    Self::Common(e) => e.meta(),
                    #( Self::#variants(meta) | )* Self::Unhandled(meta) => meta,
                }
            }
            fn common(&self) -> ::std::option::Option<&crate::error::CommonError> {
                match self {
                    Self::Common(e) => ::std::option::Option::Some(e),
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}
/// The service-wide `Error`: any action's error.
pub fn emit_service_error(ctx: &Ctx<'_>) -> TokenStream {
    let variants: Vec<_> = ctx
        .ir
        .actions
        .iter()
        .map(|a| format_ident!("{}", naming::type_name(&a.name)))
        .collect();
    let types: Vec<_> = ctx
        .ir
        .actions
        .iter()
        .map(|a| {
            let module = naming::operation(&quote!(crate), &a.name);
            let error = format_ident!("{}", naming::error(&a.name));
            quote!(#module::#error)
        })
        .collect();
    let docs = ctx
        .ir
        .actions
        .iter()
        .map(|a| format!(" An error of `{}`.", a.name));
    quote! {
        /// Any action's error, for code that handles several actions alike.
        #[derive(Debug, Clone, PartialEq, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum Error {
            #( #[doc = #docs] #[error(transparent)] #variants(#[from] #types), )*
        }
        impl Error {
            /// The error metadata: code, message and request ID.
            pub fn meta(&self) -> &crate::ErrorMetadata {
                match self {
                    #( Self::#variants(e) => crate::ServiceError::meta(e), )*
                }
            }
            /// Error code, e.g. `RequestLimitExceeded`.
            pub fn code(&self) -> &str {
                &self.meta().code
            }
            /// Error message.
            pub fn message(&self) -> &str {
                &self.meta().message
            }
            /// The request ID, when the reply carried one.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id.as_deref()
            }
        }
    }
}
