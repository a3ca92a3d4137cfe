//! Copies and stories over small hand-written corpora.

use newsgraph_corpus::{assign, Config, Corpus, Features};
use newsgraph_doc::{Document, Entity, EntityType, Meta, Span};

/// An article with the named entities marked wherever the title or text has them, as the
/// entity layer would.
fn article(date: Option<&str>, site: &str, title: &str, text: &str, names: &[(&str, EntityType)]) -> Document {
    let meta = Meta {
        title: Some(title.into()),
        site: Some(site.into()),
        published: date.map(Into::into),
        ..Default::default()
    };
    let mut doc = Document::new(meta, text.into(), vec![]);
    let find = |hay: &str, name: &str| -> Vec<Span> {
        hay.match_indices(name).map(|(at, m)| Span::new(at, at + m.len())).collect()
    };
    for &(name, kind) in names {
        let mentions = find(text, name);
        let title_mentions = find(title, name);
        if mentions.is_empty() && title_mentions.is_empty() {
            continue;
        }
        doc.entities.push(Entity {
            id: Entity::make_id(kind, &name.to_lowercase()),
            name: name.into(),
            kind,
            code: (name == "England").then(|| "GBR".to_string()),
            roles: vec![],
            affiliation: None,
            mentions,
            title_mentions,
        });
    }
    doc
}

use EntityType::{Org, Person, Place};

const NAMES: &[(&str, EntityType)] = &[
    ("Leeds", Place),
    ("Kirkstall Road", Place),
    ("West Yorkshire Fire and Rescue Service", Org),
    ("West Yorkshire Police", Org),
    ("Paul Henshaw", Person),
    ("Harrow Furnishings", Org),
    ("Bristol", Place),
    ("Feeder Road", Place),
    ("Avon Fire and Rescue Service", Org),
    ("Claire Dobson", Person),
    ("Severn Paper Supplies", Org),
    ("England", Place),
    ("Selby", Place),
    ("River Ouse", Place),
    ("Environment Agency", Org),
    ("Barlby", Place),
    ("Emma Hartley", Person),
    ("Dan Price", Person),
    ("RNLI", Org),
    ("Bank of England", Org),
    ("Andrew Bailey", Person),
    ("Marcus Webb", Person),
    ("Ashford United", Org),
    ("Met Office", Org),
    ("Lumen", Org),
    ("Priya Nair", Person),
];

/// Unrelated articles, so that IDF has a corpus to measure rarity against.
fn background() -> Vec<Document> {
    vec![
        article(
            Some("2023-02-02"),
            "money.example",
            "Bank of England raises interest rates again",
            "The Bank of England raised its base rate by half a point to 4 per cent on Thursday, \
             the tenth increase in a row. Governor Andrew Bailey said inflation had probably \
             peaked but that the committee would act again if price rises proved persistent. \
             Mortgage lenders are expected to pass the increase on to borrowers within days, \
             while savers may see slightly better returns on fixed accounts.",
            NAMES,
        ),
        article(
            Some("2023-03-20"),
            "sport.example",
            "Late winner lifts Ashford United off the bottom",
            "Marcus Webb scored in stoppage time as Ashford United beat their relegation rivals \
             2-1 on Saturday to climb off the foot of the table. The visitors had equalised \
             with a deflected free kick twenty minutes from time, but Webb met a low cross at \
             the near post. The manager praised his players' spirit and said the club could \
             still survive if it kept winning at home.",
            NAMES,
        ),
        article(
            Some("2023-06-01"),
            "weather.example",
            "Heatwave warning issued as temperatures climb",
            "The Met Office has issued an amber heat health alert for much of southern England \
             as temperatures are forecast to reach 32C this weekend. Forecasters said the hot \
             spell could last until Wednesday before thunderstorms bring cooler air from the \
             Atlantic. People are advised to drink plenty of water, avoid the midday sun and \
             check on elderly neighbours.",
            NAMES,
        ),
        article(
            Some("2023-09-12"),
            "tech.example",
            "Lumen unveils cheaper electric scooter",
            "The start-up Lumen has unveiled a folding electric scooter that will sell for \
             under 400 pounds, half the price of its first model. Chief executive Priya Nair \
             said the battery would last for 35 kilometres and could be charged from a laptop \
             adapter. Deliveries begin in November, and the company hopes to sell 50,000 units \
             in its first year.",
            NAMES,
        ),
    ]
}

fn leeds_fire() -> Vec<Document> {
    vec![
        article(
            Some("2023-03-14"),
            "leedsnews.example",
            "Fire destroys furniture warehouse in Leeds",
            "A large fire destroyed a furniture warehouse on Kirkstall Road in Leeds early on \
             Tuesday. West Yorkshire Fire and Rescue Service sent twelve engines to the blaze, \
             which broke out shortly after 2am. Station manager Paul Henshaw said crews fought \
             the flames for six hours before bringing them under control. Nobody was hurt, but \
             about 40 workers employed by Harrow Furnishings have been told to stay at home. \
             Residents in nearby streets were asked to keep windows closed because of the thick \
             smoke. The cause of the fire is being investigated.",
            NAMES,
        ),
        article(
            Some("2023-03-14"),
            "yorkshirepost.example",
            "Huge blaze at Leeds furniture warehouse",
            "Firefighters spent the night tackling a huge blaze at the Harrow Furnishings \
             warehouse on Kirkstall Road, Leeds. Paul Henshaw of West Yorkshire Fire and Rescue \
             Service said twelve engines and an aerial platform were used at the height of the \
             fire. Smoke could be seen across the city. The company said its 40 staff were safe \
             and thanked the crews. Investigators will return to the site on Wednesday to \
             establish the cause.",
            NAMES,
        ),
    ]
}

