//! newsgraph's web server: a read-only JSON API and HTML pages over a store.
//!
//! A small synchronous HTTP server ([`http`]: a thread per connection) answers from a pool of
//! read-only connections to the store (SQLite in WAL mode lets them all read at once, also
//! while an ingest writes). Rendered responses are cached by URL until the store changes (its
//! generation number moves with every committed write). Pages, styles and the OpenAPI document
//! are compiled into the binary: nothing is fetched from elsewhere.

pub mod html;
pub mod http;
pub mod pages;
pub mod svg;

use html::parse_target;
use newsgraph_store::{EventQuery, SearchQuery, Store, StorySort};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};

pub const STYLE: &str = include_str!("style.css");
pub const OPENAPI: &str = include_str!("openapi.json");

#[derive(Debug, Clone)]
pub struct Config {
    /// The store: an SQLite file or a PostgreSQL database.
    pub db: newsgraph_store::Location,
    pub addr: String,
    pub threads: usize,
    /// Responses kept in the cache; 0 turns it off.
    pub cache_entries: usize,
}

/// A response before it is sent: status, content type, body.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Arc<Vec<u8>>,
}

impl Reply {
    fn html(status: u16, body: String) -> Reply {
        Reply { status, content_type: "text/html; charset=utf-8", body: Arc::new(body.into_bytes()) }
    }

    fn json<T: Serialize>(status: u16, v: &T) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            body: Arc::new(serde_json::to_vec(v).expect("responses serialise")),
        }
    }

    fn error(api: bool, status: u16, msg: &str) -> Reply {
        if api {
            Reply::json(status, &json!({ "error": msg }))
        } else if status == 404 {
            Reply::html(status, pages::not_found(msg))
        } else {
            Reply::html(status, html::page("Error", "", &format!("<h1>Error</h1><p>{}</p>", html::esc(msg))))
        }
    }
}

/// Responses by URL, valid for one generation of the store.
struct Cache {
    cap: usize,
    generation: u64,
    map: HashMap<String, Reply>,
}

impl Cache {
    fn get(&mut self, generation: u64, key: &str) -> Option<Reply> {
        if generation != self.generation {
            self.map.clear();
            self.generation = generation;
            return None;
        }
        self.map.get(key).cloned()
    }

    fn put(&mut self, generation: u64, key: String, reply: Reply) {
        if self.cap == 0 || generation != self.generation {
            return;
        }
        if self.map.len() >= self.cap {
            // Dropping everything is crude but keeps the cache O(1) with no bookkeeping; hot
            // pages come back on their next request.
            self.map.clear();
        }
        self.map.insert(key, reply);
    }
}

/// Store connections shared by the connection threads: a request takes one while it is
/// answered, so work on the store is bounded whatever the number of clients. Requests get a
/// connection in the order they asked for one: with more clients than connections, a waiter
/// woken at random could be passed over again and again, which showed as a long tail of
/// latencies under load. Each waiter sleeps on its own condition variable, so a connection
/// coming back wakes the one thread next in line and no other.
struct Pool {
    state: Mutex<PoolState>,
}

struct PoolState {
    free: Vec<Store>,
    /// The requests waiting, oldest first.
    waiting: std::collections::VecDeque<Arc<Condvar>>,
}

impl Pool {
    fn new(stores: Vec<Store>) -> Pool {
        Pool { state: Mutex::new(PoolState { free: stores, waiting: Default::default() }) }
    }

    fn take(&self) -> Store {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.waiting.is_empty() {
            if let Some(s) = st.free.pop() {
                return s;
            }
        }
        let me = Arc::new(Condvar::new());
        st.waiting.push_back(Arc::clone(&me));
        loop {
            st = me.wait(st).unwrap_or_else(|e| e.into_inner());
            if st.waiting.front().is_some_and(|w| Arc::ptr_eq(w, &me)) {
                if let Some(s) = st.free.pop() {
                    st.waiting.pop_front();
                    if !st.free.is_empty() {
                        // another connection is free: the next in line may go too
                        if let Some(next) = st.waiting.front() {
                            next.notify_one();
                        }
                    }
                    return s;
                }
            }
        }
    }

    fn put(&self, s: Store) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.free.push(s);
        if let Some(next) = st.waiting.front() {
            next.notify_one();
        }
    }
}

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    server: http::Server,
}

impl Running {
    /// Stops accepting requests.
    pub fn stop(self) {
        self.server.stop();
    }

    pub fn wait(self) {
        self.server.wait();
    }
}

