//! The `api-specs/` corpus parses cleanly and completely: the international site's English
//! pages on their own (row by row against the page text), and both sites merged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use gaap_ir::{Ir, Param, Type};
use xtask::parse;

fn all_specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-specs")
}

/// The international site's (English) pages.
fn specs() -> PathBuf {
    all_specs().join("international")
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

/// Where the two sites' pages differ in a way the parser reports (and settles) rather than
/// refuses: each one reviewed against both pages.
const REVIEWED_SITE_DIFFERENCES: &[&str] = &[
    // The mainland pages document more values, or spell them in capitals.
    "`Status` of struct ProxyGroupInfo: the set of values",
    "`PackageType` of struct ProxyInfo: the set of values",
    "`ServerNameIndicationSwitch` of action CreateRule: the set of values",
    "`CertificateType` of action DescribeCertificates: the set of values",
    "`MetricNames` of action DescribeProxyStatistics: the set of values",
    // 30 characters on the international page, 32 on the mainland page.
    "`ProxyName` of action ModifyProxiesAttribute: the maximum length",
];

#[test]
fn both_sites_merge_into_one_api() {
    let parsed = parse::parse_paths(&[all_specs()])
        .unwrap_or_else(|failure| panic!("{:#?}", failure.errors));
    assert!(
        parsed.disagreements.is_empty(),
        "{:#?}",
        parsed.disagreements
    );
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages.len(),
        REVIEWED_SITE_DIFFERENCES.len(),
        "{messages:#?}"
    );
    for reviewed in REVIEWED_SITE_DIFFERENCES {
        assert!(
            messages.iter().any(|m| m.starts_with(reviewed)),
            "{reviewed}: {messages:#?}"
        );
    }
    let ir = parsed.ir;
    assert_eq!(ir.actions.len(), 102);
    assert_eq!(ir.structs.len(), 46);
    assert_eq!(ir.common_errors.len(), 38);
    let english = corpus();
    for action in &ir.actions {
        let shared = english.actions.iter().find(|a| a.name == action.name);
        let zh = action.description_zh.as_deref();
        match shared {
            // Both sites: the English text, the Chinese text beside it.
            Some(en) => {
                assert_eq!(action.description, en.description, "{}", action.name);
                assert!(
                    zh.is_some_and(|zh| zh != action.description),
                    "{}",
                    action.name
                );
                for p in &en.input {
                    assert!(action.input.iter().any(|q| q.name == p.name), "{}", p.name);
                }
            }
            // Mainland only: the Chinese text is the description.
            None => assert_eq!(zh, Some(action.description.as_str()), "{}", action.name),
        }
    }
    // Mainland-only parameters of shared actions are there.
    let input = |action: &str, param: &str| {
        ir.actions
            .iter()
            .find(|a| a.name == action)
            .and_then(|a| a.input.iter().find(|p| p.name == param))
            .unwrap_or_else(|| panic!("{action}.{param}"))
            .clone()
    };
    assert!(
        input("CreateDomain", "IsDefaultServer")
            .description_zh
            .is_some()
    );
    assert!(input("DescribeCustomHeader", "RuleId").required);
    input("DescribeDestRegions", "QualityType");
    input("SetAuthentication", "TLSSupportVersion");
    // The page trusted in trusted-pages.txt settles the one required-flag disagreement.
    assert!(input("DeleteProxyGroup", "GroupId").required);
}

#[test]
fn a_required_flag_disagreement_is_refused_unless_a_page_is_trusted() {
    let dir = std::env::temp_dir().join(format!("gaap-trust-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("en")).unwrap();
    std::fs::create_dir_all(dir.join("zh")).unwrap();
    for (from, to) in [
        (
            "international/DeleteProxyGroup.txt",
            "en/DeleteProxyGroup.txt",
        ),
        ("mainland/DeleteProxyGroup.md", "zh/DeleteProxyGroup.md"),
    ] {
        std::fs::copy(all_specs().join(from), dir.join(to)).unwrap();
    }
    let parsed = parse::parse_paths(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(parsed.disagreements.len(), 1, "{:#?}", parsed.disagreements);
    let message = parsed.disagreements[0].to_string();
    assert!(
        message.contains("en/DeleteProxyGroup.txt:29:")
            && message.contains("zh/DeleteProxyGroup.md:30")
            && message.contains("required"),
        "{message}"
    );
    std::fs::write(dir.join(parse::TRUSTED_PAGES), "zh/DeleteProxyGroup.md\n").unwrap();
    let trusted = parse::parse_paths(std::slice::from_ref(&dir)).unwrap();
    assert!(trusted.disagreements.is_empty());
    let group = &trusted.ir.actions[0].input[0];
    assert_eq!(group.name, "GroupId");
    assert!(group.required, "the trusted mainland page wins");
    std::fs::write(dir.join(parse::TRUSTED_PAGES), "zh/Nowhere.md\n").unwrap();
    let failure = parse::parse_paths(std::slice::from_ref(&dir)).unwrap_err();
    assert!(failure.errors[0].message.contains("names no page"));
    let _ = std::fs::remove_dir_all(&dir);
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
