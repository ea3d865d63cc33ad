//! The README's lists of stateful and example-answering actions match the code and the IR.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

fn listed(readme: &str, section: &str) -> BTreeSet<String> {
    let start = readme.find(&format!("<!-- {section}:start -->")).unwrap();
    let end = readme.find(&format!("<!-- {section}:end -->")).unwrap();
    readme[start..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn readme_lists_every_action_in_the_right_section() {
    let readme = include_str!("../README.md");
    let ir: serde_json::Value =
        serde_json::from_str(include_str!("../../api-specs/gaap.json")).unwrap();
    let all: BTreeSet<String> = ir["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    let stateful: BTreeSet<String> = gaap_mock::STATEFUL_ACTIONS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert!(stateful.is_subset(&all));
    assert_eq!(listed(readme, "stateful"), stateful);
    assert_eq!(
        listed(readme, "examples"),
        all.difference(&stateful).cloned().collect()
    );
}
