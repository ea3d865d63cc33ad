//! End to end: every one of the 102 actions (both sites), called once through the typed client with its
//! page's Input Example (deserialized into the generated request), gets an answer that
//! decodes into the generated response, or a documented service error for stateful actions
//! whose example names resources this fresh account does not have.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use gaap_client::{Client, Credentials, RetryConfig, SdkError};
use gaap_mock::{MockServer, STATEFUL_ACTIONS};
use gaap_model::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How one call ended.
#[derive(Debug)]
enum Answer {
    /// Decoded into the action's response type.
    Decoded,
    /// The service answered with this error code.
    Service(String),
    /// The client refused the request before sending it.
    Invalid,
}

/// Deserialize the example into `O` (the model's `server` feature gives requests
/// `Deserialize`), call it, and report how it ended.
async fn call_example<O: Operation + DeserializeOwned>(
    client: &Client,
    params: &Value,
) -> Result<Answer, String> {
    let request: O = serde_json::from_value(params.clone())
        .map_err(|e| format!("the example does not deserialize: {e}"))?;
    match client.call(request).await {
        Ok(_) => Ok(Answer::Decoded),
        Err(SdkError::Service(e)) => Ok(Answer::Service(e.code().to_owned())),
        Err(SdkError::Validation(_)) => Ok(Answer::Invalid),
        Err(other) => Err(format!("{other:?}")),
    }
}

macro_rules! dispatch {
    ($client:expr, $action:expr, $params:expr; $($request:ident),* $(,)?) => {{
        $(
            if $action == <$request as Operation>::ACTION {
                Some(call_example::<$request>($client, $params).await)
            } else
        )* {
            None
        }
    }};
}

async fn call_by_name(
    client: &Client,
    action: &str,
    params: &Value,
) -> Option<Result<Answer, String>> {
    dispatch!(client, action, params;
        AddRealServersRequest, BindListenerRealServersRequest, BindRuleRealServersRequest,
        CheckProxyCreateRequest, CloseProxiesRequest, CloseProxyGroupRequest,
        CloseSecurityPolicyRequest, CreateCertificateRequest, CreateCustomHeaderRequest,
        CreateDomainErrorPageInfoRequest, CreateDomainRequest, CreateHttpListenerRequest,
        CreateHttpsListenerRequest, CreateProxyGroupDomainRequest, CreateProxyGroupRequest,
        CreateProxyRequest, CreateRuleRequest, CreateSecurityPolicyRequest,
        CreateSecurityRulesRequest, CreateTcpListenersRequest, CreateUdpListenersRequest,
        DeleteCertificateRequest, DeleteDomainErrorPageInfoRequest, DeleteDomainRequest,
        DeleteListenersRequest, DeleteProxyGroupRequest, DeleteRuleRequest,
        DeleteSecurityPolicyRequest, DeleteSecurityRulesRequest,
        DescribeAccessRegionsByDestRegionRequest, DescribeAccessRegionsRequest,
        DescribeAuthSignatureRequest, DescribeBlackHeaderRequest,
        DescribeCertificateDetailRequest, DescribeCertificatesRequest,
        DescribeCountryAreaMappingRequest, DescribeCustomHeaderRequest,
        DescribeDestRegionsRequest, DescribeDomainErrorPageInfoByIdsRequest,
        DescribeDomainErrorPageInfoRequest, DescribeGroupAndStatisticsProxyRequest,
        DescribeGroupDomainConfigRequest, DescribeHttpListenersRequest,
        DescribeHttpsListenersRequest, DescribeListenerRealServersRequest,
        DescribeListenerStatisticsRequest, DescribeProxiesRequest, DescribeProxiesStatusRequest,
        DescribeProxyAndStatisticsListenersRequest, DescribeProxyDetailRequest,
        DescribeProxyGroupDetailsRequest, DescribeProxyGroupListRequest,
        DescribeProxyGroupStatisticsRequest, DescribeProxyStatisticsRequest,
        DescribeRealServerStatisticsRequest, DescribeRealServersRequest,
        DescribeRealServersStatusRequest, DescribeRegionAndPriceRequest,
        DescribeResourcesByTagRequest, DescribeRuleRealServersRequest,
        DescribeRulesByRuleIdsRequest, DescribeRulesRequest, DescribeSecurityPolicyDetailRequest,
        DescribeSecurityRulesRequest, DescribeTcpListenersRequest, DescribeUdpListenersRequest,
        DestroyProxiesRequest, InquiryPriceCreateProxyRequest, ModifyCertificateAttributesRequest,
        ModifyCertificateRequest, ModifyDomainRequest, ModifyGroupDomainConfigRequest,
        ModifyHttpListenerAttributeRequest, ModifyHttpsListenerAttributeRequest,
        ModifyProxiesAttributeRequest, ModifyProxiesProjectRequest,
        ModifyProxyConfigurationRequest, ModifyProxyGroupAttributeRequest,
        ModifyRealServerNameRequest, ModifyRuleAttributeRequest, ModifySecurityRuleRequest,
        ModifyTcpListenerAttributeRequest, ModifyUdpListenerAttributeRequest, OpenProxiesRequest,
        OpenProxyGroupRequest, OpenSecurityPolicyRequest, RemoveRealServersRequest,
        SetAuthenticationRequest,
        // The mainland site's own actions.
        BanAndRecoverProxyRequest, CreateGlobalDomainDnsRequest, CreateGlobalDomainRequest,
        DeleteGlobalDomainDnsRequest, DeleteGlobalDomainRequest, DescribeCrossBorderProxiesRequest,
        DescribeGlobalDomainDnsRequest, DescribeGlobalDomainsRequest, DescribeTaskStatusRequest,
        DisableGlobalDomainRequest, EnableGlobalDomainRequest, ModifyGlobalDomainAttributeRequest,
        ModifyGlobalDomainDnsRequest, SetTlsVersionRequest,
    )
}

