//! The client against loopback servers: signing accepted by an independent verifier,
//! headers, retries and backoff, ClientToken reuse, rate limiting, typed errors for every
//! malformed reply, transport failures, validation before sending, and pagination.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use futures_util::{StreamExt, TryStreamExt};
use gaap_client::{
    Client, Credentials, RateLimitConfig, ResponseErrorKind, RetryConfig, SdkError,
    TransportErrorKind,
};
use gaap_model::ServiceError;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

// ---- An independent TC3 verifier, written from the rules in tc3-vectors.md ---------------

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// HMAC-SHA256 from its definition (RFC 2104), independent of the `hmac` crate.
fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new()
        .chain_update(&ipad)
        .chain_update(data)
        .finalize();
    Sha256::new()
        .chain_update(&opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// The UTC date of a timestamp by counting whole days forward from 1970.
fn utc_date_by_counting(timestamp: i64) -> String {
    let mut days = timestamp / 86_400;
    let mut year = 1970;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let len = if leap { 366 } else { 365 };
        if days < len {
            let months = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            let mut month = 0;
            while days >= months[month] {
                days -= months[month];
                month += 1;
            }
            return format!("{year:04}-{:02}-{:02}", month + 1, days + 1);
        }
        days -= len;
        year += 1;
    }
}

/// Check a received request's Authorization against `secret_key`, rebuilding everything from
/// the raw headers and body. Returns why it is rejected.
fn verify(req: &Recorded, secret_key: &str) -> Result<(), String> {
    let auth = req.header("authorization").ok_or("no Authorization")?;
    let rest = auth
        .strip_prefix("TC3-HMAC-SHA256 ")
        .ok_or("wrong algorithm")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(", ") {
        let (k, v) = part.split_once('=').ok_or("bad Authorization part")?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed_headers = Some(v),
            "Signature" => signature = Some(v),
            _ => return Err(format!("unknown Authorization part {k}")),
        }
    }
    let credential = credential.ok_or("no Credential")?;
    let signed_headers = signed_headers.ok_or("no SignedHeaders")?;
    let signature = signature.ok_or("no Signature")?;
    let mut scope_parts = credential.splitn(2, '/');
    let _secret_id = scope_parts.next().ok_or("no secret id")?;
    let scope = scope_parts.next().ok_or("no scope")?;
    let scope_fields: Vec<&str> = scope.split('/').collect();
    let [date, service, "tc3_request"] = scope_fields[..] else {
        return Err(format!("bad scope {scope}"));
    };
    let timestamp: i64 = req
        .header("x-tc-timestamp")
        .ok_or("no X-TC-Timestamp")?
        .parse()
        .map_err(|_| "bad timestamp")?;
    if utc_date_by_counting(timestamp) != date {
        return Err("scope date is not the UTC date of the timestamp".into());
    }
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let value = req
            .header(name)
            .ok_or(format!("signed header {name} missing"))?;
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    if path != "/" {
        return Err("path is not /".into());
    }
    let payload_hash = if req.header("x-tc-content-sha256") == Some("UNSIGNED-PAYLOAD") {
        sha256_hex(b"UNSIGNED-PAYLOAD")
    } else {
        sha256_hex(&req.body)
    };
    let canonical = format!(
        "{}\n/\n{query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        req.method
    );
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    let expected = hex::encode(hmac_sha256(&k_signing, to_sign.as_bytes()));
    if expected == signature {
        Ok(())
    } else {
        Err("signature mismatch".into())
    }
}

