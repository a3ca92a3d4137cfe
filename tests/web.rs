//! `newsgraph serve` on loopback: every API path of the OpenAPI document answers with the
//! documented shape, the pages render, the server is read-only, and a real headless browser
//! clicks through search → story → entity.

mod support;

use serde_json::Value;
use std::collections::HashMap;
use support::{chromium, example_store, get, request, Browser, Server};

/// Checks `v` against a JSON Schema subset (type, enum, minimum, required, properties, items,
/// minItems/maxItems, $ref). Objects may not carry properties the schema does not list, so the
/// document cannot fall behind the server.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        let s = &doc["components"]["schemas"][name];
        assert!(s.is_object(), "{r} is defined");
        return check(doc, s, v, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let fits = |t: &str| match t {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        };
        if !types.iter().any(|t| fits(t)) {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(e) = schema["enum"].as_array() {
        if !v.is_null() && !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(min), Some(x)) = (schema["minimum"].as_f64(), v.as_f64()) {
        if x < min {
            return Err(format!("{at}: {x} < {min}"));
        }
    }
    if let Some(o) = v.as_object() {
        for r in schema["required"].as_array().into_iter().flatten() {
            let key = r.as_str().unwrap();
            if !o.contains_key(key) {
                return Err(format!("{at}: missing {key}"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (k, x) in o {
                let Some(s) = props.get(k) else { return Err(format!("{at}: undocumented property {k}")) };
                check(doc, s, x, &format!("{at}.{k}"))?;
            }
        }
    }
    if let Some(a) = v.as_array() {
        if let Some(n) = schema["minItems"].as_u64() {
            if (a.len() as u64) < n {
                return Err(format!("{at}: fewer than {n} items"));
            }
        }
        if let Some(n) = schema["maxItems"].as_u64() {
            if a.len() as u64 > n {
                return Err(format!("{at}: more than {n} items"));
            }
        }
        if schema.get("items").is_some() {
            for (i, x) in a.iter().enumerate() {
                check(doc, &schema["items"], x, &format!("{at}[{i}]"))?;
            }
        }
    }
    Ok(())
}

fn response_schema<'a>(doc: &'a Value, path: &str, status: &str) -> &'a Value {
    let s = &doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"];
    assert!(s.is_object(), "{path} documents a {status} answer");
    s
}

#[test]
fn api_answers_as_documented() {
    let server = Server::start(example_store());
    let doc = get(&server.addr, "/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    // Real ids to fill in the paths.
    let stories = get(&server.addr, "/api/stories?sort=size").json();
    let story = stories["stories"][0]["id"].as_str().unwrap().to_string();
    let detail = get(&server.addr, &format!("/api/stories/{story}")).json();
    let article = detail["articles"][0]["id"].as_str().unwrap().to_string();
    let entity = detail["entities"][0]["id"].as_str().unwrap().to_string();
    let ids: HashMap<&str, &str> =
        [("story", story.as_str()), ("article", article.as_str()), ("entity", entity.as_str())].into();

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let params = item["get"]["parameters"].as_array().cloned().unwrap_or_default();
        let target = if path.contains("{id}") {
            let kind = match path.split('/').nth(2).unwrap() {
                "stories" => "story",
                "articles" => "article",
                _ => "entity",
            };
            path.replace("{id}", ids[kind])
        } else {
            path.clone()
        };
        // Once bare, once with every documented query parameter given a sensible value.
        let mut targets = vec![target.clone()];
        let query: Vec<String> = params
            .iter()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| {
                let name = p["name"].as_str().unwrap();
                let value = match name {
                    "q" if path == "/api/search" => "Tisza",
                    "q" => "a",
                    "limit" => "5",
                    "offset" => "0",
                    "sort" => "size",
                    "since" => "2025-03-01",
                    "until" => "2025-03-31",
                    "lang" => "en",
                    "type" if path == "/api/entities" => "PERSON",
                    "type" | "event" => "CONSULT",
                    "entity" => "Serbia",
                    "story" => ids["story"],
                    _ => return None,
                };
                Some(format!("{name}={}", value.replace(' ', "%20")))
            })
            .collect();
        if !query.is_empty() {
            targets.push(format!("{target}?{}", query.join("&")));
        }
        for t in targets {
            let r = get(&server.addr, &t);
            assert_eq!(r.status, 200, "{t}: {}", r.text());
            assert!(r.header("content-type").unwrap().starts_with("application/json"), "{t}");
            check(&doc, response_schema(&doc, path, "200"), &r.json(), &t).unwrap_or_else(|e| panic!("{e}"));
            checked += 1;
        }
        // Documented failures answer with the error shape.
        if path.contains("{id}") {
            let t = path.replace("{id}", "no-such-id");
            let r = get(&server.addr, &t);
            assert_eq!(r.status, 404, "{t}");
            check(&doc, response_schema(&doc, path, "404"), &r.json(), &t).unwrap();
        } else if params.iter().any(|p| p["name"] == "limit") {
            let t = format!("{path}?limit=many");
            let r = get(&server.addr, &t);
            assert_eq!(r.status, 400, "{t}");
            check(&doc, response_schema(&doc, path, "400"), &r.json(), &t).unwrap();
        }
    }
    assert!(checked >= 12, "{checked} answers checked");

    // The filters do filter.
    let all = get(&server.addr, "/api/search?q=Tisza").json()["results"].as_array().unwrap().len();
    let later = get(&server.addr, "/api/search?q=Tisza&since=2025-03-05").json()["results"].as_array().unwrap().len();
    assert!(all > later && later > 0, "{all} {later}");
    let page = get(&server.addr, "/api/search?q=Tisza&limit=2").json();
    assert_eq!(page["results"].as_array().unwrap().len(), 2);
    assert_eq!(page["next_offset"], 2);
    let bad = get(&server.addr, "/api/search?q=x&until=soon");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("bad date"));
    let record = get(&server.addr, &format!("/api/articles/{article}")).json();
    assert_eq!(record["id"], article.as_str());
    assert_eq!(record["story"], story.as_str());
}

