//! Helpers shared by the integration tests.
#![allow(dead_code)]

use newsgraph_doc::record::Rejection;
use newsgraph_input::{read_bytes, read_paths, Item, RawArticle};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn read(paths: &[PathBuf]) -> Vec<Item> {
    let mut out = Vec::new();
    read_paths(paths, &mut |i| out.push(i));
    out
}

pub fn read_one(path: &Path) -> Vec<Item> {
    read(&[path.to_path_buf()])
}

pub fn bytes(source: &str, hint: &str, data: &[u8]) -> Vec<Item> {
    let mut out = Vec::new();
    read_bytes(source, hint, data, &mut |i| out.push(i));
    out
}

pub fn split(items: Vec<Item>) -> (Vec<RawArticle>, Vec<Rejection>) {
    let (mut a, mut r) = (Vec::new(), Vec::new());
    for i in items {
        match i {
            Item::Article(x) => a.push(x),
            Item::Rejected(x) => r.push(x),
        }
    }
    (a, r)
}

/// The only item, which must be an article.
pub fn article(items: Vec<Item>) -> RawArticle {
    let (mut a, r) = split(items);
    assert!(r.is_empty(), "unexpected rejections: {r:?}");
    assert_eq!(a.len(), 1, "expected one article");
    a.remove(0)
}

/// The only item, which must be a rejection.
pub fn rejection(items: Vec<Item>) -> Rejection {
    let (a, mut r) = split(items);
    assert!(a.is_empty(), "unexpected articles: {:?}", a.iter().map(|a| &a.meta.source).collect::<Vec<_>>());
    assert_eq!(r.len(), 1, "expected one rejection: {r:?}");
    r.remove(0)
}

pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A fresh folder under the system's temporary folder, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("newsgraph-input-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }

    pub fn file(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const PARA: &str = "The council voted on Tuesday to approve the new budget, which raises spending on \
                        schools and roads by four percent over the next two years, the mayor said.";

pub fn page(body: &str) -> String {
    format!("<html><head><title>Budget approved</title></head><body><article><h1>Budget approved</h1>{body}</article></body></html>")
}
