//! The store on hand-made documents: schema versions, round trips, searches, exports.

use crate::records::load_document;
use crate::*;
use newsgraph_corpus::Config;
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::{
    Amount, DateMention, Document, Entity, EntityType, Event, Meta, Modality, Quote, QuoteKind, Removal, Span,
};
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("newsgraph-store-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn span_of(text: &str, needle: &str) -> Span {
    let s = text.find(needle).unwrap_or_else(|| panic!("{needle:?} in {text:?}"));
    Span::new(s, s + needle.len())
}

/// A small annotated article with non-ASCII text, every kind of annotation and a title mention.
fn doc(title: &str, text: &str, site: &str, published: &str) -> Document {
    let meta = Meta {
        input_id: Some("in-1".into()),
        source: format!("{site}.jsonl:1"),
        url: Some(format!("https://{site}/a")),
        site: Some(site.into()),
        title: Some(title.into()),
        byline: vec!["Ana Reporter".into()],
        published: Some(published.into()),
        language: Some("en".into()),
        notes: vec![],
    };
    let mut d =
        Document::new(meta, text.into(), vec![Removal { text: "Advertisement".into(), reason: "ad marker".into() }]);
    let place = |name: &str, code: &str| Entity {
        id: Entity::country_id(code),
        name: name.into(),
        kind: EntityType::Place,
        code: Some(code.into()),
        roles: vec![],
        affiliation: None,
        mentions: vec![],
        title_mentions: vec![],
    };
    let mut serbia = place("Serbia", "SRB");
    serbia.mentions.push(span_of(text, "Serbia"));
    if let Some(t) = title.find("Serbia") {
        serbia.title_mentions.push(Span::new(t, t + "Serbia".len()));
    }
    let mut hungary = place("Hungary", "HUN");
    hungary.mentions.push(span_of(text, "Hungary"));
    let mut person = Entity {
        id: Entity::make_id(EntityType::Person, "milena đurović"),
        name: "Milena Đurović".into(),
        kind: EntityType::Person,
        code: Some("SRB".into()),
        roles: vec!["minister".into()],
        affiliation: Some("SRB".into()),
        mentions: vec![span_of(text, "Đurović")],
        title_mentions: vec![],
    };
    person.mentions.sort();
    d.entities = vec![serbia, hungary, person];
    d.quotes = vec![Quote {
        span: span_of(text, "We come with open hands"),
        kind: QuoteKind::Direct,
        speaker: Some(2),
        cue: Some("said".into()),
    }];
    d.amounts =
        vec![Amount { span: span_of(text, "€18 million"), value: 18e6, unit: Some("EUR".into()), approx: None }];
    d.dates = vec![DateMention { span: span_of(text, "March 6, 2025"), value: Some("2025-03-06".into()) }];
    d.events = vec![Event {
        span: span_of(text, "Serbia and Hungary signed"),
        kind: "AGREE".into(),
        mode: None,
        actor: Some(0),
        target: Some(1),
        modality: Modality::Asserted,
        reported_by: None,
        date: Some("2025-03-06".into()),
        trigger: "signed".into(),
    }];
    d
}

fn tisza(n: usize, site: &str) -> Document {
    doc(
        &format!("Serbia and Hungary sign Tisza deal ({n})"),
        &format!(
            "Serbia and Hungary signed a water deal on March 6, 2025 worth €18 million.\n\n\"We come with open hands,\" Đurović said of the Tisza river. Report {n}."
        ),
        site,
        "2025-03-06",
    )
}

