//! The client's own costs per call: request serialization, response deserialization, and
//! one end-to-end call (validate, serialize, sign, HTTP on loopback, decode) against the
//! in-process gaap-mock.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use gaap_client::{Client, Credentials, RateLimitConfig};
use gaap_model::{
    operation::describe_tcp_listeners::DescribeTcpListenersResponse, types::DeleteListenersForce,
    types::HealthCheck, types::RealServerType, types::Scheduler,
};
use std::hint::black_box;

fn create_tcp_listeners_request()
-> gaap_model::operation::create_tcp_listeners::CreateTcpListenersRequest {
    gaap_model::operation::create_tcp_listeners::CreateTcpListenersRequest::builder()
        .proxy_id("link-11112222")
        .listener_name("bench")
        .ports(vec![80, 443, 8080])
        .scheduler(Scheduler::Wrr)
        .health_check(HealthCheck::Enabled)
        .real_server_type(RealServerType::Ip)
        .delay_loop(30)
        .connect_timeout(5)
        .build()
        .expect("a valid request")
}

/// A DescribeTCPListeners reply with 20 listeners, as the service would send it.
fn describe_reply() -> String {
    let listener = |i: usize| {
        serde_json::json!({
            "ListenerId": format!("listener-{i:08}"), "ListenerName": format!("l{i}"),
            "Port": 8000 + i, "RealServerPort": null, "Protocol": "TCP", "ListenerStatus": 0,
            "Scheduler": "rr", "ConnectTimeout": 2, "DelayLoop": 5, "HealthCheck": 1,
            "BindStatus": 0, "RealServerSet": [], "CreateTime": 1_700_000_000,
            "ClientIPMethod": 0, "HealthyThreshold": 3, "UnhealthyThreshold": 3,
            "FailoverSwitch": 0, "SessionPersist": 0, "ProxyId": "link-11112222",
            "GroupId": ""
        })
    };
    serde_json::json!({
        "TotalCount": 20,
        "ListenerSet": (0..20).map(listener).collect::<Vec<_>>(),
        "RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"
    })
    .to_string()
}

fn serialization(c: &mut Criterion) {
    let request = create_tcp_listeners_request();
    c.bench_function("serialize_create_tcp_listeners_request", |b| {
        b.iter(|| serde_json::to_vec(black_box(&request)).unwrap())
    });
    c.bench_function("validate_create_tcp_listeners_request", |b| {
        b.iter(|| gaap_model::Validate::validate(black_box(&request)).is_ok())
    });
    let reply = describe_reply();
    c.bench_function("deserialize_describe_tcp_listeners_20_items", |b| {
        b.iter(|| serde_json::from_str::<DescribeTcpListenersResponse>(black_box(&reply)).unwrap())
    });
}

fn end_to_end(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (server, client) = runtime.block_on(async {
        let server = gaap_mock::MockServer::builder()
            .rate_limit(false)
            .start()
            .await
            .unwrap();
        let client = Client::builder()
            .endpoint(server.url())
            .credentials(Credentials::new(
                gaap_mock::DEFAULT_SECRET_ID,
                gaap_mock::DEFAULT_SECRET_KEY,
            ))
            .rate_limit(RateLimitConfig::disabled())
            .build()
            .unwrap();
        (server, client)
    });
    c.bench_function("e2e_delete_listeners_in_process_mock", |b| {
        b.to_async(&runtime).iter(|| async {
            client
                .delete_listeners()
                .proxy_id("link-bench0001")
                .force(DeleteListenersForce::Allowed)
                .listener_ids(vec!["listener-bench0001".to_owned()])
                .send()
                .await
                .unwrap()
        })
    });
    drop(server);
}

criterion_group!(benches, serialization, end_to_end);
criterion_main!(benches);
