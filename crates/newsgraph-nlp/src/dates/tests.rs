use super::DateTagger;
use crate::pipeline::Annotator;
use newsgraph_doc::{Document, Meta};

/// Runs segmentation and the date tagger; returns each date's text and value.
fn dates_with(text: &str, published: Option<&str>) -> Vec<(String, Option<String>)> {
    let meta = Meta { published: published.map(str::to_string), ..Meta::default() };
    let mut doc = Document::new(meta, text.to_string(), vec![]);
    crate::segment::Sentences.annotate(&mut doc);
    DateTagger.annotate(&mut doc);
    doc.dates.iter().map(|d| (doc.slice(d.span).to_string(), d.value.clone())).collect()
}

fn dates(text: &str) -> Vec<(String, Option<String>)> {
    dates_with(text, None)
}

fn pairs(v: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    v.iter().map(|(t, d)| (t.to_string(), d.map(str::to_string))).collect()
}

fn values(text: &str, published: Option<&str>) -> Vec<Option<String>> {
    dates_with(text, published).into_iter().map(|(_, v)| v).collect()
}

// --- absolute dates -------------------------------------------------------------------------

#[test]
fn month_and_year() {
    assert_eq!(
        dates("Russia launched a full-scale war against Ukraine in February 2022."),
        pairs(&[("February 2022", Some("2022-02"))])
    );
    assert_eq!(dates("It was agreed in May of 2019."), pairs(&[("May of 2019", Some("2019-05"))]));
}

#[test]
fn day_month_year_in_both_orders() {
    assert_eq!(dates("The vote is set for June 6, 2024."), pairs(&[("June 6, 2024", Some("2024-06-06"))]));
    assert_eq!(dates("The vote was held on 6 June 2024."), pairs(&[("6 June 2024", Some("2024-06-06"))]));
    assert_eq!(dates("It ended on the 6th of June 2024."), pairs(&[("6th of June 2024", Some("2024-06-06"))]));
    assert_eq!(dates("Talks ended on Sept. 14th, 2023."), pairs(&[("Sept. 14th, 2023", Some("2023-09-14"))]));
    assert_eq!(dates("Filed on Jan 5 2021 in court."), pairs(&[("Jan 5 2021", Some("2021-01-05"))]));
}

#[test]
fn numeric_dates() {
    assert_eq!(dates("Published 05.03.2025 21:14"), pairs(&[("05.03.2025", Some("2025-03-05"))]));
    assert_eq!(dates("The law took effect on 6.6.2024."), pairs(&[("6.6.2024", Some("2024-06-06"))]));
    assert_eq!(dates("Filed 2024-06-06T10:00:00Z."), pairs(&[("2024-06-06", Some("2024-06-06"))]));
    assert_eq!(dates("Released 2024/06/06."), pairs(&[("2024/06/06", Some("2024-06-06"))]));
}

#[test]
fn slashed_dates_follow_the_article() {
    assert_eq!(
        values("Signed 25/12/2024 and ratified 03/04/2025.", None),
        [Some("2024-12-25".into()), Some("2025-04-03".into())]
    );
    assert_eq!(
        values("Signed 12/25/2024 and ratified 03/04/2025.", None),
        [Some("2024-12-25".into()), Some("2025-03-04".into())]
    );
    assert_eq!(values("Ratified 03/04/2025.", None), [Some("2025-04-03".into())]);
}

#[test]
fn bare_years_after_cues() {
    assert_eq!(
        dates("When Putin last visited North Korea in 2000, Kim Jong Il was in power."),
        pairs(&[("2000", Some("2000"))])
    );
    assert_eq!(dates("The border has been closed since 2014."), pairs(&[("2014", Some("2014"))]));
    assert_eq!(dates("2022 was a hard year."), pairs(&[("2022", Some("2022"))]));
    assert_eq!(dates("The 2024 election changed little."), pairs(&[("2024", Some("2024"))]));
    assert_eq!(dates("The 2022 elections changed little."), pairs(&[("2022", Some("2022"))]));
    assert_eq!(dates("Putin's 2000 visit was short."), pairs(&[("2000", Some("2000"))]));
    assert_eq!(dates("A law passed in 2011 aims to cut prices."), pairs(&[("2011", Some("2011"))]));
    assert_eq!(dates("Sales for fiscal year 2019 grew."), pairs(&[("2019", Some("2019"))]));
    assert_eq!(
        dates("It changed after the September 11, 2001 attacks."),
        pairs(&[("September 11, 2001", Some("2001-09-11"))])
    );
    assert_eq!(dates("The plan runs until 2030."), pairs(&[("2030", Some("2030"))]));
}

