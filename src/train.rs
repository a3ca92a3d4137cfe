//! `newsgraph train ner`: trains the named-entity tagger from annotated corpora.
//!
//! The corpora are read from the folder laid out as the team's shared data (`ner/` inside it,
//! or the folder itself): Universal NER English EWT train (`uner_en_ewt/*train*.iob2`), the GUM
//! documents (`gum/*.conllu`) and the re3d folders (`re3d/*/`) whose licence allows it. Nothing
//! else is read: no development or test file, whatever else the folder holds.
//!
//! A hidden `train bench-ner` times the entity layer alone (segmentation and entities) on JSON
//! lines of `{"id", "text"}`, for `scripts/bench_ner.sh`.

use clap::{Subcommand, ValueEnum};
use newsgraph_doc::record::ArticleRecord;
use newsgraph_doc::{Document, EntityType, Meta};
use newsgraph_nlp::entities::perceptron::train::{self as ner, clean_mention, Example, Mention};
use newsgraph_nlp::entities::perceptron::{self, Model, PerceptronRecognizer};
use newsgraph_nlp::entities::{EntityTagger, HybridRecognizer, Recognizer, RuleRecognizer};
use newsgraph_nlp::segment::Sentences;
use newsgraph_nlp::Annotator;
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train the named-entity tagger (see data/models/README.md).
    Ner {
        /// The annotated corpora: the shared data folder, or its ner/ folder.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "data/models/ner.model")]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = ner::Options::default().epochs)]
        epochs: usize,
        /// Seed of the order the examples are visited in.
        #[arg(long, default_value_t = ner::Options::default().seed)]
        seed: u64,
        /// BIO labels instead of BILOU.
        #[arg(long)]
        bio: bool,
        /// Also train on every N-th sentence in lower case (0: none).
        #[arg(long, default_value_t = ner::Options::default().lower_every)]
        lower_every: usize,
        /// Also train on every N-th sentence in Title Case (0: none).
        #[arg(long, default_value_t = ner::Options::default().title_every)]
        title_every: usize,
        /// A word seen c times is also trained as an unknown word with probability d / (d + c).
        #[arg(long, default_value_t = ner::Options::default().word_dropout)]
        word_dropout: f64,
        /// Perceptrons trained in different orders of the examples, their weights averaged.
        #[arg(long, default_value_t = ner::Options::default().rounds)]
        rounds: usize,
        /// Features seen in fewer sentences than this take no part.
        #[arg(long, default_value_t = ner::Options::default().min_feature_count)]
        min_feature_count: u32,
    },
    /// Time segmentation and entities on JSON lines of {"id", "text"}; write article records.
    #[command(hide = true)]
    BenchNer {
        input: PathBuf,
        /// Write the article records here (for scoring).
        #[arg(long)]
        out: Option<PathBuf>,
        /// A model file instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Which::Standard)]
        recognizer: Which,
        /// Tag the input this many times (timings over more text).
        #[arg(long, default_value_t = 1)]
        repeat: usize,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Which {
    /// What `analyze` uses.
    Standard,
    Rules,
    Model,
    Hybrid,
}

pub fn run(cmd: TrainCommand) -> Result<ExitCode, String> {
    match cmd {
        TrainCommand::Ner {
            data,
            out,
            epochs,
            seed,
            bio,
            lower_every,
            title_every,
            word_dropout,
            rounds,
            min_feature_count,
        } => {
            let opts = ner::Options {
                epochs,
                seed,
                bilou: !bio,
                lower_every,
                title_every,
                word_dropout,
                rounds,
                min_feature_count,
            };
            train_ner(&data, &out, &opts)
        }
        TrainCommand::BenchNer { input, out, model, recognizer, repeat } => {
            bench(&input, out.as_deref(), model.as_deref(), recognizer, repeat)
        }
    }
}

fn train_ner(data: &Path, out: &Path, opts: &ner::Options) -> Result<ExitCode, String> {
    let started = Instant::now();
    let dir = if data.join("ner").is_dir() { data.join("ner") } else { data.to_path_buf() };
    let mut examples = Vec::new();
    let mut sources = Vec::new();
    let uner = sorted_files(&dir.join("uner_en_ewt"), |n| n.contains("train") && n.ends_with(".iob2"))?;
    for p in &uner {
        let ex = read_iob2(p)?;
        sources.push(format!("{}: {} sentences", p.display(), ex.len()));
        examples.extend(ex);
    }
    let gum = sorted_files(&dir.join("gum"), |n| n.ends_with(".conllu"))?;
    let mut gum_stats = Stats::default();
    let mut gum_n = 0;
    for p in &gum {
        let ex = read_conllu(p, &mut gum_stats)?;
        gum_n += ex.len();
        examples.extend(ex);
    }
    sources.push(format!("{}: {} files, {} sentences ({gum_stats})", dir.join("gum").display(), gum.len(), gum_n));
    let mut re3d_stats = Stats::default();
    for folder in sorted_dirs(&dir.join("re3d"))? {
        let licence = fs::read_to_string(folder.join("LICENSE")).unwrap_or_default();
        if licence.is_empty() || is_non_commercial(&licence) {
            sources.push(format!(
                "{}: skipped (licence: {})",
                folder.display(),
                if licence.is_empty() { "none" } else { "non-commercial" }
            ));
            continue;
        }
        let ex = read_re3d(&folder, &mut re3d_stats)?;
        sources.push(format!("{}: {} sentences", folder.display(), ex.len()));
        examples.extend(ex);
    }
    sources.push(format!("re3d mentions: {re3d_stats}"));
    if examples.is_empty() {
        return Err(format!("no training data found in {}", dir.display()));
    }
    for s in &sources {
        eprintln!("train: {s}");
    }
    let (bytes, report) = ner::train(&examples, opts, &mut |m| eprintln!("train: {m}"));
    // the model must load before it replaces the shipped one
    Model::from_bytes(&bytes).map_err(|e| format!("the trained model does not load: {e}"))?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!(
        "train: wrote {} ({} bytes, {} of {} features; {} trained) in {:.1} s",
        out.display(),
        bytes.len(),
        report.features_kept,
        report.features_seen,
        report.features_trained,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn is_non_commercial(licence: &str) -> bool {
    let l = licence.to_lowercase();
    l.contains("noncommercial") || l.contains("non-commercial") || l.contains("by-nc")
}

fn sorted_files(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    out.sort();
    Ok(out)
}

fn sorted_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    Ok(out)
}

/// What happened to a corpus's mentions on their way to training spans.
#[derive(Default)]
struct Stats {
    kept: usize,
    not_named: usize,
    /// Sentences left out because a mention in them could not be trimmed to a clean name.
    unsure_sentences: usize,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} names kept, {} mentions without a name, {} sentences left out",
            self.kept, self.not_named, self.unsure_sentences
        )
    }
}

