use super::*;

fn k() -> &'static Knowledge {
    Knowledge::get()
}

/// The hit for the entry with this name, if any.
fn find<'a>(hits: &'a [Hit<'a>], name: &str) -> Option<&'a Hit<'a>> {
    hits.iter().find(|h| h.entry.name == name)
}

#[test]
fn tables_parse_cleanly() {
    let k = k();
    assert!(k.problems().is_empty(), "{:#?}", k.problems());
    let count = |s: &str| k.entries().iter().filter(|e| e.subtype == s).count();
    assert!(count("country") >= 240, "{}", count("country"));
    assert!(count("city") >= 5000, "{}", count("city"));
    assert!(count("region") >= 150);
    assert!(count("landmark") >= 100);
    let orgs = k.entries().iter().filter(|e| e.kind == EntityType::Org);
    assert!(orgs.count() >= 300);
}

#[test]
fn capital_is_city_and_country() {
    let hits = k().lookup("moscow");
    let city = find(&hits, "Moscow").expect("Moscow the city");
    assert_eq!(city.relation, Relation::Name);
    assert_eq!(city.entry.subtype, "city");
    assert_eq!(city.entry.kind, EntityType::Place);
    assert_eq!(city.entry.code.as_deref(), Some("RUS"));
    let country = find(&hits, "Russia").expect("Russia via its capital");
    assert_eq!(country.relation, Relation::Capital);
    assert!(country.entry.is_country());
    assert_eq!(country.entry.code.as_deref(), Some("RUS"));
    // Name hits come before Capital hits.
    assert_eq!(hits[0].relation, Relation::Name);
    assert_eq!(hits.last().unwrap().relation, Relation::Capital);
}

#[test]
fn capital_aliases_and_seats_of_government() {
    let hits = k().lookup("kiev");
    assert_eq!(find(&hits, "Kyiv").unwrap().relation, Relation::Alias);
    assert_eq!(find(&hits, "Ukraine").unwrap().relation, Relation::Capital);
    for (city, iso3) in [
        ("pyongyang", "PRK"),
        ("washington", "USA"),
        ("beijing", "CHN"),
        ("seoul", "KOR"),
        ("the hague", "NLD"),
        ("amsterdam", "NLD"),
        ("kyiv", "UKR"),
        ("oslo", "NOR"),
        ("tehran", "IRN"),
        ("naypyidaw", "MMR"),
        ("astana", "KAZ"),
        ("nur sultan", "KAZ"),
    ] {
        let hits = k().lookup(city);
        assert!(
            hits.iter().any(|h| h.relation == Relation::Capital
                && h.entry.code.as_deref() == Some(iso3)
                && h.entry.is_country()),
            "{city}: {hits:?}"
        );
        assert!(
            hits.iter().any(|h| h.entry.subtype == "city" && h.entry.code.as_deref() == Some(iso3)),
            "{city}: {hits:?}"
        );
    }
}

#[test]
fn demonyms() {
    let hits = k().lookup("north korean");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].entry.name, "North Korea");
    assert_eq!(hits[0].relation, Relation::Demonym);
    for (d, name) in [
        ("russian", "Russia"),
        ("russians", "Russia"),
        ("american", "United States"),
        ("british", "United Kingdom"),
        ("ukrainian", "Ukraine"),
        ("norwegian", "Norway"),
        ("south korean", "South Korea"),
        ("israelis", "Israel"),
        ("dutch", "Netherlands"),
        ("scottish", "Scotland"),
    ] {
        let hits = k().lookup(d);
        let h = find(&hits, name).unwrap_or_else(|| panic!("{d}: {hits:?}"));
        assert_eq!(h.relation, Relation::Demonym, "{d}");
    }
    // Ambiguous: Korean may be North or South.
    assert!(k().lookup("korean").is_empty());
    assert!(k().lookup("congolese").is_empty());
}

#[test]
fn country_aliases() {
    for (alias, name) in [
        ("dprk", "North Korea"),
        ("democratic people's republic of korea", "North Korea"),
        ("russian federation", "Russia"),
        ("usa", "United States"),
        ("u.s.", "United States"),
        ("america", "United States"),
        ("uk", "United Kingdom"),
        ("britain", "United Kingdom"),
        ("great britain", "United Kingdom"),
        ("czech republic", "Czechia"),
        ("turkiye", "Turkey"),
        ("cote d'ivoire", "Ivory Coast"),
        ("burma", "Myanmar"),
    ] {
        let hits = k().lookup(&fold(alias));
        let h = find(&hits, name).unwrap_or_else(|| panic!("{alias}: {hits:?}"));
        assert_eq!(h.relation, Relation::Alias, "{alias}");
        assert_eq!(h.entry.kind, EntityType::Place);
    }
    let hits = k().lookup("united states");
    assert_eq!(hits[0].entry.name, "United States");
    assert_eq!(hits[0].relation, Relation::Name);
    assert!(!hits[0].case_sensitive);
}