#[test]
fn counts_are_not_years() {
    assert!(dates("The army sent 2000 troops to the border.").is_empty());
    assert!(dates("In the north, 2000 troops arrived.").is_empty());
    assert!(dates("A crowd of 2000 people gathered.").is_empty());
    assert!(dates("It cost $2000 to fix.").is_empty());
    assert!(dates("Prices rose 2000% in a year.").is_empty());
    assert!(dates("Fans came for Euro 2024 in Germany.").is_empty());
    assert!(dates("Some 1950 people signed.").is_empty());
}

#[test]
fn not_dates_at_all() {
    assert!(dates("The Covid-19 pandemic closed the border.").is_empty());
    assert!(dates("The war has lasted for 846 days.").is_empty());
    assert!(dates("His first visit to the country in 24 years.").is_empty());
    assert!(dates("Trains resumed for the first time in nearly four years.").is_empty());
    assert!(dates("The meeting began at 18:42 local time.").is_empty());
    assert!(dates("North Korea may ask Russia for help.").is_empty());
    assert!(dates("Thousands march on the capital.").is_empty());
    assert!(dates("Former prime minister Theresa May spoke.").is_empty());
    assert!(dates("A woman in her 90s was rescued.").is_empty());
    assert!(dates("It rose by 12 percent.").is_empty());
}

#[test]
fn ranges_inherit_the_year() {
    assert_eq!(
        dates("More than 400 tourists traveled between February and May 2024."),
        pairs(&[("February", Some("2024-02")), ("May 2024", Some("2024-05"))])
    );
    assert_eq!(
        dates("The talks ran on March 3–6, 2025 in Budapest."),
        pairs(&[("March 3", Some("2025-03-03")), ("6, 2025", Some("2025-03-06"))])
    );
    assert_eq!(
        dates("The festival runs from 3 to 6 March 2025."),
        pairs(&[("3", Some("2025-03-03")), ("6 March 2025", Some("2025-03-06"))])
    );
    assert_eq!(
        dates("Sales fell in January, February and March 2023."),
        pairs(&[("January", Some("2023-01")), ("February", Some("2023-02")), ("March 2023", Some("2023-03"))])
    );
    assert_eq!(
        dates("The season lasts from November 2023 to February."),
        pairs(&[("November 2023", Some("2023-11")), ("February", Some("2024-02"))])
    );
    assert_eq!(dates("Data for 2019-2023 show a fall."), pairs(&[("2019", Some("2019")), ("2023", Some("2023"))]));
    assert_eq!(dates("Figures: 2019–2023."), pairs(&[("2019", Some("2019")), ("2023", Some("2023"))]));
    assert_eq!(dates("between 2000 and 2005"), pairs(&[("2000", Some("2000")), ("2005", Some("2005"))]));
}

#[test]
fn modifiers_belong_to_the_date() {
    assert_eq!(dates("Growth slowed in mid-2023."), pairs(&[("mid-2023", Some("2023"))]));
    assert_eq!(dates("Growth slowed in early 2023."), pairs(&[("early 2023", Some("2023"))]));
    assert_eq!(dates("It is due by the end of 2026."), pairs(&[("the end of 2026", Some("2026"))]));
    assert_eq!(dates("It opens before the summer of 2026."), pairs(&[("the summer of 2026", Some("2026"))]));
    assert_eq!(dates("It opens in summer 2026."), pairs(&[("summer 2026", Some("2026"))]));
    assert_eq!(dates_with("It rained in late March.", Some("2024-06-01")), pairs(&[("late March", Some("2024-03"))]));
}

#[test]
fn decades() {
    assert_eq!(dates("Trade collapsed in the 1990s."), pairs(&[("1990s", Some("199"))]));
    assert_eq!(dates("A hit of the '80s."), pairs(&[("'80s", Some("198"))]));
    assert_eq!(dates("Music from the 70s."), pairs(&[("70s", Some("197"))]));
}

// --- years inferred from the article --------------------------------------------------------