fn kind_of(tag: &str) -> Option<EntityType> {
    match tag {
        "PER" | "person" | "Person" => Some(EntityType::Person),
        "ORG" | "organization" | "Organisation" => Some(EntityType::Org),
        "LOC" | "place" | "Location" => Some(EntityType::Place),
        _ => None,
    }
}

/// Byte offsets of each token in the sentence's text, found left to right; `None` when a token
/// is not in the text as written.
fn align(text: &str, words: &[&str]) -> Option<Vec<(usize, usize)>> {
    let mut at = 0;
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let i = at + text[at..].find(w)?;
        out.push((i, i + w.len()));
        at = i + w.len();
    }
    Some(out)
}

/// Universal NER IOB2: `# text = …`, then `id word tag …` lines. OTH and the stray B-O are not
/// entities.
fn read_iob2(path: &Path) -> Result<Vec<Example>, String> {
    let f = fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut flush = |text: &mut String, rows: &mut Vec<(String, String)>| {
        if !rows.is_empty() && !text.is_empty() {
            let words: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
            if let Some(offs) = align(text, &words) {
                let mut spans: Vec<(usize, usize, EntityType)> = Vec::new();
                let mut open: Option<(usize, usize, EntityType)> = None;
                for ((_, tag), &(s, e)) in rows.iter().zip(&offs) {
                    let (prefix, kind) = tag.split_once('-').map_or((tag.as_str(), None), |(p, k)| (p, kind_of(k)));
                    let continues = prefix == "I" && open.is_some_and(|o| Some(o.2) == kind);
                    if continues {
                        if let Some(o) = open.as_mut() {
                            o.1 = e;
                        }
                        continue;
                    }
                    spans.extend(open.take());
                    open = kind.map(|k| (s, e, k));
                }
                spans.extend(open.take());
                out.push(Example { text: std::mem::take(text), spans });
            }
        }
        text.clear();
        rows.clear();
    };
    for line in BufReader::new(f).lines() {
        let line = line.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Some(t) = line.strip_prefix("# text = ") {
            text = t.to_string();
        } else if line.trim().is_empty() {
            flush(&mut text, &mut rows);
        } else if !line.starts_with('#') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 3 {
                rows.push((cols[1].to_string(), cols[2].to_string()));
            }
        }
    }
    flush(&mut text, &mut rows);
    Ok(out)
}

