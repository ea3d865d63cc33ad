//! The waiters table (`api-specs/waiters.toml`) against the IR: the checked-in table passes,
//! and each kind of mistake a reviewer could miss is refused with the waiter's name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn ir() -> codegen::ir::Ir {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/gaap.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn table() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/waiters.toml");
    std::fs::read_to_string(path).unwrap()
}

fn check(text: &str) -> Result<(), String> {
    let waiters = codegen::waiters::parse(text).map_err(|e| e.to_string())?;
    codegen::waiters::check(&ir(), &waiters).map_err(|e| e.to_string())
}

const RUNNING: &str = r#"
[[waiter]]
name = "proxy_running"
doc = "d"
action = "DescribeProxies"
inputs = { proxy_id = "ProxyIds" }
status = "ProxySet[0].Status"
success = ["RUNNING"]
failure = ["DESTROYING", "CLOSING", "CLOSED", "ISOLATING", "ISOLATED"]
waiting = ["CREATING", "OPENING", "ADJUSTING", "CLONING", "RECOVERING", "MOVING"]
absent_codes = ["ResourceNotFound"]
"#;

#[test]
fn the_checked_in_table_holds_and_declares_the_waiters() {
    check(&table()).unwrap();
    let names: Vec<String> = codegen::waiters::parse(&table())
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    for name in [
        "proxy_running",
        "proxy_closed",
        "proxy_deleted",
        "proxy_group_running",
        "tcp_listener_running",
        "udp_listener_running",
        "http_listener_running",
        "https_listener_running",
        "task_done",
        "rule_running",
        "domain_running",
        "security_policy_bound",
        "global_dns_running",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} missing");
    }
    check(RUNNING).unwrap();
}

/// An argument that selects a list element by an integer field is an `i64`: it cannot also
/// fill a text input.
#[test]
fn an_integer_selector_cannot_be_a_text_input() {
    let dns = r#"
[[waiter]]
name = "global_dns_running"
doc = "d"
action = "DescribeGlobalDomainDns"
inputs = { domain_id = "DomainId" }
status = "GlobalDnsList[DnsRecordId=$dns_record_id].Status"
success = [1]
failure = [4]
waiting = [2, 3]
absent_codes = ["ResourceNotFound"]
"#;
    check(dns).unwrap();
    let clash = dns.replace("$dns_record_id", "$domain_id");
    let e = check(&clash).unwrap_err();
    assert!(e.contains("integer field"), "{e}");
}

#[test]
fn mistakes_are_refused() {
    let cases = [
        // A documented value left unclassified.
        (RUNNING.replace(", \"MOVING\"", ""), "documented"),
        // A value the page does not document.
        (
            RUNNING.replace("\"RUNNING\"]", "\"RUNNING\", \"READY\"]"),
            "documented",
        ),
        // A value classified twice.
        (
            RUNNING.replace("\"CLOSED\",", "\"CLOSED\", \"RUNNING\","),
            "twice",
        ),
        // A path that does not exist, or indexes a non-list.
        (
            RUNNING.replace("ProxySet[0].Status", "ProxySet[0].State"),
            "not a field",
        ),
        (
            RUNNING.replace("ProxySet[0].Status", "TotalCount[0]"),
            "not a list",
        ),
        // An input the action does not take, an unknown action, an unknown code.
        (
            RUNNING.replace("\"ProxyIds\"", "\"ProxyId\""),
            "takes no input",
        ),
        (
            RUNNING.replace("\"DescribeProxies\"", "\"DescribeProxy\""),
            "no action",
        ),
        (
            RUNNING.replace("\"ResourceNotFound\"", "\"ResourceNotThere\""),
            "not an error code",
        ),
        // A required input not filled (DescribeProxyGroupDetails requires GroupId).
        (
            RUNNING
                .replace("\"DescribeProxies\"", "\"DescribeProxyGroupDetails\"")
                .replace("{ proxy_id = \"ProxyIds\" }", "{}"),
            "requires",
        ),
        // Nothing ends the wait.
        (
            RUNNING
                .replace("success = [\"RUNNING\"]", "success = []")
                .replace("waiting = [", "waiting = [\"RUNNING\", "),
            "successfully",
        ),
    ];
    for (text, expected) in cases {
        let error = check(&text).unwrap_err();
        assert!(error.contains(expected), "{expected}: {error}");
        assert!(
            error.contains("proxy_running") || error.contains("waiter"),
            "{error}"
        );
    }
    // Selecting a list element by a field: the field must be a string of the elements.
    let domain = r#"
[[waiter]]
name = "domain_running"
doc = "d"
action = "DescribeRules"
inputs = { listener_id = "ListenerId" }
status = "DomainRuleSet[Domain=$domain].DomainStatus"
success = [0]
failure = [2]
waiting = [1]
"#;
    check(domain).unwrap();
    let waiters = codegen::waiters::parse(domain).unwrap();
    assert_eq!(waiters[0].args(), ["listener_id", "domain"]);
    for (bad, expected) in [
        ("[Domain=$domain]", "[Nope=$domain]"),
        ("[Domain=$domain]", "[Domain]"),
        ("[Domain=$domain]", "[Domain=$Bad]"),
        ("[Domain=$domain]", "[Domain=$domain"),
    ] {
        let text = domain.replace(bad, expected);
        assert!(check(&text).is_err(), "{expected} accepted");
    }

    // Without an enum, every value must be named in the description (DescribeTaskStatus).
    let task = r#"
[[waiter]]
name = "task_done"
doc = "d"
action = "DescribeTaskStatus"
inputs = { task_id = "TaskId" }
status = "Status"
success = ["SUCCESS", "DONE"]
"#;
    assert!(check(task).unwrap_err().contains("`DONE` is not named"));
}