#[test]
fn day_and_month_take_the_year_written_with_a_month() {
    let text = "Passenger trains resumed on June 6, for the first time in nearly four years. \
                Tourists came between February and May 2024.";
    assert_eq!(
        dates(text),
        pairs(&[("June 6", Some("2024-06-06")), ("February", Some("2024-02")), ("May 2024", Some("2024-05"))])
    );
}

#[test]
fn lone_month_takes_the_reference_year() {
    let text = "After the failed launch of a satellite in May, the North may ask for help. \
                Tourists came in May 2024.";
    assert_eq!(dates(text), pairs(&[("May", Some("2024-05")), ("May 2024", Some("2024-05"))]));
}

#[test]
fn lone_month_follows_the_tense() {
    let p = Some("2025-03-05");
    assert_eq!(values("The dam collapsed in November.", p), [Some("2024-11".into())]);
    assert_eq!(values("The dam will open in November.", p), [Some("2025-11".into())]);
    assert_eq!(values("The dam will open in January.", p), [Some("2026-01".into())]);
    assert_eq!(values("Rain fell in February.", p), [Some("2025-02".into())]);
    assert_eq!(values("Last May was dry.", p), [Some("2024-05".into())]);
    assert_eq!(values("Next February will be dry.", p), [Some("2026-02".into())]);
    assert_eq!(values("The vote happens this June.", p), [Some("2025-06".into())]);
}

#[test]
fn day_month_follows_the_tense() {
    let p = Some("2025-01-10");
    assert_eq!(values("Elections were held on December 15.", p), [Some("2024-12-15".into())]);
    assert_eq!(values("The new parliament will meet on January 20.", p), [Some("2025-01-20".into())]);
    assert_eq!(values("Talks started on January 3.", p), [Some("2025-01-03".into())]);
    // a date just after publication stays in the year, whatever the verbs say
    assert_eq!(values("Talks started on January 12.", p), [Some("2025-01-12".into())]);
    assert_eq!(values("Parliament votes on 6 March.", p), [Some("2025-03-06".into())]);
}

#[test]
fn publication_date_wins_over_text() {
    assert_eq!(
        values("In May, tourists came. The 2024 season was long.", Some("2023-08-01")),
        [Some("2023-05".into()), Some("2024".into())]
    );
}

#[test]
fn latest_full_date_is_the_reference_without_publication() {
    let text = "Published March 6, 2025, 18:42. The deal was signed on Thursday. She arrived on Monday.";
    assert_eq!(
        dates(text),
        pairs(&[
            ("March 6, 2025", Some("2025-03-06")),
            ("Thursday", Some("2025-03-06")),
            ("Monday", Some("2025-03-03"))
        ])
    );
}

// --- relative dates --------------------------------------------------------------------------

#[test]
fn weekdays_without_reference_have_no_value() {
    let text = "On Tuesday evening, Norwegian time, Putin was in North Korea. \
                Stoltenberg said on Tuesday that the alliance is concerned. \
                On Wednesday morning, Putin thanked Kim.";
    assert_eq!(dates(text), pairs(&[("Tuesday evening", None), ("Tuesday", None), ("Wednesday morning", None)]));
}

#[test]
fn weekdays_resolve_by_tense() {
    // 2025-03-05 is a Wednesday
    let p = Some("2025-03-05");
    let text = "Đurović, who arrived in Budapest on Monday, is due to return to Belgrade on Friday.";
    assert_eq!(dates_with(text, p), pairs(&[("Monday", Some("2025-03-03")), ("Friday", Some("2025-03-07"))]));
    assert_eq!(values("The fund confirmed it on Wednesday.", p), [Some("2025-03-05".into())]);
    assert_eq!(values("They met last Tuesday.", p), [Some("2025-03-04".into())]);
    assert_eq!(values("They meet next Tuesday.", p), [Some("2025-03-11".into())]);
    assert_eq!(values("Voting takes place on Sunday.", p), [Some("2025-03-09".into())]);
    assert_eq!(values("A wake will be held from 5 to 8 p.m. Tuesday at the church.", p), [Some("2025-03-11".into())]);
    assert_eq!(dates_with("They met last Tuesday.", p)[0].0, "last Tuesday");
}

#[test]
fn weekday_with_a_date_is_one_expression() {
    assert_eq!(
        dates("The talks end with a signing on Thursday 6 March 2025."),
        pairs(&[("Thursday 6 March 2025", Some("2025-03-06"))])
    );
    assert_eq!(
        dates_with("It ends on Thursday, March 6.", Some("2025-03-05")),
        pairs(&[("Thursday, March 6", Some("2025-03-06"))])
    );
}

