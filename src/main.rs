//! newsgraph: reads news articles and builds the picture they describe.
//!
//! The binary is thin: it parses the command line and hands each command to a module here,
//! which drives the library crates (`newsgraph-input` → `newsgraph-nlp` → `newsgraph-corpus`).

mod analyze;
mod progress;
mod report;
mod workers;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "newsgraph", version, about = "Reads news articles and builds the picture they describe: who, who said what, what happened, across sources.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles: clean text, entities, quotations, events, dates, amounts, stories.
    Analyze {
        /// Files or folders (read recursively), or - for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the output to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads (default: one per core). The output is the same for any number.
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// A readable report, story by story.
    Text,
    /// One JSON object per line: articles, then stories, then a summary.
    Jsonl,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze { paths, format, out, threads } => {
            let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            analyze::run(&paths, format, out.as_deref(), threads.max(1))
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsgraph: {e}");
            ExitCode::from(2)
        }
    }
}
