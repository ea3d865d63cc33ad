//! What the emitters share: the IR indexed by name, the enum registry (which parameter
//! becomes which Rust enum), which structs travel in requests or responses, and the Rust
//! type of every parameter.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::CodegenError;
use crate::ir::{Action, EnumLiteral, Ir, Param, Struct, Type};
use crate::names::EnumNames;
use crate::naming;

/// Where a parameter lives: an action's input or output, or a struct's field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// An action's input parameter.
    Input(String),
    /// An action's output parameter.
    Output(String),
    /// A Data Types struct's field.
    Struct(String),
}

impl Owner {
    fn name(&self) -> &str {
        match self {
            Owner::Input(n) | Owner::Output(n) | Owner::Struct(n) => n,
        }
    }
}

/// Whether an enum's wire values are strings or integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumKind {
    /// `"rr"`, `"wrr"`, ...
    String,
    /// `0`, `1`, ...
    Integer,
}

/// One generated enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust type name.
    pub name: String,
    /// String or integer values.
    pub kind: EnumKind,
    /// Wire values (as text) with their documented meanings and Rust variant names.
    pub values: Vec<EnumVariant>,
    /// Every parameter typed by this enum.
    pub owners: Vec<(Owner, String)>,
    /// The file it is emitted into: the one struct that uses it, else (`None`)
    /// `types/enums.rs`, with every enum that is shared or belongs to an action.
    pub home: Option<String>,
}

/// One documented value of an enum.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The wire value, as text (`rr`, `1`).
    pub wire: String,
    /// Its documented meaning.
    pub description: String,
    /// Its meaning on the mainland site's page, when that page documents it.
    pub description_zh: Option<String>,
    /// The Rust variant name.
    pub variant: String,
}

/// The IR plus everything derived from it that several emitters need.
pub struct Ctx<'a> {
    /// The IR.
    pub ir: &'a Ir,
    /// Structs by name.
    pub structs: BTreeMap<&'a str, &'a Struct>,
    /// Every enum, in a deterministic order.
    pub enums: Vec<EnumDef>,
    /// (owner, field wire name) -> index into `enums`.
    enum_of: BTreeMap<(Owner, String), usize>,
    /// Structs reachable from some action's input (they serialize).
    pub input_structs: BTreeSet<String>,
    /// Structs reachable from some action's output (they deserialize).
    pub output_structs: BTreeSet<String>,
}

fn base(ty: &Type) -> &Type {
    match ty {
        Type::Array(inner) => base(inner),
        other => other,
    }
}

fn enum_shape(p: &Param) -> Option<(EnumKind, Vec<(String, String)>)> {
    let values = p.constraints.enum_values.as_ref()?;
    if values.is_empty() {
        return None;
    }
    let texts: Vec<(String, String)> = values
        .iter()
        .map(|v| {
            let wire = match &v.value {
                EnumLiteral::Integer(i) => i.to_string(),
                EnumLiteral::String(s) => s.clone(),
            };
            (wire, v.description.trim().to_owned())
        })
        .collect();
    let mut seen = BTreeSet::new();
    if !texts.iter().all(|(w, _)| seen.insert(w.clone())) {
        return None;
    }
    match base(&p.ty) {
        Type::String => Some((EnumKind::String, texts)),
        Type::Integer if texts.iter().all(|(w, _)| w.parse::<i64>().is_ok()) => {
            Some((EnumKind::Integer, texts))
        }
        _ => None,
    }
}

