//! Waiters against the living emulator under a manual clock: success, failure state,
//! timeout and deletion for each waiter; a full connection lifecycle through the typed
//! client; an undocumented status keeps waiting and is logged once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gaap_client::waiter::WaitOutcome;
use gaap_client::{Client, Credentials, RetryConfig, Waiter};
use gaap_mock::{Clock, Fault, MockServer};
use gaap_model::types::GlobalDnsStatus;
use gaap_model::{
    Operation, types::DeleteListenersForce, types::DestroyProxiesForce, types::HealthCheck,
    types::ProxyInfoStatus, types::RealServerType, types::Scheduler,
};

const ID: &str = "AKIDWAITERS";
const KEY: &str = "waiters-key";
/// The emulator's state delay (seconds on its clock).
const DELAY: i64 = 30;

struct Env {
    server: MockServer,
    client: Client,
    clock: Clock,
}

impl Env {
    /// An emulator whose transitions take [`DELAY`] on a fixed clock set to now (the
    /// client signs with the real time; the emulator allows 300 s of skew).
    async fn start() -> Self {
        let clock = Clock::fixed(Clock::system().now());
        let server = MockServer::builder()
            .credential(ID, KEY)
            .clock(clock.clone())
            .rate_limit(false)
            .state_delay(Duration::from_secs(DELAY as u64))
            .start()
            .await
            .unwrap();
        let client = Client::builder()
            .endpoint(server.url())
            .credentials(Credentials::new(ID, KEY))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        Self {
            server,
            client,
            clock,
        }
    }

    /// Moves the emulator's clock past one transition.
    fn advance(&self) {
        self.clock.set(self.clock.now() + DELAY);
    }

    /// Runs `wait` until it has polled `action` twice (so it saw the transitional state),
    /// checks it is still waiting, moves the clock past the transition, and returns how
    /// the wait ended.
    async fn across_transition<T: Send + 'static>(
        &self,
        action: &str,
        wait: impl Future<Output = T> + Send + 'static,
    ) -> T {
        let before = self.server.request_count(action);
        let handle = tokio::spawn(wait);
        for _ in 0..20_000 {
            if self.server.request_count(action) >= before + 2 || handle.is_finished() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert!(
            !handle.is_finished(),
            "the waiter ended before the clock moved"
        );
        self.advance();
        handle.await.unwrap()
    }

    async fn create_proxy(&self) -> String {
        self.client
            .create_proxy()
            .project_id(0)
            .proxy_name("waiters")
            .access_region("Guangzhou")
            .real_server_region("Beijing")
            .bandwidth(10)
            .concurrent(2)
            .send()
            .await
            .unwrap()
            .instance_id
            .unwrap()
    }

    async fn running_proxy(&self) -> String {
        let id = self.create_proxy().await;
        self.advance();
        id
    }

    async fn proxy_status(&self, id: &str) -> Option<ProxyInfoStatus> {
        let out = self
            .client
            .describe_proxies()
            .proxy_ids(vec![id.to_owned()])
            .send()
            .await
            .unwrap();
        out.proxy_set?.first()?.status.clone()
    }
}

/// Fast polling in real time (the emulator's clock is what the states follow).
fn fast<O: Operation + Clone>(waiter: Waiter<O>) -> Waiter<O> {
    waiter
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_wait(Duration::from_secs(60))
}

