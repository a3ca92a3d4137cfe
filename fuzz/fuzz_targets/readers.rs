//! Every reader on arbitrary bytes: the first byte picks the format the name claims, the rest is
//! the file. Whatever the bytes, reading must end in articles or rejections, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "a.txt", "a.html", "a.json", "a.jsonl", "a.rss", "a.atom", "a.warc", "a.txt.gz", "a.html.gz", "a.jsonl.gz", "a.warc.gz",
    "a", "-",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    newsgraph_input::read_bytes(name, name, rest, &mut |_| {});
});
