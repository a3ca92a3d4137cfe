//! The store commands against a real PostgreSQL server: ingest, search, stories, show,
//! entities and export; several ingests at once; ingests killed and rerun.
//!
//! They need a server: NEWSGRAPH_TEST_POSTGRES=postgres://USER@HOST:PORT/DB, a role that may
//! create databases (each test makes its own and drops it). `.ci/run` starts a throwaway one
//! (scripts/pg_throwaway.sh). Without the variable, or when the server cannot be reached, each
//! test says so and passes without checking anything.

mod support;

use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::process::{Child, Command, Output, Stdio};
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

fn spawn_ingest(input: &str, url: &str, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["ingest", input, "--db", url])
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ingest")
}

/// A database made for one test, dropped when the test ends (also when it fails).
struct TestDb {
    base: String,
    name: String,
    url: String,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A fresh, empty database on the test server; None (with a message) when there is no server
/// to test against.
fn fresh_database(name: &str) -> Option<TestDb> {
    let Ok(base) = std::env::var("NEWSGRAPH_TEST_POSTGRES") else {
        eprintln!("skipped: NEWSGRAPH_TEST_POSTGRES is not set (a postgres:// URL of a server to test against)");
        return None;
    };
    let mut client = match postgres::Client::connect(&base, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skipped: cannot reach the PostgreSQL server in NEWSGRAPH_TEST_POSTGRES: {e}");
            return None;
        }
    };
    let db = format!("newsgraph_test_{}_{name}", std::process::id());
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
    client.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    // The same server and role, the new database: replace the path of the URL.
    let (head, tail) = base.split_once("://").expect("a URL");
    let host_end = tail.find('/').unwrap_or(tail.len());
    let query = tail[host_end..].find('?').map_or("", |q| &tail[host_end + q..]);
    let url = format!("{head}://{}/{db}{query}", &tail[..host_end]);
    Some(TestDb { base, name: db, url })
}

fn psql_count(url: &str, sql: &str) -> i64 {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.query_one(sql, &[]).unwrap().get(0)
}

fn exported(url: &str) -> Vec<Value> {
    lines(&ok(&["export", "--format", "jsonl", "--db", url]))
}

