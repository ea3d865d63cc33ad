//! A request that breaks a documented rule fails with `SdkError::Validation` before any
//! network call: the listener the client points at never sees a connection.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;

use gaap_client::{Client, Credentials, SdkError};
use gaap_model::Rule;

/// A listener nobody should connect to, and a client pointed at it.
fn silent_server() -> (TcpListener, Client) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let client = Client::builder()
        .endpoint(format!("http://{}", listener.local_addr().unwrap()))
        .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
        .build()
        .unwrap();
    (listener, client)
}

fn assert_no_connection(listener: &TcpListener) {
    let err = listener.accept().map(|_| ()).unwrap_err();
    assert_eq!(
        err.kind(),
        std::io::ErrorKind::WouldBlock,
        "a request was sent"
    );
}

fn violation<E: std::fmt::Debug>(err: SdkError<E>) -> gaap_model::ValidationError {
    match err {
        SdkError::Validation(v) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn valid(
    client: &Client,
) -> gaap_client::operation::create_tcp_listeners::CreateTcpListenersFluent {
    client
        .create_tcp_listeners()
        .listener_name("test1")
        .ports(vec![90])
        .scheduler("rr")
        .health_check(1)
        .real_server_type("IP")
        .proxy_id("link-1")
        .delay_loop(20)
        .connect_timeout(10)
}

#[tokio::test]
async fn each_broken_rule_fails_before_sending() {
    let (listener, client) = silent_server();
    let cases: Vec<(
        gaap_client::operation::create_tcp_listeners::CreateTcpListenersFluent,
        &str,
    )> = vec![
        (valid(&client).delay_loop(400), "DelayLoop"),
        (valid(&client).scheduler("fastest"), "Scheduler"),
        (valid(&client).group_id("lbgroup-1"), "ProxyId"),
        (valid(&client).set_proxy_id(None), "ProxyId"),
        (valid(&client).connect_timeout(20), "ConnectTimeout"),
        (valid(&client).set_listener_name(None), "ListenerName"),
    ];
    for (call, field) in cases {
        let e = violation(call.send().await.unwrap_err());
        assert_eq!(e.violations.len(), 1, "{e}");
        assert_eq!(e.violations[0].field, field, "{e}");
    }
    assert_no_connection(&listener);
}

#[tokio::test]
async fn call_validates_a_ready_request_too() {
    let (listener, client) = silent_server();
    // A request value decoded from JSON skips the builder's checks; `call` still validates.
    let request: gaap_model::operation::create_tcp_listeners::CreateTcpListenersRequest =
        serde_json::from_value(serde_json::json!({
            "ListenerName": "l", "Ports": [90], "Scheduler": "rr", "HealthCheck": 1,
            "RealServerType": "IP", "ProxyId": "link-1", "DelayLoop": 20, "ConnectTimeout": 20
        }))
        .unwrap();
    let e = violation(client.call(request).await.unwrap_err());
    assert_eq!(e.violations[0].rule, Rule::LessThan("DelayLoop".to_owned()));
    assert_no_connection(&listener);
}

#[tokio::test]
async fn paginator_validates_first() {
    let (listener, client) = silent_server();
    let result = client
        .describe_tcp_listeners()
        .proxy_id("link-1")
        .group_id("lbgroup-1")
        .into_paginator();
    let Err(err) = result else {
        panic!("both ProxyId and GroupId must be rejected")
    };
    assert_eq!(violation(err).violations[0].field, "ProxyId");
    assert_no_connection(&listener);
}
