//! Hostile peers (issue 12): requests built to crash, exhaust or fool the emulator. Every
//! server is started here on 127.0.0.1; every loop is bounded in count and time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use gaap_mock::signature::{self, Authorization, SignedRequest};
use gaap_mock::{Clock, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, MockServer, signature_v1};
use serde_json::Value;
use support::{Call, code};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn server() -> MockServer {
    MockServer::builder()
        .rate_limit(false)
        .start()
        .await
        .unwrap()
}

/// The server still answers a normal signed call.
async fn assert_alive(client: &reqwest::Client, url: &str) {
    let (status, _, body) = Call::post(url, "DescribeProxies", "{}").send(client).await;
    assert_eq!((status, code(&body)), (200, ""), "{body}");
}

fn host(url: &str) -> &str {
    url.trim_start_matches("http://")
}

/// Signed v1 parameters (HmacSHA1) for `method` with `business` parameters.
fn v1_params(
    url: &str,
    method: &str,
    action: &str,
    nonce: &str,
    business: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = vec![
        ("Action".into(), action.into()),
        ("Version".into(), "2018-05-29".into()),
        ("SecretId".into(), DEFAULT_SECRET_ID.into()),
        ("Timestamp".into(), Clock::system().now().to_string()),
        ("Nonce".into(), nonce.into()),
    ];
    params.extend(business.iter().map(|(k, v)| ((*k).into(), (*v).into())));
    let text = signature_v1::string_to_sign(method, host(url), &params);
    let signature = signature_v1::sign(DEFAULT_SECRET_KEY, &text, None);
    params.push(("Signature".into(), signature));
    params
}

