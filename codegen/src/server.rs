//! `gaap-model`'s server-side dispatch (behind its `server` feature): action name ->
//! "deserialize into the request and validate it".

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::Ctx;
use crate::naming;

/// `generated/server.rs`: the sorted action list and the dispatch `match`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let names: Vec<&str> = ctx.ir.actions.iter().map(|a| a.name.as_str()).collect();
    let reqs = ctx.ir.actions.iter().map(|a| {
        let module = naming::operation(&quote!(crate), &a.name);
        let req = format_ident!("{}", naming::request(&a.name));
        quote!(#module::#req)
    });
    let resps: Vec<_> = ctx
        .ir
        .actions
        .iter()
        .map(|a| {
            let module = naming::operation(&quote!(crate), &a.name);
            let resp = format_ident!("{}", naming::response(&a.name));
            quote!(#module::#resp)
        })
        .collect();
    quote! {
        /// Every action name, sorted.
        pub(crate) const ACTIONS: &[&str] = &[#( #names ),*];

        /// Deserialize `params` into `action`'s request and list the rules it breaks;
        /// `None` for an unknown action.
        pub(crate) fn violations(action: &str, params: &::serde_json::Value) -> ::std::option::Option<::std::result::Result<::std::vec::Vec<crate::Violation>, crate::server::Rejection>> {
            ::std::option::Option::Some(match action {
                #( #names => crate::server::violations_as::<#reqs>(params), )*
                _ => return ::std::option::Option::None,
            })
        }

        /// Deserialize `response` into `action`'s response; `None` for an unknown action.
        pub(crate) fn check_response(action: &str, response: &::serde_json::Value) -> ::std::option::Option<::std::result::Result<(), ::std::string::String>> {
            ::std::option::Option::Some(match action {
                #( #names => crate::server::response_as::<#resps>(response), )*
                _ => return ::std::option::Option::None,
            })
        }
    }
}
