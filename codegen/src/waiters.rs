//! Waiters: `api-specs/waiters.toml` -> `client.wait_until_*` methods.
//!
//! Each `[[waiter]]` names the action to poll, the waiter's arguments and the input field
//! each one fills, the path to the status field in the response (`ProxySet[0].Status`, or
//! `DomainRuleSet[Domain=$domain].DomainStatus` for the element of a list whose field equals
//! the argument `domain`, which then is an argument of the waiter too), and
//! the values that mean success, failure and keep waiting. [`check`] holds the table to the
//! IR: the action, inputs and path must exist, and the values must be exactly the documented
//! ones (the field's enum, or the values its description names), each classified once.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::CodegenError;
use crate::ir::{EnumLiteral, Ir, Param, Type};
use crate::naming;

/// What an absent resource means to a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// Success (deletion waiters).
    Success,
    /// Keep waiting.
    Wait,
}

/// One `[[waiter]]` of `api-specs/waiters.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// `proxy_running` -> `wait_until_proxy_running`.
    pub name: String,
    /// What it waits for, one sentence (the method's doc).
    pub doc: String,
    /// The action polled.
    pub action: String,
    /// (argument name, input field), in order.
    pub inputs: Vec<(String, String)>,
    /// The path to the status field: `Field`, `Field[0]`, `Field[Key=$arg]`, joined by dots.
    pub status: String,
    /// Values ending the wait successfully.
    pub success: Vec<String>,
    /// Values ending the wait with a failure.
    pub failure: Vec<String>,
    /// Documented values meaning keep waiting.
    pub waiting: Vec<String>,
    /// What an absent resource (nothing at the path, or an `absent_codes` error) means.
    pub absent: Absent,
    /// Error codes meaning the resource is absent.
    pub absent_codes: Vec<String>,
}

fn err(message: String) -> CodegenError {
    CodegenError::InvalidIr(format!("waiters: {message}"))
}

fn str_field(table: &toml_edit::Table, key: &str, at: &str) -> Result<String, CodegenError> {
    table
        .get(key)
        .and_then(|item| item.as_str())
        .map(str::to_owned)
        .ok_or_else(|| err(format!("{at}: `{key}` must be a string")))
}

fn value_list(table: &toml_edit::Table, key: &str, at: &str) -> Result<Vec<String>, CodegenError> {
    let Some(item) = table.get(key) else {
        return Ok(Vec::new());
    };
    let array = item
        .as_array()
        .ok_or_else(|| err(format!("{at}: `{key}` must be a list")))?;
    array
        .iter()
        .map(|v| match v {
            toml_edit::Value::String(s) => Ok(s.value().clone()),
            toml_edit::Value::Integer(i) => Ok(i.value().to_string()),
            _ => Err(err(format!(
                "{at}: `{key}` holds only strings and integers"
            ))),
        })
        .collect()
}

/// Reads `api-specs/waiters.toml`.
pub fn parse(text: &str) -> Result<Vec<Waiter>, CodegenError> {
    let doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| err(e.to_string()))?;
    let Some(item) = doc.get("waiter") else {
        return Ok(Vec::new());
    };
    let tables = item
        .as_array_of_tables()
        .ok_or_else(|| err("`waiter` must be an array of tables ([[waiter]])".to_owned()))?;
    let mut waiters = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let at = format!("waiter #{}", i + 1);
        for (key, _) in table.iter() {
            if ![
                "name",
                "doc",
                "action",
                "inputs",
                "status",
                "success",
                "failure",
                "waiting",
                "absent",
                "absent_codes",
            ]
            .contains(&key)
            {
                return Err(err(format!("{at}: unknown key `{key}`")));
            }
        }
        let name = str_field(table, "name", &at)?;
        let at = format!("waiter `{name}`");
        let inputs = table
            .get("inputs")
            .and_then(|item| item.as_inline_table())
            .ok_or_else(|| err(format!("{at}: `inputs` must be an inline table")))?
            .iter()
            .map(|(arg, field)| {
                field
                    .as_str()
                    .map(|f| (arg.to_owned(), f.to_owned()))
                    .ok_or_else(|| err(format!("{at}: input `{arg}` must name a field")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let absent = match table.get("absent").and_then(|i| i.as_str()) {
            None | Some("wait") => Absent::Wait,
            Some("success") => Absent::Success,
            Some(other) => {
                return Err(err(format!(
                    "{at}: `absent` is \"success\" or \"wait\", not {other:?}"
                )));
            }
        };
        waiters.push(Waiter {
            doc: str_field(table, "doc", &at)?,
            action: str_field(table, "action", &at)?,
            inputs,
            status: str_field(table, "status", &at)?,
            success: value_list(table, "success", &at)?,
            failure: value_list(table, "failure", &at)?,
            waiting: value_list(table, "waiting", &at)?,
            absent,
            absent_codes: value_list(table, "absent_codes", &at)?,
            name,
        });
    }
    Ok(waiters)
}

/// One step of a status path.
struct Step<'a> {
    param: &'a Param,
    index: Index<'a>,
}

/// How a step of a status path goes into a list.
enum Index<'a> {
    /// Not a list.
    None,
    /// The first element.
    First,
    /// The first element whose string field (the param) equals the argument.
    Select(&'a Param, String),
}

impl Waiter {
    /// The waiter's arguments: its inputs', then those only its status path names.
    pub fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = self.inputs.iter().map(|(a, _)| a.clone()).collect();
        for segment in self.status.split('.') {
            if let Some((_, rest)) = segment.split_once("=$")
                && let Some(arg) = rest.strip_suffix(']')
                && !args.iter().any(|a| a == arg)
            {
                args.push(arg.to_owned());
            }
        }
        args
    }
}

