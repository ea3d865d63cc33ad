//! Throughput of the typed client against the in-process emulator: 64 concurrent callers,
//! a fixed number of `DescribeProxies` calls per round, 3 rounds, median calls per second.
//! Ignored by default (it is a measurement, not a check); run it with
//! `cargo test --release -p gaap-client --test e2e_throughput -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gaap_client::{Client, Credentials, RateLimitConfig, RetryConfig};
use gaap_mock::MockServer;

const CALLERS: usize = 64;
const CALLS: usize = 20_000;
const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement; run with --ignored --nocapture"]
async fn sixty_four_concurrent_typed_callers() {
    let server = MockServer::builder()
        .credential("AKIDBENCH", "bench-key")
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("AKIDBENCH", "bench-key"))
        .retry(RetryConfig::disabled())
        .rate_limit(RateLimitConfig::disabled())
        .build()
        .unwrap();
    let mut rates = Vec::with_capacity(ROUNDS);
    for round in 1..=ROUNDS {
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let callers: Vec<_> = (0..CALLERS)
            .map(|_| {
                let (client, next) = (client.clone(), Arc::clone(&next));
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < CALLS {
                        client.describe_proxies().limit(10).send().await.unwrap();
                    }
                })
            })
            .collect();
        for caller in callers {
            caller.await.unwrap();
        }
        let rate = CALLS as f64 / start.elapsed().as_secs_f64();
        println!("round {round}: {CALLS} calls, {CALLERS} callers: {rate:.0} calls/s");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.0} calls/s", rates[ROUNDS / 2]);
    assert_eq!(
        server.request_count("DescribeProxies"),
        (CALLS * ROUNDS) as u64
    );
}
