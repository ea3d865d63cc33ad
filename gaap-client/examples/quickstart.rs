//! Quickstart: create a TCP listener on a connection, list it, delete it.
//!
//! ```text
//! cargo run -p gaap-client --example quickstart                       # embedded gaap-mock
//! cargo run -p gaap-client --example quickstart -- --endpoint URL     # any GAAP endpoint
//! ```
//!
//! - With no arguments and no credentials in the environment, it starts an in-process
//!   `gaap-mock` emulator, creates a connection there, and runs the walk-through against it.
//! - With `TENCENTCLOUD_SECRET_ID`/`TENCENTCLOUD_SECRET_KEY` set, it talks to real Tencent
//!   Cloud. Creating a connection costs money, so it then needs the ID of an existing one
//!   in `GAAP_PROXY_ID` and only adds (and removes) a listener on it.
//! - `--endpoint URL` points the client anywhere (e.g. a `gaap-mock` binary on
//!   `http://127.0.0.1:18080`, or `gaap.intl.tencentcloudapi.com`), with the environment's
//!   credentials, or the emulator's documented defaults when there are none.

use std::error::Error;

use gaap_client::{Client, Credentials};
use gaap_model::{types::HealthCheck, types::RealServerType, types::Scheduler};

type BoxError = Box<dyn Error + Send + Sync>;

/// Where the walk-through runs.
enum Target {
    /// The embedded emulator (kept alive for the walk-through).
    Embedded(gaap_mock::MockServer),
    /// An endpoint given with `--endpoint`.
    Endpoint(String),
    /// Real Tencent Cloud, from the environment.
    Cloud,
}

fn endpoint_arg() -> Result<Option<String>, BoxError> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(None),
        (Some("--endpoint"), Some(url)) => Ok(Some(url)),
        _ => Err("usage: quickstart [--endpoint URL]".into()),
    }
}

fn has_env_credentials() -> bool {
    std::env::var_os("TENCENTCLOUD_SECRET_ID").is_some()
        && std::env::var_os("TENCENTCLOUD_SECRET_KEY").is_some()
}

async fn client_for(target: &Target) -> Result<Client, BoxError> {
    let mock_credentials =
        || Credentials::new(gaap_mock::DEFAULT_SECRET_ID, gaap_mock::DEFAULT_SECRET_KEY);
    Ok(match target {
        Target::Embedded(server) => Client::builder()
            .endpoint(server.url())
            .credentials(mock_credentials())
            .build()?,
        Target::Endpoint(url) if has_env_credentials() => Client::builder()
            .endpoint(url.clone())
            .credentials(Credentials::new(
                std::env::var("TENCENTCLOUD_SECRET_ID")?,
                std::env::var("TENCENTCLOUD_SECRET_KEY")?,
            ))
            .build()?,
        Target::Endpoint(url) => Client::builder()
            .endpoint(url.clone())
            .credentials(mock_credentials())
            .build()?,
        Target::Cloud => Client::from_env()?,
    })
}

/// The connection to put the listener on: `GAAP_PROXY_ID`, or a new one on an emulator.
async fn connection(client: &Client, target: &Target) -> Result<(String, bool), BoxError> {
    if let Ok(id) = std::env::var("GAAP_PROXY_ID") {
        return Ok((id, false));
    }
    if matches!(target, Target::Cloud) {
        return Err(
            "set GAAP_PROXY_ID to an existing connection: creating one on real \
                    Tencent Cloud is billed, so the quickstart does not"
                .into(),
        );
    }
    let created = client
        .create_proxy()
        .project_id(0)
        .proxy_name("quickstart")
        .access_region("SouthChina")
        .real_server_region("NorthAmerica")
        .bandwidth(10)
        .concurrent(2)
        .send()
        .await?;
    let id = created
        .instance_id
        .ok_or("CreateProxy returned no InstanceId")?;
    println!("created connection {id}");
    Ok((id, true))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let target = match endpoint_arg()? {
        Some(url) => Target::Endpoint(url),
        None if has_env_credentials() => Target::Cloud,
        None => Target::Embedded(gaap_mock::MockServer::start().await?),
    };
    match &target {
        Target::Embedded(server) => println!("using the embedded gaap-mock at {}", server.url()),
        Target::Endpoint(url) => println!("using the endpoint {url}"),
        Target::Cloud => println!("using Tencent Cloud with credentials from the environment"),
    }
    let client = client_for(&target).await?;
    let (proxy_id, created_proxy) = connection(&client, &target).await?;

    // 1. Create a TCP listener. Validation (ranges, enums, exactly one of ProxyId/GroupId,
    //    ConnectTimeout < DelayLoop) runs before anything is sent.
    let created = client
        .create_tcp_listeners()
        .proxy_id(proxy_id.clone())
        .listener_name("quickstart-tcp")
        .ports(vec![8080])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Enabled)
        .real_server_type(RealServerType::Ip)
        .delay_loop(30)
        .connect_timeout(5)
        .send()
        .await?;
    let listener_ids = created.listener_ids.unwrap_or_default();
    println!(
        "created listener(s) {listener_ids:?} (RequestId {})",
        created.request_id.as_deref().unwrap_or("-")
    );

    // 2. List the connection's TCP listeners.
    let listed = client
        .describe_tcp_listeners()
        .proxy_id(proxy_id.clone())
        .send()
        .await?;
    for listener in listed.listener_set.unwrap_or_default() {
        println!(
            "  {} {} port {} ({})",
            listener.listener_id.as_deref().unwrap_or("-"),
            listener.listener_name.as_deref().unwrap_or("-"),
            listener
                .port
                .map_or_else(|| "-".to_owned(), |p| p.to_string()),
            listener.protocol.as_deref().unwrap_or("-"),
        );
    }
    println!("total: {}", listed.total_count.unwrap_or_default());

    // 3. Delete the listener(s) we created.
    let deleted = client
        .delete_listeners()
        .proxy_id(proxy_id.clone())
        .listener_ids(listener_ids)
        .force(gaap_model::types::DeleteListenersForce::Allowed)
        .send()
        .await?;
    println!(
        "deleted {:?}",
        deleted.operation_succeed_listener_set.unwrap_or_default()
    );

    if created_proxy {
        let destroyed = client
            .destroy_proxies()
            .proxy_ids(vec![proxy_id.clone()])
            .force(gaap_model::types::DestroyProxiesForce::Allowed)
            .send()
            .await?;
        println!(
            "destroyed connection {proxy_id} (failed: {:?})",
            destroyed.operation_failed_instance_set.unwrap_or_default()
        );
    }
    Ok(())
}
