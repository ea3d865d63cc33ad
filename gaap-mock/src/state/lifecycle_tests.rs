//! Resources that live: transitions on the store's clock, refusals in the wrong state, and
//! the writes on connections and groups that keep state.

use serde_json::{Value, json};

use super::Store;

const T0: i64 = 1_700_000_000;
const DELAY: i64 = 30;

fn call(store: &mut Store, action: &str, params: Value, now: i64) -> Result<Value, String> {
    match store.handle(action, &params, now, &format!("req-{action}-{now}")) {
        Some(Ok(fields)) => Ok(Value::Object(fields)),
        Some(Err(e)) => Err(e.code),
        None => Err(format!("{action} is not stateful")),
    }
}

fn ok(store: &mut Store, action: &str, params: Value, now: i64) -> Value {
    call(store, action, params, now).unwrap_or_else(|e| panic!("{action} failed: {e}"))
}

fn err(store: &mut Store, action: &str, params: Value, now: i64) -> String {
    match call(store, action, params, now) {
        Err(code) => code,
        Ok(v) => panic!("{action} should fail: {v}"),
    }
}

fn create_proxy(store: &mut Store, now: i64) -> String {
    let out = ok(
        store,
        "CreateProxy",
        json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
               "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}),
        now,
    );
    out["InstanceId"].as_str().unwrap_or_default().to_owned()
}

fn proxy(store: &mut Store, id: &str, now: i64) -> Value {
    let out = ok(store, "DescribeProxies", json!({"ProxyIds": [id]}), now);
    out["ProxySet"].get(0).cloned().unwrap_or(Value::Null)
}

fn status(store: &mut Store, id: &str, now: i64) -> String {
    proxy(store, id, now)["Status"]
        .as_str()
        .unwrap_or("GONE")
        .to_owned()
}

#[test]
fn a_connection_lives_through_its_states_on_the_clock() {
    let mut store = Store::with_state_delay(DELAY);
    let id = create_proxy(&mut store, T0);
    assert_eq!(status(&mut store, &id, T0), "CREATING");
    assert_eq!(status(&mut store, &id, T0 + DELAY - 1), "CREATING");
    // Listeners and configuration changes are refused until it runs.
    let tcp = json!({"ProxyId": id, "ListenerName": "l", "Ports": [80], "Scheduler": "rr",
                     "HealthCheck": 0, "RealServerType": "IP"});
    assert_eq!(
        err(&mut store, "CreateTCPListeners", tcp.clone(), T0 + 1),
        "FailedOperation.ProxyStatusNotInRuning"
    );
    assert_eq!(
        err(&mut store, "CreateUDPListeners", tcp.clone(), T0 + 1),
        "FailedOperation.InstanceStatusNotInRuning"
    );
    assert_eq!(
        err(
            &mut store,
            "ModifyProxyConfiguration",
            json!({"ProxyId": id, "Bandwidth": 20}),
            T0 + 1
        ),
        "FailedOperation"
    );
    assert_eq!(
        err(
            &mut store,
            "DestroyProxies",
            json!({"ProxyIds": [id], "Force": 0}),
            T0 + 1
        ),
        "FailedOperation.ActionIsDoing"
    );
    let t = T0 + DELAY;
    assert_eq!(status(&mut store, &id, t), "RUNNING");

    // A new listener is creating (1), then running (0).
    let listener = ok(&mut store, "CreateTCPListeners", tcp, t)["ListenerIds"][0].clone();
    let listener_status = |store: &mut Store, now| {
        ok(
            store,
            "DescribeTCPListeners",
            json!({"ListenerId": listener}),
            now,
        )["ListenerSet"][0]["ListenerStatus"]
            .clone()
    };
    assert_eq!(listener_status(&mut store, t), json!(1));
    assert_eq!(listener_status(&mut store, t + DELAY), json!(0));

    // Configuration: ADJUSTING, then RUNNING with the new bandwidth.
    let t = t + DELAY;
    ok(
        &mut store,
        "ModifyProxyConfiguration",
        json!({"ProxyId": id, "Bandwidth": 20, "Concurrent": 4}),
        t,
    );
    assert_eq!(status(&mut store, &id, t), "ADJUSTING");
    let t = t + DELAY;
    let info = proxy(&mut store, &id, t);
    assert_eq!(
        (info["Status"].clone(), info["Bandwidth"].clone()),
        (json!("RUNNING"), json!(20))
    );

    // Close: CLOSING, then CLOSED; closing again is an invalid status.
    let closed = ok(&mut store, "CloseProxies", json!({"ProxyIds": [id]}), t);
    assert_eq!(closed["InvalidStatusInstanceSet"], json!([]));
    assert_eq!(status(&mut store, &id, t), "CLOSING");
    let t = t + DELAY;
    assert_eq!(status(&mut store, &id, t), "CLOSED");
    let again = ok(&mut store, "CloseProxies", json!({"ProxyIds": [id]}), t);
    assert_eq!(again["InvalidStatusInstanceSet"], json!([id]));

    // Open: OPENING, then RUNNING.
    ok(&mut store, "OpenProxies", json!({"InstanceIds": [id]}), t);
    assert_eq!(status(&mut store, &id, t), "OPENING");
    let t = t + DELAY;
    assert_eq!(status(&mut store, &id, t), "RUNNING");

    // Destroy: DESTROYING (still listed), then gone with its listeners.
    ok(
        &mut store,
        "DestroyProxies",
        json!({"ProxyIds": [id], "Force": 0}),
        t,
    );
    assert_eq!(status(&mut store, &id, t), "DESTROYING");
    let t = t + DELAY;
    assert_eq!(status(&mut store, &id, t), "GONE");
    assert_eq!(
        ok(
            &mut store,
            "DescribeTCPListeners",
            json!({"ListenerId": listener}),
            t
        )["TotalCount"],
        json!(0)
    );
}