/// One token of a CoNLL-U sentence.
struct Row {
    form: String,
    upos: String,
    /// Index of the head within the sentence (None for the root).
    head: Option<usize>,
    misc: String,
}

/// GUM: the entity annotation in MISC (`Entity=(3-person-…` opens, `3)` closes) marks every
/// mention, named or not ("his", "the school"). A mention is taken for a name when its head
/// word is a proper noun; the name is then the run of proper nouns (and joiners) around the
/// head, trimmed of titles.
fn read_conllu(path: &Path, stats: &mut Stats) -> Result<Vec<Example>, String> {
    let f = fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut lines = BufReader::new(f)
        .lines()
        .collect::<Result<Vec<String>, _>>()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    lines.push(String::new());
    for line in lines {
        if let Some(t) = line.strip_prefix("# text = ") {
            text = t.to_string();
        } else if line.trim().is_empty() {
            if !rows.is_empty() && !text.is_empty() {
                if let Some(ex) = gum_sentence(&text, &rows, stats) {
                    out.push(ex);
                }
            }
            rows.clear();
            text.clear();
        } else if !line.starts_with('#') {
            let cols: Vec<&str> = line.split('\t').collect();
            // multi-word token ranges and empty nodes carry no entity annotation of their own
            if cols.len() < 10 || cols[0].contains(['-', '.']) {
                continue;
            }
            let head = cols[6].parse::<usize>().ok().filter(|&h| h > 0).map(|h| h - 1);
            rows.push(Row { form: cols[1].to_string(), upos: cols[3].to_string(), head, misc: cols[9].to_string() });
        }
    }
    Ok(out)
}

/// The mentions (first token, last token, type) of GUM's bracket notation.
fn gum_mentions(rows: &[Row]) -> Vec<(usize, usize, String)> {
    let mut open: Vec<(String, usize, String)> = Vec::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(ent) = r.misc.split('|').find_map(|f| f.strip_prefix("Entity=")) else { continue };
        let b = ent.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if b[k] == b'(' {
                let j = k + 1 + ent[k + 1..].find(['(', ')']).unwrap_or(ent.len() - k - 1);
                let attrs = &ent[k + 1..j];
                let mut parts = attrs.split('-');
                let id = parts.next().unwrap_or("").split('[').next().unwrap_or("").to_string();
                let etype = parts.next().unwrap_or("").to_string();
                if j < b.len() && b[j] == b')' {
                    out.push((i, i, etype));
                    k = j + 1;
                } else {
                    open.push((id, i, etype));
                    k = j;
                }
            } else {
                let j = k + ent[k..].find(')').unwrap_or(ent.len() - k);
                let id = ent[k..j].split('[').next().unwrap_or("");
                if let Some(p) = open.iter().rposition(|o| o.0 == id) {
                    let (_, s, t) = open.remove(p);
                    out.push((s, i, t));
                }
                k = j + 1;
            }
        }
    }
    out
}

