//! The store commands: `ingest`, `search`, `stories`, `show`, `entities`, `export`, `serve`.
//!
//! `ingest` runs the same analysis as `analyze` and hands each document to
//! `newsgraph_store::Ingest`; the others read a store (read-only) and print text or JSON Lines.

use crate::progress::Progress;
use crate::workers::{analyze_in_order_skipping, Outcome};
use crate::Format;
use clap::{Args, ValueEnum};
use newsgraph_corpus::Config;
use newsgraph_store::{export, Location, SearchQuery, Store, StorySort};
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const DEFAULT_DB: &str = "newsgraph.db";

fn threads_or_cores(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

#[derive(Args)]
pub struct IngestArgs {
    /// Files or folders (read recursively), or - for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The store: an SQLite file (created when missing), or a PostgreSQL database as
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, which several ingests may fill at once.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
    /// Worker threads for the analysis and for the stories step (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Commit after this many articles (or after a second, whichever comes first).
    #[arg(long, default_value_t = 500, hide = true)]
    batch: usize,
}

pub fn ingest(args: IngestArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    newsgraph_store::set_threads(args.threads.unwrap_or(0));
    let mut store = Store::connect(&args.db).map_err(|e| e.to_string())?;
    // story pages are kept rendered as `serve` shows them
    store.set_story_renderer(newsgraph_web::story_renderer());
    let mut ing = store.begin_ingest(Config::default()).map_err(|e| e.to_string())?;
    ing.set_batch_articles(args.batch);
    ing.set_batch_time(Duration::from_secs(1));
    let before = ing.len();
    let mut progress = Progress::new();
    let (mut read, mut rejected) = (0usize, 0usize);
    let mut failure: Option<String> = None;
    // articles stored before are only cleaned, for their content id, not analysed again
    let stored = ing.stored_ids();
    let skip = |id: &str| stored.contains(id);
    let preparer = ing.preparer();
    let prepare = |doc: Box<newsgraph_doc::Document>| {
        if stored.contains(&doc.id) {
            preparer.pass(doc)
        } else {
            preparer.prepare(doc)
        }
    };
    analyze_in_order_skipping(&args.paths, threads_or_cores(args.threads), &skip, &prepare, &mut |outcome| {
        if failure.is_some() {
            return;
        }
        match outcome {
            Outcome::Article(article) => {
                read += 1;
                if let Err(e) = ing.add_prepared(article) {
                    failure = Some(e.to_string());
                }
            }
            Outcome::Rejected(r) => {
                progress.clear();
                eprintln!("newsgraph: {}: {}", r.source, r.reason);
                rejected += 1;
            }
        }
        progress.tick(read, rejected);
    });
    progress.clear();
    if let Some(e) = failure {
        return Err(format!("ingest stopped: {e} (what was committed before stays in {})", args.db));
    }
    let stats = ing.finish().map_err(|e| e.to_string())?;
    eprintln!(
        "newsgraph: ingest: {} article(s) added, {} already stored, {} rejected; {} now holds {} article(s) in {} stor{} ({:.2} s{})",
        stats.added,
        stats.skipped,
        rejected,
        args.db,
        stats.articles,
        stats.stories,
        if stats.stories == 1 { "y" } else { "ies" },
        started.elapsed().as_secs_f64(),
        if before > 0 { format!(", {before} stored before") } else { String::new() }
    );
    if stats.stories_left_to_others {
        eprintln!("newsgraph: other ingests into {} are still running; the last of them updates the stories", args.db);
    }
    if read == 0 {
        eprintln!("newsgraph: no article could be read from the inputs ({rejected} rejected)");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn open(db: &Location) -> Result<Store, String> {
    Store::connect_read_only(db).map_err(|e| e.to_string())
}

fn out() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

fn io_err(e: io::Error) -> String {
    format!("cannot write the output: {e}")
}

fn jsonl<T: Serialize>(w: &mut dyn Write, items: &[T]) -> Result<(), String> {
    for it in items {
        writeln!(w, "{}", serde_json::to_string(it).expect("records serialise")).map_err(io_err)?;
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words to find (all of them), "a phrase", word* for a prefix, OR between alternatives.
    /// Empty with filters: the newest articles passing them.
    text: String,
    /// Only articles naming this entity (an id or a name).
    #[arg(long)]
    entity: Option<String>,
    /// Only articles from this site.
    #[arg(long)]
    site: Option<String>,
    /// Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Published on or before this date.
    #[arg(long)]
    until: Option<String>,
    /// Only articles in this language (ISO 639-1).
    #[arg(long)]
    lang: Option<String>,
    /// Only articles with an event of this PLOVER type.
    #[arg(long)]
    event: Option<String>,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
}

pub fn search(a: SearchArgs) -> Result<ExitCode, String> {
    let store = open(&a.db)?;
    let q = SearchQuery {
        text: a.text,
        entity: a.entity,
        site: a.site,
        since: a.since,
        until: a.until,
        lang: a.lang,
        event: a.event,
        limit: a.limit,
        offset: a.offset,
    };
    let hits = store.search(&q).map_err(|e| e.to_string())?;
    let mut w = out();
    match a.format {
        Format::Jsonl => jsonl(&mut w, &hits)?,
        Format::Text => {
            for (i, h) in hits.iter().enumerate() {
                let art = &h.article;
                writeln!(w, "{:>3}. {}  [{}]", i + 1 + a.offset, art.title.as_deref().unwrap_or("(untitled)"), art.id)
                    .map_err(io_err)?;
                let mut facts = vec![art.outlet()];
                facts.extend(art.published.clone());
                facts.extend(art.story.clone());
                if h.score != 0.0 {
                    facts.push(format!("score {:.2}", h.score));
                }
                writeln!(w, "     {}", facts.join(" · ")).map_err(io_err)?;
                writeln!(w, "     {}", clip(&h.snippet, 200)).map_err(io_err)?;
            }
            if hits.is_empty() {
                writeln!(w, "no article matches").map_err(io_err)?;
            }
        }
    }
    w.flush().map_err(io_err)?;
    Ok(if hits.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Latest publication first.
    Recent,
    /// Most articles first.
    Size,
}

#[derive(Args)]
pub struct StoriesArgs {
    #[arg(long, value_enum, default_value_t = SortArg::Recent)]
    sort: SortArg,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
}

pub fn stories(a: StoriesArgs) -> Result<ExitCode, String> {
    let store = open(&a.db)?;
    let sort = match a.sort {
        SortArg::Recent => StorySort::Recent,
        SortArg::Size => StorySort::Size,
    };
    let list = store.stories(sort, a.limit, a.offset).map_err(|e| e.to_string())?;
    let mut w = out();
    match a.format {
        Format::Jsonl => jsonl(&mut w, &list)?,
        Format::Text => {
            for s in &list {
                writeln!(w, "{}  {}", s.id, s.title).map_err(io_err)?;
                writeln!(
                    w,
                    "     {} article(s), {} independent · {} · {}",
                    s.articles,
                    s.independent_articles,
                    match (&s.first_published, &s.last_published) {
                        (Some(f), Some(l)) if f != l => format!("{f} – {l}"),
                        (Some(f), _) => f.clone(),
                        _ => "undated".into(),
                    },
                    if s.sites.is_empty() { "-".into() } else { s.sites.join(", ") }
                )
                .map_err(io_err)?;
            }
        }
    }
    w.flush().map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ShowArgs {
    /// An article id, an entity id (or name), or a story id.
    id: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
}

pub fn show(a: ShowArgs) -> Result<ExitCode, String> {
    let store = open(&a.db)?;
    let e = |e: newsgraph_store::Error| e.to_string();
    let mut w = out();
    let json = a.format == Format::Jsonl;
    match store.kind_of(&a.id).map_err(e)? {
        None => {
            eprintln!("newsgraph: no article, entity or story {:?} in {}", a.id, a.db);
            return Ok(ExitCode::from(1));
        }
        Some("article") => {
            let r = store.article(&a.id).map_err(e)?.expect("found above");
            if json {
                jsonl(&mut w, &[r])?;
            } else {
                writeln!(w, "{}  [{}]", r.title.as_deref().unwrap_or("(untitled)"), r.id).map_err(io_err)?;
                let mut facts = vec![format!("source {}", r.source)];
                facts.extend(r.site.as_ref().map(|s| format!("site {s}")));
                facts.extend(r.published.as_ref().map(|s| format!("published {s}")));
                facts.extend(r.story.as_ref().map(|s| format!("story {s}")));
                facts.extend(r.duplicate_of.as_ref().map(|s| format!("copy of {s}")));
                writeln!(w, "{}\n\n{}\n", facts.join(" · "), r.text).map_err(io_err)?;
                let ents: Vec<String> =
                    r.entities.iter().map(|e| format!("{} ({}) {}", e.name, e.kind, e.id)).collect();
                writeln!(w, "Who: {}", ents.join("; ")).map_err(io_err)?;
                for q in &r.quotes {
                    writeln!(w, "“{}” — {}", clip(&q.text, 140), q.speaker.as_deref().unwrap_or("unattributed"))
                        .map_err(io_err)?;
                }
                for ev in &r.events {
                    writeln!(
                        w,
                        "⚑ {} {} → {}: {}",
                        ev.actor.as_deref().unwrap_or("?"),
                        ev.kind,
                        ev.target.as_deref().unwrap_or("-"),
                        clip(&ev.text, 100)
                    )
                    .map_err(io_err)?;
                }
            }
        }
        Some("entity") => {
            let d = store.entity(&a.id).map_err(e)?.expect("found above");
            if json {
                jsonl(&mut w, &[d])?;
            } else {
                let en = &d.entity;
                writeln!(
                    w,
                    "{} ({}{})  [{}]",
                    en.name,
                    en.kind,
                    en.code.as_ref().map(|c| format!(", {c}")).unwrap_or_default(),
                    en.id
                )
                .map_err(io_err)?;
                writeln!(w, "{} article(s), {} mention(s)", en.articles, en.mentions).map_err(io_err)?;
                if !d.roles.is_empty() {
                    writeln!(w, "Roles: {}", d.roles.join(", ")).map_err(io_err)?;
                }
                writeln!(w, "\nStories:").map_err(io_err)?;
                for s in &d.stories {
                    writeln!(w, "  {}  {} ({} article(s))", s.id, s.title, s.articles).map_err(io_err)?;
                }
                if !d.quotes.is_empty() {
                    writeln!(w, "\nSaid:").map_err(io_err)?;
                    for q in &d.quotes {
                        writeln!(w, "  “{}” ({})", clip(&q.text, 140), q.site.as_deref().unwrap_or(&q.article))
                            .map_err(io_err)?;
                    }
                }
                if !d.related.is_empty() {
                    let rel: Vec<String> =
                        d.related.iter().map(|r| format!("{} ({})", r.entity.name, r.together)).collect();
                    writeln!(w, "\nNamed with: {}", rel.join(", ")).map_err(io_err)?;
                }
            }
        }
        Some(_) => {
            let d = store.story(&a.id).map_err(e)?.expect("found above");
            if json {
                jsonl(&mut w, &[d])?;
            } else {
                let s = &d.story;
                writeln!(w, "{}  [{}]", s.title, s.id).map_err(io_err)?;
                writeln!(
                    w,
                    "{} article(s), {} independent; sites: {}",
                    s.articles,
                    s.independent_articles,
                    s.sites.join(", ")
                )
                .map_err(io_err)?;
                writeln!(w, "\nArticles:").map_err(io_err)?;
                for art in &d.articles {
                    writeln!(
                        w,
                        "  {}  {} · {} · {}{}",
                        art.id,
                        art.published.as_deref().unwrap_or("undated"),
                        art.outlet(),
                        art.title.as_deref().unwrap_or("(untitled)"),
                        art.duplicate_of.as_ref().map(|d| format!(" (copy of {d})")).unwrap_or_default()
                    )
                    .map_err(io_err)?;
                }
                if !d.quotes.is_empty() {
                    writeln!(w, "\nWho said what:").map_err(io_err)?;
                    for sp in &d.quotes {
                        writeln!(w, "  {}", sp.speaker.as_deref().unwrap_or("Unattributed")).map_err(io_err)?;
                        for q in &sp.quotes {
                            writeln!(w, "    “{}” ({})", clip(&q.text, 120), q.sites.join(", ")).map_err(io_err)?;
                        }
                    }
                }
                if !d.events.is_empty() {
                    writeln!(w, "\nWhat happened:").map_err(io_err)?;
                    for ev in &d.events {
                        writeln!(
                            w,
                            "  ⚑ {} {} → {} [{}] reported by {}",
                            ev.actor.as_deref().unwrap_or("?"),
                            ev.kind,
                            ev.target.as_deref().unwrap_or("-"),
                            ev.modality,
                            ev.sites.join(", ")
                        )
                        .map_err(io_err)?;
                    }
                }
            }
        }
    }
    w.flush().map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EntitiesArgs {
    /// Only entities whose name contains this.
    #[arg(long)]
    query: Option<String>,
    /// Only this type: PERSON, ORG or PLACE.
    #[arg(long = "type")]
    kind: Option<String>,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
}

pub fn entities(a: EntitiesArgs) -> Result<ExitCode, String> {
    let store = open(&a.db)?;
    let list = store.entities(a.query.as_deref(), a.kind.as_deref(), a.limit, a.offset).map_err(|e| e.to_string())?;
    let mut w = out();
    match a.format {
        Format::Jsonl => jsonl(&mut w, &list)?,
        Format::Text => {
            for e in &list {
                writeln!(
                    w,
                    "{:<40} {:<6} {:<4} {:>6} article(s)  {}",
                    e.name,
                    e.kind,
                    e.code.as_deref().unwrap_or("-"),
                    e.articles,
                    e.id
                )
                .map_err(io_err)?;
            }
        }
    }
    w.flush().map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// Article records, then story records, one JSON object per line (a file, or standard output).
    Jsonl,
    /// One CSV table per kind of record (a folder).
    Csv,
    /// The actor network for Gephi and similar tools (a file, or standard output).
    Graphml,
    /// GDELT 2.0 event table and knowledge-graph rows, tab-separated (a folder).
    Gdelt,
}

#[derive(Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// A file for jsonl and graphml (default: standard output); a folder for csv and gdelt
    /// (default: newsgraph-export).
    #[arg(long)]
    out: Option<PathBuf>,
    /// GraphML: leave out co-occurrence edges of fewer articles than this.
    #[arg(long, default_value_t = 1)]
    min_cooccurrence: usize,
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
}

pub fn export(a: ExportArgs) -> Result<ExitCode, String> {
    let store = open(&a.db)?;
    let e = |e: newsgraph_store::Error| e.to_string();
    let to_stream = |out: &Option<PathBuf>| -> Result<Box<dyn Write>, String> {
        Ok(match out {
            Some(p) => Box::new(BufWriter::new(
                std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?,
            )),
            None => Box::new(BufWriter::new(io::stdout().lock())),
        })
    };
    let dir = a.out.clone().unwrap_or_else(|| PathBuf::from("newsgraph-export"));
    let stats = match a.format {
        ExportFormat::Jsonl => export::jsonl(&store, &mut *to_stream(&a.out)?).map_err(e)?,
        ExportFormat::Graphml => export::graphml(&store, &mut *to_stream(&a.out)?, a.min_cooccurrence).map_err(e)?,
        ExportFormat::Csv => export::csv(&store, &dir).map_err(e)?,
        ExportFormat::Gdelt => export::gdelt(&store, &dir).map_err(e)?,
    };
    let files: Vec<String> = stats.files.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "newsgraph: export: {} article(s), {} stor{}, {} row(s){}",
        stats.articles,
        stats.stories,
        if stats.stories == 1 { "y" } else { "ies" },
        stats.rows,
        if files.is_empty() { String::new() } else { format!(" in {}", files.join(", ")) }
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ServeArgs {
    /// The store: an SQLite file, or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_DB)]
    db: Location,
    /// Address to listen on; loopback unless told otherwise. Port 0 picks a free port (printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Worker threads answering requests (default: 2 per core, at least 4).
    #[arg(long)]
    threads: Option<usize>,
    /// Cache this many rendered responses (0: no cache).
    #[arg(long, default_value_t = 2048)]
    cache: usize,
}

pub fn serve(a: ServeArgs) -> Result<ExitCode, String> {
    let threads = a.threads.unwrap_or_else(|| (threads_or_cores(None) * 2).max(4));
    let cfg = newsgraph_web::Config { db: a.db, addr: a.addr, threads, cache_entries: a.cache };
    newsgraph_web::run(&cfg).map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}