/// Written to look like the Leeds fire, seven months later in another city.
fn bristol_fire() -> Vec<Document> {
    vec![
        article(
            Some("2023-10-02"),
            "bristolpost.example",
            "Fire destroys paper warehouse in Bristol",
            "A large fire destroyed a paper warehouse on Feeder Road in Bristol early on \
             Monday. Avon Fire and Rescue Service sent ten engines to the blaze, which broke \
             out shortly after midnight. Group manager Claire Dobson said crews fought the \
             flames for five hours before bringing them under control. Nobody was hurt, but \
             about 60 workers employed by Severn Paper Supplies have been told to stay at home. \
             Residents in nearby streets were asked to keep windows closed because of the thick \
             smoke. The cause of the fire is being investigated.",
            NAMES,
        ),
        article(
            Some("2023-10-02"),
            "bristol24.example",
            "Bristol warehouse fire: crews stay at the scene",
            "Crews from Avon Fire and Rescue Service remained at the Severn Paper Supplies \
             warehouse on Feeder Road on Monday afternoon, damping down hotspots. Claire Dobson \
             said the building had partly collapsed and would be demolished. The company's 60 \
             employees will be paid while the site is closed, a spokesperson said. Feeder Road \
             will stay shut between Bath Road and Totterdown Bridge.",
            NAMES,
        ),
    ]
}

fn leeds_follow_up() -> Document {
    article(
        Some("2023-04-04"),
        "leedsnews.example",
        "Man arrested over Kirkstall Road warehouse fire",
        "West Yorkshire Police have arrested a 34-year-old man on suspicion of arson after the \
         fire that destroyed the Harrow Furnishings warehouse on Kirkstall Road in Leeds last \
         month. Detectives said the blaze, which took twelve engines six hours to bring under \
         control, was started deliberately. Station manager Paul Henshaw had said at the time \
         that nobody was hurt. The man remains in custody and is expected to appear before \
         magistrates on Thursday.",
        NAMES,
    )
}

fn story_of<'a>(docs: &'a [Document], title: &str) -> &'a str {
    let d = docs.iter().find(|d| d.meta.title.as_deref() == Some(title)).expect(title);
    d.story.as_deref().expect("every article gets a story")
}

#[test]
fn exact_copies_point_to_the_earliest_article() {
    let text = "The city council approved a new cycle lane along the High Street on Monday \
                evening after a three-hour debate. Councillors voted 31 to 12 in favour of the \
                scheme, which will remove 80 parking spaces and add a protected lane in each \
                direction. Shopkeepers had warned that trade would suffer, while cycling groups \
                said the lane would make the street safer for children.";
    let mut docs = background();
    docs.push(article(Some("2023-05-09"), "a.example", "Cycle lane approved", text, NAMES));
    docs.push(article(Some("2023-05-08T21:30:00Z"), "b.example", "Council backs lane", text, NAMES));
    // Spacing and punctuation do not make a different text.
    let respaced = text.replace("  ", " ").replace(", ", " , ").replace('.', " .");
    docs.push(article(None, "c.example", "High Street lane", &respaced, NAMES));
    let stories = assign(&mut docs);

    let original = &docs[5];
    assert_eq!(original.duplicate_of, None);
    assert_eq!(docs[4].duplicate_of.as_deref(), Some(original.id.as_str()));
    assert_eq!(docs[6].duplicate_of.as_deref(), Some(original.id.as_str()));
    assert!(docs[..4].iter().all(|d| d.duplicate_of.is_none()));

    // The story is named after its first article added, though the copy group is named
    // after the earliest published.
    let story = format!("story-{}", docs[4].id);
    for d in &docs[4..] {
        assert_eq!(d.story.as_deref(), Some(story.as_str()));
    }
    let record = stories.iter().find(|s| s.id == story).unwrap();
    assert_eq!(record.articles, [docs[5].id.as_str(), &docs[4].id, &docs[6].id]);
    assert_eq!(record.independent_articles, 1);
    assert_eq!(record.title, "Council backs lane");
    assert_eq!(record.sites, ["b.example", "a.example", "c.example"]);
    assert_eq!(record.first_published.as_deref(), Some("2023-05-08T21:30:00Z"));
}

