//! What a number counts: plural nouns and their singulars.

use super::vocab::vocab;

/// Does this lower-case word look like a plural noun ("tourists", "countries", "people")?
pub(crate) fn is_plural(w: &str) -> bool {
    let v = vocab();
    if v.plurals.contains_key(w) || v.invariant.contains(w) {
        return true;
    }
    if v.not_plural.contains(w) || v.stops.contains(w) {
        return false;
    }
    w.len() >= 4
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// The singular of a lower-case plural noun ("countries" → "country", "buses" → "bus");
/// words that are not plural come back as they are.
pub(crate) fn singular(w: &str) -> String {
    let v = vocab();
    if let Some(s) = v.plurals.get(w) {
        return s.clone();
    }
    if v.invariant.contains(w) || !w.ends_with('s') || w.ends_with("ss") || v.not_plural.contains(w) {
        return w.to_string();
    }
    let stem = |n: usize| w[..w.len() - n].to_string();
    if w.len() > 4 && w.ends_with("ies") {
        return stem(3) + "y";
    }
    if w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes") || w.ends_with("zzes") {
        return stem(2);
    }
    stem(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singulars() {
        for (p, s) in [
            ("tourists", "tourist"),
            ("countries", "country"),
            ("people", "people"),
            ("children", "child"),
            ("businesses", "business"),
            ("boxes", "box"),
            ("churches", "church"),
            ("cases", "case"),
            ("houses", "house"),
            ("buses", "bus"),
            ("lives", "life"),
            ("archives", "archive"),
            ("heroes", "hero"),
            ("shoes", "shoe"),
            ("sheep", "sheep"),
            ("crises", "crisis"),
            ("stations", "station"),
            ("engineers", "engineer"),
            ("movies", "movie"),
        ] {
            assert_eq!(singular(p), s, "{p}");
        }
    }

    #[test]
    fn plurals() {
        assert!(is_plural("tourists"));
        assert!(is_plural("people"));
        assert!(is_plural("countries"));
        assert!(!is_plural("various"));
        assert!(!is_plural("business"));
        assert!(!is_plural("analysis"));
        assert!(!is_plural("its"));
        assert!(!is_plural("russian"));
        assert!(!is_plural("has"));
    }
}
