//! The comparison of a story's sources: who reported first, independent sources with a copy
//! collapsed, the timeline, and the claims matrix (shared, unique and disagreeing claims), over
//! small documents annotated here as the pipeline would.

use newsgraph_corpus::compare::{ClaimRecord, Disagreement, Source, TimelineItem};
use newsgraph_corpus::{assign, copies::find_copies, Config};
use newsgraph_doc::record::StoryRecord;
use newsgraph_doc::{Amount, DateMention, Document, Entity, EntityType, Event, Meta, Modality, Quote, QuoteKind, Span};

/// Builds one annotated article.
struct Article {
    doc: Document,
}

impl Article {
    fn new(date: Option<&str>, site: &str, title: &str, text: &str) -> Self {
        let meta = Meta {
            title: Some(title.into()),
            site: Some(site.into()),
            published: date.map(Into::into),
            ..Default::default()
        };
        Article { doc: Document::new(meta, text.into(), vec![]) }
    }

    fn span(&self, fragment: &str) -> Span {
        let at = self.doc.text.find(fragment).unwrap_or_else(|| panic!("{fragment:?} not in the text"));
        Span::new(at, at + fragment.len())
    }

    /// The entity of this name, added with every mention of it when it is new.
    fn entity(&mut self, name: &str, kind: EntityType) -> usize {
        if let Some(i) = self.doc.entities.iter().position(|e| e.name == name) {
            return i;
        }
        let mentions = self.doc.text.match_indices(name).map(|(at, m)| Span::new(at, at + m.len())).collect();
        let title = self.doc.meta.title.clone().unwrap_or_default();
        let title_mentions = title.match_indices(name).map(|(at, m)| Span::new(at, at + m.len())).collect();
        self.doc.entities.push(Entity {
            id: Entity::make_id(kind, &name.to_lowercase()),
            name: name.into(),
            kind,
            code: None,
            roles: vec![],
            affiliation: None,
            mentions,
            title_mentions,
        });
        self.doc.entities.len() - 1
    }

    fn names(mut self, names: &[(&str, EntityType)]) -> Self {
        for &(n, k) in names {
            if self.doc.text.contains(n) {
                self.entity(n, k);
            }
        }
        self
    }

    fn quote(mut self, said: &str, speaker: &str) -> Self {
        let speaker = Some(self.entity(speaker, EntityType::Person));
        let span = self.span(said);
        self.doc.quotes.push(Quote { span, kind: QuoteKind::Direct, speaker, cue: Some("said".into()) });
        self
    }

    fn amount(mut self, fragment: &str, value: f64, unit: &str) -> Self {
        let span = self.span(fragment);
        self.doc.amounts.push(Amount { span, value, unit: Some(unit.into()), approx: None });
        self
    }

    fn date(mut self, fragment: &str, value: &str) -> Self {
        let span = self.span(fragment);
        self.doc.dates.push(DateMention { span, value: Some(value.into()) });
        self
    }

    fn event(mut self, kind: &str, actor: &str, target: &str, date: Option<&str>, fragment: &str) -> Self {
        let actor = Some(self.entity(actor, EntityType::Org));
        let target = Some(self.entity(target, EntityType::Org));
        let span = self.span(fragment);
        self.doc.events.push(Event {
            span,
            kind: kind.into(),
            mode: None,
            actor,
            target,
            modality: Modality::Asserted,
            reported_by: None,
            date: date.map(Into::into),
            trigger: "accused".into(),
        });
        self
    }
}

use EntityType::{Org, Person, Place};

const NAMES: &[(&str, EntityType)] = &[
    ("Leeds", Place),
    ("Kirkstall Road", Place),
    ("West Yorkshire Fire and Rescue Service", Org),
    ("Paul Henshaw", Person),
    ("Bank of England", Org),
    ("Andrew Bailey", Person),
    ("Ashford United", Org),
    ("Marcus Webb", Person),
    ("Lumen", Org),
    ("Priya Nair", Person),
];

