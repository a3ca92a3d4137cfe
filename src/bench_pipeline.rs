//! `newsgraph bench pipeline`: how fast `analyze` is end to end, per input format, on one thread
//! and on all, with its peak resident memory, and how the time splits over the layers.
//!
//! Every end-to-end run is a separate `newsgraph analyze` process, so its wall time and peak
//! memory are those a user sees (the kernel's `ru_maxrss` of that process). The per-layer split
//! runs in this process on one thread over the JSON Lines copy of the corpus.

use crate::bench::generate;
use newsgraph_corpus::{Config, Corpus};
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::Document;
use newsgraph_input::{read_paths, Item};
use newsgraph_nlp::clean::Cleaner;
use newsgraph_nlp::Pipeline;
use serde_json::{json, Value};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct PipelineArgs {
    /// Articles to generate (ignored with --input).
    #[arg(long, default_value_t = 2000)]
    pub articles: usize,
    /// Each generated article gets background paragraphs until it has at least this many words.
    #[arg(long, default_value_t = 600)]
    pub words: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Measure on these files or folders instead of a generated corpus (one run per thread count).
    #[arg(long)]
    pub input: Vec<PathBuf>,
    /// Input formats of the generated corpus to measure.
    #[arg(long, value_delimiter = ',', default_value = "text,jsonl,html,warc,rss")]
    pub formats: Vec<BenchFormat>,
    /// Where the generated corpus and outputs go (default: a new folder in the temporary directory,
    /// removed at the end).
    #[arg(long)]
    pub workdir: Option<PathBuf>,
    /// The report, as JSON.
    #[arg(long, default_value = "bench-report.json")]
    pub report: PathBuf,
    /// Skip the one-thread runs (for very large corpora).
    #[arg(long)]
    pub all_threads_only: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchFormat {
    /// One plain-text file per article (title on the first line).
    Text,
    /// One JSON Lines file.
    Jsonl,
    /// One HTML page per article, with navigation, ads and related links around it.
    Html,
    /// One WARC.gz archive of HTTP responses holding those pages.
    Warc,
    /// One RSS 2.0 feed with each article's full content.
    Rss,
}

impl BenchFormat {
    fn name(self) -> &'static str {
        match self {
            BenchFormat::Text => "text",
            BenchFormat::Jsonl => "jsonl",
            BenchFormat::Html => "html",
            BenchFormat::Warc => "warc",
            BenchFormat::Rss => "rss",
        }
    }
}

/// One generated article, as the generator's JSON line holds it.
struct GenArticle {
    id: String,
    url: String,
    title: String,
    text: String,
    date: String,
    site: String,
    author: String,
}

fn str_field(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn generated(args: &PipelineArgs) -> Result<Vec<GenArticle>, String> {
    let mut buf = Vec::new();
    generate(args.articles, args.seed, args.words, &mut buf).map_err(|e| e.to_string())?;
    let text = String::from_utf8(buf).map_err(|e| e.to_string())?;
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).map_err(|e| e.to_string())?;
            Ok(GenArticle {
                id: str_field(&v, "id"),
                url: str_field(&v, "url"),
                title: str_field(&v, "title"),
                text: str_field(&v, "text"),
                date: str_field(&v, "date_publish"),
                site: str_field(&v, "source_domain"),
                author: v.get("authors").and_then(|a| a.get(0)).and_then(Value::as_str).unwrap_or_default().to_string(),
            })
        })
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A page the way news sites send it: head metadata, navigation, the article with a byline and an
/// ad slot, related links and a footer.
fn html_page(a: &GenArticle) -> String {
    let mut body = String::new();
    for (i, p) in a.text.split("\n\n").enumerate() {
        body.push_str(&format!("<p>{}</p>\n", esc(p)));
        if i == 2 {
            body.push_str("<div class=\"ad\"><span>Advertisement</span></div>\n");
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | {s}</title>\
<meta property=\"og:title\" content=\"{t}\"><meta property=\"og:site_name\" content=\"{s}\">\
<meta name=\"author\" content=\"{au}\"><meta property=\"article:published_time\" content=\"{d}T08:00:00Z\">\
<link rel=\"canonical\" href=\"{u}\"><script>window.dataLayer=[];</script></head>\n<body>\
<header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/business\">Business</a> \
<a href=\"/sport\">Sport</a></nav></header>\n<main><article><h1>{t}</h1>\
<p class=\"byline\">By {au}</p><time datetime=\"{d}\">{d}</time>\n{body}</article>\
<aside><h2>Most read</h2><ul><li><a href=\"/a\">Markets close higher</a></li>\
<li><a href=\"/b\">Weather warning for the weekend</a></li></ul></aside></main>\n\
<footer><p>© {s}. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer></body></html>\n",
        t = esc(&a.title),
        s = esc(&a.site),
        au = esc(&a.author),
        d = a.date,
        u = esc(&a.url),
    )
}

fn gz_member(out: &mut Vec<u8>, data: &[u8]) -> std::io::Result<()> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data)?;
    out.extend(enc.finish()?);
    Ok(())
}

