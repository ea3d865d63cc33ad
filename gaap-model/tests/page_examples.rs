//! Every example of every page, checked by the generated code itself: the request through
//! the same validator `build()` and the client run (`server::violations`), the response
//! through the typed response. What the validator says of each request is the snapshot
//! (`snapshots/page_examples__requests.snap`), so a page whose own example breaks one of
//! its rules shows which, and a change in what the validator says is a reviewed diff.
#![cfg(feature = "server")]
#![allow(clippy::panic)]

use std::fmt::Write as _;

use gaap_model::server;

fn ir() -> gaap_ir::Ir {
    let text = include_str!("../../api-specs/gaap.json");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("api-specs/gaap.json: {e}"))
}

#[test]
fn every_response_example_decodes_into_its_typed_response() {
    let ir = ir();
    let mut failures = Vec::new();
    let mut checked = 0;
    for action in &ir.actions {
        for (i, example) in action.examples.iter().enumerate() {
            let outcome = server::check_response(&action.name, &example.response)
                .unwrap_or_else(|| panic!("{} has no dispatch", action.name));
            checked += 1;
            if let Err(e) = outcome {
                failures.push(format!("{} example {}: {e}", action.name, i + 1));
            }
        }
    }
    assert!(checked > 150, "only {checked} examples");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn requests() {
    let ir = ir();
    let mut report = String::new();
    for action in &ir.actions {
        for (i, example) in action.examples.iter().enumerate() {
            let outcome = server::violations(&action.name, &example.request)
                .unwrap_or_else(|| panic!("{} has no dispatch", action.name));
            let verdict = match outcome {
                Ok(violations) if violations.is_empty() => "valid".to_owned(),
                Ok(violations) => violations
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                Err(rejection) => format!("{}: {}", rejection.code, rejection.message),
            };
            let _ = writeln!(report, "{} example {}: {verdict}", action.name, i + 1);
        }
    }
    insta::assert_snapshot!(report);
}