#[test]
fn tasks_run_for_the_delay_then_succeed() {
    let mut store = Store::with_state_delay(DELAY);
    let params = json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
                        "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"});
    store.handle("CreateProxy", &params, T0, "task-1");
    let task = |store: &mut Store, now| {
        ok(
            store,
            "DescribeTaskStatus",
            json!({"TaskId": "task-1"}),
            now,
        )["Status"]
            .clone()
    };
    assert_eq!(task(&mut store, T0 + DELAY - 1), json!("RUNNING"));
    assert_eq!(task(&mut store, T0 + DELAY), json!("SUCCESS"));
    assert_eq!(
        err(
            &mut store,
            "DescribeTaskStatus",
            json!({"TaskId": "never"}),
            T0
        ),
        "ResourceNotFound"
    );
}

#[test]
fn zero_delay_applies_writes_at_once() {
    let mut store = Store::default();
    let id = create_proxy(&mut store, T0);
    assert_eq!(status(&mut store, &id, T0), "RUNNING");
    ok(&mut store, "CloseProxies", json!({"ProxyIds": [id]}), T0);
    assert_eq!(status(&mut store, &id, T0), "CLOSED");
    ok(
        &mut store,
        "DestroyProxies",
        json!({"ProxyIds": [id], "Force": 0}),
        T0,
    );
    assert_eq!(status(&mut store, &id, T0), "GONE");
}

#[test]
fn rename_and_project_keep_state() {
    let mut store = Store::default();
    let id = create_proxy(&mut store, T0);
    ok(
        &mut store,
        "ModifyProxiesAttribute",
        json!({"ProxyIds": [id], "ProxyName": "renamed"}),
        T0,
    );
    ok(
        &mut store,
        "ModifyProxiesProject",
        json!({"InstanceIds": [id], "ProjectId": "7"}),
        T0,
    );
    let info = proxy(&mut store, &id, T0);
    assert_eq!(
        (info["ProxyName"].clone(), info["ProjectId"].clone()),
        (json!("renamed"), json!(7))
    );
    assert_eq!(
        err(
            &mut store,
            "ModifyProxiesAttribute",
            json!({"ProxyIds": ["link-none"], "ProxyName": "x"}),
            T0
        ),
        "ResourceNotFound"
    );
}