fn variants(kind: EnumKind, values: &[(String, String)]) -> Vec<EnumVariant> {
    let names: Vec<String> = match kind {
        EnumKind::String => values
            .iter()
            .map(|(w, _)| naming::string_variant(w))
            .collect(),
        EnumKind::Integer => {
            let meanings: Option<Vec<String>> = values
                .iter()
                .map(|(_, d)| naming::meaning_variant(d))
                .collect();
            let distinct = meanings.as_ref().is_some_and(|m| {
                m.iter().collect::<BTreeSet<_>>().len() == m.len()
                    && !m.iter().any(|n| n == "Unknown")
            });
            match meanings {
                Some(m) if distinct => m,
                _ => values
                    .iter()
                    .map(|(w, _)| naming::integer_variant(w.parse::<i64>().unwrap_or_default()))
                    .collect(),
            }
        }
    };
    let mut taken = BTreeSet::from(["Unknown".to_owned()]);
    values
        .iter()
        .zip(names)
        .map(|((wire, description), name)| EnumVariant {
            wire: wire.clone(),
            description: description.clone(),
            description_zh: None,
            variant: naming::unique(name, &mut taken),
        })
        .collect()
}

/// Variant names from the lock where it pins them; the rules' names are added to it.
fn pin_variants(
    pins: &mut EnumNames,
    ty: &str,
    values: &mut [EnumVariant],
) -> Result<(), CodegenError> {
    let mut taken = BTreeSet::from(["Unknown".to_owned()]);
    for value in values.iter_mut() {
        match pins.variant(ty, &value.wire) {
            Some(pinned) => value.variant = pinned.to_owned(),
            None => pins.insert_variant(ty, &value.wire, &value.variant),
        }
        if !taken.insert(value.variant.clone()) {
            return Err(CodegenError::InvalidIr(format!(
                "`{ty}::{}` names two values (or `Unknown`) in api-specs/enum-names.lock; give `{}` a name of its own",
                value.variant, value.wire
            )));
        }
    }
    Ok(())
}

fn collect_structs(ctx_structs: &BTreeMap<&str, &Struct>, ty: &Type, into: &mut BTreeSet<String>) {
    if let Type::Struct(name) = base(ty)
        && into.insert(name.clone())
        && let Some(s) = ctx_structs.get(name.as_str())
    {
        for f in &s.fields {
            collect_structs(ctx_structs, &f.ty, into);
        }
    }
}