const GUM_JOINERS: &[&str] = &["of", "and", "the", "de", "von", "van", "der", "al", "&", "-", "'s", "\u{2019}s"];

fn gum_sentence(text: &str, rows: &[Row], stats: &mut Stats) -> Option<Example> {
    let words: Vec<&str> = rows.iter().map(|r| r.form.as_str()).collect();
    let offs = align(text, &words)?;
    let mut named: Vec<(usize, usize, EntityType)> = Vec::new();
    let mut unsure = false;
    for (s, e, etype) in gum_mentions(rows) {
        let Some(kind) = kind_of(&etype) else { continue };
        // the head: the word whose own head lies outside the mention
        let head = (s..=e).find(|&i| rows[i].head.is_none_or(|h| h < s || h > e));
        let Some(h) = head.filter(|&h| rows[h].upos == "PROPN") else {
            stats.not_named += 1;
            continue;
        };
        let name_word =
            |i: usize| rows[i].upos == "PROPN" || GUM_JOINERS.contains(&rows[i].form.to_lowercase().as_str());
        let mut a = h;
        while a > s && name_word(a - 1) {
            a -= 1;
        }
        let mut b = h;
        while b < e && name_word(b + 1) {
            b += 1;
        }
        match clean_mention(text, offs[a].0, offs[b].1, kind) {
            Mention::Named(x, y) => named.push((x, y, kind)),
            Mention::NotNamed => stats.not_named += 1,
            Mention::Unsure => unsure = true,
        }
    }
    if unsure {
        stats.unsure_sentences += 1;
        return None;
    }
    Some(Example { text: text.to_string(), spans: outermost(named, stats) })
}

/// Nested names ("Aberdeen" in "Aberdeen Grammar School"): the outermost one is the name.
fn outermost(mut spans: Vec<(usize, usize, EntityType)>, stats: &mut Stats) -> Vec<(usize, usize, EntityType)> {
    spans.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    let mut out: Vec<(usize, usize, EntityType)> = Vec::new();
    for s in spans {
        if out.last().is_some_and(|l| s.0 < l.1) {
            continue;
        }
        out.push(s);
    }
    stats.kept += out.len();
    out
}

/// re3d: documents with character offsets of their mentions. Nationalities, weapons and the
/// like are not entities here; mentions without a name ("the rebels") are not names.
fn read_re3d(folder: &Path, stats: &mut Stats) -> Result<Vec<Example>, String> {
    let read_lines = |name: &str| -> Result<Vec<serde_json::Value>, String> {
        let p = folder.join(name);
        let s = fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        s.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("{}: {e}", p.display())))
            .collect()
    };
    let docs = read_lines("documents.json")?;
    let ents = read_lines("entities.json")?;
    let mut out = Vec::new();
    for d in &docs {
        let (Some(id), Some(text)) = (d["_id"].as_str(), d["text"].as_str()) else { continue };
        // character offsets to byte offsets
        let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let mut mentions: Vec<(usize, usize, EntityType)> = Vec::new();
        for e in ents.iter().filter(|e| e["documentId"].as_str() == Some(id)) {
            let Some(kind) = e["type"].as_str().and_then(kind_of) else { continue };
            let (Some(b), Some(en)) = (e["begin"].as_u64(), e["end"].as_u64()) else { continue };
            let (Some(&b), Some(&en)) = (bytes.get(b as usize), bytes.get(en as usize)) else { continue };
            mentions.push((b, en, kind));
        }
        for para in newsgraph_doc::paragraph_spans(text) {
            for s in newsgraph_nlp::segment::split_sentences(&text[para.start..para.end]) {
                let (ss, se) = (para.start + s.start, para.start + s.end);
                let sent = &text[ss..se];
                let mut named = Vec::new();
                let mut unsure = false;
                for &(b, e, kind) in &mentions {
                    if e <= ss || b >= se {
                        continue;
                    }
                    if b < ss || e > se {
                        // a mention across our sentence boundary
                        unsure = true;
                        continue;
                    }
                    match clean_mention(sent, b - ss, e - ss, kind) {
                        Mention::Named(x, y) => named.push((x, y, kind)),
                        Mention::NotNamed => stats.not_named += 1,
                        Mention::Unsure => unsure = true,
                    }
                }
                // a line break inside a sentence is a break in the page, not in the name
                if unsure || sent.contains('\n') && named.is_empty() {
                    stats.unsure_sentences += 1;
                    continue;
                }
                out.push(Example { text: sent.to_string(), spans: outermost(named, stats) });
            }
        }
    }
    Ok(out)
}