#[tokio::test]
async fn proxy_running_success_failure_and_timeout() {
    let env = Env::start().await;
    // Success: CREATING, then RUNNING once the clock moves.
    let id = env.create_proxy().await;
    assert_eq!(env.proxy_status(&id).await, Some(ProxyInfoStatus::Creating));
    let outcome = env
        .across_transition(
            "DescribeProxies",
            fast(env.client.wait_until_proxy_running(&id)).wait(),
        )
        .await
        .unwrap();
    let WaitOutcome::Reached(response) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(
        response.proxy_set.unwrap()[0].status,
        Some(ProxyInfoStatus::Running)
    );

    // Failure: a closing connection will not be running.
    env.client
        .close_proxies()
        .proxy_ids(vec![id.clone()])
        .send()
        .await
        .unwrap();
    let outcome = fast(env.client.wait_until_proxy_running(&id))
        .max_wait(Duration::from_secs(5))
        .wait()
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Failed { state, last } => {
            assert_eq!(state, "CLOSING");
            assert_eq!(
                last.proxy_set.unwrap()[0].status,
                Some(ProxyInfoStatus::Closing)
            );
        }
        other => panic!("{other:?}"),
    }

    // Timeout: a connection that never appears, and one stuck creating (clock not moved).
    let outcome = fast(env.client.wait_until_proxy_running("link-never"))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    match outcome {
        WaitOutcome::TimedOut { last_state, last } => {
            assert_eq!(last_state, None);
            assert_eq!(last.unwrap().total_count, Some(0));
        }
        other => panic!("{other:?}"),
    }
    let stuck = env.create_proxy().await;
    let outcome = fast(env.client.wait_until_proxy_running(&stuck))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::TimedOut { last_state: Some(s), last: Some(_) } if s == "CREATING"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn proxy_deleted_and_closed() {
    let env = Env::start().await;
    let id = env.running_proxy().await;
    // Closed: CLOSING, then CLOSED.
    env.client
        .close_proxies()
        .proxy_ids(vec![id.clone()])
        .send()
        .await
        .unwrap();
    let outcome = env
        .across_transition(
            "DescribeProxies",
            fast(env.client.wait_until_proxy_closed(&id)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Reached(_)), "{outcome:?}");

    // Deleted: DESTROYING (still listed), then gone.
    env.client
        .destroy_proxies()
        .proxy_ids(vec![id.clone()])
        .force(DestroyProxiesForce::NotAllowed)
        .send()
        .await
        .unwrap();
    assert_eq!(
        env.proxy_status(&id).await,
        Some(ProxyInfoStatus::Destroying)
    );
    let outcome = env
        .across_transition(
            "DescribeProxies",
            fast(env.client.wait_until_proxy_deleted(&id)).wait(),
        )
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Absent(Some(last)) => assert_eq!(last.total_count, Some(0)),
        other => panic!("{other:?}"),
    }
    // A deletion waiter on a connection still running times out.
    let alive = env.running_proxy().await;
    let outcome = fast(env.client.wait_until_proxy_deleted(&alive))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::TimedOut { last_state: Some(s), .. } if s == "RUNNING"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn proxy_group_running() {
    let env = Env::start().await;
    let group = env
        .client
        .create_proxy_group()
        .project_id(0)
        .group_name("g")
        .real_server_region("Beijing")
        .send()
        .await
        .unwrap()
        .group_id
        .unwrap();
    let outcome = env
        .across_transition(
            "DescribeProxyGroupDetails",
            fast(env.client.wait_until_proxy_group_running(&group)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Reached(_)), "{outcome:?}");
    // Failure: a group being deleted (4, terminating).
    env.client
        .delete_proxy_group()
        .group_id(&group)
        .send()
        .await
        .unwrap();
    let outcome = fast(env.client.wait_until_proxy_group_running(&group))
        .max_wait(Duration::from_secs(5))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Failed { state, .. } if state == "4"),
        "{outcome:?}"
    );
    // A group that never appears: ResourceNotFound keeps waiting, then times out.
    let outcome = fast(env.client.wait_until_proxy_group_running("lg-never"))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            WaitOutcome::TimedOut {
                last: None,
                last_state: None
            }
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn listeners_of_every_protocol_run_after_creation() {
    let env = Env::start().await;
    let proxy = env.running_proxy().await;
    let tcp = env
        .client
        .create_tcp_listeners()
        .proxy_id(&proxy)
        .listener_name("tcp")
        .ports(vec![80i64])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Disabled)
        .real_server_type(RealServerType::Ip)
        .send()
        .await
        .unwrap()
        .listener_ids
        .unwrap()[0]
        .clone();
    let udp = env
        .client
        .create_udp_listeners()
        .proxy_id(&proxy)
        .listener_name("udp")
        .ports(vec![80i64])
        .scheduler(Scheduler::Rr)
        .real_server_type(RealServerType::Ip)
        .send()
        .await
        .unwrap()
        .listener_ids
        .unwrap()[0]
        .clone();
    let http = env
        .client
        .create_http_listener()
        .proxy_id(&proxy)
        .listener_name("http")
        .port(8080)
        .send()
        .await
        .unwrap()
        .listener_id
        .unwrap();
    // Each waiter sees creating (1) until the clock moves, then running (0).
    let client = env.client.clone();
    let deleted = tcp.clone();
    let (tcp_ok, udp_ok, http_ok) = env
        .across_transition("DescribeHTTPListeners", async move {
            tokio::join!(
                fast(client.wait_until_tcp_listener_running(&tcp)).wait(),
                fast(client.wait_until_udp_listener_running(&udp)).wait(),
                fast(client.wait_until_http_listener_running(&http)).wait(),
            )
        })
        .await;
    for outcome in [
        tcp_ok.unwrap().is_success(),
        udp_ok.unwrap().is_success(),
        http_ok.unwrap().is_success(),
    ] {
        assert!(outcome);
    }
    // A listener being deleted is terminating (2): the running waiter fails at once.
    env.client
        .delete_listeners()
        .listener_ids([deleted.as_str()])
        .proxy_id(&proxy)
        .force(DeleteListenersForce::NotAllowed)
        .send()
        .await
        .unwrap();
    let outcome = fast(env.client.wait_until_tcp_listener_running(&deleted))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Failed { state, .. } if state == "2"),
        "{outcome:?}"
    );
    // A listener that never appears times out.
    let outcome = fast(
        env.client
            .wait_until_https_listener_running("listener-never"),
    )
    .max_wait(Duration::from_millis(50))
    .wait()
    .await
    .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::TimedOut { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn global_dns_running() {
    let env = Env::start().await;
    let proxy = env.running_proxy().await;
    let domain = env
        .client
        .create_global_domain()
        .project_id(0)
        .default_value("192.168.1.2")
        .send()
        .await
        .unwrap()
        .domain_id
        .unwrap();
    env.client
        .create_global_domain_dns()
        .domain_id(&domain)
        .proxy_id_list([proxy.as_str()])
        .nation_country_inner_codes(["101001"])
        .send()
        .await
        .unwrap();
    let records = env
        .client
        .describe_global_domain_dns()
        .domain_id(&domain)
        .send()
        .await
        .unwrap()
        .global_dns_list
        .unwrap();
    let record = records[0].dns_record_id.unwrap();
    assert_eq!(records[0].status, Some(GlobalDnsStatus::Creating));
    let outcome = env
        .across_transition(
            "DescribeGlobalDomainDns",
            fast(env.client.wait_until_global_dns_running(&domain, record)).wait(),
        )
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Reached(last) => {
            let list = last.global_dns_list.unwrap();
            assert_eq!(list[0].status, Some(GlobalDnsStatus::Running));
        }
        other => panic!("{other:?}"),
    }
    // A record id the domain does not have: nothing at the path keeps waiting.
    let outcome = fast(
        env.client
            .wait_until_global_dns_running(&domain, record + 1),
    )
    .max_wait(Duration::from_millis(50))
    .wait()
    .await
    .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::TimedOut { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn task_done() {
    let env = Env::start().await;
    let proxy = env.running_proxy().await;
    let write = env
        .client
        .modify_proxies_attribute()
        .proxy_ids(vec![proxy.clone()])
        .proxy_name("renamed")
        .send()
        .await
        .unwrap();
    let task = write.request_id.unwrap();
    let status = env
        .client
        .describe_task_status()
        .task_id(&task)
        .send()
        .await
        .unwrap()
        .status;
    assert_eq!(status.as_deref(), Some("RUNNING"));
    let outcome = env
        .across_transition(
            "DescribeTaskStatus",
            fast(env.client.wait_until_task_done(&task)).wait(),
        )
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Reached(last) => assert_eq!(last.status.as_deref(), Some("SUCCESS")),
        other => panic!("{other:?}"),
    }
    // A task that fails: the waiter ends with the failure state and the last answer.
    env.server
        .faults()
        .set("ModifyProxiesAttribute", Fault::TaskFails.on_call(1));
    let failing = env
        .client
        .modify_proxies_attribute()
        .proxy_ids([proxy.as_str()])
        .proxy_name("renamed-again")
        .send()
        .await
        .unwrap()
        .request_id
        .unwrap();
    let outcome = env
        .across_transition(
            "DescribeTaskStatus",
            fast(env.client.wait_until_task_done(&failing)).wait(),
        )
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Failed { state, last } => {
            assert_eq!(state, "FAIL");
            assert_eq!(last.task_id.as_deref(), Some(failing.as_str()));
        }
        other => panic!("{other:?}"),
    }
    // A task id the service never issued: ResourceNotFound keeps waiting, then times out.
    let outcome = fast(env.client.wait_until_task_done("never-issued"))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::TimedOut { last: None, .. }),
        "{outcome:?}"
    );
}

