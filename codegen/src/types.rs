//! Structs: Data Types structs (every field optional), requests (required inputs plain),
//! request builders, responses, and the `Operation`/`Paginated` impls.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::context::{Ctx, Owner};
use crate::docs;
use crate::ir::{Action, Param, Struct, Type};
use crate::naming;
use crate::validate::{self, Holding, Spec};

fn ident(name: &str) -> Ident {
    format_ident!("{}", name)
}

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

/// Whether any of the params is deprecated (the file then allows `deprecated` uses).
pub fn any_deprecated(params: &[Param]) -> bool {
    params.iter().any(|p| p.constraints.deprecated.is_some())
}

/// `#[serde(...)]` of a field held as `Option<T>` (or plain `T` when `plain`).
fn serde_attr(ctx: &Ctx<'_>, owner: &Owner, p: &Param, plain: bool) -> TokenStream {
    let wire = &p.name;
    let lenient = ctx
        .lenient(owner, p)
        .then(|| quote!(, deserialize_with = "crate::de::lenient"));
    if plain {
        quote!(#[serde(rename = #wire #lenient)])
    } else {
        quote!(#[serde(rename = #wire, default, skip_serializing_if = "::std::option::Option::is_none" #lenient)])
    }
}

fn field_ident(p: &Param) -> Ident {
    ident(&naming::snake(&p.name))
}

/// A Data Types struct, its setters (for structs sent in requests), its `Validate` impl
/// and the enums it owns.
pub fn emit_struct(ctx: &Ctx<'_>, s: &Struct) -> TokenStream {
    let owner = Owner::Struct(s.name.clone());
    let name = ident(&naming::type_name(&s.name));
    let mut lines = docs::bilingual(&s.description, s.description_zh.as_deref(), &s.name);
    if !s.used_by.is_empty() {
        lines.push(String::new());
        lines.push(format!(
            "Used by: {}.",
            s.used_by
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let doc = docs::attrs(&lines);
    let is_in = ctx.input_structs.contains(&s.name);
    let is_out = ctx.output_structs.contains(&s.name);
    let (ser, de) = match (is_in, is_out) {
        (false, false) => (quote!(::serde::Serialize,), quote!(::serde::Deserialize,)),
        (i, o) => (
            if i {
                quote!(::serde::Serialize,)
            } else {
                Default::default()
            },
            if o {
                quote!(::serde::Deserialize,)
            } else {
                Default::default()
            },
        ),
    };
    let server: Vec<TokenStream> = [
        (!is_in && is_out).then(|| quote!(::serde::Serialize)),
        (is_in && !is_out).then(|| quote!(::serde::Deserialize)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let server = if server.is_empty() {
        quote!()
    } else {
        quote!(#[cfg_attr(feature = "server", derive(#( #server ),*))])
    };
    let fields = s.fields.iter().map(|p| {
        let f = field_ident(p);
        let ty = ctx.rust_type(&owner, p);
        let doc = docs::attrs(&docs::param(p, true));
        let serde = serde_attr(ctx, &owner, p, false);
        let dep = deprecated_attr(p);
        quote!(#doc #dep #serde pub #f: ::std::option::Option<#ty>,)
    });
    let setters = if is_in {
        let setters = s.fields.iter().map(|p| {
            let f = field_ident(p);
            let ty = ctx.rust_type(&owner, p);
            let doc = format!(" Set [`{f}`](Self::{f}) (`{}`).", p.name);
            let dep = deprecated_attr(p);
            let setter = setter(ctx, &owner, p, &ty);
            quote! {
                #[doc = #doc]
                #dep
                #setter
            }
        });
        quote!(impl #name { #( #setters )* })
    } else {
        quote!()
    };
    let holding = |_: &Param| Holding::Optional;
    let spec = Spec {
        owner: owner.clone(),
        params: &s.fields,
        holding: &holding,
        check_required: true,
        constraints: &[],
    };
    let validate = validate::emit_impl(ctx, &name, &spec);
    let enums = ctx
        .enums_homed_in(&s.name)
        .into_iter()
        .map(crate::enums::emit);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, #ser #de)]
        #server
        #[non_exhaustive]
        pub struct #name { #( #fields )* }
        #setters
        #validate
        #( #enums )*
    }
}

/// Whether an input is held plain (`T`) in the request.
fn plain(p: &Param) -> bool {
    p.required
}

/// The paginated list of an action: (Offset param, list output param), when it has
/// `Offset`/`Limit` inputs and `TotalCount` plus a list output.
pub fn pagination<'a>(ctx: &Ctx<'_>, a: &'a Action) -> Option<(&'a Param, &'a Param)> {
    let owner = Owner::Input(a.name.clone());
    let offset = a
        .input
        .iter()
        .find(|p| p.name == "Offset" && p.ty == Type::Integer)?;
    a.input
        .iter()
        .find(|p| p.name == "Limit" && p.ty == Type::Integer)?;
    a.output
        .iter()
        .find(|p| p.name == "TotalCount" && p.ty == Type::Integer)?;
    // The first list the page does not mark as replaced (`DescribeProxies` lists
    // `InstanceSet`, "an old parameter, please switch to ProxySet", before `ProxySet`).
    let list = a
        .output
        .iter()
        .filter(|p| matches!(p.ty, Type::Array(_)))
        .find(|p| p.constraints.deprecated.is_none())?;
    if ctx.enum_for(&owner, "Offset").is_some()
        || ctx
            .enum_for(&Owner::Output(a.name.clone()), "TotalCount")
            .is_some()
    {
        return None;
    }
    Some((offset, list))
}

/// `fn field(self, value) -> Self` of a builder: a list takes any iterator of values
/// convertible to its element type (`.proxy_ids(["link-1"])`), anything else any value
/// convertible to its type.
fn setter(ctx: &Ctx<'_>, owner: &Owner, p: &Param, ty: &TokenStream) -> TokenStream {
    let f = field_ident(p);
    match ctx.element_type(owner, p) {
        Some(elem) => quote! {
            pub fn #f(mut self, values: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#elem>>) -> Self {
                self.#f = ::std::option::Option::Some(values.into_iter().map(::std::convert::Into::into).collect());
                self
            }
        },
        None => quote! {
            pub fn #f(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#f = ::std::option::Option::Some(value.into());
                self
            }
        },
    }
}

/// The action's request, builder, response, `Operation`/`Paginated`/`Validate` impls.
pub fn emit_action(ctx: &Ctx<'_>, a: &Action) -> TokenStream {
    let input = Owner::Input(a.name.clone());
    let output = Owner::Output(a.name.clone());
    let req = ident(&naming::request(&a.name));
    let builder = ident(&naming::builder(&a.name));
    let resp = ident(&naming::response(&a.name));
    let err = ident(&naming::error(&a.name));
    let wire = &a.name;

    let mut req_lines = docs::bilingual(&a.description, a.description_zh.as_deref(), &a.name);
    req_lines.push(String::new());
    req_lines.push(format!("The input of `{}`.", a.name));
    if let Some(n) = a.rate_limit_per_second {
        req_lines.push(format!("Rate limit: {n} requests per second."));
    }
    let req_doc = docs::attrs(&req_lines);
    let req_fields = a.input.iter().map(|p| {
        let f = field_ident(p);
        let ty = ctx.rust_type(&input, p);
        let doc = docs::attrs(&docs::param(p, true));
        let dep = deprecated_attr(p);
        let serde = serde_attr(ctx, &input, p, plain(p));
        let ty = if plain(p) {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        quote!(#doc #dep #serde pub #f: #ty,)
    });

    let builder_fields = a.input.iter().map(|p| {
        let f = field_ident(p);
        let ty = ctx.rust_type(&input, p);
        quote!(#f: ::std::option::Option<#ty>,)
    });
    let setters = a.input.iter().map(|p| {
        let f = field_ident(p);
        let set = format_ident!("set_{}", naming::snake(&p.name).trim_end_matches('_'));
        let ty = ctx.rust_type(&input, p);
        // The full text (description, rules, wire name) lives once, on the request's field.
        let mut lines = docs::described(&p.description, &p.name);
        lines.truncate(1);
        lines.push(String::new());
        lines.push(format!(
            "Sets [`{req}::{f}`]: see there for the rules and the wire name `{}`.",
            p.name
        ));
        let doc = docs::attrs(&lines);
        let dep = deprecated_attr(p);
        let set_doc = format!(" Set or clear `{}`.", p.name);
        let push = ctx.element_type(&input, p).map(|elem| {
            let push = format_ident!("push_{}", naming::snake(&p.name).trim_end_matches('_'));
            let push_doc = format!(" Append one element to `{}`.", p.name);
            quote! {
                #[doc = #push_doc]
                #dep
                pub fn #push(mut self, value: impl ::std::convert::Into<#elem>) -> Self {
                    self.#f.get_or_insert_with(::std::vec::Vec::new).push(value.into());
                    self
                }
            }
        });
        let whole = setter(ctx, &input, p, &ty);
        quote! {
            #doc
            #dep
            #whole
            #[doc = #set_doc]
            #dep
            pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
                self.#f = value;
                self
            }
            #push
        }
    });
    let required: Vec<Ident> = a
        .input
        .iter()
        .filter(|p| plain(p))
        .map(field_ident)
        .collect();
    let required_wires: Vec<&str> = a
        .input
        .iter()
        .filter(|p| plain(p))
        .map(|p| p.name.as_str())
        .collect();
    let idempotency = crate::safety::tokens(a);
    let all: Vec<TokenStream> = a
        .input
        .iter()
        .map(|p| {
            let f = field_ident(p);
            if plain(p) {
                quote!(#f)
            } else {
                quote!(#f: self.#f)
            }
        })
        .collect();
    let build_body = if required.is_empty() {
        quote! {
            if violations.is_empty() {
                return ::std::result::Result::Ok(#req { #( #all ),* });
            }
        }
    } else {
        quote! {
            if let (true, #( ::std::option::Option::Some(#required) ),*) = (violations.is_empty(), #( self.#required ),*) {
                return ::std::result::Result::Ok(#req { #( #all ),* });
            }
        }
    };
    let resp_fields = a.output.iter().map(|p| {
        let f = field_ident(p);
        let ty = ctx.rust_type(&output, p);
        let doc = docs::attrs(&docs::param(p, false));
        let serde = serde_attr(ctx, &output, p, false);
        quote!(#doc #serde pub #f: ::std::option::Option<#ty>,)
    });
    let resp_doc = format!(" The output of `{}`.", a.name);

    let rate = match a.rate_limit_per_second {
        Some(n) => {
            let n = Literal::u32_unsuffixed(n);
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    };
    let token = a
        .input
        .iter()
        .find(|p| p.constraints.idempotency_token && !plain(p) && p.ty == Type::String)
        .map(|p| {
            let f = field_ident(p);
            quote! {
                fn idempotency_token(&mut self) -> ::std::option::Option<&mut ::std::option::Option<::std::string::String>> {
                    ::std::option::Option::Some(&mut self.#f)
                }
            }
        });
    let paginated = pagination(ctx, a).and_then(|(offset, list)| {
        let item = ctx.element_type(&output, list)?;
        let off = field_ident(offset);
        let list_f = field_ident(list);
        let (get, set) = if plain(offset) {
            (quote!(self.#off), quote!(self.#off = offset;))
        } else {
            (quote!(self.#off.unwrap_or(0)), quote!(self.#off = ::std::option::Option::Some(offset);))
        };
        Some(quote! {
            impl crate::Paginated for #req {
                type Item = #item;
                fn offset(&self) -> i64 { #get }
                fn set_offset(&mut self, offset: i64) { #set }
                fn into_page(output: #resp) -> (::std::vec::Vec<#item>, ::std::option::Option<i64>) {
                    (output.#list_f.unwrap_or_default(), output.total_count)
                }
            }
        })
    });

    let local = |_: &Param| Holding::Local;
    let shared_spec = Spec {
        owner: input.clone(),
        params: &a.input,
        holding: &local,
        check_required: true,
        constraints: &a.constraints,
    };
    let validate_impls = validate::emit_request_impls(ctx, &req, &builder, &shared_spec, &plain);
    let builder_doc = format!(" Builds a [`{req}`]; `build()` reports every broken rule at once.");
    let errors = crate::errors::emit(ctx, a);

    quote! {
        #req_doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[cfg_attr(feature = "server", derive(::serde::Deserialize), serde(deny_unknown_fields))]
        #[non_exhaustive]
        pub struct #req { #( #req_fields )* }

        impl #req {
            /// A builder for this request.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        impl crate::Operation for #req {
            const ACTION: &'static str = #wire;
            const RATE_LIMIT_PER_SECOND: ::std::option::Option<u32> = #rate;
            type Output = #resp;
            type Error = #err;
            const IDEMPOTENCY: crate::Idempotency = #idempotency;
            #token
        }

        #paginated
        #validate_impls

        #[doc = #builder_doc]
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #builder { #( #builder_fields )* }

        impl #builder {
            #( #setters )*
            /// The request, or every rule it breaks (missing required fields included).
            pub fn build(self) -> ::std::result::Result<#req, crate::ValidationError> {
                let mut violations = ::std::vec::Vec::new();
                crate::Validate::validate_into(&self, "", &mut violations);
                self.finish(violations)
            }
            /// The request without checking the documented rules (for a client in lenient
            /// mode): only a missing required field is an error, since the request cannot
            /// be built without it.
            pub fn build_unvalidated(self) -> ::std::result::Result<#req, crate::ValidationError> {
                #[allow(unused_mut)]
                let mut violations = ::std::vec::Vec::new();
                #( crate::validation::check_required(&mut violations, "", #required_wires, &self.#required); )*
                self.finish(violations)
            }
            fn finish(self, violations: ::std::vec::Vec<crate::Violation>) -> ::std::result::Result<#req, crate::ValidationError> {
                #build_body
                ::std::result::Result::Err(crate::ValidationError { violations })
            }
        }


        #[doc = #resp_doc]
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Deserialize)]
        #[cfg_attr(feature = "server", derive(::serde::Serialize))]
        #[non_exhaustive]
        pub struct #resp {
            /// The unique request ID, returned for every request.
            ///
            /// Wire name: `RequestId`.
            #[serde(rename = "RequestId", default, skip_serializing_if = "::std::option::Option::is_none")]
            pub request_id: ::std::option::Option<::std::string::String>,
            #( #resp_fields )*
        }

        #errors
    }
}
