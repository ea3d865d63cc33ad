//! `Validate` bodies from the IR constraints: required fields, ranges, documented values,
//! maximum lengths, `less_than`, `exactly_one_of`/`at_most_one_of`/`requires`, and nested
//! structs under path prefixes (`RealServerBindSet[0].RealServerPort`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::context::{Ctx, Owner, base_type};
use crate::ir::{ActionConstraint, Bound, Param, Rule, Type};
use crate::naming;

/// How a field is held by the type being validated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// `Option<T>`.
    Optional,
    /// A local `Option<&T>` named like the field (the shared checks of a request and its
    /// builder).
    Local,
}

/// The rules of one type.
pub struct Spec<'s> {
    /// Owner of the params (for enum lookup).
    pub owner: Owner,
    /// The fields.
    pub params: &'s [Param],
    /// How each field is held.
    pub holding: &'s dyn Fn(&Param) -> Holding,
    /// Report missing required fields (`Option` holdings only).
    pub check_required: bool,
    /// Cross-field constraints of an action.
    pub constraints: &'s [ActionConstraint],
}

fn field(p: &Param) -> proc_macro2::Ident {
    format_ident!("{}", naming::snake(&p.name))
}

fn as_option(spec: &Spec<'_>, p: &Param) -> TokenStream {
    let f = field(p);
    match (spec.holding)(p) {
        Holding::Optional => quote!(self.#f.as_ref()),
        Holding::Local => quote!(#f),
    }
}

fn bound(b: &Option<Bound>) -> TokenStream {
    match b {
        Some(Bound::Integer(v)) => {
            let v = Literal::i64_unsuffixed(*v);
            quote!(::std::option::Option::Some(crate::validation::Bound::Integer(#v)))
        }
        Some(Bound::Float(v)) => {
            let v = Literal::f64_suffixed(*v);
            quote!(::std::option::Option::Some(crate::validation::Bound::Float(#v)))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// The checks of one value `v: &T` named by the expression `name: &str`: one per rule of
/// the parameter (`Constraints::rules`, the vocabulary the runtime reports in). A
/// parameter typed by an enum is checked by its enum alone; `LessThan` ties two fields
/// and is checked in [`param_checks`].
fn scalar_checks(ctx: &Ctx<'_>, spec: &Spec<'_>, p: &Param, name: &TokenStream) -> TokenStream {
    let mut checks = Vec::new();
    let base = base_type(&p.ty);
    let typed_enum = ctx.enum_for(&spec.owner, &p.name);
    for rule in p.constraints.rules() {
        match (rule, typed_enum, base) {
            (Rule::Enum { .. }, Some(e), _) => {
                let allowed = e.values.iter().map(|v| Literal::string(&v.wire));
                checks.push(quote! {
                    crate::validation::check_enum(out, prefix, #name, !v.is_unknown(), v, &[#( #allowed ),*]);
                });
            }
            (_, Some(_), _) => {}
            (Rule::Range { min, max }, None, Type::Integer) => {
                let (min, max) = (bound(&min), bound(&max));
                checks.push(
                    quote!(crate::validation::check_range_i64(out, prefix, #name, *v, #min, #max);),
                );
            }
            (Rule::Range { min, max }, None, Type::Float) => {
                let (min, max) = (bound(&min), bound(&max));
                checks.push(
                    quote!(crate::validation::check_range_f64(out, prefix, #name, *v, #min, #max);),
                );
            }
            (Rule::MaxLength(n), None, Type::String) => {
                let n = Literal::u64_unsuffixed(n);
                checks
                    .push(quote!(crate::validation::check_max_length(out, prefix, #name, v, #n);));
            }
            _ => {}
        }
    }
    if let (Type::Struct(_), None) = (base, typed_enum) {
        checks.push(quote!(crate::validation::check_nested(out, prefix, #name, v);));
    }
    quote!(#( #checks )*)
}

fn param_checks(ctx: &Ctx<'_>, spec: &Spec<'_>, p: &Param) -> TokenStream {
    let wire = Literal::string(&p.name);
    let f = field(p);
    let mut out = Vec::new();
    if spec.check_required && p.required {
        out.push(match (spec.holding)(p) {
            Holding::Optional => {
                quote!(crate::validation::check_required(out, prefix, #wire, &self.#f);)
            }
            Holding::Local => quote!(crate::validation::check_required(out, prefix, #wire, &#f);),
        });
    }
    let body = match &p.ty {
        Type::Array(inner) if matches!(**inner, Type::Array(_)) => quote!(),
        Type::Array(inner) => {
            let is_struct =
                matches!(**inner, Type::Struct(_)) && ctx.enum_for(&spec.owner, &p.name).is_none();
            if is_struct {
                quote!(crate::validation::check_each(out, prefix, #wire, v);)
            } else {
                let fmt = Literal::string(&format!("{}[{{i}}]", p.name));
                let inner_checks = scalar_checks(ctx, spec, p, &quote!(&::std::format!(#fmt)));
                if inner_checks.is_empty() {
                    quote!()
                } else {
                    quote! {
                        for (i, v) in v.iter().enumerate() { #inner_checks }
                    }
                }
            }
        }
        _ => scalar_checks(ctx, spec, p, &quote!(#wire)),
    };
    if !body.is_empty() {
        out.push(match (spec.holding)(p) {
            Holding::Optional => quote!(if let ::std::option::Option::Some(v) = &self.#f { #body }),
            Holding::Local => quote!(if let ::std::option::Option::Some(v) = #f { #body }),
        });
    }
    if let Some(other) = &p.constraints.less_than {
        let numeric = |q: &Param| matches!(q.ty, Type::Integer | Type::Float);
        if let Some(q) = spec.params.iter().find(|q| &q.name == other)
            && numeric(p)
            && p.ty == q.ty
            && ctx.enum_for(&spec.owner, &p.name).is_none()
        {
            let (a, b) = (as_option(spec, p), as_option(spec, q));
            let other = Literal::string(other);
            out.push(quote! {
                    crate::validation::check_less_than(out, prefix, #wire, #a.copied(), #other, #b.copied());
                });
        }
    }
    quote!(#( #out )*)
}

fn constraint_checks(spec: &Spec<'_>) -> TokenStream {
    let mut out = Vec::new();
    for c in spec.constraints {
        let (names, kind) = match c {
            ActionConstraint::ExactlyOneOf(n) => (n, 0),
            ActionConstraint::AtMostOneOf(n) => (n, 1),
            ActionConstraint::Requires(n) => (n, 2),
        };
        let params: Vec<&Param> = names
            .iter()
            .filter_map(|n| spec.params.iter().find(|p| &p.name == n))
            .collect();
        if params.len() != names.len() || params.len() < 2 {
            continue;
        }
        let pairs = params.iter().map(|p| {
            let wire = Literal::string(&p.name);
            let set = is_set(spec, p);
            quote!((#wire, #set))
        });
        out.push(match kind {
            0 => quote!(crate::validation::check_exactly_one_of(out, prefix, &[#( #pairs ),*]);),
            1 => quote!(crate::validation::check_at_most_one_of(out, prefix, &[#( #pairs ),*]);),
            _ => {
                let (a, b) = (params[0], params[1]);
                let (wa, wb) = (Literal::string(&a.name), Literal::string(&b.name));
                let (sa, sb) = (is_set(spec, a), is_set(spec, b));
                quote!(crate::validation::check_requires(out, prefix, #wa, #sa, #wb, #sb);)
            }
        });
    }
    quote!(#( #out )*)
}

fn is_set(spec: &Spec<'_>, p: &Param) -> TokenStream {
    let f = field(p);
    match (spec.holding)(p) {
        Holding::Optional => quote!(self.#f.is_some()),
        Holding::Local => quote!(#f.is_some()),
    }
}

/// Every check of a type's fields and of its cross-field constraints.
fn rules_body(ctx: &Ctx<'_>, spec: &Spec<'_>) -> TokenStream {
    let checks = spec.params.iter().map(|p| param_checks(ctx, spec, p));
    let constraints = constraint_checks(spec);
    quote!(#( #checks )* #constraints)
}

/// The `Validate` impls of a request and its builder, sharing one generated check:
/// `#req::check_fields(prefix, out, field: Option<&T>...)`, which the request calls with
/// its fields (required ones always `Some`) and the builder with its own, so `build()`, the
/// request's `validate()` and the client's pre-send check run the same code.
pub fn emit_request_impls(
    ctx: &Ctx<'_>,
    req: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    spec: &Spec<'_>,
    plain: &dyn Fn(&Param) -> bool,
) -> TokenStream {
    let body = rules_body(ctx, spec);
    if body.is_empty() {
        return quote! {
            impl crate::Validate for #req {
                fn validate_into(&self, _prefix: &str, _out: &mut ::std::vec::Vec<crate::Violation>) {}
            }
            impl crate::Validate for #builder {
                fn validate_into(&self, _prefix: &str, _out: &mut ::std::vec::Vec<crate::Violation>) {}
            }
        };
    }
    let fields: Vec<_> = spec.params.iter().map(field).collect();
    let types = spec.params.iter().map(|p| ctx.rust_type(&spec.owner, p));
    let from_req = spec.params.iter().map(|p| {
        let f = field(p);
        if plain(p) {
            quote!(::std::option::Option::Some(&self.#f))
        } else {
            quote!(self.#f.as_ref())
        }
    });
    quote! {
        impl #req {
            /// The documented rules, over every field (`None`: not set).
            #[allow(clippy::too_many_arguments, unused_variables)]
            fn check_fields(prefix: &str, out: &mut ::std::vec::Vec<crate::Violation>, #( #fields: ::std::option::Option<&#types> ),*) {
                #body
            }
        }
        impl crate::Validate for #req {
            fn validate_into(&self, prefix: &str, out: &mut ::std::vec::Vec<crate::Violation>) {
                Self::check_fields(prefix, out, #( #from_req ),*);
            }
        }
        impl crate::Validate for #builder {
            fn validate_into(&self, prefix: &str, out: &mut ::std::vec::Vec<crate::Violation>) {
                #req::check_fields(prefix, out, #( self.#fields.as_ref() ),*);
            }
        }
    }
}

/// `impl crate::Validate for #ty { ... }`.
pub fn emit_impl(ctx: &Ctx<'_>, ty: &proc_macro2::Ident, spec: &Spec<'_>) -> TokenStream {
    let body = rules_body(ctx, spec);
    if body.is_empty() {
        quote! {
            impl crate::Validate for #ty {
                fn validate_into(&self, _prefix: &str, _out: &mut ::std::vec::Vec<crate::Violation>) {}
            }
        }
    } else {
        quote! {
            impl crate::Validate for #ty {
                fn validate_into(&self, prefix: &str, out: &mut ::std::vec::Vec<crate::Violation>) {
                    #body
                }
            }
        }
    }
}
