//! Unit-testing your own code with the mock transport (cargo feature `test-util`): no server,
//! canned typed replies, every request recorded, and the client's real validation,
//! signing, retries and decoding in between.
//!
//! ```text
//! cargo run -p gaap-client --features test-util --example mock_transport
//! ```

use std::time::Duration;

use gaap_client::gaap_model::{
    operation::describe_proxies::DescribeProxiesRequest,
    operation::describe_proxies::DescribeProxiesResponse, types::ProxyInfo,
};
use gaap_client::test_util::{MockReply, MockTransport};
use gaap_client::{Client, Credentials, RetryConfig};

/// The code under test: the IDs of the connections in `region`.
async fn proxy_ids(
    client: &Client,
    region: &str,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let reply = client
        .describe_proxies()
        .filters(vec![
            gaap_client::gaap_model::types::Filter::default()
                .name("AccessRegion".to_owned())
                .values(vec![region.to_owned()]),
        ])
        .send()
        .await?;
    Ok(reply
        .proxy_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.proxy_id)
        .collect())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // README: mock transport
    let mock = MockTransport::new();
    mock.on::<DescribeProxiesRequest, _>(|request| {
        let filters = request.filters.unwrap_or_default();
        let region = filters
            .first()
            .and_then(|f| f.values.clone())
            .unwrap_or_default();
        let mut proxy = ProxyInfo::default();
        proxy.proxy_id = Some(format!("link-{}", region.join("")));
        let mut response = DescribeProxiesResponse::default();
        response.total_count = Some(1);
        response.proxy_set = Some(vec![proxy]);
        Ok(response)
    });
    // The first attempt is rate limited: the client retries it.
    mock.on_action_once(
        "DescribeProxies",
        MockReply::service_error("RequestLimitExceeded", "slow down"),
    );
    let client = Client::builder()
        .credentials(Credentials::new("AKIDexample", "example-key"))
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
        .mock_transport(mock.clone())
        .build()?;

    assert_eq!(
        proxy_ids(&client, "ap-hongkong").await?,
        ["link-ap-hongkong"]
    );
    let calls = mock.calls_to("DescribeProxies");
    assert_eq!(calls.len(), 2);
    assert_eq!(
        calls[0].header("x-tc-traceid"),
        calls[1].header("x-tc-traceid")
    );
    assert!(
        calls[1]
            .header("authorization")
            .is_some_and(|a| a.starts_with("TC3-HMAC-SHA256"))
    );
    // README: end
    println!(
        "mock transport example: ok ({} calls recorded)",
        mock.calls().len()
    );
    Ok(())
}
