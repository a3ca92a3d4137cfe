//! `newsgraph bench pipeline`: the generated corpus reads back in every format, and the report
//! accounts for every run and layer.

mod support;

use std::process::Command;

#[test]
fn pipeline_bench_reads_every_generated_format_and_writes_its_report() {
    let dir = support::scratch("bench-pipeline");
    let report = dir.join("report.json");
    let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["bench", "pipeline", "--articles", "12", "--words", "300", "--workdir"])
        .arg(dir.join("work"))
        .arg("--report")
        .arg(&report)
        .output()
        .expect("newsgraph runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let runs = r["runs"].as_array().unwrap();
    let formats: std::collections::BTreeSet<&str> = runs.iter().map(|x| x["format"].as_str().unwrap()).collect();
    assert_eq!(formats.into_iter().collect::<Vec<_>>(), ["html", "jsonl", "rss", "text", "warc"]);
    for run in runs {
        // every article of the corpus comes out of every format, whatever the thread count
        assert_eq!(run["articles"], 12, "{run}");
        assert!(run["peak_rss_mb"].as_f64().unwrap() > 1.0, "{run}");
    }
    assert!(r["words_per_article"].as_f64().unwrap() >= 300.0);
    let layers: Vec<&str> =
        r["layers"]["stages"].as_array().unwrap().iter().map(|s| s["layer"].as_str().unwrap()).collect();
    for l in ["read", "clean", "entities", "events", "corpus", "records"] {
        assert!(layers.contains(&l), "{l} missing from {layers:?}");
    }
    assert_eq!(r["layers"]["articles"], 12);
}