/// Unrelated articles, so that rarity has a corpus to be measured against.
fn background() -> Vec<Document> {
    [
        Article::new(
            Some("2023-02-02"),
            "money.example",
            "Bank of England raises interest rates again",
            "The Bank of England raised its base rate by half a point to 4 per cent on Thursday, the \
             tenth increase in a row. Governor Andrew Bailey said inflation had probably peaked but \
             that the committee would act again if price rises proved persistent.",
        ),
        Article::new(
            Some("2023-03-20"),
            "sport.example",
            "Late winner lifts Ashford United off the bottom",
            "Marcus Webb scored in stoppage time as Ashford United beat their relegation rivals 2-1 on \
             Saturday to climb off the foot of the table. The manager praised his players' spirit.",
        ),
        Article::new(
            Some("2023-09-12"),
            "tech.example",
            "Lumen unveils cheaper electric scooter",
            "The start-up Lumen has unveiled a folding electric scooter that will sell for under 400 \
             pounds. Chief executive Priya Nair said the battery would last for 35 kilometres.",
        ),
    ]
    .into_iter()
    .map(|a| a.names(NAMES).doc)
    .collect()
}

const SAID: &str = "Crews fought the flames for six hours before we could bring them under control";
const WIRE: &str = "A fire destroyed the Harrow Furnishings warehouse on Kirkstall Road in Leeds \
    overnight, after the blaze broke out on Monday evening. West Yorkshire Fire and Rescue Service \
    sent twelve engines to the scene. \"Crews fought the flames for six hours before we could bring \
    them under control,\" said station manager Paul Henshaw. The company employed 40 workers at the \
    site. West Yorkshire Police accused Harrow Furnishings of ignoring repeated fire safety warnings \
    on Monday, and residents nearby were told to keep their windows shut against the smoke.";

/// Four reports of one fire: a wire story, a copy of it, and two independent reports, one of
/// which gives another number of workers and another date for the police's accusation.
fn fire() -> Vec<Document> {
    let wire = Article::new(Some("2023-03-14T08:00:00Z"), "wire.example", "Fire destroys Leeds warehouse", WIRE)
        .names(NAMES)
        .quote(SAID, "Paul Henshaw")
        .amount("twelve engines", 12.0, "engine")
        .amount("40 workers", 40.0, "worker")
        .date("Monday evening", "2023-03-13")
        .event(
            "ACCUSE",
            "West Yorkshire Police",
            "Harrow Furnishings",
            Some("2023-03-13"),
            "West Yorkshire Police accused Harrow Furnishings",
        );
    let copy_text = format!(
        "{WIRE}\n\nSign up to our newsletter for the latest news from Yorkshire.\n\nShare this article: \
         Facebook, Twitter, Email."
    );
    let copy = Article::new(Some("2023-03-14T10:00:00Z"), "copy.example", "Leeds warehouse fire", &copy_text)
        .names(NAMES)
        .quote(SAID, "Paul Henshaw")
        .amount("twelve engines", 12.0, "engine")
        .amount("40 workers", 40.0, "worker")
        .event(
            "ACCUSE",
            "West Yorkshire Police",
            "Harrow Furnishings",
            Some("2023-03-13"),
            "West Yorkshire Police accused Harrow Furnishings",
        );
    let post = Article::new(
        Some("2023-03-15"),
        "post.example",
        "Harrow Furnishings blaze: police blame ignored warnings",
        "Twelve engines were sent to Kirkstall Road in Leeds when fire tore through the Harrow \
         Furnishings warehouse on Sunday night. Its 45 workers, employed there for years, have been \
         sent home. Station manager Paul Henshaw of West Yorkshire Fire and Rescue Service said: \
         \"Crews fought the flames for six hours before we could bring them under control.\" A \
         neighbour, Ruth Oakes, said: \"The sky was orange and the whole street smelt of burning \
         plastic.\" West Yorkshire Police accused Harrow Furnishings of ignoring warnings about \
         blocked fire exits.",
    )
    .names(NAMES)
    .quote(SAID, "Paul Henshaw")
    .quote("The sky was orange and the whole street smelt of burning plastic.", "Ruth Oakes")
    .amount("Twelve engines", 12.0, "engine")
    .amount("45 workers", 45.0, "worker")
    .date("Sunday night", "2023-03-12")
    .event(
        "ACCUSE",
        "West Yorkshire Police",
        "Harrow Furnishings",
        Some("2023-03-12"),
        "West Yorkshire Police accused Harrow Furnishings",
    );
    let gazette = Article::new(
        Some("2023-03-14T06:00:00Z"),
        "gazette.example",
        "Kirkstall Road warehouse lost to fire",
        "Firefighters from West Yorkshire Fire and Rescue Service brought twelve engines to Kirkstall \
         Road, Leeds, where the Harrow Furnishings warehouse was destroyed by fire. \"Crews fought the \
         flames for six hours before we could bring them under control,\" Paul Henshaw told \
         reporters. About 40 workers employed by the firm were told to stay at home while West \
         Yorkshire Police accused Harrow Furnishings of failing its safety checks.",
    )
    .names(NAMES)
    .quote(SAID, "Paul Henshaw")
    .amount("twelve engines", 12.0, "engine")
    .amount("40 workers", 40.0, "worker")
    .event(
        "ACCUSE",
        "West Yorkshire Police",
        "Harrow Furnishings",
        None,
        "West Yorkshire Police accused Harrow Furnishings",
    );
    vec![wire.doc, copy.doc, post.doc, gazette.doc]
}

