//! `cargo xtask bench-peers`: gaap-client against Tencent's official SDKs, side by side.
//!
//! One `gaap-mock` binary serves every loop. Each client runs the same sequential loop of
//! DeleteListeners calls (after a warm-up): gaap-client, the official Python SDK (from PyPI,
//! in a venv), the official Node.js SDK (from npm, when npm is available) and the floor, a
//! bare reqwest POST of one pre-built, pre-signed body. The sequential loops run twice:
//! unpinned, and with client and server pinned to core 0 (`taskset -c 0`). Then gaap-client
//! and the floor run with 64 concurrent callers. The report prints calls per second, time
//! per call and gaap-client's ratios.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SECRET_ID: &str = "AKIDBENCHPEERS0000000000000000000000";
const SECRET_KEY: &str = "bench-peers-secret-key-000000000000";

/// Options of `cargo xtask bench-peers`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchPeersArgs {
    /// Calls per sequential loop (after the warm-up).
    #[arg(long, default_value_t = 2000)]
    pub calls: u64,
    /// Warm-up calls before each timed loop.
    #[arg(long, default_value_t = 200)]
    pub warmup: u64,
    /// Rounds per placement: every client runs once per round, interleaved, and the
    /// median round is reported (this VM's timings are noisy and sometimes bimodal).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Concurrent callers in the concurrent phase.
    #[arg(long, default_value_t = 64)]
    pub concurrency: u64,
    /// Calls in the concurrent phase (shared by all callers).
    #[arg(long, default_value_t = 20000)]
    pub concurrent_calls: u64,
    /// Skip the Node.js SDK even when npm is available.
    #[arg(long)]
    pub no_node: bool,
    /// Skip the Python SDK.
    #[arg(long)]
    pub no_python: bool,
}

/// What one loop printed (one JSON line on stdout).
#[derive(Debug, Clone, Deserialize)]
struct LoopResult {
    client: String,
    calls: u64,
    seconds: f64,
    calls_per_sec: f64,
}

impl LoopResult {
    fn micros_per_call(&self) -> f64 {
        self.seconds * 1e6 / self.calls as f64
    }
}

/// A peer that can run the loop.
#[derive(Debug, Clone)]
struct Runner {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
}

/// The server under test; killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run the whole comparison from the workspace `root`.
pub fn run(root: &Path, args: &BenchPeersArgs) -> Result<()> {
    build_release(root)?;
    let target = target_dir(root);
    let server = start_server(&target.join("release/gaap-mock"))?;
    let endpoint = server.addr.to_string();
    let url = format!("http://{endpoint}");
    let taskset = has_taskset();

    let loop_bin = target.join("release/examples/bench_loop");
    let mut runners = vec![
        Runner {
            name: "gaap-client",
            program: loop_bin.clone(),
            args: vec!["sdk".into()],
        },
        Runner {
            name: "floor (pre-signed reqwest)",
            program: loop_bin.clone(),
            args: vec!["floor".into()],
        },
    ];
    if !args.no_python {
        match python_runner(root) {
            Ok(r) => runners.push(r),
            Err(e) => eprintln!("bench-peers: skipping the Python SDK: {e:#}"),
        }
    }
    if !args.no_node {
        match node_runner(root) {
            Ok(r) => runners.push(r),
            Err(e) => eprintln!("bench-peers: skipping the Node.js SDK: {e:#}"),
        }
    }

    let mut report = Vec::new();
    let placements: &[(&str, bool)] = if taskset {
        &[("unpinned", false), ("pinned to core 0", true)]
    } else {
        eprintln!("bench-peers: taskset not found; the pinned placement is skipped");
        &[("unpinned", false)]
    };
    let rounds = args.rounds.max(1);
    for &(placement, pinned) in placements {
        pin_server(&server, pinned)?;
        let mut samples: Vec<Vec<LoopResult>> = vec![Vec::new(); runners.len()];
        for round in 1..=rounds {
            for (runner, samples) in runners.iter().zip(&mut samples) {
                let loop_args = loop_args(runner, &url, &endpoint, args.calls, args.warmup, 1);
                let r = run_loop(runner, &loop_args, pinned)
                    .with_context(|| format!("{} loop ({placement})", runner.name))?;
                eprintln!(
                    "bench-peers: {placement}, round {round}/{rounds}: {} {:.0} calls/s",
                    runner.name, r.calls_per_sec
                );
                samples.push(r);
            }
        }
        let results = runners
            .iter()
            .zip(samples)
            .filter_map(|(runner, s)| median_result(s).map(|r| (runner.name, r)))
            .collect();
        report.push((format!("sequential, {placement}"), results));
    }
    pin_server(&server, false)?;
    let mut samples: Vec<Vec<LoopResult>> = vec![Vec::new(); 2];
    for _ in 0..rounds {
        for (runner, samples) in runners.iter().take(2).zip(&mut samples) {
            let loop_args = loop_args(
                runner,
                &url,
                &endpoint,
                args.concurrent_calls,
                args.warmup,
                args.concurrency,
            );
            let r = run_loop(runner, &loop_args, false)
                .with_context(|| format!("{} concurrent loop", runner.name))?;
            samples.push(r);
        }
    }
    let concurrent = runners
        .iter()
        .zip(samples)
        .filter_map(|(runner, s)| median_result(s).map(|r| (runner.name, r)))
        .collect();
    report.push((
        format!("{} concurrent callers, unpinned", args.concurrency),
        concurrent,
    ));
    print_report(&report, args);
    Ok(())
}

/// The round with the median time.
fn median_result(mut samples: Vec<LoopResult>) -> Option<LoopResult> {
    samples.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let mid = samples.len() / 2;
    samples.into_iter().nth(mid)
}

