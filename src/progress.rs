//! A one-line progress display on standard error, shown only when it is a terminal.

use crate::workers::INPUT_READ;
use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// ", 42% read, about 3 min left": input bytes read so far against all, at the rate so far.
/// Nothing while too little is read to tell (or the total is unknown, as on standard input).
fn time_left(done: u64, total: u64, secs: f64) -> String {
    if total == 0 || done == 0 || secs < 1.0 {
        return String::new();
    }
    let share = (done as f64 / total as f64).min(1.0);
    let left = secs * (1.0 - share) / share;
    let left = if left < 90.0 {
        format!("{:.0} s", left.ceil())
    } else if left < 5400.0 {
        format!("{:.0} min", (left / 60.0).round())
    } else {
        format!("{:.1} h", left / 3600.0)
    };
    format!(", {:.0}% read, about {left} left", share * 100.0)
}

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
        let done = INPUT_READ.done.load(Ordering::Relaxed);
        let total = INPUT_READ.total.load(Ordering::Relaxed);
        eprint!(
            "\r\x1b[2K  analysed {articles} article(s), {rejected} rejected, {:.0} articles/s{}",
            articles as f64 / secs,
            time_left(done, total, secs)
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

#[cfg(test)]
mod tests {
    use super::time_left;

    #[test]
    fn time_left_from_the_share_read() {
        assert_eq!(time_left(0, 100, 10.0), "");
        assert_eq!(time_left(50, 0, 10.0), "");
        assert_eq!(time_left(25, 100, 10.0), ", 25% read, about 30 s left");
        assert_eq!(time_left(10, 100, 60.0), ", 10% read, about 9 min left");
        assert_eq!(time_left(1, 100, 600.0), ", 1% read, about 16.5 h left");
    }
}
