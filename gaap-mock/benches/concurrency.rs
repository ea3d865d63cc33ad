//! Sustained calls per second with 64 concurrent clients against the in-process emulator.
//!
//! Each call is a fully signed TC3 `POST` (`DescribeProxies`, answered from state): signature
//! verification, validation, the state lock and the envelope are all on the path. Runs 3 rounds
//! of a fixed number of calls and prints each rate and the median.
//! `cargo bench -p gaap-mock --bench concurrency [-- CALLS]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use gaap_mock::MockServer;
use support::{Call, code};

const CLIENTS: usize = 64;
const ROUNDS: usize = 3;

#[tokio::main]
async fn main() {
    let calls: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    let server = MockServer::builder()
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let url = Arc::new(server.url());
    let mut rates = Vec::with_capacity(ROUNDS);
    for round in 1..=ROUNDS {
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let workers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (url, next) = (Arc::clone(&url), Arc::clone(&next));
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    while next.fetch_add(1, Ordering::Relaxed) < calls {
                        let (status, _, body) =
                            Call::post(&url, "DescribeProxies", "{\"Limit\": 10}")
                                .send(&client)
                                .await;
                        assert!(status == 200 && code(&body).is_empty(), "{body}");
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.unwrap();
        }
        let rate = calls as f64 / start.elapsed().as_secs_f64();
        println!("round {round}: {calls} calls, {CLIENTS} clients: {rate:.0} calls/s");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!("median: {:.0} calls/s", rates[ROUNDS / 2]);
}
