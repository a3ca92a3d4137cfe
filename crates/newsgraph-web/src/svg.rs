//! Charts drawn on the server as inline SVG: a story's timeline and its actor graph. No
//! script runs in the browser; the pictures scale with the page (`viewBox`, width 100%).

use crate::html::esc;
use newsgraph_store::{ActorGraph, TimelineDay};
use std::fmt::Write;

/// Days since 1970-01-01 of a YYYY-MM-DD date.
fn days(date: &str) -> Option<i64> {
    let y: i64 = date.get(..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m - 3) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", yoe + era * 400 + i64::from(m <= 2))
}

/// Articles per day as bars, with a mark on days the story's events are dated to. Spans of
/// more than 62 days are put in equal bins of several days.
pub fn timeline(days_in: &[TimelineDay]) -> String {
    let points: Vec<(i64, usize, usize)> =
        days_in.iter().filter_map(|d| Some((days(&d.date)?, d.articles, d.events))).collect();
    if points.is_empty() {
        return "<p class=\"muted\">No dated article.</p>".into();
    }
    let first = points.iter().map(|p| p.0).min().unwrap_or(0) - 1;
    let last = points.iter().map(|p| p.0).max().unwrap_or(0) + 1;
    let span = (last - first + 1) as usize;
    let bin = span.div_ceil(62).max(1);
    let bins = span.div_ceil(bin);
    let mut articles = vec![0usize; bins];
    let mut events = vec![0usize; bins];
    for &(d, a, e) in &points {
        let i = ((d - first) as usize) / bin;
        articles[i] += a;
        events[i] += e;
    }
    let max = articles.iter().copied().max().unwrap_or(1).max(1);
    let (w, h, left, bottom, top) = (800.0f64, 220.0f64, 36.0f64, 34.0f64, 22.0f64);
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let bw = plot_w / bins as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart timeline\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Articles per day\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    // axis and scale
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" class=\"axis\"/>",
        y = top + plot_h,
        x2 = w - 10.0
    );
    let _ = write!(s, "<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{max}</text>", left - 6.0, top + 4.0);
    let _ = write!(s, "<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">0</text>", left - 6.0, top + plot_h);
    for i in 0..bins {
        let x = left + i as f64 * bw;
        let from = date_of(first + (i * bin) as i64);
        let label =
            if bin == 1 { from.clone() } else { format!("{from} – {}", date_of(first + ((i + 1) * bin) as i64 - 1)) };
        if articles[i] > 0 {
            let bh = plot_h * articles[i] as f64 / max as f64;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" class=\"bar\"><title>{}: {} article(s)</title></rect>",
                x + bw * 0.12,
                top + plot_h - bh,
                bw * 0.76,
                bh,
                esc(&label),
                articles[i]
            );
        }
        if events[i] > 0 {
            let cx = x + bw / 2.0;
            let _ = write!(
                s,
                "<circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"5\" class=\"event-mark\"><title>{}: {} event report(s)</title></circle>",
                top - 9.0,
                esc(&label),
                events[i]
            );
        }
    }
    // date labels: first, middle, last bins
    let mut labelled = vec![0, bins / 2, bins - 1];
    labelled.dedup();
    for i in labelled {
        let x = left + i as f64 * bw + bw / 2.0;
        let anchor = if i == 0 {
            "start"
        } else if i == bins - 1 {
            "end"
        } else {
            "middle"
        };
        let x = if i == 0 {
            left
        } else if i == bins - 1 {
            w - 10.0
        } else {
            x
        };
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"{anchor}\">{}</text>",
            top + plot_h + 18.0,
            date_of(first + (i * bin) as i64)
        );
    }
    s.push_str("</svg>");
    s
}