fn form(params: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

async fn envelope(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

// Finding 1: a key nested thousands deep overflowed the stack and aborted the process.
#[tokio::test]
async fn deeply_nested_keys_get_an_error_and_the_server_survives() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();

    // TC3 GET: a 30 KB key (under the 32 KB query limit).
    let query = format!("Filters{}=x", ".0".repeat(15_000));
    let get = Call {
        method: "GET",
        content_type: "application/x-www-form-urlencoded",
        query: &query,
        ..Call::post(&url, "DescribeProxies", "")
    };
    let (status, content_type, body) = get.send(&client).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(code(&body), "InvalidParameter", "{body}");
    assert_alive(&client, &url).await;

    // v1 form POST: a 400 KB key.
    let deep_key = format!("Filters{}", ".0".repeat(200_000));
    let params = v1_params(&url, "POST", "DescribeProxies", "1", &[(&deep_key, "x")]);
    let response = client
        .post(format!("{url}/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form(&params))
        .send()
        .await
        .unwrap();
    let (status, _, body) = envelope(response).await;
    assert_eq!((status, code(&body)), (200, "InvalidParameter"), "{body}");
    assert_alive(&client, &url).await;
}

/// A TC3 request head whose header-level checks pass (right SecretId and timestamp), with a
/// signature that cannot match: what a peer that knows the public default SecretId can send.
fn head(url: &str, secret_id: &str, extra: &str) -> String {
    let ts = Clock::system().now();
    let date = gaap_mock::utc_date(ts);
    format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         X-TC-Action: DescribeProxies\r\nX-TC-Version: 2018-05-29\r\nX-TC-Timestamp: {ts}\r\n\
         Authorization: TC3-HMAC-SHA256 Credential={secret_id}/{date}/gaap/tc3_request, \
         SignedHeaders=content-type;host, Signature={sig}\r\n{extra}\r\n",
        host = host(url),
        sig = "0".repeat(64),
    )
}

/// Read until the peer closes (or `limit` passes): (the bytes, whether it closed).
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

fn response_code(raw: &str) -> String {
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or_default();
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    code(&value).to_owned()
}

// Finding 2: no header or body read timeout, no idle timeout.
#[tokio::test]
async fn stalled_and_idle_connections_are_closed_after_the_read_timeout() {
    let server = MockServer::builder()
        .rate_limit(false)
        .read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let url = server.url();
    let started = Instant::now();

    // A head that never ends.
    let mut stalled_head = TcpStream::connect(server.addr()).await.unwrap();
    stalled_head
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // A body that never comes.
    let mut stalled_body = TcpStream::connect(server.addr()).await.unwrap();
    let request = head(&url, DEFAULT_SECRET_ID, "Content-Length: 100\r\n");
    stalled_body.write_all(request.as_bytes()).await.unwrap();
    stalled_body.write_all(b"{\"Li").await.unwrap();
    // A connection that says nothing at all.
    let mut silent = TcpStream::connect(server.addr()).await.unwrap();

    for stream in [&mut stalled_head, &mut stalled_body, &mut silent] {
        let (_, closed) = read_to_close(stream, Duration::from_secs(5)).await;
        assert!(closed, "a stalled connection stayed open");
    }
    assert!(started.elapsed() < Duration::from_secs(4));

    // A keep-alive connection idle after a complete request.
    let mut idle = TcpStream::connect(server.addr()).await.unwrap();
    let call = Call::post(&url, "DescribeProxies", "{}");
    let request = call.build(&reqwest::Client::new());
    let mut raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 2\r\n",
        host(&url)
    );
    for (name, value) in request.headers() {
        raw.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    raw.push_str("\r\n{}");
    idle.write_all(raw.as_bytes()).await.unwrap();
    let (answer, closed) = read_to_close(&mut idle, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(response_code(&answer), "", "{answer}");
    assert!(closed, "an idle keep-alive connection stayed open");
}

// Extreme settings are clamped rather than overflowing a deadline.
#[tokio::test]
async fn extreme_limits_do_not_panic() {
    let server = MockServer::builder()
        .rate_limit(false)
        .read_timeout(Duration::MAX)
        .max_connections(0)
        .body_budget(0)
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    assert_alive(&client, &server.url()).await;
    let (_, _, body) = Call::post(&server.url(), "DescribeProxies", "{\"Limit\": 1}")
        .send(&client)
        .await;
    assert_eq!(code(&body), "", "{body}");
}

// Finding 2: no connection cap.
#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let server = MockServer::builder()
        .rate_limit(false)
        .max_connections(4)
        .read_timeout(Duration::from_secs(20))
        .start()
        .await
        .unwrap();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(server.addr()).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(server.addr()).await.unwrap();
    let (_, closed) = read_to_close(&mut extra, Duration::from_secs(3)).await;
    assert!(closed, "a connection over the cap was kept open");
    held.clear();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_alive(&reqwest::Client::new(), &server.url()).await;
}

// Finding 2: bodies were buffered in full before authentication. 100 connections each
// declaring a 10 MB body are refused from their heads alone: no body byte is sent.
#[tokio::test]
async fn bodies_are_refused_from_the_head_before_being_read() {
    let server = server().await;
    let url = server.url();
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (url, addr) = (url.clone(), server.addr());
        set.spawn(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let request = match i % 3 {
                // An unknown SecretId.
                0 => head(&url, "AKIDNOBODY", "Content-Length: 10000000\r\n"),
                // An expired timestamp.
                1 => head(&url, DEFAULT_SECRET_ID, "Content-Length: 10000000\r\n")
                    .replace("X-TC-Timestamp: 1", "X-TC-Timestamp: 1000"),
                // Over the 10 MB limit, whoever signs it.
                _ => head(&url, DEFAULT_SECRET_ID, "Content-Length: 10485761\r\n"),
            };
            stream.write_all(request.as_bytes()).await.unwrap();
            let (answer, _) = read_to_close(&mut stream, Duration::from_secs(10)).await;
            response_code(&answer)
        });
    }
    let codes = set.join_all().await;
    for (expected, n) in [
        ("AuthFailure.SecretIdNotFound", 34),
        ("AuthFailure.SignatureExpire", 33),
        ("RequestSizeLimitExceeded", 33),
    ] {
        assert_eq!(
            codes.iter().filter(|c| *c == expected).count(),
            n,
            "{codes:?}"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(5));

    // A chunked body is cut off at the limit while it is read.
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let request = head(&url, DEFAULT_SECRET_ID, "Transfer-Encoding: chunked\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..11 {
        let size = format!("{:x}\r\n", chunk.len());
        if stream.write_all(size.as_bytes()).await.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(
        response_code(&answer),
        "RequestSizeLimitExceeded",
        "{answer}"
    );
}

// Finding 4: a truncated chunked body was reported as RequestSizeLimitExceeded.
#[tokio::test]
async fn a_truncated_body_is_reported_as_incomplete() {
    let server = server().await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let request = head(
        &server.url(),
        DEFAULT_SECRET_ID,
        "Transfer-Encoding: chunked\r\n",
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(b"10\r\n{\"Limit\"").await.unwrap();
    stream.shutdown().await.unwrap();
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert_eq!(response_code(&answer), "InvalidParameter", "{answer}");
    assert!(answer.contains("incomplete"), "{answer}");
}

// Finding 2: the request counter grew with every made-up action name.
#[tokio::test]
async fn only_actions_of_the_api_are_counted() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let long = "A".repeat(8 * 1024);
    for i in 0..50 {
        let action = format!("{long}{i}");
        let (_, _, body) = Call::post(&url, &action, "{}").send(&client).await;
        assert_eq!(code(&body), "InvalidAction");
    }
    assert_alive(&client, &url).await;
    let counts = server.request_counts();
    assert_eq!(counts.len(), 1, "{:?}", counts.keys().collect::<Vec<_>>());
    assert_eq!(server.request_count("DescribeProxies"), 1);
}

async fn create_proxy(client: &reqwest::Client, url: &str) -> String {
    let body = r#"{"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
                   "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}"#;
    let (_, _, out) = Call::post(url, "CreateProxy", body).send(client).await;
    out["Response"]["InstanceId"].as_str().unwrap().to_owned()
}

fn tcp_listeners(proxy: &str, ports: &str) -> String {
    format!(
        r#"{{"ProxyId": "{proxy}", "ListenerName": "l", "Ports": {ports}, "Scheduler": "rr",
            "HealthCheck": 0, "RealServerType": "IP"}}"#
    )
}

