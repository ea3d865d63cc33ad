//! The pages' examples, in two uses: Rust expressions for the client's `no_run` doc
//! examples, and generated tests whose expectations come from checking the example
//! against the IR (so where a page's own example breaks a documented rule, the test says
//! which one).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::context::{Ctx, EnumKind, Owner};
use crate::ir::{Action, ActionConstraint, Param, Type};
use crate::naming;

// ---------------------------------------------------------------- values as Rust ----

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" | "True" | "1" => Some(true),
            "false" | "False" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => match n.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

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
        return Some(quote!(vec![#( #items ),*]));
    }
    if let Some(e) = ctx.enum_for(owner, &p.name) {
        let wire = enum_wire(e.kind, value)?;
        let ty = format_ident!("{}", e.name);
        return Some(match e.values.iter().find(|v| v.wire == wire) {
            Some(v) => {
                let var = format_ident!("{}", v.variant);
                quote!(gaap_model::#ty::#var)
            }
            None => match e.kind {
                EnumKind::String => quote!(gaap_model::#ty::from(#wire)),
                EnumKind::Integer => {
                    let n = Literal::i64_suffixed(wire.parse().ok()?);
                    quote!(gaap_model::#ty::from(#n))
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
            quote!(gaap_model::#ty::default() #( #calls )*)
        }
        Type::Array(_) => return None,
    })
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
                (Type::String | Type::Timestamp, Value::String(s)) if simple => quote!(#s),
                (Type::Integer, _) if simple => {
                    let n = Literal::i64_unsuffixed(as_i64(v)?);
                    quote!(#n)
                }
                _ => exact(ctx, &owner, p, &p.ty, v)?,
            };
            Some(quote!(.#m(#arg)))
        })
        .collect()
}

// ------------------------------------------------------- checking against the IR ----

/// What the generated code will do with an example request.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Deserializing into the request fails, for this reason.
    DoesNotDeserialize(String),
    /// Deserializes; `validate()` reports these (field path, `Rule` variant name).
    Violations(Vec<(String, &'static str)>),
}

fn conforms(
    ctx: &Ctx<'_>,
    owner: &Owner,
    p: &Param,
    ty: &Type,
    v: &Value,
    path: &str,
) -> Result<(), String> {
    let bad = || Err(format!("`{path}` does not have the documented type"));
    if let Type::Array(inner) = ty {
        let Some(items) = v.as_array() else {
            return bad();
        };
        for (i, item) in items.iter().enumerate() {
            conforms(ctx, owner, p, inner, item, &format!("{path}[{i}]"))?;
        }
        return Ok(());
    }
    if let Some(e) = ctx.enum_for(owner, &p.name) {
        return if enum_wire(e.kind, v).is_some() {
            Ok(())
        } else {
            bad()
        };
    }
    let ok = match ty {
        Type::String => v.is_string(),
        Type::Integer => as_i64(v).is_some(),
        Type::Float => as_f64(v).is_some(),
        Type::Boolean => as_bool(v).is_some(),
        Type::Timestamp => v.is_string() || v.is_number(),
        Type::Struct(name) => {
            let (Some(s), Some(obj)) = (ctx.structs.get(name.as_str()), v.as_object()) else {
                return bad();
            };
            let owner = Owner::Struct(name.clone());
            for f in &s.fields {
                if let Some(fv) = obj.get(&f.name).filter(|fv| !fv.is_null()) {
                    conforms(ctx, &owner, f, &f.ty, fv, &format!("{path}.{}", f.name))?;
                }
            }
            true
        }
        Type::Array(_) => false,
    };
    if ok { Ok(()) } else { bad() }
}

fn scalar_violations(
    ctx: &Ctx<'_>,
    owner: &Owner,
    p: &Param,
    ty: &Type,
    v: &Value,
    path: &str,
    out: &mut Vec<(String, &'static str)>,
) {
    if let Type::Array(inner) = ty {
        if matches!(**inner, Type::Array(_)) {
            return;
        }
        for (i, item) in v.as_array().into_iter().flatten().enumerate() {
            scalar_violations(ctx, owner, p, inner, item, &format!("{path}[{i}]"), out);
        }
        return;
    }
    let c = &p.constraints;
    if let Some(e) = ctx.enum_for(owner, &p.name) {
        if let Some(w) = enum_wire(e.kind, v)
            && !e.values.iter().any(|x| x.wire == w)
        {
            out.push((path.to_owned(), "Enum"));
        }
        return;
    }
    match ty {
        Type::Integer | Type::Float => {
            if let (Some(r), Some(x)) = (&c.range, as_f64(v)) {
                let lo = r.min.as_ref().and_then(serde_json::Number::as_f64);
                let hi = r.max.as_ref().and_then(serde_json::Number::as_f64);
                if lo.is_some_and(|m| x < m) || hi.is_some_and(|m| x > m) {
                    out.push((path.to_owned(), "Range"));
                }
            }
        }
        Type::String => {
            if let (Some(n), Some(s)) = (c.max_length, v.as_str())
                && s.chars().count() as u64 > n
            {
                out.push((path.to_owned(), "MaxLength"));
            }
        }
        Type::Struct(name) => {
            if let (Some(s), Some(obj)) = (ctx.structs.get(name.as_str()), v.as_object()) {
                let owner = Owner::Struct(name.clone());
                object_violations(
                    ctx,
                    &owner,
                    &s.fields,
                    &[],
                    obj,
                    &format!("{path}."),
                    true,
                    out,
                );
            }
        }
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn object_violations(
    ctx: &Ctx<'_>,
    owner: &Owner,
    params: &[Param],
    constraints: &[ActionConstraint],
    obj: &serde_json::Map<String, Value>,
    prefix: &str,
    check_required: bool,
    out: &mut Vec<(String, &'static str)>,
) {
    let get = |name: &str| obj.get(name).filter(|v| !v.is_null());
    for p in params {
        let path = format!("{prefix}{}", p.name);
        match get(&p.name) {
            None if check_required && p.required => out.push((path, "Required")),
            None => {}
            Some(v) => {
                scalar_violations(ctx, owner, p, &p.ty, v, &path, out);
                if let Some(other) = &p.constraints.less_than {
                    let q = params.iter().find(|q| &q.name == other);
                    let comparable = q.is_some_and(|q| q.ty == p.ty)
                        && matches!(p.ty, Type::Integer | Type::Float)
                        && ctx.enum_for(owner, &p.name).is_none();
                    if let (true, Some(a), Some(b)) =
                        (comparable, as_f64(v), get(other).and_then(as_f64))
                        && a >= b
                    {
                        out.push((path, "LessThan"));
                    }
                }
            }
        }
    }
    for c in constraints {
        let (names, kind) = match c {
            ActionConstraint::ExactlyOneOf(n) => (n, "ExactlyOneOf"),
            ActionConstraint::AtMostOneOf(n) => (n, "AtMostOneOf"),
            ActionConstraint::Requires(n) => (n, "Requires"),
        };
        if names.len() < 2 || !names.iter().all(|n| params.iter().any(|p| &p.name == n)) {
            continue;
        }
        let set = names.iter().filter(|n| get(n).is_some()).count();
        let first = format!("{prefix}{}", names[0]);
        let broken = match kind {
            "ExactlyOneOf" => set != 1,
            "AtMostOneOf" => set > 1,
            _ => get(&names[0]).is_some() && get(&names[1]).is_none(),
        };
        if broken {
            out.push((first, kind));
        }
    }
}

/// Check an example request against the action's parameter table and rules.
pub fn check(ctx: &Ctx<'_>, a: &Action, request: &Value) -> Outcome {
    let owner = Owner::Input(a.name.clone());
    let Some(obj) = request.as_object() else {
        return Outcome::DoesNotDeserialize("the example is not a JSON object".to_owned());
    };
    for key in obj.keys() {
        if !a.input.iter().any(|p| &p.name == key) {
            return Outcome::DoesNotDeserialize(format!("`{key}` is not in the parameter table"));
        }
    }
    for p in &a.input {
        match obj.get(&p.name) {
            None | Some(Value::Null) if p.required => {
                return Outcome::DoesNotDeserialize(format!("required `{}` is missing", p.name));
            }
            None | Some(Value::Null) => {}
            Some(v) => {
                if let Err(reason) = conforms(ctx, &owner, p, &p.ty, v, &p.name) {
                    return Outcome::DoesNotDeserialize(reason);
                }
            }
        }
    }
    let mut out = Vec::new();
    object_violations(
        ctx,
        &owner,
        &a.input,
        &a.constraints,
        obj,
        "",
        false,
        &mut out,
    );
    Outcome::Violations(out)
}

// ------------------------------------------------------------------ the tests ----

fn raw_json(v: &Value) -> TokenStream {
    let text = serde_json::to_string_pretty(v).unwrap_or_default();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let lit = format!("r{hashes}\"{text}\"{hashes}");
    lit.parse().unwrap_or_else(|_| {
        let l = Literal::string(&text);
        quote!(#l)
    })
}

fn rule_text(rule: &str) -> &'static str {
    match rule {
        "Required" => "a required field is missing",
        "Range" => "a value is out of its documented range",
        "Enum" => "a value is not one of the documented values",
        "MaxLength" => "a value is longer than documented",
        "LessThan" => "a value is not less than the field it must be less than",
        "ExactlyOneOf" => "not exactly one of the alternatives is set",
        "AtMostOneOf" => "more than one of the alternatives is set",
        _ => "a field is set without the field it requires",
    }
}

/// The generated tests of one action: each example's output deserializes into the
/// response; each example's input deserializes into the request and passes `validate()`,
/// or (where the page's own example breaks its table or rules) fails exactly as checked.
pub fn tests(ctx: &Ctx<'_>, a: &Action) -> TokenStream {
    let req = format_ident!("{}", naming::request(&a.name));
    let resp = format_ident!("{}", naming::response(&a.name));
    let mut tests = Vec::new();
    for (i, ex) in a.examples.iter().enumerate() {
        let n = i + 1;
        let title = format!(" Example {n} of the page: {}.", ex.title.trim());
        if ex.response.is_object() && ex.response.get("Error").is_none() {
            let name = format_ident!("example_{n}_output_deserializes");
            let json = raw_json(&ex.response);
            let id_check = ex.response.get("RequestId").and_then(Value::as_str).map(|id| {
                quote!(assert_eq!(response.request_id.as_deref(), ::std::option::Option::Some(#id));)
            });
            tests.push(quote! {
                #[doc = #title]
                #[test]
                fn #name() {
                    let response: super::#resp = ::serde_json::from_str(#json).unwrap();
                    #id_check
                    let _ = response;
                }
            });
        }
        if !ex.request.is_object() {
            continue;
        }
        let json = raw_json(&ex.request);
        match check(ctx, a, &ex.request) {
            Outcome::DoesNotDeserialize(reason) => {
                let name = format_ident!("example_{n}_input_does_not_match_its_table");
                let why = format!(
                    " The page's own input example does not match its parameter table: {reason}."
                );
                tests.push(quote! {
                    #[doc = #title]
                    #[doc = ""]
                    #[doc = #why]
                    #[test]
                    fn #name() {
                        assert!(::serde_json::from_str::<super::#req>(#json).is_err());
                    }
                });
            }
            Outcome::Violations(v) if v.is_empty() => {
                let name = format_ident!("example_{n}_input_is_valid");
                tests.push(quote! {
                    #[doc = #title]
                    #[test]
                    fn #name() {
                        let request: super::#req = ::serde_json::from_str(#json).unwrap();
                        crate::Validate::validate(&request).unwrap();
                    }
                });
            }
            Outcome::Violations(v) => {
                let name = format_ident!("example_{n}_input_breaks_documented_rules");
                let why: Vec<String> = v
                    .iter()
                    .map(|(f, r)| format!("`{f}`: {}", rule_text(r)))
                    .collect();
                let why = format!(
                    " The page's own input example breaks documented rules ({}), so validation must report exactly that.",
                    why.join("; ")
                );
                let count = v.len();
                let asserts = v.iter().map(|(field, rule)| {
                    let rule = format_ident!("{}", rule);
                    quote! {
                        assert!(error.violations.iter().any(|v| v.field == #field && ::std::matches!(v.rule, crate::Rule::#rule { .. })), "{error}");
                    }
                });
                tests.push(quote! {
                    #[doc = #title]
                    #[doc = ""]
                    #[doc = #why]
                    #[test]
                    fn #name() {
                        let request: super::#req = ::serde_json::from_str(#json).unwrap();
                        let error = crate::Validate::validate(&request).unwrap_err();
                        #( #asserts )*
                        assert_eq!(error.violations.len(), #count, "{error}");
                    }
                });
            }
        }
    }
    if tests.is_empty() {
        return quote!();
    }
    quote! {
        #[cfg(all(test, feature = "server"))]
        mod tests {
            #( #tests )*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, Ir, Range};

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

    fn outcome(request: Value) -> Outcome {
        let ir = ir();
        let ctx = Ctx::new(&ir, &mut crate::names::EnumNames::default()).unwrap();
        check(&ctx, &ir.actions[0], &request)
    }

    #[test]
    fn table_mismatches_do_not_deserialize() {
        let unknown = outcome(serde_json::json!({"Name": "a", "ProxyId": "p", "Foo": 1}));
        assert_eq!(
            unknown,
            Outcome::DoesNotDeserialize("`Foo` is not in the parameter table".into())
        );
        let missing = outcome(serde_json::json!({"ProxyId": "p"}));
        assert_eq!(
            missing,
            Outcome::DoesNotDeserialize("required `Name` is missing".into())
        );
        let mistyped =
            outcome(serde_json::json!({"Name": "a", "ProxyId": "p", "DelayLoop": "soon"}));
        assert!(matches!(mistyped, Outcome::DoesNotDeserialize(_)));
    }

    #[test]
    fn rules_are_checked_like_the_generated_code() {
        let ok = outcome(
            serde_json::json!({"Name": "a", "ProxyId": "p", "DelayLoop": "20", "ConnectTimeout": 5}),
        );
        assert_eq!(ok, Outcome::Violations(vec![]));
        let bad =
            outcome(serde_json::json!({"Name": "a", "DelayLoop": 400, "ConnectTimeout": "400"}));
        assert_eq!(
            bad,
            Outcome::Violations(vec![
                ("DelayLoop".into(), "Range"),
                ("ConnectTimeout".into(), "LessThan"),
                ("ProxyId".into(), "ExactlyOneOf"),
            ])
        );
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
    }
}