#[test]
fn days_weeks_months_years_from_the_reference() {
    let p = Some("2025-03-05");
    let v = |t: &str| values(t, p);
    assert_eq!(v("It happened yesterday."), [Some("2025-03-04".into())]);
    assert_eq!(v("It happens today."), [Some("2025-03-05".into())]);
    assert_eq!(v("It happens tomorrow morning."), [Some("2025-03-06".into())]);
    assert_eq!(v("It happened the day before yesterday."), [Some("2025-03-03".into())]);
    assert_eq!(v("It happened last night."), [Some("2025-03-04".into())]);
    // last week ran from Monday 24 February to Sunday 2 March
    assert_eq!(v("It happened last week."), [Some("2025".into())]);
    assert_eq!(values("It happened last week.", Some("2025-03-12")), [Some("2025-03".into())]);
    assert_eq!(v("It happens next week."), [Some("2025-03".into())]);
    assert_eq!(v("It happened last month."), [Some("2025-02".into())]);
    assert_eq!(v("It happens next month."), [Some("2025-04".into())]);
    assert_eq!(v("Last year's drought was bad."), [Some("2024".into())]);
    assert_eq!(v("It happens next year."), [Some("2026".into())]);
    assert_eq!(v("Prices rose earlier this year."), [Some("2025".into())]);
    assert_eq!(v("It happened three years ago."), [Some("2022".into())]);
    assert_eq!(v("It happened 2 days ago."), [Some("2025-03-03".into())]);
    assert_eq!(v("It happened a month ago."), [Some("2025-02".into())]);
    assert_eq!(v("They protested at the weekend."), [Some("2025-03".into())]);
    assert_eq!(v("It happened last summer."), [Some("2024".into())]);
    assert_eq!(dates_with("Prices rose earlier this year.", p)[0].0, "earlier this year");
}

#[test]
fn spans_of_durations_are_not_relative_dates() {
    let p = Some("2025-03-05");
    assert!(dates_with("Prices rose over the last year.", p).is_empty());
    assert!(dates_with("Over the next month, talks go on.", p).is_empty());
}

#[test]
fn last_year_with_only_a_year() {
    let text = "The drought of last year hit hard. Exports grew in May 2024.";
    assert_eq!(dates(text), pairs(&[("last year", Some("2023")), ("May 2024", Some("2024-05"))]));
    assert_eq!(values("The drought of last year hit hard.", None), [None]);
    assert_eq!(values("The drought of last year hit hard.", Some("2024")), [Some("2023".into())]);
}

#[test]
fn names_are_not_relative_dates() {
    assert!(dates("He told USA Today the plan failed.").is_empty());
    assert!(dates("Mondays are quiet.").is_empty());
    assert!(dates_with("Shops opened early for Black Friday.", Some("2019-11-20")).is_empty());
    assert!(dates_with("Biden won Super Tuesday.", Some("2020-03-05")).is_empty());
    assert!(dates_with("Lights shine on the last weekend of the festival.", Some("2020-03-05")).is_empty());
}

// --- a whole article ------------------------------------------------------------------------

#[test]
fn article_with_mixed_dates() {
    let text = "BUDAPEST — Serbia and Hungary signed an agreement on Thursday.\n\n\
                The deal was signed on March 6, 2025 by the two ministers. Last year's drought cut the harvest.\n\n\
                The two delegations came close to walking out on Tuesday night. Then on Wednesday the engineers took over.\n\n\
                She will present the agreement next week. Parliament votes before the summer recess.";
    let got = dates(text);
    assert_eq!(
        got,
        pairs(&[
            ("Thursday", Some("2025-03-06")),
            ("March 6, 2025", Some("2025-03-06")),
            ("Last year", Some("2024")),
            ("Tuesday night", Some("2025-03-04")),
            ("Wednesday", Some("2025-03-05")),
            ("next week", Some("2025-03")),
        ])
    );
}

#[test]
fn empty_and_odd_input() {
    assert!(dates("").is_empty());
    assert!(dates("2024").len() == 1);
    assert!(dates("May").is_empty());
    assert!(dates("June 31 is not a day.").is_empty());
    assert!(dates("— – -").is_empty());
}