// Finding 3: ports -5, 0, 70000 and 2^62 and a million-element array were accepted.
#[tokio::test]
async fn listener_ports_and_array_sizes_are_checked() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let proxy = create_proxy(&client, &url).await;
    for bad in ["-5", "0", "70000", "4611686018427387904"] {
        let body = tcp_listeners(&proxy, &format!("[{bad}]"));
        let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
            .send(&client)
            .await;
        assert_eq!(
            code(&out),
            "InvalidParameterValue.InvalidListenerPort",
            "{bad}: {out}"
        );
    }
    let ports = |n: usize| {
        let list: Vec<String> = (1..=n).map(|p| p.to_string()).collect();
        format!("[{}]", list.join(","))
    };
    let body = tcp_listeners(&proxy, &ports(101));
    let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
        .send(&client)
        .await;
    assert_eq!(code(&out), "FailedOperation.OperateLimitNumofListener");

    let started = Instant::now();
    let body = tcp_listeners(&proxy, &ports(1_000_000));
    let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
        .send(&client)
        .await;
    assert_eq!(code(&out), "InvalidParameterValue", "{out}");
    assert!(started.elapsed() < Duration::from_secs(10));

    let body = tcp_listeners(&proxy, &ports(100));
    let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
        .send(&client)
        .await;
    assert_eq!(
        out["Response"]["ListenerIds"].as_array().unwrap().len(),
        100
    );
    let (_, _, out) = Call::post(
        &url,
        "CreateUDPListeners",
        &body.replace("\"HealthCheck\": 0, ", ""),
    )
    .send(&client)
    .await;
    assert_eq!(code(&out), "", "UDP ports are separate: {out}");
    let body = tcp_listeners(&proxy, "[100, 101]");
    let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
        .send(&client)
        .await;
    assert_eq!(code(&out), "InvalidParameterValue.DuplicatedListenerPort");
    let body = tcp_listeners(&proxy, "[102, 102]");
    let (_, _, out) = Call::post(&url, "CreateTCPListeners", &body)
        .send(&client)
        .await;
    assert_eq!(code(&out), "InvalidParameterValue.DuplicatedListenerPort");
}