/// The whole lifecycle through the typed client: create, wait running, create listeners,
/// bind origin servers, modify configuration, wait not adjusting, close, destroy, wait gone.
#[tokio::test]
async fn full_connection_lifecycle() {
    let env = Env::start().await;
    let client = &env.client;
    let proxy = env.create_proxy().await;
    // Not running yet: listeners are refused with the page's code.
    let refused = client
        .create_tcp_listeners()
        .proxy_id(&proxy)
        .listener_name("early")
        .ports(vec![80i64])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Disabled)
        .real_server_type(RealServerType::Ip)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some("FailedOperation.ProxyStatusNotInRuning")
    );
    let running = env
        .across_transition(
            "DescribeProxies",
            fast(client.wait_until_proxy_running(&proxy)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(running, WaitOutcome::Reached(_)));

    let listener = client
        .create_tcp_listeners()
        .proxy_id(&proxy)
        .listener_name("web")
        .ports(vec![80i64])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Disabled)
        .real_server_type(RealServerType::Ip)
        .send()
        .await
        .unwrap()
        .listener_ids
        .unwrap()[0]
        .clone();
    let ready = env
        .across_transition(
            "DescribeTCPListeners",
            fast(client.wait_until_tcp_listener_running(&listener)).wait(),
        )
        .await
        .unwrap();
    assert!(ready.is_success());

    let servers = client
        .add_real_servers()
        .project_id(0)
        .real_server_ip(vec!["10.0.0.1".to_owned()])
        .real_server_name("origin")
        .send()
        .await
        .unwrap()
        .real_server_set
        .unwrap();
    let server_id = servers[0].real_server_id.clone().unwrap();
    client
        .bind_listener_real_servers()
        .listener_id(&listener)
        .real_server_bind_set(vec![
            gaap_model::types::RealServerBindSetReq::default()
                .real_server_id(server_id)
                .real_server_port(8080)
                .real_server_ip("10.0.0.1")
                .real_server_weight(1),
        ])
        .send()
        .await
        .unwrap();
    let bound = env
        .across_transition(
            "DescribeTCPListeners",
            fast(client.wait_until_tcp_listener_running(&listener)).wait(),
        )
        .await
        .unwrap();
    assert!(bound.is_success());

    client
        .modify_proxy_configuration()
        .proxy_id(&proxy)
        .bandwidth(20)
        .concurrent(4)
        .send()
        .await
        .unwrap();
    assert_eq!(
        env.proxy_status(&proxy).await,
        Some(ProxyInfoStatus::Adjusting)
    );
    let adjusted = env
        .across_transition(
            "DescribeProxies",
            fast(client.wait_until_proxy_running(&proxy)).wait(),
        )
        .await
        .unwrap();
    let WaitOutcome::Reached(adjusted) = adjusted else {
        panic!("{adjusted:?}")
    };
    assert_eq!(adjusted.proxy_set.unwrap()[0].bandwidth, Some(20));

    client
        .close_proxies()
        .proxy_ids(vec![proxy.clone()])
        .send()
        .await
        .unwrap();
    let closed = env
        .across_transition(
            "DescribeProxies",
            fast(client.wait_until_proxy_closed(&proxy)).wait(),
        )
        .await
        .unwrap();
    assert!(closed.is_success());

    client
        .destroy_proxies()
        .proxy_ids(vec![proxy.clone()])
        .force(DestroyProxiesForce::Allowed)
        .send()
        .await
        .unwrap();
    let gone = env
        .across_transition(
            "DescribeProxies",
            fast(client.wait_until_proxy_deleted(&proxy)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(gone, WaitOutcome::Absent(_)), "{gone:?}");
    let listeners = client
        .describe_tcp_listeners()
        .listener_id(&listener)
        .send()
        .await
        .unwrap();
    assert_eq!(listeners.total_count, Some(0));
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A status the pages do not document keeps the waiter waiting and is logged once, however
/// often it is seen; the waiter's span names it.
#[tokio::test(start_paused = true)]
async fn an_undocumented_status_keeps_waiting_and_is_logged_once() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = common::serve(|n, _| {
        let status = if n < 4 { "TELEPORTING" } else { "RUNNING" };
        common::ok(
            &format!(r#""TotalCount":1,"ProxySet":[{{"ProxyId":"link-1","Status":"{status}"}}]"#),
            &format!("req-{n}"),
        )
    })
    .await;
    let client = common::client(&server).build().unwrap();
    let outcome = client
        .wait_until_proxy_running("link-1")
        .wait()
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Reached(_)), "{outcome:?}");
    assert_eq!(server.count(), 5);
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        logs.matches("undocumented status value").count(),
        1,
        "{logs}"
    );
    assert!(logs.contains("TELEPORTING"), "{logs}");
    assert!(logs.contains("gaap.wait"), "{logs}");
}