/// Input Examples that break their own page's documented rules; the client's validation
/// refuses them before sending. `DescribeProxyGroupStatistics` sends MetricNames
/// `InputBandwidth`, which the page does not list; `CreateTCPListeners` sends ConnectTimeout 20
/// with DelayLoop 20, and the page says the timeout "shall be less than" DelayLoop;
/// `ModifyRuleAttribute` sends CheckParams.StatusCode `[1]`, and the Data Types page lists
/// 100, 200, 300, 400, 500; `DescribeListenerStatistics` sends MetricNames
/// `OutputBandwidth`, which the mainland page does not list.
const EXAMPLES_THE_PAGE_ITSELF_FORBIDS: &[&str] = &[
    "CreateTCPListeners",
    "DescribeListenerStatistics",
    "DescribeProxyGroupStatistics",
    "ModifyRuleAttribute",
];

/// The gateway's validation codes: never acceptable for an example the page allows.
const VALIDATION_CODES: &[&str] = &[
    "MissingParameter",
    "UnknownParameter",
    "InvalidParameter",
    "InvalidParameterValue",
];

#[tokio::test]
async fn every_action_answers_its_input_example_through_the_typed_client() {
    let ir: Value = serde_json::from_str(include_str!("../../api-specs/gaap.json")).unwrap();
    let server = MockServer::builder()
        .credential("AKIDE2E", "e2e-key")
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("AKIDE2E", "e2e-key"))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let mut decoded = BTreeSet::new();
    for action in ir["actions"].as_array().unwrap() {
        let name = action["name"].as_str().unwrap();
        let params = &action["examples"][0]["request"];
        let answer = call_by_name(&client, name, params)
            .await
            .unwrap_or_else(|| panic!("{name} is missing from the dispatch list"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let documented = |code: &str| {
            action["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["code"] == code)
                || ir["common_errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["code"] == code)
        };
        match answer {
            Answer::Decoded => {
                decoded.insert(name.to_owned());
            }
            Answer::Service(code)
                if STATEFUL_ACTIONS.contains(&name)
                    && documented(&code)
                    && !VALIDATION_CODES.contains(&code.as_str()) => {}
            Answer::Invalid if EXAMPLES_THE_PAGE_ITSELF_FORBIDS.contains(&name) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    let actions = ir["actions"].as_array().unwrap().len();
    assert_eq!(actions, 102);
    let sent: u64 = server.request_counts().values().sum();
    assert_eq!(
        sent,
        (actions - EXAMPLES_THE_PAGE_ITSELF_FORBIDS.len()) as u64
    );
    // Every example-answered action decoded; stateful ones only when the example's
    // resources could exist in an empty account.
    let expected_min = actions - STATEFUL_ACTIONS.len() - EXAMPLES_THE_PAGE_ITSELF_FORBIDS.len();
    assert!(decoded.len() >= expected_min, "{} decoded", decoded.len());
}