/// A TC3 call signed over `signed_headers` only (a list of lowercase names), sent with
/// `sent_host` as its Host header.
fn subset_signed(
    client: &reqwest::Client,
    url: &str,
    signed_headers: &[&str],
    signed_host: &str,
) -> reqwest::Request {
    let ts = Clock::system().now();
    let date = gaap_mock::utc_date(ts);
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("Host".to_owned(), signed_host.to_owned()),
        ("X-TC-Timestamp".to_owned(), ts.to_string()),
        ("X-TC-Action".to_owned(), "DescribeProxies".to_owned()),
    ];
    let raw = signed_headers.join(";");
    let auth = Authorization {
        secret_id: DEFAULT_SECRET_ID,
        date: &date,
        service: "gaap",
        signed_headers: signed_headers.to_vec(),
        signed_headers_raw: &raw,
        signature: "",
    };
    let req = SignedRequest {
        method: "POST",
        headers: &headers,
        raw_query: "",
        body: b"{}",
    };
    let canonical = signature::canonical_request(&req, &auth).unwrap();
    let sig = signature::sign(
        DEFAULT_SECRET_KEY,
        &date,
        "gaap",
        &ts.to_string(),
        &canonical,
    );
    client
        .post(format!("{url}/"))
        .header("Content-Type", "application/json")
        .header("X-TC-Action", "DescribeProxies")
        .header("X-TC-Version", "2018-05-29")
        .header("X-TC-Timestamp", ts.to_string())
        .header(
            "Authorization",
            format!(
                "TC3-HMAC-SHA256 Credential={DEFAULT_SECRET_ID}/{date}/gaap/tc3_request, SignedHeaders={raw}, Signature={sig}"
            ),
        )
        .body("{}")
        .build()
        .unwrap()
}

// Finding 4: any validly signed subset of headers was accepted.
#[tokio::test]
async fn content_type_and_host_must_be_signed() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let host = host(&url).to_owned();
    for signed in [
        &["x-tc-timestamp"][..],
        &["content-type"],
        &["host"],
        &["host", "x-tc-action"],
    ] {
        let request = subset_signed(&client, &url, signed, &host);
        let (_, _, body) = envelope(client.execute(request).await.unwrap()).await;
        assert_eq!(
            code(&body),
            "AuthFailure.SignatureFailure",
            "{signed:?}: {body}"
        );
    }
    // Extra signed headers are fine (the newer demos sign x-tc-action).
    let request = subset_signed(
        &client,
        &url,
        &["content-type", "host", "x-tc-action"],
        &host,
    );
    let (_, _, body) = envelope(client.execute(request).await.unwrap()).await;
    assert_eq!(code(&body), "", "{body}");
}

