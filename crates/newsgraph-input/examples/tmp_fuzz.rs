use newsgraph_input::read_bytes;
use std::io::Read;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut seed: u64 = std::env::args().nth(2).map_or(12345, |s| s.parse().unwrap());
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut n = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        let raw = std::fs::read(&p).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut bytes).unwrap();
        for _ in 0..12 {
            let mut b = bytes.clone();
            match rnd() % 4 {
                0 => {
                    let cut = (rnd() as usize) % b.len();
                    b.truncate(cut);
                }
                1 => {
                    for _ in 0..50 {
                        let i = (rnd() as usize) % b.len();
                        b[i] = (rnd() % 256) as u8;
                    }
                }
                2 => {
                    for _ in 0..30 {
                        let i = (rnd() as usize) % b.len();
                        let pieces = [
                            &b"<"[..],
                            b">",
                            b"\"",
                            b"'",
                            b"<!--",
                            b"-->",
                            b"</script>",
                            b"<svg>",
                            b"<p>",
                            b"</div>",
                            b"<script>",
                            b"&#",
                            b"<![CDATA[",
                            b"\xe2\x80",
                            b"<td>",
                            b"<table>",
                        ];
                        let s = pieces[(rnd() as usize) % pieces.len()];
                        b.splice(i..i, s.iter().copied());
                    }
                }
                _ => {
                    let i = (rnd() as usize) % b.len();
                    let j = (i + (rnd() as usize) % 5000).min(b.len());
                    b.drain(i..j);
                }
            }
            let mut out = Vec::new();
            read_bytes("f.html", "f.html", &b, &mut |it| out.push(it));
            n += 1;
        }
    }
    println!("{n} mutated pages, no panic");
}
