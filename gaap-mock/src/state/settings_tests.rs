//! Settings writes that keep state: custom headers, error pages, rule bindings,
//! authentication, TLS, a group's domain configuration, and DescribeProxyDetail. Each
//! write is read back by its Describe, and a missing resource is refused.

use serde_json::{Value, json};

use super::Store;

const T0: i64 = 1_700_000_000;

fn call(store: &mut Store, action: &str, params: Value) -> Result<Value, String> {
    match store.handle(action, &params, T0, &format!("req-{action}")) {
        Some(Ok(fields)) => Ok(Value::Object(fields)),
        Some(Err(e)) => Err(e.code),
        None => Err(format!("{action} is not stateful")),
    }
}

fn ok(store: &mut Store, action: &str, params: Value) -> Value {
    call(store, action, params).unwrap_or_else(|e| panic!("{action} failed: {e}"))
}

fn err(store: &mut Store, action: &str, params: Value) -> String {
    match call(store, action, params) {
        Err(code) => code,
        Ok(v) => panic!("{action} should fail: {v}"),
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A running connection with an HTTPS listener, domain `www.example.com` and rule `/`:
/// `(proxy, listener, rule)`.
fn https_rule(store: &mut Store) -> (String, String, String) {
    let proxy = text(
        &ok(
            store,
            "CreateProxy",
            json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
                   "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}),
        )["InstanceId"],
    );
    let listener = text(
        &ok(
            store,
            "CreateHTTPSListener",
            json!({"ProxyId": proxy, "ListenerName": "s", "Port": 443,
                   "CertificateId": "cert-1", "ForwardProtocol": "HTTP"}),
        )["ListenerId"],
    );
    ok(
        store,
        "CreateDomain",
        json!({"ListenerId": listener, "Domain": "www.example.com"}),
    );
    let rule = text(
        &ok(
            store,
            "CreateRule",
            json!({"ListenerId": listener, "Domain": "www.example.com", "Path": "/",
                   "RealServerType": "IP", "Scheduler": "rr", "HealthCheck": 0}),
        )["RuleId"],
    );
    (proxy, listener, rule)
}

#[test]
fn custom_headers_are_kept_per_rule() {
    let mut store = Store::default();
    let (_, _, rule) = https_rule(&mut store);
    let empty = ok(&mut store, "DescribeCustomHeader", json!({"RuleId": rule}));
    assert_eq!(empty["Headers"], json!([]));
    let headers = json!([{"HeaderName": "X-Client", "HeaderValue": "$remote_addr"}]);
    ok(
        &mut store,
        "CreateCustomHeader",
        json!({"RuleId": rule, "Headers": headers}),
    );
    let read = ok(&mut store, "DescribeCustomHeader", json!({"RuleId": rule}));
    assert_eq!(read["RuleId"], json!(rule));
    assert_eq!(read["Headers"], headers);
    assert_eq!(
        err(
            &mut store,
            "CreateCustomHeader",
            json!({"RuleId": "rule-nothere", "Headers": headers}),
        ),
        "ResourceNotFound"
    );
    assert_eq!(
        err(
            &mut store,
            "DescribeCustomHeader",
            json!({"RuleId": "rule-nothere"})
        ),
        "ResourceNotFound"
    );
}

#[test]
fn error_pages_are_created_described_and_deleted() {
    let mut store = Store::default();
    let (_, listener, _) = https_rule(&mut store);
    let domain = json!({"ListenerId": listener, "Domain": "www.example.com"});
    let page = json!({"ListenerId": listener, "Domain": "www.example.com",
                      "ErrorNos": [404, 503], "Body": "<p>sorry</p>", "NewErrorNo": 200});
    let id = text(&ok(&mut store, "CreateDomainErrorPageInfo", page.clone())["ErrorPageId"]);
    assert!(id.starts_with("errorPage-"), "{id}");
    // The same error code twice on one domain is refused.
    assert_eq!(
        err(&mut store, "CreateDomainErrorPageInfo", page),
        "FailedOperation"
    );
    let listed = ok(&mut store, "DescribeDomainErrorPageInfo", domain.clone());
    assert_eq!(listed["ErrorPageSet"][0]["ErrorPageId"], json!(id));
    assert_eq!(listed["ErrorPageSet"][0]["ErrorNos"], json!([404, 503]));
    assert_eq!(listed["ErrorPageSet"][0]["Body"], "<p>sorry</p>");
    let by_id = ok(
        &mut store,
        "DescribeDomainErrorPageInfoByIds",
        json!({"ErrorPageIds": [id, "errorPage-nothere"]}),
    );
    assert_eq!(by_id["ErrorPageSet"].as_array().map(Vec::len), Some(1));
    ok(
        &mut store,
        "DeleteDomainErrorPageInfo",
        json!({"ErrorPageId": id}),
    );
    let left = ok(&mut store, "DescribeDomainErrorPageInfo", domain);
    assert_eq!(left["ErrorPageSet"], json!([]));
    assert_eq!(
        err(
            &mut store,
            "DeleteDomainErrorPageInfo",
            json!({"ErrorPageId": id})
        ),
        "ResourceNotFound"
    );
    assert_eq!(
        err(
            &mut store,
            "CreateDomainErrorPageInfo",
            json!({"ListenerId": listener, "Domain": "nothere.example.com",
                   "ErrorNos": [404], "Body": "x"}),
        ),
        "ResourceNotFound"
    );
}

#[test]
fn rule_bindings_show_in_describe_rule_real_servers_and_describe_rules() {
    let mut store = Store::default();
    let (_, listener, rule) = https_rule(&mut store);
    let rs = text(
        &ok(
            &mut store,
            "AddRealServers",
            json!({"RealServerIP": ["1.1.1.1"], "RealServerName": "o", "ProjectId": 0}),
        )["RealServerSet"][0]["RealServerId"],
    );
    ok(
        &mut store,
        "BindRuleRealServers",
        json!({"RuleId": rule, "RealServerBindSet": [
            {"RealServerId": rs, "RealServerPort": 8080, "RealServerIP": "1.1.1.1",
             "RealServerWeight": 5}]}),
    );
    let read = ok(
        &mut store,
        "DescribeRuleRealServers",
        json!({"RuleId": rule}),
    );
    assert_eq!(read["BindRealServerTotalCount"], 1);
    assert_eq!(read["BindRealServerSet"][0]["RealServerId"], json!(rs));
    assert_eq!(read["BindRealServerSet"][0]["RealServerPort"], 8080);
    assert_eq!(read["BindRealServerSet"][0]["RealServerWeight"], 5);
    assert_eq!(read["TotalCount"], 1);
    let rules = ok(&mut store, "DescribeRules", json!({"ListenerId": listener}));
    assert_eq!(
        rules["DomainRuleSet"][0]["RuleSet"][0]["RealServerSet"][0]["RealServerIP"],
        "1.1.1.1"
    );
    // A bound origin server cannot be removed.
    assert_eq!(
        err(
            &mut store,
            "RemoveRealServers",
            json!({"RealServerIds": [rs]})
        ),
        "FailedOperation.RealServerAlreadyBound"
    );
    assert_eq!(
        err(
            &mut store,
            "BindRuleRealServers",
            json!({"RuleId": rule, "RealServerBindSet": [
                {"RealServerId": "rs-nothere", "RealServerPort": 80, "RealServerIP": "2.2.2.2"}]}),
        ),
        "InvalidParameterValue.RealServerNotBelong"
    );
    // An empty list unbinds all.
    ok(&mut store, "BindRuleRealServers", json!({"RuleId": rule}));
    let read = ok(
        &mut store,
        "DescribeRuleRealServers",
        json!({"RuleId": rule}),
    );
    assert_eq!(read["BindRealServerTotalCount"], 0);
    assert_eq!(
        err(
            &mut store,
            "DescribeRuleRealServers",
            json!({"RuleId": "rule-nothere"})
        ),
        "ResourceNotFound"
    );
}

#[test]
fn authentication_shows_in_the_domain_of_describe_rules() {
    let mut store = Store::default();
    let (_, listener, _) = https_rule(&mut store);
    let ca = text(
        &ok(
            &mut store,
            "CreateCertificate",
            json!({"CertificateType": 2, "CertificateContent": "ca", "CertificateAlias": "ca"}),
        )["CertificateId"],
    );
    ok(
        &mut store,
        "SetAuthentication",
        json!({"ListenerId": listener, "Domain": "www.example.com", "BasicAuth": 0,
               "GaapAuth": 0, "RealServerAuth": 1, "RealServerCertificateId": ca}),
    );
    let rules = ok(&mut store, "DescribeRules", json!({"ListenerId": listener}));
    let domain = &rules["DomainRuleSet"][0];
    assert_eq!(domain["RealServerAuth"], 1);
    assert_eq!(domain["BasicAuth"], 0);
    assert_eq!(domain["RealServerCertificateId"], json!(ca));
    assert_eq!(domain["RealServerCertificateAlias"], "ca");
    assert_eq!(
        err(
            &mut store,
            "SetAuthentication",
            json!({"ListenerId": listener, "Domain": "www.example.com", "GaapAuth": 1,
                   "GaapCertificateId": "cert-nothere"}),
        ),
        "InvalidParameterValue.InvalidCertificateId"
    );
    assert_eq!(
        err(
            &mut store,
            "SetAuthentication",
            json!({"ListenerId": listener, "Domain": "nothere.example.com", "BasicAuth": 1}),
        ),
        "ResourceNotFound"
    );
}

#[test]
fn tls_version_shows_in_describe_https_listeners() {
    let mut store = Store::default();
    let (proxy, listener, _) = https_rule(&mut store);
    ok(
        &mut store,
        "SetTlsVersion",
        json!({"ListenerId": listener, "TLSSupportVersion": ["TLSv1.2", "TLSv1.3"],
               "TLSCiphers": "GAAP_TLS_CIPHERS_STRICT"}),
    );
    let listed = ok(
        &mut store,
        "DescribeHTTPSListeners",
        json!({"ProxyId": proxy}),
    );
    assert_eq!(
        listed["ListenerSet"][0]["TLSSupportVersion"],
        json!(["TLSv1.2", "TLSv1.3"])
    );
    assert_eq!(
        listed["ListenerSet"][0]["TLSCiphers"],
        "GAAP_TLS_CIPHERS_STRICT"
    );
    assert_eq!(
        err(
            &mut store,
            "SetTlsVersion",
            json!({"ListenerId": "listener-nothere", "TLSSupportVersion": ["TLSv1.2"],
                   "TLSCiphers": "GAAP_TLS_CIPHERS_GENERAL"}),
        ),
        "ResourceNotFound"
    );
}

#[test]
fn a_group_domain_is_enabled_configured_and_described() {
    let mut store = Store::default();
    let group = text(
        &ok(
            &mut store,
            "CreateProxyGroup",
            json!({"ProjectId": 0, "GroupName": "g", "RealServerRegion": "Beijing"}),
        )["GroupId"],
    );
    let member = text(
        &ok(
            &mut store,
            "CreateProxy",
            json!({"ProjectId": 0, "ProxyName": "m", "AccessRegion": "Guangzhou",
                   "Bandwidth": 10, "Concurrent": 2, "GroupId": group}),
        )["InstanceId"],
    );
    let config = json!({"GroupId": group});
    assert_eq!(
        err(&mut store, "DescribeGroupDomainConfig", config.clone()),
        "ResourceUnavailable"
    );
    let created = ok(&mut store, "CreateProxyGroupDomain", config.clone());
    assert_eq!(created["GroupId"], json!(group));
    ok(
        &mut store,
        "ModifyGroupDomainConfig",
        json!({"GroupId": group, "DefaultDnsIp": "1.2.3.4", "AccessRegionList": [
            {"RegionId": "Guangzhou", "NationCountryInnerList": ["101001"]}]}),
    );
    let read = ok(&mut store, "DescribeGroupDomainConfig", config);
    assert_eq!(read["DefaultDnsIp"], "1.2.3.4");
    assert_eq!(read["AccessRegionCount"], 1);
    let region = &read["AccessRegionList"][0];
    assert_eq!(region["RegionId"], "Guangzhou");
    assert_eq!(
        region["NationCountryInnerList"][0]["NationCountryInnerCode"],
        "101001"
    );
    assert_eq!(region["ProxyList"][0]["ProxyId"], json!(member));
    assert_eq!(
        err(
            &mut store,
            "CreateProxyGroupDomain",
            json!({"GroupId": "lg-nothere"})
        ),
        "ResourceNotFound"
    );
}

#[test]
fn describe_proxy_detail_answers_from_the_connection() {
    let mut store = Store::default();
    let (proxy, _, _) = https_rule(&mut store);
    ok(
        &mut store,
        "ModifyProxiesAttribute",
        json!({"ProxyIds": [proxy], "ProxyName": "renamed"}),
    );
    let detail = ok(&mut store, "DescribeProxyDetail", json!({"ProxyId": proxy}));
    assert_eq!(detail["ProxyDetail"]["ProxyId"], json!(proxy));
    assert_eq!(detail["ProxyDetail"]["ProxyName"], "renamed");
    let listed = ok(&mut store, "DescribeProxies", json!({"ProxyIds": [proxy]}));
    assert_eq!(detail["ProxyDetail"], listed["ProxySet"][0]);
    assert_eq!(
        err(
            &mut store,
            "DescribeProxyDetail",
            json!({"ProxyId": "link-nothere"})
        ),
        "ResourceNotFound"
    );
}