/// Opens `cfg.threads` read-only connections to the store and starts answering on `cfg.addr`.
pub fn start(cfg: &Config) -> Result<Running, String> {
    let mut stores = Vec::new();
    for _ in 0..cfg.threads.max(1) {
        stores.push(Store::connect_read_only(&cfg.db).map_err(|e| e.to_string())?);
    }
    let pool = Arc::new(Pool::new(stores));
    let cache = Arc::new(Mutex::new(Cache { cap: cfg.cache_entries, generation: 0, map: HashMap::new() }));
    let handler: Arc<http::Handler> = Arc::new(move |rq: &http::Request| {
        let reply = if rq.method != "GET" && rq.method != "HEAD" {
            Reply::error(rq.target.starts_with("/api/"), 405, "read-only: only GET and HEAD are answered")
        } else {
            let store = pool.take();
            let reply = answer(&store, &cache, rq.target);
            pool.put(store);
            reply
        };
        let mut headers = vec![
            ("Content-Type", reply.content_type.to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
                    .to_string(),
            ),
        ];
        if reply.status == 405 {
            headers.push(("Allow", "GET, HEAD".to_string()));
        }
        if reply.content_type == "text/css" {
            headers.push(("Cache-Control", "max-age=3600".to_string()));
        }
        http::Response { status: reply.status, headers, body: reply.body }
    });
    let server = http::Server::start(&cfg.addr, handler).map_err(|e| format!("cannot listen on {}: {e}", cfg.addr))?;
    Ok(Running { addr: server.addr, server })
}

/// The story page renderer, for a store to keep story pages rendered
/// ([`Store::set_story_renderer`]). Its version is a digest of the source of the rendering,
/// made by the build script, so a build that renders differently never serves pages rendered
/// by another.
pub fn story_renderer() -> newsgraph_store::StoryRenderer {
    newsgraph_store::StoryRenderer {
        render: pages::story,
        version: env!("NEWSGRAPH_PAGES_DIGEST").parse().expect("a number"),
    }
}

/// Serves until the process ends.
pub fn run(cfg: &Config) -> Result<(), String> {
    let running = start(cfg)?;
    println!("newsgraph: serving {} read-only at http://{}/", cfg.db, running.addr);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    running.wait();
    Ok(())
}

/// The answer to a GET, from the cache when the store has not changed since it was made.
fn answer(store: &Store, cache: &Mutex<Cache>, target: &str) -> Reply {
    let generation = store.generation().unwrap_or(0);
    if let Some(r) = cache.lock().ok().and_then(|mut c| c.get(generation, target)) {
        return r;
    }
    let r = route(store, target);
    if r.status == 200 {
        if let Ok(mut c) = cache.lock() {
            c.put(generation, target.to_string(), r.clone());
        }
    }
    r
}

fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

fn number(params: &[(String, String)], key: &str, default: usize) -> Result<usize, String> {
    match param(params, key) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| format!("{key} must be a whole number, not {v:?}")),
    }
}

fn next_offset(offset: usize, limit: usize, got: usize) -> Option<usize> {
    (got == limit && got > 0).then_some(offset + got)
}

/// Answers one request target.
pub fn route(store: &Store, target: &str) -> Reply {
    let (path, params) = parse_target(target);
    let api = path.starts_with("/api/");
    match dispatch(store, &path, &params) {
        Ok(r) => r,
        Err(Failure::NotFound(m)) => Reply::error(api, 404, &m),
        Err(Failure::Bad(m)) => Reply::error(api, 400, &m),
        Err(Failure::Internal(m)) => Reply::error(api, 500, &m),
    }
}

enum Failure {
    NotFound(String),
    Bad(String),
    Internal(String),
}

impl From<newsgraph_store::Error> for Failure {
    fn from(e: newsgraph_store::Error) -> Self {
        // bad dates and the like come back from the store as errors, worded for the user
        if e.0.starts_with("bad ") {
            Failure::Bad(e.0)
        } else {
            Failure::Internal(e.0)
        }
    }
}

fn search_query(params: &[(String, String)], default_limit: usize) -> Result<SearchQuery, Failure> {
    let p = |k: &str| param(params, k).map(str::to_string);
    Ok(SearchQuery {
        text: p("q").unwrap_or_default(),
        entity: p("entity"),
        site: p("site"),
        since: p("since"),
        until: p("until"),
        lang: p("lang"),
        event: p("event"),
        limit: number(params, "limit", default_limit).map_err(Failure::Bad)?,
        offset: number(params, "offset", 0).map_err(Failure::Bad)?,
    })
}

fn sort_param(params: &[(String, String)]) -> Result<StorySort, Failure> {
    match param(params, "sort") {
        None | Some("recent") => Ok(StorySort::Recent),
        Some("size") => Ok(StorySort::Size),
        Some(s) => Err(Failure::Bad(format!("sort must be recent or size, not {s:?}"))),
    }
}

