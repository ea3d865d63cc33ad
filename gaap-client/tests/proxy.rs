//! Transport options: an explicit proxy (a loopback plain-HTTP forwarding proxy that
//! records what it is asked to forward, in front of the emulator), its credentials,
//! `NO_PROXY`, a proxy that refuses connections (named in the error, password not), root
//! certificates, and no secret in the `Debug` of any builder, option set or client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use common::*;
use gaap_client::credentials::{AssumeRoleProvider, DefaultChain, Env, OidcRoleProvider};
use gaap_client::{CallOptions, Client, Credentials, RetryConfig, SdkError, TransportErrorKind};
use gaap_mock::MockServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "s3cret-pw";

/// A forwarding proxy for plain HTTP (absolute-form requests, no CONNECT): records each
/// request, sends it on in origin form with `Connection: close`, relays the answer.
async fn forward_proxy() -> (SocketAddr, Arc<Mutex<Vec<Recorded>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let Some(request) = read_request(&mut client).await else {
                    return;
                };
                record.lock().unwrap().push(request.clone());
                let Some(rest) = request.target.strip_prefix("http://") else {
                    let _ = client
                        .write_all(b"HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    return;
                };
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                let path = if path.is_empty() { "/" } else { path };
                let mut upstream = TcpStream::connect(authority).await.unwrap();
                let mut head = format!("{} {path} HTTP/1.1\r\n", request.method);
                for (name, value) in &request.headers {
                    if !matches!(
                        name.as_str(),
                        "proxy-authorization" | "proxy-connection" | "connection"
                    ) {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                }
                head.push_str("connection: close\r\n\r\n");
                upstream.write_all(head.as_bytes()).await.unwrap();
                upstream.write_all(&request.body).await.unwrap();
                let mut answer = Vec::new();
                upstream.read_to_end(&mut answer).await.unwrap();
                let _ = client.write_all(&answer).await;
                let _ = client.shutdown().await;
            });
        }
    });
    (addr, seen)
}

async fn emulator() -> MockServer {
    MockServer::builder()
        .credential(SECRET_ID, SECRET_KEY)
        .start()
        .await
        .unwrap()
}

fn client_via(server: &MockServer, proxy: &str) -> gaap_client::ClientBuilder {
    Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(RetryConfig::disabled())
        .proxy(proxy)
}

#[tokio::test]
async fn calls_go_through_the_proxy_with_its_credentials() {
    let server = emulator().await;
    let (proxy, seen) = forward_proxy().await;
    let client = client_via(&server, &format!("http://alice:{PASSWORD}@{proxy}"))
        .build()
        .unwrap();
    let reply = client.describe_proxies().limit(5).send().await.unwrap();
    assert!(reply.total_count.is_some());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, format!("{}/", server.url()));
    // base64("alice:s3cret-pw")
    assert_eq!(
        req.header("proxy-authorization"),
        Some("Basic YWxpY2U6czNjcmV0LXB3")
    );
    assert_eq!(req.header("x-tc-action"), Some("DescribeProxies"));
    assert!(req.header("x-tc-traceid").is_some());
}

#[tokio::test]
async fn no_proxy_hosts_connect_directly() {
    let server = emulator().await;
    let (proxy, seen) = forward_proxy().await;
    let client = client_via(&server, &format!("http://{proxy}"))
        .no_proxy("localhost,127.0.0.1")
        .build()
        .unwrap();
    client.describe_proxies().send().await.unwrap();
    assert_eq!(seen.lock().unwrap().len(), 0);
}

#[tokio::test]
async fn a_refusing_proxy_is_a_transport_error_naming_it_without_the_password() {
    let server = emulator().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let client = client_via(&server, &format!("http://alice:{PASSWORD}@{closed}"))
        .build()
        .unwrap();
    let err = client.describe_proxies().send().await.unwrap_err();
    let SdkError::Transport(transport) = &err else {
        panic!("{err}");
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    let text = err.to_string();
    assert!(
        text.contains(&format!("proxy http://***@{closed}")),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(!format!("{err:?}").contains(PASSWORD));
}

#[test]
fn bad_proxy_urls_and_certificates_are_refused_at_build() {
    let base = || Client::builder().credentials(Credentials::new("id", "key"));
    for bad in ["socks5://127.0.0.1:1080", "not a url", "http://"] {
        let err = base().proxy(bad).build().unwrap_err();
        assert!(
            err.to_string().contains("invalid proxy URL"),
            "{bad}: {err}"
        );
    }
    let err = base()
        .proxy(format!("ftp://bob:{PASSWORD}@h:1"))
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains(PASSWORD), "{err}");
    let err = base()
        .add_root_certificates_pem(&b"-----BEGIN NOTHING-----\n"[..])
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("root certificate"), "{err}");
    let ca = include_bytes!("fixtures/test-ca.pem");
    base()
        .add_root_certificates_pem(&ca[..])
        .tls_built_in_roots(false)
        .build()
        .unwrap();
}

#[test]
fn no_secret_in_the_debug_of_builders_options_clients_and_providers() {
    let secrets = [
        SECRET_KEY,
        PASSWORD,
        "sessiontokensecret",
        "headersecret",
        "externalsecret",
    ];
    let creds = Credentials::temporary(SECRET_ID, SECRET_KEY, "sessiontokensecret", None);
    let builder = Client::builder()
        .credentials(creds.clone())
        .proxy(format!("http://alice:{PASSWORD}@127.0.0.1:3128"))
        .default_header("X-Gateway-Key", "headersecret")
        .request_client_suffix("app");
    let options = CallOptions::new().header("X-Call-Key", "headersecret");
    let client = builder.clone().build().unwrap();
    let shown = [
        format!("{builder:?}"),
        format!("{options:?}"),
        format!("{client:?}"),
        format!("{:?}", client.with_options(options.clone())),
        format!("{creds:?}"),
        format!(
            "{:?}",
            AssumeRoleProvider::new("qcs::cam::uin/1:roleName/r", creds.clone())
                .external_id("externalsecret")
        ),
        format!("{:?}", OidcRoleProvider::new("r", "p", "/t", "arn")),
        format!(
            "{:?}",
            DefaultChain::with_env(Env::from_vars([("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)]))
        ),
        format!(
            "{:?}",
            Client::builder().credentials_provider(
                AssumeRoleProvider::new("arn", creds.clone()).external_id("externalsecret")
            )
        ),
    ];
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(shown[0].contains("***@127.0.0.1:3128"), "{}", shown[0]);
}
