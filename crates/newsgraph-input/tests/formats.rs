//! Each input format, read from disk and from memory.

mod common;

use common::*;
use std::path::PathBuf;

#[test]
fn text_file_title_body_and_source() {
    let path = fixture("seed_like.txt");
    let a = article(read_one(&path));
    assert_eq!(a.meta.source, path.to_string_lossy());
    assert_eq!(a.meta.title.as_deref(), Some("Putin in North Korea: – It doesn't seem good just sitting at home"));
    // The repeated title stays for the cleaner; line ends are normalised, single breaks kept.
    assert_eq!(
        a.body,
        "Putin in North Korea: – It doesn't seem good just sitting at home\n\n\
         On Tuesday evening, Norwegian time, Russian President Vladimir Putin was in North Korea to meet with Kim Jong Un.\n\n\
         Speaking to ABC Nyheter, senior researcher Tor Bokvoll said he believed the visit was\n\
         primarily to underscore Russia's status as a great power."
    );
    assert!(a.meta.notes.is_empty(), "{:?}", a.meta.notes);
}

#[test]
fn source_is_the_path_as_given() {
    let dir = fixture("folder");
    let relative = pathdiff_from_cwd(&dir.join("a.txt"));
    let a = article(read_one(&relative));
    assert_eq!(a.meta.source, relative.to_string_lossy());
    assert!(a.meta.source.ends_with("/a.txt"));
}

/// A relative spelling of `p` (tests run in the crate folder).
fn pathdiff_from_cwd(p: &std::path::Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    match p.strip_prefix(&cwd) {
        Ok(rel) => PathBuf::from("./").join(rel),
        Err(_) => p.to_path_buf(),
    }
}

#[test]
fn the_users_seeds_when_present() {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !seeds.exists() {
        eprintln!("skipped: {} is absent", seeds.display());
        return;
    }
    let (articles, rejected) = split(read_one(&seeds));
    assert!(rejected.is_empty(), "{rejected:?}");
    assert!(articles.len() >= 2);
    for a in &articles {
        let name = a.meta.source.rsplit('/').next().unwrap();
        assert!(name.ends_with(".txt"), "{name}");
        let title = a.meta.title.as_deref().unwrap();
        assert!(!a.body.is_empty() && !a.body.contains("\r"));
        assert!(!a.body.contains("\n\n\n"));
        let first_line = std::fs::read_to_string(&a.meta.source)
            .unwrap()
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap()
            .trim()
            .to_string();
        assert_eq!(title, first_line);
    }
    let names: Vec<&str> = articles.iter().map(|a| a.meta.source.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "folder order is sorted");
}

#[test]
fn html_metadata_and_main_text() {
    let a = article(read_one(&fixture("latin1.html")));
    assert_eq!(a.meta.title.as_deref(), Some("Le café de la gare ferme ses portes"));
    assert_eq!(a.meta.site.as_deref(), Some("Journal Régional"));
    assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(a.meta.byline, vec!["Hélène Dupré"]);
    assert_eq!(a.meta.language.as_deref(), Some("fr"));
    assert_eq!(a.meta.url.as_deref(), Some("https://www.journal-regional.fr/cafe-gare"));
    let paras: Vec<&str> = a.body.split("\n\n").collect();
    assert_eq!(paras.len(), 3, "{}", a.body);
    assert!(paras[0].starts_with("Après quarante années"));
    assert!(paras[1].starts_with("« C'est une page"));
    assert!(paras[2].starts_with("La mairie étudie"));
    assert!(!a.body.contains("Partager") && !a.body.contains("Accueil") && !a.body.contains("droits réservés"));
}

#[test]
fn html_title_from_title_element_loses_the_site() {
    let html = format!("<html><head><title>Budget approved - The Gazette</title><meta property=\"og:site_name\" content=\"The Gazette\"></head><body><div><p>{PARA}</p><p>{PARA}</p></div></body></html>");
    let a = article(bytes("page.htm", "page.htm", html.as_bytes()));
    assert_eq!(a.meta.title.as_deref(), Some("Budget approved"));
    assert_eq!(a.body, format!("{PARA}\n\n{PARA}"));
}

