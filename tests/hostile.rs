//! Hostile input, all in one run of `newsgraph analyze`: each file ends in a clear rejection or a
//! good result, the good articles beside them still go through, and the run stays within bounded
//! time and memory.

mod support;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::scratch;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const GOOD: &str = "The foreign minister of Norway visited Sweden on Monday to discuss fishing quotas.";

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    )
    .into_bytes()
}

/// Writes the hostile corpus; returns the files that must each be named in the output.
fn hostile_corpus(dir: &Path) -> Vec<&'static str> {
    let w = |name: &str, data: &[u8]| std::fs::write(dir.join(name), data).unwrap();
    // a 100 MB single line: as text, and as one JSON line
    let line = "stop ".repeat(20_000_000);
    w("one-line.txt", format!("Title\n\n{line}").as_bytes());
    w(
        "one-line.jsonl",
        format!("{{\"title\":\"T\",\"text\":\"{line}\"}}\n{{\"title\":\"Fine\",\"text\":\"{GOOD}\"}}\n").as_bytes(),
    );
    drop(line);
    // 1 GB of zeros in 1 MB of gzip
    let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        bomb.write_all(&zeros).unwrap();
    }
    w("bomb.txt.gz", &bomb.finish().unwrap());
    // invalid UTF-8, invalid UTF-16 (odd length and a lone surrogate), NUL bytes
    w("bad-utf8.txt", b"Title\n\nThe minister \xff\xfe\xc3 said \x80\x80 on Monday that talks would go on.");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Title\n\nA lone surrogate: ".encode_utf16().chain([0xD800]).chain(" here.".encode_utf16()) {
        utf16.extend(u.to_le_bytes());
    }
    utf16.push(0x41);
    w("bad-utf16.txt", &utf16);
    w("nul.txt", format!("Title\n\n{}", "\0".repeat(10_000)).as_bytes());
    // deeply nested HTML and JSON
    w("nested.html", format!("<html><body>{}<p>{GOOD}</p></body></html>", "<div>".repeat(200_000)).as_bytes());
    w("nested.json", format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes());
    // a truncated archive and a truncated gzip
    let html = format!(
        "<html><head><title>Fishing talks</title></head><body><article><h1>Fishing talks</h1><p>{GOOD}</p>\
<p>The two governments have argued about the quotas for cod and herring in the North Sea for more than a decade.</p>\
<p>Officials said a new agreement could be signed before the end of the year if both parliaments approve it.</p>\
<p>Fishing organisations in both countries welcomed the talks but warned that smaller boats must not lose out.</p>\
</article></body></html>"
    );
    let mut warc = gz(&warc_record("https://a.example/1", &html));
    let second = gz(&warc_record("https://a.example/2", &html));
    warc.extend(&second[..second.len() / 2]);
    w("cut.warc.gz", &warc);
    let cut = gz(format!("Title\n\n{}", GOOD.repeat(50)).as_bytes());
    w("cut.txt.gz", &cut[..cut.len() - 20]);
    // a feed cut in the middle of an item
    w(
        "cut.rss",
        format!("<rss><channel><item><title>Fish</title><description>{GOOD}</description></item><item><title>Cut")
            .as_bytes(),
    );
    vec![
        "one-line.txt",
        "one-line.jsonl:1",
        "bomb.txt.gz",
        "nul.txt",
        "nested.json",
        "nested.html",
        "cut.warc.gz",
        "cut.txt.gz",
        "cut.rss",
    ]
}

/// Runs a child to its end (killing it after `limit`), returning its stdout, stderr and peak
/// resident memory in MB.
fn run_bounded(mut cmd: Command, limit: Duration) -> (Vec<u8>, String, f64) {
    let out_path = std::env::temp_dir().join(format!("newsgraph-hostile-{}.out", std::process::id()));
    let err_path = out_path.with_extension("err");
    let mut child = cmd
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: rusage is plain data filled in by the kernel for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("analyze did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(libc::WIFEXITED(status), "analyze was killed by a signal");
    // reaped above by wait4; this only lets std know (it returns at once)
    let _ = child.try_wait();
    let out = std::fs::read(&out_path).unwrap();
    let err = String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned();
    (out, err, usage.ru_maxrss as f64 / 1024.0)
}

#[test]
fn hostile_input_ends_in_clear_rejections_within_bounds() {
    let dir = scratch("corpus");
    std::fs::write(dir.join("good.txt"), format!("Fishing talks\n\n{GOOD}")).unwrap();
    let named = hostile_corpus(&dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.args(["analyze", "--format", "jsonl", "--threads", "2"]).arg(&dir);
    let (out, stderr, peak_mb) = run_bounded(cmd, Duration::from_secs(300));
    let recs: Vec<Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary = recs.iter().find(|r| r["kind"] == "summary").expect("a summary");
    let articles: Vec<&Value> = recs.iter().filter(|r| r["kind"] == "article").collect();
    let rejected = summary["rejected"].as_array().unwrap();
    let sources: Vec<String> = articles
        .iter()
        .map(|a| a["source"].as_str().unwrap_or_default().to_string())
        .chain(rejected.iter().map(|r| format!("{}: {}", r["source"].as_str().unwrap(), r["reason"].as_str().unwrap())))
        .collect();
    for name in &named {
        assert!(sources.iter().any(|s| s.contains(name)), "{name} not accounted for: {sources:#?}");
    }
    for r in rejected {
        let reason = r["reason"].as_str().unwrap();
        assert!(reason.len() > 8 && !reason.contains("internal error"), "unclear reason: {r}");
        assert!(stderr.contains(r["source"].as_str().unwrap()), "stderr names {r}");
    }
    // the good articles all come through: the text file, the good JSON line, the whole first
    // record of the cut archive and the complete feed item
    for source in ["good.txt", "one-line.jsonl:2", "cut.warc.gz:1", "cut.rss:1"] {
        let a = articles.iter().find(|a| a["source"].as_str().unwrap_or_default().ends_with(source));
        let a = a.unwrap_or_else(|| panic!("{source} missing: {sources:#?}"));
        assert!(a["text"].as_str().unwrap().contains("fishing quotas"), "{source}: {a}");
    }
    assert_eq!(summary["inputs"].as_u64().unwrap() as usize, articles.len() + rejected.len());
    assert!(peak_mb < 1024.0, "peak memory {peak_mb:.0} MB");
}
