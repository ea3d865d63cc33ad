//! Client-side validation of generated requests: every broken rule is reported at once,
//! naming the field (with its path for nested values) and the rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_model::validation::Bound;
use gaap_model::{
    Rule, Validate, ValidationError,
    operation::bind_listener_real_servers::BindListenerRealServersRequest,
    operation::create_tcp_listeners::CreateTcpListenersRequest,
    operation::create_tcp_listeners::CreateTcpListenersRequestBuilder,
    operation::describe_tcp_listeners::DescribeTcpListenersRequest,
    operation::destroy_proxies::DestroyProxiesRequest, types::RealServerBindSetReq,
};

/// A valid `CreateTCPListeners` request, to break one rule at a time.
fn valid() -> CreateTcpListenersRequestBuilder {
    CreateTcpListenersRequest::builder()
        .listener_name("test1")
        .ports(vec![90])
        .scheduler("rr")
        .health_check(1)
        .real_server_type("IP")
        .proxy_id("link-bjkpdum1")
        .delay_loop(20)
        .connect_timeout(10)
}

fn only_violation(e: &ValidationError) -> (&str, &Rule) {
    assert_eq!(e.violations.len(), 1, "{e}");
    (&e.violations[0].field, &e.violations[0].rule)
}

#[test]
fn the_valid_request_builds_and_validates() {
    let request = valid().build().unwrap();
    request.validate().unwrap();
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(json["DelayLoop"], 20, "integers are sent as numbers");
    assert_eq!(json["Ports"][0], 90);
    assert_eq!(json["HealthCheck"], 1);
    assert!(
        json.get("GroupId").is_none(),
        "absent optionals are skipped"
    );
}

#[test]
fn out_of_range() {
    let e = valid().delay_loop(400).build().unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "DelayLoop");
    assert_eq!(
        rule,
        &Rule::Range {
            min: Some(Bound::Integer(5)),
            max: Some(Bound::Integer(300))
        }
    );
    assert!(
        e.to_string()
            .contains("`DelayLoop` must be in range [5, 300] (got 400)"),
        "{e}"
    );
}

#[test]
fn bad_enum_value() {
    let e = valid().scheduler("fastest").build().unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "Scheduler");
    assert!(
        matches!(rule, Rule::Enum { allowed } if allowed.contains(&"wrr".to_owned())),
        "{e}"
    );
    assert!(e.to_string().contains("got fastest"), "{e}");
}

#[test]
fn both_proxy_id_and_group_id() {
    let e = valid().group_id("lbgroup-1").build().unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "ProxyId");
    assert!(matches!(rule, Rule::ExactlyOneOf(names) if names == &["ProxyId", "GroupId"]));
    assert!(e.to_string().contains("2 are set"), "{e}");
}

#[test]
fn neither_proxy_id_nor_group_id() {
    let e = valid().set_proxy_id(None).build().unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "ProxyId");
    assert!(matches!(rule, Rule::ExactlyOneOf(_)));
    assert!(e.to_string().contains("none is set"), "{e}");
}

#[test]
fn connect_timeout_not_less_than_delay_loop() {
    for timeout in [20, 30] {
        let e = valid().connect_timeout(timeout).build().unwrap_err();
        let (field, rule) = only_violation(&e);
        assert_eq!(field, "ConnectTimeout");
        assert_eq!(rule, &Rule::LessThan("DelayLoop".to_owned()));
        assert!(
            e.to_string().contains("must be less than `DelayLoop`"),
            "{e}"
        );
    }
}

#[test]
fn every_violation_is_reported_at_once() {
    let e = CreateTcpListenersRequest::builder()
        .scheduler("fastest")
        .delay_loop(400)
        .connect_timeout(1)
        .build()
        .unwrap_err();
    let fields: Vec<&str> = e.violations.iter().map(|v| v.field.as_str()).collect();
    for expected in [
        "ListenerName",
        "Ports",
        "Scheduler",
        "HealthCheck",
        "RealServerType",
        "DelayLoop",
        "ConnectTimeout",
        "ProxyId",
    ] {
        assert!(fields.contains(&expected), "{expected} missing from {e}");
    }
    assert_eq!(
        e.for_field("ListenerName").next().map(|v| &v.rule),
        Some(&Rule::Required)
    );
}

#[test]
fn nested_struct_paths() {
    let e = BindListenerRealServersRequest::builder()
        .listener_id("listener-1")
        .push_real_server_bind_set(
            RealServerBindSetReq::default()
                .real_server_id("rs-1")
                .real_server_ip("1.1.1.1"),
        )
        .build()
        .unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "RealServerBindSet[0].RealServerPort");
    assert_eq!(rule, &Rule::Required);
}

#[test]
fn max_length_and_deprecated_inputs() {
    #[allow(deprecated)]
    let e = DestroyProxiesRequest::builder()
        .force(1)
        .client_token("x".repeat(65))
        .instance_ids(vec!["link-1".to_owned()])
        .build()
        .unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "ClientToken");
    assert_eq!(rule, &Rule::MaxLength(64));
}

#[test]
fn at_most_one_of() {
    let e = DescribeTcpListenersRequest::builder()
        .proxy_id("link-1")
        .group_id("lbgroup-1")
        .build()
        .unwrap_err();
    let (field, rule) = only_violation(&e);
    assert_eq!(field, "ProxyId");
    assert!(matches!(rule, Rule::AtMostOneOf(_)), "{e}");
    DescribeTcpListenersRequest::builder().build().unwrap();
}

#[test]
fn unknown_response_values_and_fields_never_break_decoding() {
    let json = r#"{"RequestId": "r-1", "ListenerIds": null, "SomethingNew": {"a": 1}}"#;
    let out: gaap_model::operation::create_tcp_listeners::CreateTcpListenersResponse =
        serde_json::from_str(json).unwrap();
    assert_eq!(out.request_id.as_deref(), Some("r-1"));
    assert_eq!(out.listener_ids, None);
    let s: gaap_model::types::Scheduler = serde_json::from_str(r#""quantum""#).unwrap();
    assert_eq!(
        s,
        gaap_model::types::Scheduler::Unknown("quantum".to_owned())
    );
    assert!(s.is_unknown());
}
