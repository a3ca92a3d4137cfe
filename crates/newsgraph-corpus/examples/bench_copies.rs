//! Copy detection alone, timed: reads JSON Lines of `{"id", "text"}`, writes one line per text
//! `{"id", "original"}` (the id of the first text of its copy group, or null), and prints the
//! texts and CPU seconds on standard error. The detection runs ten times over, so that the
//! CPU clock's ticks of 1/100 s are small against the time measured. Used by
//! `scripts/bench_copies.sh`.
//!
//! usage: bench_copies IN.jsonl OUT.jsonl

use newsgraph_corpus::copies::find_copies;
use newsgraph_corpus::Config;
use std::io::{BufRead, BufWriter, Write};

/// CPU seconds this process has used (user + system), from Linux's /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |k: usize| f.get(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line, 11 and 12 after the name; Linux
    // reports them in clock ticks of 1/100 s on every platform it runs on today.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [i, o] => (i, o),
        _ => panic!("usage: bench_copies IN.jsonl OUT.jsonl"),
    };
    let reader = std::io::BufReader::new(std::fs::File::open(input).expect("open input"));
    let (mut ids, mut texts) = (Vec::new(), Vec::new());
    for line in reader.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("read")).expect("JSON line");
        ids.push(v["id"].as_str().expect("id").to_string());
        texts.push(v["text"].as_str().expect("text").to_string());
    }
    let cfg = Config::default();
    const ROUNDS: usize = 10;
    let (cpu, wall) = (cpu_seconds(), std::time::Instant::now());
    let mut originals = Vec::new();
    for _ in 0..ROUNDS {
        originals = find_copies(texts.iter().map(String::as_str), &cfg);
    }
    let (cpu, wall) = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
    let mut out = BufWriter::new(std::fs::File::create(output).expect("create output"));
    for (id, o) in ids.iter().zip(&originals) {
        let r = serde_json::json!({"id": id, "original": o.map(|o| &ids[o as usize])});
        writeln!(out, "{r}").unwrap();
    }
    eprintln!("{{\"texts\": {}, \"cpu_seconds\": {cpu:.3}, \"wall_seconds\": {wall:.4}}}", texts.len() * ROUNDS);
}
