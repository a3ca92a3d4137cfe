//! `newsgraph analyze`: inputs → articles → annotations → stories → records.
//!
//! Articles are annotated one at a time and their records written to a spill file, so memory
//! holds only the corpus layer's compact features, not the articles; once every story is known
//! the records are read back, given their story, and written out.

use crate::progress::Progress;
use crate::report;
use crate::workers::{analyze_in_order, Outcome, Skip};
use crate::Format;
use newsgraph_corpus::{Config, Corpus};
use newsgraph_doc::record::{ArticleRecord, Rejection, SummaryRecord};
use newsgraph_doc::Document;
use newsgraph_input::RawArticle;
use newsgraph_nlp::clean::Cleaner;
use newsgraph_nlp::Pipeline;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Turns one raw article into an annotated document.
pub fn analyze_one(cleaner: &Cleaner, pipeline: &Pipeline, skip: Skip<'_>, raw: RawArticle) -> Document {
    let cleaned = cleaner.clean(raw.meta.title.as_deref(), &raw.body);
    let mut meta = raw.meta;
    for b in cleaned.byline {
        if !meta.byline.contains(&b) {
            meta.byline.push(b);
        }
    }
    let mut doc = Document::new(meta, cleaned.text, cleaned.removed);
    if !skip(&doc.id) {
        pipeline.run(&mut doc);
    }
    doc
}

/// The fields a spilled record has before its story is known. A JSON string escapes every `"`
/// in it, so this sequence can only be the record's own fields, never part of a text.
const NO_STORY: &str = "\"story\":null,\"duplicate_of\":null";

/// A spilled record line with its story and copy fields set.
fn with_story(line: &str, story: &str, duplicate_of: Option<&str>) -> Result<String, String> {
    let at = line.rfind(NO_STORY).ok_or("temporary file corrupt: a record without its story fields")?;
    let json = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let dup = duplicate_of.map_or_else(|| "null".to_string(), json);
    Ok(format!("{}\"story\":{},\"duplicate_of\":{dup}{}", &line[..at], json(story), &line[at + NO_STORY.len()..]))
}

/// A temporary file for article records, removed when dropped.
struct SpillFile {
    path: PathBuf,
}

impl SpillFile {
    fn create() -> io::Result<(SpillFile, BufWriter<File>)> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("newsgraph-{}-{nanos}.jsonl", std::process::id()));
        let f = File::create(&path)?;
        Ok((SpillFile { path }, BufWriter::new(f)))
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Records are kept in memory up to this many bytes (a few thousand articles), so a run of
/// usual size does not write its records to disk and read them back; beyond, they go to a
/// temporary file and memory stays bounded.
const RECORDS_IN_MEMORY: usize = 64 << 20;

/// Article records waiting for their story: one JSON line each, in the order written.
enum Records {
    /// The lines, and how many bytes of them memory may hold.
    Memory(Vec<u8>, usize),
    File(SpillFile, BufWriter<File>),
}

impl Records {
    fn push(&mut self, line: &str) -> io::Result<()> {
        if let Records::Memory(buf, limit) = self {
            if buf.len() + line.len() < *limit {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
                return Ok(());
            }
            let (file, mut w) = SpillFile::create()
                .map_err(|e| io::Error::new(e.kind(), format!("cannot create a temporary file: {e}")))?;
            w.write_all(buf)?;
            *self = Records::File(file, w);
        }
        let Records::File(_, w) = self else { unreachable!("records moved to a file above") };
        writeln!(w, "{line}")
    }

    /// Calls `f` with each record line in order.
    fn for_each(self, f: &mut dyn FnMut(usize, &str) -> Result<(), String>) -> Result<(), String> {
        match self {
            Records::Memory(buf, _) => {
                let text = std::str::from_utf8(&buf).map_err(|e| format!("records corrupt: {e}"))?;
                text.lines().enumerate().try_for_each(|(k, line)| f(k, line))
            }
            Records::File(file, mut w) => {
                w.flush().map_err(|e| format!("cannot write the temporary file {}: {e}", file.path.display()))?;
                drop(w);
                let records =
                    BufReader::new(File::open(&file.path).map_err(|e| format!("cannot read the temporary file: {e}"))?);
                for (k, line) in records.lines().enumerate() {
                    f(k, &line.map_err(|e| format!("cannot read the temporary file: {e}"))?)?;
                }
                Ok(())
            }
        }
    }
}