#[test]
fn common_word_acronyms_are_case_sensitive() {
    let hits = k().lookup("us");
    let us = find(&hits, "United States").unwrap();
    assert!(us.case_sensitive);
    let who = k().lookup("who");
    let h = find(&who, "World Health Organization").unwrap();
    assert!(h.case_sensitive);
    assert_eq!(h.entry.kind, EntityType::Org);
    assert!(find(&k().lookup("ap"), "Associated Press").unwrap().case_sensitive);
    assert!(find(&k().lookup("is"), "Islamic State").unwrap().case_sensitive);
    // The full names are not.
    let h = k().lookup("world health organization");
    assert!(!h[0].case_sensitive);
    // Nor are acronyms of rows not flagged.
    assert!(!find(&k().lookup("nato"), "North Atlantic Treaty Organization").unwrap().case_sensitive);
}

#[test]
fn organisations() {
    let hits = k().lookup("ria");
    let ria = find(&hits, "RIA Novosti").unwrap();
    assert_eq!(ria.entry.kind, EntityType::Org);
    assert_eq!(ria.entry.code.as_deref(), Some("RUS"));
    assert_eq!(ria.entry.subtype, "agency");
    assert_eq!(ria.relation, Relation::Alias);

    for (key, name, code, subtype) in [
        ("ntb", "NTB", Some("NOR"), "agency"),
        ("kcna", "Korean Central News Agency", Some("PRK"), "agency"),
        ("nato", "North Atlantic Treaty Organization", None, "igo"),
        ("un security council", "United Nations Security Council", None, "igo"),
        ("u.n. security council", "United Nations Security Council", None, "igo"),
        ("icc", "International Criminal Court", None, "court"),
        ("iaea", "International Atomic Energy Agency", None, "igo"),
        ("eu", "European Union", None, "igo"),
        ("tass", "TASS", Some("RUS"), "agency"),
        ("yonhap", "Yonhap", Some("KOR"), "agency"),
        ("afp", "Agence France-Presse", Some("FRA"), "agency"),
        ("hamas", "Hamas", Some("PSE"), "armed_group"),
        ("wagner group", "Wagner Group", Some("RUS"), "armed_group"),
        ("bbc", "British Broadcasting Corporation", Some("GBR"), "media"),
    ] {
        let hits = k().lookup(key);
        let h = find(&hits, name).unwrap_or_else(|| panic!("{key}: {hits:?}"));
        assert_eq!(h.entry.kind, EntityType::Org, "{key}");
        assert_eq!(h.entry.code.as_deref(), code, "{key}");
        assert_eq!(h.entry.subtype, subtype, "{key}");
    }
}

#[test]
fn places_regions_landmarks() {
    for (key, name, subtype, code) in [
        ("korean peninsula", "Korean Peninsula", "landmark", None),
        ("mount paektu", "Mount Paektu", "landmark", None),
        ("black sea", "Black Sea", "landmark", None),
        ("strait of hormuz", "Strait of Hormuz", "landmark", None),
        ("middle east", "Middle East", "region", None),
        ("northeast asia", "Northeast Asia", "region", None),
        ("gaza strip", "Gaza Strip", "region", Some("PSE")),
        ("west bank", "West Bank", "region", Some("PSE")),
        ("crimea", "Crimea", "region", Some("UKR")),
        ("donbass", "Donbas", "region", Some("UKR")),
        ("texas", "Texas", "region", Some("USA")),
        ("kharkov", "Kharkiv", "city", Some("UKR")),
        ("bombay", "Mumbai", "city", Some("IND")),
        ("lodz", "Łódź", "city", Some("POL")),
        ("bogota", "Bogotá", "city", Some("COL")),
        ("xi'an", "Xi’an", "city", Some("CHN")),
        ("tromso", "Tromsø", "city", Some("NOR")),
    ] {
        let hits = k().lookup(&fold(key));
        let h = find(&hits, name).unwrap_or_else(|| panic!("{key}: {hits:?}"));
        assert_eq!(h.entry.subtype, subtype, "{key}");
        assert_eq!(h.entry.code.as_deref(), code, "{key}");
        assert_eq!(h.entry.kind, EntityType::Place);
    }
}