#[test]
fn schema_is_created_and_reopened() {
    let dir = scratch("schema");
    let path = dir.join("s.db");
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    drop(s);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = s.db.query_one("PRAGMA journal_mode", &[], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    drop(s);
    let ro = Store::open_read_only(&path).unwrap();
    assert!(ro.db.execute("DELETE FROM articles", &[]).is_err(), "read-only connections refuse writes");
}

#[test]
fn older_schemas_migrate_and_newer_ones_are_refused() {
    let dir = scratch("migrate");
    // A store at version 0 of the schema (an empty file) is brought up to date.
    let path = dir.join("old.db");
    rusqlite::Connection::open(&path).unwrap();
    assert_eq!(Store::open(&path).unwrap().schema_version().unwrap(), SCHEMA_VERSION);
    // Each migration is applied once: running them from every earlier version reaches the same
    // schema as a new store.
    for from in 0..SCHEMA_VERSION {
        let p = dir.join(format!("from{from}.db"));
        let c = rusqlite::Connection::open(&p).unwrap();
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().take(from as usize) {
            c.execute_batch(sql).unwrap();
            c.pragma_update(None, "user_version", (i + 1) as i64).unwrap();
        }
        drop(c);
        assert_eq!(Store::open(&p).unwrap().schema_version().unwrap(), SCHEMA_VERSION);
    }
    // A newer store is not misread.
    let newer = dir.join("newer.db");
    {
        let s = Store::open(&newer).unwrap();
        s.db.batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1)).unwrap();
    }
    let e = Store::open(&newer).err().expect("refused");
    assert!(e.0.contains("newer newsgraph"), "{e}");
    // Nor is another program's database.
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    assert!(Store::open(&foreign).is_err());
    assert!(Store::open_read_only(&dir.join("missing.db")).is_err());
}

#[test]
fn records_and_documents_round_trip() {
    let dir = scratch("roundtrip");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let d = tisza(1, "danube.example");
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    assert!(ing.add(&d).unwrap());
    assert!(!ing.add(&d).unwrap(), "the same content id is not stored twice");
    let stats = ing.finish().unwrap();
    assert_eq!((stats.added, stats.skipped, stats.articles, stats.stories), (1, 1, 1, 1));

    let mut expected = ArticleRecord::from_document(&d);
    expected.story = Some(format!("story-{}", d.id));
    assert_eq!(s.article(&d.id).unwrap().unwrap(), expected, "the record comes back as analyze writes it");

    let back = load_document(&s.db, 1).unwrap().unwrap();
    assert_eq!(back.id, d.id);
    assert_eq!(back.text, d.text);
    assert_eq!(back.meta.title, d.meta.title);
    assert_eq!(back.meta.byline, d.meta.byline);
    assert_eq!(back.removed, d.removed);
    assert_eq!(back.entities, d.entities, "byte spans are restored, title mentions too");
    assert_eq!(back.quotes, d.quotes);
    assert_eq!(back.amounts, d.amounts);
    assert_eq!(back.dates, d.dates);
    assert_eq!(back.events, d.events);
}

#[test]
fn search_ranks_and_filters() {
    let dir = scratch("search");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    ing.add(&tisza(1, "danube.example")).unwrap();
    ing.add(&tisza(2, "harbour.example")).unwrap();
    let mut other = doc(
        "Serbia and Hungary hold talks",
        "Serbia and Hungary signed nothing. Đurović said: We come with open hands. It cost €18 million on March 6, 2025.",
        "harbour.example",
        "2024-01-10",
    );
    other.events[0].kind = "CONSULT".into();
    ing.add(&other).unwrap();
    ing.finish().unwrap();

    let q = |text: &str| SearchQuery { text: text.into(), ..Default::default() };
    assert_eq!(s.search(&q("tisza")).unwrap().len(), 2);
    assert_eq!(s.search(&q("TISZA river")).unwrap().len(), 2, "case and all words");
    // "ć" folds to "c"; "Đ" is a letter of its own in Unicode, not D with a mark
    assert_eq!(s.search(&q("ĐUROVIC")).unwrap().len(), 3, "diacritics are folded");
    assert_eq!(s.search(&q("\"water deal\"")).unwrap().len(), 2, "phrases");
    assert_eq!(s.search(&q("tis*")).unwrap().len(), 2, "prefixes");
    assert_eq!(s.search(&q("tisza OR talks")).unwrap().len(), 3);
    assert!(s.search(&q("nothing-like-this")).unwrap().is_empty());
    assert!(s.search(&q("\"unbalanced")).is_ok(), "user syntax never breaks the query");

    let hits = s.search(&q("Tisza")).unwrap();
    assert!(hits[0].score > 0.0);
    assert!(hits[0].snippet.contains("Tisza"));
    let [a, b] = hits[0].highlights[0];
    assert_eq!(hits[0].snippet.chars().skip(a).take(b - a).collect::<String>(), "Tisza");

    let with = |f: &dyn Fn(&mut SearchQuery)| {
        let mut sq = q("serbia");
        f(&mut sq);
        s.search(&sq).unwrap().len()
    };
    assert_eq!(with(&|_| {}), 3);
    assert_eq!(with(&|q| q.site = Some("harbour.example".into())), 2);
    assert_eq!(with(&|q| q.since = Some("2025".into())), 2);
    assert_eq!(with(&|q| q.until = Some("2024-01".into())), 1);
    assert_eq!(with(&|q| q.until = Some("2024-01-09".into())), 0);
    assert_eq!(with(&|q| q.lang = Some("EN".into())), 3);
    assert_eq!(with(&|q| q.lang = Some("de".into())), 0);
    assert_eq!(with(&|q| q.event = Some("consult".into())), 1);
    assert_eq!(with(&|q| q.entity = Some("Milena Đurović".into())), 3);
    assert_eq!(with(&|q| q.entity = Some(Entity::country_id("HUN"))), 3);
    assert_eq!(with(&|q| q.entity = Some("Nobody".into())), 0);
    assert!(s.search(&SearchQuery { since: Some("last week".into()), ..q("serbia") }).is_err());
    let newest = s.search(&SearchQuery { site: Some("harbour.example".into()), ..Default::default() }).unwrap();
    assert_eq!(newest.len(), 2, "no words: filters alone, newest first");
    assert!(newest[0].article.published >= newest[1].article.published);
}

