//! `send_blocking` on each action's fluent builder: the same builder, no `async`, behind
//! gaap-client's cargo feature `blocking` (the runtime lives in `gaap_client::blocking`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::Action;
use crate::naming;

/// The blocking `send` of one action's fluent builder.
pub fn emit(a: &Action) -> TokenStream {
    let fluent = format_ident!("{}", naming::fluent(&a.name));
    let resp = format_ident!("{}", naming::response(&a.name));
    let err = format_ident!("{}", naming::error(&a.name));
    let op = naming::operation(&quote!(::gaap_model), &a.name);
    let doc = format!(
        " Validate and send `{}` without `async`, blocking this thread until the call ends, \
         on the runtime of a [`blocking::Client`](crate::blocking::Client). On a thread that \
         runs an async runtime, or from a client not built for blocking use, it fails with \
         `SdkError::Request` and sends nothing.",
        a.name
    );
    quote! {
        #[cfg(feature = "blocking")]
        impl #fluent {
            #[doc = #doc]
            pub fn send_blocking(self) -> ::std::result::Result<#op::#resp, crate::SdkError<#op::#err>> {
                let client = self.client.clone();
                client.block_on(self.send())
            }
        }
    }
}
