//! Per-action error enums: one variant per code documented for the action plus the common
//! codes, and `Unhandled(ErrorMetadata)` for the rest; plus the service-wide `Error`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::Ctx;
use crate::docs;
use crate::ir::{Action, ErrorCode};
use crate::naming;

/// The codes an action can return (its own table first, then the common codes), with
/// their descriptions and variant names, sorted by code.
pub fn codes(ctx: &Ctx<'_>, a: &Action) -> Vec<(String, Vec<String>, String)> {
    let mut by_code: BTreeMap<&str, &ErrorCode> = BTreeMap::new();
    for e in ctx.ir.common_errors.iter().chain(&a.errors) {
        by_code.insert(&e.code, e);
    }
    let mut taken = BTreeSet::from(["Unhandled".to_owned()]);
    by_code
        .into_iter()
        .map(|(code, e)| {
            let variant = naming::unique(naming::error_variant(code), &mut taken);
            let text = if e.description.trim().is_empty() {
                Vec::new()
            } else {
                docs::bilingual(&e.description, e.description_zh.as_deref(), code)
            };
            (code.to_owned(), text, variant)
        })
        .collect()
}

/// The error enum of one action with its `From<ErrorMetadata>` and `ServiceError` impls.
pub fn emit(ctx: &Ctx<'_>, a: &Action) -> TokenStream {
    let name = format_ident!("{}", naming::error(&a.name));
    let codes = codes(ctx, a);
    let variants: Vec<_> = codes
        .iter()
        .map(|(_, _, v)| format_ident!("{}", v))
        .collect();
    let wires: Vec<&str> = codes.iter().map(|(c, _, _)| c.as_str()).collect();
    let variant_docs = codes.iter().map(|(code, text, _)| {
        let mut lines = vec![format!("`{code}`.")];
        if !text.is_empty() {
            lines.push(String::new());
            lines.extend(text.iter().cloned());
        }
        docs::attrs(&lines)
    });
    let doc = format!(
        " An error `{}` can return: the codes its page documents, the common codes, and `Unhandled` for any other.",
        a.name
    );
    let wire_action = a.name.as_str();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #[error("{0}")] #variants(crate::ErrorMetadata), )*
            /// A code this SDK version does not document for this action.
            #[error("{0}")]
            Unhandled(crate::ErrorMetadata),
        }
        impl ::std::convert::From<crate::ErrorMetadata> for #name {
            fn from(meta: crate::ErrorMetadata) -> Self {
                match meta.code.as_str() {
                    #( #wires => Self::#variants(meta), )*
                    _ => Self::Unhandled(meta),
                }
            }
        }
        impl crate::ServiceError for #name {
            const ACTION: &'static str = #wire_action;
            fn meta(&self) -> &crate::ErrorMetadata {
                match self {
                    #( Self::#variants(meta) )|* | Self::Unhandled(meta) => meta,
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
        .map(|a| format_ident!("{}", naming::error(&a.name)))
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
            #( #[doc = #docs] #[error(transparent)] #variants(#[from] crate::#types), )*
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