/// Writes the corpus in one format under `dir`, returning the path to analyse and its size.
fn write_format(dir: &Path, fmt: BenchFormat, arts: &[GenArticle]) -> std::io::Result<(PathBuf, u64)> {
    let path = match fmt {
        BenchFormat::Text | BenchFormat::Html => dir.join(fmt.name()),
        BenchFormat::Jsonl => dir.join("articles.jsonl"),
        BenchFormat::Warc => dir.join("crawl.warc.gz"),
        BenchFormat::Rss => dir.join("feed.rss"),
    };
    match fmt {
        BenchFormat::Text => {
            std::fs::create_dir_all(&path)?;
            for a in arts {
                std::fs::write(path.join(format!("{}.txt", a.id)), format!("{}\n\n{}\n", a.title, a.text))?;
            }
        }
        BenchFormat::Html => {
            std::fs::create_dir_all(&path)?;
            for a in arts {
                std::fs::write(path.join(format!("{}.html", a.id)), html_page(a))?;
            }
        }
        BenchFormat::Jsonl => {
            let mut w = BufWriter::new(std::fs::File::create(&path)?);
            for a in arts {
                // no language field: the language layer is measured as for undeclared input
                let v = json!({"id": a.id, "url": a.url, "title": a.title, "text": a.text,
                    "date_publish": a.date, "authors": [a.author], "source_domain": a.site});
                writeln!(w, "{v}")?;
            }
            w.flush()?;
        }
        BenchFormat::Warc => {
            let mut out = Vec::new();
            for (i, a) in arts.iter().enumerate() {
                let page = html_page(a);
                let http = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
                    page.len()
                );
                let record = format!(
                    "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{i:012}>\r\n\
WARC-Date: {}T08:00:00Z\r\nWARC-Target-URI: {}\r\nContent-Type: application/http; msgtype=response\r\n\
Content-Length: {}\r\n\r\n{http}\r\n\r\n",
                    a.date,
                    a.url,
                    http.len()
                );
                gz_member(&mut out, record.as_bytes())?;
            }
            std::fs::write(&path, out)?;
        }
        BenchFormat::Rss => {
            let mut w = BufWriter::new(std::fs::File::create(&path)?);
            writeln!(
                w,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
<channel><title>Generated news</title><link>https://news.example/</link><description>newsgraph bench</description>"
            )?;
            for a in arts {
                let html: String = a.text.split("\n\n").map(|p| format!("<p>{}</p>", esc(p))).collect();
                writeln!(
                    w,
                    "<item><title>{}</title><link>{}</link><guid>{}</guid><pubDate>{}</pubDate><dc:creator>{}</dc:creator>\
<content:encoded><![CDATA[{}]]></content:encoded></item>",
                    esc(&a.title),
                    esc(&a.url),
                    esc(&a.url),
                    a.date,
                    esc(&a.author),
                    html.replace("]]>", "]]&gt;")
                )?;
            }
            writeln!(w, "</channel></rss>")?;
            w.flush()?;
        }
    }
    Ok((path.clone(), size_of(&path)))
}

fn size_of(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            std::fs::read_dir(path).map(|rd| rd.filter_map(Result::ok).map(|e| size_of(&e.path())).sum()).unwrap_or(0)
        }
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// One `newsgraph analyze` process: wall seconds, CPU seconds and peak resident memory.
struct RunFigures {
    seconds: f64,
    cpu_seconds: f64,
    peak_rss_mb: f64,
    articles: usize,
}

