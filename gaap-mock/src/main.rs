//! `gaap-mock`: run the GAAP emulator as a local HTTP server.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::process::ExitCode;

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
    /// SecretKey of --secret-id (default: the documented mock key; never logged).
    #[arg(long, default_value = DEFAULT_SECRET_KEY)]
    secret_key: String,
    /// Do not enforce the documented per-action requests-per-second limits.
    #[arg(long)]
    no_rate_limit: bool,
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
    let served = MockServer::builder()
        .listen(args.listen)
        .credential(args.secret_id, args.secret_key)
        .rate_limit(!args.no_rate_limit)
        .run(threads, shutdown, |addr| {
            println!("gaap-mock listening on http://{addr}");
            tracing::info!(%addr, "gaap-mock ready");
        });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "gaap-mock: {e}: {}",
                std::error::Error::source(&e)
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
            ExitCode::FAILURE
        }
    }
}
