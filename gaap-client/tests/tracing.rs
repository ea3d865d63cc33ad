//! tracing: one span per call with action, trace ID, attempt, RequestId and latency;
//! nothing secret.
//!
//! The tests of this file run one at a time: tracing caches whether a callsite is enabled,
//! and a span first reached on a thread without a subscriber while another test installs
//! its scoped one could be cached as disabled (so the capture would miss it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use gaap_client::Credentials;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(start_paused = true)]
async fn spans_carry_action_attempt_request_id_and_latency_but_no_secrets() {
    let _serial = SERIAL.lock().await;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Another test of this binary may have registered the same callsites with no subscriber
    // around, caching "never interested": recompute, or the span can go missing.
    tracing::callsite::rebuild_interest_cache();

    let server = serve(|n, _| {
        if n == 0 {
            error("InternalError", "", "req-first")
        } else {
            ok("", "req-final")
        }
    })
    .await;
    let client = common::client(&server)
        .credentials(Credentials::temporary(
            SECRET_ID,
            SECRET_KEY,
            "SESSIONTOKEN123",
            None,
        ))
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("gaap.call"), "{logs}");
    assert!(logs.contains("action=\"CreateWidget\""), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("request_id=\"req-final\""), "{logs}");
    assert!(logs.contains("latency_ms="), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    // The call's X-TC-TraceId, the same on both attempts, is on the span.
    let reqs = server.requests();
    let trace_id = reqs[0].header("x-tc-traceid").unwrap();
    assert_eq!(reqs[1].header("x-tc-traceid"), Some(trace_id));
    assert!(logs.contains(&format!("trace_id=\"{trace_id}\"")), "{logs}");
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    let signature = auth.rsplit("Signature=").next().unwrap();
    for secret in [SECRET_KEY, "SESSIONTOKEN123", signature] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}

#[tokio::test]
async fn debug_output_of_a_client_shows_no_secrets() {
    let _serial = SERIAL.lock().await;
    let server = serve(|_, _| ok("", "r")).await;
    let client = common::client(&server)
        .credentials(Credentials::temporary(
            SECRET_ID,
            SECRET_KEY,
            "SESSIONTOKEN123",
            None,
        ))
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains(SECRET_ID), "{shown}");
    assert!(!shown.contains(SECRET_KEY), "{shown}");
    assert!(!shown.contains("SESSIONTOKEN123"), "{shown}");
}