/// Positions of the graph's nodes: a force-directed layout (Fruchterman–Reingold with a pull
/// to the centre), started from a circle so that it is the same on every request, then scaled
/// to fill the picture.
fn layout(n: usize, edges: &[(usize, usize, f64)], far: &[(usize, usize)], w: f64, h: f64) -> Vec<(f64, f64)> {
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n.max(1) as f64;
            (a.cos(), a.sin())
        })
        .collect();
    if n > 2 {
        // Unit area: k is the distance nodes settle at.
        let k = (1.0 / n as f64).sqrt();
        let max_w = edges.iter().map(|e| e.2).fold(1.0, f64::max);
        let mut temp = 0.2;
        for _ in 0..120 {
            let mut disp = vec![(0.0f64, 0.0f64); n];
            for i in 0..n {
                for j in i + 1..n {
                    let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                    let d2 = (dx * dx + dy * dy).max(1e-6);
                    let f = k * k / d2;
                    disp[i].0 += dx * f;
                    disp[i].1 += dy * f;
                    disp[j].0 -= dx * f;
                    disp[j].1 -= dy * f;
                }
            }
            for &(a, b, wgt) in edges {
                let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-3);
                // heavier edges pull harder, but a dense graph must not collapse
                let f = d / k * (0.15 + 0.35 * wgt / max_w);
                disp[a].0 -= dx * f;
                disp[a].1 -= dy * f;
                disp[b].0 += dx * f;
                disp[b].1 += dy * f;
            }
            for i in 0..n {
                // gravity keeps loose nodes near the others
                disp[i].0 -= pos[i].0 * 0.6;
                disp[i].1 -= pos[i].1 * 0.6;
                let (dx, dy) = disp[i];
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                let step = d.min(temp);
                pos[i].0 += dx / d * step;
                pos[i].1 += dy / d * step;
            }
            temp = (temp * 0.965).max(0.002);
        }
    }
    // Fit to the picture, leaving room for labels.
    let (mx, my) = (90.0, 34.0);
    let (x0, x1) = pos.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (y0, y1) = pos.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let sx = if x1 - x0 > 1e-9 { (w - 2.0 * mx) / (x1 - x0) } else { 0.0 };
    let sy = if y1 - y0 > 1e-9 { (h - 2.0 * my) / (y1 - y0) } else { 0.0 };
    let mut out: Vec<(f64, f64)> = pos
        .iter()
        .map(|&(x, y)| {
            let x = if sx > 0.0 { mx + (x - x0) * sx } else { w / 2.0 };
            let y = if sy > 0.0 { my + (y - y0) * sy } else { h / 2.0 };
            (x, y)
        })
        .collect();
    // Labels are wide: push apart nodes closer than a label's width across or two lines down,
    // and the ends of an arrow further, to leave room for its label.
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (out[j].0 - out[i].0, out[j].1 - out[i].1);
                let d = ((dx / 1.8).powi(2) + dy * dy).sqrt();
                let min = if far.contains(&(i, j)) || far.contains(&(j, i)) { 110.0 } else { 72.0 };
                if d < min {
                    let push = (min - d) / 2.0 + 0.5;
                    let (ux, uy) = if d > 1e-6 { (dx / 1.8 / d, dy / d) } else { (1.0, 0.0) };
                    out[i].0 -= ux * push * 1.8;
                    out[i].1 -= uy * push;
                    out[j].0 += ux * push * 1.8;
                    out[j].1 += uy * push;
                    moved = true;
                }
            }
        }
        for p in out.iter_mut() {
            p.0 = p.0.clamp(mx, w - mx);
            p.1 = p.1.clamp(my, h - my);
        }
        if !moved {
            break;
        }
    }
    out
}

/// A label short enough not to run over its neighbours.
fn short(name: &str) -> String {
    if name.chars().count() <= 22 {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(20).collect::<String>())
    }
}

fn node_class(kind: &str) -> &'static str {
    match kind {
        "PERSON" => "person",
        "ORG" => "org",
        _ => "place",
    }
}

