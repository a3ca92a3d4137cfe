//! An append-only temporary file for what the corpus keeps of each article but reads only
//! rarely (signatures for copy detection, titles and claims for story records), so that memory
//! holds only what story clustering reads over and over.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Appends are gathered in memory and written in blocks of this many bytes.
const BLOCK: usize = 1 << 18;

#[derive(Debug)]
pub(crate) struct Spill {
    /// Reads seek, so the file is behind a lock to let `&self` read it.
    file: Mutex<File>,
    /// Where the file is, when it could not be unlinked while open (not on Unix).
    path: Option<PathBuf>,
    written: u64,
    pending: Vec<u8>,
}

impl Spill {
    /// A new empty file in the system's temporary directory. On Unix it is unlinked at once,
    /// so it goes away with the process however that ends; elsewhere when dropped.
    pub fn new() -> io::Result<Spill> {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name =
            format!("newsgraph-corpus-{}-{}-{nanos}.tmp", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        let file = File::options().read(true).write(true).create_new(true).open(&path)?;
        let path = if cfg!(unix) && std::fs::remove_file(&path).is_ok() { None } else { Some(path) };
        Ok(Spill { file: Mutex::new(file), path, written: 0, pending: Vec::new() })
    }

    pub fn len(&self) -> u64 {
        self.written + self.pending.len() as u64
    }

    /// Appends `bytes`, returning where they start.
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.len();
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= BLOCK {
            let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
            f.seek(SeekFrom::End(0))?;
            f.write_all(&self.pending)?;
            self.written += self.pending.len() as u64;
            self.pending.clear();
        }
        Ok(at)
    }

    /// Fills `buf` with the bytes from `at`.
    pub fn read(&self, at: u64, buf: &mut [u8]) -> io::Result<()> {
        let end = at + buf.len() as u64;
        if end > self.len() {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "read past the end of a corpus spill file"));
        }
        let in_file = (self.written.saturating_sub(at) as usize).min(buf.len());
        if in_file > 0 {
            let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
            f.seek(SeekFrom::Start(at))?;
            f.read_exact(&mut buf[..in_file])?;
        }
        if in_file < buf.len() {
            let from = (at + in_file as u64 - self.written) as usize;
            let rest = buf.len() - in_file;
            buf[in_file..].copy_from_slice(&self.pending[from..from + rest]);
        }
        Ok(())
    }

    /// Writes the whole content to `out`.
    pub fn copy_to(&self, out: &mut impl Write) -> io::Result<()> {
        let mut buf = vec![0u8; BLOCK];
        let mut at = 0;
        while at < self.len() {
            let n = ((self.len() - at) as usize).min(BLOCK);
            self.read(at, &mut buf[..n])?;
            out.write_all(&buf[..n])?;
            at += n as u64;
        }
        Ok(())
    }

    /// Appends `len` bytes read from `input`.
    pub fn append_from(&mut self, input: &mut impl Read, len: u64) -> io::Result<()> {
        let mut buf = vec![0u8; BLOCK];
        let mut left = len;
        while left > 0 {
            let n = (left as usize).min(BLOCK);
            input.read_exact(&mut buf[..n])?;
            self.append(&buf[..n])?;
            left -= n as u64;
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(p) = &self.path {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_across_the_written_and_pending_parts() {
        let mut s = Spill::new().unwrap();
        let data: Vec<u8> = (0..BLOCK * 2 + 1000).map(|i| (i % 251) as u8).collect();
        let mut starts = Vec::new();
        for chunk in data.chunks(777) {
            starts.push(s.append(chunk).unwrap());
        }
        assert_eq!(s.len(), data.len() as u64);
        for at in [0, 5, BLOCK - 3, BLOCK * 2 - 10, BLOCK * 2 + 990] {
            let mut buf = [0u8; 10];
            s.read(at as u64, &mut buf).unwrap();
            assert_eq!(&buf[..], &data[at..at + 10]);
        }
        let mut all = Vec::new();
        s.copy_to(&mut all).unwrap();
        assert!(all == data);
        assert!(s.read(data.len() as u64 - 5, &mut [0u8; 10]).is_err());
    }
}