fn parse<T: serde::de::DeserializeOwned>(v: &[serde_json::Value]) -> Vec<T> {
    v.iter().map(|x| serde_json::from_value(x.clone()).expect("comparison record")).collect()
}

/// Runs the corpus layer over the background and the fire; returns the fire's documents (wire,
/// copy, post, gazette) and story record.
fn fire_story() -> (Vec<Document>, StoryRecord) {
    let mut docs = background();
    docs.extend(fire());
    let stories = assign(&mut docs);
    let fire: Vec<Document> = docs[3..].to_vec();
    let story = fire[0].story.clone().unwrap();
    for d in &fire {
        assert_eq!(d.story.as_deref(), Some(story.as_str()), "{:?}", d.meta.title);
    }
    let record = stories.into_iter().find(|s| s.id == story).unwrap();
    (fire, record)
}

#[test]
fn sources_first_to_report_and_independent_sources_with_a_copy() {
    let (docs, record) = fire_story();
    let (wire, copy, post, gazette) = (&docs[0], &docs[1], &docs[2], &docs[3]);
    assert_eq!(copy.duplicate_of.as_deref(), Some(wire.id.as_str()));
    assert_eq!(record.independent_articles, 3);

    let sources: Vec<Source> = parse(&record.sources);
    let order: Vec<&str> = sources.iter().map(|s| s.article.as_str()).collect();
    // Processing order: by publication time.
    assert_eq!(order, [gazette.id.as_str(), &wire.id, &copy.id, &post.id]);
    assert_eq!(sources[2].copy_of.as_deref(), Some(wire.id.as_str()));
    assert_eq!(sources[2].site.as_deref(), Some("copy.example"));
    assert_eq!(sources[0].published.as_deref(), Some("2023-03-14T06:00:00Z"));
    assert!(sources.iter().filter(|s| s.article != copy.id).all(|s| s.copy_of.is_none()));

    // The gazette published first, though the wire story came first in the input.
    assert_eq!(record.first_reported.as_deref(), Some(gazette.id.as_str()));
    // The copy is collapsed into the wire story.
    assert_eq!(record.independent_sources, [0, 1, 3]);
}

#[test]
fn claims_every_source_shares_and_claims_only_one_makes() {
    let (_, record) = fire_story();
    let claims: Vec<ClaimRecord> = parse(&record.claims);
    let find = |kind: &str, text: &str, value: Option<&str>| -> usize {
        claims
            .iter()
            .position(|c| c.kind == kind && c.text.contains(text) && (value.is_none() || c.value.as_deref() == value))
            .unwrap_or_else(|| panic!("no {kind} claim {text:?} {value:?} in {claims:#?}"))
    };

    // Reported by the wire story (and its copy, which counts once), the post and the gazette.
    let quote = find("quote", "Paul Henshaw: “Crews fought the flames", None);
    let engines = find("amount", "engine", Some("12"));
    let accused = find("event", "ACCUSE West Yorkshire Police → Harrow Furnishings", None);
    for k in [quote, engines, accused] {
        assert_eq!(claims[k].count, 3, "{:?}", claims[k]);
        assert_eq!(claims[k].sources, [0, 1, 3]);
        assert!(record.shared_claims.contains(&k), "{:?}", claims[k]);
        assert!(!record.unique_claims.contains(&k));
    }
    // The sources give the accusation two dates, so the claim has none of its own.
    assert_eq!(claims[accused].value, None);

    let neighbour = find("quote", "Ruth Oakes", None);
    assert_eq!(claims[neighbour].sources, [3]);
    assert!(record.unique_claims.contains(&neighbour));
    assert!(!record.shared_claims.contains(&neighbour));

    // Forty workers (wire, gazette) and forty-five (post) are separate claims, neither shared.
    let forty = find("amount", "worker", Some("40"));
    let forty_five = find("amount", "worker", Some("45"));
    assert_eq!(claims[forty].sources, [0, 1]);
    assert_eq!(claims[forty_five].sources, [3]);
    assert!(!record.shared_claims.contains(&forty));

    // Most reported first.
    assert!(claims.windows(2).all(|w| w[0].count >= w[1].count));
}