fn fields<'a>(ir: &'a Ir, ty: &Type) -> Option<&'a [Param]> {
    match ty {
        Type::Struct(name) => ir
            .structs
            .iter()
            .find(|s| &s.name == name)
            .map(|s| s.fields.as_slice()),
        _ => None,
    }
}

fn resolve<'a>(ir: &'a Ir, output: &'a [Param], w: &Waiter) -> Result<Vec<Step<'a>>, CodegenError> {
    let at = format!("waiter `{}`", w.name);
    let mut current: Option<&'a [Param]> = Some(output);
    let mut steps = Vec::new();
    for segment in w.status.split('.') {
        let (name, bracket) = match segment.split_once('[') {
            Some((name, rest)) => {
                let inner = rest
                    .strip_suffix(']')
                    .ok_or_else(|| err(format!("{at}: `{segment}` has an unclosed `[`")))?;
                (name, Some(inner))
            }
            None => (segment, None),
        };
        let params = current.ok_or_else(|| {
            err(format!(
                "{at}: `{}` goes into a field that is not a struct",
                w.status
            ))
        })?;
        let param = params.iter().find(|p| p.name == name).ok_or_else(|| {
            err(format!(
                "{at}: `{name}` is not a field there (path `{}`)",
                w.status
            ))
        })?;
        let ty = match (&param.ty, bracket) {
            (Type::Array(inner), Some(_)) => inner.as_ref(),
            (_, Some(_)) => return Err(err(format!("{at}: `{name}` is not a list"))),
            (ty, None) => ty,
        };
        current = fields(ir, ty);
        let index = match bracket {
            None => Index::None,
            Some("0") => Index::First,
            Some(selector) => {
                let (key, arg) = selector.split_once("=$").ok_or_else(|| {
                    err(format!(
                        "{at}: `[{selector}]` is neither `[0]` nor `[Field=$arg]`"
                    ))
                })?;
                let key_param = current
                    .and_then(|fields| fields.iter().find(|p| p.name == key))
                    .filter(|p| matches!(p.ty, Type::String | Type::Integer))
                    .ok_or_else(|| {
                        err(format!(
                            "{at}: `{key}` is not a string or integer field of `{name}`'s elements"
                        ))
                    })?;
                if arg.is_empty() || !arg.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(err(format!(
                        "{at}: argument `{arg}` is lowercase snake_case"
                    )));
                }
                Index::Select(key_param, arg.to_owned())
            }
        };
        steps.push(Step { param, index });
    }
    Ok(steps)
}