#[test]
fn groups_live_too() {
    let mut store = Store::with_state_delay(DELAY);
    let gid = ok(
        &mut store,
        "CreateProxyGroup",
        json!({"ProjectId": 0, "GroupName": "g", "RealServerRegion": "Beijing"}),
        T0,
    )["GroupId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let detail = |store: &mut Store, now| {
        ok(
            store,
            "DescribeProxyGroupDetails",
            json!({"GroupId": gid}),
            now,
        )["ProxyGroupDetail"]["Status"]
            .clone()
    };
    assert_eq!(detail(&mut store, T0), json!(1));
    assert_eq!(
        err(
            &mut store,
            "CreateHTTPListener",
            json!({"GroupId": gid, "ListenerName": "h", "Port": 80}),
            T0
        ),
        "FailedOperation.GroupStatusNotInRuning"
    );
    let t = T0 + DELAY;
    assert_eq!(detail(&mut store, t), json!(0));
    ok(
        &mut store,
        "ModifyProxyGroupAttribute",
        json!({"GroupId": gid, "GroupName": "g2", "ProjectId": 3}),
        t,
    );
    let listed = ok(
        &mut store,
        "DescribeProxyGroupList",
        json!({"ProjectId": -1, "Offset": 0, "Limit": 20}),
        t,
    )["ProxyGroupList"][0]
        .clone();
    assert_eq!(
        (listed["GroupName"].clone(), listed["ProjectId"].clone()),
        (json!("g2"), json!(3))
    );

    ok(&mut store, "CloseProxyGroup", json!({"GroupId": gid}), t);
    assert_eq!(detail(&mut store, t), json!(12));
    let t = t + DELAY;
    let listed = ok(
        &mut store,
        "DescribeProxyGroupList",
        json!({"ProjectId": -1, "Offset": 0, "Limit": 20}),
        t,
    )["ProxyGroupList"][0]
        .clone();
    assert_eq!(listed["Status"], json!("CLOSED"));
    ok(&mut store, "OpenProxyGroup", json!({"GroupId": gid}), t);
    let t = t + DELAY;
    assert_eq!(detail(&mut store, t), json!(0));
    ok(&mut store, "DeleteProxyGroup", json!({"GroupId": gid}), t);
    assert_eq!(detail(&mut store, t), json!(4));
    assert_eq!(
        err(
            &mut store,
            "DescribeProxyGroupDetails",
            json!({"GroupId": gid}),
            t + DELAY
        ),
        "ResourceNotFound"
    );
}

