//! The emulator's request checker: serde and validation failures become Tencent-style
//! rejections with the right common error code.
#![cfg(feature = "server")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_model::server::{actions, check_request};
use serde_json::json;

fn rejection(action: &str, params: serde_json::Value) -> (&'static str, String) {
    let r = check_request(action, &params)
        .expect("known action")
        .unwrap_err();
    (r.code, r.message)
}

fn tcp() -> serde_json::Value {
    json!({"ListenerName": "l", "Ports": ["90"], "Scheduler": "rr", "HealthCheck": "1",
           "RealServerType": "IP", "ProxyId": "link-1", "DelayLoop": "20", "ConnectTimeout": "5"})
}

#[test]
fn lists_every_action_sorted() {
    let all = actions();
    assert_eq!(all.len(), 102);
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert!(all.contains(&"CreateTCPListeners") && all.contains(&"DescribeTaskStatus"));
    assert!(check_request("NoSuchAction", &json!({})).is_none());
}

#[test]
fn form_style_strings_are_accepted() {
    assert_eq!(check_request("CreateTCPListeners", &tcp()), Some(Ok(())));
}

#[test]
fn missing_parameter() {
    let mut p = tcp();
    p.as_object_mut().unwrap().remove("ListenerName");
    let (code, message) = rejection("CreateTCPListeners", p);
    assert_eq!(code, "MissingParameter");
    assert_eq!(
        message,
        "The request is missing a required parameter `ListenerName`."
    );
}

#[test]
fn unknown_parameter() {
    let mut p = tcp();
    p["Foo"] = json!(1);
    let (code, message) = rejection("CreateTCPListeners", p);
    assert_eq!(code, "UnknownParameter");
    assert_eq!(message, "The parameter `Foo` is not recognized.");
}

#[test]
fn type_error() {
    let mut p = tcp();
    p["DelayLoop"] = json!("soon");
    let (code, message) = rejection("CreateTCPListeners", p);
    assert_eq!(code, "InvalidParameter");
    assert_eq!(message, "Parameter `DelayLoop` type error.");
}

#[test]
fn invalid_value() {
    let mut p = tcp();
    p["DelayLoop"] = json!(400);
    let (code, message) = rejection("CreateTCPListeners", p);
    assert_eq!(code, "InvalidParameterValue");
    assert_eq!(
        message,
        "The value of parameter `DelayLoop` is invalid: must be in range [5, 300] (got 400)."
    );
}

#[test]
fn nested_paths() {
    let p = json!({"ListenerId": "l-1", "RealServerBindSet": [{"RealServerId": "rs", "RealServerPort": "x", "RealServerIP": "1.1.1.1"}]});
    let (code, message) = rejection("BindListenerRealServers", p);
    assert_eq!(code, "InvalidParameter");
    assert_eq!(
        message,
        "Parameter `RealServerBindSet[0].RealServerPort` type error."
    );
}

#[test]
fn missing_nested_field() {
    let p = json!({"ListenerId": "l-1", "RealServerBindSet": [{"RealServerId": "rs", "RealServerIP": "1.1.1.1"}]});
    let (code, message) = rejection("BindListenerRealServers", p);
    assert_eq!(code, "MissingParameter");
    assert_eq!(
        message,
        "The request is missing a required parameter `RealServerBindSet[0].RealServerPort`."
    );
}