#[test]
fn the_verifier_accepts_the_documentation_example_and_rejects_tampering() {
    // Tencent's documented example (tencent-doc-example in the vectors).
    let body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    let mut req = Recorded {
        method: "POST".into(),
        target: "/".into(),
        headers: vec![
            ("authorization".into(), "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168".into()),
            ("content-type".into(), "application/json; charset=utf-8".into()),
            ("host".into(), "cvm.tencentcloudapi.com".into()),
            ("x-tc-timestamp".into(), "1551113065".into()),
        ],
        body: body.to_vec(),
        at: Instant::now(),
    };
    verify(&req, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE").unwrap();
    req.body.push(b' ');
    assert_eq!(
        verify(&req, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"),
        Err("signature mismatch".into())
    );
}

#[tokio::test]
async fn a_signed_call_is_accepted_by_the_independent_verifier() {
    let server = serve(|_, req| match verify(req, SECRET_KEY) {
        Ok(()) => ok(r#""WidgetId":"w-1""#, "req-ok"),
        Err(why) => error("AuthFailure.SignatureFailure", &why, "req-bad"),
    })
    .await;
    let client = client(&server).build().unwrap();
    let out = client
        .call(CreateWidget::named("网关 ünïcode \"quoted\""))
        .await
        .unwrap();
    assert_eq!(out.widget_id.as_deref(), Some("w-1"));
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));

    // Temporary credentials: also accepted, and the token travels as X-TC-Token.
    let client = common::client(&server)
        .credentials(Credentials::temporary(
            "AKIDtmp",
            SECRET_KEY,
            "session-token",
            None,
        ))
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("x-tc-token"), None);
    assert_eq!(reqs[1].header("x-tc-token"), Some("session-token"));
}

#[tokio::test]
async fn headers_are_the_documented_ones() {
    let server = serve(|_, _| ok("", "r")).await;
    let client = client(&server)
        .region("ap-hongkong")
        .language(gaap_client::Language::ZhCn)
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let plain = common::client(&server).build().unwrap();
    plain.call(CreateWidget::named("w")).await.unwrap();

    let reqs = server.requests();
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.target, "/");
    assert_eq!(r.header("host"), Some(server.addr.to_string().as_str()));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-tc-action"), Some("CreateWidget"));
    assert_eq!(r.header("x-tc-version"), Some("2018-05-29"));
    assert_eq!(r.header("x-tc-region"), Some("ap-hongkong"));
    assert_eq!(r.header("x-tc-language"), Some("zh-CN"));
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        r.header("x-tc-requestclient"),
        Some(format!("gaap-sdk-rust/{version}").as_str())
    );
    let ts: u64 = r.header("x-tc-timestamp").unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(ts) < 60);
    assert!(
        r.header("authorization")
            .unwrap()
            .starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/"))
    );
    // The body is the serialized request, byte for byte.
    assert_eq!(r.json()["Name"], "w");

    // Without settings: no region, the default site's (mainland) language.
    assert_eq!(reqs[1].header("x-tc-region"), None);
    assert_eq!(reqs[1].header("x-tc-language"), Some("zh-CN"));
}

