use super::AmountTagger;
use crate::dates::DateTagger;
use crate::pipeline::Annotator;
use newsgraph_doc::{Document, Meta};

/// One amount as (text, value, unit, approx).
type Row = (String, f64, Option<String>, Option<String>);

/// Runs segmentation, dates and amounts, as the pipeline does.
fn amounts(text: &str) -> Vec<Row> {
    let mut doc = Document::new(Meta::default(), text.to_string(), vec![]);
    crate::segment::Sentences.annotate(&mut doc);
    DateTagger.annotate(&mut doc);
    AmountTagger.annotate(&mut doc);
    doc.amounts.iter().map(|a| (doc.slice(a.span).to_string(), a.value, a.unit.clone(), a.approx.clone())).collect()
}

fn row(text: &str, value: f64, unit: Option<&str>, approx: Option<&str>) -> Row {
    (text.to_string(), value, unit.map(str::to_string), approx.map(str::to_string))
}

fn one(text: &str) -> Row {
    let got = amounts(text);
    assert_eq!(got.len(), 1, "{text}: {got:?}");
    got.into_iter().next().unwrap()
}

// --- counts -----------------------------------------------------------------------------------

#[test]
fn counted_nouns_with_adjectives_and_approximation() {
    assert_eq!(
        one("Moscow said more than 400 Russian tourists traveled to North Korea."),
        row("more than 400 Russian tourists", 400.0, Some("tourist"), Some("more than"))
    );
    assert_eq!(
        one("They will build 42 new gauging stations."),
        row("42 new gauging stations", 42.0, Some("station"), None)
    );
    assert_eq!(
        one("It was designed by more than 300 engineers from both countries."),
        row("more than 300 engineers", 300.0, Some("engineer"), Some("more than"))
    );
    assert_eq!(one("The 27 EU member states agreed."), row("27 EU member states", 27.0, Some("state"), None));
    assert_eq!(one("Police said 2.400 people marched."), row("2.400 people", 2400.0, Some("people"), None));
    assert_eq!(
        one("About 2,000 farmers drove to Szeged."),
        row("About 2,000 farmers", 2000.0, Some("farmer"), Some("about"))
    );
    assert_eq!(
        one("Some 1,200 people were evacuated."),
        row("Some 1,200 people", 1200.0, Some("people"), Some("some"))
    );
    assert_eq!(one("The fire destroyed 12 houses."), row("12 houses", 12.0, Some("house"), None));
    assert_eq!(one("The army sent 2000 troops."), row("2000 troops", 2000.0, Some("troop"), None));
    assert_eq!(one("Police arrested 3 men."), row("3 men", 3.0, Some("man"), None));
    assert_eq!(one("Officials counted 400 Russians."), row("400 Russians", 400.0, Some("russian"), None));
    assert_eq!(
        one("More than 600,000 Israelis live there."),
        row("More than 600,000 Israelis", 600_000.0, Some("israeli"), Some("more than"))
    );
    assert_eq!(
        one("Some 200 U.S. military personnel left."),
        row("Some 200 U.S. military personnel", 200.0, Some("personnel"), Some("some"))
    );
    assert_eq!(
        one("Roughly 13,000 US troops remain."),
        row("Roughly 13,000 US troops", 13_000.0, Some("troop"), Some("roughly"))
    );
    assert_eq!(one("Eat 1 medium apple daily."), row("1 medium apple", 1.0, Some("apple"), None));
    assert!(amounts("He scored five despite two solid performances.").is_empty());
}

#[test]
fn approximations() {
    for (cue, text) in [
        ("nearly", "nearly 50 villages"),
        ("almost", "almost 50 villages"),
        ("around", "around 50 villages"),
        ("over", "over 50 villages"),
        ("up to", "up to 50 villages"),
        ("at least", "at least 50 villages"),
        ("less than", "less than 50 villages"),
        ("fewer than", "fewer than 50 villages"),
        ("roughly", "roughly 50 villages"),
        ("approximately", "approximately 50 villages"),
        ("an estimated", "an estimated 50 villages"),
        ("no more than", "no more than 50 villages"),
    ] {
        let got = one(&format!("The flood hit {text} in the valley."));
        assert_eq!(got, row(text, 50.0, Some("village"), Some(cue)), "{text}");
    }
    assert_eq!(one("It hit 50 villages or more."), row("50 villages or more", 50.0, Some("village"), Some("or more")));
}

