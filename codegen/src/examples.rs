//! The pages' examples as Rust: the fluent calls of the client's `no_run` doc examples.
//! (Whether a page's example keeps the page's own rules is checked by the real generated
//! validator, in `gaap-model/tests/page_examples.rs`, not by a second implementation here.)

use gaap_wire::scalar::{as_bool, as_f64, as_i64};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::context::{Ctx, EnumKind, Owner};
use crate::ir::{Action, Param, Type};
use crate::naming;

// ---------------------------------------------------------------- values as Rust ----

fn enum_wire(kind: EnumKind, v: &Value) -> Option<String> {
    match kind {
        EnumKind::String => v.as_str().map(str::to_owned),
        EnumKind::Integer => as_i64(v).map(|i| i.to_string()),
    }
}

/// A Rust expression of exactly the parameter's type for `value`, or `None` when the
/// example value does not fit the documented type.
fn exact(ctx: &Ctx<'_>, owner: &Owner, p: &Param, ty: &Type, value: &Value) -> Option<TokenStream> {
    if let Type::Array(inner) = ty {
        let items = value.as_array()?;
        let items: Option<Vec<_>> = items
            .iter()
            .map(|v| exact(ctx, owner, p, inner, v))
            .collect();
        let items = items?;
        // Every list setter takes any iterator of convertible items: an array reads best.
        return Some(if items.is_empty() {
            quote!(::std::vec::Vec::new())
        } else {
            quote!([#( #items ),*])
        });
    }
    if let Some(e) = ctx.enum_for(owner, &p.name) {
        let wire = enum_wire(e.kind, value)?;
        let ty = format_ident!("{}", e.name);
        return Some(match e.values.iter().find(|v| v.wire == wire) {
            Some(v) => {
                let var = format_ident!("{}", v.variant);
                quote!(gaap_model::types::#ty::#var)
            }
            None => match e.kind {
                EnumKind::String => quote!(gaap_model::types::#ty::from(#wire)),
                EnumKind::Integer => {
                    let n = Literal::i64_suffixed(wire.parse().ok()?);
                    quote!(gaap_model::types::#ty::from(#n))
                }
            },
        });
    }
    Some(match ty {
        Type::String => {
            let s = match value {
                Value::String(s) => s.clone(),
                _ => return None,
            };
            quote!(#s.to_owned())
        }
        Type::Integer => {
            let n = Literal::i64_suffixed(as_i64(value)?);
            quote!(#n)
        }
        Type::Float => {
            let n = Literal::f64_suffixed(as_f64(value)?);
            quote!(#n)
        }
        Type::Boolean => {
            let b = as_bool(value)?;
            quote!(#b)
        }
        Type::Timestamp => {
            let s = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            quote!(gaap_model::Timestamp::from(#s))
        }
        Type::Struct(name) => {
            let s = ctx.structs.get(name.as_str())?;
            let obj = value.as_object()?;
            let owner = Owner::Struct(name.clone());
            let calls = s.fields.iter().filter_map(|f| {
                let v = obj.get(&f.name).filter(|v| !v.is_null())?;
                let e = exact(ctx, &owner, f, &f.ty, v)?;
                let m = format_ident!("{}", naming::snake(&f.name));
                Some(quote!(.#m(#e)))
            });
            let ty = format_ident!("{}", naming::type_name(name));
            quote!(gaap_model::types::#ty::default() #( #calls )*)
        }
        Type::Array(_) => return None,
    })
}

/// A query-string example's value without the quotes some pages wrap it in
/// (`RealServerName='test'`): the doc example shows the value a caller passes.
fn unquoted(s: &str) -> &str {
    ['\'', '"']
        .iter()
        .find_map(|q| s.strip_prefix(*q)?.strip_suffix(*q))
        .filter(|inner| !inner.is_empty())
        .unwrap_or(s)
}

/// The fluent builder calls (`.listener_name("test1")`) for an example's request, in
/// parameter order; values that do not fit the documented type are left out.
pub fn fluent_calls(ctx: &Ctx<'_>, a: &Action, request: &Value) -> Vec<TokenStream> {
    let owner = Owner::Input(a.name.clone());
    let Some(obj) = request.as_object() else {
        return Vec::new();
    };
    a.input
        .iter()
        .filter_map(|p| {
            let v = obj.get(&p.name).filter(|v| !v.is_null())?;
            let m = format_ident!("{}", naming::snake(&p.name));
            let simple = ctx.enum_for(&owner, &p.name).is_none();
            let arg = match (&p.ty, v) {
                (Type::String | Type::Timestamp, Value::String(s)) if simple => {
                    let s = unquoted(s);
                    quote!(#s)
                }
                (Type::Integer, _) if simple => {
                    let n = Literal::i64_unsuffixed(as_i64(v)?);
                    quote!(#n)
                }
                // List setters take any iterator of convertible items: `["1.1.1.1"]`.
                (Type::Array(inner), Value::Array(items)) if simple && !items.is_empty() => {
                    match **inner {
                        Type::String => {
                            let items: Option<Vec<&str>> =
                                items.iter().map(|i| i.as_str().map(unquoted)).collect();
                            let items = items?;
                            quote!([#( #items ),*])
                        }
                        Type::Integer => {
                            let items: Option<Vec<Literal>> = items
                                .iter()
                                .map(|i| as_i64(i).map(Literal::i64_unsuffixed))
                                .collect();
                            let items = items?;
                            quote!([#( #items ),*])
                        }
                        _ => exact(ctx, &owner, p, &p.ty, v)?,
                    }
                }
                _ => exact(ctx, &owner, p, &p.ty, v)?,
            };
            Some(quote!(.#m(#arg)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ActionConstraint, Constraints, Ir, Range};

    fn param(name: &str, ty: Type, required: bool, constraints: Constraints) -> Param {
        Param {
            name: name.into(),
            required,
            nullable: false,
            ty,
            description: String::new(),
            description_zh: None,
            example: None,
            constraints,
        }
    }

    fn ir() -> Ir {
        let range = Constraints {
            range: Some(Range {
                min: Some(5.into()),
                max: Some(300.into()),
            }),
            ..Constraints::default()
        };
        let less = Constraints {
            less_than: Some("DelayLoop".into()),
            ..Constraints::default()
        };
        Ir {
            service: "gaap".into(),
            version: "2018-05-29".into(),
            domain: "gaap.tencentcloudapi.com".into(),
            actions: vec![Action {
                name: "Act".into(),
                description: String::new(),
                description_zh: None,
                rate_limit_per_second: None,
                input: vec![
                    param("Name", Type::String, true, Constraints::default()),
                    param("DelayLoop", Type::Integer, false, range),
                    param("ConnectTimeout", Type::Integer, false, less),
                    param("ProxyId", Type::String, false, Constraints::default()),
                    param("GroupId", Type::String, false, Constraints::default()),
                ],
                output: vec![],
                errors: vec![],
                examples: vec![],
                constraints: vec![ActionConstraint::ExactlyOneOf(vec![
                    "ProxyId".into(),
                    "GroupId".into(),
                ])],
                source: "Act.txt".into(),
            }],
            structs: vec![],
            common_errors: vec![],
        }
    }

    #[test]
    fn fluent_calls_follow_parameter_order() {
        let ir = ir();
        let ctx = Ctx::new(&ir, &mut crate::names::EnumNames::default()).unwrap();
        let calls = fluent_calls(
            &ctx,
            &ir.actions[0],
            &serde_json::json!({"DelayLoop": "20", "Name": "a"}),
        );
        let text: Vec<String> = calls.iter().map(ToString::to_string).collect();
        assert_eq!(text, vec![". name (\"a\")", ". delay_loop (20)"]);
        let quoted = fluent_calls(&ctx, &ir.actions[0], &serde_json::json!({"Name": "'test'"}));
        assert_eq!(quoted[0].to_string(), ". name (\"test\")");
        assert_eq!(unquoted("''"), "''");
        assert_eq!(unquoted("it's"), "it's");
    }
}
