//! The three seed pages: IR snapshots, and the constraints their prose states.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use gaap_ir::{Action, ActionConstraint, EnumLiteral, Ir, Param, Range};
use xtask::parse::{self, Source};

fn seed(name: &str) -> Ir {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let file = format!("{name}.txt");
    let parsed = parse::parse_sources(&[Source {
        name: &file,
        text: &text,
    }])
    .unwrap_or_else(|failure| panic!("{name}: {:?}", failure.errors));
    assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
    parsed.ir
}

fn action(ir: &Ir) -> &Action {
    assert_eq!(ir.actions.len(), 1);
    &ir.actions[0]
}

fn input<'a>(action: &'a Action, name: &str) -> &'a Param {
    action
        .input
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no input {name}"))
}

fn range(min: i64, max: i64) -> Option<Range> {
    Some(Range {
        min: Some(min.into()),
        max: Some(max.into()),
    })
}

fn enum_values(param: &Param) -> Vec<EnumLiteral> {
    param
        .constraints
        .enum_values
        .iter()
        .flatten()
        .map(|v| v.value.clone())
        .collect()
}

fn strings(values: &[&str]) -> Vec<EnumLiteral> {
    values
        .iter()
        .map(|v| EnumLiteral::String((*v).to_owned()))
        .collect()
}

#[test]
fn snapshot_create_tcp_listeners() {
    insta::assert_json_snapshot!(seed("CreateTCPListeners"));
}

#[test]
fn snapshot_delete_listeners() {
    insta::assert_json_snapshot!(seed("DeleteListeners"));
}

#[test]
fn snapshot_destroy_proxies() {
    insta::assert_json_snapshot!(seed("DestroyProxies"));
}

#[test]
fn service_facts_come_from_the_pages() {
    let ir = seed("CreateTCPListeners");
    assert_eq!(ir.service, "gaap");
    assert_eq!(ir.version, "2018-05-29");
    assert_eq!(ir.domain, "gaap.tencentcloudapi.com");
    let names: Vec<_> = action(&ir).input.iter().map(|p| p.name.as_str()).collect();
    assert!(
        !names.contains(&"Action") && !names.contains(&"Version") && !names.contains(&"Region")
    );
    assert!(action(&ir).output.iter().all(|p| p.name != "RequestId"));
}

#[test]
fn create_tcp_listeners_constraints() {
    let ir = seed("CreateTCPListeners");
    let action = action(&ir);
    assert_eq!(action.rate_limit_per_second, Some(20));
    assert_eq!(input(action, "DelayLoop").constraints.range, range(5, 300));
    let timeout = &input(action, "ConnectTimeout").constraints;
    assert_eq!(timeout.range, range(2, 60));
    assert_eq!(timeout.less_than.as_deref(), Some("DelayLoop"));
    assert_eq!(
        input(action, "HealthyThreshold").constraints.range,
        range(1, 10)
    );
    assert_eq!(
        input(action, "UnhealthyThreshold").constraints.range,
        range(1, 10)
    );
    assert_eq!(
        enum_values(input(action, "Scheduler")),
        strings(&["rr", "wrr", "lc", "lrtt"])
    );
    assert_eq!(
        enum_values(input(action, "RealServerType")),
        strings(&["IP", "DOMAIN"])
    );
    assert_eq!(
        enum_values(input(action, "HealthCheck")),
        [EnumLiteral::Integer(1), EnumLiteral::Integer(0)]
    );
    let methods = input(action, "ClientIPMethod")
        .constraints
        .enum_values
        .clone()
        .unwrap();
    assert_eq!(methods[1].description, "Proxy Protocol");
    assert_eq!(
        action.constraints,
        [ActionConstraint::ExactlyOneOf(vec![
            "ProxyId".into(),
            "GroupId".into()
        ])]
    );
    let ports = input(action, "Ports");
    assert!(ports.required);
    assert_eq!(
        ports.ty,
        gaap_ir::Type::Array(Box::new(gaap_ir::Type::Integer))
    );
}

#[test]
fn delete_listeners_resolves_this_parameter() {
    let ir = seed("DeleteListeners");
    let action = action(&ir);
    assert_eq!(
        action.constraints,
        [ActionConstraint::ExactlyOneOf(vec![
            "ProxyId".into(),
            "GroupId".into()
        ])]
    );
    assert_eq!(
        enum_values(input(action, "Force")),
        [EnumLiteral::Integer(1), EnumLiteral::Integer(0)]
    );
}

#[test]
fn destroy_proxies_constraints_and_query_example() {
    let ir = seed("DestroyProxies");
    let action = action(&ir);
    let token = &input(action, "ClientToken").constraints;
    assert_eq!(token.max_length, Some(64));
    assert!(token.idempotency_token);
    assert!(
        input(action, "ClientToken")
            .description
            .contains("\nFor more information")
    );
    let old = &input(action, "InstanceIds").constraints;
    assert_eq!(
        old.deprecated
            .as_ref()
            .and_then(|d| d.use_instead.as_deref()),
        Some("ProxyIds")
    );
    assert!(input(action, "ProxyIds").constraints.deprecated.is_none());
    assert_eq!(
        enum_values(input(action, "Force")),
        [EnumLiteral::Integer(1), EnumLiteral::Integer(0)]
    );
    assert_eq!(action.rate_limit_per_second, Some(20));
    let example = &action.examples[0];
    assert_eq!(example.title, "Example1 Terminating a Connection");
    assert_eq!(
        example.request,
        serde_json::json!({"ProxyIds": ["link-11112222", "link-11113333"], "Force": 1})
    );
    assert_eq!(
        example.response["InvalidStatusInstanceSet"][0],
        "link-11112222"
    );
    assert_eq!(action.errors.len(), 15);
    assert!(action.errors.windows(2).all(|w| w[0].code < w[1].code));
}