// Finding 4: X-TC-Token and the v1 Token were never checked.
#[tokio::test]
async fn temporary_credentials_need_their_token() {
    let server = MockServer::builder()
        .rate_limit(false)
        .temporary_credential("AKIDTEMP", "temp-key", "the-sts-token")
        .credential("AKIDPERM", "perm-key")
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let url = server.url();
    let call = |id: &'static str, key: &'static str| Call {
        secret_id: id,
        secret_key: key,
        ..Call::post(&url, "DescribeProxies", "{}")
    };
    let send = |call: Call<'_>, token: Option<&str>| {
        let mut request = call.build(&client);
        if let Some(token) = token {
            request
                .headers_mut()
                .insert("X-TC-Token", token.parse().unwrap());
        }
        let client = client.clone();
        async move { envelope(client.execute(request).await.unwrap()).await.2 }
    };
    for token in [None, Some("garbage"), Some("the-sts-tokeN"), Some("")] {
        let body = send(call("AKIDTEMP", "temp-key"), token).await;
        assert_eq!(code(&body), "AuthFailure.TokenFailure", "{token:?}: {body}");
    }
    let body = send(call("AKIDTEMP", "temp-key"), Some("the-sts-token")).await;
    assert_eq!(code(&body), "", "{body}");
    // Permanent credentials ignore a token (documented as lenient).
    let body = send(call("AKIDPERM", "perm-key"), Some("anything")).await;
    assert_eq!(code(&body), "", "{body}");

    // The v1 Token parameter.
    let v1 = |token: Option<&str>, nonce: &str| {
        let mut params: Vec<(String, String)> = vec![
            ("Action".into(), "DescribeProxies".into()),
            ("Version".into(), "2018-05-29".into()),
            ("SecretId".into(), "AKIDTEMP".into()),
            ("Timestamp".into(), Clock::system().now().to_string()),
            ("Nonce".into(), nonce.into()),
        ];
        if let Some(token) = token {
            params.push(("Token".into(), token.into()));
        }
        let text = signature_v1::string_to_sign("GET", host(&url), &params);
        params.push((
            "Signature".into(),
            signature_v1::sign("temp-key", &text, None),
        ));
        let client = client.clone();
        let url = format!("{url}/?{}", form(&params));
        async move { envelope(client.get(url).send().await.unwrap()).await.2 }
    };
    assert_eq!(code(&v1(None, "11").await), "AuthFailure.TokenFailure");
    assert_eq!(
        code(&v1(Some("junk"), "12").await),
        "AuthFailure.TokenFailure"
    );
    assert_eq!(code(&v1(Some("the-sts-token"), "13").await), "");
}

// Finding 4: the v1 Nonce was neither type-checked nor remembered.
#[tokio::test]
async fn v1_nonces_are_positive_integers_used_once() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let get = |params: Vec<(String, String)>| {
        let client = client.clone();
        let url = format!("{url}/?{}", form(&params));
        async move { envelope(client.get(url).send().await.unwrap()).await.2 }
    };
    let params = v1_params(&url, "GET", "DescribeProxies", "424242", &[("Limit", "1")]);
    assert_eq!(code(&get(params.clone()).await), "");
    let replayed = get(params).await;
    assert_eq!(
        code(&replayed),
        "AuthFailure.SignatureFailure",
        "{replayed}"
    );
    for bad in ["abc", "0", "-3", "1.5"] {
        let params = v1_params(&url, "GET", "DescribeProxies", bad, &[]);
        assert_eq!(code(&get(params).await), "InvalidParameter", "{bad}");
    }
    // A form POST is remembered the same way.
    let params = v1_params(&url, "POST", "DescribeProxies", "77", &[]);
    let post = || {
        client
            .post(format!("{url}/"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form(&params))
            .send()
    };
    assert_eq!(code(&envelope(post().await.unwrap()).await.2), "");
    assert_eq!(
        code(&envelope(post().await.unwrap()).await.2),
        "AuthFailure.SignatureFailure"
    );
    // A TC3 replay is still accepted (the Go SDK retries that way).
    let call = Call::post(&url, "DescribeProxies", "{}");
    assert_eq!(code(&call.send(&client).await.2), "");
    assert_eq!(code(&call.send(&client).await.2), "");
}

// Finding 4: GET queries up to ~64 KB were accepted (the documented limit is 32 KB).
#[tokio::test]
async fn queries_over_32_kb_get_an_envelope() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let send = |query: String| {
        let client = client.clone();
        let url = url.clone();
        async move {
            let call = Call {
                method: "GET",
                content_type: "application/x-www-form-urlencoded",
                query: &query,
                ..Call::post(&url, "DescribeProxies", "")
            };
            call.send(&client).await
        }
    };
    let (status, content_type, body) = send(format!("Limit=1&X={}", "a".repeat(64_000))).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(code(&body), "RequestSizeLimitExceeded", "{body}");
    assert!(body["Response"]["RequestId"].is_string());
    // Just under the limit it is parsed (and refused for its unknown parameter).
    let (_, _, body) = send(format!("Limit=1&X={}", "a".repeat(32 * 1024 - 10))).await;
    assert_eq!(code(&body), "UnknownParameter", "{body}");
}

