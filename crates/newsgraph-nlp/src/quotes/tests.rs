use crate::pipeline::Annotator;
use crate::segment::Sentences;
use newsgraph_doc::{Document, Meta, QuoteKind};

fn run(text: &str) -> Document {
    let mut d = Document::new(Meta::default(), text.to_string(), vec![]);
    Sentences.annotate(&mut d);
    crate::entities::EntityTagger::standard().annotate(&mut d);
    super::QuoteTagger.annotate(&mut d);
    d
}

/// (text, kind, speaker name)
fn quotes(d: &Document) -> Vec<(String, QuoteKind, Option<String>)> {
    d.quotes
        .iter()
        .map(|q| (d.slice(q.span).to_string(), q.kind, q.speaker.map(|s| d.entities[s].name.clone())))
        .collect()
}

fn has(d: &Document, text: &str, kind: QuoteKind, speaker: Option<&str>) -> bool {
    quotes(d).iter().any(|(t, k, s)| t == text && *k == kind && s.as_deref() == speaker)
}

#[test]
fn cue_after_the_quote() {
    let d = run("\"We will not give in,\" said Maria Lind. “It is over,” Jonas Berg told reporters.");
    assert!(has(&d, "We will not give in", QuoteKind::Direct, Some("Maria Lind")), "{:?}", quotes(&d));
    assert!(has(&d, "It is over", QuoteKind::Direct, Some("Jonas Berg")), "{:?}", quotes(&d));
}

#[test]
fn colon_then_dash() {
    let d = run("Vladimir Putin said: – We really appreciate your support.");
    assert!(
        has(&d, "We really appreciate your support.", QuoteKind::Direct, Some("Vladimir Putin")),
        "{:?}",
        quotes(&d)
    );
}

#[test]
fn dash_led_paragraphs_belong_to_the_interviewee_and_questions_to_nobody() {
    let text = "Speaking to Radio Nord, senior researcher Tor Lien said he believed the visit was symbolic.\n\n\
-The leader of a major power must travel. It looks bad otherwise.\n\n\
Do you think they will ask for something in return?\n\n\
– Of course, they might want something.\n\n\
– Does the West have anything to fear?\n\n\
No, the West has nothing in particular to fear.";
    let d = run(text);
    let q = quotes(&d);
    assert!(has(&d, "the visit was symbolic", QuoteKind::Indirect, Some("Tor Lien")), "{q:?}");
    assert!(
        has(
            &d,
            "The leader of a major power must travel. It looks bad otherwise.",
            QuoteKind::Direct,
            Some("Tor Lien")
        ),
        "{q:?}"
    );
    assert!(has(&d, "Of course, they might want something.", QuoteKind::Direct, Some("Tor Lien")), "{q:?}");
    assert!(has(&d, "No, the West has nothing in particular to fear.", QuoteKind::Direct, Some("Tor Lien")), "{q:?}");
    assert!(!q.iter().any(|(t, _, _)| t.contains('?')), "questions are nobody's quotation: {q:?}");
}

#[test]
fn indirect_forms() {
    let d =
        run("NATO Secretary General Jens Stoltenberg said on Tuesday that the alliance is concerned about missiles. \
He points out that travel options are limited. \
North Korea may ask Russia for help in space technology, Dr. Nam predicts. \
According to NTB, the two countries are expected to sign a treaty.");
    let q = quotes(&d);
    assert!(
        has(&d, "the alliance is concerned about missiles", QuoteKind::Indirect, Some("Jens Stoltenberg")),
        "{q:?}"
    );
    assert!(
        q.iter().any(|(t, k, s)| t.starts_with("North Korea may ask Russia")
            && *k == QuoteKind::Indirect
            && s.as_deref().is_some_and(|s| s.contains("Nam"))),
        "{q:?}"
    );
    assert!(has(&d, "the two countries are expected to sign a treaty", QuoteKind::Indirect, Some("NTB")), "{q:?}");
    assert!(has(&d, "travel options are limited", QuoteKind::Indirect, Some("Jens Stoltenberg")), "{q:?}");
}

#[test]
fn partial_and_scare_quotes() {
    let d = run("Vladimir Putin thanked his hosts for their \"firm support\" of Russia. The country needs \"hard currency\" from abroad.");
    assert!(has(&d, "firm support", QuoteKind::Direct, Some("Vladimir Putin")), "{:?}", quotes(&d));
    assert!(has(&d, "hard currency", QuoteKind::Direct, None), "{:?}", quotes(&d));
}

#[test]
fn capital_as_speaker() {
    let d = run(
        "Moscow said more than 400 tourists traveled to North Korea in May, and several agencies are offering tours.",
    );
    assert!(
        has(&d, "more than 400 tourists traveled to North Korea in May", QuoteKind::Indirect, Some("Russia")),
        "{:?}",
        quotes(&d)
    );
}

#[test]
fn unbalanced_mark_stays_in_its_paragraph() {
    let d = run("\"If this holds, progress has been made, analysts believe.\n\nThe next paragraph is plain narration.");
    let q = quotes(&d);
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!(q[0].0, "If this holds, progress has been made");
}

#[test]
fn no_speaker_rather_than_a_wrong_one() {
    let d = run("Many analysts said the talks would fail. The agencies state that tours are popular.");
    assert!(d.quotes.iter().all(|q| q.speaker.is_none()), "{:?}", quotes(&d));
}

#[test]
fn according_to_skips_the_appositive() {
    let d = run("According to Lena Marsh, head of the River Council, which mediated the talks, the two delegations nearly walked out.");
    assert!(
        has(&d, "the two delegations nearly walked out", QuoteKind::Indirect, Some("Lena Marsh")),
        "{:?}",
        quotes(&d)
    );
}
