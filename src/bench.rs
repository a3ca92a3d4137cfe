//! `newsgraph bench`: the measurements behind BENCHMARKS.md.
//!
//! - `pipeline`: analysis speed end to end per input format and thread count, peak memory, and
//!   the time of each layer (in `bench_pipeline.rs`).
//! - `generate`: deterministic news articles from templates, as JSON Lines: invented people,
//!   organisations and outlets, real countries and cities, about twenty thousand stories per
//!   hundred thousand articles (one to forty articles each, some syndicated copies), each
//!   story with its own event, amounts, dates and quotations shared by its reports.
//! - `urls`: request targets for the load generator, picked from a store.
//! - `load`: a load generator: concurrent keep-alive HTTP/1.1 clients on loopback, bounded in
//!   requests and time, reporting throughput and latency percentiles as one JSON line.

use clap::{Subcommand, ValueEnum};
use newsgraph_store::Store;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Measures `analyze` end to end (per input format, one thread and all threads, with peak
    /// memory) and each layer's time, on a generated corpus or given files; writes a JSON report.
    Pipeline(crate::bench_pipeline::PipelineArgs),
    /// Runs newsgraph with the given arguments and prints its exit status, CPU seconds and peak
    /// resident memory (MB).
    #[command(hide = true)]
    Measure {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Writes generated articles as JSON Lines (the same for the same seed and count).
    Generate {
        #[arg(long, default_value_t = 1000)]
        articles: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Background paragraphs are added until an article has at least this many words.
        #[arg(long, default_value_t = 0)]
        words: usize,
        /// Output file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Prints request targets for `load`, one per line, picked evenly from a store.
    Urls {
        #[arg(long, default_value = "newsgraph.db")]
        db: PathBuf,
        #[arg(long, value_enum)]
        kind: UrlKind,
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
    /// Sends GET requests for the targets in a file from concurrent clients and reports
    /// throughput and latency.
    Load {
        /// host:port of the server (loopback).
        #[arg(long)]
        addr: String,
        /// A file with one request target (/path?query) per line.
        #[arg(long)]
        urls: PathBuf,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Stop after this many requests …
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// … or after this many seconds.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// A name for the report.
        #[arg(long, default_value = "load")]
        label: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum UrlKind {
    /// Search pages for entity names and topic words.
    Search,
    /// The same searches through the JSON API.
    ApiSearch,
    /// Story pages.
    Story,
    /// Stories through the JSON API.
    ApiStory,
}

pub fn run(cmd: BenchCommand) -> Result<ExitCode, String> {
    match cmd {
        BenchCommand::Pipeline(args) => crate::bench_pipeline::run(args),
        BenchCommand::Measure { args } => crate::bench_pipeline::measure(&args),
        BenchCommand::Generate { articles, seed, words, out } => {
            let sink: Box<dyn Write> = match out {
                Some(p) => {
                    Box::new(std::fs::File::create(&p).map_err(|e| format!("cannot write {}: {e}", p.display()))?)
                }
                None => Box::new(std::io::stdout().lock()),
            };
            let mut w = BufWriter::new(sink);
            generate(articles, seed, words, &mut w).map_err(|e| format!("cannot write: {e}"))?;
            w.flush().map_err(|e| format!("cannot write: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Urls { db, kind, count } => {
            let store = Store::open_read_only(&db).map_err(|e| e.to_string())?;
            for u in urls(&store, kind, count).map_err(|e| e.to_string())? {
                println!("{u}");
            }
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Load { addr, urls, clients, requests, seconds, label } => {
            let text = std::fs::read_to_string(&urls).map_err(|e| format!("cannot read {}: {e}", urls.display()))?;
            let targets: Vec<String> =
                text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
            if targets.is_empty() {
                return Err(format!("no request target in {}", urls.display()));
            }
            let report = load(&addr, &targets, clients, requests, Duration::from_secs(seconds));
            println!(
                "{}",
                serde_json::json!({
                    "label": label, "clients": clients, "requests": report.requests, "errors": report.errors,
                    "seconds": report.seconds, "throughput": report.throughput,
                    "p50_ms": report.p50_ms, "p90_ms": report.p90_ms, "p99_ms": report.p99_ms, "max_ms": report.max_ms,
                })
            );
            Ok(if report.errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn word(&mut self, v: &[&'static str]) -> &'static str {
        v[self.below(v.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// (country, capital, demonym, other cities)
const COUNTRIES: &[(&str, &str, &str, &[&str])] = &[
    ("Serbia", "Belgrade", "Serbian", &["Novi Sad", "Niš"]),
    ("Hungary", "Budapest", "Hungarian", &["Szeged", "Debrecen"]),
    ("Norway", "Oslo", "Norwegian", &["Bergen", "Tromsø"]),
    ("Canada", "Ottawa", "Canadian", &["Toronto", "Halifax"]),
    ("Germany", "Berlin", "German", &["Munich", "Hamburg"]),
    ("France", "Paris", "French", &["Lyon", "Marseille"]),
    ("Italy", "Rome", "Italian", &["Milan", "Naples"]),
    ("Spain", "Madrid", "Spanish", &["Barcelona", "Valencia"]),
    ("Poland", "Warsaw", "Polish", &["Kraków", "Gdańsk"]),
    ("Romania", "Bucharest", "Romanian", &["Cluj-Napoca", "Constanța"]),
    ("Greece", "Athens", "Greek", &["Thessaloniki", "Patras"]),
    ("Turkey", "Ankara", "Turkish", &["Istanbul", "Izmir"]),
    ("Egypt", "Cairo", "Egyptian", &["Alexandria", "Port Said"]),
    ("Kenya", "Nairobi", "Kenyan", &["Mombasa", "Kisumu"]),
    ("Nigeria", "Abuja", "Nigerian", &["Lagos", "Kano"]),
    ("Brazil", "Brasília", "Brazilian", &["São Paulo", "Recife"]),
    ("Argentina", "Buenos Aires", "Argentine", &["Córdoba", "Rosario"]),
    ("Mexico", "Mexico City", "Mexican", &["Guadalajara", "Monterrey"]),
    ("Japan", "Tokyo", "Japanese", &["Osaka", "Sapporo"]),
    ("India", "New Delhi", "Indian", &["Mumbai", "Chennai"]),
    ("Indonesia", "Jakarta", "Indonesian", &["Surabaya", "Medan"]),
    ("Australia", "Canberra", "Australian", &["Sydney", "Perth"]),
    ("Chile", "Santiago", "Chilean", &["Valparaíso", "Antofagasta"]),
    ("Vietnam", "Hanoi", "Vietnamese", &["Ho Chi Minh City", "Da Nang"]),
    ("Ghana", "Accra", "Ghanaian", &["Kumasi", "Tamale"]),
    ("Portugal", "Lisbon", "Portuguese", &["Porto", "Faro"]),
    ("Sweden", "Stockholm", "Swedish", &["Gothenburg", "Malmö"]),
    ("Finland", "Helsinki", "Finnish", &["Tampere", "Oulu"]),
    ("Austria", "Vienna", "Austrian", &["Graz", "Linz"]),
    ("Morocco", "Rabat", "Moroccan", &["Casablanca", "Tangier"]),
];

const GIVEN: &[&str] = &[
    "Milena",
    "Tamás",
    "Ingrid",
    "Gordon",
    "Colleen",
    "Lena",
    "Sverre",
    "Amara",
    "Kwame",
    "Yuki",
    "Ravi",
    "Sofía",
    "Mateus",
    "Elif",
    "Nikos",
    "Agnieszka",
    "Ioana",
    "Pekka",
    "Astrid",
    "Omar",
    "Fatima",
    "Hiroshi",
    "Priya",
    "Diego",
    "Camila",
    "Lukas",
    "Marta",
    "Henrik",
    "Chiara",
    "Youssef",
    "Grace",
    "Tunde",
    "Ana",
    "Jakob",
    "Leila",
    "Dmitri",
    "Clara",
    "Emeka",
    "Nadia",
    "Pablo",
    "Sara",
    "Viktor",
    "Hannah",
    "Kenji",
    "Aisha",
    "Bruno",
    "Eva",
    "Samuel",
];
const SURNAMES: &[&str] = &[
    "Đurović",
    "Kővári",
    "Solheim",
    "Ashby",
    "Pardy",
    "Marsh",
    "Nygaard",
    "Okafor",
    "Mensah",
    "Tanaka",
    "Iyer",
    "Herrera",
    "Carvalho",
    "Yıldız",
    "Papadakis",
    "Nowak",
    "Popescu",
    "Virtanen",
    "Lindqvist",
    "Benali",
    "Haddad",
    "Sato",
    "Raman",
    "Fuentes",
    "Rojas",
    "Becker",
    "Kowalska",
    "Dahl",
    "Ricci",
    "Amrani",
    "Wanjiru",
    "Adeyemi",
    "Ferreira",
    "Gruber",
    "Karimi",
    "Volkov",
    "Moreau",
    "Eze",
    "Hamdan",
    "Ortega",
    "Lund",
    "Petrović",
    "Schmidt",
    "Mori",
    "Bello",
    "Costa",
    "Novak",
    "Mwangi",
    "Andersen",
    "Silva",
    "Kaya",
    "Horvat",
    "Brennan",
    "Duarte",
];
const ROLES: &[&str] = &[
    "Foreign Minister",
    "Finance Minister",
    "Agriculture Minister",
    "Energy Minister",
    "Prime Minister",
    "Interior Minister",
    "Trade Minister",
    "President",
];
const ORG_HEADS: &[&str] = &["Council", "Association", "Union", "Institute", "Authority", "Federation", "Agency"];
const ORG_SECTORS: &[&str] = &[
    "Water",
    "Farmers",
    "Fisheries",
    "Port",
    "Energy",
    "Rail",
    "Dockworkers",
    "Teachers",
    "Nurses",
    "Steel",
    "Grain",
    "Mining",
    "Textile",
    "Forestry",
    "Transport",
    "Tourism",
];
const COMPANIES: &[&str] = &[
    "Bluecrest",
    "Northwind",
    "Silverline",
    "Redwater",
    "Ironbridge",
    "Greenfield",
    "Stonegate",
    "Brightwave",
    "Harborview",
    "Eastmoor",
    "Coldspring",
    "Westfall",
    "Sunvale",
    "Kestrel",
    "Falcon Ridge",
    "Oakhaven",
];
const COMPANY_KINDS: &[&str] =
    &["Holdings", "Marine", "Energy", "Logistics", "Mining", "Foods", "Shipping", "Textiles"];
const TOPICS: &[&str] = &[
    "water sharing",
    "fishing quotas",
    "gas supplies",
    "rail links",
    "grain exports",
    "electricity trade",
    "border crossings",
    "river pollution",
    "port fees",
    "steel tariffs",
    "wind power",
    "flood defences",
    "migration",
    "digital taxes",
    "air links",
    "customs rules",
];
const ISSUES: &[&str] = &[
    "irrigation cuts",
    "pension reform",
    "fuel prices",
    "port closures",
    "job losses",
    "water rationing",
    "school closures",
    "hospital funding",
    "rent increases",
    "mine closures",
];
const DISASTERS: &[&str] = &["floods", "a drought", "an earthquake", "wildfires", "a storm", "a landslide"];
const OUTLET_A: &[&str] = &[
    "danube",
    "harbour",
    "meridian",
    "nordic",
    "eastgate",
    "gulfstream",
    "balkan",
    "continental",
    "atlantic",
    "pacific",
    "river",
    "capital",
    "coastal",
    "highland",
    "metro",
    "valley",
    "summit",
    "global",
    "evening",
    "morning",
];
const OUTLET_B: &[&str] = &[
    "herald",
    "courier",
    "post",
    "daily",
    "gazette",
    "times",
    "wire",
    "ledger",
    "tribune",
    "observer",
    "dispatch",
    "journal",
    "chronicle",
    "record",
    "star",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

struct Person {
    name: String,
    role: &'static str,
}

/// Days since 1970-01-01 to (year, month, day).
fn civil(days: i64) -> (i64, usize, usize) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as usize;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn money(rng: &mut Rng) -> (String, String) {
    let n = 1 + rng.below(900);
    let (cur, sym) = *rng.pick(&[("euros", "€"), ("dollars", "$"), ("dollars", "$")]);
    let scale = *rng.pick(&["million", "million", "billion"]);
    let _ = cur;
    (format!("{sym}{}.{} {scale}", n / 10 + 1, n % 10), format!("{} {scale} {cur}", n / 10 + 1))
}

/// One story's facts, shared by the articles that report it.
struct Story {
    kind: usize,
    day: i64,
    a: usize,
    b: usize,
    p1: Person,
    p2: Person,
    p3: Person,
    org: String,
    company: String,
    city: String,
    topic: &'static str,
    issue: &'static str,
    disaster: &'static str,
    amount: String,
    count: usize,
    quotes: Vec<String>,
}

fn person(rng: &mut Rng, roles: &[&'static str]) -> Person {
    Person { name: format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES)), role: rng.word(roles) }
}

fn make_story(rng: &mut Rng, n: usize) -> Story {
    let a = rng.below(COUNTRIES.len());
    let mut b = rng.below(COUNTRIES.len());
    if b == a {
        b = (b + 1) % COUNTRIES.len();
    }
    let topic = *rng.pick(TOPICS);
    let issue = *rng.pick(ISSUES);
    let org = format!("{} {} {}", COUNTRIES[a].2, rng.pick(ORG_SECTORS), rng.pick(ORG_HEADS));
    let company = format!("{} {}", rng.pick(COMPANIES), rng.pick(COMPANY_KINDS));
    let city = rng.pick(COUNTRIES[a].3).to_string();
    let p1 = person(rng, ROLES);
    let p2 = person(rng, ROLES);
    let p3 = person(rng, &["spokeswoman", "spokesman", "chairwoman", "chairman", "economist", "analyst"]);
    let (amount, _) = money(rng);
    let openers = [
        "We came here with concrete proposals and we leave with a result",
        "This is a fair outcome for both sides",
        "Nobody should pretend that the problem is solved",
        "Our people expect action, not more promises",
        "We will not accept a decision taken without us",
        "The numbers speak for themselves",
        "This was the hardest negotiation of my career",
        "We have waited long enough for an answer",
    ];
    let tails = [
        format!("on {topic}"),
        format!("about {issue}"),
        "for the coming years".to_string(),
        format!("in {city}"),
        "and we will keep our word".to_string(),
    ];
    let mut quotes = Vec::new();
    for _ in 0..3 {
        quotes.push(format!("{} {}", rng.pick(&openers), rng.pick(&tails)));
    }
    // Story dates spread over two years from 2023-01-01 (19358).
    Story {
        kind: rng.below(8),
        day: 19_358 + rng.below(730) as i64,
        a,
        b,
        p1,
        p2,
        p3,
        org,
        company,
        city,
        topic,
        issue,
        disaster: rng.word(DISASTERS),
        amount,
        count: 100 + rng.below(9000) + n % 7,
        quotes,
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// One report of a story by one outlet: headline and paragraphs.
fn article_text(rng: &mut Rng, s: &Story) -> (String, Vec<String>) {
    let (ca, cb) = (COUNTRIES[s.a], COUNTRIES[s.b]);
    let (_, month, dom) = civil(s.day);
    let weekday = WEEKDAYS[((s.day + 3).rem_euclid(7)) as usize];
    let when = if rng.chance(0.5) { format!("on {weekday}") } else { format!("on {} {dom}", MONTHS[month - 1]) };
    let p1 = format!("{} {} {}", ca.2, s.p1.role, s.p1.name);
    let p2 = format!("{} {} {}", cb.2, s.p2.role, s.p2.name);
    let last = |p: &Person| p.name.rsplit(' ').next().unwrap_or(&p.name).to_string();
    let (l1, l2, l3) = (last(&s.p1), last(&s.p2), last(&s.p3));
    let (title, lead) = match s.kind {
        0 => (
            rng.pick(&[
                format!("{} and {} sign deal on {}", ca.0, cb.0, s.topic),
                format!("{} and {} reach agreement on {} after long talks", ca.0, cb.0, s.topic),
                format!("{}–{} {} accord signed in {}", ca.0, cb.0, s.topic, ca.1),
            ])
            .clone(),
            format!(
                "{p1} and {p2} signed an agreement on {} in {} {when}, ending months of talks between {} and {}.",
                s.topic, ca.1, ca.0, cb.0
            ),
        ),
        1 => (
            rng.pick(&[
                format!("{} arrives in {} for talks on {}", s.p2.name, ca.1, s.topic),
                format!("{} minister visits {} as {} talks resume", cb.2, ca.0, s.topic),
                format!("Talks on {} open in {}", s.topic, ca.1),
            ])
            .clone(),
            format!("{p2} arrived in {} {when} for talks with {} on {}.", ca.1, ca.0, s.topic),
        ),
        2 => (
            rng.pick(&[
                format!("Thousands protest in {} over {}", s.city, s.issue),
                format!("{} stages protest against {}", s.org, s.issue),
                format!("Protesters fill the streets of {} as anger over {} grows", s.city, s.issue),
            ])
            .clone(),
            format!("Thousands of members of the {} rallied in {} {when} against {}.", s.org, s.city, s.issue),
        ),
        3 => (
            rng.pick(&[
                format!("{} imposes sanctions on {}", ca.0, s.company),
                format!("{} fined {} as {} cracks down", s.company, s.amount, ca.0),
                format!("{} hit with sanctions over {}", s.company, s.topic),
            ])
            .clone(),
            format!(
                "{} imposed sanctions on {} {when}, suspending its licences and ordering a fine of {} over breaches of rules on {}.",
                ca.0, s.company, s.amount, s.topic
            ),
        ),
        4 => (
            rng.pick(&[
                format!("{} pledges {} in aid to {} after {}", ca.0, s.amount, cb.0, s.disaster),
                format!("Aid from {} arrives in {}", ca.0, cb.0),
                format!("{} sends help to {} hit by {}", ca.0, cb.0, s.disaster),
            ])
            .clone(),
            format!("{} will provide {} in humanitarian aid to {} after {} {when}, {p1} said.", ca.0, s.amount, cb.0, s.disaster),
        ),
        5 => (
            rng.pick(&[
                format!("{} accuses {} of ignoring {} rules", s.org, s.company, s.topic),
                format!("{} under fire from {}", s.company, s.org),
                format!("Row over {} as {} blames {}", s.topic, s.org, s.company),
            ])
            .clone(),
            format!("The {} accused {} {when} of breaking the rules on {} in {}.", s.org, s.company, s.topic, s.city),
        ),
        6 => (
            rng.pick(&[
                format!("{} threatens strike over {}", s.org, s.issue),
                format!("Strike threat in {} as talks on {} stall", s.city, s.issue),
                format!("{} warns of walkout over {}", s.org, s.issue),
            ])
            .clone(),
            format!("The {} threatened {when} to strike across {} unless the government drops its plans on {}.", s.org, ca.0, s.issue),
        ),
        _ => (
            rng.pick(&[
                format!("{} rejects {} proposal on {}", ca.0, cb.2, s.topic),
                format!("{} says no to {} plan", ca.0, cb.0),
                format!("Setback for {} talks as {} rejects offer", s.topic, ca.0),
            ])
            .clone(),
            format!("{p1} rejected a proposal from {} on {} {when}, saying it came too late.", cb.0, s.topic),
        ),
    };
    let mut paras = vec![lead];
    let q = |i: usize| &s.quotes[i % s.quotes.len()];
    paras.push(match rng.below(3) {
        0 => format!("\"{},\" {l1} told reporters in {}.", q(0), ca.1),
        1 => format!("\"{},\" {l1} said. \"{}.\"", q(0), q(1)),
        _ => format!("{l1} said that {} would not change course, and added: \"{}.\"", ca.0, q(0)),
    });
    // The body: the story's own facts, in an order and with background that vary by report.
    let mut middle = vec![format!(
        "The {} says about {} people are affected, and officials put the cost at {}. {}",
        s.org,
        s.count,
        s.amount,
        filler(rng, s)
    )];
    if rng.chance(0.8) {
        middle.push(match rng.below(2) {
            0 => format!("\"{},\" {p2} said in {}.", q(2), cb.1),
            _ => format!(
                "According to {l2}, {} is ready to cooperate with {} on {}. {}",
                cb.0,
                ca.0,
                s.topic,
                filler(rng, s)
            ),
        });
    }
    if rng.chance(0.7) {
        let view = *rng.pick(&[
            "agreement came late",
            "figures were too low",
            "plan needed more work",
            "decision was overdue",
        ]);
        middle.push(format!(
            "{}{} {} of the {} said the {view}: \"{}.\"",
            s.p3.role[..1].to_uppercase(),
            &s.p3.role[1..],
            s.p3.name,
            s.org,
            q(1)
        ));
    }
    for _ in 0..3 + rng.below(5) {
        let n = 2 + rng.below(3);
        let para: Vec<String> = (0..n).map(|_| filler(rng, s)).collect();
        middle.push(para.join(" "));
    }
    // a few reports mention the speaker again
    if rng.chance(0.4) {
        middle.push(format!("{l3} said the next meeting was planned for {} in {}.", MONTHS[(month + 1) % 12], cb.1));
    }
    while !middle.is_empty() {
        let i = rng.below(middle.len());
        paras.push(middle.swap_remove(i));
    }
    let wd = WEEKDAYS[rng.below(7)];
    paras.push(
        rng.pick(&[
            format!("{l2} is expected to return to {} later this month.", cb.1),
            format!("The {} will meet again on {wd}.", s.org),
            format!("Both governments said more details would follow in {}.", MONTHS[month % 12]),
        ])
        .clone(),
    );
    (title, paras)
}

/// One background sentence, from a pool of templates with the story's names and random facts.
fn filler(rng: &mut Rng, s: &Story) -> String {
    let (ca, cb) = (COUNTRIES[s.a], COUNTRIES[s.b]);
    let n = 2 + rng.below(97);
    let year = 2005 + rng.below(18);
    let month = MONTHS[rng.below(12)];
    let other = COUNTRIES[rng.below(COUNTRIES.len())];
    let city = *rng.pick(other.3);
    let who = format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES));
    match rng.below(30) {
        0 => format!(
            "Trade between {} and {} reached {n} billion euros last year, according to official figures.",
            ca.0, cb.0
        ),
        1 => format!("The two countries last signed a comparable deal in {year}."),
        2 => format!("Officials in {} said talks with {} would continue in {month}.", cb.1, ca.0),
        3 => format!("The {} has about {n},000 members across {}.", s.org, ca.0),
        4 => format!("Analysts in {city} said the outcome would shape the debate on {} for years.", s.topic),
        5 => {
            format!("{who}, a researcher who follows {} closely, said the figures had been known for months.", s.topic)
        }
        6 => format!("Local media in {} reported that {n} percent of those asked supported the plan.", ca.0),
        7 => format!("Rain and high winds delayed several flights at the airport in {} on the same day.", ca.1),
        8 => format!("The government in {} has promised a review of its rules on {} by {month}.", ca.1, s.issue),
        9 => format!("Shares in {} fell {}.{} percent in early trading.", s.company, n % 9, n % 7),
        10 => format!("In {year}, a similar dispute over {} took almost two years to settle.", s.topic),
        11 => format!("{who} of the University of {city} said the {} had been under pressure for a decade.", s.org),
        12 => format!("The opposition in {} said the government had moved too slowly.", cb.0),
        13 => format!("About {n} delegates from {} and {} attended the meeting.", ca.0, cb.0),
        14 => format!("The {} said it had written to ministers in {} and {} in {month}.", s.org, ca.1, cb.1),
        15 => format!(
            "A survey published in {month} found that {n} percent of households in {} worried about {}.",
            s.city, s.issue
        ),
        16 => format!("Water levels in the region have fallen by {n} centimetres since {year}."),
        17 => format!("The issue is expected to come up at a regional summit in {city} in {month}."),
        18 => format!("Police said {n} people were questioned after the meeting in {}.", s.city),
        19 => format!("{} has been a member of the group since {year}.", ca.0),
        20 => format!("The company employs around {n}00 people in {}.", s.city),
        21 => format!("Critics say the {} has little power over {}.", s.org, s.company),
        22 => format!("Diplomats from {} and {} were also present.", other.0, COUNTRIES[(s.b + 3) % COUNTRIES.len()].0),
        23 => format!("Prices for {} have risen by {n} percent since the start of the year.", s.topic),
        24 => format!("{who} told a local radio station in {city} that the plan \"could work\"."),
        25 => format!("The ministry in {} did not answer questions about {}.", cb.1, s.issue),
        26 => format!("A report by the {} in {year} warned of the risks of {}.", s.org, s.issue),
        27 => format!("Fishing boats from {} and {} have worked the same waters for centuries.", ca.0, cb.0),
        28 => format!("The next round of talks could take place in {city} or {}.", cb.1),
        _ => format!("Turnout at the meeting in {} was the highest in {n} years.", s.city),
    }
}

/// Writes `count` articles as JSON Lines, each of at least `min_words` words.
pub fn generate(count: usize, seed: u64, min_words: usize, w: &mut dyn Write) -> std::io::Result<()> {
    let mut rng = Rng(seed ^ 0x6e65_7773_6772_6170);
    let outlets: Vec<String> =
        OUTLET_A.iter().flat_map(|a| OUTLET_B.iter().map(move |b| format!("{a}{b}.example"))).collect();
    let mut written = 0usize;
    let mut story_no = 0usize;
    while written < count {
        let s = make_story(&mut rng, story_no);
        story_no += 1;
        let size = match rng.below(100) {
            0..=29 => 1,
            30..=69 => 2 + rng.below(3),
            70..=94 => 5 + rng.below(6),
            _ => 11 + rng.below(30),
        }
        .min(count - written);
        let mut reports: Vec<(String, Vec<String>)> = Vec::new();
        for k in 0..size {
            let site = rng.pick(&outlets).clone();
            let day = s.day + rng.below(3) as i64;
            let (y, m, d) = civil(day);
            let (title, paras) = if k > 0 && rng.chance(0.12) {
                // a syndicated copy: someone else's report, a few words changed
                let (t, p) = rng.pick(&reports).clone();
                let p = p
                    .into_iter()
                    .map(|x| x.replacen(" said", " stated", 1).replacen("reporters", "journalists", 1))
                    .collect();
                (format!("{t} – report"), p)
            } else {
                let (t, mut p) = article_text(&mut rng, &s);
                let mut words: usize = p.iter().map(|x| x.split_whitespace().count()).sum();
                while words < min_words {
                    let para = (0..3).map(|_| filler(&mut rng, &s)).collect::<Vec<_>>().join(" ");
                    words += para.split_whitespace().count();
                    p.push(para);
                }
                (t, p)
            };
            reports.push((title.clone(), paras.clone()));
            let mut text = paras.join("\n\n");
            if rng.chance(0.3) {
                text.push_str("\n\nRead more: ");
                text.push_str(&article_text(&mut rng, &s).0);
            }
            let author = format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES));
            writeln!(
                w,
                "{{\"id\":\"gen-{written}\",\"url\":\"https://{site}/news/{written}\",\"title\":{},\"text\":{},\"date_publish\":\"{y:04}-{m:02}-{d:02}\",\"authors\":[{}],\"source_domain\":\"{site}\",\"language\":\"en\"}}",
                json_str(&title),
                json_str(&text),
                json_str(&author)
            )?;
            written += 1;
        }
    }
    Ok(())
}

/// Request targets spread evenly over a store's entities (searches) or stories.
fn urls(store: &Store, kind: UrlKind, count: usize) -> newsgraph_store::Result<Vec<String>> {
    use newsgraph_web::html::enc;
    let mut out = Vec::new();
    match kind {
        UrlKind::Search | UrlKind::ApiSearch => {
            let prefix = if matches!(kind, UrlKind::Search) { "/search?q=" } else { "/api/search?q=" };
            // Names in order of frequency, every k-th, so that common and rare names are both
            // asked; every fourth query adds a topic word.
            let names = store.entity_names_by_frequency()?;
            let step = (names.len() / count.max(1)).max(1);
            let words =
                ["talks", "agreement", "protest", "sanctions", "aid", "strike", "water sharing", "fishing quotas"];
            for (i, name) in names.iter().step_by(step).take(count).enumerate() {
                let q = if i % 4 == 3 { format!("{name} {}", words[i % words.len()]) } else { name.clone() };
                out.push(format!("{prefix}{}", enc(&q)));
            }
        }
        UrlKind::Story | UrlKind::ApiStory => {
            let prefix = if matches!(kind, UrlKind::Story) { "/stories/" } else { "/api/stories/" };
            let ids = store.story_ids()?;
            let step = (ids.len() / count.max(1)).max(1);
            for id in ids.iter().step_by(step).take(count) {
                out.push(format!("{prefix}{}", enc(id)));
            }
        }
    }
    Ok(out)
}

pub struct LoadReport {
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub throughput: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// One keep-alive connection: sends a GET, reads the whole response; Ok(status).
fn get(conn: &mut BufReader<TcpStream>, host: &str, target: &str) -> std::io::Result<u16> {
    let req = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: newsgraph-bench\r\n\r\n");
    conn.get_mut().write_all(req.as_bytes())?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    conn.read_exact(&mut body)?;
    Ok(status)
}

/// `clients` threads send requests for `targets` (each starting at a different place in the
/// list) until `max_requests` are done or `max_time` is up.
pub fn load(addr: &str, targets: &[String], clients: usize, max_requests: usize, max_time: Duration) -> LoadReport {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(max_requests)));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for c in 0..clients.max(1) {
            let (next, errors, latencies) = (Arc::clone(&next), Arc::clone(&errors), Arc::clone(&latencies));
            scope.spawn(move || {
                let mut mine = Vec::new();
                let mut conn: Option<BufReader<TcpStream>> = None;
                let mut i = c * targets.len() / clients.max(1);
                loop {
                    if next.fetch_add(1, Ordering::Relaxed) >= max_requests || started.elapsed() >= max_time {
                        break;
                    }
                    let target = &targets[i % targets.len()];
                    i += 1;
                    let t0 = Instant::now();
                    if conn.is_none() {
                        conn = TcpStream::connect(addr)
                            .ok()
                            .inspect(|s| {
                                let _ = s.set_nodelay(true);
                                let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
                            })
                            .map(BufReader::new);
                    }
                    let ok = match conn.as_mut().map(|c| get(c, addr, target)) {
                        Some(Ok(200)) => true,
                        Some(Ok(_)) => false,
                        _ => {
                            conn = None;
                            false
                        }
                    };
                    mine.push(t0.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Ok(mut l) = latencies.lock() {
                    l.extend(mine);
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let mut l = std::mem::take(&mut *latencies.lock().expect("no worker panicked"));
    l.sort_unstable();
    let pct = |p: f64| {
        if l.is_empty() {
            0.0
        } else {
            l[((l.len() as f64 * p).ceil() as usize).clamp(1, l.len()) - 1].as_secs_f64() * 1000.0
        }
    };
    LoadReport {
        requests: l.len(),
        errors: errors.load(Ordering::Relaxed),
        seconds,
        throughput: l.len() as f64 / seconds.max(1e-9),
        p50_ms: pct(0.50),
        p90_ms: pct(0.90),
        p99_ms: pct(0.99),
        max_ms: l.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    }
}