// Finding 4: beyond ~64 KB hyper answered a bare 414 (or 431 for huge headers) by itself.
#[tokio::test]
async fn oversized_request_heads_get_an_envelope_too() {
    let server = server().await;
    let url = server.url();
    for (what, request) in [
        (
            "a 70 KB query",
            format!("GET /?X={} HTTP/1.1\r\nHost: a\r\n\r\n", "a".repeat(70_000)),
        ),
        (
            "a 1 MB header",
            format!(
                "GET / HTTP/1.1\r\nHost: a\r\nX-Big: {}\r\n\r\n",
                "a".repeat(1 << 20)
            ),
        ),
    ] {
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        // The server may answer and close before reading everything.
        let _ = stream.write_all(request.as_bytes()).await;
        let (answer, closed) = read_to_close(&mut stream, Duration::from_secs(5)).await;
        assert!(
            answer.starts_with("HTTP/1.1 200 OK\r\n"),
            "{what}: {answer}"
        );
        assert!(
            answer.contains("content-type: application/json"),
            "{what}: {answer}"
        );
        assert_eq!(response_code(&answer), "RequestSizeLimitExceeded", "{what}");
        assert!(closed, "{what}");
    }
    // An injected HTTP fault with one of those statuses is left alone.
    server
        .faults()
        .set("DescribeProxies", gaap_mock::Fault::Http(431).times(1));
    let (status, content_type, _) = Call::post(&url, "DescribeProxies", "{}")
        .send(&reqwest::Client::new())
        .await;
    assert_eq!((status, content_type.as_str()), (431, "text/plain"));
    assert_alive(&reqwest::Client::new(), &url).await;
}

// Finding 4: paths other than `/` were accepted.
#[tokio::test]
async fn only_the_root_path_is_served() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let mut request = Call::post(&url, "DescribeProxies", "{}").build(&client);
    *request.url_mut() = format!("{url}/v2/other").parse().unwrap();
    let (status, _, body) = envelope(client.execute(request).await.unwrap()).await;
    assert_eq!(
        (status, code(&body)),
        (200, "UnsupportedProtocol"),
        "{body}"
    );
}

