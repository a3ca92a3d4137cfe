//! Streaming gzip with a bound on what it may expand to, so a small bomb cannot fill memory or
//! keep the run busy, and with errors that say what went wrong with the compressed data.

use crate::Limits;
use flate2::bufread::MultiGzDecoder;
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

/// An error whose message is already the rejection reason (as opposed to an OS read error).
#[derive(Debug)]
pub(crate) struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

pub(crate) fn input_error(msg: impl Into<String>) -> io::Error {
    io::Error::other(InputError(msg.into()))
}

/// Counts the compressed bytes the decoder has consumed (not merely buffered), so that the
/// expansion ratio is exact even for small inputs.
struct Counting<R> {
    inner: BufReader<R>,
    count: Rc<Cell<u64>>,
    /// Whether the input starts with the gzip magic number, once seen: tells "not gzip at all"
    /// from "gzip cut short" when the header cannot even be read.
    magic: Rc<Cell<Option<bool>>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let at_start = self.count.get() == 0 && self.magic.get().is_none();
        let buf = self.inner.fill_buf()?;
        if at_start && !buf.is_empty() {
            self.magic.set(Some(buf.starts_with(&[0x1f, 0x8b]) || buf == [0x1f]));
        }
        Ok(buf)
    }
    fn consume(&mut self, n: usize) {
        self.count.set(self.count.get() + n as u64);
        self.inner.consume(n);
    }
}

pub(crate) struct GzReader<R: Read> {
    inner: MultiGzDecoder<Counting<R>>,
    compressed: Rc<Cell<u64>>,
    magic: Rc<Cell<Option<bool>>>,
    out: u64,
    max_out: u64,
    ratio: u64,
    ratio_min_out: u64,
    /// Once failed, keep failing: the decoder's state after an error is not meaningful.
    failed: Option<String>,
}

impl<R: Read> GzReader<R> {
    pub(crate) fn new(inner: R, limits: &Limits) -> Self {
        let compressed = Rc::new(Cell::new(0));
        let magic = Rc::new(Cell::new(None));
        let counting = Counting { inner: BufReader::new(inner), count: compressed.clone(), magic: magic.clone() };
        GzReader {
            inner: MultiGzDecoder::new(counting),
            compressed,
            magic,
            out: 0,
            max_out: limits.gz_max_out,
            ratio: limits.gz_ratio,
            ratio_min_out: limits.gz_ratio_min_out,
            failed: None,
        }
    }

    fn fail(&mut self, msg: String) -> io::Error {
        self.failed = Some(msg.clone());
        input_error(msg)
    }
}

impl<R: Read> Read for GzReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(msg) = &self.failed {
            return Err(input_error(msg.clone()));
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                let ratio_exceeded =
                    self.out > self.ratio_min_out && self.out > self.compressed.get().saturating_mul(self.ratio);
                if self.out > self.max_out || ratio_exceeded {
                    return Err(self.fail("decompressed size over limit".into()));
                }
                Ok(n)
            }
            Err(e) => {
                let msg = if self.out == 0 && self.magic.get() != Some(true) {
                    "not valid gzip: invalid gzip header".to_string()
                } else if self.out == 0 && e.kind() != io::ErrorKind::UnexpectedEof {
                    format!("not valid gzip: {e}")
                } else if e.kind() == io::ErrorKind::UnexpectedEof {
                    format!("truncated gzip: {e}")
                } else {
                    format!("damaged gzip: {e}")
                };
                Err(self.fail(msg))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        GzReader::new(bytes, limits).read_to_end(&mut out).map(|_| out).map_err(|e| e.to_string())
    }

    #[test]
    fn round_trip_and_concatenated_members() {
        let mut two = gz(b"first ");
        two.extend(gz(b"second"));
        assert_eq!(read_all(&two, &Limits::default()).unwrap(), b"first second");
    }

    #[test]
    fn expansion_is_bounded() {
        let data = vec![b'a'; 200_000];
        let packed = gz(&data);
        let small_cap = Limits { gz_max_out: 100_000, ..Limits::default() };
        assert_eq!(read_all(&packed, &small_cap).unwrap_err(), "decompressed size over limit");
        let ratio = Limits { gz_ratio: 100, gz_ratio_min_out: 50_000, ..Limits::default() };
        assert_eq!(read_all(&packed, &ratio).unwrap_err(), "decompressed size over limit");
        assert_eq!(read_all(&packed, &Limits::default()).unwrap().len(), 200_000);
    }

    #[test]
    fn damage_is_named() {
        for junk in [&b"this is not gzip at all"[..], b"short", b"\x1f"] {
            let err = read_all(junk, &Limits::default()).unwrap_err();
            assert!(err.starts_with("not valid gzip: "), "{err}");
        }
        let err = read_all(&gz(b"some text")[..12], &Limits::default()).unwrap_err();
        assert!(err.starts_with("truncated gzip: "), "{err}");
        let text: String = (0..20_000).map(|i| format!("line {i} with some words\n")).collect();
        let packed = gz(text.as_bytes());
        let err = read_all(&packed[..packed.len() / 2], &Limits::default()).unwrap_err();
        assert!(err.starts_with("truncated gzip: "), "{err}");
    }
}