#[test]
fn pages_render() {
    let server = Server::start(example_store());
    let a = &server.addr;
    let home = get(a, "/");
    assert_eq!(home.status, 200);
    assert!(home.header("content-type").unwrap().starts_with("text/html"));
    let html = home.text();
    assert!(html.contains("<meta name=\"viewport\""), "readable on a phone");
    assert!(html.contains("/static/style.css"), "our own styles");
    for external in ["src=\"http", "href=\"http", "<script", "@import"] {
        assert!(!html.contains(external), "nothing loaded from elsewhere, no script: {external}");
    }
    let story_href = html.split("href=\"/stories/").nth(1).and_then(|s| s.split('"').next()).expect("a story link");

    let story = get(a, &format!("/stories/{story_href}"));
    assert_eq!(story.status, 200);
    let s = story.text();
    for part in [
        "id=\"sources\"",
        "class=\"chart timeline\"",
        "class=\"chart graph\"",
        "id=\"quotes\"",
        "table class=\"claims\"",
        "href=\"/entities/",
    ] {
        assert!(s.contains(part), "the story page has {part}");
    }
    assert!(s.matches("<svg").count() >= 2, "timeline and actor graph are pictures");

    let size = get(a, "/?sort=size").text();
    assert!(size.contains("aria-current=\"true\" href=\"/?sort=size\""));
    let entity_href = s.split("href=\"/entities/").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let entity = get(a, &format!("/entities/{entity_href}"));
    assert_eq!(entity.status, 200);
    assert!(entity.text().contains("<h2>Stories</h2>"));
    assert_eq!(get(a, "/entities?type=PERSON").status, 200);
    let article_href = s.split("href=\"/articles/").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let art = get(a, &format!("/articles/{article_href}"));
    assert_eq!(art.status, 200);
    assert!(art.text().contains("class=\"story-link\""));

    let search = get(a, "/search?q=Tisza+water");
    assert_eq!(search.status, 200);
    let t = search.text();
    assert!(t.contains("<mark>") && t.contains("class=\"story-link\""), "results with highlights and story links");
    assert_eq!(get(a, "/search").status, 200);
    assert!(get(a, "/search?q=Tisza&entity=Serbia&since=2025-03-01&event=CONSULT").text().contains("class=\"result\""));
    assert_eq!(get(a, "/search?q=x&since=yesterday").status, 400);
    let xss = get(a, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E").text();
    assert!(!xss.contains("<script>"), "user text is escaped");

    let css = get(a, "/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css"));
    assert!(css.text().contains("@media"), "responsive styles");
    assert_eq!(get(a, "/stories/no-such-story").status, 404);
    assert_eq!(get(a, "/nothing/here").status, 404);
}