fn bench(
    input: &Path,
    out: Option<&Path>,
    model: Option<&Path>,
    which: Which,
    repeat: usize,
) -> Result<ExitCode, String> {
    let load = Instant::now();
    let model: Option<&'static Model> = match model {
        Some(p) => {
            let b = fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            Some(Box::leak(Box::new(Model::from_bytes(&b).map_err(|e| format!("{}: {e}", p.display()))?)))
        }
        None => perceptron::shipped(),
    };
    let need_model = || model.ok_or_else(|| "no model: pass --model FILE or ship data/models/ner.model".to_string());
    let recognizer: Box<dyn Recognizer> = match which {
        Which::Standard => return bench_with(input, out, EntityTagger::standard(), repeat, load),
        Which::Rules => Box::new(RuleRecognizer),
        Which::Model => Box::new(PerceptronRecognizer::new(need_model()?)),
        Which::Hybrid => Box::new(HybridRecognizer::new(need_model()?)),
    };
    bench_with(input, out, EntityTagger::new(recognizer), repeat, load)
}

fn bench_with(
    input: &Path,
    out: Option<&Path>,
    tagger: EntityTagger,
    repeat: usize,
    load: Instant,
) -> Result<ExitCode, String> {
    let text = fs::read_to_string(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", input.display(), n + 1))?;
        let meta = Meta {
            input_id: v["id"].as_str().map(str::to_string),
            source: format!("{}:{}", input.display(), n + 1),
            ..Meta::default()
        };
        docs.push(Document::new(meta, v["text"].as_str().unwrap_or("").to_string(), vec![]));
    }
    // the first article pays for loading the model and the knowledge tables
    let mut warm = Document::new(Meta::default(), "Vladimir Putin visited Pyongyang.".into(), vec![]);
    Sentences.annotate(&mut warm);
    tagger.annotate(&mut warm);
    let load_s = load.elapsed().as_secs_f64();
    let mut tokens = 0usize;
    let t0 = Instant::now();
    for _ in 0..repeat.max(1) {
        for d in docs.iter_mut() {
            Sentences.annotate(d);
            tagger.annotate(d);
            tokens += d.tokens.len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{{\"documents\":{},\"tokens\":{},\"seconds\":{:.4},\"tokens_per_second\":{:.0},\"load_seconds\":{:.3}}}",
        docs.len(),
        tokens,
        secs,
        tokens as f64 / secs,
        load_s
    );
    if let Some(p) = out {
        let f = fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        let mut w = BufWriter::new(f);
        for d in &docs {
            let rec = ArticleRecord::from_document(d);
            writeln!(w, "{}", serde_json::to_string(&rec).expect("records serialise"))
                .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        }
        w.flush().map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
