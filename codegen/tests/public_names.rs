//! The naming golden test: every public name the generated code gives users (module paths,
//! types, struct fields, enum variants, methods), listed from the rendered files as the
//! compiler would see them, is the snapshot `snapshots/public_names__public_names.snap`.
//! A name can only change through a reviewed diff of that snapshot; enum and variant
//! names additionally come from `api-specs/enum-names.lock`, so the rules that name new
//! ones (or a change of the sharing analysis) cannot rename a published one. The rules
//! the lock must keep are tested below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate() -> BTreeMap<PathBuf, String> {
    let ir: codegen::ir::Ir =
        serde_json::from_str(&std::fs::read_to_string(root().join("api-specs/gaap.json")).unwrap())
            .unwrap();
    let lock = std::fs::read_to_string(root().join("api-specs/enum-names.lock")).unwrap();
    let mut pins = codegen::names::EnumNames::parse(&lock).unwrap();
    let waiters = std::fs::read_to_string(root().join("api-specs/waiters.toml")).unwrap();
    let waiters = codegen::waiters::parse(&waiters).unwrap();
    codegen::generate_all(&ir, &mut pins, &waiters).unwrap()
}

/// The public path a generated file's items are reachable at.
fn module_path(file: &Path) -> Option<String> {
    let file = file.to_str()?;
    let stem = Path::new(file).file_stem()?.to_str()?;
    if stem == "mod" {
        return None;
    }
    if let Some(rest) = file.strip_prefix("gaap-model/src/generated/") {
        return Some(match rest.split('/').next()? {
            "operation" => format!("gaap_model::operation::{stem}"),
            "types" => "gaap_model::types".to_owned(),
            "error.rs" => "gaap_model::error".to_owned(),
            _ => return None,
        });
    }
    if file.starts_with("gaap-client/src/generated/") {
        return Some(if stem == "waiters" {
            "gaap_client".to_owned()
        } else {
            format!("gaap_client::operation::{stem}")
        });
    }
    None
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn self_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn names_of(module: &str, file: &syn::File, out: &mut BTreeSet<String>) {
    for item in &file.items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                out.insert(format!("{module}::{} (struct)", s.ident));
                for f in &s.fields {
                    if let (true, Some(id)) = (is_pub(&f.vis), &f.ident) {
                        out.insert(format!("{module}::{}.{id}", s.ident));
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                out.insert(format!("{module}::{} (enum)", e.ident));
                for v in &e.variants {
                    out.insert(format!("{module}::{}::{}", e.ident, v.ident));
                }
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                out.insert(format!("{module}::{}()", f.sig.ident));
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                out.insert(format!("{module}::{} (const)", c.ident));
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                // Methods on the client land on `gaap_client::Client` whatever the file.
                let owner = match self_name(&i.self_ty).as_str() {
                    "Client" => "gaap_client::Client".to_owned(),
                    name => format!("{module}::{name}"),
                };
                for item in &i.items {
                    if let syn::ImplItem::Fn(f) = item
                        && is_pub(&f.vis)
                    {
                        out.insert(format!("{owner}::{}()", f.sig.ident));
                    }
                }
            }
            _ => {}
        }
    }
}

fn collect_public_names() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, text) in generate() {
        let Some(module) = module_path(&path) else {
            continue;
        };
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        names_of(&module, &file, &mut out);
    }
    out
}

#[test]
fn public_names() {
    let names = collect_public_names();
    assert!(names.len() > 5_000, "only {} names", names.len());
    insta::assert_snapshot!(names.into_iter().collect::<Vec<_>>().join("\n"));
}

/// `ValueN` only where the pages give a value no meaning.
#[test]
fn no_numbered_variant_where_the_page_gives_a_meaning() {
    let text = generate()
        .into_iter()
        .find(|(p, _)| p.ends_with("types/enums.rs"))
        .map(|(_, t)| t)
        .unwrap();
    let file = syn::parse_file(&text).unwrap();
    let mut numbered = Vec::new();
    for item in &file.items {
        let syn::Item::Enum(e) = item else { continue };
        for v in &e.variants {
            let name = v.ident.to_string();
            let number = name.strip_prefix("Value").is_some_and(|rest| {
                let rest = rest.strip_prefix("Minus").unwrap_or(rest);
                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
            });
            // A documented meaning is a doc line after the wire value: "`1`: meaning".
            let meaning = v.attrs.iter().any(|a| {
                let doc = quote::ToTokens::to_token_stream(a).to_string();
                doc.contains("`: ") || doc.contains("` : ")
            });
            if number && meaning {
                numbered.push(format!("{}::{name}", e.ident));
            }
        }
    }
    assert!(numbered.is_empty(), "name these in the lock: {numbered:?}");
}

/// The same meaning is named the same way across actions.
#[test]
fn one_meaning_one_name() {
    let lock = std::fs::read_to_string(root().join("api-specs/enum-names.lock")).unwrap();
    let mut variants: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for line in lock.lines() {
        let Some(rest) = line.strip_prefix("variant:") else {
            continue;
        };
        let (key, name) = rest.rsplit_once(" = ").unwrap();
        let (ty, wire) = key.split_once('.').unwrap();
        variants.entry(ty).or_default().insert(wire, name);
    }
    let expect = |suffixes: &[&str], names: [(&str, &str); 2]| {
        for (ty, values) in &variants {
            if suffixes.iter().any(|s| ty.ends_with(s))
                && values.keys().copied().collect::<BTreeSet<_>>() == BTreeSet::from(["0", "1"])
            {
                for (wire, name) in names {
                    assert_eq!(values.get(wire), Some(&name), "{ty}.{wire}");
                }
            }
        }
    };
    // A flag allowing a forced deletion.
    expect(&["Force"], [("0", "NotAllowed"), ("1", "Allowed")]);
    // A feature switched off or on.
    expect(
        &[
            "Switch",
            "HealthCheck",
            "Http3Supported",
            "Auth",
            "SessionPersist",
        ],
        [("0", "Disabled"), ("1", "Enabled")],
    );
    // A capability the region or service lacks or has.
    expect(
        &["FeatureBitmap", "TlsChoice"],
        [("0", "NotSupported"), ("1", "Supported")],
    );
}
