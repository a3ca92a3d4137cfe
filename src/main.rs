//! newsgraph: reads news articles and builds the picture they describe.
//!
//! The binary is thin: it parses the command line and hands each command to a module here,
//! which drives the library crates (`newsgraph-input` → `newsgraph-nlp` → `newsgraph-corpus`).

mod analyze;
mod bench;
mod bench_pipeline;
mod progress;
mod report;
mod store_cmds;
mod train;
mod workers;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "newsgraph",
    version,
    about = "Reads news articles and builds the picture they describe: who, who said what, what happened, across sources."
)]
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
    /// Add articles to a store (only those whose content id is new) and update its stories.
    Ingest(store_cmds::IngestArgs),
    /// Full-text search in a store, ranked, with filters.
    Search(store_cmds::SearchArgs),
    /// List the stories in a store, latest or largest first.
    Stories(store_cmds::StoriesArgs),
    /// Show an article, an entity or a story from a store.
    Show(store_cmds::ShowArgs),
    /// List the entities in a store, most articles first.
    Entities(store_cmds::EntitiesArgs),
    /// Export a store: jsonl, csv, graphml or gdelt.
    Export(store_cmds::ExportArgs),
    /// Serve a store read-only: JSON API and web pages.
    Serve(store_cmds::ServeArgs),
    /// Benchmarks: analysis speed and memory per format and layer, article and load generators.
    Bench {
        #[command(subcommand)]
        what: bench::BenchCommand,
    },
    /// Train a model from annotated corpora: `newsgraph train ner --data DIR --out FILE`.
    Train {
        #[command(subcommand)]
        what: train::TrainCommand,
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
        Command::Train { what } => train::run(what),
        Command::Ingest(a) => store_cmds::ingest(a),
        Command::Search(a) => store_cmds::search(a),
        Command::Stories(a) => store_cmds::stories(a),
        Command::Show(a) => store_cmds::show(a),
        Command::Entities(a) => store_cmds::entities(a),
        Command::Export(a) => store_cmds::export(a),
        Command::Serve(a) => store_cmds::serve(a),
        Command::Bench { what } => bench::run(what),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsgraph: {e}");
            ExitCode::from(2)
        }
    }
}