// ---- Retries ---------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn retries_are_counted_and_backed_off() {
    let server = serve(|n, _| match n {
        0 => error("InternalError", "boom", "r0"),
        1 => error("ServiceUnavailable", "down", "r1"),
        _ => ok(r#""WidgetId":"w-3""#, "r2"),
    })
    .await;
    let client = client(&server).build().unwrap();
    let out = client.call(CreateWidget::named("w")).await.unwrap();
    assert_eq!(out.widget_id.as_deref(), Some("w-3"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    // Backoff 100 ms then 200 ms (jitter off), measured on the virtual clock.
    let gaps: Vec<_> = reqs.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(
        gaps[0] >= Duration::from_millis(100) && gaps[0] < Duration::from_millis(150),
        "{gaps:?}"
    );
    assert!(
        gaps[1] >= Duration::from_millis(200) && gaps[1] < Duration::from_millis(250),
        "{gaps:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn full_jitter_waits_a_random_time_up_to_the_cap() {
    // Every call fails once (InternalError: a ClientToken write may retry it), then works.
    let server = serve(|n, _| {
        if n % 2 == 0 {
            error("InternalError", "", "r")
        } else {
            ok("", "r")
        }
    })
    .await;
    let client = client(&server)
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(100)))
        .build()
        .unwrap();
    for _ in 0..40 {
        client.call(CreateWidget::named("w")).await.unwrap();
    }
    let reqs = server.requests();
    assert_eq!(reqs.len(), 80);
    let gaps: Vec<_> = reqs.chunks(2).map(|p| p[1].at - p[0].at).collect();
    // Never above the cap (100 ms, plus the virtual clock's granularity)...
    assert!(
        gaps.iter().all(|g| *g <= Duration::from_millis(102)),
        "{gaps:?}"
    );
    // ...and random below it: with jitter off every gap would be the full 100 ms. Each
    // bound fails by chance with probability 0.5^40.
    assert!(
        gaps.iter().any(|g| *g < Duration::from_millis(50)),
        "{gaps:?}"
    );
    assert!(
        gaps.iter().any(|g| *g > Duration::from_millis(50)),
        "{gaps:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn attempts_stop_at_the_maximum_and_return_the_last_error() {
    let server = serve(|n, _| error("RequestLimitExceeded", "slow down", &format!("r{n}"))).await;
    let client = client(&server)
        .retry(
            RetryConfig::new()
                .max_attempts(4)
                .jitter(gaap_client::Jitter::None),
        )
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    assert_eq!(server.count(), 4);
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(err.request_id(), Some("r3"));
}

#[tokio::test(start_paused = true)]
async fn request_limit_exceeded_then_success() {
    let server = serve(|n, _| match n {
        0 => error("RequestLimitExceeded.UinLimitExceeded", "too many", "r0"),
        _ => ok(r#""WidgetId":"w-2""#, "r1"),
    })
    .await;
    let client = client(&server).build().unwrap();
    let out = client.call(CreateWidget::named("w")).await.unwrap();
    assert_eq!(out.widget_id.as_deref(), Some("w-2"));
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn non_retryable_errors_are_not_retried_and_are_typed() {
    let server = serve(|_, _| error("FailedOperation.WidgetBusy", "busy", "req-9")).await;
    let client = client(&server).build().unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(err.code(), Some("FailedOperation.WidgetBusy"));
    assert_eq!(err.request_id(), Some("req-9"));
    let service = err.into_service_error().unwrap();
    assert!(matches!(service, WidgetError::FailedOperationWidgetBusy(_)));
    assert_eq!(service.message(), "busy");
}

#[tokio::test(start_paused = true)]
async fn client_token_is_filled_once_and_reused_on_every_attempt() {
    let server = serve(|n, _| {
        if n < 2 {
            error("InternalError", "", "r")
        } else {
            ok("", "r")
        }
    })
    .await;
    let client = client(&server).build().unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.json()["ClientToken"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 3);
    assert_eq!(tokens[0].len(), 36);
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");

    // A second call gets a new token; a caller's own token is kept as is.
    client.call(CreateWidget::named("w")).await.unwrap();
    let mut mine = CreateWidget::named("w");
    mine.client_token = Some("caller-token".into());
    client.call(mine).await.unwrap();
    let reqs = server.requests();
    assert_ne!(reqs[3].json()["ClientToken"], tokens[0].as_str());
    assert_eq!(reqs[4].json()["ClientToken"], "caller-token");
}

#[tokio::test(start_paused = true)]
async fn http_5xx_is_retried_4xx_is_not() {
    let server = serve(|n, _| match n {
        0 => http(
            502,
            "text/html",
            "<html><body>502 Bad Gateway</body></html>",
        ),
        1 => http(503, "text/plain", "Service Unavailable"),
        _ => ok("", "r"),
    })
    .await;
    client(&server)
        .build()
        .unwrap()
        .call(CreateWidget::named("w"))
        .await
        .unwrap();
    assert_eq!(server.count(), 3);

    let server = serve(|_, _| http(403, "text/plain", "Forbidden")).await;
    let err = client(&server)
        .build()
        .unwrap()
        .call(CreateWidget::named("w"))
        .await
        .unwrap_err();
    assert_eq!(server.count(), 1);
    let SdkError::Response(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.kind(), e.status(), e.snippet()),
        (ResponseErrorKind::HttpStatus, 403, "Forbidden")
    );
}

// ---- Rate limiting ---------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_burst_of_100_calls_is_held_to_20_per_second() {
    let server = serve(|_, _| ok(r#""TotalCount":0"#, "r")).await;
    let client = client(&server)
        .rate_limit(RateLimitConfig::new())
        .timeout(None)
        .build()
        .unwrap();
    let start = Instant::now();
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.call(ListWidgets::default()).await.map(|_| ()) })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    let mut times: Vec<Duration> = server.requests().iter().map(|r| r.at - start).collect();
    assert_eq!(times.len(), 100);
    times.sort();
    for (i, t) in times.iter().enumerate() {
        let within = times[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_secs(1))
            .count();
        assert!(within <= 20, "{within} requests within 1 s of {t:?}");
    }
    let total = Instant::now() - start;
    assert!(
        total >= Duration::from_secs(4) && total < Duration::from_millis(4500),
        "{total:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn rate_limiting_can_be_overridden_and_switched_off() {
    let server = serve(|_, _| ok("", "r")).await;
    let limited = client(&server)
        .rate_limit(RateLimitConfig::new().action("ListWidgets", 5))
        .timeout(None)
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..10 {
        limited.call(ListWidgets::default()).await.unwrap();
    }
    assert!(Instant::now() - start >= Duration::from_secs(1));

    let free = client(&server).build().unwrap();
    let start = Instant::now();
    for _ in 0..50 {
        free.call(ListWidgets::default()).await.unwrap();
    }
    assert!(Instant::now() - start < Duration::from_millis(100));
}

// ---- Malformed replies, transport failures, validation ---------------------------------

async fn response_error(reply: fn() -> Reply) -> gaap_client::ResponseError {
    let server = serve(move |_, _| reply()).await;
    let client = client(&server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    // A write whose reply is unreadable may have been applied: the response error comes
    // wrapped in `MaybeApplied` unless a gateway refused it (4xx).
    match client.call(CreateWidget::named("w")).await {
        Err(SdkError::Response(e)) => e,
        Err(SdkError::MaybeApplied(m)) => match m.into_error() {
            SdkError::Response(e) => e,
            other => panic!("expected a response error, got {other:?}"),
        },
        other => panic!("expected a response error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_malformed_reply_is_a_typed_error() {
    type Case = (fn() -> Reply, ResponseErrorKind, u16);
    let cases: [Case; 9] = [
        (
            || {
                http(
                    200,
                    "text/html",
                    "<!DOCTYPE html><html><body>Welcome to nginx</body></html>",
                )
            },
            ResponseErrorKind::Html,
            200,
        ),
        (
            || http(502, "text/html", "<html>Bad Gateway</html>"),
            ResponseErrorKind::Html,
            502,
        ),
        (|| json(""), ResponseErrorKind::Empty, 200),
        (
            || json(r#"{"Response":{"WidgetId":"w-1","Req"#),
            ResponseErrorKind::Truncated,
            200,
        ),
        // Content-Length promises more than arrives before the connection closes.
        (
            || {
                Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Response\":{".to_vec())
            },
            ResponseErrorKind::Truncated,
            200,
        ),
        (|| json("Response: ok"), ResponseErrorKind::InvalidJson, 200),
        (
            || json(r#"{"Result":{"RequestId":"x"}}"#),
            ResponseErrorKind::WrongShape,
            200,
        ),
        (
            || json(r#"{"Response":{"WidgetId":42,"RequestId":"req-shape"}}"#),
            ResponseErrorKind::WrongShape,
            200,
        ),
        (
            || {
                http(
                    404,
                    "application/json",
                    r#"{"Response":{"RequestId":"req-404"}}"#,
                )
            },
            ResponseErrorKind::HttpStatus,
            404,
        ),
    ];
    for (i, (reply, kind, status)) in cases.into_iter().enumerate() {
        let err = response_error(reply).await;
        assert_eq!(
            (err.kind(), err.status()),
            (kind, status),
            "case {i}: {err:?}"
        );
        assert!(err.snippet().len() <= 200);
    }
    let err =
        response_error(|| json(r#"{"Response":{"WidgetId":42,"RequestId":"req-shape"}}"#)).await;
    assert_eq!(err.request_id(), Some("req-shape"));
    assert!(err.snippet().starts_with(r#"{"Response""#));
    let long = response_error(|| {
        http(
            500,
            "text/html",
            &format!("<html>{}</html>", "x".repeat(5000)),
        )
    })
    .await;
    assert!(long.snippet().len() <= 200);
}

#[tokio::test]
async fn connection_failures_and_timeouts_are_transport_errors() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .endpoint(format!("http://{closed}"))
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    let SdkError::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind(), TransportErrorKind::Connect);

    let server = serve(|_, _| Reply::Hang).await;
    let client = common::client(&server)
        .timeout(Some(Duration::from_millis(200)))
        .retry(
            RetryConfig::new()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    // A write that timed out may have been applied, and says so.
    let SdkError::MaybeApplied(m) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(m.attempts(), 2);
    let SdkError::Transport(t) = m.error() else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout());
    // Timeouts of a write with a ClientToken are retried, with the same token.
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].json()["ClientToken"], reqs[1].json()["ClientToken"]);
}

#[tokio::test]
async fn invalid_requests_fail_before_any_network_call() {
    let server = serve(|_, _| ok("", "r")).await;
    let client = client(&server).build().unwrap();
    let err = client.call(CreateWidget::named("")).await.unwrap_err();
    let SdkError::Validation(v) = err else {
        panic!("{err:?}")
    };
    assert_eq!(v.violations[0].field, "Name");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn credential_failures_are_credentials_errors() {
    let server = serve(|_, _| ok("", "r")).await;
    let client = client(&server)
        .credentials_provider(gaap_client::credentials::EnvProvider::with_env(
            gaap_client::credentials::Env::from_vars::<&str, &str>([]),
        ))
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
    println!("credentials error Display: {err}");
    assert_eq!(
        err.to_string(),
        "Widget: no credentials, nothing sent: environment: no credentials"
    );
    assert_eq!(server.count(), 0);
}

// ---- Pagination ------------------------------------------------------------------------

fn page_server(total: usize, report_total: bool) -> impl Fn(usize, &Recorded) -> Reply {
    move |_, req| {
        let body = req.json();
        let offset = body["Offset"].as_u64().unwrap_or(0) as usize;
        let limit = body["Limit"].as_u64().unwrap_or(20) as usize;
        let items: Vec<String> = (offset..total.min(offset + limit))
            .map(|i| format!("\"w{i}\""))
            .collect();
        let count = if report_total {
            format!(r#""TotalCount":{total},"#)
        } else {
            String::new()
        };
        ok(&format!(r#"{count}"WidgetSet":[{}]"#, items.join(",")), "r")
    }
}

#[tokio::test]
async fn paginator_streams_items_lazily_until_total_count() {
    let server = serve(page_server(45, true)).await;
    let client = client(&server).build().unwrap();
    let request = ListWidgets {
        offset: None,
        limit: Some(20),
    };

    let first_two: Vec<String> = client
        .paginate(request.clone())
        .items()
        .take(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_two, ["w0", "w1"]);
    assert_eq!(server.count(), 1, "only the first page was fetched");

    let all: Vec<String> = client
        .paginate(request.clone())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 45);
    assert_eq!(all[44], "w44");
    assert_eq!(server.count(), 1 + 3);
    let offsets: Vec<u64> = server.requests()[1..]
        .iter()
        .map(|r| r.json()["Offset"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(offsets, [0, 20, 40]);

    let pages: Vec<_> = client
        .paginate(request)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].widget_set.as_ref().unwrap().len(), 5);
}

#[tokio::test]
async fn paginator_stops_on_an_empty_page_without_total_count() {
    let server = serve(page_server(25, false)).await;
    let client = client(&server).build().unwrap();
    let all: Vec<String> = client
        .paginate(ListWidgets {
            offset: Some(5),
            limit: Some(10),
        })
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 20);
    assert_eq!(all[0], "w5");
    assert_eq!(
        server.count(),
        3,
        "pages at 5, 15, then the empty page at 25"
    );
}

#[tokio::test]
async fn paginator_surfaces_errors() {
    let server = serve(|_, _| error("FailedOperation.WidgetBusy", "busy", "r")).await;
    let client = client(&server).build().unwrap();
    let mut items = Box::pin(client.paginate(ListWidgets::default()).items());
    let first = items.next().await.unwrap().unwrap_err();
    assert_eq!(first.code(), Some("FailedOperation.WidgetBusy"));
    assert!(items.next().await.is_none());
}

// ---- Configuration from the environment ------------------------------------------------

#[tokio::test]
async fn from_env_uses_the_endpoint_region_and_credential_variables() {
    let server = serve(|_, req| match verify(req, SECRET_KEY) {
        Ok(()) => ok("", "r"),
        Err(why) => error("AuthFailure.SignatureFailure", &why, "r"),
    })
    .await;
    let env = gaap_client::credentials::Env::from_vars([
        ("TENCENTCLOUD_GAAP_ENDPOINT", server.url()),
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID.to_owned()),
        ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY.to_owned()),
        ("TENCENTCLOUD_TOKEN", "env-token".to_owned()),
        ("TENCENTCLOUD_REGION", "ap-guangzhou".to_owned()),
        ("HOME", "/nonexistent".to_owned()),
    ]);
    let client = gaap_client::ClientBuilder::from_env_vars(env)
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(req.header("x-tc-token"), Some("env-token"));
}

#[tokio::test]
async fn a_write_that_may_have_been_applied_stays_marked_whatever_later_attempts_end_with() {
    // Attempt 1 times out (the service may have applied it); attempt 2 is refused before
    // acting. The caller must still learn that the write may have been applied.
    let server = serve(|n, _| {
        if n == 0 {
            Reply::Hang
        } else {
            error("RequestLimitExceeded", "Too many requests.", "req-2")
        }
    })
    .await;
    let client = common::client(&server)
        .timeout(Some(Duration::from_millis(200)))
        .retry(
            RetryConfig::new()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    let SdkError::MaybeApplied(m) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(m.attempts(), 2);
    assert_eq!(m.error().code(), Some("RequestLimitExceeded"));
}

/// Credentials that never arrive.
#[derive(Debug)]
struct NeverCredentials;

impl gaap_client::credentials::ProvideCredentials for NeverCredentials {
    fn provide_credentials(
        &self,
    ) -> futures_util::future::BoxFuture<
        '_,
        Result<gaap_client::Credentials, gaap_client::credentials::CredentialsError>,
    > {
        Box::pin(std::future::pending())
    }
}

#[tokio::test(start_paused = true)]
async fn a_deadline_before_the_request_leaves_sends_nothing_and_says_so() {
    let server = serve(|_, _| ok("", "r")).await;
    let client = common::client(&server)
        .credentials_provider(NeverCredentials)
        .operation_timeout(Some(Duration::from_secs(5)))
        .build()
        .unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Transport(t) if t.kind() == TransportErrorKind::Deadline),
        "{err:?}"
    );
    assert_eq!(server.count(), 0);
}