/// The actor graph: entities as circles sized by articles, events as arrows labelled with
/// their type, co-occurrence as grey lines; each node links to its entity page.
pub fn actor_graph(g: &ActorGraph) -> String {
    if g.nodes.is_empty() {
        return "<p class=\"muted\">No entity found.</p>".into();
    }
    let (w, h) = (800.0, 420.0);
    let at = |id: &str| g.nodes.iter().position(|n| n.id == id);
    // The layout follows the events and each node's strongest co-occurrence only: in a
    // story most entities are named together, and all those pulls would crush the picture.
    let mut per_node = vec![0usize; g.nodes.len()];
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for e in &g.edges {
        let (Some(a), Some(b)) = (at(&e.source), at(&e.target)) else { continue };
        if e.kind == "event" {
            edges.push((a, b, 3.0 * e.weight as f64));
        } else if per_node[a] < 1 || per_node[b] < 1 {
            per_node[a] += 1;
            per_node[b] += 1;
            edges.push((a, b, e.weight as f64));
        }
    }
    let far: Vec<(usize, usize)> =
        g.edges.iter().filter(|e| e.kind == "event").filter_map(|e| Some((at(&e.source)?, at(&e.target)?))).collect();
    let pos = layout(g.nodes.len(), &edges, &far, w, h);
    let max_articles = g.nodes.iter().map(|n| n.articles).max().unwrap_or(1).max(1) as f64;
    let max_weight = g.edges.iter().filter(|e| e.kind != "event").map(|e| e.weight).max().unwrap_or(1).max(1) as f64;
    let radius = |a: usize| 6.0 + 12.0 * (a as f64 / max_articles).sqrt();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart graph\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Actor graph\" xmlns=\"http://www.w3.org/2000/svg\">\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" class=\"arrowhead\"/></marker></defs>"
    );
    for e in g.edges.iter().filter(|e| e.kind != "event") {
        let (Some(a), Some(b)) = (at(&e.source), at(&e.target)) else { continue };
        let _ = write!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" class=\"co\" stroke-width=\"{:.2}\"><title>named together in {} article(s)</title></line>",
            pos[a].0,
            pos[a].1,
            pos[b].0,
            pos[b].1,
            0.6 + 2.4 * e.weight as f64 / max_weight,
            e.weight
        );
    }
    // Events between the same two actors in the same direction share one arrow.
    let mut arrows: Vec<(usize, usize, Vec<&str>, usize)> = Vec::new();
    for e in g.edges.iter().filter(|e| e.kind == "event") {
        let (Some(a), Some(b)) = (at(&e.source), at(&e.target)) else { continue };
        let label = e.label.as_deref().unwrap_or("");
        match arrows.iter_mut().find(|x| x.0 == a && x.1 == b) {
            Some(x) => {
                if !x.2.contains(&label) {
                    x.2.push(label);
                }
                x.3 += e.weight;
            }
            None => arrows.push((a, b, vec![label], e.weight)),
        }
    }
    for (a, b, labels, weight) in arrows {
        let (x1, y1, x2, y2) = (pos[a].0, pos[a].1, pos[b].0, pos[b].1);
        let (dx, dy) = (x2 - x1, y2 - y1);
        let d = (dx * dx + dy * dy).sqrt().max(0.01);
        // stop at the circles' edges, so the arrowhead shows
        let (ra, rb) = (radius(g.nodes[a].articles) + 2.0, radius(g.nodes[b].articles) + 3.0);
        let (sx, sy, ex, ey) = (x1 + dx / d * ra, y1 + dy / d * ra, x2 - dx / d * rb, y2 - dy / d * rb);
        // bend a little, so that opposite events between two actors do not overlap
        let (mx, my) = ((sx + ex) / 2.0 - dy / d * 18.0, (sy + ey) / 2.0 + dx / d * 18.0);
        let label = labels.join(", ");
        let _ = write!(
            s,
            "<path d=\"M{sx:.1} {sy:.1} Q{mx:.1} {my:.1} {ex:.1} {ey:.1}\" class=\"ev\" marker-end=\"url(#arrow)\"><title>{} {} {} ({} article(s))</title></path>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"edge-label\" text-anchor=\"middle\">{}</text>",
            esc(&g.nodes[a].name),
            esc(&label),
            esc(&g.nodes[b].name),
            weight,
            // the curve's midpoint
            (sx + 2.0 * mx + ex) / 4.0,
            (sy + 2.0 * my + ey) / 4.0 - 3.0,
            esc(&label)
        );
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let r = radius(n.articles);
        let _ = write!(
            s,
            "<a href=\"/entities/{}\" class=\"node-link\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" class=\"node {}\"><title>{} ({}), {} article(s)</title></circle>\
             <text x=\"{x:.1}\" y=\"{:.1}\" class=\"node-label\" text-anchor=\"middle\">{}</text></a>",
            esc(&n.id),
            node_class(&n.kind),
            esc(&n.name),
            esc(&n.kind),
            n.articles,
            y + r + 13.0,
            esc(&short(&n.name))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsgraph_store::{GraphEdge, StoryEntity};

    #[test]
    fn dates_round_trip() {
        for d in ["1970-01-01", "2024-02-29", "2025-03-06", "1999-12-31"] {
            assert_eq!(date_of(days(d).unwrap()), d);
        }
    }

    #[test]
    fn timeline_draws_bars() {
        let t = timeline(&[
            TimelineDay { date: "2025-03-03".into(), articles: 2, events: 1 },
            TimelineDay { date: "2025-03-06".into(), articles: 1, events: 0 },
        ]);
        assert!(t.starts_with("<svg") && t.ends_with("</svg>"));
        assert_eq!(t.matches("<rect").count(), 2);
        assert_eq!(t.matches("event-mark").count(), 1);
    }

    #[test]
    fn graph_is_deterministic_and_inside() {
        let node = |id: &str, kind: &str, articles| StoryEntity {
            id: id.into(),
            name: id.to_uppercase(),
            kind: kind.into(),
            code: None,
            articles,
        };
        let g = ActorGraph {
            nodes: vec![node("a", "PLACE", 3), node("b", "PERSON", 2), node("c", "ORG", 1), node("d", "PLACE", 1)],
            edges: vec![
                GraphEdge {
                    source: "a".into(),
                    target: "b".into(),
                    kind: "event".into(),
                    label: Some("CONSULT".into()),
                    weight: 2,
                },
                GraphEdge {
                    source: "a".into(),
                    target: "c".into(),
                    kind: "cooccurrence".into(),
                    label: None,
                    weight: 1,
                },
            ],
        };
        let s1 = actor_graph(&g);
        assert_eq!(s1, actor_graph(&g));
        assert_eq!(s1.matches("<circle").count(), 4);
        assert!(s1.contains("CONSULT") && s1.contains("href=\"/entities/a\""));
        let pos = layout(4, &[(0, 1, 2.0)], &[(0, 1)], 800.0, 480.0);
        assert!(pos.iter().all(|&(x, y)| (0.0..=800.0).contains(&x) && (0.0..=480.0).contains(&y)));
    }
}
