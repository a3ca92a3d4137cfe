//! The store commands end to end: `ingest` gives what `analyze` gives, adds only what is new,
//! survives being killed at any moment; `search`, `stories`, `show`, `entities`, `export`.

mod support;

use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use support::{lines, s, scratch};

fn newsgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run newsgraph")
}

fn ok(args: &[&str]) -> Output {
    let out = newsgraph(args);
    assert!(out.status.success(), "newsgraph {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// `analyze --format jsonl` records, less the summary.
fn analyzed(paths: &[&str]) -> Vec<Value> {
    let mut args = vec!["analyze"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--format", "jsonl"]);
    lines(&ok(&args)).into_iter().filter(|r| r["kind"] != "summary").collect()
}

fn exported(db: &Path) -> Vec<Value> {
    lines(&ok(&["export", "--format", "jsonl", "--db", s(db)]))
}

fn story_sets(records: &[Value]) -> BTreeSet<Vec<String>> {
    records
        .iter()
        .filter(|r| r["kind"] == "story")
        .map(|r| {
            let mut a: Vec<String> =
                r["articles"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
            // analyze keeps an article given twice twice; the store once
            a.sort();
            a.dedup();
            a
        })
        .collect()
}

#[test]
fn ingest_stores_what_analyze_finds() {
    let dir = scratch("same");
    let db = dir.join("n.db");
    let out = ok(&["ingest", "examples/corpus", "--db", s(&db)]);
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("9 article(s) added"), "{msg}");
    // Records and stories come back exactly as analyze writes them, in the same order.
    assert_eq!(exported(&db), analyzed(&["examples/corpus"]));

    // A second run adds nothing and changes nothing.
    let out = ok(&["ingest", "examples/corpus", "--db", s(&db)]);
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("0 article(s) added, 9 already stored"), "{msg}");
    assert_eq!(exported(&db), analyzed(&["examples/corpus"]));
}

#[test]
fn ingest_in_parts_continues_the_stories() {
    let dir = scratch("parts");
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let mut names: Vec<PathBuf> =
        std::fs::read_dir("examples/corpus").unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    names.sort();
    for (i, p) in names.iter().enumerate() {
        let to = if i % 2 == 0 { &a } else { &b };
        std::fs::copy(p, to.join(p.file_name().unwrap())).unwrap();
    }
    let db = dir.join("n.db");
    ok(&["ingest", s(&a), "--db", s(&db)]);
    ok(&["ingest", s(&b), "--db", s(&db)]);
    // The same articles in the same order as one analyze over both folders: the same stories,
    // earlier articles moved into them where a later one joined or merged their stories.
    let want = analyzed(&[s(&a), s(&b)]);
    let got = exported(&db);
    assert_eq!(story_sets(&got), story_sets(&want));
    let story_of = |recs: &[Value]| -> Vec<(String, String)> {
        recs.iter()
            .filter(|r| r["kind"] == "article")
            .map(|r| (r["id"].as_str().unwrap().to_string(), r["story"].as_str().unwrap().to_string()))
            .collect()
    };
    let mut w = story_of(&want);
    let mut g = story_of(&got);
    w.sort();
    g.sort();
    assert_eq!(g, w);
}

#[test]
fn ingest_survives_kills_and_completes_on_rerun() {
    let dir = scratch("kill");
    let input = dir.join("articles.jsonl");
    ok(&["bench", "generate", "--articles", "300", "--seed", "11", "--out", s(&input)]);
    let db = dir.join("n.db");
    // Kill ingests at moments spread over a run (small batches, so that kills fall between,
    // within and after commits, during the story update too).
    let delays = [40u64, 250, 90, 600, 170, 900, 330];
    let mut kills = 0;
    for ms in delays {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["ingest", s(&input), "--db", s(&db), "--batch", "15"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ingest");
        std::thread::sleep(Duration::from_millis(ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        // Whatever was committed is consistent: a reader opens it, ids are unique.
        if db.exists() {
            ok(&["stories", "--db", s(&db), "--limit", "1"]);
        }
    }
    assert!(kills >= 3, "most runs were killed mid-way ({kills})");
    ok(&["ingest", s(&input), "--db", s(&db)]);

    let want = analyzed(&[s(&input)]);
    let got = exported(&db);
    let ids = |recs: &[Value]| -> Vec<String> {
        recs.iter().filter(|r| r["kind"] == "article").map(|r| r["id"].as_str().unwrap().to_string()).collect()
    };
    let (want_ids, got_ids) = (ids(&want), ids(&got));
    let unique: HashSet<&String> = got_ids.iter().collect();
    assert_eq!(unique.len(), got_ids.len(), "no article stored twice");
    let want_unique: BTreeSet<&String> = want_ids.iter().collect();
    assert_eq!(got_ids.iter().collect::<BTreeSet<_>>(), want_unique, "every article stored");
    assert!(
        got.iter().filter(|r| r["kind"] == "article").all(|r| r["story"].is_string()),
        "every article has its story"
    );
    // Stored in input order despite the kills, so the stories are analyze's.
    assert_eq!(story_sets(&got), story_sets(&want));
}

#[test]
fn query_commands() {
    let dir = scratch("query");
    let db = dir.join("n.db");
    ok(&["ingest", "examples/corpus", "--db", s(&db)]);

    let hits = lines(&ok(&["search", "Tisza", "--db", s(&db), "--format", "jsonl"]));
    assert!(hits.len() >= 5, "{}", hits.len());
    assert!(hits.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()), "best first");
    for h in &hits {
        for key in ["id", "title", "site", "published", "story", "snippet", "highlights", "score"] {
            assert!(h.get(key).is_some(), "a hit has {key}");
        }
    }
    let count = |args: &[&str]| {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--db", s(&db), "--format", "jsonl"]);
        lines(&newsgraph(&a)).len()
    };
    assert_eq!(count(&["Bluecrest", "--site", "gulfstreamtimes.example"]), 1);
    assert_eq!(count(&["Bluecrest"]), 2);
    assert_eq!(count(&["Tisza", "--site", "gulfstreamtimes.example"]), 0);
    assert!(count(&["Tisza", "--since", "2025-03-05"]) < hits.len());
    assert_eq!(count(&["Tisza", "--until", "2025-03-02"]), 0);
    assert!(count(&["water", "--entity", "Milena Đurović"]) >= 3);
    assert!(count(&["", "--event", "PROTEST"]) >= 1, "filters alone");
    assert_eq!(count(&["Tisza", "--lang", "fr"]), 0);
    let bad = newsgraph(&["search", "x", "--since", "last week", "--db", s(&db)]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad date"));
    let text = ok(&["search", "Tisza water", "--db", s(&db)]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Tisza"));

    let stories = lines(&ok(&["stories", "--db", s(&db), "--sort", "size", "--format", "jsonl"]));
    let analyze_stories = analyzed(&["examples/corpus"]).iter().filter(|r| r["kind"] == "story").count();
    assert_eq!(stories.len(), analyze_stories);
    assert!(stories[0]["articles"].as_u64() >= stories[1]["articles"].as_u64());
    let sid = stories[0]["id"].as_str().unwrap();
    let story = &lines(&ok(&["show", sid, "--db", s(&db), "--format", "jsonl"]))[0];
    assert_eq!(story["story"]["id"], sid);
    for key in ["articles", "entities", "quotes", "events", "amounts", "claims", "timeline", "graph", "record"] {
        assert!(story.get(key).is_some(), "a story shows {key}");
    }
    let text = String::from_utf8_lossy(&ok(&["show", sid, "--db", s(&db)]).stdout).to_string();
    assert!(text.contains("Who said what"), "{text}");

    let aid = story["articles"][0]["id"].as_str().unwrap();
    let article = &lines(&ok(&["show", aid, "--db", s(&db), "--format", "jsonl"]))[0];
    assert_eq!(article["kind"], "article");
    assert_eq!(article["story"], sid);

    let ents = lines(&ok(&["entities", "--db", s(&db), "--type", "PERSON", "--format", "jsonl"]));
    assert!(ents.iter().all(|e| e["type"] == "PERSON"));
    let who = ents.iter().find(|e| e["name"] == "Milena Đurović").expect("Đurović is listed");
    let ent = &lines(&ok(&["show", who["id"].as_str().unwrap(), "--db", s(&db), "--format", "jsonl"]))[0];
    assert_eq!(ent["entity"]["name"], "Milena Đurović");
    assert!(!ent["stories"].as_array().unwrap().is_empty());
    let by_name = &lines(&ok(&["show", "milena đurović", "--db", s(&db), "--format", "jsonl"]))[0];
    assert_eq!(by_name["entity"]["id"], who["id"]);

    assert!(!newsgraph(&["show", "no-such-thing", "--db", s(&db)]).status.success());
    let missing = newsgraph(&["stories", "--db", s(&dir.join("missing.db"))]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no store"));
}

#[test]
fn exports() {
    let dir = scratch("export");
    let db = dir.join("n.db");
    ok(&["ingest", "examples/corpus", "--db", s(&db)]);

    let csv = dir.join("csv");
    ok(&["export", "--format", "csv", "--db", s(&db), "--out", s(&csv)]);
    for t in ["articles", "entities", "mentions", "quotes", "events", "amounts", "dates", "stories"] {
        let text = std::fs::read_to_string(csv.join(format!("{t}.csv"))).unwrap();
        assert!(text.lines().count() > 1, "{t}.csv has rows");
    }
    let articles = std::fs::read_to_string(csv.join("articles.csv")).unwrap();
    assert!(
        articles.starts_with("id,input_id,source,url,site,title,byline,published,language,story,duplicate_of,text\r\n")
    );

    let graph = dir.join("g.graphml");
    ok(&["export", "--format", "graphml", "--db", s(&db), "--out", s(&graph), "--min-cooccurrence", "2"]);
    let xml = std::fs::read_to_string(&graph).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut nodes, mut event_edges, mut co_edges) = (HashSet::new(), 0, 0);
    let mut ends = Vec::new();
    loop {
        match reader.read_event().expect("well-formed GraphML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attr =
                    |name: &str| e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| a.value.to_string());
                match e.name().as_ref() {
                    "node" => {
                        nodes.insert(attr("id").unwrap());
                    }
                    "edge" => {
                        ends.push((attr("source").unwrap(), attr("target").unwrap()));
                        if attr("directed").as_deref() == Some("true") {
                            event_edges += 1;
                        } else {
                            co_edges += 1;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert!(nodes.len() > 20 && event_edges > 0 && co_edges > 0, "{} nodes, {event_edges}, {co_edges}", nodes.len());
    assert!(ends.iter().all(|(a, b)| nodes.contains(a) && nodes.contains(b)), "edges join nodes");

    let gd = dir.join("gdelt");
    ok(&["export", "--format", "gdelt", "--db", s(&db), "--out", s(&gd)]);
    let events = std::fs::read_to_string(gd.join("newsgraph.export.CSV")).unwrap();
    assert!(events.lines().count() > 3);
    for l in events.lines() {
        let c: Vec<&str> = l.split('\t').collect();
        assert_eq!(c.len(), 61, "{l}");
        assert!(c[0].parse::<u64>().is_ok() && c[1].len() == 8, "GLOBALEVENTID, SQLDATE: {l}");
        assert!(c[29].is_empty() || (1..=4).contains(&c[29].parse::<u8>().unwrap()), "QuadClass");
        assert_eq!(c[34], "0", "AvgTone is not measured");
        assert_eq!(c[59].len(), 14, "DATEADDED");
    }
    let gkg = std::fs::read_to_string(gd.join("newsgraph.gkg.csv")).unwrap();
    assert_eq!(gkg.lines().count(), 9);
    assert!(gkg.lines().all(|l| l.split('\t').count() == 27));
}