#[test]
fn stories_entities_events_and_exports() {
    let dir = scratch("queries");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    for (i, site) in ["danube.example", "harbour.example", "meridian.example"].iter().enumerate() {
        ing.add(&tisza(i, site)).unwrap();
    }
    ing.finish().unwrap();
    let stories = s.stories(StorySort::Size, 10, 0).unwrap();
    assert!(!stories.is_empty());
    let total: usize = stories.iter().map(|s| s.articles).sum();
    assert_eq!(total, 3);
    let d = s.story(&stories[0].id).unwrap().unwrap();
    assert_eq!(d.articles.len(), stories[0].articles);
    assert!(d.graph.nodes.iter().any(|n| n.name == "Serbia"));
    assert!(!d.claims.claims.is_empty());
    assert_eq!(d.claims.sources.len(), d.claims.claims[0].cells.len());
    assert_eq!(d.quotes[0].speaker.as_deref(), Some("Milena Đurović"));
    assert_eq!(d.timeline[0].date, "2025-03-06");

    let ents = s.entities(None, Some("person"), 10, 0).unwrap();
    assert_eq!(ents.len(), 1);
    assert_eq!((ents[0].articles, ents[0].mentions), (3, 3), "counts add up over articles");
    let e = s.entity(&ents[0].id).unwrap().unwrap();
    assert_eq!(e.roles, vec!["minister".to_string()]);
    assert_eq!(e.quotes.len(), 3);
    assert!(e.related.iter().any(|r| r.entity.name == "Hungary"));
    assert!(s.entity("milena đurović").unwrap().is_some(), "by name, any case");
    let evs = s.events(&EventQuery { kind: Some("AGREE".into()), ..Default::default() }).unwrap();
    assert_eq!(evs.len(), 3);
    assert_eq!(evs[0].actor.as_deref(), Some("Serbia"));
    assert_eq!(evs[0].text, "Serbia and Hungary signed");
    assert_eq!(s.kind_of(&stories[0].id).unwrap(), Some("story"));
    assert_eq!(s.kind_of(&ents[0].id).unwrap(), Some("entity"));
    assert_eq!(s.kind_of(&d.articles[0].id).unwrap(), Some("article"));
    assert_eq!(s.kind_of("nothing").unwrap(), None);

    let mut out = Vec::new();
    let st = export::jsonl(&s, &mut out).unwrap();
    assert_eq!((st.articles, st.stories), (3, stories.len()));
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));

    let csv_dir = dir.join("csv");
    export::csv(&s, &csv_dir).unwrap();
    let mentions = std::fs::read_to_string(csv_dir.join("mentions.csv")).unwrap();
    assert!(mentions.contains("Đurović"), "mention texts are sliced back from the text");

    let mut g = Vec::new();
    export::graphml(&s, &mut g, 1).unwrap();
    let g = String::from_utf8(g).unwrap();
    assert!(g.contains("<data key=\"event\">AGREE</data>") && g.contains("directed=\"true\""));
    assert!(g.contains("<data key=\"kind\">cooccurrence</data><data key=\"weight\">3</data>"));

    let gd = dir.join("gdelt");
    export::gdelt(&s, &gd).unwrap();
    let events = std::fs::read_to_string(gd.join("newsgraph.export.CSV")).unwrap();
    let row: Vec<&str> = events.lines().next().unwrap().split('\t').collect();
    assert_eq!(row.len(), 61);
    assert_eq!(row[1], "20250306", "SQLDATE");
    assert_eq!((row[5], row[6], row[7]), ("SRB", "SERBIA", "SRB"), "Actor1");
    assert_eq!(row[15], "HUN", "Actor2Code");
    assert_eq!((row[26], row[27], row[28], row[29]), ("057", "057", "05", "1"), "CAMEO codes and QuadClass");
    assert_eq!((row[31], row[32], row[33], row[34]), ("3", "3", "3", "0"), "mentions, sources, articles, tone");
    let gkg = std::fs::read_to_string(gd.join("newsgraph.gkg.csv")).unwrap();
    let row: Vec<&str> = gkg.lines().next().unwrap().split('\t').collect();
    assert_eq!(row.len(), 27);
    assert!(row[11].contains("Milena Đurović"), "V1PERSONS: {}", row[11]);
    assert!(row[9].starts_with("1#Serbia#SRB"), "V1LOCATIONS: {}", row[9]);
    assert!(row[22].contains("|said|We come with open hands"), "V2.1QUOTATIONS: {}", row[22]);
    assert!(row[24].starts_with("18000000,EUR,"), "V2.1AMOUNTS: {}", row[24]);
    assert!(row[16].starts_with("4#3#6#2025#"), "V2.1ENHANCEDDATES: {}", row[16]);
}

