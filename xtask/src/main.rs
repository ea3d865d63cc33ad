//! `cargo xtask`: the project's tasks. Run without arguments to list them.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::parse;
use xtask::regenerate::{self, SPECS_DIR};

/// The project's tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    task: Option<Task>,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Parse doc pages (files or folders, default `api-specs/`) and print the IR.
    Parse {
        /// Pages or folders of pages.
        paths: Vec<PathBuf>,
    },
    /// Write `api-specs/gaap.json` and the generated code (only files that changed).
    Regenerate {
        /// Write nothing; list stale, missing and orphaned files and fail if there are any.
        #[arg(long)]
        check: bool,
        /// Workspace root (default: found by walking up from the current directory).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Compare gaap-client with Tencent's official SDKs against one gaap-mock (release build).
    BenchPeers(xtask::bench_peers::BenchPeersArgs),
    /// Show that parse and codegen time grow linearly with the size of the corpus.
    BenchScale(xtask::bench_scale::BenchScaleArgs),
}

const TASKS: &str = "\
cargo xtask <TASK>

Tasks:
  parse [PATH ...]            parse doc pages (default api-specs/) and print the IR
  regenerate [--check] [--root DIR]
                              write api-specs/gaap.json and the generated code;
                              --check only verifies they are up to date
  bench-peers [--calls N]     gaap-client vs the official Python and Node.js SDKs
                              and a pre-signed reqwest floor, against one gaap-mock
  bench-scale [--factor N]    parse + codegen time on api-specs/ and on a synthetic
                              corpus N times its size (default 10)
";

fn workspace_root(explicit: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(root) = explicit {
        return Ok(root);
    }
    let current = std::env::current_dir()?;
    regenerate::find_root(&current).ok_or_else(|| {
        anyhow::anyhow!(
            "no Cargo.toml with [workspace] above {}; pass --root",
            current.display()
        )
    })
}

fn parse_task(paths: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![workspace_root(None)?.join(SPECS_DIR)]
    } else {
        paths
    };
    match parse::parse_paths(&paths) {
        Ok(parsed) => {
            for warning in &parsed.warnings {
                eprintln!("{warning}");
            }
            print!("{}", parse::to_json(&parsed.ir)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            for warning in &failure.warnings {
                eprintln!("{warning}");
            }
            for error in &failure.errors {
                eprintln!("{error}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.task {
        None => {
            print!("{TASKS}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Task::Parse { paths }) => parse_task(paths),
        Some(Task::Regenerate { check, root }) => {
            regenerate::run(&workspace_root(root)?, check)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Task::BenchPeers(args)) => {
            xtask::bench_peers::run(&workspace_root(None)?, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Task::BenchScale(args)) => {
            xtask::bench_scale::run(&workspace_root(None)?, &args)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