/// Holds the table to the IR (see the module docs).
pub fn check(ir: &Ir, waiters: &[Waiter]) -> Result<(), CodegenError> {
    let mut names = BTreeSet::new();
    for w in waiters {
        let at = format!("waiter `{}`", w.name);
        if !names.insert(&w.name) {
            return Err(err(format!("{at} is declared twice")));
        }
        if w.name.is_empty() || !w.name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(err(format!("{at}: a name is lowercase snake_case")));
        }
        let action = ir
            .actions
            .iter()
            .find(|a| a.name == w.action)
            .ok_or_else(|| err(format!("{at}: no action `{}`", w.action)))?;
        for (arg, field) in &w.inputs {
            let param = action
                .input
                .iter()
                .find(|p| &p.name == field)
                .ok_or_else(|| err(format!("{at}: `{}` takes no input `{field}`", w.action)))?;
            let scalar = match &param.ty {
                Type::Array(inner) => inner.as_ref(),
                ty => ty,
            };
            if *scalar != Type::String {
                return Err(err(format!(
                    "{at}: input `{field}` must be a string or a list of strings"
                )));
            }
            if arg.is_empty() || !arg.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                return Err(err(format!(
                    "{at}: argument `{arg}` is lowercase snake_case"
                )));
            }
        }
        if let Some(missing) = action
            .input
            .iter()
            .find(|p| p.required && !w.inputs.iter().any(|(_, f)| *f == p.name))
        {
            return Err(err(format!(
                "{at}: `{}` requires `{}`",
                w.action, missing.name
            )));
        }
        let steps = resolve(ir, &action.output, w)?;
        // An argument selecting by an integer field is an `i64`; inputs are text.
        if let Some((arg, _)) = w.inputs.iter().find(|(arg, _)| {
            steps.iter().any(|s| {
                matches!(&s.index, Index::Select(key, a) if key.ty == Type::Integer && a == arg)
            })
        }) {
            return Err(err(format!(
                "{at}: `{arg}` selects by an integer field and cannot also be a text input"
            )));
        }
        let Some(last) = steps.last() else {
            return Err(err(format!("{at}: empty status path")));
        };
        if !matches!(last.param.ty, Type::String | Type::Integer) {
            return Err(err(format!(
                "{at}: the status must be a string or an integer"
            )));
        }
        let mut declared = BTreeSet::new();
        for value in w.success.iter().chain(&w.failure).chain(&w.waiting) {
            if !declared.insert(value) {
                return Err(err(format!("{at}: `{value}` is classified twice")));
            }
        }
        let documented: Option<BTreeSet<String>> =
            last.param.constraints.enum_values.as_ref().map(|values| {
                values
                    .iter()
                    .map(|v| match &v.value {
                        EnumLiteral::Integer(i) => i.to_string(),
                        EnumLiteral::String(s) => s.clone(),
                    })
                    .collect()
            });
        match documented {
            Some(documented) => {
                let declared: BTreeSet<String> = declared.into_iter().cloned().collect();
                if declared != documented {
                    return Err(err(format!(
                        "{at}: the values must be the documented ones, each classified once: documented {documented:?}, declared {declared:?}"
                    )));
                }
            }
            None => {
                let text = format!(
                    "{} {}",
                    last.param.description,
                    last.param.description_zh.as_deref().unwrap_or("")
                );
                if let Some(value) = declared.iter().find(|v| !text.contains(v.as_str())) {
                    return Err(err(format!(
                        "{at}: `{value}` is not named in the description of `{}`",
                        last.param.name
                    )));
                }
            }
        }
        if w.success.is_empty() && w.absent != Absent::Success {
            return Err(err(format!(
                "{at}: nothing would end the wait successfully"
            )));
        }
        for code in &w.absent_codes {
            let known = action
                .errors
                .iter()
                .chain(&ir.common_errors)
                .any(|e| &e.code == code);
            if !known {
                return Err(err(format!(
                    "{at}: `{code}` is not an error code of `{}`",
                    w.action
                )));
            }
        }
    }
    Ok(())
}