fn run_analyze(inputs: &[PathBuf], threads: usize, out: &Path) -> Result<RunFigures, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the newsgraph binary: {e}"))?;
    // The kernel's peak memory of a process counts what its parent held when it was started
    // (Linux keeps the larger of the two across exec), and this process holds the generated
    // corpus; so analyze is started by a fresh, small newsgraph process that measures it.
    let started = Instant::now();
    let measured = Command::new(exe)
        .args(["bench", "measure", "--", "analyze"])
        .args(inputs)
        .args(["--format", "jsonl", "--threads", &threads.to_string(), "--out"])
        .arg(out)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start newsgraph analyze: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let report = String::from_utf8_lossy(&measured.stdout);
    let figures: Vec<f64> = report.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let [status, cpu, rss] = figures[..] else {
        return Err(format!("no measurement of newsgraph analyze on {}: {report}", inputs[0].display()));
    };
    if status != 0.0 {
        return Err(format!("newsgraph analyze failed on {} (exit status {status})", inputs[0].display()));
    }
    let usage = (cpu, rss);
    let articles = std::fs::read_to_string(out)
        .map_err(|e| format!("cannot read {}: {e}", out.display()))?
        .lines()
        .filter(|l| l.starts_with("{\"kind\":\"article\""))
        .count();
    Ok(RunFigures { seconds, cpu_seconds: usage.0, peak_rss_mb: usage.1, articles })
}

/// `newsgraph bench measure -- ARGS…`: runs newsgraph with ARGS (its output going to this
/// process's standard error) and prints its exit status, CPU seconds and peak resident memory in
/// MB, separated by spaces.
pub fn measure(args: &[String]) -> Result<std::process::ExitCode, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the newsgraph binary: {e}"))?;
    let child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start newsgraph: {e}"))?;
    let (status, (cpu, rss)) = wait_with_usage(child.id())?;
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    println!("{code} {cpu:.3} {rss:.1}");
    Ok(std::process::ExitCode::SUCCESS)
}

/// Waits for a child and returns its exit status with its CPU seconds and peak resident memory
/// (MB): std's `Child::wait` does not give the child's resource usage, `wait4` does.
fn wait_with_usage(pid: u32) -> Result<(i32, (f64, f64)), String> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, filled in by the kernel; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    if r < 0 {
        return Err(format!("cannot wait for newsgraph analyze: {}", std::io::Error::last_os_error()));
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    // ru_maxrss is in kilobytes on Linux
    Ok((status, (tv(usage.ru_utime) + tv(usage.ru_stime), usage.ru_maxrss as f64 / 1024.0)))
}

/// Time per layer on one thread over `inputs`: reading, cleaning, each pipeline stage, the
/// corpus layer and writing records.
fn layer_times(inputs: &[PathBuf]) -> (Vec<(String, f64)>, usize, usize) {
    let cleaner = Cleaner::standard();
    let pipeline = Pipeline::standard();
    let names = pipeline.stage_names();
    let mut stages = vec![Duration::ZERO; names.len()];
    let (mut read, mut clean, mut corpus_t, mut records) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut corpus = Corpus::new(Config::default());
    let (mut articles, mut words) = (0usize, 0usize);
    let mut sink = std::io::sink();
    let mut t_read = Instant::now();
    read_paths(inputs, &mut |item| {
        read += t_read.elapsed();
        if let Item::Article(raw) = item {
            let t = Instant::now();
            let cleaned = cleaner.clean(raw.meta.title.as_deref(), &raw.body);
            clean += t.elapsed();
            words += cleaned.text.split_whitespace().count();
            let mut doc = Document::new(raw.meta, cleaned.text, cleaned.removed);
            pipeline.run_timed(&mut doc, &mut stages);
            let t = Instant::now();
            corpus.add(&doc);
            corpus_t += t.elapsed();
            let t = Instant::now();
            let _ =
                writeln!(sink, "{}", serde_json::to_string(&ArticleRecord::from_document(&doc)).unwrap_or_default());
            records += t.elapsed();
            articles += 1;
        }
        t_read = Instant::now();
    });
    let t = Instant::now();
    let (_, stories) = corpus.finish_streaming();
    let _ = stories.count();
    corpus_t += t.elapsed();
    let mut out = vec![("read".to_string(), read.as_secs_f64()), ("clean".to_string(), clean.as_secs_f64())];
    out.extend(names.iter().zip(&stages).map(|(n, t)| (n.to_string(), t.as_secs_f64())));
    out.push(("corpus".into(), corpus_t.as_secs_f64()));
    out.push(("records".into(), records.as_secs_f64()));
    (out, articles, words)
}