/// For users' tests: snapshot and restore the emulator's state, and fail the Nth call of
/// one action; a waiter stops on a call error that is not a not-found code.
#[tokio::test]
async fn snapshot_restore_and_a_fault_on_the_nth_call() {
    let env = Env::start().await;
    let kept = env.running_proxy().await;
    let snapshot = env.server.snapshot();
    let extra = env.create_proxy().await;
    env.client
        .close_proxies()
        .proxy_ids(vec![kept.clone()])
        .send()
        .await
        .unwrap();
    env.server.restore(&snapshot);
    assert_eq!(
        env.proxy_status(&kept).await,
        Some(ProxyInfoStatus::Running)
    );
    assert_eq!(env.proxy_status(&extra).await, None);

    env.server.faults().set(
        "DescribeProxies",
        gaap_mock::Fault::Error("ResourceUnavailable".into()).on_call(2),
    );
    let first = env.proxy_status(&kept).await;
    assert_eq!(first, Some(ProxyInfoStatus::Running));
    let second = fast(env.client.wait_until_proxy_closed(&kept)).wait().await;
    assert_eq!(
        second.unwrap_err().code(),
        Some("ResourceUnavailable"),
        "the second call fails, and the waiter reports it"
    );
    assert_eq!(
        env.proxy_status(&kept).await,
        Some(ProxyInfoStatus::Running)
    );
}

