//! Custom root certificates: an HTTPS endpoint on loopback whose certificate is signed by a
//! test CA is trusted with `add_root_certificates_pem(CA)` (even with the built-in roots
//! off), and refused without it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::*;
use gaap_client::{Client, Credentials, RetryConfig, SdkError, TransportErrorKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const CA_PEM: &[u8] = include_bytes!("fixtures/test-ca.pem");
const SERVER_CERT: &[u8] = include_bytes!("fixtures/test-server.der");
const SERVER_KEY: &[u8] = include_bytes!("fixtures/test-server.key.der");

/// An HTTPS server (certificate for 127.0.0.1, signed by the test CA) answering every
/// request with a success envelope.
async fn https_server() -> String {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(SERVER_CERT.to_vec())],
            PrivateKeyDer::try_from(SERVER_KEY.to_vec()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut plain = tokio::io::BufStream::new(&mut tls);
                // Read the request head and body (small), then answer.
                let _ = read_tls_request(&mut plain).await;
                let body = r#"{"Response":{"TotalCount":0,"RequestId":"over-tls"}}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = plain.write_all(reply.as_bytes()).await;
                let _ = plain.flush().await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{}", addr.port())
}

async fn read_tls_request<S: tokio::io::AsyncBufRead + Unpin>(stream: &mut S) -> Option<()> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(())
}

fn builder(url: &str) -> gaap_client::ClientBuilder {
    Client::builder()
        .endpoint(url)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(RetryConfig::disabled())
}

#[tokio::test]
async fn a_custom_root_is_trusted_and_nothing_else_is() {
    let url = https_server().await;
    let client = builder(&url)
        .add_root_certificates_pem(CA_PEM)
        .tls_built_in_roots(false)
        .build()
        .unwrap();
    let reply = client.call(ListWidgets::default()).await.unwrap();
    assert_eq!(reply.request_id.as_deref(), Some("over-tls"));

    // Without the CA the server's certificate is not trusted: a connect (TLS) error.
    let client = builder(&url).build().unwrap();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    let SdkError::Transport(transport) = &err else {
        panic!("{err}");
    };
    assert_eq!(transport.kind(), TransportErrorKind::Connect, "{err}");
}