fn loop_args(
    runner: &Runner,
    url: &str,
    endpoint: &str,
    calls: u64,
    warmup: u64,
    concurrency: u64,
) -> Vec<String> {
    let mut a = runner.args.clone();
    if runner.program.ends_with("bench_loop") {
        a.extend([
            "--endpoint".into(),
            url.into(),
            "--secret-id".into(),
            SECRET_ID.into(),
            "--secret-key".into(),
            SECRET_KEY.into(),
            "--calls".into(),
            calls.to_string(),
            "--warmup".into(),
            warmup.to_string(),
            "--concurrency".into(),
            concurrency.to_string(),
        ]);
    } else {
        a.extend([
            endpoint.into(),
            SECRET_ID.into(),
            SECRET_KEY.into(),
            calls.to_string(),
            warmup.to_string(),
        ]);
    }
    a
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"))
}

fn build_release(root: &Path) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "gaap-mock",
            "--bin",
            "gaap-mock",
            "-p",
            "gaap-client",
            "--example",
            "bench_loop",
        ])
        .status()
        .context("running cargo build --release")?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    Ok(())
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("binding a free port")?;
    Ok(l.local_addr()?.port())
}

fn start_server(bin: &Path) -> Result<Server> {
    let port = free_port()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(bin)
        .args([
            "--listen",
            &addr.to_string(),
            "--secret-id",
            SECRET_ID,
            "--secret-key",
            SECRET_KEY,
            "--no-rate-limit",
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let server = Server { child, addr };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if Instant::now() > deadline {
            bail!("gaap-mock did not listen on {addr} within 20 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(server)
}

fn has_taskset() -> bool {
    Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Pin every thread of the server to core 0, or release it to all cores.
fn pin_server(server: &Server, pinned: bool) -> Result<()> {
    if !has_taskset() {
        return Ok(());
    }
    let cpus = if pinned {
        "0".to_owned()
    } else {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        format!("0-{}", n.saturating_sub(1))
    };
    let status = Command::new("taskset")
        .args(["-a", "-p", "-c", &cpus, &server.child.id().to_string()])
        .stdout(Stdio::null())
        .status()
        .context("taskset on the server")?;
    if !status.success() {
        bail!("taskset -a -p -c {cpus} failed");
    }
    Ok(())
}

fn run_loop(runner: &Runner, args: &[String], pinned: bool) -> Result<LoopResult> {
    let mut cmd = if pinned {
        let mut c = Command::new("taskset");
        c.arg("-c").arg("0").arg(&runner.program);
        c
    } else {
        Command::new(&runner.program)
    };
    let out = cmd
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {}", runner.program.display()))?;
    if !out.status.success() {
        bail!("{} exited with {}", runner.name, out.status);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .with_context(|| format!("{} printed no JSON result: {stdout}", runner.name))?;
    serde_json::from_str(line).with_context(|| format!("parsing {line}"))
}

fn python_runner(root: &Path) -> Result<Runner> {
    let venv = target_dir(root).join("bench-peers/venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .context("python3 -m venv")?
            .success();
        if !ok {
            bail!("python3 -m venv failed");
        }
    }
    let ok = Command::new(&python)
        .args(["-m", "pip", "install", "-q", "-r"])
        .arg(root.join("scripts/bench/requirements.txt"))
        .status()
        .context("pip install")?
        .success();
    if !ok {
        bail!("pip install of the official Python SDK failed");
    }
    Ok(Runner {
        name: "Python SDK (tencentcloud-sdk-python)",
        program: python,
        args: vec![
            root.join("scripts/bench/peer_python.py")
                .to_string_lossy()
                .into_owned(),
        ],
    })
}

fn node_runner(root: &Path) -> Result<Runner> {
    let dir = root.join("scripts/bench");
    let node_ok = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !node_ok {
        bail!("node is not installed");
    }
    if !dir
        .join("node_modules/tencentcloud-sdk-nodejs-common")
        .exists()
    {
        let ok = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .context("npm install")?
            .success();
        if !ok {
            bail!("npm install of the official Node.js SDK failed");
        }
    }
    Ok(Runner {
        name: "Node.js SDK (tencentcloud-sdk-nodejs)",
        program: PathBuf::from("node"),
        args: vec![dir.join("peer_node.js").to_string_lossy().into_owned()],
    })
}

fn print_report(report: &[(String, Vec<(&str, LoopResult)>)], args: &BenchPeersArgs) {
    println!(
        "\nbench-peers: DeleteListeners against one gaap-mock binary; {} calls per sequential loop after {} warm-up calls; median of {} interleaved rounds",
        args.calls,
        args.warmup,
        args.rounds.max(1)
    );
    for (phase, results) in report {
        println!("\n## {phase}");
        println!("{:<40} {:>12} {:>14}", "client", "calls/s", "µs per call");
        for (name, r) in results {
            println!(
                "{:<40} {:>12.0} {:>14.1}",
                name,
                r.calls_per_sec,
                r.micros_per_call()
            );
        }
        let Some((_, ours)) = results.iter().find(|(n, _)| *n == "gaap-client") else {
            continue;
        };
        for (name, r) in results.iter().filter(|(n, _)| *n != "gaap-client") {
            if name.starts_with("floor") {
                println!(
                    "gaap-client time per call / floor time per call: {:.2}x",
                    ours.micros_per_call() / r.micros_per_call()
                );
            } else {
                println!(
                    "gaap-client calls/s vs {name} ({}): {:.1}x",
                    r.client,
                    ours.calls_per_sec / r.calls_per_sec
                );
            }
        }
    }
}
