//! The user story as a test: drop a new doc page into `api-specs/` of a copy of the
//! workspace, run `cargo xtask regenerate` there, and the new action is a typed, compiling
//! method on the client.
//!
//! The copy and its target directory live under `CARGO_TARGET_TMPDIR` at fixed paths, so
//! reruns are incremental. Set `GAAP_SKIP_DROP_IN=1` to skip it (it runs cargo twice).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Top-level entries of the workspace that the copy needs.
const ENTRIES: &[&str] = &[
    ".cargo",
    "Cargo.toml",
    "Cargo.lock",
    "clippy.toml",
    "api-specs",
    "codegen",
    "gaap-ir",
    "gaap-wire",
    "gaap-client",
    "gaap-mock",
    "gaap-model",
    "xtask",
];

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            copy_tree(&entry.path(), &to.join(name));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

fn cargo(root: &Path, target: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_new_page_becomes_a_typed_client_method() {
    if std::env::var_os("GAAP_SKIP_DROP_IN").is_some() {
        eprintln!("GAAP_SKIP_DROP_IN is set: skipping the drop-in test");
        return;
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drop-in");
    let root = scratch.join("workspace");
    let target = scratch.join("target");
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    for entry in ENTRIES {
        let from = workspace.join(entry);
        if from.exists() {
            copy_tree(&from, &root.join(entry));
        }
    }
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/DescribeListenerQuota.txt");
    let model = root.join("gaap-model/src/generated/operation/describe_listener_quota.rs");
    let client = root.join("gaap-client/src/generated/describe_listener_quota.rs");
    assert!(
        !model.exists() && !client.exists(),
        "the action must be new"
    );
    // First the mainland site's page alone (Chinese, as crawled: no section headings),
    // dropped anywhere under api-specs/.
    let zh_page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/DescribeListenerQuota.md");
    std::fs::copy(
        &zh_page,
        root.join("api-specs/mainland/DescribeListenerQuota.md"),
    )
    .unwrap();
    cargo(&root, &target, &["--offline", "xtask", "regenerate"]);
    let zh_model = std::fs::read_to_string(&model).unwrap();
    for item in [
        "pub struct DescribeListenerQuotaRequest {",
        "/// 本接口（DescribeListenerQuota）用于查询通道上某协议的监听器还可创建多少个。",
        codegen::docs::MAINLAND_ONLY,
        "\"TCP\",",
    ] {
        assert!(
            zh_model.contains(item),
            "the Chinese page alone: model lacks {item}"
        );
    }
    let zh_client = std::fs::read_to_string(&client).unwrap();
    assert!(zh_client.contains("pub fn describe_listener_quota(&self)"));

    // Then the international site's page too: the same action, documented in both languages.
    std::fs::copy(page, root.join("api-specs/DescribeListenerQuota.txt")).unwrap();
    cargo(&root, &target, &["--offline", "xtask", "regenerate"]);

    let model = std::fs::read_to_string(model).unwrap();
    for item in [
        "pub struct DescribeListenerQuotaRequest {",
        "/// This API (DescribeListenerQuota) is used to query how many more listeners",
        "/// 中文（中国站）：",
        "pub struct DescribeListenerQuotaResponse {",
        "pub enum DescribeListenerQuotaError {",
        "FailedOperationProxyStatusNotInRuning(crate::ErrorMetadata)",
        "\"Reserve\",",
        "const RATE_LIMIT_PER_SECOND: ::std::option::Option<u32> = ::std::option::Option::Some(",
        // A new read is classified safe to retry without anyone editing a list.
        "const IDEMPOTENCY: crate::Idempotency = crate::Idempotency::ReadOnly;",
    ] {
        assert!(model.contains(item), "model lacks {item}");
    }
    let enums =
        std::fs::read_to_string(root.join("gaap-model/src/generated/types/enums.rs")).unwrap();
    assert!(enums.contains("pub enum DescribeListenerQuotaProtocol {"));
    let client = std::fs::read_to_string(client).unwrap();
    assert!(
        client.contains("pub fn describe_listener_quota(&self) -> DescribeListenerQuotaFluent")
    );
    let index = std::fs::read_to_string(root.join("gaap-client/src/generated/mod.rs")).unwrap();
    assert!(index.contains("pub mod describe_listener_quota;"));
    let ir = std::fs::read_to_string(root.join("api-specs/gaap.json")).unwrap();
    assert!(ir.contains("\"name\": \"DescribeListenerQuota\""));

    // The new method is usable: a program calling it type-checks against the new crate.
    std::fs::create_dir_all(root.join("gaap-client/examples")).unwrap();
    std::fs::write(
        root.join("gaap-client/examples/quota.rs"),
        r#"
async fn quota(client: gaap_client::Client) -> Option<i64> {
    let out: gaap_client::operation::describe_listener_quota::DescribeListenerQuotaResponse = client
        .describe_listener_quota()
        .proxy_id("link-1")
        .protocol(gaap_client::types::DescribeListenerQuotaProtocol::Tcp)
        .reserve(2)
        .send()
        .await
        .ok()?;
    out.remaining_quota
}
fn main() {
    let _ = quota;
}
"#,
    )
    .unwrap();
    cargo(
        &root,
        &target,
        &[
            "--offline",
            "check",
            "-p",
            "gaap-client",
            "--example",
            "quota",
        ],
    );
}