#[test]
fn common_words_are_not_places() {
    for w in [
        "of",
        "nice",
        "mobile",
        "reading",
        "bath",
        "split",
        "independence",
        "victoria",
        "florence",
        "austin",
        "man",
        "male",
        "the",
        "and",
        "said",
    ] {
        let hits = k().lookup(w);
        assert!(hits.iter().all(|h| h.entry.subtype != "city"), "{w}: {hits:?}");
    }
}

#[test]
fn several_cities_share_a_name() {
    let hits = k().lookup("birmingham");
    assert!(hits.len() >= 2);
    // The most populous first.
    assert_eq!(hits[0].entry.code.as_deref(), Some("GBR"));
    let hits = k().lookup("georgia");
    assert!(hits[0].entry.is_country());
    assert!(hits.iter().any(|h| h.entry.code.as_deref() == Some("USA")));
}

#[test]
fn country_by_code() {
    let k = k();
    assert_eq!(k.country("NOR").unwrap().name, "Norway");
    assert_eq!(k.country("PRK").unwrap().name, "North Korea");
    assert_eq!(k.country("USA").unwrap().code.as_deref(), Some("USA"));
    assert!(k.country("XXX").is_none());
    assert!(k.country("nor").is_none());
}

#[test]
fn entry_codes_name_countries() {
    let k = k();
    for e in k.entries() {
        if let Some(code) = &e.code {
            assert!(k.country(code).is_some(), "{e:?}");
        }
        if e.is_country() {
            assert!(e.code.is_some());
        }
    }
}

#[test]
fn every_name_finds_its_entry() {
    let k = k();
    for e in k.entries() {
        let hits = k.lookup(&fold(&e.name));
        assert!(hits.iter().any(|h| std::ptr::eq(h.entry, e) && h.relation == Relation::Name), "{e:?}");
    }
}

#[test]
fn possessives_are_left_to_the_caller() {
    assert!(k().lookup("russia's").is_empty());
    assert!(!k().lookup("russia").is_empty());
}

#[test]
fn max_words_covers_long_names() {
    let k = k();
    let words = fold("Office of the United Nations High Commissioner for Human Rights").split(' ').count();
    assert!(k.max_words() >= words);
    assert!(k.max_words() < 20);
}

#[test]
fn keys_are_folded() {
    for key in Knowledge::get().index.keys() {
        assert_eq!(&fold(key), key);
    }
}

#[test]
fn shipped_tables_parse_without_problems() {
    let k = Knowledge::parse(COUNTRIES, PLACES, ORGANISATIONS, PEOPLE);
    assert!(k.problems().is_empty(), "{:?}", k.problems());
}

#[test]
fn people_in_the_news_act_for_their_country() {
    let k = Knowledge::get();
    let putin = k.lookup("putin");
    assert_eq!(putin[0].entry.name, "Vladimir Putin");
    assert_eq!(putin[0].entry.kind, EntityType::Person);
    assert_eq!(putin[0].entry.code.as_deref(), Some("RUS"));
}

#[test]
fn bad_rows_are_reported_not_fatal() {
    let k = Knowledge::parse(
        "h\nAAA\tAA\tA-land\t\t\tNowhere\t1\t0\nshort\n",
        "h\nX\t\tcity\tZZZ\t\t\n",
        "h\nO\t\tigo\t\t0\n",
        "h\nP\t\tZZZ\trole\n",
    );
    assert_eq!(k.problems().len(), 4, "{:?}", k.problems());
    assert_eq!(k.lookup("o")[0].entry.kind, EntityType::Org);
    assert_eq!(k.lookup("a land")[0].entry.name, "A-land");
}

#[test]
fn fast_fold_matches_fold() {
    for s in [
        "Kim  Jong-Un",
        " -New York- ",
        "U.S.",
        "O`Neil",
        "Guinea-Bissau",
        "a\tb\nc",
        "\u{b}x\u{c}y",
        "Łódź",
        "ABC",
        "",
        "-",
    ] {
        assert_eq!(fold_key(s), fold(s), "{s:?}");
    }
    let k = k();
    for e in k.entries() {
        assert_eq!(fold_key(&e.name), fold(&e.name));
    }
}