#[test]
fn light_rewrite_with_clutter_and_new_headline_is_a_copy() {
    let original = "Police have named the woman who died after being hit by a lorry on the A61 \
        near Wakefield on Friday morning as Joanne Pilling, a 52-year-old nurse from \
        Ossett. The collision happened at about 7.40am at the junction with Bradford Road, \
        close to the entrance of the Calder Park business estate. Paramedics treated her at \
        the scene but she was pronounced dead a short time later. The driver of the lorry, \
        a 46-year-old man from Barnsley, stopped at the scene and is helping officers with \
        their inquiries. The road was closed in both directions for more than seven hours \
        while collision investigators examined the area, causing long delays for commuters \
        heading into the city centre. In a statement released through the police, her \
        family described her as a devoted mother of three who had worked at Pinderfields \
        Hospital for more than twenty years and was loved by colleagues and patients alike. \
        Officers are appealing for anyone who saw the collision, or who has dashcam footage \
        from the area between 7.15am and 7.45am, to contact them quoting log number 312.";
    // About one word in ten changed, here and there, as a sub-editor would.
    let rewrite = "Police have named the woman who was killed after being struck by a lorry on \
        the A61 near Wakefield on Friday morning as Joanne Pilling, a 52-year-old nurse from \
        Ossett. The crash happened at around 7.40am at the junction with Bradford Road, \
        close to the entrance of the Calder Park business park. Paramedics treated her at \
        the scene but she was declared dead a short time later. The lorry driver, a \
        46-year-old man from Barnsley, stopped at the scene and is assisting officers with \
        their inquiries. The road was shut in both directions for over seven hours while \
        collision investigators examined the area, causing long delays for drivers heading \
        into the city centre. In a statement issued through the police, her family \
        described her as a devoted mother of three who had worked at Pinderfields Hospital \
        for over twenty years and was loved by colleagues and patients alike. Officers are \
        appealing for anyone who witnessed the collision, or who has dashcam footage from \
        the area between 7.15am and 7.45am, to contact them quoting log 312.\n\n\
        Sign up to our daily newsletter for the latest news from across Yorkshire.\n\n\
        Share this article: Facebook, Twitter, WhatsApp, Email.\n\n\
        Read more: Roadworks to close M62 junction for two weekends";
    let names: &[(&str, EntityType)] = &[
        ("Joanne Pilling", Person),
        ("Wakefield", Place),
        ("Ossett", Place),
        ("Bradford Road", Place),
        ("Barnsley", Place),
        ("Pinderfields Hospital", Org),
        ("Yorkshire", Place),
    ];
    let mut docs = background();
    docs.push(article(Some("2023-07-07"), "a.example", "Woman killed by lorry named", original, names));
    docs.push(article(Some("2023-07-08"), "b.example", "Tributes to nurse who died in A61 crash", rewrite, names));
    assign(&mut docs);
    assert_eq!(docs[5].duplicate_of.as_deref(), Some(docs[4].id.as_str()));
    assert_eq!(docs[5].story, docs[4].story);
    assert!(docs[..5].iter().all(|d| d.duplicate_of.is_none()));
}

#[test]
fn look_alike_events_in_different_cities_and_months_are_different_stories() {
    let mut docs = background();
    docs.extend(leeds_fire());
    docs.extend(bristol_fire());
    assign(&mut docs);
    let leeds = story_of(&docs, "Fire destroys furniture warehouse in Leeds");
    let bristol = story_of(&docs, "Fire destroys paper warehouse in Bristol");
    assert_ne!(leeds, bristol);
    assert_eq!(story_of(&docs, "Huge blaze at Leeds furniture warehouse"), leeds);
    assert_eq!(story_of(&docs, "Bristol warehouse fire: crews stay at the scene"), bristol);
    // None of the background articles joins a fire.
    for d in &docs[..4] {
        assert_ne!(d.story.as_deref(), Some(leeds));
        assert_ne!(d.story.as_deref(), Some(bristol));
    }
    assert!(docs.iter().all(|d| d.duplicate_of.is_none()));
}

#[test]
fn follow_up_three_weeks_later_joins_the_story() {
    let mut docs = background();
    docs.extend(leeds_fire());
    docs.extend(bristol_fire());
    docs.push(leeds_follow_up());
    let stories = assign(&mut docs);
    let leeds = story_of(&docs, "Fire destroys furniture warehouse in Leeds");
    assert_eq!(story_of(&docs, "Man arrested over Kirkstall Road warehouse fire"), leeds);
    assert_ne!(story_of(&docs, "Fire destroys paper warehouse in Bristol"), leeds);

    let record = stories.iter().find(|s| s.id == leeds).unwrap();
    assert_eq!(record.articles.len(), 3);
    assert_eq!(record.title, "Fire destroys furniture warehouse in Leeds");
    assert_eq!(record.sites, ["leedsnews.example", "yorkshirepost.example"]);
    assert_eq!(record.first_published.as_deref(), Some("2023-03-14"));
    assert_eq!(record.independent_articles, 3);
    // Named in all three articles, so first; those in two of three follow.
    for name in ["Leeds", "Kirkstall Road", "Paul Henshaw", "Harrow Furnishings"] {
        assert!(record.entities.iter().any(|e| e == name), "{name} in {:?}", record.entities);
    }
    assert!(!record.entities.iter().any(|e| e == "West Yorkshire Police"));
    assert!(
        record.entities.iter().position(|e| e == "Leeds")
            < record.entities.iter().position(|e| e == "West Yorkshire Fire and Rescue Service")
    );
}