/// For users' tests: an emulator seeded with resources (the README's seed file), in their
/// final state whatever the state delay, linked by the IDs they were given.
#[tokio::test]
async fn a_seeded_emulator_starts_with_running_resources() {
    let server = MockServer::builder()
        .credential(ID, KEY)
        .state_delay(Duration::from_secs(DELAY as u64))
        .seed_json(include_str!("../../gaap-mock/seed.example.json"))
        .unwrap()
        .seed(
            "CreateProxy",
            serde_json::json!({"ProjectId": 0, "ProxyName": "from-builder",
                "AccessRegion": "Shanghai", "Bandwidth": 10, "Concurrent": 2,
                "RealServerRegion": "Beijing"}),
            None,
        )
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, KEY))
        .build()
        .unwrap();
    let proxies = client
        .describe_proxies()
        .order("asc")
        .send()
        .await
        .unwrap()
        .proxy_set
        .unwrap();
    let seen: Vec<_> = proxies
        .iter()
        .map(|p| (p.proxy_name.clone().unwrap(), p.status.clone().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            ("seeded-web".to_owned(), ProxyInfoStatus::Running),
            ("from-builder".to_owned(), ProxyInfoStatus::Running)
        ]
    );
    let web = proxies[0].proxy_id.clone().unwrap();
    let listener = client
        .describe_tcp_listeners()
        .proxy_id(&web)
        .send()
        .await
        .unwrap()
        .listener_set
        .unwrap()[0]
        .clone();
    assert_eq!(listener.listener_name.as_deref(), Some("seeded-tcp"));
    let bound = client
        .describe_listener_real_servers()
        .listener_id(listener.listener_id.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(bound.bind_real_server_total_count, Some(1));
    // A seed that fails names its step.
    let bad = MockServer::builder()
        .seed(
            "CreateTCPListeners",
            serde_json::json!({"ProxyId": "${none}"}),
            None,
        )
        .start()
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("seed step 1"), "{bad}");
}

