//! End to end: every one of the 102 actions (both sites), called once through the typed client with its
//! page's Input Example (deserialized into the generated request), gets an answer that
//! decodes into the generated response, or a documented service error for stateful actions
//! whose example names resources this fresh account does not have.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use gaap_client::{Client, Credentials, RetryConfig, SdkError};
use gaap_mock::{MockServer, STATEFUL_ACTIONS};
use gaap_model::operation;
use gaap_model::{Operation, ServiceError};
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
    ($client:expr, $action:expr, $params:expr; $($request:ty),* $(,)?) => {{
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
        operation::add_real_servers::AddRealServersRequest, operation::bind_listener_real_servers::BindListenerRealServersRequest, operation::bind_rule_real_servers::BindRuleRealServersRequest,
        operation::check_proxy_create::CheckProxyCreateRequest, operation::close_proxies::CloseProxiesRequest, operation::close_proxy_group::CloseProxyGroupRequest,
        operation::close_security_policy::CloseSecurityPolicyRequest, operation::create_certificate::CreateCertificateRequest, operation::create_custom_header::CreateCustomHeaderRequest,
        operation::create_domain_error_page_info::CreateDomainErrorPageInfoRequest, operation::create_domain::CreateDomainRequest, operation::create_http_listener::CreateHttpListenerRequest,
        operation::create_https_listener::CreateHttpsListenerRequest, operation::create_proxy_group_domain::CreateProxyGroupDomainRequest, operation::create_proxy_group::CreateProxyGroupRequest,
        operation::create_proxy::CreateProxyRequest, operation::create_rule::CreateRuleRequest, operation::create_security_policy::CreateSecurityPolicyRequest,
        operation::create_security_rules::CreateSecurityRulesRequest, operation::create_tcp_listeners::CreateTcpListenersRequest, operation::create_udp_listeners::CreateUdpListenersRequest,
        operation::delete_certificate::DeleteCertificateRequest, operation::delete_domain_error_page_info::DeleteDomainErrorPageInfoRequest, operation::delete_domain::DeleteDomainRequest,
        operation::delete_listeners::DeleteListenersRequest, operation::delete_proxy_group::DeleteProxyGroupRequest, operation::delete_rule::DeleteRuleRequest,
        operation::delete_security_policy::DeleteSecurityPolicyRequest, operation::delete_security_rules::DeleteSecurityRulesRequest,
        operation::describe_access_regions_by_dest_region::DescribeAccessRegionsByDestRegionRequest, operation::describe_access_regions::DescribeAccessRegionsRequest,
        operation::describe_auth_signature::DescribeAuthSignatureRequest, operation::describe_black_header::DescribeBlackHeaderRequest,
        operation::describe_certificate_detail::DescribeCertificateDetailRequest, operation::describe_certificates::DescribeCertificatesRequest,
        operation::describe_country_area_mapping::DescribeCountryAreaMappingRequest, operation::describe_custom_header::DescribeCustomHeaderRequest,
        operation::describe_dest_regions::DescribeDestRegionsRequest, operation::describe_domain_error_page_info_by_ids::DescribeDomainErrorPageInfoByIdsRequest,
        operation::describe_domain_error_page_info::DescribeDomainErrorPageInfoRequest, operation::describe_group_and_statistics_proxy::DescribeGroupAndStatisticsProxyRequest,
        operation::describe_group_domain_config::DescribeGroupDomainConfigRequest, operation::describe_http_listeners::DescribeHttpListenersRequest,
        operation::describe_https_listeners::DescribeHttpsListenersRequest, operation::describe_listener_real_servers::DescribeListenerRealServersRequest,
        operation::describe_listener_statistics::DescribeListenerStatisticsRequest, operation::describe_proxies::DescribeProxiesRequest, operation::describe_proxies_status::DescribeProxiesStatusRequest,
        operation::describe_proxy_and_statistics_listeners::DescribeProxyAndStatisticsListenersRequest, operation::describe_proxy_detail::DescribeProxyDetailRequest,
        operation::describe_proxy_group_details::DescribeProxyGroupDetailsRequest, operation::describe_proxy_group_list::DescribeProxyGroupListRequest,
        operation::describe_proxy_group_statistics::DescribeProxyGroupStatisticsRequest, operation::describe_proxy_statistics::DescribeProxyStatisticsRequest,
        operation::describe_real_server_statistics::DescribeRealServerStatisticsRequest, operation::describe_real_servers::DescribeRealServersRequest,
        operation::describe_real_servers_status::DescribeRealServersStatusRequest, operation::describe_region_and_price::DescribeRegionAndPriceRequest,
        operation::describe_resources_by_tag::DescribeResourcesByTagRequest, operation::describe_rule_real_servers::DescribeRuleRealServersRequest,
        operation::describe_rules_by_rule_ids::DescribeRulesByRuleIdsRequest, operation::describe_rules::DescribeRulesRequest, operation::describe_security_policy_detail::DescribeSecurityPolicyDetailRequest,
        operation::describe_security_rules::DescribeSecurityRulesRequest, operation::describe_tcp_listeners::DescribeTcpListenersRequest, operation::describe_udp_listeners::DescribeUdpListenersRequest,
        operation::destroy_proxies::DestroyProxiesRequest, operation::inquiry_price_create_proxy::InquiryPriceCreateProxyRequest, operation::modify_certificate_attributes::ModifyCertificateAttributesRequest,
        operation::modify_certificate::ModifyCertificateRequest, operation::modify_domain::ModifyDomainRequest, operation::modify_group_domain_config::ModifyGroupDomainConfigRequest,
        operation::modify_http_listener_attribute::ModifyHttpListenerAttributeRequest, operation::modify_https_listener_attribute::ModifyHttpsListenerAttributeRequest,
        operation::modify_proxies_attribute::ModifyProxiesAttributeRequest, operation::modify_proxies_project::ModifyProxiesProjectRequest,
        operation::modify_proxy_configuration::ModifyProxyConfigurationRequest, operation::modify_proxy_group_attribute::ModifyProxyGroupAttributeRequest,
        operation::modify_real_server_name::ModifyRealServerNameRequest, operation::modify_rule_attribute::ModifyRuleAttributeRequest, operation::modify_security_rule::ModifySecurityRuleRequest,
        operation::modify_tcp_listener_attribute::ModifyTcpListenerAttributeRequest, operation::modify_udp_listener_attribute::ModifyUdpListenerAttributeRequest, operation::open_proxies::OpenProxiesRequest,
        operation::open_proxy_group::OpenProxyGroupRequest, operation::open_security_policy::OpenSecurityPolicyRequest, operation::remove_real_servers::RemoveRealServersRequest,
        operation::set_authentication::SetAuthenticationRequest,
        // The mainland site's own actions.
        operation::ban_and_recover_proxy::BanAndRecoverProxyRequest, operation::create_global_domain_dns::CreateGlobalDomainDnsRequest, operation::create_global_domain::CreateGlobalDomainRequest,
        operation::delete_global_domain_dns::DeleteGlobalDomainDnsRequest, operation::delete_global_domain::DeleteGlobalDomainRequest, operation::describe_cross_border_proxies::DescribeCrossBorderProxiesRequest,
        operation::describe_global_domain_dns::DescribeGlobalDomainDnsRequest, operation::describe_global_domains::DescribeGlobalDomainsRequest, operation::describe_task_status::DescribeTaskStatusRequest,
        operation::disable_global_domain::DisableGlobalDomainRequest, operation::enable_global_domain::EnableGlobalDomainRequest, operation::modify_global_domain_attribute::ModifyGlobalDomainAttributeRequest,
        operation::modify_global_domain_dns::ModifyGlobalDomainDnsRequest, operation::set_tls_version::SetTlsVersionRequest,
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