#[test]
fn server_is_read_only_and_answers_concurrently() {
    let dir = support::scratch("readonly");
    let db = dir.join("copy.db");
    std::fs::copy(example_store(), &db).unwrap();
    let before = std::fs::read(&db).unwrap();
    let server = Server::start(&db);
    let r = request(&server.addr, "POST", "/api/stories");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    assert_eq!(request(&server.addr, "DELETE", "/stories/x").status, 405);
    let head = request(&server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let csp = get(&server.addr, "/").header("content-security-policy").unwrap().to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");

    let story = get(&server.addr, "/api/stories").json()["stories"][0]["id"].as_str().unwrap().to_string();
    std::thread::scope(|s| {
        for i in 0..8 {
            let (addr, story) = (&server.addr, &story);
            s.spawn(move || {
                for j in 0..15 {
                    let t = match (i + j) % 3 {
                        0 => format!("/stories/{story}"),
                        1 => "/search?q=Tisza".to_string(),
                        _ => "/api/entities?limit=5".to_string(),
                    };
                    assert_eq!(get(addr, &t).status, 200, "{t}");
                }
            });
        }
    });
    drop(server);
    assert!(std::fs::read(&db).unwrap() == before, "serving does not change the store");
}

#[test]
fn browser_clicks_search_story_entity() {
    let Some(exe) = chromium() else {
        eprintln!("skipping the browser test: chromium is not installed (Debian: apt-get install chromium)");
        return;
    };
    let server = Server::start(example_store());
    let mut b = Browser::start(&exe, 1280, 900);

    // Search from the search page, typing and pressing the button.
    b.goto(&server.url("/search"));
    b.click("#q");
    b.type_text("Tisza water");
    b.click("#search-button");
    b.wait_for("/search?q=Tisza");
    let results = b.eval("document.querySelectorAll('li.result').length").as_u64().unwrap();
    assert!(results >= 3, "{results} results");
    assert!(b.eval("document.querySelector('li.result mark') !== null").as_bool().unwrap(), "matches are marked");

    // Open the first result's story.
    b.click("li.result a.story-link");
    b.wait_for("/stories/");
    let title = b.eval("document.querySelector('h1').textContent").as_str().unwrap().to_string();
    assert!(title.contains("Tisza"), "{title}");
    let checks = b.eval(
        "[document.querySelectorAll('table.sources tbody tr').length, \
          document.querySelectorAll('svg.timeline rect').length, \
          document.querySelectorAll('svg.graph circle').length, \
          document.querySelectorAll('#quotes blockquote').length, \
          document.querySelectorAll('table.claims tbody tr').length]",
    );
    for (i, what) in ["sources", "timeline bars", "graph nodes", "quotations", "claims"].iter().enumerate() {
        assert!(checks[i].as_u64().unwrap() > 0, "the story page shows {what}: {checks}");
    }
    // The picture fits the page: no horizontal scrolling on a laptop.
    assert!(b.eval("document.documentElement.scrollWidth <= window.innerWidth").as_bool().unwrap());

    // Then an entity from the actor graph's chips.
    let name = b.eval("document.querySelector('p.chips a.entity-link').textContent").as_str().unwrap().to_string();
    b.click("p.chips a.entity-link");
    b.wait_for("/entities/");
    let h1 = b.eval("document.querySelector('h1').textContent").as_str().unwrap().to_string();
    assert_eq!(h1, name);
    assert!(b.eval("document.querySelectorAll('ol.cards li').length").as_u64().unwrap() >= 1, "the entity's stories");

    // On a phone's width the story page still fits (tables scroll inside their box).
    b.call(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": false }),
    );
    let href = b.eval("document.querySelector('ol.cards a.story-link').href").as_str().unwrap().to_string();
    b.goto(&href);
    let fits = b.eval("document.documentElement.scrollWidth <= window.innerWidth + 1").as_bool().unwrap();
    assert!(fits, "no sideways scrolling on a phone");

    if let Ok(dir) = std::env::var("NEWSGRAPH_SHOTS") {
        b.screenshot(&std::path::Path::new(&dir).join("phone-story.png"), 0.0, Some(2400.0));
    }
}