#[test]
fn an_article_linking_two_stories_merges_them_under_the_older_id() {
    let river = article(
        Some("2023-11-20T08:00:00Z"),
        "selby.example",
        "River Ouse bursts its banks at Selby",
        "The River Ouse burst its banks at Selby overnight after three days of heavy rain, \
         flooding around 200 homes near the toll bridge. The Environment Agency said the \
         river peaked at 5.2 metres, the highest level since 2000, and that temporary \
         barriers had held along most of the town's defences. Sandbags were handed out at the \
         leisure centre and a rest centre opened at the abbey for families forced to leave.",
        NAMES,
    );
    let rescue = article(
        Some("2023-11-20T09:00:00Z"),
        "lifeboats.example",
        "Mother and children rescued from car by lifeboat crew",
        "A mother and her two young children were pulled from the roof of their car by an \
         RNLI inland lifeboat crew at Barlby after the vehicle was swept off a lane. Emma \
         Hartley, 34, had been driving her son and daughter to school when the water rose \
         around them. Coxswain Dan Price said the family were cold and frightened but \
         unhurt, and praised Emma Hartley for calling 999 and keeping the children calm.",
        NAMES,
    );
    let bridge = article(
        Some("2023-11-20T12:00:00Z"),
        "yorkshire.example",
        "Selby floods: family rescued from car as River Ouse bursts banks",
        "Lifeboat volunteers saved Emma Hartley, 34, and her son and daughter from the roof \
         of their car at Barlby as the River Ouse burst its banks at Selby. Around 200 homes \
         near the toll bridge were flooded after three days of heavy rain; the Environment \
         Agency measured the river at 5.2 metres, its highest since 2000. Coxswain Dan Price \
         of the RNLI said the family had been cold and frightened but unhurt after the water \
         swept their car off a lane on the school run. Sandbags were handed out at the \
         leisure centre, and families forced to leave were offered beds at the abbey.",
        NAMES,
    );

    // Without the bridge, the two reports stay apart.
    let mut apart = background();
    apart.push(river.clone());
    apart.push(rescue.clone());
    assign(&mut apart);
    assert_ne!(apart[4].story, apart[5].story);

    let mut docs = background();
    docs.push(river);
    docs.push(rescue);
    docs.push(bridge);
    let stories = assign(&mut docs);
    let id = format!("story-{}", docs[4].id);
    for d in &docs[4..] {
        assert_eq!(d.story.as_deref(), Some(id.as_str()), "{:?}", d.meta.title);
    }
    let record = stories.iter().find(|s| s.id == id).unwrap();
    assert_eq!(record.articles, [docs[4].id.as_str(), &docs[5].id, &docs[6].id]);
    assert_eq!(record.title, "River Ouse bursts its banks at Selby");
    // The absorbed story is gone.
    assert!(!stories.iter().any(|s| s.id == format!("story-{}", docs[5].id)));
}

#[test]
fn story_ids_stay_when_more_input_is_appended() {
    let mut first = background();
    first.extend(leeds_fire());
    assign(&mut first);

    let mut more = first.clone();
    more.push(leeds_follow_up());
    more.extend(bristol_fire());
    more.push(article(
        Some("2023-12-01"),
        "money.example",
        "Bank of England holds rates",
        "The Bank of England kept its base rate at 5.25 per cent for a third meeting, with \
         Governor Andrew Bailey warning that it was too early to talk about cuts.",
        NAMES,
    ));
    let stories = assign(&mut more);
    for (a, b) in first.iter().zip(&more) {
        assert_eq!(a.story, b.story, "{:?}", a.meta.title);
        assert_eq!(a.duplicate_of, b.duplicate_of);
    }
    let leeds = story_of(&more, "Fire destroys furniture warehouse in Leeds");
    assert_eq!(story_of(&more, "Man arrested over Kirkstall Road warehouse fire"), leeds);
    // Every story id names one of its articles (here, with every article added in time
    // order, the first).
    for s in &stories {
        assert_eq!(s.id, format!("story-{}", s.articles[0]));
    }

    // The same input in the same order gives the same result.
    let mut again = more.clone();
    again.iter_mut().for_each(|d| d.story = None);
    assign(&mut again);
    for (a, b) in more.iter().zip(&again) {
        assert_eq!(a.story, b.story);
    }
}

#[test]
fn story_id_stays_when_an_earlier_dated_article_joins_later() {
    let mut first = background();
    let mut later = leeds_fire().remove(1);
    later.meta.published = Some("2023-03-14T12:00:00Z".into());
    first.push(later);
    let stories = assign(&mut first);
    let leeds = story_of(&first, "Huge blaze at Leeds furniture warehouse").to_string();
    assert!(stories.iter().any(|s| s.id == leeds));

    // The first report of the fire, published hours earlier, turns up in a later run: it is
    // processed first and starts the story, yet the story keeps the id it had.
    let mut earlier = leeds_fire().remove(0);
    earlier.meta.published = Some("2023-03-14T06:00:00Z".into());
    let mut more = first.clone();
    more.iter_mut().for_each(|d| d.story = None);
    more.push(earlier);
    let stories = assign(&mut more);
    assert_eq!(story_of(&more, "Huge blaze at Leeds furniture warehouse"), leeds);
    assert_eq!(story_of(&more, "Fire destroys furniture warehouse in Leeds"), leeds);
    let record = stories.iter().find(|s| s.id == leeds).expect("the story keeps its id");
    // Its articles are listed in time order, the newly added earlier one first.
    assert_eq!(record.articles[0], more.last().unwrap().id);
    for (a, b) in first.iter().zip(&more) {
        assert_eq!(a.story, b.story, "{:?}", a.meta.title);
    }
}