pub fn run(args: PipelineArgs) -> Result<std::process::ExitCode, String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (workdir, remove_after) = match &args.workdir {
        Some(d) => (d.clone(), false),
        None => (std::env::temp_dir().join(format!("newsgraph-bench-{}", std::process::id())), true),
    };
    std::fs::create_dir_all(&workdir).map_err(|e| format!("cannot create {}: {e}", workdir.display()))?;
    let result = run_in(&args, &workdir, cores);
    if remove_after {
        let _ = std::fs::remove_dir_all(&workdir);
    }
    result
}

fn run_in(args: &PipelineArgs, workdir: &Path, cores: usize) -> Result<std::process::ExitCode, String> {
    // (label, inputs, size in bytes)
    let mut corpora: Vec<(String, Vec<PathBuf>, u64)> = Vec::new();
    let mut words_per_article = None;
    let layer_input: Vec<PathBuf>;
    if args.input.is_empty() {
        eprintln!("generating {} articles of at least {} words …", args.articles, args.words);
        let arts = generated(args)?;
        let words: usize = arts.iter().map(|a| a.text.split_whitespace().count()).sum();
        words_per_article = Some(words as f64 / arts.len().max(1) as f64);
        for &f in &args.formats {
            let (p, size) = write_format(workdir, f, &arts).map_err(|e| format!("cannot write the corpus: {e}"))?;
            corpora.push((f.name().to_string(), vec![p], size));
        }
        let (p, _) = write_format(workdir, BenchFormat::Jsonl, &arts).map_err(|e| format!("cannot write: {e}"))?;
        layer_input = vec![p];
    } else {
        let size = args.input.iter().map(|p| size_of(p)).sum();
        corpora.push(("input".into(), args.input.clone(), size));
        layer_input = args.input.clone();
    }

    let mut thread_counts = vec![cores];
    if !args.all_threads_only && cores > 1 {
        thread_counts.insert(0, 1);
    }
    let mut runs = Vec::new();
    println!(
        "{:<8} {:>7} {:>9} {:>8} {:>11} {:>8} {:>9} {:>12}",
        "format", "threads", "articles", "seconds", "articles/s", "MB/s", "cpu s", "peak RSS MB"
    );
    for (label, inputs, size) in &corpora {
        for &t in &thread_counts {
            let out = workdir.join(format!("out-{label}-{t}.jsonl"));
            let f = run_analyze(inputs, t, &out)?;
            let _ = std::fs::remove_file(&out);
            let mb = *size as f64 / 1e6;
            println!(
                "{:<8} {:>7} {:>9} {:>8.2} {:>11.0} {:>8.2} {:>9.2} {:>12.1}",
                label,
                t,
                f.articles,
                f.seconds,
                f.articles as f64 / f.seconds,
                mb / f.seconds,
                f.cpu_seconds,
                f.peak_rss_mb
            );
            runs.push(json!({
                "format": label, "threads": t, "articles": f.articles, "input_mb": mb,
                "seconds": f.seconds, "articles_per_s": f.articles as f64 / f.seconds, "mb_per_s": mb / f.seconds,
                "cpu_seconds": f.cpu_seconds, "peak_rss_mb": f.peak_rss_mb,
            }));
        }
    }

    eprintln!("timing each layer on one thread …");
    let (layers, n, words) = layer_times(&layer_input);
    let total: f64 = layers.iter().map(|(_, s)| s).sum();
    println!("\nlayers, one thread: {n} articles, {words} words, {total:.2} s ({:.0} words/s)", words as f64 / total);
    println!("{:<10} {:>9} {:>7} {:>13}", "layer", "seconds", "share", "words/s");
    let mut layer_json = Vec::new();
    for (name, s) in &layers {
        println!("{:<10} {:>9.3} {:>6.1}% {:>13.0}", name, s, 100.0 * s / total, words as f64 / s.max(1e-9));
        layer_json
            .push(json!({"layer": name, "seconds": s, "share": s / total, "words_per_s": words as f64 / s.max(1e-9)}));
    }

    let report = json!({
        "newsgraph": env!("CARGO_PKG_VERSION"),
        "cores": cores,
        "generated": args.input.is_empty(),
        "articles": if args.input.is_empty() { Some(args.articles) } else { None },
        "words_per_article": words_per_article,
        "seed": args.seed,
        "runs": runs,
        "layers": {"articles": n, "words": words, "seconds": total, "stages": layer_json},
    });
    std::fs::write(&args.report, serde_json::to_string_pretty(&report).expect("json serialises") + "\n")
        .map_err(|e| format!("cannot write {}: {e}", args.report.display()))?;
    eprintln!("report written to {}", args.report.display());
    Ok(std::process::ExitCode::SUCCESS)
}
