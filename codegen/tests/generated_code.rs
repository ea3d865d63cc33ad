//! Snapshots of the rendered code of representative actions, the naming golden table,
//! and determinism, all over the checked-in IR (`api-specs/gaap.json`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn ir() -> codegen::ir::Ir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/gaap.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The checked-in enum names lock.
fn lock() -> codegen::names::EnumNames {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/enum-names.lock");
    codegen::names::EnumNames::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The code as `cargo xtask regenerate` writes it: enum names pinned by the lock.
fn generate(ir: &codegen::ir::Ir) -> std::collections::BTreeMap<PathBuf, String> {
    codegen::generate_pinned(ir, &mut lock()).unwrap()
}

/// Every enum-typed parameter is in the lock and keeps its pinned name: a change of the
/// sharing rules or a new page cannot rename a public enum without a reviewed edit of
/// `api-specs/enum-names.lock`.
#[test]
fn enum_names_follow_the_lock() {
    let pinned = lock();
    let mut pins = pinned.clone();
    codegen::generate_pinned(&ir(), &mut pins).unwrap();
    assert_eq!(pins.render(), pinned.render());
    // Without the lock, the rules alone would rename some (the reason it exists).
    let mut unpinned = codegen::names::EnumNames::default();
    codegen::generate_pinned(&ir(), &mut unpinned).unwrap();
    assert_ne!(unpinned.render(), pinned.render());
}

fn file(files: &std::collections::BTreeMap<PathBuf, String>, path: &str) -> String {
    files
        .get(Path::new(path))
        .cloned()
        .unwrap_or_else(|| panic!("{path} not generated"))
}

/// The seed actions (an integer enum, a range, `less_than`, exactly-one-of, a deprecated
/// input, an idempotency token) and one with a list of structs.
#[test]
fn representative_actions() {
    let files = generate(&ir());
    for module in [
        "create_tcp_listeners",
        "delete_listeners",
        "destroy_proxies",
        "bind_listener_real_servers",
    ] {
        insta::assert_snapshot!(
            format!("model_{module}"),
            file(
                &files,
                &format!("gaap-model/src/generated/operation/{module}.rs")
            )
        );
        insta::assert_snapshot!(
            format!("client_{module}"),
            file(&files, &format!("gaap-client/src/generated/{module}.rs"))
        );
    }
}

#[test]
fn naming_golden_table() {
    insta::assert_snapshot!(codegen::naming::table(&ir()));
}

#[test]
fn output_is_deterministic_and_headed() {
    let ir = ir();
    let a = generate(&ir);
    let b = generate(&ir);
    assert_eq!(a, b);
    for (path, text) in &a {
        assert!(
            text.starts_with(codegen::render::HEADER),
            "{}",
            path.display()
        );
        assert!(
            text.ends_with('\n') && !text.contains('\r'),
            "{}",
            path.display()
        );
        assert!(
            !text.lines().any(|l| l.ends_with(' ')),
            "{}",
            path.display()
        );
    }
}

#[test]
fn every_action_has_its_files() {
    let ir = ir();
    let files = generate(&ir);
    assert_eq!(ir.actions.len(), 102);
    for a in &ir.actions {
        let module = codegen::naming::snake(&a.name);
        let model = file(
            &files,
            &format!("gaap-model/src/generated/operation/{module}.rs"),
        );
        let client = file(&files, &format!("gaap-client/src/generated/{module}.rs"));
        assert!(model.contains(&format!(
            "pub struct {} {{",
            codegen::naming::request(&a.name)
        )));
        assert!(model.contains(&format!("pub enum {} {{", codegen::naming::error(&a.name))));
        assert!(client.contains(&format!("pub fn {}(", codegen::naming::method(&a.name))));
    }
}

#[test]
fn undefined_struct_is_an_error_not_a_panic() {
    let mut ir = ir();
    ir.actions[0].input[0].ty = codegen::ir::Type::Struct("NoSuchStruct".into());
    let err = codegen::generate(&ir).unwrap_err();
    assert!(err.to_string().contains("NoSuchStruct"), "{err}");
}

/// Every action's retry classification: reads by name prefix, the `ClientToken` writes, and
/// every other write not safe to repeat (the override list is empty today).
#[test]
fn retry_safety_classification() {
    use codegen::safety::{Classification, classify};
    let ir = ir();
    let mut reads = 0;
    let mut token_writes = Vec::new();
    let mut other_writes = 0;
    for a in &ir.actions {
        match classify(a) {
            Classification::ReadOnly => {
                assert!(
                    codegen::safety::READ_PREFIXES
                        .iter()
                        .any(|p| a.name.starts_with(p)),
                    "{}",
                    a.name
                );
                reads += 1;
            }
            Classification::ClientToken => token_writes.push(a.name.as_str()),
            Classification::Idempotent => panic!("{} is declared idempotent", a.name),
            Classification::NotIdempotent => other_writes += 1,
        }
    }
    assert_eq!(
        token_writes,
        [
            "CloseProxies",
            "CreateProxy",
            "DestroyProxies",
            "ModifyProxiesAttribute",
            "ModifyProxiesProject",
            "ModifyProxyConfiguration",
            "OpenProxies",
        ]
    );
    assert_eq!((reads, other_writes), (43, 52));
    assert!(codegen::safety::OVERRIDES.is_empty());
}

/// A lock that pins one name on two enums whose values differ cannot be honoured without
/// renaming one of them: generation stops and says so, naming both.
#[test]
fn a_pinned_name_that_cannot_be_honoured_is_an_error() {
    let text = lock().render().replace(
        "input:DestroyProxies.Force = DestroyProxiesForce",
        "input:DestroyProxies.Force = Scheduler",
    );
    let mut pins = codegen::names::EnumNames::parse(&text).unwrap();
    let err = codegen::generate_pinned(&ir(), &mut pins)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`Scheduler` is pinned"), "{err}");
    assert!(err.contains("DestroyProxies.Force"), "{err}");
}

/// `codegen::errors::ALSO_COMMON` is exactly the set of codes the Common Error Codes page
/// does not list but at least 90% of the action pages do (a new page that changes this
/// needs a reviewed edit of the list, since it moves variants between enums).
#[test]
fn shared_codes_are_the_ones_nearly_every_page_lists() {
    let ir = ir();
    let common: std::collections::BTreeSet<&str> =
        ir.common_errors.iter().map(|e| e.code.as_str()).collect();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for a in &ir.actions {
        for e in &a.errors {
            if !common.contains(e.code.as_str()) {
                *counts.entry(e.code.as_str()).or_default() += 1;
            }
        }
    }
    let shared: Vec<&str> = counts
        .into_iter()
        .filter(|(_, n)| *n * 10 >= ir.actions.len() * 9)
        .map(|(code, _)| code)
        .collect();
    assert_eq!(shared, codegen::errors::ALSO_COMMON);
}
