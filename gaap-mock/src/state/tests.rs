//! Behaviour of the account model, driven through `Store::handle` as requests would.

use serde_json::{Value, json};

use super::Store;

fn ok(store: &mut Store, action: &str, params: Value) -> Value {
    match store.handle(action, &params, 1_700_000_000, "request-id") {
        Some(Ok(fields)) => Value::Object(fields),
        other => panic!("{action} failed: {other:?}"),
    }
}

fn err(store: &mut Store, action: &str, params: Value) -> String {
    match store.handle(action, &params, 1_700_000_000, "request-id") {
        Some(Err(e)) => e.code,
        other => panic!("{action} should fail: {other:?}"),
    }
}

fn proxy(store: &mut Store) -> String {
    let out = ok(
        store,
        "CreateProxy",
        json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
               "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing"}),
    );
    out["InstanceId"].as_str().unwrap().to_owned()
}

#[test]
fn listener_lifecycle_with_duplicate_ports() {
    let mut store = Store::default();
    let pid = proxy(&mut store);
    let created = ok(
        &mut store,
        "CreateTCPListeners",
        json!({"ProxyId": pid, "ListenerName": "l", "Ports": ["80", 81], "Scheduler": "rr",
               "HealthCheck": "1", "RealServerType": "IP"}),
    );
    let ids = created["ListenerIds"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        err(
            &mut store,
            "CreateHTTPListener",
            json!({"ProxyId": pid, "ListenerName": "h", "Port": 80})
        ),
        "InvalidParameterValue.DuplicatedListenerPort"
    );
    // UDP has its own port space.
    ok(
        &mut store,
        "CreateUDPListeners",
        json!({"ProxyId": pid, "ListenerName": "u", "Ports": [80], "Scheduler": "rr", "RealServerType": "IP"}),
    );
    let listed = ok(
        &mut store,
        "DescribeTCPListeners",
        json!({"ProxyId": pid, "Limit": 1}),
    );
    assert_eq!(listed["TotalCount"], 2);
    assert_eq!(listed["ListenerSet"].as_array().unwrap().len(), 1);
    assert!(listed["ListenerSet"][0]["Port"].is_i64());
    let by_port = ok(
        &mut store,
        "DescribeTCPListeners",
        json!({"ProxyId": pid, "Port": "81"}),
    );
    assert_eq!(by_port["ListenerSet"][0]["Port"], 81);
    let deleted = ok(
        &mut store,
        "DeleteListeners",
        json!({"ProxyId": pid, "Force": 0, "ListenerIds": [ids[0], "listener-nothere"]}),
    );
    assert_eq!(deleted["OperationSucceedListenerSet"], json!([ids[0]]));
    assert_eq!(
        deleted["InvalidStatusListenerSet"],
        json!(["listener-nothere"])
    );
    assert_eq!(
        err(
            &mut store,
            "CreateTCPListeners",
            json!({"ProxyId": "link-none", "Ports": [1], "ListenerName": "l",
                   "Scheduler": "rr", "HealthCheck": 0, "RealServerType": "IP"})
        ),
        "ResourceNotFound"
    );
}

#[test]
fn bound_origin_servers_need_force() {
    let mut store = Store::default();
    let pid = proxy(&mut store);
    let lid = ok(
        &mut store,
        "CreateTCPListeners",
        json!({"ProxyId": pid, "ListenerName": "l", "Ports": [80], "Scheduler": "rr",
               "HealthCheck": 0, "RealServerType": "IP"}),
    )["ListenerIds"][0]
        .clone();
    let rs = ok(
        &mut store,
        "AddRealServers",
        json!({"ProjectId": 0, "RealServerIP": ["1.1.1.1"], "RealServerName": "o"}),
    )["RealServerSet"][0]["RealServerId"]
        .clone();
    ok(
        &mut store,
        "BindListenerRealServers",
        json!({"ListenerId": lid, "RealServerBindSet": [{"RealServerId": rs, "RealServerPort": 8080, "RealServerIP": "1.1.1.1", "RealServerWeight": 1}]}),
    );
    let bound = ok(
        &mut store,
        "DescribeListenerRealServers",
        json!({"ListenerId": lid}),
    );
    assert_eq!(bound["BindRealServerTotalCount"], 1);
    assert_eq!(bound["BindRealServerSet"][0]["RealServerPort"], 8080);
    let code = "FailedOperation.RealServerAlreadyBound";
    assert_eq!(
        err(
            &mut store,
            "DeleteListeners",
            json!({"ProxyId": pid, "Force": 0, "ListenerIds": [lid]})
        ),
        code
    );
    assert_eq!(
        err(
            &mut store,
            "DestroyProxies",
            json!({"Force": "0", "ProxyIds": [pid]})
        ),
        code
    );
    assert_eq!(
        err(
            &mut store,
            "RemoveRealServers",
            json!({"RealServerIds": [rs]})
        ),
        code
    );
    let destroyed = ok(
        &mut store,
        "DestroyProxies",
        json!({"Force": 1, "ProxyIds": [pid, "link-gone"]}),
    );
    assert_eq!(destroyed["InvalidStatusInstanceSet"], json!(["link-gone"]));
    let listed = ok(
        &mut store,
        "DescribeTCPListeners",
        json!({"ListenerId": lid}),
    );
    assert_eq!(listed["TotalCount"], 0);
    ok(
        &mut store,
        "RemoveRealServers",
        json!({"RealServerIds": [rs]}),
    );
}

