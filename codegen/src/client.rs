//! `gaap-client`: per action a fluent builder (`CreateTcpListenersFluent`) and the
//! `Client` method that starts it, with the page's description, rate limit and input
//! example as docs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::context::{Ctx, Owner};
use crate::docs;
use crate::ir::{Action, Param};
use crate::naming;

fn deprecated_attr(p: &Param) -> TokenStream {
    match &p.constraints.deprecated {
        Some(d) => {
            let note = match &d.use_instead {
                Some(other) => format!("use `{other}` instead"),
                None => "deprecated by the service".to_owned(),
            };
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

fn example_doc(ctx: &Ctx<'_>, a: &Action) -> Vec<String> {
    let method = format_ident!("{}", naming::method(&a.name));
    let calls = a
        .examples
        .first()
        .map(|ex| crate::examples::fluent_calls(ctx, a, &ex.request))
        .unwrap_or_default();
    let body = quote! {
        async fn example(client: gaap_client::Client) {
            let result = client.#method() #( #calls )* .send().await;
            let _ = result;
        }
    };
    let file = syn::parse2::<syn::File>(body)
        .map(|f| prettyplease::unparse(&f))
        .unwrap_or_default();
    let mut lines = vec!["```no_run".to_owned()];
    for line in file.lines() {
        let trimmed = line.trim_start();
        if line.starts_with("async fn example") {
            lines.push(format!("# {line}"));
        } else if line == "}" {
            lines.push("# }".to_owned());
        } else if trimmed == "let _ = result;" {
            lines.push(format!("# {trimmed}"));
        } else {
            lines.push(line.strip_prefix("    ").unwrap_or(line).to_owned());
        }
    }
    lines.push("```".to_owned());
    lines
}

/// A page's example title without its numbering (`Example1 `, `Example 2:`, `示例1 `), and
/// empty when what is left only repeats the action's name.
fn example_title(title: &str, action: &str) -> String {
    let mut rest = title.trim();
    for word in ["Example", "示例"] {
        if let Some(after) = rest.strip_prefix(word)
            && after.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == ':')
        {
            rest = after
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches([':', '：', '.', ' ']);
        }
    }
    if rest.eq_ignore_ascii_case(action) {
        String::new()
    } else {
        rest.to_owned()
    }
}

/// The client file of one action.
pub fn emit(ctx: &Ctx<'_>, a: &Action) -> TokenStream {
    let input = Owner::Input(a.name.clone());
    let method = format_ident!("{}", naming::method(&a.name));
    let fluent = format_ident!("{}", naming::fluent(&a.name));
    let req = format_ident!("{}", naming::request(&a.name));
    let builder = format_ident!("{}", naming::builder(&a.name));
    let resp = format_ident!("{}", naming::response(&a.name));
    let err = format_ident!("{}", naming::error(&a.name));
    let root = quote!(::gaap_model);
    let op = naming::operation(&root, &a.name);

    let mut lines = docs::bilingual(&a.description, a.description_zh.as_deref(), &a.name);
    lines.push(String::new());
    lines.push(format!("Calls `{}`.", a.name));
    if let Some(n) = a.rate_limit_per_second {
        lines.push(format!("Rate limit: {n} requests per second."));
    }
    if !a.examples.is_empty() {
        lines.push(String::new());
        let title = a
            .examples
            .first()
            .map(|e| example_title(&e.title, &a.name))
            .unwrap_or_default();
        lines.push(if title.is_empty() {
            "# Example".to_owned()
        } else {
            format!("# Example: {}", docs::escape_line(&title))
        });
        lines.push(String::new());
        lines.extend(example_doc(ctx, a));
    }
    let method_doc = docs::attrs(&lines);
    let fluent_doc = format!(
        " The call of `{}` being built: set inputs, then `.send().await`.",
        a.name
    );

    let setters = a.input.iter().map(|p| {
        let f = format_ident!("{}", naming::snake(&p.name));
        let stem = naming::snake(&p.name);
        let stem = stem.trim_end_matches('_');
        let set = format_ident!("set_{}", stem);
        let ty = ctx.rust_type_at(&input, p, &root);
        let doc = docs::attrs(&docs::param(p, true));
        let dep = deprecated_attr(p);
        let set_doc = format!(" Set or clear `{}`.", p.name);
        let push = ctx.element_type_at(&input, p, &root).map(|elem| {
            let push = format_ident!("push_{}", stem);
            let push_doc = format!(" Append one element to `{}`.", p.name);
            quote! {
                #[doc = #push_doc]
                #dep
                pub fn #push(mut self, value: impl ::std::convert::Into<#elem>) -> Self {
                    self.inner = self.inner.#push(value);
                    self
                }
            }
        });
        let whole = match ctx.element_type_at(&input, p, &root) {
            Some(elem) => quote! {
                pub fn #f(mut self, values: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#elem>>) -> Self {
                    self.inner = self.inner.#f(values);
                    self
                }
            },
            None => quote! {
                pub fn #f(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.inner = self.inner.#f(value);
                    self
                }
            },
        };
        quote! {
            #doc
            #dep
            #whole
            #[doc = #set_doc]
            #dep
            pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
                self.inner = self.inner.#set(value);
                self
            }
            #push
        }
    });
    let paginator = crate::types::pagination(ctx, a).map(|_| {
        quote! {
            /// Validate the request and page through its results lazily: `.items()` streams
            /// the listed items, `.pages()` whole responses.
            pub fn into_paginator(self) -> ::std::result::Result<crate::Paginator<#op::#req>, crate::SdkError<#op::#err>> {
                let request = if self.client.validation().is_strict() {
                    self.inner.build()
                } else {
                    self.inner.build_unvalidated()
                }
                .map_err(crate::SdkError::Validation)?;
                ::std::result::Result::Ok(self.client.paginate(request))
            }
        }
    });
    quote! {
        impl crate::Client {
            #method_doc
            pub fn #method(&self) -> #fluent {
                #fluent { client: self.clone(), inner: #op::#req::builder() }
            }
        }

        #[doc = #fluent_doc]
        #[derive(Clone)]
        pub struct #fluent {
            client: crate::Client,
            inner: #op::#builder,
        }

        impl #fluent {
            #( #setters )*
            /// Validate the request (no network call when it breaks a documented rule, unless
            /// the client's validation mode is relaxed), then send it.
            pub async fn send(self) -> ::std::result::Result<#op::#resp, crate::SdkError<#op::#err>> {
                let request = if self.client.validation().is_strict() {
                    self.inner.build()
                } else {
                    self.inner.build_unvalidated()
                }
                .map_err(crate::SdkError::Validation)?;
                self.client.call(request).await
            }
            #paginator
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_titles_lose_the_numbering_and_the_action_name() {
        assert_eq!(
            super::example_title("Example1 Adding origin server", "AddRealServers"),
            "Adding origin server"
        );
        assert_eq!(
            super::example_title("示例1 封禁通道", "BanAndRecoverProxy"),
            "封禁通道"
        );
        assert_eq!(super::example_title("Example 2: Creating", "X"), "Creating");
        assert_eq!(
            super::example_title("Example1 CreateDomain", "CreateDomain"),
            ""
        );
        assert_eq!(
            super::example_title("Examples of use", "X"),
            "Examples of use"
        );
    }
}