#[test]
fn ingest_continues_across_runs_and_kills() {
    let dir = scratch("resume");
    let path = dir.join("s.db");
    let docs: Vec<Document> = (0..6).map(|i| tisza(i, &format!("site{i}.example"))).collect();
    {
        let mut s = Store::open(&path).unwrap();
        let mut ing = s.begin_ingest(Config::default()).unwrap();
        ing.set_batch_articles(2);
        for d in &docs[..5] {
            ing.add(d).unwrap();
        }
        // dropped without finish, as after a kill: the 4 articles in committed batches stay,
        // the open batch is rolled back, the stories are marked stale
    }
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.article_count().unwrap(), 4);
    assert!(s.stories_stale().unwrap());
    let tisza_hits = |s: &Store| s.search(&SearchQuery { text: "tisza".into(), ..Default::default() }).unwrap().len();
    assert_eq!(tisza_hits(&s), 0, "articles are indexed for search when their ingest finishes");
    assert_eq!(deferred_indexes(&s), 0, "a bulk load builds its secondary indexes at the end");
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    let added = docs.iter().filter(|d| ing.add(d).unwrap()).count();
    assert_eq!(added, 2);
    let stats = ing.finish().unwrap();
    assert_eq!(stats.articles, 6);
    assert!(!s.stories_stale().unwrap());
    // the articles of the stopped ingest and of this one, each once
    assert_eq!(tisza_hits(&s), 6);
    let indexed: i64 = s.db.query_one("SELECT count(*) FROM articles_fts", &[], |r| r.get(0)).unwrap();
    assert_eq!(indexed, 6);
    assert_eq!(s.meta("search_indexed_through").unwrap().as_deref(), Some("6"));
    assert_eq!(deferred_indexes(&s), crate::schema::DEFERRED_INDEXES.len());
    // nothing new: nothing indexed again
    s.begin_ingest(Config::default()).unwrap().finish().unwrap();
    assert_eq!(tisza_hits(&s), 6);
    let unassigned: i64 =
        s.db.query_one("SELECT count(*) FROM articles WHERE story IS NULL", &[], |r| r.get(0)).unwrap();
    assert_eq!(unassigned, 0);
    // the entity counts survived the rollback of the open batch
    let e = s.entities(None, Some("PERSON"), 1, 0).unwrap();
    assert_eq!(e[0].articles, 6);
}