impl<'a> Ctx<'a> {
    /// Index the IR; fails when it names an undefined struct. Enum-typed parameters pinned
    /// in `pins` keep their names; the others get names by the sharing rules, and every
    /// name given ends up in `pins`.
    pub fn new(ir: &'a Ir, pins: &mut EnumNames) -> Result<Self, CodegenError> {
        let structs: BTreeMap<&str, &Struct> =
            ir.structs.iter().map(|s| (s.name.as_str(), s)).collect();
        let all_params = ir
            .actions
            .iter()
            .flat_map(|a| {
                let i = a.input.iter().map(|p| (Owner::Input(a.name.clone()), p));
                let o = a.output.iter().map(|p| (Owner::Output(a.name.clone()), p));
                i.chain(o)
            })
            .chain(
                ir.structs
                    .iter()
                    .flat_map(|s| s.fields.iter().map(|p| (Owner::Struct(s.name.clone()), p))),
            )
            .collect::<Vec<_>>();
        for (owner, p) in &all_params {
            if let Type::Struct(name) = base(&p.ty)
                && !structs.contains_key(name.as_str())
            {
                return Err(CodegenError::InvalidIr(format!(
                    "`{}.{}` has type `{name}`, which no Data Types struct defines",
                    owner.name(),
                    p.name
                )));
            }
        }

        // Group enum-typed parameters by (field name, kind, values with their variant
        // names), in any order: one shared enum only where every owner documents the same
        // values with meanings that name the same variants (`1: enabled` is not `1: yes`).
        // A pinned name is part of the key: parameters pinned to different names never
        // share, and a new parameter never joins (and renames) a pinned enum.
        type Key = (String, EnumKind, Vec<(String, String)>, Option<String>);
        type Member<'p> = (Owner, &'p Param, Vec<(String, String)>);
        let mut groups: BTreeMap<Key, Vec<Member<'_>>> = BTreeMap::new();
        let mut order: Vec<Key> = Vec::new();
        for (owner, p) in &all_params {
            if let Some((kind, values)) = enum_shape(p) {
                let mut named: Vec<(String, String)> = variants(kind, &values)
                    .into_iter()
                    .map(|v| (v.wire, v.variant))
                    .collect();
                named.sort();
                let pinned = pins.get(owner, &p.name).map(str::to_owned);
                let key = (p.name.clone(), kind, named, pinned);
                let entry = groups.entry(key.clone()).or_default();
                if entry.is_empty() {
                    order.push(key);
                }
                entry.push((owner.clone(), p, values));
            }
        }
        // Per field name, the shared group with the most owners gets the plain name.
        let owner_count = |key: &Key| {
            groups.get(key).map_or(0, |m| {
                m.iter()
                    .map(|(o, _, _)| o.name())
                    .collect::<BTreeSet<_>>()
                    .len()
            })
        };
        let mut plain_name: BTreeMap<String, (usize, Key)> = BTreeMap::new();
        for key in order.iter().filter(|key| key.3.is_none()) {
            let n = owner_count(key);
            let best = plain_name.get(&key.0).map_or(1, |(m, _)| *m);
            if n > best {
                plain_name.insert(key.0.clone(), (n, key.clone()));
            }
        }
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for s in &ir.structs {
            taken.insert(naming::type_name(&s.name));
        }
        for a in &ir.actions {
            for n in [
                naming::request(&a.name),
                naming::builder(&a.name),
                naming::response(&a.name),
                naming::error(&a.name),
            ] {
                taken.insert(n);
            }
        }
        taken.extend(
            [
                "Error",
                "Timestamp",
                "ErrorMetadata",
                "Rule",
                "Violation",
                "ValidationError",
            ]
            .map(str::to_owned),
        );
        taken.extend(pins.names().map(str::to_owned));
        let mut pinned_used: BTreeSet<String> = BTreeSet::new();
        let mut enums = Vec::new();
        let mut enum_of = BTreeMap::new();
        for key in order {
            let Some(members) = groups.get(&key) else {
                continue;
            };
            let Some((first_owner, _, values)) = members.first() else {
                continue;
            };
            let owner_names: BTreeSet<&str> = members.iter().map(|(o, _, _)| o.name()).collect();
            let shared = owner_names.len() > 1;
            let name = match &key.3 {
                Some(pinned) if pinned_used.insert(pinned.clone()) => pinned.clone(),
                Some(pinned) => {
                    // Two enums with different values cannot share one name: renaming either
                    // would move a public type, so the lock must be edited on purpose.
                    return Err(CodegenError::InvalidIr(format!(
                        "the enum name `{pinned}` is pinned (api-specs/enum-names.lock) for parameters whose documented values now differ ({}); give one of them a name of its own in the lock",
                        members
                            .iter()
                            .map(|(o, p, _)| format!("{}.{}", o.name(), p.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                None => {
                    let name = if shared && plain_name.get(&key.0).is_some_and(|(_, k)| k == &key) {
                        naming::type_name(&key.0)
                    } else {
                        format!(
                            "{}{}",
                            naming::type_name(first_owner.name()),
                            naming::type_name(&key.0)
                        )
                    };
                    naming::unique(name, &mut taken)
                }
            };
            for (owner, p, _) in members {
                pins.insert(owner, &p.name, &name);
            }
            let index = enums.len();
            for (owner, p, _) in members {
                enum_of.insert((owner.clone(), p.name.clone()), index);
            }
            let mut values = variants(key.1, values);
            for value in &mut values {
                value.description_zh = members.iter().find_map(|(_, p, _)| {
                    p.constraints
                        .enum_values
                        .iter()
                        .flatten()
                        .find(|v| match &v.value {
                            EnumLiteral::Integer(i) => i.to_string() == value.wire,
                            EnumLiteral::String(s) => *s == value.wire,
                        })
                        .and_then(|v| v.description_zh.clone())
                });
            }
            pin_variants(pins, &name, &mut values)?;
            enums.push(EnumDef {
                name,
                kind: key.1,
                values,
                owners: members
                    .iter()
                    .map(|(o, p, _)| (o.clone(), p.name.clone()))
                    .collect(),
                home: match first_owner {
                    Owner::Struct(name) if !shared => Some(name.clone()),
                    _ => None,
                },
            });
        }

        let mut input_structs = BTreeSet::new();
        let mut output_structs = BTreeSet::new();
        for a in &ir.actions {
            for p in &a.input {
                collect_structs(&structs, &p.ty, &mut input_structs);
            }
            for p in &a.output {
                collect_structs(&structs, &p.ty, &mut output_structs);
            }
        }
        Ok(Ctx {
            ir,
            structs,
            enums,
            enum_of,
            input_structs,
            output_structs,
        })
    }

    /// The enum typing `(owner, param)`, if any.
    pub fn enum_for(&self, owner: &Owner, param: &str) -> Option<&EnumDef> {
        self.enum_of
            .get(&(owner.clone(), param.to_owned()))
            .and_then(|i| self.enums.get(*i))
    }

    /// Enums emitted into the file of struct `home`.
    pub fn enums_homed_in(&self, home: &str) -> Vec<&EnumDef> {
        self.enums
            .iter()
            .filter(|e| e.home.as_deref() == Some(home))
            .collect()
    }

    /// The Rust type of a parameter (without the `Option` of optional fields), with model
    /// types under `crate::`.
    pub fn rust_type(&self, owner: &Owner, p: &Param) -> TokenStream {
        self.rust_type_at(owner, p, &quote!(crate))
    }

    /// The Rust type of a parameter, with model types under `root` (`crate` or
    /// `::gaap_model`).
    pub fn rust_type_at(&self, owner: &Owner, p: &Param, root: &TokenStream) -> TokenStream {
        let scalar = self.scalar_at(owner, p, root);
        wrap_arrays(&p.ty, scalar)
    }

    fn scalar_at(&self, owner: &Owner, p: &Param, root: &TokenStream) -> TokenStream {
        match self.enum_for(owner, &p.name) {
            Some(e) => {
                let id = format_ident!("{}", e.name);
                quote!(#root::types::#id)
            }
            None => scalar_type(base(&p.ty), root),
        }
    }

    /// The Rust type of a list parameter's element (`None` for non-lists).
    pub fn element_type(&self, owner: &Owner, p: &Param) -> Option<TokenStream> {
        self.element_type_at(owner, p, &quote!(crate))
    }

    /// [`Ctx::element_type`] with model types under `root`.
    pub fn element_type_at(
        &self,
        owner: &Owner,
        p: &Param,
        root: &TokenStream,
    ) -> Option<TokenStream> {
        match &p.ty {
            Type::Array(inner) => Some(wrap_arrays(inner, self.scalar_at(owner, p, root))),
            _ => None,
        }
    }

    /// Whether the field needs the lenient number/boolean deserializer.
    pub fn lenient(&self, owner: &Owner, p: &Param) -> bool {
        self.enum_for(owner, &p.name).is_none()
            && matches!(base(&p.ty), Type::Integer | Type::Float | Type::Boolean)
    }

    /// The action named `name`.
    pub fn action(&self, name: &str) -> Option<&'a Action> {
        self.ir.actions.iter().find(|a| a.name == name)
    }
}

/// The base type (arrays stripped) of a type.
pub fn base_type(ty: &Type) -> &Type {
    base(ty)
}

fn scalar_type(ty: &Type, root: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Integer => quote!(i64),
        Type::Boolean => quote!(bool),
        Type::Float => quote!(f64),
        Type::Timestamp => quote!(#root::Timestamp),
        Type::Struct(name) => {
            let id = format_ident!("{}", naming::type_name(name));
            quote!(#root::types::#id)
        }
        Type::Array(inner) => {
            let inner = scalar_type(inner, root);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

fn wrap_arrays(ty: &Type, scalar: TokenStream) -> TokenStream {
    match ty {
        Type::Array(inner) => {
            let inner = wrap_arrays(inner, scalar);
            quote!(::std::vec::Vec<#inner>)
        }
        _ => scalar,
    }
}