/// The stories as sets of article ids.
fn story_sets(records: &[Value]) -> BTreeSet<Vec<String>> {
    records
        .iter()
        .filter(|r| r["kind"] == "story")
        .map(|r| {
            let mut a: Vec<String> =
                r["articles"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
            a.sort();
            a.dedup();
            a
        })
        .collect()
}

fn article_ids(records: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> =
        records.iter().filter(|r| r["kind"] == "article").map(|r| r["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// Articles without what depends on when and in what order they were stored.
fn articles_as_analysed(records: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = records
        .iter()
        .filter(|r| r["kind"] == "article")
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            o.remove("story");
            o.remove("duplicate_of");
            // the file (and line) it was read from
            o.remove("source");
            r
        })
        .collect();
    out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    out
}

#[test]
fn commands_work_against_postgres() {
    let Some(url_db) = fresh_database("commands") else { return };
    let url = url_db.url.clone();
    let out = ok(&["ingest", "examples/corpus", "--db", &url]);
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("9 article(s) added"), "{msg}");

    // What SQLite stores from the same input, exported the same way.
    let dir = scratch("commands");
    let lite = dir.join("n.db");
    ok(&["ingest", "examples/corpus", "--db", s(&lite)]);
    let (pg, sq) = (exported(&url), exported(s(&lite)));
    assert_eq!(articles_as_analysed(&pg), articles_as_analysed(&sq), "the same records in both stores");
    // Stories: PostgreSQL builds them in publication order (so that concurrent ingests agree),
    // SQLite in ingest order, and online clustering may place an article differently by order.
    // Both must keep the two events of the example corpus apart and place every article.
    for records in [&pg, &sq] {
        let sets = story_sets(records);
        let story_of = |needle: &str| -> BTreeSet<usize> {
            records
                .iter()
                .filter(|r| r["kind"] == "article" && r["text"].as_str().unwrap_or("").contains(needle))
                .map(|r| sets.iter().position(|s| s.contains(&r["id"].as_str().unwrap().to_string())).unwrap())
                .collect()
        };
        let (tisza, cod) = (story_of("Tisza"), story_of("Bluecrest"));
        assert!(!tisza.is_empty() && !cod.is_empty() && tisza.is_disjoint(&cod), "{sets:?}");
        let placed: usize = sets.iter().map(Vec::len).sum();
        assert_eq!(placed, 9, "{sets:?}");
    }

    // A second ingest adds nothing.
    let out = ok(&["ingest", "examples/corpus", "--db", &url]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 article(s) added, 9 already stored"));

    // Search: full text with the filters, diacritics folded, phrases and prefixes.
    let ids = |out: &Output| -> HashSet<String> {
        lines(out).iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
    };
    let pg_hits = ok(&["search", "Tisza water", "--format", "jsonl", "--db", &url]);
    let lite_hits = ok(&["search", "Tisza water", "--format", "jsonl", "--db", s(&lite)]);
    assert!(!ids(&pg_hits).is_empty());
    assert_eq!(ids(&pg_hits), ids(&lite_hits), "the same articles match");
    let hits = lines(&pg_hits);
    assert!(hits.windows(2).all(|w| w[0]["score"].as_f64() >= w[1]["score"].as_f64()), "ranked");
    assert!(hits.iter().any(|h| !h["highlights"].as_array().unwrap().is_empty()), "matches are marked");
    for q in ["Kovari", "\"water deal\" OR cod", "farm*", "Tisza NOT insurers", "quota NOT Tisza"] {
        let a = ok(&["search", q, "--format", "jsonl", "--db", &url]);
        let b = ok(&["search", q, "--format", "jsonl", "--db", s(&lite)]);
        assert_eq!(ids(&a), ids(&b), "search {q:?}");
    }
    let since = ok(&["search", "", "--since", "2025-03-05", "--format", "jsonl", "--db", &url]);
    assert!(lines(&since).iter().all(|h| h["published"].as_str().is_some_and(|p| p >= "2025-03-05")));
    let none = newsgraph(&["search", "zzzunmatched", "--format", "jsonl", "--db", &url]);
    assert!(String::from_utf8_lossy(&none.stdout).lines().all(|l| !l.starts_with('{')), "no hit");

    // Stories, show, entities.
    let stories = lines(&ok(&["stories", "--format", "jsonl", "--db", &url]));
    assert_eq!(stories.len(), story_sets(&pg).len());
    let biggest = stories.iter().max_by_key(|s| s["articles"].as_u64()).unwrap();
    let story_id = biggest["id"].as_str().unwrap();
    let shown = lines(&ok(&["show", story_id, "--format", "jsonl", "--db", &url]));
    assert_eq!(shown[0]["story"]["id"], story_id);
    assert!(shown[0]["articles"].as_array().unwrap().len() >= 2);
    let article = pg[0]["id"].as_str().unwrap();
    let shown = lines(&ok(&["show", article, "--format", "jsonl", "--db", &url]));
    assert_eq!(shown[0]["id"], article);
    let ents = lines(&ok(&["entities", "--format", "jsonl", "--db", &url]));
    let lite_ents = lines(&ok(&["entities", "--format", "jsonl", "--db", s(&lite)]));
    assert_eq!(ents, lite_ents, "entities and their counts");

    // Exports: GraphML and CSV as from SQLite.
    let g1 = ok(&["export", "--format", "graphml", "--db", &url]);
    let g2 = ok(&["export", "--format", "graphml", "--db", s(&lite)]);
    assert_eq!(g1.stdout, g2.stdout);
    let (c1, c2) = (dir.join("csv-pg"), dir.join("csv-lite"));
    ok(&["export", "--format", "csv", "--out", s(&c1), "--db", &url]);
    ok(&["export", "--format", "csv", "--out", s(&c2), "--db", s(&lite)]);
    for f in ["entities.csv", "mentions.csv", "events.csv", "quotes.csv"] {
        assert_eq!(std::fs::read(c1.join(f)).unwrap(), std::fs::read(c2.join(f)).unwrap(), "{f}");
    }
    let gd = dir.join("gdelt");
    ok(&["export", "--format", "gdelt", "--out", s(&gd), "--db", &url]);
    assert!(std::fs::read_to_string(gd.join("newsgraph.gkg.csv")).unwrap().lines().count() == 9);
}

#[test]
fn a_missing_server_is_a_clear_error() {
    // Port 1 on loopback: nothing listens there.
    let out = newsgraph(&["stories", "--db", "postgres://someone:secret@127.0.0.1:1/none"]);
    assert!(!out.status.success());
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("cannot connect to PostgreSQL"), "{msg}");
    assert!(!msg.contains("secret"), "the password stays out of messages: {msg}");
}

#[test]
fn concurrent_ingests_neither_duplicate_nor_split() {
    let Some(url_db) = fresh_database("concurrent") else { return };
    let url = url_db.url.clone();
    let Some(alone_db) = fresh_database("alone") else { return };
    let alone = alone_db.url.clone();
    let dir = scratch("concurrent");
    let all = dir.join("all.jsonl");
    ok(&["bench", "generate", "--articles", "240", "--seed", "5", "--out", s(&all)]);
    // Two overlapping inputs: articles 0..160 and 80..240.
    let text = std::fs::read_to_string(&all).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    std::fs::write(&a, rows[..160].join("\n") + "\n").unwrap();
    std::fs::write(&b, rows[80..].join("\n") + "\n").unwrap();

    // Small batches, so that the two interleave and meet on the shared articles.
    let opts = ["--threads", "1", "--batch", "10"];
    let workers = [spawn_ingest(s(&a), &url, &opts), spawn_ingest(s(&b), &url, &opts)];
    for w in workers {
        let out = w.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    ok(&["ingest", s(&all), "--db", &alone, "--threads", "1"]);

    let n = psql_count(&url, "SELECT count(*) FROM articles");
    assert_eq!(n, psql_count(&url, "SELECT count(DISTINCT id) FROM articles"), "no article twice");
    assert_eq!(n, psql_count(&alone, "SELECT count(*) FROM articles"), "every article once");
    let (two, one) = (exported(&url), exported(&alone));
    assert_eq!(article_ids(&two), article_ids(&one));
    assert!(articles_as_analysed(&two) == articles_as_analysed(&one), "the same records");
    assert_eq!(
        psql_count(&url, "SELECT count(*) FROM stories"),
        psql_count(&alone, "SELECT count(*) FROM stories"),
        "as many stories as one worker makes"
    );
    assert_eq!(story_sets(&two), story_sets(&one), "the same stories");
    assert_eq!(psql_count(&url, "SELECT count(*) FROM articles WHERE story IS NULL"), 0, "every article is in a story");
    // Entity counts add up over both workers, each article counted once.
    assert_eq!(
        psql_count(&url, "SELECT CAST(sum(articles) AS BIGINT) FROM entities"),
        psql_count(&alone, "SELECT CAST(sum(articles) AS BIGINT) FROM entities")
    );
}

#[test]
fn killed_ingests_lose_and_duplicate_nothing() {
    let Some(url_db) = fresh_database("kill") else { return };
    let url = url_db.url.clone();
    let Some(clean_db) = fresh_database("clean") else { return };
    let clean = clean_db.url.clone();
    let dir = scratch("kill");
    let input = dir.join("articles.jsonl");
    ok(&["bench", "generate", "--articles", "300", "--seed", "11", "--out", s(&input)]);
    let delays = [60u64, 400, 150, 900, 250, 1400];
    let mut kills = 0;
    for ms in delays {
        let mut child = spawn_ingest(s(&input), &url, &["--batch", "15"]);
        std::thread::sleep(Duration::from_millis(ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        // Whatever was committed is consistent: ids are unique, every article has its text.
        if psql_count(&url, "SELECT count(*) FROM pg_tables WHERE tablename = 'articles'") == 0 {
            continue; // killed before its schema was made
        }
        let n = psql_count(&url, "SELECT count(*) FROM articles");
        assert_eq!(n, psql_count(&url, "SELECT count(DISTINCT id) FROM articles"));
        assert_eq!(n, psql_count(&url, "SELECT count(*) FROM article_texts"));
    }
    assert!(kills >= 2, "runs were killed mid-way ({kills})");
    let out = ok(&["ingest", s(&input), "--db", &url]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already stored"));
    ok(&["ingest", s(&input), "--db", &clean]);
    let (got, want) = (exported(&url), exported(&clean));
    assert_eq!(article_ids(&got), article_ids(&want), "nothing lost, nothing twice");
    assert!(articles_as_analysed(&got) == articles_as_analysed(&want), "the same records");
    assert_eq!(story_sets(&got), story_sets(&want));
    assert_eq!(psql_count(&url, "SELECT count(*) FROM articles WHERE story IS NULL"), 0);
}

/// GET `target` from the server at `addr`; the body.
fn get(addr: &str, target: &str) -> String {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    write!(c, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(head.starts_with("HTTP/1.1 200"), "{target}: {head}");
    body.to_string()
}

#[test]
fn the_server_reads_what_ingests_write() {
    let Some(url_db) = fresh_database("serve") else { return };
    let url = url_db.url.clone();
    let dir = scratch("serve");
    let input = dir.join("articles.jsonl");
    ok(&["bench", "generate", "--articles", "40", "--seed", "3", "--out", s(&input)]);
    ok(&["ingest", "examples/corpus", "--db", &url]);
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["serve", "--db", &url, "--addr", "127.0.0.1:0", "--threads", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    let addr = line.split("http://").nth(1).expect("the address is printed").trim().trim_end_matches('/').to_string();

    let stories = |addr: &str| -> Value { serde_json::from_str(&get(addr, "/api/stories?limit=500")).unwrap() };
    let before = stories(&addr)["stories"].as_array().unwrap().len();
    assert_eq!(before as i64, psql_count(&url, "SELECT count(*) FROM stories"));
    let hits: Value = serde_json::from_str(&get(&addr, "/api/search?q=Tisza")).unwrap();
    assert!(!hits["results"].as_array().unwrap().is_empty());
    assert!(get(&addr, "/").contains("<html"));

    // A worker writes while the server runs; the server's next answers include it.
    ok(&["ingest", s(&input), "--db", &url, "--threads", "1"]);
    let after = stories(&addr)["stories"].as_array().unwrap().len();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(after > before, "new stories are served ({before} → {after})");
    assert_eq!(after as i64, psql_count(&url, "SELECT count(*) FROM stories"));
}

#[test]
fn schema_versions_are_checked() {
    let Some(url_db) = fresh_database("schema") else { return };
    let url = url_db.url.clone();
    ok(&["ingest", "examples/corpus", "--db", &url]);
    assert_eq!(psql_count(&url, "SELECT CAST(version AS BIGINT) FROM newsgraph_schema"), 3);
    let articles = psql_count(&url, "SELECT count(*) FROM articles");
    assert_eq!(psql_count(&url, "SELECT count(*) FROM article_features"), articles, "each article's features kept");
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    // A store of version 1, from before story pages and kept features, gets pages when it is
    // next opened and features at its next story update. Its stories were made from the stored
    // articles (which lack the sentences the features of an analysed article have): so they
    // are made here, the features taken away, and the stories updated.
    c.batch_execute("DELETE FROM article_features; UPDATE meta SET value = '0' WHERE key = 'stories_version'").unwrap();
    ok(&["ingest", "examples/corpus", "--db", &url]);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM article_features"), articles, "made from the stored articles");
    c.batch_execute("DROP TABLE story_pages; DROP TABLE article_features; UPDATE newsgraph_schema SET version = 1")
        .unwrap();
    ok(&["stories", "--db", &url]);
    assert_eq!(psql_count(&url, "SELECT CAST(version AS BIGINT) FROM newsgraph_schema"), 3);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM article_features"), 0);
    let stories = psql_count(&url, "SELECT count(*) FROM stories");
    assert!(stories > 0);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM story_pages"), stories);
    // A story an ingest changes loses its kept page (it is computed when asked for), so no
    // page is ever served stale: here a lightly edited copy joins the Tisza story.
    let dir = scratch("pg-pages");
    let original = std::fs::read_to_string("examples/corpus/danube-herald-tisza-deal-signed.txt").unwrap();
    std::fs::write(dir.join("copy.txt"), original.replacen("signed", "signed on Monday", 1)).unwrap();
    ok(&["ingest", s(&dir), "--db", &url]);
    let joined = "SELECT story FROM articles WHERE source LIKE '%copy.txt'";
    assert_eq!(psql_count(&url, &format!("SELECT count(*) FROM stories WHERE id = ({joined})")), 1);
    assert_eq!(psql_count(&url, &format!("SELECT count(*) FROM story_pages WHERE id = ({joined})")), 0);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM story_pages"), stories - 1);
    // Articles stored without features (by a newsgraph from before they were kept) or with
    // features this one cannot read (another version's, damaged) get them at the next story
    // update, made from the stored articles, and the stories come out as they were.
    let stories = story_sets(&exported(&url));
    c.batch_execute(
        "DELETE FROM article_features WHERE n IN (SELECT n FROM articles ORDER BY n LIMIT 3);
         UPDATE article_features SET features = '\\x00'::bytea
           WHERE n = (SELECT n FROM articles WHERE source LIKE '%copy.txt');
         UPDATE meta SET value = '0' WHERE key = 'stories_version'",
    )
    .unwrap();
    ok(&["ingest", s(&dir), "--db", &url]);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM article_features"), articles + 1);
    assert_eq!(psql_count(&url, "SELECT count(*) FROM article_features WHERE length(features) < 100"), 0);
    assert_eq!(story_sets(&exported(&url)), stories);
    // A store made by a newer newsgraph is refused, not misread.
    c.batch_execute("UPDATE newsgraph_schema SET version = 99").unwrap();
    let out = newsgraph(&["stories", "--db", &url]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer newsgraph"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Tables of another application under newsgraph's names are left alone.
    let Some(other_db) = fresh_database("foreign") else { return };
    let other = other_db.url.clone();
    postgres::Client::connect(&other, postgres::NoTls).unwrap().batch_execute("CREATE TABLE articles (x int)").unwrap();
    let out = newsgraph(&["ingest", "examples/corpus", "--db", &other]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no newsgraph schema"));
}

#[test]
fn search_vectors_are_what_the_server_would_make() {
    let Some(db) = fresh_database("vectors") else { return };
    let dir = scratch("pg-vectors");
    // Plain lower-case words, split the same way by newsgraph and by the server's parser, one
    // repeated across title and text (positions counted over both) and one in upper case.
    let article = serde_json::json!([{
        "title": "Harbour pilots strike",
        "date": "2026-02-11T08:00:00+00:00",
        "site": "Coastal Ledger",
        "text": "The harbour pilots of Portwen went on strike on Monday morning. \
                 Ships waited outside the harbour while the pilots met the port authority. \
                 A spokesman for the pilots said the STRIKE would last until Friday."
    }]);
    let input = dir.join("pilots.json");
    std::fs::write(&input, article.to_string()).unwrap();
    ok(&["ingest", s(&input), "--db", &db.url]);
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let row = c
        .query_one(
            "SELECT t.search::text,
                    (setweight(to_tsvector('simple', a.title), 'A') || setweight(to_tsvector('simple', t.text), 'B'))::text
             FROM articles a JOIN article_texts t USING (n)",
            &[],
        )
        .unwrap();
    let (stored, server): (String, String) = (row.get(0), row.get(1));
    assert!(stored.contains("'harbour':1A,5B,"), "{stored}");
    assert_eq!(stored, server);
}

#[test]
fn entities_of_batches_never_committed_are_removed() {
    let Some(db) = fresh_database("orphans") else { return };
    ok(&["ingest", "examples/corpus", "--db", &db.url]);
    let stored = psql_count(&db.url, "SELECT count(*) FROM entities");
    assert!(stored > 0);
    // What an ingest stopped between storing a batch's new entities and committing the batch
    // leaves behind: an entity no stored article names.
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute(
        "INSERT INTO entities (id, name, key, type, articles, mentions)
         VALUES ('person:harriet-vane', 'Harriet Vane', 'harriet vane', 'PERSON', 0, 0)",
    )
    .unwrap();
    let out = ok(&["ingest", "examples/corpus", "--db", &db.url]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 article(s) added"));
    assert_eq!(psql_count(&db.url, "SELECT count(*) FROM entities"), stored);
    assert_eq!(psql_count(&db.url, "SELECT count(*) FROM entities WHERE id = 'person:harriet-vane'"), 0);
}

#[test]
fn nul_characters_do_not_stop_an_ingest() {
    let Some(db) = fresh_database("nul") else { return };
    let dir = scratch("pg-nul");
    // PostgreSQL's text cannot hold NUL; JSON can carry one anywhere.
    let articles = serde_json::json!([
        {
            "title": "Ferry\u{0}service resumes",
            "site": "Coastal\u{0}Ledger",
            "date": "2026-02-12T08:00:00+00:00",
            "text": "The ferry service to Portwen resumed on Tuesday after the harbour pilots ended their strike.\u{0}"
        },
        {
            "title": "Harbour pilots end strike",
            "date": "2026-02-11T08:00:00+00:00",
            "text": "The harbour pilots of Portwen ended their strike on Monday evening."
        }
    ]);
    let input = dir.join("ferry.json");
    std::fs::write(&input, articles.to_string()).unwrap();
    let out = ok(&["ingest", s(&input), "--db", &db.url]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 article(s) added"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let titles = psql_count(&db.url, "SELECT count(*) FROM articles WHERE title = 'Ferry\u{FFFD}service resumes'");
    assert_eq!(titles, 1);
    let hits = lines(&ok(&["search", "ferry", "--format", "jsonl", "--db", &db.url]));
    assert_eq!(hits.len(), 1);
    // a second run finds both stored (content ids are those of the texts as read)
    let out = ok(&["ingest", s(&input), "--db", &db.url]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 article(s) added, 2 already stored"));
}
