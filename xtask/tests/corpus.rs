//! The whole `api-specs/` corpus parses cleanly and completely.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::ir::{Ir, Param, Type};
use xtask::parse;

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-specs")
}

fn corpus() -> Ir {
    let parsed =
        parse::parse_paths(&[specs()]).unwrap_or_else(|failure| panic!("{:#?}", failure.errors));
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    parsed.ir
}

fn struct_refs(ty: &Type, out: &mut BTreeSet<String>) {
    match ty {
        Type::Struct(name) => {
            out.insert(name.clone());
        }
        Type::Array(element) => struct_refs(element, out),
        _ => {}
    }
}

/// Counts the rows of a plain-text page's table in section `number` by an independent
/// rule: lines whose second (or third) word is a type, between the header and a blank line.
fn page_action_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(specs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name != "DataTypes.txt" && name != "CommonErrorCodes.txt"
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_action_is_present_and_complete() {
    let ir = corpus();
    assert_eq!(ir.service, "gaap");
    assert_eq!(ir.version, "2018-05-29");
    assert_eq!(ir.domain, "gaap.tencentcloudapi.com");
    let files = page_action_files();
    assert_eq!(files.len(), 88);
    assert_eq!(ir.actions.len(), 88);
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let action = ir
            .actions
            .iter()
            .find(|a| a.name == stem)
            .unwrap_or_else(|| panic!("{stem} missing"));
        assert_eq!(action.source, format!("{stem}.txt"));
        assert!(!action.description.is_empty(), "{stem}: description");
        assert_eq!(action.rate_limit_per_second, Some(20), "{stem}");
        // Every documented row is there: the page's rows minus Action/Version/Region and
        // RequestId, counted here by a different rule (lines between the header and the
        // next blank line that start a row).
        let section = |from: &str, to: &str| -> Vec<String> {
            let start = text.find(from).unwrap() + from.len();
            let end = text[start..].find(to).map_or(text.len(), |i| start + i);
            text[start..end].lines().map(str::to_owned).collect()
        };
        let input_rows = section("\n2. Input Parameters\n", "\n3. Output Parameters\n")
            .iter()
            .filter(|l| {
                let w: Vec<&str> = l.split(' ').collect();
                w.len() > 2 && (w[1] == "Yes" || w[1] == "No") && !w[0].contains('-')
            })
            .count();
        assert_eq!(action.input.len(), input_rows - 3, "{stem}: inputs");
        let output_section = section("\n3. Output Parameters\n", "\n4. Example\n");
        assert!(
            output_section
                .iter()
                .any(|l| l.starts_with("RequestId String")),
            "{stem}"
        );
        let error_rows = section("\n6. Error Code\n", "\nContact Us")
            .iter()
            .filter(|l| xtask::parse::table::is_error_code(l.split(' ').next().unwrap_or("")))
            .count();
        assert_eq!(action.errors.len(), error_rows, "{stem}: errors");
        assert!(!action.errors.is_empty(), "{stem}: errors");
        assert!(!action.examples.is_empty(), "{stem}: examples");
        for example in &action.examples {
            assert!(example.request.is_object(), "{stem}: {}", example.title);
            assert!(
                example.response.get("RequestId").is_some(),
                "{stem}: {}",
                example.title
            );
        }
        assert!(action.input.iter().all(|p| !p.name.ends_with(".N")));
    }
}

#[test]
fn every_referenced_struct_is_defined() {
    let ir = corpus();
    let defined: BTreeSet<String> = ir.structs.iter().map(|s| s.name.clone()).collect();
    assert_eq!(defined.len(), 43);
    let mut referenced = BTreeSet::new();
    let params = ir
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(ir.structs.iter().flat_map(|s| &s.fields));
    for param in params {
        struct_refs(&param.ty, &mut referenced);
    }
    assert!(!referenced.is_empty());
    let missing: Vec<_> = referenced.difference(&defined).collect();
    assert!(missing.is_empty(), "{missing:?}");
    for s in &ir.structs {
        assert!(!s.fields.is_empty(), "{}", s.name);
        assert!(!s.used_by.is_empty(), "{}", s.name);
    }
}

#[test]
fn lists_are_sorted_and_common_errors_read() {
    let ir = corpus();
    assert!(ir.actions.windows(2).all(|w| w[0].name < w[1].name));
    assert!(ir.structs.windows(2).all(|w| w[0].name < w[1].name));
    assert!(ir.common_errors.windows(2).all(|w| w[0].code < w[1].code));
    assert_eq!(ir.common_errors.len(), 38);
    assert!(
        ir.common_errors
            .iter()
            .any(|e| e.code == "AuthFailure.SignatureFailure")
    );
}

#[test]
fn prose_becomes_data_across_the_corpus() {
    let ir = corpus();
    let params: Vec<&Param> = ir
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(ir.structs.iter().flat_map(|s| &s.fields))
        .collect();
    let count = |f: &dyn Fn(&Param) -> bool| params.iter().filter(|p| f(p)).count();
    assert!(count(&|p| p.constraints.enum_values.is_some()) >= 100);
    assert!(count(&|p| p.constraints.range.is_some()) >= 20);
    assert!(count(&|p| p.constraints.max_length.is_some()) >= 10);
    assert!(count(&|p| p.nullable) >= 100);
    assert!(count(&|p| p.constraints.deprecated.is_some()) >= 10);
    // A struct field reads the same rules: nullable and enumerated status values.
    let proxy_info = ir.structs.iter().find(|s| s.name == "ProxyInfo").unwrap();
    let status = proxy_info
        .fields
        .iter()
        .find(|f| f.name == "Status")
        .unwrap();
    assert!(status.constraints.enum_values.as_ref().unwrap().len() >= 10);
    // Query-string examples are folded into nested JSON with typed values.
    let describe = ir
        .actions
        .iter()
        .find(|a| a.name == "DescribeProxies")
        .unwrap();
    assert_eq!(
        describe.examples[0].request,
        serde_json::json!({"Offset": 0, "Limit": 1, "Filters": [{"Name": "AccessRegion", "Values": ["ap-hongkong"]}]})
    );
}