#[test]
fn client_token_replays_the_first_result() {
    let mut store = Store::default();
    let params = json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou",
                        "Bandwidth": 10, "Concurrent": 2, "RealServerRegion": "Beijing",
                        "ClientToken": "tok-1"});
    let first = ok(&mut store, "CreateProxy", params.clone());
    let again = ok(&mut store, "CreateProxy", params.clone());
    assert_eq!(first, again);
    assert_eq!(
        ok(&mut store, "DescribeProxies", json!({}))["TotalCount"],
        1
    );
    let mut changed = params;
    changed["Bandwidth"] = json!(20);
    assert_eq!(
        err(&mut store, "CreateProxy", changed),
        "FailedOperation.DuplicatedRequest"
    );
}

#[test]
fn describe_proxies_pages_and_filters() {
    let mut store = Store::default();
    let ids: Vec<String> = (0..5).map(|_| proxy(&mut store)).collect();
    let group = ok(
        &mut store,
        "CreateProxyGroup",
        json!({"ProjectId": 0, "GroupName": "g", "RealServerRegion": "Beijing"}),
    )["GroupId"]
        .clone();
    ok(
        &mut store,
        "CreateProxy",
        json!({"ProjectId": 0, "ProxyName": "in-group", "AccessRegion": "Shanghai",
               "Bandwidth": 10, "Concurrent": 2, "GroupId": group}),
    );
    let page = ok(
        &mut store,
        "DescribeProxies",
        json!({"Offset": 4, "Limit": 10, "Order": "asc"}),
    );
    assert_eq!(page["TotalCount"], 6);
    assert_eq!(page["ProxySet"].as_array().unwrap().len(), 2);
    assert_eq!(page["ProxySet"][0]["ProxyId"], json!(ids[4]));
    let filtered = ok(
        &mut store,
        "DescribeProxies",
        json!({"Filters": [{"Name": "AccessRegion", "Values": ["Shanghai", "Nowhere"]}]}),
    );
    assert_eq!(filtered["TotalCount"], 1);
    assert_eq!(filtered["ProxySet"][0]["GroupId"], group);
    let independent = ok(&mut store, "DescribeProxies", json!({"Independent": 1}));
    assert_eq!(independent["TotalCount"], 5);
    assert_eq!(
        err(&mut store, "DescribeProxies", json!({"Limit": 101})),
        "InvalidParameterValue"
    );
    let groups = ok(
        &mut store,
        "DescribeProxyGroupList",
        json!({"Offset": 0, "Limit": 20, "ProjectId": -1}),
    );
    assert_eq!(groups["TotalCount"], 1);
    ok(&mut store, "DeleteProxyGroup", json!({"GroupId": group}));
    assert_eq!(
        ok(&mut store, "DescribeProxies", json!({}))["TotalCount"],
        5
    );
    assert!(
        store
            .handle("DescribeRegionAndPrice", &json!({}), 0, "request-id")
            .is_none()
    );
}