#[test]
fn json_lines_records_and_broken_lines() {
    let path = fixture("articles.jsonl");
    let p = path.to_string_lossy().to_string();
    let items = read_one(&path);
    let sources: Vec<String> = items
        .iter()
        .map(|i| match i {
            newsgraph_input::Item::Article(a) => format!("A {}", a.meta.source),
            newsgraph_input::Item::Rejected(r) => format!("R {}", r.source),
        })
        .collect();
    assert_eq!(
        sources,
        vec![format!("A {p}:1"), format!("R {p}:2"), format!("A {p}:4"), format!("R {p}:5"), format!("A {p}:6")]
    );
    let (articles, rejected) = split(items);
    assert!(rejected[0].reason.starts_with("line 2: not JSON: "), "{}", rejected[0].reason);
    assert_eq!(rejected[1].reason, "no text field (looked for text, maintext, body, content)");
    let first = &articles[0];
    assert_eq!(first.meta.input_id.as_deref(), Some("101"));
    assert_eq!(first.meta.title.as_deref(), Some("First story"));
    assert_eq!(first.meta.url.as_deref(), Some("https://www.example.com/news/1"));
    assert_eq!(first.meta.site.as_deref(), Some("example.com"));
    assert_eq!(first.meta.byline, vec!["Ann Author"]);
    assert_eq!(first.meta.language.as_deref(), Some("en"));
    assert_eq!(first.body, "Line one of the first story.\n\nLine two of the first story.");
    // Every date form a scraper writes lands as the same ISO day.
    for a in &articles {
        assert_eq!(a.meta.published.as_deref(), Some("2024-06-18"), "{}", a.meta.source);
    }
    assert_eq!(articles[1].meta.input_id.as_deref(), Some("abc"));
    assert_eq!(articles[1].meta.byline, vec!["Bo Writer"]);
    assert_eq!(articles[2].meta.byline, vec!["Cy Writer"]);
}

#[test]
fn json_array_records_are_numbered() {
    let path = fixture("articles.json");
    let p = path.to_string_lossy().to_string();
    let (articles, rejected) = split(read_one(&path));
    assert_eq!(
        articles.iter().map(|a| a.meta.source.clone()).collect::<Vec<_>>(),
        vec![format!("{p}:1"), format!("{p}:3")]
    );
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].source, format!("{p}:2"));
    assert_eq!(articles[1].meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(articles[1].body, "Gamma body.");
}

#[test]
fn json_single_object_pretty_or_not() {
    for text in [
        r#"{"id": 7, "title": "One", "text": "Only article."}"#.to_string(),
        "{\n  \"id\": 7,\n  \"title\": \"One\",\n  \"text\": \"Only article.\"\n}\n".to_string(),
    ] {
        let a = article(bytes("one.json", "one.json", text.as_bytes()));
        assert_eq!(a.meta.source, "one.json");
        assert_eq!(a.meta.input_id.as_deref(), Some("7"));
        assert_eq!(a.body, "Only article.");
    }
}

#[test]
fn json_pretty_printed_objects_one_after_another() {
    let text = "{\n \"title\": \"A\",\n \"text\": \"a\"\n}\n{\n \"title\": \"B\",\n \"text\": \"b\"\n}\n";
    let (a, r) = split(bytes("two.json", "two.json", text.as_bytes()));
    assert!(r.is_empty());
    assert_eq!(a.iter().map(|a| a.meta.source.as_str()).collect::<Vec<_>>(), vec!["two.json:1", "two.json:2"]);
}

#[test]
fn json_lines_under_a_json_name() {
    let text = "{\"title\": \"A\", \"text\": \"a\"}\n{\"title\": \"B\", \"text\": \"b\"}\n";
    let (a, _) = split(bytes("x.json", "x.json", text.as_bytes()));
    assert_eq!(a.iter().map(|a| a.meta.source.as_str()).collect::<Vec<_>>(), vec!["x.json:1", "x.json:2"]);
}

#[test]
fn json_object_wrapping_a_list_of_articles() {
    let text = r#"{"status": "ok", "totalResults": 2, "articles": [
        {"source": {"id": null, "name": "Daily X"}, "author": "Ann", "title": "One", "url": "https://x.example/1",
         "publishedAt": "2024-06-18T08:00:00Z", "content": "First."},
        {"source": {"name": "Daily Y"}, "title": "Two", "content": "Second."}]}"#;
    let (a, r) = split(bytes("news.json", "news.json", text.as_bytes()));
    assert!(r.is_empty(), "{r:?}");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].meta.source, "news.json:1");
    assert_eq!(a[0].meta.site.as_deref(), Some("Daily X"));
    assert_eq!(a[0].meta.published.as_deref(), Some("2024-06-18"));
    assert_eq!(a[1].meta.site.as_deref(), Some("Daily Y"));
}

