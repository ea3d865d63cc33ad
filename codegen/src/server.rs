//! `gaap-model`'s server-side dispatch (behind its `server` feature): action name ->
//! "deserialize into the request and validate it".

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::Ctx;
use crate::naming;

/// `generated/server.rs`: the sorted action list and the dispatch `match`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let names: Vec<&str> = ctx.ir.actions.iter().map(|a| a.name.as_str()).collect();
    let reqs = ctx
        .ir
        .actions
        .iter()
        .map(|a| format_ident!("{}", naming::request(&a.name)));
    quote! {
        /// Every action name, sorted.
        pub(crate) const ACTIONS: &[&str] = &[#( #names ),*];

        /// Deserialize `params` into `action`'s request and validate it; `None` for an
        /// unknown action.
        pub(crate) fn check(action: &str, params: &::serde_json::Value) -> ::std::option::Option<::std::result::Result<(), crate::server::Rejection>> {
            ::std::option::Option::Some(match action {
                #( #names => crate::server::check_as::<crate::#reqs>(params), )*
                _ => return ::std::option::Option::None,
            })
        }
    }
}