#[test]
fn layer7_listeners_of_a_group_and_forced_group_deletion() {
    let mut store = Store::default();
    let group = ok(
        &mut store,
        "CreateProxyGroup",
        json!({"ProjectId": 0, "GroupName": "g", "RealServerRegion": "Beijing"}),
    )["GroupId"]
        .clone();
    let https = ok(
        &mut store,
        "CreateHTTPSListener",
        json!({"GroupId": group, "ListenerName": "s", "Port": 443, "CertificateId": "cert-1",
               "ForwardProtocol": "HTTP"}),
    )["ListenerId"]
        .clone();
    ok(
        &mut store,
        "CreateHTTPListener",
        json!({"GroupId": group, "ListenerName": "h", "Port": 80}),
    );
    let listed = ok(
        &mut store,
        "DescribeHTTPSListeners",
        json!({"GroupId": group}),
    );
    assert_eq!(listed["TotalCount"], 1);
    assert_eq!(listed["ListenerSet"][0]["ListenerId"], https);
    assert_eq!(listed["ListenerSet"][0]["GroupId"], group);
    assert_eq!(listed["ListenerSet"][0]["ProxyId"], Value::Null);
    assert_eq!(listed["ListenerSet"][0]["CertificateId"], "cert-1");
    let searched = ok(
        &mut store,
        "DescribeHTTPListeners",
        json!({"SearchValue": "8"}),
    );
    assert_eq!(searched["TotalCount"], 1);
    // A group's HTTP listener names its group (HTTPListener documents GroupId).
    assert_eq!(searched["ListenerSet"][0]["GroupId"], group);
    let detail = ok(
        &mut store,
        "DescribeProxyGroupDetails",
        json!({"GroupId": group}),
    );
    assert_eq!(detail["ProxyGroupDetail"]["Http3Supported"], 0);

    let rs = ok(
        &mut store,
        "AddRealServers",
        json!({"ProjectId": 0, "RealServerIP": ["10.0.0.1", "10.0.0.2"], "RealServerName": "o"}),
    )["RealServerSet"][0]["RealServerId"]
        .clone();
    assert_eq!(
        ok(
            &mut store,
            "DescribeRealServers",
            json!({"ProjectId": -1, "SearchValue": "10.0.0.2"})
        )["TotalCount"],
        1
    );
    ok(
        &mut store,
        "BindListenerRealServers",
        json!({"ListenerId": https, "RealServerBindSet": [{"RealServerId": rs, "RealServerPort": 80}]}),
    );
    assert_eq!(
        err(
            &mut store,
            "DeleteProxyGroup",
            json!({"GroupId": group, "Force": 0})
        ),
        "FailedOperation.RealServerAlreadyBound"
    );
    ok(
        &mut store,
        "DeleteProxyGroup",
        json!({"GroupId": group, "Force": 1}),
    );
    assert_eq!(
        ok(&mut store, "DescribeHTTPListeners", json!({}))["TotalCount"],
        0
    );
    assert_eq!(
        err(&mut store, "DeleteProxyGroup", json!({"GroupId": group})),
        "ResourceNotFound"
    );
}

#[test]
fn port_conflicts_are_checked_in_linear_time() {
    // 30,000 listeners, then 20,000 new ports checked against them: ports x (ports +
    // listeners) comparisons took 13.8 s (release) under the store's lock.
    let mut store = Store::default();
    let pid = proxy(&mut store);
    for batch in 0..300 {
        let ports: Vec<i64> = (1..=100).map(|i| batch * 100 + i).collect();
        ok(
            &mut store,
            "CreateTCPListeners",
            json!({"ProxyId": pid, "ListenerName": "l", "Ports": ports, "Scheduler": "rr",
                   "HealthCheck": 0, "RealServerType": "IP"}),
        );
    }
    assert_eq!(store.listeners.len(), 30_000);
    let fresh: Vec<i64> = (30_001..=50_000).collect();
    let started = std::time::Instant::now();
    assert!(
        store
            .check_ports_free(&pid, super::listeners::Protocol::Tcp, &fresh)
            .is_ok()
    );
    let mut clash = fresh.clone();
    clash.push(29_999);
    assert_eq!(
        store
            .check_ports_free(&pid, super::listeners::Protocol::Tcp, &clash)
            .unwrap_err()
            .code,
        "InvalidParameterValue.DuplicatedListenerPort"
    );
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_secs(2),
        "{elapsed:?} for 20,000 ports on 30,000 listeners"
    );
}

#[test]
fn client_tokens_are_bounded_and_expire() {
    let mut store = Store::default();
    let params = |token: &str| {
        json!({"ProjectId": 0, "ProxyName": "p", "AccessRegion": "Guangzhou", "Bandwidth": 10,
               "Concurrent": 2, "RealServerRegion": "Beijing", "ClientToken": token})
    };
    let at = |store: &mut Store, token: &str, now: i64| {
        store
            .handle("CreateProxy", &params(token), now, "request-id")
            .unwrap()
            .unwrap()
    };
    let first = at(&mut store, "t-0", 1_000);
    assert_eq!(at(&mut store, "t-0", 1_000), first, "replayed");
    assert_eq!(
        at(&mut store, "t-0", 1_000 + super::CLIENT_TOKEN_WINDOW_SECS),
        first,
        "still inside the window"
    );
    assert_ne!(
        at(&mut store, "t-0", 1_001 + super::CLIENT_TOKEN_WINDOW_SECS),
        first,
        "expired: a new proxy"
    );
    for i in 0..super::MAX_CLIENT_TOKENS + 10 {
        at(&mut store, &format!("n-{i}"), 2_000_000);
    }
    assert!(store.tokens.results.len() <= super::MAX_CLIENT_TOKENS);
    assert_eq!(store.tokens.results.len(), store.tokens.order.len());
    let long = "x".repeat(65);
    assert_eq!(
        err(&mut store, "CreateProxy", params(&long)),
        "InvalidParameterValue"
    );
}