#[test]
fn corpus_streams_and_reports_every_article() {
    let mut corpus = Corpus::new(Config::default());
    let mut docs = background();
    docs.extend(leeds_fire());
    // An undated article and an empty one still get a story of their own.
    docs.push(article(None, "x.example", "Notice", "", NAMES));
    for d in &docs {
        corpus.add(d);
    }
    assert_eq!(corpus.len(), docs.len());
    let result = corpus.finish();
    assert_eq!(result.articles.len(), docs.len());
    for (d, a) in docs.iter().zip(&result.articles) {
        assert_eq!(a.id, d.id);
        assert!(a.story.starts_with("story-"));
        assert_eq!(result.get(&d.id), Some(a));
    }
    let total: usize = result.stories.iter().map(|s| s.articles.len()).sum();
    assert_eq!(total, docs.len());
    let notice = result.get(&docs[6].id).unwrap();
    assert_eq!(notice.story, format!("story-{}", docs[6].id));
    let record = result.stories.iter().find(|s| s.id == notice.story).unwrap();
    assert_eq!(record.first_published, None);
    assert_eq!(record.kind, "story");
    // Undated articles come after dated ones.
    assert_eq!(result.stories.last().unwrap().id, notice.story);
}

#[test]
fn template_pages_naming_different_people_are_not_copies() {
    let page = |name: &str| {
        format!(
            "Get email notifications on {name} daily! Your notification has been saved. There was \
             a problem saving your notification. Whenever {name} posts new content, you will get \
             an email delivered to your inbox with a link. Email notifications are only sent once \
             a day, and only if there are new matching items."
        )
    };
    let names: &[(&str, EntityType)] = &[("Jesse Bogan", Person), ("Lillian Schrock", Person)];
    let mut docs = background();
    docs.push(article(Some("2023-05-01"), "a.example", "Gunman kills seven", &page("Jesse Bogan"), names));
    docs.push(article(Some("2023-06-01"), "a.example", "Baby shot by father", &page("Lillian Schrock"), names));
    assign(&mut docs);
    assert_eq!(docs[5].duplicate_of, None);
    // Without names to tell them apart, the text alone decides.
    let mut docs = background();
    docs.push(article(Some("2023-05-01"), "a.example", "Gunman kills seven", &page("Jesse Bogan"), &[]));
    docs.push(article(Some("2023-06-01"), "a.example", "Baby shot by father", &page("Lillian Schrock"), &[]));
    assign(&mut docs);
    assert_eq!(docs[5].duplicate_of.as_deref(), Some(docs[4].id.as_str()));
}

#[test]
fn dated_articles_are_processed_in_time_order_whatever_the_input_order() {
    let mut forward = background();
    forward.extend(leeds_fire());
    forward.push(leeds_follow_up());
    forward.extend(bristol_fire());
    let mut backward: Vec<Document> = forward.iter().rev().cloned().collect();
    assign(&mut forward);
    assign(&mut backward);
    // The same stories; their ids may differ where two first articles share a date, as input
    // order breaks that tie.
    let twin = |d: &Document| backward.iter().find(|b| b.id == d.id).unwrap().story.clone();
    for a in &forward {
        for b in &forward {
            assert_eq!(a.story == b.story, twin(a) == twin(b), "{:?} {:?}", a.meta.title, b.meta.title);
        }
    }
    let money = story_of(&forward, "Bank of England raises interest rates again");
    assert_eq!(story_of(&backward, "Bank of England raises interest rates again"), money);
}

/// An undated article with the dates its text names, as the date layer would mark them.
fn dated_text(site: &str, title: &str, text: &str, dates: &[(&str, &str)], names: &[(&str, EntityType)]) -> Document {
    let mut doc = article(None, site, title, text, names);
    for &(fragment, value) in dates {
        let at = text.find(fragment).expect(fragment);
        doc.dates
            .push(newsgraph_doc::DateMention { span: Span::new(at, at + fragment.len()), value: Some(value.into()) });
    }
    doc
}

#[test]
fn undated_look_alike_events_are_told_apart_by_the_dates_their_texts_name() {
    let names: &[(&str, EntityType)] = &[
        ("Sonoma County", Place),
        ("The Geysers", Place),
        ("Cloverdale", Place),
        ("US Geological Survey", Org),
        ("Santa Rosa", Place),
    ];
    let mut docs = background();
    docs.push(dated_text(
        "a.example",
        "Quake rattles Sonoma County",
        "An earthquake with a preliminary magnitude of 4.4 struck near The Geysers in Sonoma County \
         on the morning of 2 March 2008, the US Geological Survey said. It was felt in Cloverdale and \
         Santa Rosa, but nobody was hurt and no damage was reported.",
        &[("2 March 2008", "2008-03-02")],
        names,
    ));
    docs.push(dated_text(
        "b.example",
        "Earthquake near The Geysers wakes Santa Rosa",
        "Residents of Santa Rosa were woken before dawn on 14 March 2013 by a magnitude 4.6 \
         earthquake centred near The Geysers in Sonoma County. The US Geological Survey said the \
         shallow quake was followed by two aftershocks; there were no reports of injuries.",
        &[("14 March 2013", "2013-03-14")],
        names,
    ));
    docs.push(dated_text(
        "c.example",
        "Sonoma County earthquake felt in Cloverdale",
        "People in Cloverdale felt the ground shake on 2 March 2008 when a 4.4 earthquake hit The \
         Geysers geothermal field in Sonoma County, according to the US Geological Survey. Santa \
         Rosa police said they had no calls about damage.",
        &[("2 March 2008", "2008-03-02")],
        names,
    ));
    docs.push(dated_text(
        "d.example",
        "Light quake in Sonoma County",
        "A light earthquake of magnitude 4.6 shook Sonoma County early on 14 March 2013, the US \
         Geological Survey reported. The Geysers area sees small quakes often; this one was felt as \
         far as Santa Rosa and Cloverdale, but caused no damage.",
        &[("14 March 2013", "2013-03-14")],
        names,
    ));
    assign(&mut docs);
    assert!(docs.iter().all(|d| d.duplicate_of.is_none()));
    assert_eq!(docs[4].story, docs[6].story);
    assert_eq!(docs[5].story, docs[7].story);
    assert_ne!(docs[4].story, docs[5].story);
}

