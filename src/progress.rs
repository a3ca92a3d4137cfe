//! A one-line progress display on standard error, shown only when it is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    started: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    pub fn new() -> Self {
        let now = Instant::now();
        Progress { enabled: std::io::stderr().is_terminal(), started: now, last: now, shown: false }
    }

    pub fn tick(&mut self, articles: usize, rejected: usize) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        eprint!(
            "\r\x1b[2K  analysed {articles} article(s), {rejected} rejected, {:.0} articles/s",
            articles as f64 / secs
        );
        let _ = std::io::stderr().flush();
        self.shown = true;
    }

    /// Clears the line, before other messages or the end of the run.
    pub fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}