#[tokio::test]
async fn domain_and_rule_running() {
    let env = Env::start().await;
    let proxy = env.running_proxy().await;
    let listener = env
        .client
        .create_http_listener()
        .proxy_id(&proxy)
        .listener_name("web")
        .port(80)
        .send()
        .await
        .unwrap()
        .listener_id
        .unwrap();
    env.advance();
    for domain in ["a.example.com", "b.example.com"] {
        env.client
            .create_domain()
            .listener_id(&listener)
            .domain(domain)
            .send()
            .await
            .unwrap();
    }
    // The waiter picks its domain out of the listener's list.
    let outcome = env
        .across_transition(
            "DescribeRules",
            fast(
                env.client
                    .wait_until_domain_running(&listener, "b.example.com"),
            )
            .wait(),
        )
        .await
        .unwrap();
    match outcome {
        WaitOutcome::Reached(last) => {
            let set = last.domain_rule_set.unwrap();
            assert_eq!(set.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    // A domain the listener does not have never appears: timeout.
    let outcome = fast(
        env.client
            .wait_until_domain_running(&listener, "c.example.com"),
    )
    .max_wait(Duration::from_millis(50))
    .wait()
    .await
    .unwrap();
    assert!(
        matches!(
            &outcome,
            WaitOutcome::TimedOut {
                last_state: None,
                last: Some(_)
            }
        ),
        "{outcome:?}"
    );

    let rule = env
        .client
        .create_rule()
        .listener_id(&listener)
        .domain("a.example.com")
        .path("/")
        .real_server_type("IP")
        .scheduler("rr")
        .health_check(0)
        .send()
        .await
        .unwrap()
        .rule_id
        .unwrap();
    let outcome = env
        .across_transition(
            "DescribeRulesByRuleIds",
            fast(env.client.wait_until_rule_running(&rule)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Reached(_)), "{outcome:?}");
    // Deleted: the rule is terminating (2), then its domain is deleting (2); each waiter
    // fails at once.
    env.client
        .delete_rule()
        .listener_id(&listener)
        .rule_id(&rule)
        .force(0)
        .send()
        .await
        .unwrap();
    let outcome = fast(env.client.wait_until_rule_running(&rule))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Failed { state, .. } if state == "2"),
        "{outcome:?}"
    );
    env.client
        .delete_domain()
        .listener_id(&listener)
        .domain("b.example.com")
        .force(0)
        .send()
        .await
        .unwrap();
    let outcome = fast(
        env.client
            .wait_until_domain_running(&listener, "b.example.com"),
    )
    .wait()
    .await
    .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Failed { state, .. } if state == "2"),
        "{outcome:?}"
    );
    let outcome = fast(env.client.wait_until_rule_running("rule-never"))
        .max_wait(Duration::from_millis(50))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(outcome, WaitOutcome::TimedOut { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn security_policy_bound() {
    let env = Env::start().await;
    let proxy = env.running_proxy().await;
    let policy = env
        .client
        .create_security_policy()
        .proxy_id(&proxy)
        .default_action("ACCEPT")
        .send()
        .await
        .unwrap()
        .policy_id
        .unwrap();
    let opened = env
        .client
        .open_security_policy()
        .policy_id(&policy)
        .send()
        .await
        .unwrap();
    let outcome = env
        .across_transition(
            "DescribeSecurityPolicyDetail",
            fast(env.client.wait_until_security_policy_bound(&policy)).wait(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WaitOutcome::Reached(_)), "{outcome:?}");
    // Its task is done too (the TaskId is the RequestId).
    let task = opened.task_id.unwrap();
    assert_eq!(Some(task.clone()), opened.request_id);
    let done = fast(env.client.wait_until_task_done(&task))
        .wait()
        .await
        .unwrap();
    assert!(done.is_success(), "{done:?}");
    // Failure: a policy being closed will not be bound.
    env.client
        .close_security_policy()
        .policy_id(&policy)
        .send()
        .await
        .unwrap();
    let outcome = fast(env.client.wait_until_security_policy_bound(&policy))
        .max_wait(Duration::from_secs(5))
        .wait()
        .await
        .unwrap();
    assert!(
        matches!(&outcome, WaitOutcome::Failed { state, .. } if state == "UNBINDING"),
        "{outcome:?}"
    );
}
