//! newsgraph's web server: a read-only JSON API and HTML pages over a store.
//!
//! A small synchronous HTTP server (`tiny_http`) hands requests to a pool of worker threads,
//! each with its own read-only connection to the store (SQLite in WAL mode lets them all read
//! at once, also while an ingest writes). Rendered responses are cached by URL until the store
//! changes (its generation number moves with every committed write). Pages, styles and the
//! OpenAPI document are compiled into the binary: nothing is fetched from elsewhere.

pub mod html;
pub mod pages;
pub mod svg;

use html::parse_target;
use newsgraph_store::{EventQuery, SearchQuery, Store, StorySort};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tiny_http::{Header, Method, Request, Response, Server};

pub const STYLE: &str = include_str!("style.css");
pub const OPENAPI: &str = include_str!("openapi.json");

#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
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

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    server: Arc<Server>,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests and waits for the workers.
    pub fn stop(self) {
        for _ in &self.workers {
            self.server.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }

    pub fn wait(self) {
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Opens the store (once per worker) and starts answering on `cfg.addr`.
pub fn start(cfg: &Config) -> Result<Running, String> {
    // Open once up front, so a missing or foreign file is reported before listening.
    let probe = Store::open_read_only(&cfg.db).map_err(|e| e.to_string())?;
    drop(probe);
    let listener = std::net::TcpListener::bind(&cfg.addr).map_err(|e| format!("cannot listen on {}: {e}", cfg.addr))?;
    no_delay(&listener);
    let server = Server::from_listener(listener, None).map_err(|e| format!("cannot listen on {}: {e}", cfg.addr))?;
    let addr = server.server_addr().to_ip().ok_or("not an IP address")?;
    let server = Arc::new(server);
    let cache = Arc::new(Mutex::new(Cache { cap: cfg.cache_entries, generation: 0, map: HashMap::new() }));
    let mut workers = Vec::new();
    for i in 0..cfg.threads.max(1) {
        let store = Store::open_read_only(&cfg.db).map_err(|e| e.to_string())?;
        let server = Arc::clone(&server);
        let cache = Arc::clone(&cache);
        let handle = std::thread::Builder::new()
            .name(format!("newsgraph-web-{i}"))
            .spawn(move || {
                while let Ok(rq) = server.recv() {
                    handle(&store, &cache, rq);
                }
            })
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        workers.push(handle);
    }
    Ok(Running { addr, server, workers })
}

/// Sets TCP_NODELAY on the listening socket; Linux passes it on to every accepted connection.
/// tiny_http writes a response in several small pieces, and with Nagle's algorithm on, each
/// answer on a kept-alive connection would wait for the client's delayed acknowledgement (about
/// 40 ms).
#[cfg(unix)]
fn no_delay(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd;
    let one: libc::c_int = 1;
    // SAFETY: a valid socket descriptor, and a pointer to a c_int of the size passed.
    unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&one as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

#[cfg(not(unix))]
fn no_delay(_: &std::net::TcpListener) {}

/// Serves until the process ends.
pub fn run(cfg: &Config) -> Result<(), String> {
    let running = start(cfg)?;
    println!("newsgraph: serving {} read-only at http://{}/", cfg.db.display(), running.addr);
    use std::io::Write;
    let _ = std::io::stdout().flush();
    running.wait();
    Ok(())
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn handle(store: &Store, cache: &Mutex<Cache>, rq: Request) {
    let method = rq.method().clone();
    let reply = if method != Method::Get && method != Method::Head {
        Reply::error(rq.url().starts_with("/api/"), 405, "read-only: only GET and HEAD are answered")
    } else {
        let url = rq.url().to_string();
        let generation = store.generation().unwrap_or(0);
        let cached = cache.lock().ok().and_then(|mut c| c.get(generation, &url));
        match cached {
            Some(r) => r,
            None => {
                let r = route(store, &url);
                if r.status == 200 {
                    if let Ok(mut c) = cache.lock() {
                        c.put(generation, url, r.clone());
                    }
                }
                r
            }
        }
    };
    // Content-Length rather than chunks: every answer is complete in memory already.
    let mut resp = Response::from_data(reply.body.as_slice().to_vec())
        .with_chunked_threshold(usize::MAX)
        .with_status_code(reply.status)
        .with_header(header("Content-Type", reply.content_type))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'",
        ));
    if reply.status == 405 {
        resp = resp.with_header(header("Allow", "GET, HEAD"));
    }
    if reply.content_type == "text/css" {
        resp = resp.with_header(header("Cache-Control", "max-age=3600"));
    }
    // The client may have gone; nothing to do about it.
    let _ = rq.respond(resp);
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
        ["stories", id] => match store.story(id)? {
            Some(d) => Ok(Reply::html(200, pages::story(&d))),
            None => Err(Failure::NotFound(format!("no story {id:?}"))),
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
        ["api", "stories", id] => match store.story(id)? {
            Some(d) => Ok(Reply::json(200, &d)),
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