fn deferred_indexes(s: &Store) -> usize {
    crate::schema::DEFERRED_INDEXES
        .iter()
        .filter(|(name, _)| {
            s.db.query_opt("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1", args![name], |_| Ok(()))
                .unwrap()
                .is_some()
        })
        .count()
}

#[test]
fn indexes_left_to_the_end_of_a_bulk_load_are_those_of_the_migrations() {
    let dir = scratch("deferred");
    let s = Store::open(&dir.join("s.db")).unwrap();
    for (name, on) in crate::schema::DEFERRED_INDEXES {
        let sql: String = s
            .db
            .query_one("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", args![name], |r| r.get(0))
            .unwrap();
        assert_eq!(sql, format!("CREATE INDEX {name} {on}"));
    }
    // an empty ingest into an empty store leaves them as they were
    let mut s = s;
    s.begin_ingest(Config::default()).unwrap().finish().unwrap();
    assert_eq!(deferred_indexes(&s), crate::schema::DEFERRED_INDEXES.len());
}

/// Story and copy of every article, by content id.
fn placements(s: &Store) -> Vec<(String, Option<String>, Option<String>)> {
    s.db.query_map("SELECT id, story, duplicate_of FROM articles ORDER BY id", &[], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .unwrap()
}

#[test]
fn later_ingests_load_the_saved_corpus_state_and_place_articles_as_one_run_would() {
    let dir = scratch("state");
    let docs: Vec<Document> = (0..5).map(|i| tisza(i, &format!("site{i}.example"))).collect();
    let ingest = |s: &mut Store, docs: &[Document]| {
        let mut ing = s.begin_ingest(Config::default()).unwrap();
        for d in docs {
            ing.add(d).unwrap();
        }
        ing.finish().unwrap()
    };
    // in two runs, the second on top of the saved state …
    let mut two = Store::open(&dir.join("two.db")).unwrap();
    let first = ingest(&mut two, &docs[..2]);
    assert!(!first.corpus_loaded, "a new store has no state yet");
    let again = ingest(&mut two, &docs[..2]);
    assert!(again.corpus_loaded && again.added == 0 && !again.stories_updated, "{again:?}");
    let second = ingest(&mut two, &docs[2..]);
    assert!(second.corpus_loaded && second.added == 3 && second.stories_updated, "{second:?}");
    // … as in one
    let mut one = Store::open(&dir.join("one.db")).unwrap();
    ingest(&mut one, &docs);
    assert_eq!(placements(&two), placements(&one));
    assert_eq!(two.story_count().unwrap(), one.story_count().unwrap());

    // a state that no longer holds every stored article (an ingest stopped after a batch) is
    // not used: the corpus layer is rebuilt, and the stories come out the same
    {
        let mut ing = one.begin_ingest(Config::default()).unwrap();
        ing.set_batch_articles(1);
        ing.add(&tisza(9, "late.example")).unwrap();
        // dropped without finish, as after a kill
    }
    let resumed = ingest(&mut one, &[tisza(9, "late.example")]);
    assert!(!resumed.corpus_loaded && resumed.stories_updated, "{resumed:?}");
    ingest(&mut two, &[tisza(9, "late.example")]);
    assert_eq!(placements(&two), placements(&one));
}

/// Every story's stored page, and the page computed afresh from its articles.
fn pages_and_computed(s: &Store) -> Vec<(Option<String>, Option<StoryDetail>)> {
    let ids = s.story_ids().unwrap();
    assert!(!ids.is_empty());
    ids.iter()
        .map(|id| {
            let stored = story_pages::stored(&s.db, id).unwrap();
            (stored, s.compute_story(id).unwrap())
        })
        .collect()
}

fn assert_pages_current(s: &Store) {
    for (stored, computed) in pages_and_computed(s) {
        let computed = computed.expect("the story exists");
        let stored: StoryDetail = serde_json::from_str(&stored.expect("a page for every story")).unwrap();
        assert_eq!(stored, computed);
        assert_eq!(s.story(&computed.story.id).unwrap().as_ref(), Some(&computed));
        let api: StoryDetail = serde_json::from_str(&s.story_json(&computed.story.id).unwrap().unwrap()).unwrap();
        assert_eq!(api, computed);
    }
    let pages: i64 = s.db.query_one("SELECT count(*) FROM story_pages", &[], |r| r.get(0)).unwrap();
    assert_eq!(pages as u64, s.story_count().unwrap(), "no page of a story that is gone");
}

#[test]
fn story_pages_are_written_with_the_stories_and_redone_only_when_a_story_changes() {
    let dir = scratch("pages");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let ingest = |s: &mut Store, docs: &[Document]| {
        let mut ing = s.begin_ingest(Config::default()).unwrap();
        for d in docs {
            ing.add(d).unwrap();
        }
        ing.finish().unwrap()
    };
    ingest(&mut s, &[tisza(0, "danube.example"), tisza(1, "harbour.example")]);
    assert_pages_current(&s);
    // nothing changed: nothing is recomputed
    let redo = |s: &Store| s.db.transaction("BEGIN IMMEDIATE", || story_pages::refresh(&s.db, None)).unwrap();
    assert_eq!(redo(&s), 0);
    // a third report joins the story: its page follows
    ingest(&mut s, &[tisza(2, "meridian.example")]);
    assert_pages_current(&s);
    let d = s.story(&s.story_ids().unwrap()[0]).unwrap().unwrap();
    assert_eq!(d.articles.len(), 3);
    assert_eq!(redo(&s), 0);
    // a page that is missing, or of another format, is redone; the others are left alone
    let before = story_pages::stored(&s.db, &d.story.id).unwrap();
    s.db.execute("UPDATE story_pages SET format = format + 1", &[]).unwrap();
    assert_eq!(story_pages::stored(&s.db, &d.story.id).unwrap(), None, "another format is not read");
    assert_eq!(s.story(&d.story.id).unwrap().as_ref(), Some(&d), "computed when there is no page");
    s.db.execute("UPDATE story_pages SET format = format - 1", &[]).unwrap();
    s.db.execute("DELETE FROM story_pages", &[]).unwrap();
    assert_eq!(redo(&s), s.story_count().unwrap() as usize);
    assert_eq!(story_pages::stored(&s.db, &d.story.id).unwrap(), before);
    // a story whose articles changed place (here, one became a copy) is redone
    s.db.execute(
        "UPDATE articles SET duplicate_of = CASE WHEN duplicate_of IS NULL THEN ?1 END WHERE id = ?2",
        db::args![d.articles[0].id, d.articles[1].id],
    )
    .unwrap();
    assert_eq!(redo(&s), 1);
    assert_pages_current(&s);
}

#[test]
fn pages_left_unmade_by_a_stopped_ingest_are_made_by_the_next() {
    let dir = scratch("pages-pending");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    for (i, site) in ["danube.example", "harbour.example", "meridian.example"].iter().enumerate() {
        ing.add(&tisza(i, site)).unwrap();
    }
    ing.finish().unwrap();
    assert_pages_current(&s);
    // as after a kill between the stories' commit and the pages' commit
    s.db.batch("DELETE FROM story_pages; UPDATE meta SET value = '1' WHERE key = 'pages_pending'").unwrap();
    let id = s.story_ids().unwrap()[0].clone();
    assert!(story_pages::stored(&s.db, &id).unwrap().is_none());
    assert!(s.story(&id).unwrap().is_some(), "a missing page is computed when asked for");
    let stats = s.begin_ingest(Config::default()).unwrap().finish().unwrap();
    assert!(!stats.stories_updated, "{stats:?}");
    assert_pages_current(&s);
    assert_eq!(s.meta("pages_pending").unwrap().as_deref(), Some("0"));
}

#[test]
fn a_store_from_before_story_pages_gets_them_when_opened() {
    let dir = scratch("pages-migrate");
    let path = dir.join("s.db");
    {
        let mut s = Store::open(&path).unwrap();
        let mut ing = s.begin_ingest(Config::default()).unwrap();
        for (i, site) in ["danube.example", "harbour.example"].iter().enumerate() {
            ing.add(&tisza(i, site)).unwrap();
        }
        ing.finish().unwrap();
        // back to schema version 2, which had no story pages nor common words
        s.db.batch("DROP TABLE story_pages; DROP TABLE search_common; PRAGMA user_version = 2").unwrap();
    }
    // a read-only open (a server) migrates too
    let ro = Store::open_read_only(&path).unwrap();
    assert_eq!(ro.schema_version().unwrap(), SCHEMA_VERSION);
    assert_pages_current(&ro);
    let common: i64 = ro.db.query_one("SELECT count(*) FROM search_common", &[], |r| r.get(0)).unwrap();
    assert!(common > 0, "common words noted too");
    assert_eq!(ro.meta("search_articles").unwrap().as_deref(), Some("2"), "and the article count");
    drop(ro);
    // a store of version 3 kept only the common words: the counts come with version 4
    {
        let s = Store::open(&path).unwrap();
        s.db.batch("DELETE FROM meta WHERE key = 'search_articles'; PRAGMA user_version = 3").unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.meta("search_articles").unwrap().as_deref(), Some("2"));
}

#[test]
fn searches_rank_by_score_and_pass_over_common_words() {
    let dir = scratch("ranking");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let base = "Serbia and Hungary signed a water deal on March 6, 2025 worth €18 million.\n\n\"We come with open hands,\" Đurović said of the Tisza river.";
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    for i in 0..16 {
        // half of them about the harbour, some more than others
        let title = if i % 4 == 0 { format!("Harbour works, part {i}") } else { format!("Serbia report {i}") };
        let harbour = if i % 2 == 0 { 1 + i % 3 } else { 0 };
        let text = format!("{base} {} Item {i}.", "Harbour cranes moved. ".repeat(harbour));
        ing.add(&doc(&title, &text, &format!("site{i}.example"), "2025-03-06")).unwrap();
    }
    ing.finish().unwrap();
    // every matching article, scored by FTS5's bm25 over all of them
    let all: Vec<(String, f64)> = s
        .db
        .query_map(
            "SELECT a.id, -bm25(articles_fts, 2.0, 1.0) AS score FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid
             WHERE articles_fts MATCH '\"harbour\"' ORDER BY score DESC, a.n",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(all.len(), 8);
    assert!(all[0].1 > all[7].1);
    // newsgraph_rank gives bm25's scores, whether it is told the article count or counts
    for counts in ["8", "", "x"] {
        let ranked: Vec<(String, f64)> = s
            .db
            .query_map(
                "SELECT a.id, newsgraph_rank(articles_fts, 2.0, 1.0, ?1) AS score FROM articles_fts
                 JOIN articles a ON a.n = articles_fts.rowid WHERE articles_fts MATCH '\"harbour\"' ORDER BY score DESC, a.n",
                db::args![counts],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(ranked, all, "counts {counts:?}");
    }
    // a wrong count changes the weight of the word, not the order of one-word searches
    let told: Vec<f64> =
        s.db.query_map(
            "SELECT newsgraph_rank(articles_fts, 2.0, 1.0, '2') AS score FROM articles_fts
             WHERE articles_fts MATCH '\"harbour\"' ORDER BY score DESC, rowid",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert!(told[0] > all[0].1, "fewer articles with the word, more weight");
    let page = |text: &str, offset: usize| {
        let hits = s.search(&SearchQuery { text: text.into(), limit: 5, offset, ..Default::default() }).unwrap();
        hits.into_iter().map(|h| (h.article.id, h.score)).collect::<Vec<_>>()
    };
    assert_eq!(page("harbour", 0), all[..5].to_vec(), "the five best scores, best first");
    assert_eq!(page("harbour", 5), all[5..].to_vec(), "the next page goes on in order");
    // Words in more than half of the articles are noted at ingest and left out of a search by
    // words, with the same ranking (bm25 gives them no weight).
    let common: Vec<String> = s.db.query_map("SELECT term FROM search_common", &[], |r| r.get(0)).unwrap();
    assert!(common.contains(&"the".to_string()) && !common.contains(&"harbour".to_string()), "{common:?}");
    let ids = |v: Vec<(String, f64)>| v.into_iter().map(|h| h.0).collect::<Vec<_>>();
    assert_eq!(ids(page("the Harbour of", 0)), ids(all[..5].to_vec()));
    // all common: searched as typed; a phrase keeps its words
    assert_eq!(page("the of", 0).len(), 5);
    assert!(page("\"of harbour\"", 0).is_empty());
    let hit = &s.search(&SearchQuery { text: "the harbour".into(), ..Default::default() }).unwrap()[0];
    assert!(!hit.highlights.is_empty(), "highlights mark the words typed");
}

#[test]
fn a_frequent_word_is_ranked_among_its_latest_matches() {
    let dir = scratch("ranking-latest");
    let mut s = Store::open(&dir.join("s.db")).unwrap();
    let n = RANKED + RANKED / 5;
    let mut ing = s.begin_ingest(Config::default()).unwrap();
    for i in 0..n {
        // the first article and one of the latest say "harbour" most
        let times = if i == 0 {
            6
        } else if i == n - 10 {
            3
        } else {
            1
        };
        let text = format!(
            "Serbia and Hungary signed a water deal on March 6, 2025 worth €18 million.\n\n\"We come with open hands,\" \
             Đurović said of the Tisza river. {} Report number {i} from the quay.",
            "The harbour reopened. ".repeat(times)
        );
        ing.add(&doc(&format!("Note {i}"), &text, &format!("site{}.example", i % 7), "2025-03-06")).unwrap();
    }
    ing.finish().unwrap();
    let top = |since: Option<&str>| {
        let q =
            SearchQuery { text: "harbour".into(), since: since.map(str::to_string), limit: 3, ..Default::default() };
        s.search(&q).unwrap().into_iter().map(|h| h.article.title.unwrap()).collect::<Vec<_>>()
    };
    let latest = top(None);
    assert_eq!(latest[0], format!("Note {}", n - 10), "{latest:?}");
    assert!(!latest.contains(&"Note 0".to_string()), "the oldest match is outside the latest {RANKED}: {latest:?}");
    // with a filter every match is ranked
    assert_eq!(top(Some("2025-01-01"))[0], "Note 0");
}

fn render_title(d: &StoryDetail) -> String {
    format!("<h1>{}</h1><p>{} articles</p>", d.story.title, d.articles.len())
}

#[test]
fn story_pages_are_kept_rendered_by_the_renderer_of_the_store() {
    let dir = scratch("rendered");
    let path = dir.join("s.db");
    let ingest = |version: i64, docs: &[Document]| {
        let mut s = Store::open(&path).unwrap();
        s.set_story_renderer(StoryRenderer { render: render_title, version });
        let mut ing = s.begin_ingest(Config::default()).unwrap();
        for d in docs {
            ing.add(d).unwrap();
        }
        ing.finish().unwrap();
        s
    };
    let s = ingest(7, &[tisza(0, "danube.example"), tisza(1, "harbour.example")]);
    let id = &s.story_ids().unwrap()[0];
    let d = s.story(id).unwrap().unwrap();
    assert_eq!(s.story_html(id, 7).unwrap(), Some(render_title(&d)));
    assert_eq!(s.story_html(id, 8).unwrap(), None, "another version's rendering is not served");
    // the story grows: its rendering follows
    let s = ingest(7, &[tisza(2, "meridian.example")]);
    let d = s.story(id).unwrap().unwrap();
    assert_eq!(d.articles.len(), 3);
    assert_eq!(s.story_html(id, 7).unwrap(), Some(render_title(&d)));
    // a new renderer: an ingest with nothing new renders the pages again
    let s = ingest(8, &[]);
    assert_eq!(s.story_html(id, 8).unwrap(), Some(render_title(&d)));
    assert_eq!(s.story_html(id, 7).unwrap(), None);
}
