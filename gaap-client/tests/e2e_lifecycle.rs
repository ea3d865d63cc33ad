//! End to end: the typed client against the in-process emulator, through a connection's
//! whole lifecycle (create, listen, describe, refuse a duplicate port, delete, destroy) and a
//! wrong secret.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_client::{Client, Credentials, RetryConfig};
use gaap_mock::MockServer;
use gaap_model::{
    types::DeleteListenersForce, types::DestroyProxiesForce, types::HealthCheck,
    types::RealServerType, types::Scheduler,
};

const ID: &str = "AKIDE2ELIFECYCLE";
const KEY: &str = "e2e-lifecycle-key";

fn client(server: &MockServer, key: &str) -> Client {
    Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, key))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn connection_and_listener_lifecycle() {
    let server = MockServer::builder()
        .credential(ID, KEY)
        .start()
        .await
        .unwrap();
    let client = client(&server, KEY);

    let created = client
        .create_proxy()
        .project_id(0)
        .proxy_name("e2e")
        .access_region("Guangzhou")
        .real_server_region("Beijing")
        .bandwidth(10)
        .concurrent(2)
        .send()
        .await
        .unwrap();
    let proxy_id = created.instance_id.clone().unwrap();
    assert!(proxy_id.starts_with("link-"));
    assert!(created.request_id.is_some());

    let listeners = client
        .create_tcp_listeners()
        .proxy_id(&proxy_id)
        .listener_name("web")
        .ports(vec![8080i64])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Enabled)
        .real_server_type(RealServerType::Ip)
        .delay_loop(10)
        .connect_timeout(5)
        .send()
        .await
        .unwrap();
    let listener_ids = listeners.listener_ids.clone().unwrap();
    assert_eq!(listener_ids.len(), 1);

    let described = client
        .describe_tcp_listeners()
        .proxy_id(&proxy_id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.total_count, Some(1));
    let set = described.listener_set.clone().unwrap();
    assert_eq!(
        set[0].listener_id.as_deref(),
        Some(listener_ids[0].as_str())
    );
    assert_eq!(set[0].port, Some(8080));

    let duplicate = client
        .create_tcp_listeners()
        .proxy_id(&proxy_id)
        .listener_name("again")
        .ports(vec![8080i64])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Disabled)
        .real_server_type(RealServerType::Ip)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        duplicate.code(),
        Some("InvalidParameterValue.DuplicatedListenerPort")
    );

    let deleted = client
        .delete_listeners()
        .proxy_id(&proxy_id)
        .listener_ids(vec![listener_ids[0].clone(), "listener-gone".to_owned()])
        .force(DeleteListenersForce::NotAllowed)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.operation_succeed_listener_set, Some(listener_ids));
    assert_eq!(
        deleted.invalid_status_listener_set,
        Some(vec!["listener-gone".to_owned()])
    );

    let destroyed = client
        .destroy_proxies()
        .proxy_ids(vec![proxy_id.clone()])
        .force(DestroyProxiesForce::NotAllowed)
        .send()
        .await
        .unwrap();
    assert_eq!(destroyed.invalid_status_instance_set, Some(vec![]));
    let remaining = client
        .describe_proxies()
        .proxy_ids(vec![proxy_id])
        .send()
        .await
        .unwrap();
    assert_eq!(remaining.total_count, Some(0));

    let wrong = client_with_wrong_key(&server)
        .describe_proxies()
        .send()
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some("AuthFailure.SignatureFailure"));
    assert!(wrong.request_id().is_some());
}

fn client_with_wrong_key(server: &MockServer) -> Client {
    client(server, "not-the-key")
}