#[test]
fn number_words() {
    assert_eq!(one("Three reasons why Putin is visiting."), row("Three reasons", 3.0, Some("reason"), None));
    assert_eq!(one("For twenty years they argued."), row("twenty years", 20.0, Some("year"), None));
    assert_eq!(one("There were twenty-five candidates."), row("twenty-five candidates", 25.0, Some("candidate"), None));
    assert_eq!(one("A dozen ships sank."), row("A dozen ships", 12.0, Some("ship"), None));
    assert_eq!(one("Half a million people fled."), row("Half a million people", 500_000.0, Some("people"), None));
    assert_eq!(one("Two million people fled."), row("Two million people", 2_000_000.0, Some("people"), None));
    assert_eq!(one("She spent three hundred days there."), row("three hundred days", 300.0, Some("day"), None));
    assert_eq!(one("He served five-and-a-half years."), row("five-and-a-half years", 5.5, Some("year"), None));
    assert_eq!(
        one("The universe formed over a 13.8-billion-year period."),
        row("13.8-billion-year period", 13.8e9, Some("year"), None)
    );
}

#[test]
fn small_number_words_need_a_measure() {
    assert!(amounts("The two countries signed a treaty.").is_empty());
    assert!(amounts("The two leaders met.").is_empty());
    assert!(amounts("One thing is certain.").is_empty());
    assert!(amounts("It is one of the largest ports.").is_empty());
    assert!(amounts("One day, he said, they would return.").is_empty());
    assert!(amounts("At two in the morning we had a text.").is_empty());
    assert!(amounts("No one came.").is_empty());
    assert_eq!(one("The talks lasted two days."), row("two days", 2.0, Some("day"), None));
    assert_eq!(one("He was jailed for one year."), row("one year", 1.0, Some("year"), None));
    assert_eq!(one("It rose two percent."), row("two percent", 2.0, Some("percent"), None));
    // digits count even when small
    assert_eq!(one("Only 2 countries objected."), row("2 countries", 2.0, Some("country"), None));
}

// --- durations --------------------------------------------------------------------------------

#[test]
fn durations() {
    assert_eq!(one("His first visit to the country in 24 years."), row("24 years", 24.0, Some("year"), None));
    assert_eq!(one("The war has lasted for 846 days."), row("846 days", 846.0, Some("day"), None));
    assert_eq!(
        one("Trains resumed for the first time in nearly four years."),
        row("nearly four years", 4.0, Some("year"), Some("nearly"))
    );
    assert_eq!(
        one("The war drags on for more than two and a half years."),
        row("more than two and a half years", 2.5, Some("year"), Some("more than"))
    );
    assert_eq!(one("He spent three long years abroad."), row("three long years", 3.0, Some("year"), None));
    assert_eq!(one("She waited 45 minutes."), row("45 minutes", 45.0, Some("minute"), None));
}

#[test]
fn hyphenated_units() {
    assert_eq!(one("The four-day talks ended."), row("four-day talks", 4.0, Some("day"), None));
    assert_eq!(
        one("The 47-year-old hydrologist leads the team."),
        row("47-year-old hydrologist", 47.0, Some("year"), None)
    );
    assert_eq!(one("He got a 10-year sentence."), row("10-year sentence", 10.0, Some("year"), None));
    assert_eq!(one("A 15-member board decides."), row("15-member board", 15.0, Some("member"), None));
    assert!(amounts("Two-thirds of voters agreed.").is_empty());
    assert!(amounts("It was a one-off payment.").is_empty());
    assert!(amounts("They back a two-state solution.").is_empty());
}

// --- ranges -----------------------------------------------------------------------------------

#[test]
fn ranges_keep_the_low_end() {
    assert_eq!(
        one("Agencies offer four- or five-day tours to North Korea."),
        row("four- or five-day tours", 4.0, Some("day"), None)
    );
    assert_eq!(one("Groups of 10 to 15 people met."), row("10 to 15 people", 10.0, Some("people"), None));
    assert_eq!(one("Groups of 10-15 people met."), row("10-15 people", 10.0, Some("people"), None));
    assert_eq!(one("Between 10 and 15 people met."), row("Between 10 and 15 people", 10.0, Some("people"), None));
    assert_eq!(one("It costs $5-10 million."), row("$5-10 million", 5_000_000.0, Some("USD"), None));
    assert_eq!(one("It takes two or three weeks."), row("two or three weeks", 2.0, Some("week"), None));
}

#[test]
fn changes_are_two_amounts() {
    assert_eq!(
        amounts("Inflation rose from 5% to 7%."),
        vec![row("5%", 5.0, Some("percent"), None), row("7%", 7.0, Some("percent"), None)]
    );
}

// --- money ------------------------------------------------------------------------------------