#[test]
fn follow_up_months_later_naming_the_day_of_the_fire_joins_the_story() {
    let mut docs = background();
    docs.extend(leeds_fire());
    let text = "A former employee of Harrow Furnishings has admitted starting the fire that destroyed \
                the company's warehouse in Leeds on 14 March. The blaze took twelve engines six hours \
                to bring under control. The court heard that the man had been dismissed a week \
                earlier. He will be sentenced next month.";
    let mut later = article(Some("2023-08-21"), "courts.example", "Man admits warehouse arson", text, NAMES);
    let at = text.find("14 March").unwrap();
    later.dates.push(newsgraph_doc::DateMention { span: Span::new(at, at + 8), value: Some("2023-03-14".into()) });
    docs.push(later);
    docs.extend(bristol_fire());
    assign(&mut docs);
    let leeds = story_of(&docs, "Fire destroys furniture warehouse in Leeds");
    assert_eq!(story_of(&docs, "Man admits warehouse arson"), leeds);
    assert_ne!(story_of(&docs, "Fire destroys paper warehouse in Bristol"), leeds);
}

/// Two ferry fires months apart, and a first report too short to tell which it is about.
fn ferry_fires() -> Vec<Document> {
    let names: &[(&str, EntityType)] = &[
        ("Coastguard", Org),
        ("Aurora", Org),
        ("Kellmore", Place),
        ("Tom Brennan", Person),
        ("Northern Isles Ferries", Org),
        ("Solent Star", Org),
        ("Hawksey", Place),
        ("Ruth Calder", Person),
        ("Channel Coast Ferries", Org),
    ];
    let a = |site: &str, title: &str, text: &str| article(None, site, title, text, names);
    let mut docs = background();
    docs.push(a(
        "wire.example",
        "Passengers taken off burning ferry",
        "Passengers were taken off a ferry that caught fire at sea, the Coastguard said. \
         Lifeboats and a rescue helicopter were sent to the ferry.",
    ));
    docs.push(a(
        "south.example",
        "Ferry passengers rescued as fire breaks out",
        "Lifeboats and a rescue helicopter took passengers off a ferry after fire broke out at \
         sea, the Coastguard said. The ferry was the Solent Star, off Hawksey.",
    ));
    docs.push(a(
        "north.example",
        "Passengers safe after ferry catches fire",
        "Passengers were safe after a ferry caught fire at sea, the Coastguard said. Lifeboats and \
         a rescue helicopter were sent to the Aurora, which turned back to Kellmore.",
    ));
    docs.push(a(
        "islands.example",
        "Aurora limps back to Kellmore after car deck blaze",
        "The Northern Isles Ferries ship Aurora reached Kellmore harbour under her own power after \
         a fire on the car deck. Tom Brennan, her captain, praised the crew; three of them had \
         burns treated. The 86 passengers were met by the Coastguard on the quay.",
    ));
    docs.push(a(
        "coast.example",
        "Hawksey ferry evacuated as engine room burns",
        "Lifeboats took 212 people off the Solent Star near Hawksey when her engine room caught \
         fire. Ruth Calder, the captain, gave the order to abandon ship; Channel Coast Ferries \
         said seven passengers were treated for smoke inhalation. The Coastguard coordinated \
         the rescue.",
    ));
    docs.push(a(
        "shipping.example",
        "Investigators board the Aurora",
        "Investigators went aboard the Aurora at Kellmore to find out how fire started on the car \
         deck. Northern Isles Ferries said the 86 passengers had all been accounted for and that \
         captain Tom Brennan had acted quickly; three crew were treated for burns.",
    ));
    docs.push(a(
        "ferries.example",
        "Channel Coast Ferries cancels Hawksey sailings",
        "Channel Coast Ferries cancelled its Hawksey sailings after fire gutted the engine room of \
         the Solent Star. The company thanked captain Ruth Calder and the Coastguard for getting \
         all 212 passengers off safely; seven needed treatment for smoke.",
    ));
    docs.push(a(
        "northnews.example",
        "Kellmore ferry fire: crew burned, passengers safe",
        "Three crew of the Aurora were burned fighting a fire on the car deck off Kellmore. The \
         Northern Isles Ferries ship returned to port with all 86 passengers; Tom Brennan said \
         the Coastguard had been alongside within the hour.",
    ));
    docs.push(a(
        "maritime.example",
        "Solent Star towed from Hawksey",
        "The burned-out Solent Star was towed away from Hawksey two days after fire in her engine \
         room forced Ruth Calder to order 212 passengers into lifeboats. Channel Coast Ferries \
         said seven passengers had been treated for smoke inhalation.",
    ));
    docs
}

