//! `gaap-mock`: run the GAAP emulator as a local HTTP server.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use gaap_mock::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, MockServer};

/// A local emulator of Tencent Cloud GAAP (API 2018-05-29) for tests.
///
/// Point an SDK's endpoint at http://<listen> and sign with the configured credential.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on (use port 0 for a free port; the chosen address is printed).
    #[arg(long, default_value = "127.0.0.1:18080")]
    listen: SocketAddr,
    /// SecretId clients sign with.
    #[arg(long, default_value = DEFAULT_SECRET_ID)]
    secret_id: String,
    /// SecretKey of --secret-id (default: the documented mock key; never logged). A flag is
    /// visible to every local user in the process list: prefer the environment variable or
    /// --secret-key-file for a real secret.
    #[arg(
        long,
        env = "GAAP_MOCK_SECRET_KEY",
        hide_env_values = true,
        conflicts_with = "secret_key_file"
    )]
    secret_key: Option<String>,
    /// Read the SecretKey from this file (its content, surrounding whitespace trimmed).
    #[arg(long, value_name = "PATH")]
    secret_key_file: Option<PathBuf>,
    /// Make --secret-id a temporary credential whose requests must carry this STS token
    /// (X-TC-Token, or the v1 Token parameter).
    #[arg(long, env = "GAAP_MOCK_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Most open connections; more are closed as soon as they are accepted.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a connection may take to send a request head (or stay idle between requests),
    /// and a request its body.
    #[arg(long, default_value_t = 30)]
    read_timeout_secs: u64,
    /// Do not enforce the documented per-action requests-per-second limits.
    #[arg(long)]
    no_rate_limit: bool,
    /// Seconds each transition takes: a new connection is CREATING, then RUNNING; open,
    /// close, configuration changes, destruction, listeners and tasks likewise. 0 applies
    /// every write at once.
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    state_delay: u64,
    /// Resources to create before serving: a JSON array of
    /// {"Action": ..., "Params": {...}, "As": "name"} steps; "${name}" in a later step's
    /// parameters is the ID an earlier one created (see the README).
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,
    /// Serving threads, each accepting and answering its own connections
    /// (default: the available parallelism).
    #[arg(long)]
    threads: Option<NonZeroUsize>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let secret_key = match (&args.secret_key, &args.secret_key_file) {
        (Some(key), _) => key.clone(),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(text) => text.trim().to_owned(),
            Err(e) => {
                eprintln!(
                    "gaap-mock: cannot read --secret-key-file {}: {e}",
                    path.display()
                );
                return ExitCode::FAILURE;
            }
        },
        (None, None) => DEFAULT_SECRET_KEY.to_owned(),
    };
    if secret_key.is_empty() {
        eprintln!("gaap-mock: the secret key is empty");
        return ExitCode::FAILURE;
    }
    let threads = args
        .threads
        .or_else(|| std::thread::available_parallelism().ok())
        .unwrap_or(NonZeroUsize::MIN);
    let shutdown = async {
        // If the signal handler cannot be installed, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let builder = MockServer::builder();
    let builder = match args.token {
        Some(token) => builder.temporary_credential(args.secret_id, secret_key, token),
        None => builder.credential(args.secret_id, secret_key),
    };
    let builder = match &args.seed {
        None => builder,
        Some(path) => {
            // A seed file is small; refuse one over 16 MiB unread.
            let text = match std::fs::metadata(path) {
                Ok(meta) if meta.len() > 16 * 1024 * 1024 => {
                    eprintln!("gaap-mock: --seed {} is over 16 MiB", path.display());
                    return ExitCode::FAILURE;
                }
                _ => std::fs::read_to_string(path),
            };
            match text
                .map_err(|e| e.to_string())
                .and_then(|text| builder.seed_json(&text).map_err(|e| e.to_string()))
            {
                Ok(builder) => builder,
                Err(e) => {
                    eprintln!("gaap-mock: --seed {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let served = builder
        .listen(args.listen)
        .rate_limit(!args.no_rate_limit)
        .state_delay(Duration::from_secs(args.state_delay))
        .max_connections(args.max_connections)
        .read_timeout(Duration::from_secs(args.read_timeout_secs.max(1)))
        .run(threads, shutdown, |addr| {
            println!("gaap-mock listening on http://{addr}");
            tracing::info!(%addr, "gaap-mock ready");
        });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match std::error::Error::source(&e) {
                Some(source) => eprintln!("gaap-mock: {e}: {source}"),
                None => eprintln!("gaap-mock: {e}"),
            }
            ExitCode::FAILURE
        }
    }
}