pub fn run(paths: &[PathBuf], format: Format, out: Option<&Path>, threads: usize) -> Result<ExitCode, String> {
    let started = Instant::now();
    let mut corpus = Corpus::new(Config::default());
    let mut records = Records::Memory(Vec::new(), RECORDS_IN_MEMORY);
    let mut rejected: Vec<Rejection> = Vec::new();
    let mut articles = 0usize;
    let mut write_err = None;
    let mut progress = Progress::new();
    analyze_in_order(paths, threads, &mut |outcome| {
        match outcome {
            Outcome::Article(doc) => {
                corpus.add(&doc);
                let rec = ArticleRecord::from_document(&doc);
                let line = serde_json::to_string(&rec).expect("records serialise");
                if let Err(e) = records.push(&line) {
                    write_err.get_or_insert(e);
                }
                articles += 1;
            }
            Outcome::Rejected(r) => {
                progress.clear();
                eprintln!("newsgraph: {}: {}", r.source, r.reason);
                rejected.push(r);
            }
        }
        progress.tick(articles, rejected.len());
    });
    progress.clear();
    if let Some(e) = write_err {
        return Err(format!("cannot write the temporary file: {e}"));
    }

    // Story records are made one at a time as they are written: their comparisons of sources
    // take a few kilobytes each, too much to hold for every story of a large run at once.
    // The spill holds the records in the order the corpus took the articles, so each record's
    // assignment is found by its position, without a map of every article by id.
    let (assigned, stories) = corpus.finish_streaming();
    let summary = SummaryRecord {
        kind: "summary".into(),
        inputs: articles + rejected.len(),
        articles,
        rejected,
        stories: stories.len(),
        duplicates: assigned.duplicates(),
        seconds: started.elapsed().as_secs_f64(),
    };

    let sink: Box<dyn Write> = match out {
        Some(p) => Box::new(File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut w = BufWriter::new(sink);
    let io_err = |e: io::Error| format!("cannot write the output: {e}");
    match format {
        Format::Jsonl => {
            // Each record's story fields are filled in place, without parsing the record again.
            records.for_each(&mut |k, line| {
                let a = assigned.get(k).ok_or("temporary file corrupt: more records than articles")?;
                writeln!(w, "{}", with_story(line, &a.story, a.duplicate_of.as_deref())?).map_err(io_err)
            })?;
            for s in stories {
                writeln!(w, "{}", serde_json::to_string(&s).expect("records serialise")).map_err(io_err)?;
            }
            writeln!(w, "{}", serde_json::to_string(&summary).expect("records serialise")).map_err(io_err)?;
        }
        Format::Text => {
            let mut recs = Vec::new();
            records.for_each(&mut |k, line| {
                let mut rec: ArticleRecord =
                    serde_json::from_str(line).map_err(|e| format!("temporary file corrupt: {e}"))?;
                if let Some(a) = assigned.get(k) {
                    rec.story = Some(a.story);
                    rec.duplicate_of = a.duplicate_of;
                }
                recs.push(rec);
                Ok(())
            })?;
            let stories: Vec<_> = stories.collect();
            report::write(&mut w, &recs, &stories, &summary).map_err(io_err)?;
        }
    }
    w.flush().map_err(io_err)?;
    if summary.articles == 0 {
        eprintln!("newsgraph: no article could be read from the inputs ({} rejected)", summary.rejected.len());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_in_order_from_memory_and_from_the_temporary_file() {
        let lines: Vec<String> = (0..50).map(|i| format!("{{\"n\":{i},\"text\":\"{}\"}}", "x".repeat(i))).collect();
        for limit in [usize::MAX, 200, 0] {
            let mut records = Records::Memory(Vec::new(), limit);
            lines.iter().for_each(|l| records.push(l).unwrap());
            assert_eq!(matches!(records, Records::File(..)), limit != usize::MAX);
            let mut back = Vec::new();
            records
                .for_each(&mut |k, line| {
                    assert_eq!(k, back.len());
                    back.push(line.to_string());
                    Ok(())
                })
                .unwrap();
            assert_eq!(back, lines, "limit {limit}");
        }
    }

    #[test]
    fn story_fields_are_set_in_place_and_match_a_reserialised_record() {
        let mut rec: ArticleRecord = serde_json::from_value(serde_json::json!({
            "kind": "article", "id": "a1", "input_id": null, "source": "s", "url": null, "site": null,
            "title": "T", "byline": [], "published": null, "language": "en",
            "text": "He wrote \"story\":null,\"duplicate_of\":null in a note.", "removed": [], "entities": [],
            "quotes": [], "amounts": [], "dates": [], "events": [], "story": null, "duplicate_of": null,
            "notes": ["a note"]
        }))
        .unwrap();
        let line = serde_json::to_string(&rec).unwrap();
        let filled = with_story(&line, "st-1", Some("a0")).unwrap();
        rec.story = Some("st-1".into());
        rec.duplicate_of = Some("a0".into());
        assert_eq!(filled, serde_json::to_string(&rec).unwrap());
        let back: ArticleRecord = serde_json::from_str(&filled).unwrap();
        assert_eq!(back.text, "He wrote \"story\":null,\"duplicate_of\":null in a note.");
    }
}
