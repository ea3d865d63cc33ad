//! Bad and partial pages: errors naming file and line, warnings naming what is missing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use xtask::parse::{self, Failure, Parsed, Source};

fn seed_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(path).unwrap()
}

fn parse_one(name: &str, text: &str) -> Result<Parsed, Failure> {
    parse::parse_sources(&[Source { name, text }])
}

#[test]
fn not_an_api_page_is_an_error_with_file_and_line() {
    let failure = parse_one("notes.txt", "\n\nShopping list\neggs, milk\n").unwrap_err();
    assert_eq!(failure.errors.len(), 1);
    let error = &failure.errors[0];
    assert_eq!(error.file, "notes.txt");
    assert_eq!(error.line, 3);
    assert!(
        error.message.contains("not an API page"),
        "{}",
        error.message
    );
    assert!(error.to_string().starts_with("error: notes.txt:3: "));
}

#[test]
fn page_without_action_name_is_an_error() {
    let text = seed_text("DestroyProxies")
        .replacen("DestroyProxies\n", "\n", 1)
        .replace(
            "Action Yes String Common parameter. The value used for this API: DestroyProxies.\n",
            "",
        );
    let failure = parse_one("x.txt", &text).unwrap_err();
    assert!(
        failure.errors[0].message.contains("no action name"),
        "{:?}",
        failure.errors
    );
    assert!(failure.errors[0].line > 0);
}

#[test]
fn page_without_input_table_is_an_error() {
    let text = seed_text("DestroyProxies");
    let start = text.find("Parameter Name Required").unwrap();
    let end = text.find("3. Output Parameters").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..]);
    let failure = parse_one("x.txt", &text).unwrap_err();
    let error = &failure.errors[0];
    assert!(error.message.contains("no input parameters"), "{error}");
    assert_eq!(
        error.line,
        text.lines()
            .position(|l| l == "2. Input Parameters")
            .unwrap()
            + 1
    );
}

#[test]
fn unknown_struct_names_the_field_and_page() {
    let text = seed_text("CreateTCPListeners").replace(
        "RealServerPorts.N No Array of Integer",
        "RealServerPorts.N No Array of PortSpec",
    );
    let failure = parse_one("CreateTCPListeners.txt", &text).unwrap_err();
    let error = &failure.errors[0];
    assert_eq!(error.file, "CreateTCPListeners.txt");
    assert!(
        error.message.contains("RealServerPorts.N") && error.message.contains("PortSpec"),
        "{error}"
    );
    assert_eq!(
        error.line,
        text.lines()
            .position(|l| l.starts_with("RealServerPorts.N"))
            .unwrap()
            + 1
    );
}

#[test]
fn truncated_page_warns_and_keeps_what_is_there() {
    let text = seed_text("CreateTCPListeners");
    let cut = text.find("ConnectTimeout No Integer").unwrap();
    let parsed = parse_one("cut.txt", &text[..cut]).unwrap();
    let messages: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    for missing in ["output parameters", "examples", "error codes"] {
        assert!(
            messages.iter().any(|m| m.contains(missing)),
            "{missing}: {messages:?}"
        );
    }
    let action = &parsed.ir.actions[0];
    assert_eq!(action.input.last().unwrap().name, "DelayLoop");
    assert!(action.output.is_empty() && action.examples.is_empty() && action.errors.is_empty());
}

#[test]
fn page_cut_inside_the_examples_warns() {
    let text = seed_text("CreateTCPListeners");
    let cut = text.find("\"ListenerIds\": [").unwrap();
    let parsed = parse_one("cut.txt", &text[..cut]).unwrap();
    let messages: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(|m| m.contains("cut off")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("no output example")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("error codes")),
        "{messages:?}"
    );
}

#[test]
fn output_table_cut_short_warns() {
    let text = seed_text("CreateTCPListeners").replace(
        "RequestId String The unique request ID, which is returned for each request. RequestId is required for locating a problem.\n",
        "",
    );
    let parsed = parse_one("x.txt", &text).unwrap();
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.message.contains("RequestId"))
    );
}

#[test]
fn cli_exits_non_zero_and_prints_nothing_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.txt");
    std::fs::write(&page, "hello\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("parse")
        .arg(&page)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.txt:1: not an API page"), "{stderr}");
}

#[test]
fn cli_parses_a_seed() {
    let page =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/DestroyProxies.txt");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("parse")
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ir: gaap_ir::Ir = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(ir.actions[0].name, "DestroyProxies");
    assert!(output.stdout.ends_with(b"}\n"));
}

#[test]
fn cli_without_arguments_lists_the_tasks() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("parse") && stdout.contains("regenerate"),
        "{stdout}"
    );
}

#[test]
fn a_page_of_another_api_version_or_service_is_an_error_naming_it() {
    let tcp = seed_text("CreateTCPListeners");
    let destroy = seed_text("DestroyProxies");
    let delete = seed_text("DeleteListeners");
    let parse = |odd: &str| {
        parse::parse_sources(&[
            Source {
                name: "CreateTCPListeners.txt",
                text: &tcp,
            },
            Source {
                name: "DestroyProxies.txt",
                text: &destroy,
            },
            Source {
                name: "Odd.txt",
                text: odd,
            },
        ])
    };
    assert!(parse(&delete).is_ok());
    let other_version = delete.replace(
        "The value used for this API: 2018-05-29",
        "The value used for this API: 2019-11-11",
    );
    assert_ne!(other_version, delete);
    let failure = parse(&other_version).unwrap_err();
    let error = &failure.errors[0];
    assert_eq!(error.file, "Odd.txt");
    assert!(error.message.contains("API version 2019-11-11"), "{error}");
    let other_service = delete.replace("gaap.tencentcloudapi.com", "cvm.tencentcloudapi.com");
    assert_ne!(other_service, delete);
    let failure = parse(&other_service).unwrap_err();
    assert!(
        failure.errors[0]
            .message
            .contains("another service (cvm.tencentcloudapi.com)"),
        "{:?}",
        failure.errors
    );
}