#[test]
fn a_story_holding_two_look_alike_events_splits_in_two() {
    let docs = ferry_fires();
    let run = |config: Config| {
        let mut corpus = Corpus::new(config);
        docs.iter().for_each(|d| corpus.add(d));
        corpus.finish().articles.into_iter().map(|a| a.story).collect::<Vec<_>>()
    };
    let (kellmore, hawksey) = ([6, 7, 9, 11], [5, 8, 10, 12]);

    // Placed one at a time, the Hawksey reports join the vague first report, and the Kellmore
    // reports join them.
    let online = run(Config { split_min_part: 0, ..Config::default() });
    assert_eq!(online[kellmore[0]], online[hawksey[0]], "{online:?}");

    let stories = run(Config::default());
    for group in [kellmore, hawksey] {
        assert!(group.iter().all(|&i| stories[i] == stories[group[0]]), "{stories:?}");
    }
    assert_ne!(stories[kellmore[0]], stories[hawksey[0]]);
}

#[test]
fn a_saved_state_continues_as_one_run_would() {
    let mut first = background();
    first.extend(leeds_fire());
    first.extend(ferry_fires().split_off(4));
    let mut later = vec![leeds_follow_up()];
    later.extend(bristol_fire());
    // Published before the Leeds fire: it is processed before the articles of the first run.
    later.push(article(
        Some("2023-03-01"),
        "money.example",
        "Bank of England holds rates",
        "The Bank of England kept its base rate at 4 per cent, with Governor Andrew Bailey \
         warning that it was too early to talk about cuts.",
        NAMES,
    ));
    let config = Config { join_threshold: 0.3, ..Config::default() };

    let mut whole = Corpus::new(config.clone());
    first.iter().chain(&later).for_each(|d| whole.add(d));
    let mut whole_state = Vec::new();
    whole.save_state(&mut whole_state).unwrap();
    let whole = whole.finish();

    let mut part = Corpus::new(config);
    first.iter().for_each(|d| part.add(d));
    let mut saved = Vec::new();
    part.save_state(&mut saved).unwrap();
    drop(part);
    let mut resumed = Corpus::load_state(saved.as_slice()).unwrap();
    assert_eq!(resumed.len(), first.len());
    assert_eq!(resumed.config().join_threshold, 0.3);
    later.iter().for_each(|d| resumed.add(d));
    // Nothing was lost on the way: the states agree byte for byte.
    let mut resumed_state = Vec::new();
    resumed.save_state(&mut resumed_state).unwrap();
    assert!(resumed_state == whole_state);
    let resumed = resumed.finish();

    let json = |r: &newsgraph_corpus::CorpusResult| serde_json::to_string(r).unwrap();
    assert_eq!(json(&resumed), json(&whole));
    assert!(whole.stories.iter().any(|s| s.articles.len() >= 3));

    // What is not a state of this version is refused, not misread.
    let refused = Corpus::load_state(&saved[..saved.len() / 2]).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidData);
    let mut other = saved.clone();
    other[7] ^= 0xff;
    assert!(Corpus::load_state(other.as_slice()).is_err());
    // Cut in the signatures and details that follow the features.
    let refused = Corpus::load_state(&saved[..saved.len() - 10]).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidData);
}

#[test]
fn features_kept_as_bytes_add_as_the_documents_do() {
    let mut docs = background();
    docs.extend(leeds_fire());
    docs.extend(bristol_fire());
    docs.extend(ferry_fires());
    let config = Config::default();
    let state = |corpus: &Corpus| {
        let mut out = Vec::new();
        corpus.save_state(&mut out).unwrap();
        out
    };

    let mut direct = Corpus::new(config.clone());
    docs.iter().for_each(|d| direct.add(d));
    // made elsewhere, kept as bytes, added later
    let kept: Vec<Vec<u8>> = docs.iter().map(|d| Features::of(d, &config).to_bytes(&config)).collect();
    let mut later = Corpus::new(config.clone());
    for (bytes, doc) in kept.iter().zip(&docs) {
        let f = Features::from_bytes(bytes, &config).expect("features of this version");
        assert_eq!(f.id(), doc.id);
        later.add_features(f);
    }
    assert!(state(&direct) == state(&later), "the same corpus, byte for byte");
    let json = |r: &newsgraph_corpus::CorpusResult| serde_json::to_string(r).unwrap();
    let (direct, later) = (direct.finish(), later.finish());
    assert_eq!(json(&direct), json(&later));
    assert!(direct.stories.iter().any(|s| s.articles.len() >= 3));

    // Features made with another configuration, of another format or cut short are refused.
    let other = Config { title_weight: config.title_weight + 1, ..config.clone() };
    assert!(Features::from_bytes(&kept[0], &other).is_none());
    let mut changed = kept[0].clone();
    changed[3] ^= 0xff;
    assert!(Features::from_bytes(&changed, &config).is_none());
    assert!(Features::from_bytes(&kept[0][..kept[0].len() / 2], &config).is_none());
    assert!(Features::from_bytes(&[], &config).is_none());
}

#[test]
fn compact_assignments_match_the_full_result() {
    let mut docs = background();
    docs.extend(leeds_fire());
    docs.extend(bristol_fire());
    docs.push(docs[4].clone());
    let add = || {
        let mut corpus = Corpus::new(Config::default());
        docs.iter().for_each(|d| corpus.add(d));
        corpus
    };
    let full = add().finish();
    let (compact, stories) = add().finish_streaming();
    assert_eq!(compact.len(), docs.len());
    assert_eq!(compact.iter().collect::<Vec<_>>(), full.articles);
    assert_eq!(compact.duplicates(), 1);
    assert_eq!(compact.get(docs.len() - 1).unwrap().duplicate_of.as_deref(), Some(docs[4].id.as_str()));
    assert!(compact.get(docs.len()).is_none());
    assert_eq!(stories.len(), full.stories.len());
    let json = |s: &newsgraph_doc::record::StoryRecord| serde_json::to_string(s).unwrap();
    assert!(stories.map(|s| json(&s)).eq(full.stories.iter().map(json)));
}