#[test]
fn different_numbers_and_dates_for_the_same_thing_disagree() {
    let (_, record) = fire_story();
    let disagreements: Vec<Disagreement> = parse(&record.disagreements);
    let workers = disagreements.iter().find(|d| d.kind == "amount" && d.about.contains("worker")).expect("workers");
    let values: Vec<(&str, &[usize])> = workers.values.iter().map(|v| (v.value.as_str(), &v.sources[..])).collect();
    assert_eq!(values, [("40", &[0, 1][..]), ("45", &[3][..])]);

    let date = disagreements.iter().find(|d| d.kind == "date").expect("a date disagreement");
    assert!(date.about.contains("ACCUSE"), "{date:?}");
    let values: Vec<(&str, &[usize])> = date.values.iter().map(|v| (v.value.as_str(), &v.sources[..])).collect();
    assert_eq!(values, [("2023-03-13", &[1][..]), ("2023-03-12", &[3][..])]);

    // Twelve engines everywhere: no disagreement about them.
    assert!(!disagreements.iter().any(|d| d.about.contains("engine")));
}

#[test]
fn timeline_is_in_date_order_with_publications_and_named_dates() {
    let (_, record) = fire_story();
    let timeline: Vec<TimelineItem> = parse(&record.timeline);
    assert!(timeline.windows(2).all(|w| w[0].date <= w[1].date), "{timeline:#?}");
    let item = |date: &str, kind: &str| timeline.iter().find(|t| t.date == date && t.kind == kind);
    let published = item("2023-03-14", "published").expect("publications of the 14th");
    // Gazette, wire and copy were published that day.
    assert_eq!(published.sources, [0, 1, 2]);
    assert_eq!(published.text, "Kirkstall Road warehouse lost to fire");
    assert_eq!(item("2023-03-15", "published").unwrap().sources, [3]);
    // Dated events and named dates come from independent sources only: not from the copy.
    let accused = item("2023-03-13", "event").expect("the wire's date of the accusation");
    assert!(accused.text.starts_with("ACCUSE West Yorkshire Police"), "{accused:?}");
    assert_eq!(accused.sources, [1]);
    assert_eq!(item("2023-03-12", "event").unwrap().sources, [3]);
    assert_eq!(timeline[0].date, "2023-03-12");
}

#[test]
fn a_story_of_one_article_compares_nothing_but_lists_itself() {
    let mut docs = background();
    let stories = assign(&mut docs);
    for s in &stories {
        let sources: Vec<Source> = parse(&s.sources);
        assert_eq!(sources.len(), 1);
        assert_eq!(s.independent_sources, [0]);
        assert_eq!(s.first_reported.as_deref(), Some(s.articles[0].as_str()));
        assert!(s.shared_claims.is_empty() && s.unique_claims.is_empty() && s.disagreements.is_empty());
    }
}

#[test]
fn story_records_round_trip_through_json() {
    let (_, record) = fire_story();
    let line = serde_json::to_string(&record).unwrap();
    let back: StoryRecord = serde_json::from_str(&line).unwrap();
    assert_eq!(back, record);
    // Older records, without the comparison, still read.
    let old = r#"{"kind":"story","id":"story-1","title":"T","articles":["1"],"sites":[],"entities":[],
                  "first_published":null,"independent_articles":1}"#;
    let old: StoryRecord = serde_json::from_str(old).unwrap();
    assert!(old.sources.is_empty() && old.claims.is_empty());
}

#[test]
fn copy_detection_alone_over_plain_texts() {
    let cfg = Config::default();
    let other = "Marcus Webb scored in stoppage time as Ashford United beat their relegation rivals \
                 on Saturday to climb off the foot of the table, and the manager praised his players.";
    let lightly_edited = WIRE.replace("overnight", "during the night").replace("sent", "dispatched");
    let texts = [WIRE, other, lightly_edited.as_str(), "Too short."];
    assert_eq!(find_copies(texts, &cfg), [None, None, Some(0), None]);
}
