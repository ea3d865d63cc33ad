//! One timed loop of DeleteListeners calls, for `cargo xtask bench-peers`.
//!
//! ```text
//! bench_loop sdk|floor --endpoint URL --secret-id ID --secret-key KEY
//!            [--calls N] [--warmup N] [--concurrency N]
//! ```
//!
//! `sdk` drives gaap-client's generated `delete_listeners()` (validation, serialization,
//! signing, envelope decoding and typed response all included; the client-side rate limiter
//! is off, as the peers have none). `floor` is the same call as a bare reqwest POST of one
//! pre-built, pre-signed body: no SDK work at all. With `--concurrency 1` the loop runs on a
//! single-threaded runtime; otherwise N tasks share the calls on a multi-threaded runtime.
//! Prints one JSON line: `{"client", "calls", "seconds", "calls_per_sec"}`.

use std::error::Error;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gaap_client::signing::{Payload, SignableRequest, Signer};
use gaap_client::{Client, Credentials, RateLimitConfig};
use gaap_model::types::DeleteListenersForce;

type BoxError = Box<dyn Error + Send + Sync>;

const PROXY_ID: &str = "link-bench0001";
const LISTENER_ID: &str = "listener-bench0001";

#[derive(Debug, Clone)]
struct Args {
    mode: String,
    endpoint: String,
    secret_id: String,
    secret_key: String,
    calls: u64,
    warmup: u64,
    concurrency: u64,
}

fn parse_args() -> Result<Args, BoxError> {
    let mut it = std::env::args().skip(1);
    let mode = it
        .next()
        .ok_or("usage: bench_loop sdk|floor --endpoint URL ...")?;
    if mode != "sdk" && mode != "floor" {
        return Err(format!("unknown mode {mode:?}: expected sdk or floor").into());
    }
    let mut args = Args {
        mode,
        endpoint: String::new(),
        secret_id: String::new(),
        secret_key: String::new(),
        calls: 2000,
        warmup: 200,
        concurrency: 1,
    };
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--endpoint" => args.endpoint = value,
            "--secret-id" => args.secret_id = value,
            "--secret-key" => args.secret_key = value,
            "--calls" => args.calls = value.parse()?,
            "--warmup" => args.warmup = value.parse()?,
            "--concurrency" => args.concurrency = value.parse::<u64>()?.max(1),
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    if args.endpoint.is_empty() || args.secret_id.is_empty() || args.secret_key.is_empty() {
        return Err("--endpoint, --secret-id and --secret-key are required".into());
    }
    Ok(args)
}

/// One call, made by gaap-client or by the floor.
#[derive(Clone)]
enum Caller {
    Sdk(Client),
    Floor(Arc<Floor>),
}

/// The floor: one pre-signed request, replayed as-is (the emulator, like the real service,
/// accepts a replayed signed request within the 5-minute window).
struct Floor {
    http: reqwest::Client,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Caller {
    fn new(args: &Args) -> Result<Self, BoxError> {
        if args.mode == "sdk" {
            let client = Client::builder()
                .endpoint(args.endpoint.clone())
                .credentials(Credentials::new(
                    args.secret_id.clone(),
                    args.secret_key.clone(),
                ))
                .rate_limit(RateLimitConfig::disabled())
                .build()?;
            return Ok(Caller::Sdk(client));
        }
        let body = serde_json::to_vec(&serde_json::json!({
            "ListenerIds": [LISTENER_ID],
            "Force": 1,
            "ProxyId": PROXY_ID,
        }))?;
        let host = args
            .endpoint
            .split("://")
            .nth(1)
            .unwrap_or(&args.endpoint)
            .trim_end_matches('/')
            .to_owned();
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
        let request = SignableRequest {
            method: "POST",
            query: "",
            content_type: "application/json",
            host: &host,
            payload: Payload::Bytes(&body),
        };
        let authorization = Signer::new("gaap").authorization(
            &request,
            &args.secret_id,
            &args.secret_key,
            timestamp,
        );
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in [
            ("content-type", "application/json".to_owned()),
            ("x-tc-action", "DeleteListeners".to_owned()),
            ("x-tc-version", "2018-05-29".to_owned()),
            ("x-tc-timestamp", timestamp.to_string()),
            ("authorization", authorization),
        ] {
            headers.insert(name, value.parse()?);
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Caller::Floor(Arc::new(Floor {
            http,
            url: reqwest::Url::parse(&format!("{}/", args.endpoint.trim_end_matches('/')))?,
            headers,
            body,
        })))
    }

    async fn call(&self) -> Result<(), BoxError> {
        match self {
            Caller::Sdk(client) => {
                let response = client
                    .delete_listeners()
                    .proxy_id(PROXY_ID)
                    .force(DeleteListenersForce::Allowed)
                    .listener_ids(vec![LISTENER_ID.to_owned()])
                    .send()
                    .await?;
                if response.request_id.is_none() {
                    return Err("response without RequestId".into());
                }
            }
            Caller::Floor(floor) => {
                let mut request = reqwest::Request::new(reqwest::Method::POST, floor.url.clone());
                *request.headers_mut() = floor.headers.clone();
                *request.body_mut() = Some(floor.body.clone().into());
                let response = floor.http.execute(request).await?;
                let status = response.status();
                let body = response.bytes().await?;
                let text = std::str::from_utf8(&body)?;
                if !status.is_success() || text.contains("\"Error\"") {
                    return Err(format!("floor call failed: {status} {text}").into());
                }
            }
        }
        Ok(())
    }
}

async fn run(args: Args) -> Result<f64, BoxError> {
    let caller = Caller::new(&args)?;
    for _ in 0..args.warmup {
        caller.call().await?;
    }
    let start = Instant::now();
    if args.concurrency == 1 {
        for _ in 0..args.calls {
            caller.call().await?;
        }
    } else {
        let per_task = args.calls / args.concurrency;
        let extra = args.calls % args.concurrency;
        let mut tasks = Vec::new();
        for i in 0..args.concurrency {
            let caller = caller.clone();
            let n = per_task + u64::from(i < extra);
            tasks.push(tokio::spawn(async move {
                for _ in 0..n {
                    caller.call().await?;
                }
                Ok::<(), BoxError>(())
            }));
        }
        for task in tasks {
            task.await??;
        }
    }
    Ok(start.elapsed().as_secs_f64())
}

fn main() -> Result<(), BoxError> {
    let args = parse_args()?;
    let runtime = if args.concurrency == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
    };
    let seconds = runtime.block_on(run(args.clone()))?;
    let client = if args.mode == "sdk" {
        "gaap-client"
    } else {
        "floor"
    };
    println!(
        "{}",
        serde_json::json!({
            "client": client,
            "calls": args.calls,
            "seconds": seconds,
            "calls_per_sec": args.calls as f64 / seconds,
        })
    );
    Ok(())
}