#[test]
fn domains_and_rules_live_and_keep_state() {
    let mut store = Store::with_state_delay(DELAY);
    let id = create_proxy(&mut store, T0);
    let t = T0 + DELAY;
    let listener = ok(
        &mut store,
        "CreateHTTPListener",
        json!({"ProxyId": id, "ListenerName": "h", "Port": 80}),
        t,
    )["ListenerId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let domain = json!({"ListenerId": listener, "Domain": "www.example.com"});
    ok(&mut store, "CreateDomain", domain.clone(), t);
    assert_eq!(
        err(&mut store, "CreateDomain", domain.clone(), t),
        "FailedOperation.DomainAlreadyExisted"
    );
    let rules =
        |store: &mut Store, now| ok(store, "DescribeRules", json!({"ListenerId": listener}), now);
    assert_eq!(
        rules(&mut store, t)["DomainRuleSet"][0]["DomainStatus"],
        json!(1)
    );
    assert_eq!(
        err(
            &mut store,
            "DeleteDomain",
            json!({"ListenerId": listener, "Domain": "www.example.com", "Force": 0}),
            t
        ),
        "FailedOperation.DomainStatusNotInRunning"
    );
    let rule = json!({"ListenerId": listener, "Domain": "www.example.com", "Path": "/",
                      "RealServerType": "IP", "Scheduler": "rr", "HealthCheck": 0});
    let rule_id = ok(&mut store, "CreateRule", rule.clone(), t)["RuleId"].clone();
    assert_eq!(
        err(&mut store, "CreateRule", rule, t),
        "FailedOperation.RuleAlreadyExisted"
    );
    let by_id = |store: &mut Store, now| {
        ok(
            store,
            "DescribeRulesByRuleIds",
            json!({"RuleIds": [rule_id]}),
            now,
        )["RuleSet"][0]["RuleStatus"]
            .clone()
    };
    assert_eq!(by_id(&mut store, t), json!(1));
    let t = t + DELAY;
    assert_eq!(by_id(&mut store, t), json!(0));
    let listed = rules(&mut store, t);
    assert_eq!(listed["DomainRuleSet"][0]["DomainStatus"], json!(0));
    assert_eq!(listed["DomainRuleSet"][0]["RuleSet"][0]["Path"], json!("/"));
    ok(
        &mut store,
        "DeleteRule",
        json!({"ListenerId": listener, "RuleId": rule_id, "Force": 0}),
        t,
    );
    // Terminating (2) for the delay, then gone.
    assert_eq!(by_id(&mut store, t), json!(2));
    let t = t + DELAY;
    assert_eq!(
        ok(
            &mut store,
            "DescribeRulesByRuleIds",
            json!({"RuleIds": [rule_id]}),
            t
        )["TotalCount"],
        json!(0)
    );
    ok(
        &mut store,
        "DeleteDomain",
        json!({"ListenerId": listener, "Domain": "www.example.com", "Force": 0}),
        t,
    );
    // Deleting (2) for the delay, then gone.
    assert_eq!(
        rules(&mut store, t)["DomainRuleSet"][0]["DomainStatus"],
        json!(2)
    );
    let t = t + DELAY;
    assert_eq!(rules(&mut store, t)["TotalCount"], json!(0));
    // A domain on a connection that is not running is refused.
    ok(&mut store, "CloseProxies", json!({"ProxyIds": [id]}), t);
    assert_eq!(
        err(&mut store, "CreateDomain", domain, t),
        "FailedOperation.InstanceStatusNotInRuning"
    );
}

#[test]
fn listener_attributes_and_origin_names_keep_state() {
    let mut store = Store::with_state_delay(DELAY);
    let id = create_proxy(&mut store, T0);
    let t = T0 + DELAY;
    let tcp = ok(
        &mut store,
        "CreateTCPListeners",
        json!({"ProxyId": id, "ListenerName": "l", "Ports": [80], "Scheduler": "rr",
               "HealthCheck": 0, "RealServerType": "IP"}),
        t,
    )["ListenerIds"][0]
        .clone();
    let modify = json!({"ListenerId": tcp, "ListenerName": "renamed", "Scheduler": "wrr",
                        "DelayLoop": "10", "ConnectTimeout": 5});
    assert_eq!(
        err(&mut store, "ModifyTCPListenerAttribute", modify.clone(), t),
        "FailedOperation.ListenerHasTask"
    );
    let t = t + DELAY;
    ok(&mut store, "ModifyTCPListenerAttribute", modify, t);
    let view = |store: &mut Store, now| {
        ok(
            store,
            "DescribeTCPListeners",
            json!({"ListenerId": tcp}),
            now,
        )["ListenerSet"][0]
            .clone()
    };
    let listed = view(&mut store, t);
    assert_eq!(listed["ListenerStatus"], json!(4));
    assert_eq!(
        (
            listed["ListenerName"].clone(),
            listed["Scheduler"].clone(),
            listed["DelayLoop"].clone()
        ),
        (json!("renamed"), json!("wrr"), json!(10))
    );
    assert_eq!(view(&mut store, t + DELAY)["ListenerStatus"], json!(0));
    assert_eq!(
        err(
            &mut store,
            "ModifyUDPListenerAttribute",
            json!({"ListenerId": tcp, "ListenerName": "x"}),
            t
        ),
        "ResourceNotFound"
    );

    let rs = ok(
        &mut store,
        "AddRealServers",
        json!({"ProjectId": 0, "RealServerIP": ["10.0.0.1"], "RealServerName": "a"}),
        t,
    )["RealServerSet"][0]["RealServerId"]
        .clone();
    ok(
        &mut store,
        "ModifyRealServerName",
        json!({"RealServerId": rs, "RealServerName": "b"}),
        t,
    );
    let listed = ok(
        &mut store,
        "DescribeRealServers",
        json!({"ProjectId": 0}),
        t,
    );
    assert_eq!(listed["RealServerSet"][0]["RealServerName"], json!("b"));
}

#[test]
fn domain_and_rule_changes_keep_state() {
    let mut store = Store::default();
    let id = create_proxy(&mut store, T0);
    let listener = ok(
        &mut store,
        "CreateHTTPListener",
        json!({"ProxyId": id, "ListenerName": "h", "Port": 80}),
        T0,
    )["ListenerId"]
        .clone();
    for domain in ["a.example.com", "b.example.com"] {
        ok(
            &mut store,
            "CreateDomain",
            json!({"ListenerId": listener, "Domain": domain}),
            T0,
        );
    }
    let rule = |path: &str| {
        json!({"ListenerId": listener, "Domain": "a.example.com", "Path": path,
               "RealServerType": "IP", "Scheduler": "rr", "HealthCheck": 0})
    };
    let first = ok(&mut store, "CreateRule", rule("/a"), T0)["RuleId"].clone();
    ok(&mut store, "CreateRule", rule("/b"), T0);
    assert_eq!(
        err(
            &mut store,
            "ModifyRuleAttribute",
            json!({"ListenerId": listener, "RuleId": first, "Path": "/b"}),
            T0
        ),
        "FailedOperation.RuleAlreadyExisted"
    );
    ok(
        &mut store,
        "ModifyRuleAttribute",
        json!({"ListenerId": listener, "RuleId": first, "Path": "/c", "Scheduler": "wrr"}),
        T0,
    );
    assert_eq!(
        err(
            &mut store,
            "ModifyDomain",
            json!({"ListenerId": listener, "OldDomain": "a.example.com", "NewDomain": "b.example.com"}),
            T0
        ),
        "FailedOperation.DomainAlreadyExisted"
    );
    ok(
        &mut store,
        "ModifyDomain",
        json!({"ListenerId": listener, "OldDomain": "a.example.com", "NewDomain": "c.example.com"}),
        T0,
    );
    let listed = ok(
        &mut store,
        "DescribeRulesByRuleIds",
        json!({"RuleIds": [first]}),
        T0,
    )["RuleSet"][0]
        .clone();
    assert_eq!(
        (
            listed["Path"].clone(),
            listed["Scheduler"].clone(),
            listed["Domain"].clone()
        ),
        (json!("/c"), json!("wrr"), json!("c.example.com"))
    );
    let domains = ok(
        &mut store,
        "DescribeRules",
        json!({"ListenerId": listener}),
        T0,
    );
    let names: Vec<Value> = domains["DomainRuleSet"]
        .as_array()
        .map(|set| set.iter().map(|d| d["Domain"].clone()).collect())
        .unwrap_or_default();
    // A renamed domain keeps its place (creation order).
    assert_eq!(names, [json!("c.example.com"), json!("b.example.com")]);
}

#[test]
fn a_client_token_replays_open_close_and_configuration_changes() {
    let mut store = Store::with_state_delay(DELAY);
    let id = create_proxy(&mut store, T0);
    let t = T0 + DELAY;
    let close = json!({"ProxyIds": [id], "ClientToken": "close-1"});
    let first = ok(&mut store, "CloseProxies", close.clone(), t);
    assert_eq!(first["InvalidStatusInstanceSet"], json!([]));
    // The same token and parameters replay the first answer (not an invalid status).
    let t = t + DELAY;
    assert_eq!(ok(&mut store, "CloseProxies", close, t), first);
    assert_eq!(status(&mut store, &id, t), "CLOSED");
    let other = json!({"ProxyIds": ["link-other"], "ClientToken": "close-1"});
    assert_eq!(
        err(&mut store, "CloseProxies", other, t),
        "FailedOperation.DuplicatedRequest"
    );
    ok(&mut store, "OpenProxies", json!({"ProxyIds": [id]}), t);
    let t = t + DELAY;
    let modify = json!({"ProxyId": id, "Bandwidth": 30, "ClientToken": "modify-1"});
    ok(&mut store, "ModifyProxyConfiguration", modify.clone(), t);
    // Replayed while ADJUSTING: the first (successful) answer, not a refusal.
    ok(&mut store, "ModifyProxyConfiguration", modify, t);
    assert_eq!(status(&mut store, &id, t), "ADJUSTING");
}

#[test]
fn certificates_keep_state_and_are_not_deleted_while_used() {
    let mut store = Store::with_state_delay(DELAY);
    let cert = ok(
        &mut store,
        "CreateCertificate",
        json!({"CertificateType": 1, "CertificateContent": "-----BEGIN CERTIFICATE-----",
               "CertificateKey": "-----BEGIN RSA PRIVATE KEY-----", "CertificateAlias": "web"}),
        T0,
    )["CertificateId"]
        .clone();
    ok(
        &mut store,
        "CreateCertificate",
        json!({"CertificateType": 0, "CertificateContent": "ca"}),
        T0,
    );
    let listed = ok(
        &mut store,
        "DescribeCertificates",
        json!({"CertificateType": 1}),
        T0,
    );
    assert_eq!(listed["TotalCount"], json!(1));
    assert_eq!(
        listed["CertificateSet"][0]["CertificateAlias"],
        json!("web")
    );
    assert_eq!(
        ok(&mut store, "DescribeCertificates", json!({}), T0)["TotalCount"],
        json!(2)
    );
    ok(
        &mut store,
        "ModifyCertificateAttributes",
        json!({"CertificateId": cert, "CertificateAlias": "www"}),
        T0,
    );
    let detail = ok(
        &mut store,
        "DescribeCertificateDetail",
        json!({"CertificateId": cert}),
        T0,
    );
    assert_eq!(
        detail["CertificateDetail"]["CertificateAlias"],
        json!("www")
    );

    // Used by a domain: not deletable; a domain's certificate change makes it changing.
    let id = create_proxy(&mut store, T0);
    let t = T0 + DELAY;
    let listener = ok(
        &mut store,
        "CreateHTTPListener",
        json!({"ProxyId": id, "ListenerName": "h", "Port": 80}),
        t,
    )["ListenerId"]
        .clone();
    ok(
        &mut store,
        "CreateDomain",
        json!({"ListenerId": listener, "Domain": "a.example.com"}),
        t,
    );
    let t = t + DELAY;
    ok(
        &mut store,
        "ModifyCertificate",
        json!({"ListenerId": listener, "Domain": "a.example.com", "CertificateId": cert}),
        t,
    );
    let domain = ok(
        &mut store,
        "DescribeRules",
        json!({"ListenerId": listener}),
        t,
    )["DomainRuleSet"][0]
        .clone();
    assert_eq!(
        (
            domain["CertificateId"].clone(),
            domain["DomainStatus"].clone()
        ),
        (cert.clone(), json!(1))
    );
    assert_eq!(
        err(
            &mut store,
            "DeleteCertificate",
            json!({"CertificateId": cert}),
            t
        ),
        "FailedOperation.CertificateIsUsing"
    );
    assert_eq!(
        err(
            &mut store,
            "ModifyCertificate",
            json!({"ListenerId": listener, "Domain": "a.example.com", "CertificateId": "cert-none"}),
            t
        ),
        "ResourceNotFound"
    );
    let t = t + DELAY;
    ok(
        &mut store,
        "DeleteDomain",
        json!({"ListenerId": listener, "Domain": "a.example.com", "Force": 0}),
        t,
    );
    // The domain is deleting, and still uses the certificate, until the delay passes.
    let t = t + DELAY;
    ok(
        &mut store,
        "DeleteCertificate",
        json!({"CertificateId": cert}),
        t,
    );
    assert_eq!(
        err(
            &mut store,
            "DescribeCertificateDetail",
            json!({"CertificateId": cert}),
            t
        ),
        "ResourceNotFound"
    );
}

#[test]
fn security_policies_live_and_their_rules_keep_state() {
    let mut store = Store::with_state_delay(DELAY);
    let id = create_proxy(&mut store, T0);
    let policy = ok(
        &mut store,
        "CreateSecurityPolicy",
        json!({"ProxyId": id, "DefaultAction": "ACCEPT"}),
        T0,
    )["PolicyId"]
        .clone();
    assert_eq!(
        err(
            &mut store,
            "CreateSecurityPolicy",
            json!({"ProxyId": id, "DefaultAction": "DROP"}),
            T0
        ),
        "FailedOperation.ProxySecurityPolicyExisted"
    );
    let detail = |store: &mut Store, now| {
        ok(
            store,
            "DescribeSecurityPolicyDetail",
            json!({"PolicyId": policy}),
            now,
        )
    };
    assert_eq!(detail(&mut store, T0)["Status"], json!("UNBIND"));
    let rule = json!({"SourceCidr": "10.0.0.0/8", "Action": "DROP", "AliasName": "a",
                      "Protocol": "TCP", "DestPortRange": "80"});
    let ids = ok(
        &mut store,
        "CreateSecurityRules",
        json!({"PolicyId": policy, "RuleList": [rule]}),
        T0,
    )["RuleIdList"]
        .clone();
    assert_eq!(
        err(
            &mut store,
            "CreateSecurityRules",
            json!({"PolicyId": policy, "RuleList": [rule]}),
            T0
        ),
        "FailedOperation.ProxySecurityPolicyDuplicatedRule"
    );
    let rule_id = ids[0].clone();
    ok(
        &mut store,
        "ModifySecurityRule",
        json!({"PolicyId": policy, "RuleId": rule_id, "AliasName": "b", "RuleAction": "ACCEPT"}),
        T0,
    );
    let listed = ok(
        &mut store,
        "DescribeSecurityRules",
        json!({"SecurityRuleIds": [rule_id]}),
        T0,
    );
    assert_eq!(
        (
            listed["SecurityRuleSet"][0]["AliasName"].clone(),
            listed["SecurityRuleSet"][0]["Action"].clone()
        ),
        (json!("b"), json!("ACCEPT"))
    );

    // Open: BINDING, then BOUND; its TaskId is the RequestId, a task.
    let opened = ok(&mut store, "OpenSecurityPolicy", json!({"ProxyId": id}), T0);
    assert_eq!(
        opened["TaskId"],
        json!(format!("req-OpenSecurityPolicy-{T0}"))
    );
    assert_eq!(
        ok(
            &mut store,
            "DescribeTaskStatus",
            json!({"TaskId": opened["TaskId"]}),
            T0
        )["Status"],
        json!("RUNNING")
    );
    assert_eq!(detail(&mut store, T0)["Status"], json!("BINDING"));
    assert_eq!(
        err(
            &mut store,
            "CloseSecurityPolicy",
            json!({"PolicyId": policy}),
            T0
        ),
        "FailedOperation.ActionIsDoing"
    );
    let t = T0 + DELAY;
    assert_eq!(detail(&mut store, t)["Status"], json!("BOUND"));
    assert_eq!(
        err(
            &mut store,
            "OpenSecurityPolicy",
            json!({"PolicyId": policy}),
            t
        ),
        "FailedOperation.ProxySecurityAlreadyOpen"
    );
    ok(
        &mut store,
        "CloseSecurityPolicy",
        json!({"PolicyId": policy}),
        t,
    );
    assert_eq!(detail(&mut store, t)["Status"], json!("UNBINDING"));
    let t = t + DELAY;
    assert_eq!(detail(&mut store, t)["Status"], json!("UNBIND"));

    ok(
        &mut store,
        "DeleteSecurityRules",
        json!({"PolicyId": policy, "RuleIdList": [rule_id]}),
        t,
    );
    assert_eq!(detail(&mut store, t)["RuleList"], json!([]));
    ok(
        &mut store,
        "DeleteSecurityPolicy",
        json!({"PolicyId": policy}),
        t,
    );
    assert_eq!(
        err(
            &mut store,
            "DescribeSecurityPolicyDetail",
            json!({"PolicyId": policy}),
            t
        ),
        "ResourceNotFound"
    );
}
