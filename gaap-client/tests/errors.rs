//! Service errors through real generated actions: a common code arrives once, in
//! `Common(CommonError)` (from the emulator and from the mock transport), a code the
//! action's page documents gets its own variant, anything else is `Unhandled`; the retry
//! class of a code (generated from the IR) decides whether the client sends it again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use gaap_client::gaap_model::ServiceError;
use gaap_client::gaap_model::error::{CommonError, Retry};
use gaap_client::operation::delete_listeners::DeleteListenersError;
use gaap_client::operation::describe_proxies::{DescribeProxiesError, DescribeProxiesResponse};
use gaap_client::test_util::{MockReply, MockTransport};
use gaap_client::types::DeleteListenersForce;
use gaap_client::{Client, Credentials, Jitter, RetryConfig, SdkError};
use gaap_mock::MockServer;

fn mock_client(mock: &Arc<MockTransport>) -> Client {
    Client::builder()
        .credentials(Credentials::new("AKIDerrors", "errors-key"))
        .retry(
            RetryConfig::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .jitter(Jitter::None),
        )
        .mock_transport(Arc::clone(mock))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_wrong_secret_is_a_common_code_from_the_emulator() {
    let server = MockServer::builder()
        .credential("AKIDerrors", "right-key")
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("AKIDerrors", "wrong-key"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.describe_proxies().send().await.unwrap_err();
    let SdkError::Service(error) = error else {
        panic!("not a service error: {error:?}")
    };
    assert!(
        matches!(
            &error,
            DescribeProxiesError::Common(CommonError::AuthFailureSignatureFailure(_))
        ),
        "{error:?}"
    );
    assert!(
        error
            .common()
            .is_some_and(CommonError::is_auth_failure_signature_failure)
    );
    assert_eq!(error.retry(), None);
    assert!(error.request_id().is_some());
}

#[tokio::test]
async fn page_codes_common_codes_and_unknown_codes_each_have_their_place() {
    let mock = MockTransport::new();
    mock.on_action_once(
        "DeleteListeners",
        MockReply::service_error("FailedOperation.ListenerHasTask", "busy"),
    );
    mock.on_action_once(
        "DeleteListeners",
        MockReply::service_error("ResourceNotFound", "gone"),
    );
    mock.on_action_once(
        "DeleteListeners",
        MockReply::service_error("FailedOperation.SomethingNew", "new"),
    );
    // A code nearly every page lists, though the Common Error Codes page does not.
    mock.on_action_once(
        "DeleteListeners",
        MockReply::service_error("AuthFailure", "denied"),
    );
    let client = mock_client(&mock);
    let call = || {
        client
            .delete_listeners()
            .listener_ids(["lsr-1"])
            .force(DeleteListenersForce::NotAllowed)
            .proxy_id("link-1")
            .send()
    };
    let page = call().await.unwrap_err().into_service_error().unwrap();
    assert!(page.is_failed_operation_listener_has_task(), "{page:?}");
    assert!(page.common().is_none());
    let common = call().await.unwrap_err().into_service_error().unwrap();
    assert!(
        matches!(
            common,
            DeleteListenersError::Common(CommonError::ResourceNotFound(_))
        ),
        "{common:?}"
    );
    let unknown = call().await.unwrap_err().into_service_error().unwrap();
    assert!(
        matches!(unknown, DeleteListenersError::Unhandled(ref meta) if meta.code == "FailedOperation.SomethingNew"),
        "{unknown:?}"
    );
    let shared = call().await.unwrap_err().into_service_error().unwrap();
    assert!(
        matches!(
            shared,
            DeleteListenersError::Common(CommonError::AuthFailure(_))
        ),
        "{shared:?}"
    );
}

#[tokio::test]
async fn a_throttled_call_is_sent_again_and_a_refused_one_is_not() {
    let mock = MockTransport::new();
    mock.on_action_once(
        "DescribeProxies",
        MockReply::service_error("RequestLimitExceeded.UinLimitExceeded", "slow down"),
    );
    mock.on::<gaap_client::operation::describe_proxies::DescribeProxiesRequest, _>(|_| {
        Ok(DescribeProxiesResponse::default())
    });
    let client = mock_client(&mock);
    client.describe_proxies().send().await.unwrap();
    assert_eq!(mock.calls().len(), 2, "the throttled call is retried");
    assert_eq!(
        gaap_client::gaap_model::error::retry_of("RequestLimitExceeded.UinLimitExceeded"),
        Some(Retry::Throttled)
    );

    let refused = MockTransport::new();
    refused.on_action_once(
        "DescribeProxies",
        MockReply::service_error("InvalidParameter", "bad"),
    );
    let client = mock_client(&refused);
    let error = client
        .describe_proxies()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(
        error
            .common()
            .is_some_and(CommonError::is_invalid_parameter)
    );
    assert_eq!(error.retry(), None);
    assert_eq!(refused.calls().len(), 1, "a refused call is not retried");
}
