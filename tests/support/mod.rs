//! Helpers shared by the integration tests: scratch folders and JSON Lines output, and for the
//! web server a store of the example corpus, a server process on a free loopback port, a plain
//! HTTP client, and headless Chromium driven over the DevTools protocol.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A new empty folder for one test, named after the test binary's process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("newsgraph-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Each line of a command's standard output, parsed as JSON.
pub fn lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A store of the example corpus, made once per test binary.
pub fn example_store() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let db = scratch("store").join("examples.db");
        let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["ingest", "examples/corpus", "--db", db.to_str().unwrap()])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run ingest");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        db
    })
}

/// `newsgraph serve` on a free loopback port; stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(db: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
            .args(["serve", "--db", db.to_str().unwrap(), "--addr", "127.0.0.1:0", "--threads", "4"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).expect("the server says where it listens");
        let addr = line
            .split("http://")
            .nth(1)
            .map(|s| s.trim().trim_end_matches('/').to_string())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        assert!(addr.starts_with("127.0.0.1:"), "loopback: {addr}");
        Server { child, addr }
    }

    pub fn url(&self, target: &str) -> String {
        format!("http://{}{target}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One HTTP/1.1 request on its own connection, bounded by a timeout. The body is read by its
/// Content-Length (or chunks), not to the end: some servers keep the connection open.
pub fn request(addr: &str, method: &str, target: &str) -> Reply {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut r = BufReader::new(s);
    write!(r.get_mut(), "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    let mut line = String::new();
    r.read_line(&mut line).expect("a status line");
    let status =
        line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("status in {line:?}"));
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line).expect("a header");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let header = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if method == "HEAD" || status == 204 || status == 304 {
    } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(len, 0);
        r.read_exact(&mut body).expect("the body");
    } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line).expect("a chunk size");
            let n = usize::from_str_radix(line.trim(), 16).expect("a hex chunk size");
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).expect("a chunk");
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        r.read_to_end(&mut body).expect("the body");
    }
    Reply { status, headers, body }
}

pub fn get(addr: &str, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// Debian's chromium, if installed.
pub fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Headless Chromium with one page, driven over the DevTools protocol.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Browser {
    pub fn start(exe: &Path, width: u32, height: u32) -> Browser {
        let profile = scratch(&format!("chromium-{}", Instant::now().elapsed().as_nanos()));
        let child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.display()),
                "about:blank",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        // Chromium writes the port it picked into the profile folder.
        let port_file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            if let Ok(s) = std::fs::read_to_string(&port_file) {
                if let Some(p) = s.lines().next().and_then(|l| l.trim().parse::<u16>().ok()) {
                    break p;
                }
            }
            assert!(Instant::now() < deadline, "chromium did not open its DevTools port");
            std::thread::sleep(Duration::from_millis(100));
        };
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let ws_url = loop {
            let list = get(&addr, "/json/list").json();
            if let Some(u) = list
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            {
                break u.to_string();
            }
            assert!(Instant::now() < deadline, "chromium has no page");
            std::thread::sleep(Duration::from_millis(100));
        };
        let (ws, _) = tungstenite::connect(ws_url.as_str()).expect("connect to the page");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        }
        let mut b = Browser { child, profile, ws, next_id: 0 };
        b.call("Page.enable", serde_json::json!({}));
        b
    }

    /// Sends a command and waits for its answer (events in between are skipped).
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = serde_json::json!({ "id": id, "method": method, "params": params });
        self.ws.send(tungstenite::Message::Text(msg.to_string().into())).expect("send to chromium");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            let m = self.ws.read().expect("read from chromium");
            let tungstenite::Message::Text(t) = m else { continue };
            let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub fn eval(&mut self, expr: &str) -> serde_json::Value {
        let r = self.call("Runtime.evaluate", serde_json::json!({ "expression": expr, "returnByValue": true }));
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    /// Waits until the page at a URL containing `part` has loaded.
    pub fn wait_for(&mut self, part: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let state = self.eval("[location.href, document.readyState]");
            if state[0].as_str().unwrap_or("").contains(part) && state[1] == "complete" {
                return;
            }
            assert!(Instant::now() < deadline, "page {part} did not load: {state}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({ "url": url }));
        self.wait_for(url);
    }

    /// Clicks the first element matching `selector` with the mouse, as a person would.
    pub fn click(&mut self, selector: &str) {
        let sel = serde_json::to_string(selector).unwrap();
        let at = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        assert!(at.is_array(), "nothing matches {selector}");
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// Types text into the element focused.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", serde_json::json!({ "text": text }));
    }

    /// A PNG of the page, from the top, `height` pixels (or the whole page when None).
    pub fn screenshot(&mut self, out: &Path, clip_top: f64, height: Option<f64>) {
        let size = self.eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        let (w, h) = (size[0].as_f64().unwrap(), size[1].as_f64().unwrap());
        let clip = serde_json::json!({ "x": 0, "y": clip_top, "width": w, "height": height.unwrap_or(h - clip_top), "scale": 1 });
        let r = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png", "clip": clip, "captureBeyondViewport": true }),
        );
        std::fs::write(out, base64(r["data"].as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
