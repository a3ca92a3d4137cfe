//! Gives the story page renderer a version: a digest of the sources that render story pages.
//! Stores keep pages rendered by it, and a server only sends those of its own version, so a
//! change to the rendering can never leave old pages served.

fn main() {
    // FNV-1a over 64 bits: stable across builds and toolchains, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in ["src/pages.rs", "src/svg.rs", "src/html.rs"] {
        println!("cargo:rerun-if-changed={f}");
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("reading {f}: {e}"));
        for b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=NEWSGRAPH_PAGES_DIGEST={}", (h >> 1) as i64);
}