#[test]
fn money_with_signs() {
    assert_eq!(one("Tours cost $750 on their websites."), row("$750", 750.0, Some("USD"), None));
    assert_eq!(one("The EU gave €2 million."), row("€2 million", 2_000_000.0, Some("EUR"), None));
    assert_eq!(one("It cost about €18 million."), row("about €18 million", 18_000_000.0, Some("EUR"), Some("about")));
    assert_eq!(one("Norway pledged $2.4 million."), row("$2.4 million", 2_400_000.0, Some("USD"), None));
    assert_eq!(one("The plan costs €120m."), row("€120m", 120_000_000.0, Some("EUR"), None));
    assert_eq!(one("They lost $3.5bn."), row("$3.5bn", 3_500_000_000.0, Some("USD"), None));
    assert_eq!(one("Tickets cost £45."), row("£45", 45.0, Some("GBP"), None));
    assert_eq!(one("It fetched ¥300,000."), row("¥300,000", 300_000.0, Some("JPY"), None));
    assert_eq!(one("He paid US$500."), row("US$500", 500.0, Some("USD"), None));
    assert_eq!(one("Prices hit C$40."), row("C$40", 40.0, Some("CAD"), None));
    assert_eq!(one("A fine of NOK 500,000 was set."), row("NOK 500,000", 500_000.0, Some("NOK"), None));
    assert_eq!(one("The price is 500 NOK."), row("500 NOK", 500.0, Some("NOK"), None));
}

#[test]
fn money_in_words() {
    assert_eq!(one("It cost 1.5 billion dollars."), row("1.5 billion dollars", 1.5e9, Some("USD"), None));
    assert_eq!(one("It cost 3 million euros."), row("3 million euros", 3e6, Some("EUR"), None));
    assert_eq!(one("It cost 10 million rubles."), row("10 million rubles", 1e7, Some("RUB"), None));
    assert_eq!(one("It cost 10 million roubles."), row("10 million roubles", 1e7, Some("RUB"), None));
    assert_eq!(one("It cost 500 billion won."), row("500 billion won", 5e11, Some("KRW"), None));
    assert_eq!(one("It cost 3 billion yuan."), row("3 billion yuan", 3e9, Some("CNY"), None));
    assert_eq!(one("It cost 200 million kroner."), row("200 million kroner", 2e8, Some("NOK"), None));
    assert_eq!(one("It cost 40 Canadian dollars."), row("40 Canadian dollars", 40.0, Some("CAD"), None));
    assert_eq!(one("It cost 300 pounds."), row("300 pounds", 300.0, Some("GBP"), None));
    assert_eq!(one("It cost two million euros."), row("two million euros", 2e6, Some("EUR"), None));
}

#[test]
fn won_is_also_a_verb() {
    assert!(amounts("The team won the cup.").is_empty());
    assert_eq!(one("The party won 12 seats."), row("12 seats", 12.0, Some("seat"), None));
}

// --- percentages and measures ---------------------------------------------------------------------

#[test]
fn percentages() {
    assert_eq!(one("Prices rose 12% last year."), row("12%", 12.0, Some("percent"), None));
    assert_eq!(one("Prices rose 12 percent."), row("12 percent", 12.0, Some("percent"), None));
    assert_eq!(one("Prices rose 12.5 per cent."), row("12.5 per cent", 12.5, Some("percent"), None));
    assert_eq!(one("Rates rose 2 percentage points."), row("2 percentage points", 2.0, Some("percentage point"), None));
    assert_eq!(one("The yield rose to 2.252%."), row("2.252%", 2.252, Some("percent"), None));
}

#[test]
fn measures() {
    assert_eq!(
        one("It guarantees 120 cubic metres per second at the border."),
        row("120 cubic metres per second", 120.0, Some("cubic metre per second"), None)
    );
    assert_eq!(one("The road is 10km long."), row("10km", 10.0, Some("km"), None));
    assert_eq!(one("The road is 10 kilometres long."), row("10 kilometres", 10.0, Some("kilometre"), None));
    assert_eq!(one("They caught 1,200 tonnes of cod."), row("1,200 tonnes", 1200.0, Some("tonne"), None));
    assert_eq!(one("Output hit 9 million barrels."), row("9 million barrels", 9e6, Some("barrel"), None));
    assert_eq!(one("The drive has 512GB of space."), row("512GB", 512.0, Some("GB"), None));
}

// --- traps ------------------------------------------------------------------------------------

#[test]
fn dates_are_not_amounts() {
    assert!(amounts("When Putin last visited North Korea in 2000, Kim was in power.").is_empty());
    assert!(amounts("The war began in February 2022.").is_empty());
    assert!(amounts("Trains resumed on June 6.").is_empty());
    assert!(amounts("Tourists came between February and May 2024.").is_empty());
    assert!(amounts("Published 05.03.2025 21:14").is_empty());
    assert!(amounts("The deal was signed on Thursday 6 March.").is_empty());
}