fn doc_lines(w: &Waiter) -> Vec<String> {
    let list = |values: &[String]| {
        if values.is_empty() {
            "none".to_owned()
        } else {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut lines = vec![
        w.doc.clone(),
        String::new(),
        format!(
            "Polls `{}` and reads `{}` (values from the doc pages):",
            w.action, w.status
        ),
        format!("- success: {}", list(&w.success)),
        format!("- failure: {}", list(&w.failure)),
        format!("- keep waiting: {}", list(&w.waiting)),
    ];
    let codes = list(&w.absent_codes);
    lines.push(match w.absent {
        Absent::Success => format!(
            "- absent (nothing at the path, or the codes {codes}): success, [`crate::WaitOutcome::Absent`]"
        ),
        Absent::Wait => format!(
            "- absent (nothing at the path, or the codes {codes}): keep waiting, so a resource that never appears times out"
        ),
    });
    lines.push(String::new());
    lines.push(
        "Any other value keeps waiting and is logged once. Set the timing on the returned \
         [`crate::Waiter`], then `.wait().await`."
            .to_owned(),
    );
    lines
}

/// `gaap-client/src/generated/waiters.rs`.
pub fn emit(ir: &Ir, waiters: &[Waiter]) -> Result<TokenStream, CodegenError> {
    let mut items = Vec::new();
    for w in waiters {
        let action = ir
            .actions
            .iter()
            .find(|a| a.name == w.action)
            .ok_or_else(|| err(format!("no action `{}`", w.action)))?;
        let steps = resolve(ir, &action.output, w)?;
        let spec = format_ident!("{}", w.name.to_ascii_uppercase());
        let method = format_ident!("wait_until_{}", w.name);
        let req = format_ident!("{}", naming::request(&w.action));
        let resp = format_ident!("{}", naming::response(&w.action));
        let op = naming::operation(&quote!(::gaap_model), &w.action);
        let access = steps.iter().map(|s| {
            let f = format_ident!("{}", naming::snake(&s.param.name));
            match &s.index {
                Index::None => quote!(.#f.as_ref()?),
                Index::First => quote!(.#f.as_ref()?.first()?),
                Index::Select(key, arg) if key.ty == Type::Integer => {
                    let k = format_ident!("{}", naming::snake(&key.name));
                    let a = format_ident!("{}", arg);
                    quote!(.#f.as_ref()?.iter().find(|item| item.#k == ::std::option::Option::Some(#a))?)
                }
                Index::Select(key, arg) => {
                    let k = format_ident!("{}", naming::snake(&key.name));
                    let a = format_ident!("{}", arg);
                    quote!(.#f.as_ref()?.iter().find(|item| item.#k.as_deref() == ::std::option::Option::Some(#a.as_str()))?)
                }
            }
        });
        // An argument that selects by an integer field (`[DnsRecordId=$id]`) is an `i64`;
        // the others are text.
        let integer_args: Vec<String> = steps
            .iter()
            .filter_map(|s| match &s.index {
                Index::Select(key, arg) if key.ty == Type::Integer => Some(arg.clone()),
                _ => None,
            })
            .collect();
        let all_args = w.args();
        let arg_names: Vec<_> = all_args
            .iter()
            .filter(|a| !integer_args.contains(a))
            .map(|a| format_ident!("{}", a))
            .collect();
        let args = all_args.iter().map(|a| {
            let id = format_ident!("{}", a);
            if integer_args.contains(a) {
                quote!(#id: i64)
            } else {
                quote!(#id: impl ::std::convert::Into<::std::string::String>)
            }
        });
        let sets = w.inputs.iter().map(|(arg, field)| {
            let a = format_ident!("{}", arg);
            let setter = format_ident!("{}", naming::snake(field));
            let is_list = action
                .input
                .iter()
                .any(|p| &p.name == field && matches!(p.ty, Type::Array(_)));
            if is_list {
                quote!(.#setter(::std::vec![#a.clone()]))
            } else {
                quote!(.#setter(#a.clone()))
            }
        });
        let (name, action_name, path) = (&w.name, &w.action, &w.status);
        let (success, failure, waiting, codes) =
            (&w.success, &w.failure, &w.waiting, &w.absent_codes);
        let absent = match w.absent {
            Absent::Success => quote!(crate::waiter::OnAbsent::Success),
            Absent::Wait => quote!(crate::waiter::OnAbsent::Wait),
        };
        let doc = crate::docs::attrs(&doc_lines(w));
        let spec_doc = format!(" The declaration of `wait_until_{name}`.");
        items.push(quote! {
            #[doc = #spec_doc]
            static #spec: crate::waiter::WaiterSpec = crate::waiter::WaiterSpec {
                name: #name,
                action: #action_name,
                status_path: #path,
                success: &[#( #success ),*],
                failure: &[#( #failure ),*],
                waiting: &[#( #waiting ),*],
                absent: #absent,
                absent_codes: &[#( #codes ),*],
            };

            impl crate::Client {
                #doc
                pub fn #method(&self, #( #args ),*) -> crate::waiter::Waiter<#op::#req> {
                    #( let #arg_names: ::std::string::String = #arg_names.into(); )*
                    let builder = #op::#req::builder() #( #sets )*;
                    let request = if self.validation().is_strict() {
                        builder.build()
                    } else {
                        builder.build_unvalidated()
                    };
                    let status = move |response: &#op::#resp| -> ::std::option::Option<::std::string::String> {
                        ::std::option::Option::Some(::std::string::ToString::to_string(response #( #access )*))
                    };
                    crate::waiter::Waiter::new(self.clone(), request, &#spec, status)
                }
            }
        });
    }
    Ok(quote!(#( #items )*))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_waiter() {
        let text = r#"
[[waiter]]
name = "task_done"
doc = "Waits for a task."
action = "DescribeTaskStatus"
inputs = { task_id = "TaskId" }
status = "Status"
success = ["SUCCESS"]
failure = ["FAIL"]
waiting = ["RUNNING", 3]
absent_codes = ["ResourceNotFound"]
"#;
        let waiters = parse(text).unwrap_or_default();
        assert_eq!(waiters.len(), 1);
        let w = &waiters[0];
        assert_eq!(w.inputs, [("task_id".to_owned(), "TaskId".to_owned())]);
        assert_eq!(w.waiting, ["RUNNING", "3"]);
        assert_eq!(w.absent, Absent::Wait);
        assert!(parse("[[waiter]]\nname = \"x\"\nbogus = 1\n").is_err());
        assert!(parse("[[waiter]]\nname = \"x\"\n").is_err());
    }
}