#[test]
fn ndjson_and_numbers_as_ids() {
    let text = "{\"id\": 12345678901234, \"text\": \"x\"}\r\n{\"id\": 1.5, \"text\": \"y\"}\r\n";
    let (a, _) = split(bytes("f.ndjson", "f.ndjson", text.as_bytes()));
    assert_eq!(a[0].meta.input_id.as_deref(), Some("12345678901234"));
    assert_eq!(a[1].meta.input_id.as_deref(), Some("1.5"));
}

#[test]
fn standard_input_is_sniffed() {
    let t = article(bytes("-", "-", b"Title line\n\nBody text."));
    assert_eq!(
        (t.meta.source.as_str(), t.meta.title.as_deref(), t.body.as_str()),
        ("-", Some("Title line"), "Body text.")
    );
    let j = split(bytes("-", "-", b"  {\"text\": \"a\"}\n{\"text\": \"b\"}\n")).0;
    assert_eq!(j.iter().map(|a| a.meta.source.as_str()).collect::<Vec<_>>(), vec!["-:1", "-:2"]);
    let arr = split(bytes("-", "-", b"[{\"text\": \"a\"}]")).0;
    assert_eq!(arr[0].meta.source, "-:1");
    let h = article(bytes("-", "-", page(&format!("<p>{PARA}</p><p>{PARA}</p>")).as_bytes()));
    assert_eq!(h.meta.title.as_deref(), Some("Budget approved"));
    // Compressed standard input is recognised by its magic bytes.
    let z = article(bytes("-", "-", &gz(b"Zipped title\n\nZipped body.")));
    assert_eq!(z.body, "Zipped body.");
}

#[test]
fn files_without_a_telling_extension() {
    let a = article(bytes("notes/README", "README", b"Heading\n\nText."));
    assert_eq!(a.meta.title.as_deref(), Some("Heading"));
    let m = article(bytes("story.md", "story.md", b"# Heading\n\nText."));
    assert_eq!(m.meta.title.as_deref(), Some("# Heading"));
}

#[test]
fn folders_are_read_recursively_in_order() {
    let dir = fixture("folder");
    let d = dir.to_string_lossy().to_string();
    let items = read_one(&dir);
    let seen: Vec<String> = items
        .iter()
        .map(|i| match i {
            newsgraph_input::Item::Article(a) => format!("A {}", a.meta.source),
            newsgraph_input::Item::Rejected(r) => format!("R {} {}", r.source, r.reason),
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            format!("A {d}/a.txt"),
            format!("A {d}/c.jsonl.gz:1"),
            format!("A {d}/c.jsonl.gz:2"),
            format!("R {d}/image.png unsupported file type: .png"),
            format!("R {d}/notes.csv unsupported file type: .csv"),
            format!("A {d}/sub/b.html"),
        ]
    );
    // The same again: the order does not depend on the file system.
    assert_eq!(read_one(&dir).len(), items.len());
}

#[test]
fn several_paths_keep_their_order() {
    let (a, _) = split(read(&[fixture("utf16le.txt"), fixture("seed_like.txt")]));
    assert!(a[0].meta.source.ends_with("utf16le.txt"));
    assert!(a[1].meta.source.ends_with("seed_like.txt"));
}

#[test]
fn gzip_of_each_format() {
    let s = Scratch::new("gz-each");
    let text = s.file("t.txt.gz", &gz(b"Zip title\n\nZip body."));
    let html = s.file("p.html.gz", &gz(page(&format!("<p>{PARA}</p><p>{PARA}</p>")).as_bytes()));
    let jsonl = s.file("r.jsonl.gz", &gz(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n"));
    let json = s.file("r.json.gz", &gz(b"[{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}]"));
    assert_eq!(article(read_one(&text)).body, "Zip body.");
    let h = article(read_one(&html));
    assert_eq!(h.body, format!("{PARA}\n\n{PARA}"));
    assert!(h.meta.source.ends_with("p.html.gz"));
    let (a, r) = split(read_one(&jsonl));
    assert_eq!((a.len(), r.len()), (2, 0));
    assert!(a[1].meta.source.ends_with("r.jsonl.gz:2"));
    let (a, r) = split(read_one(&json));
    assert_eq!((a.len(), r.len()), (3, 0));
    // A compressed file under a plain name is still read.
    let renamed = s.file("plain.txt", &gz(b"Title\n\nBody."));
    assert_eq!(article(read_one(&renamed)).body, "Body.");
}

#[test]
fn read_file_reads_folders_too() {
    let mut n = 0;
    newsgraph_input::read_file(&fixture("folder"), &mut |_| n += 1);
    assert_eq!(n, 6);
}
