//! The blocking client (cargo feature `blocking`): GAAP calls from plain synchronous code.
//!
//! ```text
//! cargo run -p gaap-client --features blocking --example blocking
//! ```
//!
//! It starts an in-process `gaap-mock` emulator on a thread of its own, then calls it from
//! `main` without any `async`.

use std::error::Error;
use std::sync::mpsc;

use gaap_client::blocking;
use gaap_client::{Credentials, SdkError};

type BoxError = Box<dyn Error + Send + Sync>;

/// The emulator on a background thread; returns its URL.
fn start_emulator() -> Result<String, BoxError> {
    let (url_tx, url_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime,
            Err(e) => return drop(url_tx.send(Err(e.to_string()))),
        };
        runtime.block_on(async move {
            match gaap_mock::MockServer::start().await {
                Ok(server) => {
                    let _ = url_tx.send(Ok(server.url()));
                    std::future::pending::<()>().await; // serve until the process exits
                    drop(server);
                }
                Err(e) => drop(url_tx.send(Err(e.to_string()))),
            }
        });
    });
    Ok(url_rx.recv()??)
}

fn main() -> Result<(), BoxError> {
    let endpoint = start_emulator()?;
    let credentials = Credentials::new(gaap_mock::DEFAULT_SECRET_ID, gaap_mock::DEFAULT_SECRET_KEY);

    // README: blocking
    let client = blocking::Client::builder()
        .endpoint(endpoint)
        .credentials(credentials)
        .build_blocking()?;
    let proxies = client.describe_proxies().limit(20).send_blocking()?;
    println!("{} connections", proxies.total_count.unwrap_or(0));
    let regions = client.call_action("DescribeAccessRegions", serde_json::json!({}))?;
    println!("access regions: {}", regions["TotalCount"]);
    match client.describe_proxies().limit(1000).send_blocking() {
        Err(SdkError::Validation(e)) => println!("refused before sending: {e}"),
        other => println!("unexpected: {other:?}"),
    }
    // README: end
    Ok(())
}
