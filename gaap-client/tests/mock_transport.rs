//! The mock transport (feature `test-util`): the responder sees the typed request and
//! answers with a typed response or a service error; the client's real validation,
//! signing, retries and decoding run around it; every request is recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use gaap_client::gaap_model::{
    ErrorMetadata, operation::delete_listeners::DeleteListenersError,
    operation::delete_listeners::DeleteListenersRequest,
    operation::delete_listeners::DeleteListenersResponse,
    operation::describe_proxies::DescribeProxiesRequest,
    operation::describe_proxies::DescribeProxiesResponse, types::DeleteListenersForce,
};
use gaap_client::signing::{Payload, SignableRequest, Signer};
use gaap_client::test_util::{MockReply, MockTransport};
use gaap_client::{Client, Credentials, Jitter, RetryConfig, SdkError};

const ID: &str = "AKIDmockid";
const KEY: &str = "mock-secret-key";

fn client(mock: &Arc<MockTransport>) -> Client {
    Client::builder()
        .credentials(Credentials::new(ID, KEY))
        .retry(
            RetryConfig::new()
                .initial_backoff(Duration::from_millis(1))
                .jitter(Jitter::None),
        )
        .mock_transport(Arc::clone(mock))
        .build()
        .unwrap()
}

#[tokio::test]
async fn typed_requests_in_typed_responses_out_recorded_and_signed() {
    let mock = MockTransport::new();
    mock.on::<DescribeProxiesRequest, _>(|request| {
        let mut response = DescribeProxiesResponse::default();
        response.total_count = request.limit;
        Ok(response)
    });
    let client = client(&mock);
    let reply = client.describe_proxies().limit(7).send().await.unwrap();
    assert_eq!(reply.total_count, Some(7));
    assert_eq!(reply.request_id.as_deref(), Some("mock-1"));

    let calls = mock.calls();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.action(), "DescribeProxies");
    assert_eq!(
        call.input::<DescribeProxiesRequest>().unwrap().limit,
        Some(7)
    );
    // The real signature over what was "sent" (host: the default endpoint).
    let timestamp: i64 = call.header("x-tc-timestamp").unwrap().parse().unwrap();
    let expected = Signer::new("gaap").authorization(
        &SignableRequest {
            method: "POST",
            query: "",
            content_type: "application/json",
            host: "gaap.tencentcloudapi.com",
            payload: Payload::Bytes(call.body()),
        },
        ID,
        KEY,
        timestamp,
    );
    assert_eq!(call.header("authorization"), Some(expected.as_str()));
    assert!(
        !format!("{call:?}").contains(&expected),
        "Debug hides the signature"
    );
}

#[tokio::test]
async fn service_errors_decode_into_the_actions_typed_variants() {
    let mock = MockTransport::new();
    mock.on::<DeleteListenersRequest, _>(|request| {
        assert_eq!(request.listener_ids, ["lsr-1"]);
        Err(ErrorMetadata::new(
            "FailedOperation.InstanceStatusNotInRuning",
            "not running",
            None,
        ))
    });
    let client = client(&mock);
    let err = client
        .delete_listeners()
        .proxy_id("link-1")
        .listener_ids(vec!["lsr-1".to_owned()])
        .force(DeleteListenersForce::NotAllowed)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::Service(DeleteListenersError::FailedOperationInstanceStatusNotInRuning(_))
        ),
        "{err}"
    );
    assert!(err.trace_id().is_some());
}

#[tokio::test]
async fn validation_runs_before_the_mock_and_nothing_is_recorded() {
    let mock = MockTransport::new();
    let client = client(&mock);
    let err = client
        .describe_proxies()
        .limit(1000)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err}");
    assert!(mock.calls().is_empty());
}

#[tokio::test]
async fn retries_follow_the_real_rules() {
    let mock = MockTransport::new();
    let served = Arc::new(AtomicU32::new(0));
    let count = Arc::clone(&served);
    mock.on::<DescribeProxiesRequest, _>(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
        Ok(DescribeProxiesResponse::default())
    });
    // A read: a timeout and a 502 are retried, then the handler answers.
    mock.on_action_once("DescribeProxies", MockReply::Timeout);
    mock.on_action_once(
        "DescribeProxies",
        MockReply::http(502, "<html>bad gateway</html>"),
    );
    let client = client(&mock);
    client.describe_proxies().send().await.unwrap();
    let calls = mock.calls_to("DescribeProxies");
    assert_eq!(calls.len(), 3);
    assert_eq!(served.load(Ordering::SeqCst), 1);
    assert!(
        calls
            .iter()
            .all(|c| c.header("x-tc-traceid") == calls[0].header("x-tc-traceid"))
    );

    // A write without ClientToken: a timeout may have applied it, so it is not repeated.
    mock.on::<DeleteListenersRequest, _>(|_| Ok(DeleteListenersResponse::default()));
    mock.on_action_once("DeleteListeners", MockReply::Timeout);
    let err = client
        .delete_listeners()
        .proxy_id("link-1")
        .listener_ids(vec!["lsr-1".to_owned()])
        .force(DeleteListenersForce::NotAllowed)
        .send()
        .await
        .unwrap_err();
    assert!(err.may_have_been_applied(), "{err}");
    assert_eq!(mock.calls_to("DeleteListeners").len(), 1);

    // A connection never made is safe to retry for any action.
    mock.on_action_once("DeleteListeners", MockReply::ConnectFailure);
    client
        .delete_listeners()
        .proxy_id("link-1")
        .listener_ids(vec!["lsr-1".to_owned()])
        .force(DeleteListenersForce::NotAllowed)
        .send()
        .await
        .unwrap();
    assert_eq!(mock.calls_to("DeleteListeners").len(), 3);
}

#[tokio::test]
async fn raw_replies_unknown_actions_and_call_action() {
    let mock = MockTransport::new();
    mock.on_action("DescribeAccessRegions", |_| {
        MockReply::Output(serde_json::json!({"TotalCount": 1, "AccessRegionSet": []}))
    });
    let client = client(&mock);
    let reply = client
        .call_action("DescribeAccessRegions", serde_json::json!({}))
        .await
        .unwrap();
    assert_eq!(reply["TotalCount"], 1);
    let err = client.describe_dest_regions().send().await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidAction"));
    mock.fallback(|call| MockReply::service_error("UnauthorizedOperation", call.action()));
    let err = client.describe_dest_regions().send().await.unwrap_err();
    assert_eq!(err.message(), Some("DescribeDestRegions"));
}
