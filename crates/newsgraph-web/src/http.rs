//! A small HTTP/1.1 server on the standard library: GET and HEAD, keep-alive, bounded.
//!
//! One thread per open connection (at most [`MAX_CONNECTIONS`]; more are answered 503 and
//! closed), reading requests one after the other; answering takes one of a fixed number of
//! store connections from a pool, so the work on the store is bounded by the pool whatever the
//! number of clients. Each connection thread waits on its own socket, so an idle kept-alive
//! connection never holds up another one.
//!
//! Written here rather than taken from a crate: tiny_http 0.12 hands connections to a task pool
//! that can leave a new connection queued behind kept-alive ones until one of them closes,
//! which showed as multi-second stalls under load.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub const MAX_CONNECTIONS: usize = 512;
/// The longest request head (request line and headers) read.
const MAX_HEAD: usize = 16 * 1024;
/// An idle kept-alive connection is closed after this long; a request must arrive in it too.
const IDLE: Duration = Duration::from_secs(30);

pub struct Request<'a> {
    pub method: &'a str,
    pub target: &'a str,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<Vec<u8>>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A listening server; [`Server::stop`] ends it.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    pub fn start(addr: &str, handler: Arc<Handler>) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let open = Arc::new(AtomicUsize::new(0));
        let accept = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new().name("newsgraph-accept".into()).spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    // Responses go out in one write each; no reason to hold them back.
                    let _ = stream.set_nodelay(true);
                    if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                        open.fetch_sub(1, Ordering::AcqRel);
                        let _ = write_response(&stream, &busy(), false, false);
                        continue;
                    }
                    let (handler, slots) = (Arc::clone(&handler), Arc::clone(&open));
                    let spawned = std::thread::Builder::new().name("newsgraph-conn".into()).spawn(move || {
                        serve_connection(stream, &*handler);
                        slots.fetch_sub(1, Ordering::AcqRel);
                    });
                    if spawned.is_err() {
                        // the thread was not made: its slot is free again
                        open.fetch_sub(1, Ordering::AcqRel);
                    }
                }
            })?
        };
        Ok(Server { addr, stop, accept: Some(accept) })
    }

    /// Stops accepting connections (those open finish their current request).
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // wake the accept loop
        let _ = TcpStream::connect(self.addr);
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
    }

    /// Blocks while the server runs.
    pub fn wait(mut self) {
        if let Some(a) = self.accept.take() {
            let _ = a.join();
        }
    }
}

fn busy() -> Response {
    Response { status: 503, headers: vec![("Content-Type", "text/plain".into())], body: Arc::new(b"busy\n".to_vec()) }
}

fn simple(status: u16) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain".into())],
        body: Arc::new(format!("{}\n", reason(status)).into_bytes()),
    }
}

fn write_response(mut stream: &TcpStream, r: &Response, head_only: bool, keep_alive: bool) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(256 + if head_only { 0 } else { r.body.len() });
    let _ = write!(out, "HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (k, v) in &r.headers {
        let _ = write!(out, "{k}: {v}\r\n");
    }
    let _ = write!(
        out,
        "Content-Length: {}\r\nConnection: {}\r\n\r\n",
        r.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if !head_only {
        out.extend_from_slice(&r.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// Reads one request head; None when the client is gone or idle too long.
fn read_head(reader: &mut BufReader<&TcpStream>) -> Result<Option<Vec<String>>, u16> {
    let mut lines = Vec::new();
    let mut size = 0usize;
    loop {
        let mut line = String::new();
        let n = match reader.by_ref().take((MAX_HEAD - size + 1) as u64).read_line(&mut line) {
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return if lines.is_empty() && size == 0 { Ok(None) } else { Err(408) };
            }
            Err(_) => return Ok(None),
        };
        if n == 0 {
            return if lines.is_empty() { Ok(None) } else { Err(400) };
        }
        size += n;
        if size > MAX_HEAD {
            return Err(413);
        }
        let l = line.trim_end_matches(['\r', '\n']).to_string();
        if l.is_empty() {
            if lines.is_empty() {
                // blank lines between requests are allowed
                continue;
            }
            return Ok(Some(lines));
        }
        lines.push(l);
    }
}

fn serve_connection(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE));
    let _ = stream.set_write_timeout(Some(IDLE));
    let mut reader = BufReader::new(&stream);
    loop {
        let head = match read_head(&mut reader) {
            Ok(Some(h)) => h,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&stream, &simple(status), false, false);
                return;
            }
        };
        let mut parts = head[0].split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            let _ = write_response(&stream, &simple(400), false, false);
            return;
        };
        if version != "HTTP/1.1" && version != "HTTP/1.0" {
            let _ = write_response(&stream, &simple(505), false, false);
            return;
        }
        let header = |name: &str| {
            head[1..].iter().find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_ascii_lowercase())
            })
        };
        let connection = header("connection").unwrap_or_default();
        let mut keep_alive =
            if version == "HTTP/1.1" { !connection.contains("close") } else { connection.contains("keep-alive") };
        // A body (this server takes none) is skipped if small, else the connection closed.
        let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        if header("transfer-encoding").is_some() || length > 64 * 1024 {
            keep_alive = false;
        } else if length > 0 && std::io::copy(&mut reader.by_ref().take(length as u64), &mut std::io::sink()).is_err() {
            return;
        }
        let response = handler(&Request { method, target });
        if write_response(&stream, &response, method == "HEAD", keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo() -> Arc<Handler> {
        Arc::new(|rq: &Request| Response {
            status: 200,
            headers: vec![("Content-Type", "text/plain".into())],
            body: Arc::new(format!("{} {}", rq.method, rq.target).into_bytes()),
        })
    }

    fn exchange(addr: SocketAddr, raw: &str) -> String {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    #[test]
    fn keep_alive_and_close() {
        let server = Server::start("127.0.0.1:0", echo()).unwrap();
        let out =
            exchange(server.addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nConnection: close\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.contains("GET /a") && out.contains("Connection: keep-alive"));
        assert!(out.ends_with("Connection: close\r\n\r\n"), "HEAD has no body: {out}");
        let out = exchange(server.addr, "GET /c HTTP/1.0\r\n\r\n");
        assert!(out.ends_with("GET /c"));
        let out = exchange(server.addr, "nonsense\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 400"));
        let out = exchange(server.addr, "GET / HTTP/2.0\r\n\r\n");
        assert!(out.starts_with("HTTP/1.1 505"));
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(exchange(server.addr, &long).starts_with("HTTP/1.1 413"));
        server.stop();
    }
}