#[test]
fn a_story_developing_over_weeks_is_not_split() {
    let names: &[(&str, EntityType)] = &[
        ("Harlow Street", Place),
        ("Dunmore", Place),
        ("Dunmore Police", Org),
        ("Keisha Fields", Person),
        ("Martin Oduya", Person),
        ("Darnell Price", Person),
        ("Judge Alan Whitcombe", Person),
        ("Carver County Court", Org),
    ];
    let a = |date: &str, site: &str, title: &str, text: &str| article(Some(date), site, title, text, names);
    let mut docs = background();
    docs.push(a(
        "2023-06-03",
        "dunmore.example",
        "Two shot at Harlow Street barbecue in Dunmore",
        "Two people were shot at a barbecue on Harlow Street in Dunmore on Friday night. Dunmore \
         Police said Keisha Fields, 31, and Martin Oduya, 45, were taken to hospital with gunshot \
         wounds. Witnesses said a car stopped outside the house and a man fired into the yard.",
    ));
    docs.push(a(
        "2023-06-03",
        "channel4.example",
        "Shooting at Dunmore barbecue leaves two wounded",
        "Dunmore Police are looking for a gunman who fired into a backyard barbecue on Harlow \
         Street, wounding Keisha Fields and Martin Oduya. Neighbours said about twenty people, \
         children among them, were in the yard when the shots were fired from a car.",
    ));
    docs.push(a(
        "2023-06-04",
        "dunmore.example",
        "Harlow Street shooting victims in stable condition",
        "Keisha Fields and Martin Oduya, shot at a barbecue on Harlow Street on Friday, are in \
         stable condition, Dunmore Police said. Detectives asked anyone with video from the street \
         to come forward; the car the gunman fired from has not been found.",
    ));
    docs.push(a(
        "2023-06-05",
        "region.example",
        "Dunmore neighbours hold vigil after barbecue shooting",
        "Neighbours on Harlow Street held a vigil for Keisha Fields and Martin Oduya, wounded when \
         a gunman fired into a family barbecue in Dunmore. Dunmore Police said they had several \
         leads but no arrests.",
    ));
    docs.push(a(
        "2023-06-26",
        "dunmore.example",
        "Arrest made in Harlow Street barbecue shooting",
        "Dunmore Police arrested Darnell Price, 24, on two counts of attempted murder over the \
         Harlow Street barbecue shooting on 2 June. Detectives said video from a neighbour's \
         doorbell camera showed Price's car outside the house.",
    ));
    docs.push(a(
        "2023-06-28",
        "channel4.example",
        "Darnell Price denies Dunmore shooting charges",
        "Darnell Price pleaded not guilty at Carver County Court to two counts of attempted murder \
         over the Harlow Street shooting. Judge Alan Whitcombe refused bail and set a hearing for \
         August.",
    ));
    docs.push(a(
        "2023-08-15",
        "region.example",
        "Hearing for man accused in Harlow Street shooting",
        "Judge Alan Whitcombe heard evidence at Carver County Court against Darnell Price, accused \
         of firing into a barbecue on Harlow Street in Dunmore. A detective described the doorbell \
         camera video and the car.",
    ));
    docs.push(a(
        "2023-08-16",
        "dunmore.example",
        "Darnell Price to stand trial over Dunmore barbecue shooting",
        "Darnell Price will stand trial for the attempted murder of two people at a Harlow Street \
         barbecue, Judge Alan Whitcombe ruled at Carver County Court after a two-day hearing on the \
         doorbell camera video.",
    ));
    assign(&mut docs);
    let story = &docs[4].story;
    assert!(docs[4..].iter().all(|d| &d.story == story), "{:?}", docs.iter().map(|d| &d.story).collect::<Vec<_>>());
}

#[test]
fn articles_left_alone_get_a_second_look_once_all_are_placed() {
    let mut docs = background();
    docs.extend(leeds_fire());
    docs.extend(bristol_fire());
    docs.push(leeds_follow_up());
    let run = |config: Config| {
        let mut corpus = Corpus::new(config);
        docs.iter().for_each(|d| corpus.add(d));
        corpus.finish().articles.into_iter().map(|a| a.story).collect::<Vec<_>>()
    };
    // Online, with a join threshold no pair reaches, every article is a story of its own ...
    let strict = Config { join_threshold: 2.0, merge_threshold: 3.0, ..Config::default() };
    let online = run(Config { reattach_threshold: 0.0, ..strict.clone() });
    assert!(online[4..].iter().enumerate().all(|(k, s)| !online[4 + k + 1..].contains(s)), "{online:?}");
    // ... and the second look puts each with the story it scores the join threshold with.
    let stories = run(Config { reattach_threshold: Config::default().join_threshold, ..strict });
    let (leeds, bristol) = ([4, 5, 8], [6, 7]);
    assert!(leeds.iter().all(|&i| stories[i] == stories[4]), "{stories:?}");
    assert!(bristol.iter().all(|&i| stories[i] == stories[6]), "{stories:?}");
    assert_ne!(stories[4], stories[6]);
    assert!(stories[..4].iter().all(|s| !stories[4..].contains(s)));
}