// Finding 5: the secret key could only be given on the command line.
#[tokio::test]
async fn the_binary_reads_its_secret_key_from_the_environment_or_a_file() {
    let dir = std::env::temp_dir().join(format!("gaap-mock-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("key");
    std::fs::write(&key_file, "file-secret\n").unwrap();
    for (env, args, key) in [
        (Some("env-secret"), vec![], "env-secret"),
        (
            None,
            vec!["--secret-key-file", key_file.to_str().unwrap()],
            "file-secret",
        ),
    ] {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gaap-mock"));
        command
            .args([
                "--listen",
                "127.0.0.1:0",
                "--threads",
                "1",
                "--secret-id",
                "AKIDBIN",
            ])
            .args(&args)
            .env_remove("GAAP_MOCK_SECRET_KEY")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(value) = env {
            command.env("GAAP_MOCK_SECRET_KEY", value);
        }
        let mut child = command.spawn().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        tokio::time::timeout(Duration::from_secs(10), async {
            while stdout.read(&mut byte).await.unwrap() == 1 && byte[0] != b'\n' {
                line.push(byte[0]);
            }
        })
        .await
        .unwrap();
        let line = String::from_utf8(line).unwrap();
        let url = line
            .trim_start_matches("gaap-mock listening on ")
            .to_owned();
        let client = reqwest::Client::new();
        let call = Call {
            secret_id: "AKIDBIN",
            secret_key: key,
            ..Call::post(&url, "DescribeProxies", "{}")
        };
        assert_eq!(code(&call.send(&client).await.2), "", "{key}");
        let wrong = Call {
            secret_key: DEFAULT_SECRET_KEY,
            ..call
        };
        assert_eq!(
            code(&wrong.send(&client).await.2),
            "AuthFailure.SignatureFailure"
        );
        child.kill().await.unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `VmHWM` (peak) and `VmRSS` of a process, in MiB.
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Finding 2, measured: 100 connections each pushing a 10 MB body at the emulator binary
/// (`GAAP_MOCK_BIN` picks another build, e.g. the code before the fix), first with an
/// unknown SecretId, then (on a fresh process) with the public default SecretId and a wrong
/// signature. Prints the peak and final RSS. Linux only; run with
/// `cargo test -p gaap-mock --test hostile -- --ignored --nocapture rss`.
#[tokio::test]
#[ignore = "a measurement: pushes 2 GB over loopback and prints RSS figures"]
async fn rss_under_100_pending_bodies() {
    let binary =
        std::env::var("GAAP_MOCK_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gaap-mock").into());
    for (label, secret_id) in [
        ("unknown SecretId", "AKIDNOBODY"),
        ("default SecretId, wrong signature", DEFAULT_SECRET_ID),
    ] {
        let mut child = tokio::process::Command::new(&binary)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--threads",
                "2",
                "--no-rate-limit",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let pid = child.id().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).await.unwrap() == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let url = String::from_utf8(line)
            .unwrap()
            .trim_start_matches("gaap-mock listening on ")
            .to_owned();
        let addr: std::net::SocketAddr = host(&url).parse().unwrap();
        let started = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..100 {
            let (url, secret_id) = (url.clone(), secret_id.to_owned());
            set.spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                let request = head(&url, &secret_id, "Content-Length: 10000000\r\n");
                stream.write_all(request.as_bytes()).await.unwrap();
                let chunk = vec![b' '; 1_000_000];
                for _ in 0..10 {
                    if stream.write_all(&chunk).await.is_err() {
                        break;
                    }
                }
                let (answer, _) = read_to_close(&mut stream, Duration::from_secs(60)).await;
                (response_code(&answer), stream)
            });
        }
        let mut codes = std::collections::BTreeMap::new();
        let mut streams = Vec::new();
        let mut peak_during = 0;
        while let Ok(Some(done)) =
            tokio::time::timeout(Duration::from_secs(90), set.join_next()).await
        {
            let (code, stream) = done.unwrap();
            *codes.entry(code).or_insert(0) += 1;
            streams.push(stream);
            peak_during = peak_during.max(memory_mib(pid).1);
        }
        let elapsed = started.elapsed();
        let (peak, before_close) = memory_mib(pid);
        drop(streams);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (_, after_close) = memory_mib(pid);
        println!(
            "{label}: {codes:?} in {elapsed:.1?}; peak RSS {peak} MiB, RSS with connections open \
             {before_close} MiB, after they close {after_close} MiB"
        );
        child.kill().await.unwrap();
    }
}

// Finding 2 (the other direction): a peer that pipelines requests but never reads the
// answers kept its connection, and its slot under the cap, forever.
#[tokio::test]
async fn a_peer_that_stops_reading_is_disconnected() {
    let server = MockServer::builder()
        .rate_limit(false)
        .max_connections(1)
        .read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(server.addr()).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    // About 8 MB of answers: more than both sockets' buffers hold.
    let writing = tokio::spawn(async move {
        let request = b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n".repeat(100);
        for _ in 0..200 {
            if tokio::time::timeout(Duration::from_secs(5), writer.write_all(&request))
                .await
                .map_or(true, |written| written.is_err())
            {
                break;
            }
        }
        writer
    });
    tokio::time::sleep(Duration::from_secs(3)).await;
    // The only slot is free again: the stalled connection was closed.
    let client = reqwest::Client::new();
    let answered = tokio::time::timeout(
        Duration::from_secs(5),
        Call::post(&server.url(), "DescribeProxies", "{}").send(&client),
    )
    .await;
    assert!(
        answered.is_ok(),
        "the stalled connection still holds the only slot"
    );
    drop(writing);
    let mut sink = [0u8; 4096];
    let _ = reader.read(&mut sink).await;
}