#[test]
fn labels_times_and_ordinals_are_not_amounts() {
    assert!(amounts("Tours were suspended due to the Covid-19 pandemic.").is_empty());
    assert!(amounts("The meeting began at 18:42.").is_empty());
    assert!(amounts("The meeting began at 10 a.m. sharp.").is_empty());
    assert!(amounts("The meeting began at 10pm.").is_empty());
    assert!(amounts("It was the first visit and the third attempt.").is_empty());
    assert!(amounts("He was 3rd in the race.").is_empty());
    assert!(amounts("Under Article 5 the allies must act.").is_empty());
    assert!(amounts("He flew a Boeing 737 to Oslo.").is_empty());
    assert!(amounts("They deployed F-16 jets.").is_empty());
    assert!(amounts("The 5G network is fast.").is_empty());
    assert!(amounts("The 5500M chipset is hot.").is_empty());
    assert!(amounts("Music of the 1990s was loud.").is_empty());
    assert!(amounts("A woman in her 50s was hurt.").is_empty());
    assert!(amounts("They won 3-1 at home.").is_empty());
    assert!(amounts("It was a 2-1 win.").is_empty());
    assert!(amounts("Open 24/7.").is_empty());
    assert!(amounts("1. Go home.\n2. Sleep.").is_empty());
    assert!(amounts("Tens of thousands of farms and hundreds of people.").is_empty());
    assert!(amounts("A few dozen members protested.").is_empty());
    assert!(amounts("It cut the harvest by almost a third.").is_empty());
    assert!(amounts("Call +47 22334455 now.").is_empty());
    assert!(amounts("It was popular in the nineteen fifties.").is_empty());
    assert!(amounts("At one point, the crowd grew quiet.").is_empty());
    assert!(amounts("Police tell 6 News the boy will survive.").is_empty());
}

#[test]
fn bare_numbers_need_a_reason() {
    assert!(amounts("Page 12 shows it.").is_empty());
    assert!(amounts("The score was 12.").is_empty());
    assert_eq!(one("The death toll rose to 45."), row("45", 45.0, None, None));
    assert_eq!(one("They found more than 40."), row("more than 40", 40.0, None, Some("more than")));
}

// --- a whole article ------------------------------------------------------------------------

#[test]
fn article_with_mixed_amounts() {
    let text = "Russian President Vladimir Putin arrives in North Korea, his first visit in 24 years.\n\n\
                As the war drags on for more than two and a half years, the two countries grew closer. \
                The war has lasted for 846 days.\n\n\
                Passenger trains resumed on June 6, for the first time in nearly four years.\n\n\
                Moscow said more than 400 Russian tourists traveled to North Korea between February and May 2024, \
                and agencies are offering four- or five-day tours for $750.\n\n\
                One thing is certain.";
    let got = amounts(text);
    assert_eq!(
        got,
        vec![
            row("24 years", 24.0, Some("year"), None),
            row("more than two and a half years", 2.5, Some("year"), Some("more than")),
            row("846 days", 846.0, Some("day"), None),
            row("nearly four years", 4.0, Some("year"), Some("nearly")),
            row("more than 400 Russian tourists", 400.0, Some("tourist"), Some("more than")),
            row("four- or five-day tours", 4.0, Some("day"), None),
            row("$750", 750.0, Some("USD"), None),
        ]
    );
}

#[test]
fn empty_and_odd_input() {
    assert!(amounts("").is_empty());
    assert!(amounts("$").is_empty());
    assert!(amounts("more than").is_empty());
    assert!(amounts("12").is_empty());
    assert_eq!(one("12%"), row("12%", 12.0, Some("percent"), None));
}

/// Strings stitched from pieces that sit at the edges of the rules: no input may make either
/// tagger panic, and every span must lie on character boundaries.
#[test]
fn odd_input_never_panics() {
    let pieces = [
        "May",
        " ",
        "6",
        ".",
        "2024",
        "-",
        "–",
        "$",
        "€",
        "US",
        "1,5",
        "2.400",
        "million",
        "bn",
        "İ",
        "ß",
        "日本",
        "'",
        "’s",
        "90s",
        "mid",
        "Tuesday",
        "last",
        "week",
        "ago",
        "three",
        "-day",
        "%",
        "\n\n",
        ":",
        "/",
        "the",
        "more than",
        "and a half",
        "a.m.",
        "Covid",
        "19",
        "০",
        "１２",
        "🙂",
        "won",
        "since",
        "of",
        "0",
        "99999999999999999999",
    ];
    // a small linear congruential generator keeps the test deterministic
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..12 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            s.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            if state & 1 == 0 {
                s.push(' ');
            }
        }
        let mut doc =
            Document::new(Meta { published: Some("2024-02-29".into()), ..Meta::default() }, s.clone(), vec![]);
        crate::segment::Sentences.annotate(&mut doc);
        DateTagger.annotate(&mut doc);
        AmountTagger.annotate(&mut doc);
        for span in doc.dates.iter().map(|d| d.span).chain(doc.amounts.iter().map(|a| a.span)) {
            assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end) && span.start < span.end, "{s:?}");
        }
    }
}
