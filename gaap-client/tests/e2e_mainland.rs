//! End to end: actions only the mainland site documents, through the typed client against
//! the in-process emulator: a global domain's lifecycle with its DNS records, the task
//! status of a write, and a listener's TLS versions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gaap_client::{Client, Credentials, RetryConfig, Site};
use gaap_mock::MockServer;

const ID: &str = "AKIDE2EMAINLAND";
const KEY: &str = "e2e-mainland-key";

async fn start() -> (MockServer, Client) {
    let server = MockServer::builder()
        .credential(ID, KEY)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .site(Site::Mainland)
        .endpoint(server.url())
        .credentials(Credentials::new(ID, KEY))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn global_domain_and_dns_lifecycle() {
    let (_server, client) = start().await;
    let proxy = client
        .create_proxy()
        .project_id(0)
        .proxy_name("dns-target")
        .access_region("Guangzhou")
        .real_server_region("Beijing")
        .bandwidth(10)
        .concurrent(2)
        .send()
        .await
        .unwrap()
        .instance_id
        .unwrap();

    let created = client
        .create_global_domain()
        .project_id(0)
        .default_value("192.168.1.2")
        .alias("shop")
        .send()
        .await
        .unwrap();
    let domain_id = created.domain_id.clone().unwrap();
    assert!(domain_id.starts_with("dm-"), "{domain_id}");

    // The write was accepted as a task; its RequestId is the task id.
    let task = created.request_id.clone().unwrap();
    let status = client
        .describe_task_status()
        .task_id(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(status.task_id.as_deref(), Some(task.as_str()));
    assert_eq!(status.status.as_deref(), Some("SUCCESS"));
    let unknown = client
        .describe_task_status()
        .task_id("no-such-task")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("ResourceNotFound"));

    client
        .create_global_domain_dns()
        .domain_id(&domain_id)
        .proxy_id_list(vec![proxy.clone()])
        .nation_country_inner_codes(vec!["101001".to_owned()])
        .send()
        .await
        .unwrap();
    let clash = client
        .create_global_domain_dns()
        .domain_id(&domain_id)
        .proxy_id_list(vec![proxy.clone()])
        .nation_country_inner_codes(vec!["101001".to_owned()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(clash.code(), Some("InvalidParameterValue"));
    let records = client
        .describe_global_domain_dns()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap()
        .global_dns_list
        .unwrap();
    assert_eq!(records.len(), 1);
    let record_id = records[0].dns_record_id.unwrap();

    client
        .modify_global_domain_attribute()
        .domain_id(&domain_id)
        .project_id(0)
        .default_value("10.0.0.1")
        .send()
        .await
        .unwrap();
    let listed = client
        .describe_global_domains()
        .project_id(0)
        .offset(0)
        .limit(10)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let domain = &listed.domains.unwrap()[0];
    assert_eq!(domain.default_value.as_deref(), Some("10.0.0.1"));
    assert_eq!(domain.proxy_count, Some(1));

    // A destroyed connection leaves the records it served.
    client
        .destroy_proxies()
        .proxy_ids(vec![proxy.clone()])
        .force(gaap_model::types::DestroyProxiesForce::Allowed)
        .send()
        .await
        .unwrap();
    let served = client
        .describe_global_domain_dns()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap()
        .global_dns_list
        .unwrap();
    assert_eq!(served[0].access_list.as_ref().map(Vec::len), Some(0));

    // An enabled domain cannot be deleted; disabled, it can, and its records go with it.
    let refused = client
        .delete_global_domain()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("FailedOperation"));
    client
        .disable_global_domain()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap();
    client
        .delete_global_domain_dns()
        .dns_record_id(record_id)
        .send()
        .await
        .unwrap();
    client
        .delete_global_domain()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_global_domain_dns()
        .domain_id(&domain_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn set_tls_version_is_kept_on_the_https_listener() {
    let (_server, client) = start().await;
    let proxy = client
        .create_proxy()
        .project_id(0)
        .proxy_name("tls")
        .access_region("Guangzhou")
        .real_server_region("Beijing")
        .bandwidth(10)
        .concurrent(2)
        .send()
        .await
        .unwrap()
        .instance_id
        .unwrap();
    let listener = client
        .create_https_listener()
        .proxy_id(&proxy)
        .listener_name("tls")
        .port(443)
        .certificate_id("cert-1")
        .forward_protocol("HTTP")
        .send()
        .await
        .unwrap()
        .listener_id
        .unwrap();
    let out = client
        .set_tls_version()
        .listener_id(&listener)
        .tls_support_version(["TLSv1.2", "TLSv1.3"])
        .tls_ciphers("GAAP_TLS_CIPHERS_STRICT")
        .send()
        .await
        .unwrap();
    assert!(out.request_id.is_some());
    let listed = client
        .describe_https_listeners()
        .proxy_id(&proxy)
        .send()
        .await
        .unwrap()
        .listener_set
        .unwrap();
    assert_eq!(
        listed[0].tls_support_version.as_deref(),
        Some(&["TLSv1.2".to_owned(), "TLSv1.3".to_owned()][..])
    );
    assert_eq!(
        listed[0].tls_ciphers.as_deref(),
        Some("GAAP_TLS_CIPHERS_STRICT")
    );
    let unknown = client
        .set_tls_version()
        .listener_id("listener-nothere")
        .tls_support_version(["TLSv1.2"])
        .tls_ciphers("GAAP_TLS_CIPHERS_GENERAL")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("ResourceNotFound"));
}