fn dispatch(store: &Store, path: &str, params: &[(String, String)]) -> Result<Reply, Failure> {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let lim = |d| number(params, "limit", d).map_err(Failure::Bad).map(|l| l.clamp(1, newsgraph_store::MAX_LIMIT));
    let off = || number(params, "offset", 0).map_err(Failure::Bad);
    match parts.as_slice() {
        [] | [""] | ["stories"] => {
            let (sort, limit, offset) = (sort_param(params)?, lim(50)?, off()?);
            let list = store.stories(sort, limit, offset)?;
            Ok(Reply::html(200, pages::stories(&list, sort, offset, limit, store.story_count()?)))
        }
        ["stories", id] => match store.story_html(id, story_renderer().version)? {
            Some(html) => Ok(Reply::html(200, html)),
            None => match store.story(id)? {
                Some(d) => Ok(Reply::html(200, pages::story(&d))),
                None => Err(Failure::NotFound(format!("no story {id:?}"))),
            },
        },
        ["entities"] => {
            let (limit, offset) = (lim(50)?, off()?);
            let (q, kind) = (param(params, "q").unwrap_or(""), param(params, "type").unwrap_or(""));
            let list = store.entities(Some(q), Some(kind), limit, offset)?;
            Ok(Reply::html(200, pages::entities(&list, q, kind, offset, limit)))
        }
        ["entities", id] => match store.entity(id)? {
            Some(d) => Ok(Reply::html(200, pages::entity(&d))),
            None => Err(Failure::NotFound(format!("no entity {id:?}"))),
        },
        ["articles", id] => match store.article(id)? {
            Some(a) => Ok(Reply::html(200, pages::article(&a))),
            None => Err(Failure::NotFound(format!("no article {id:?}"))),
        },
        ["search"] => {
            let q = search_query(params, 20)?;
            let searched = params.iter().any(|(k, v)| k != "offset" && k != "limit" && !v.is_empty());
            if !searched {
                return Ok(Reply::html(200, pages::search(params, None, None, 0, q.limit)));
            }
            match store.search(&q) {
                Ok(hits) => Ok(Reply::html(200, pages::search(params, Some(&hits), None, q.offset, q.limit.max(1)))),
                Err(e) if e.0.starts_with("bad ") => {
                    Ok(Reply::html(400, pages::search(params, None, Some(&e.0), q.offset, q.limit)))
                }
                Err(e) => Err(e.into()),
            }
        }
        ["static", "style.css"] => {
            Ok(Reply { status: 200, content_type: "text/css", body: Arc::new(STYLE.as_bytes().to_vec()) })
        }
        ["api", "openapi.json"] => {
            Ok(Reply { status: 200, content_type: "application/json", body: Arc::new(OPENAPI.as_bytes().to_vec()) })
        }
        ["api", "search"] => {
            let q = search_query(params, 20)?;
            let limit = lim(20)?;
            let hits = store.search(&q)?;
            let next = next_offset(q.offset, limit, hits.len());
            Ok(Reply::json(200, &json!({ "results": hits, "next_offset": next })))
        }
        ["api", "articles", id] => match store.article(id)? {
            Some(a) => Ok(Reply::json(200, &a)),
            None => Err(Failure::NotFound(format!("no article {id:?}"))),
        },
        ["api", "entities"] => {
            let (limit, offset) = (lim(50)?, off()?);
            let list = store.entities(param(params, "q"), param(params, "type"), limit, offset)?;
            let next = next_offset(offset, limit, list.len());
            Ok(Reply::json(200, &json!({ "entities": list, "next_offset": next })))
        }
        ["api", "entities", id] => match store.entity(id)? {
            Some(d) => Ok(Reply::json(200, &d)),
            None => Err(Failure::NotFound(format!("no entity {id:?}"))),
        },
        ["api", "stories"] => {
            let (sort, limit, offset) = (sort_param(params)?, lim(50)?, off()?);
            let list = store.stories(sort, limit, offset)?;
            let next = next_offset(offset, limit, list.len());
            Ok(Reply::json(200, &json!({ "stories": list, "next_offset": next })))
        }
        ["api", "stories", id] => match store.story_json(id)? {
            Some(d) => Ok(Reply { status: 200, content_type: "application/json", body: Arc::new(d.into_bytes()) }),
            None => Err(Failure::NotFound(format!("no story {id:?}"))),
        },
        ["api", "events"] => {
            let p = |k: &str| param(params, k).map(str::to_string);
            let (limit, offset) = (lim(50)?, off()?);
            let q = EventQuery {
                kind: p("type"),
                entity: p("entity"),
                story: p("story"),
                since: p("since"),
                until: p("until"),
                limit,
                offset,
            };
            let list = store.events(&q)?;
            let next = next_offset(offset, limit, list.len());
            Ok(Reply::json(200, &json!({ "events": list, "next_offset": next })))
        }
        _ => Err(Failure::NotFound(format!("nothing at {path}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_document_is_json() {
        let v: serde_json::Value = serde_json::from_str(OPENAPI).expect("openapi.json parses");
        assert!(v["openapi"].as_str().unwrap().starts_with("3."));
        for p in [
            "/api/search",
            "/api/articles/{id}",
            "/api/entities",
            "/api/entities/{id}",
            "/api/stories",
            "/api/stories/{id}",
            "/api/events",
        ] {
            assert!(v["paths"].get(p).is_some(), "{p} documented");
        }
    }

    #[test]
    fn cache_follows_generation() {
        let mut c = Cache { cap: 2, generation: 0, map: HashMap::new() };
        let r = Reply::html(200, "x".into());
        c.put(0, "/a".into(), r.clone());
        assert!(c.get(0, "/a").is_some());
        assert!(c.get(1, "/a").is_none(), "a new generation empties the cache");
        c.put(1, "/a".into(), r.clone());
        c.put(1, "/b".into(), r.clone());
        c.put(1, "/c".into(), r);
        assert!(c.map.len() <= 2);
    }
}
