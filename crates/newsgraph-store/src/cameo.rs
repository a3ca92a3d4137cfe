//! PLOVER event types to CAMEO codes, for the GDELT export.
//!
//! GDELT codes events with CAMEO. PLOVER was designed as CAMEO's successor and its categories
//! map onto CAMEO's root codes; each PLOVER type here gets the CAMEO code of its most general
//! matching action (a mode can narrow it: a CONSULT "visit" is 042), the Goldstein scale value
//! CAMEO gives that code, and GDELT's QuadClass for its root, grouped as in CAMEO's quad
//! categories (01–05 verbal cooperation, 06–08 material cooperation, 09–13 verbal conflict,
//! 14–20 material conflict). This is a coarse
//! crosswalk: PLOVER's finer distinctions (e.g. between kinds of assault) are not recovered.

/// CAMEO coding of one PLOVER event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cameo {
    /// Three or four digits, e.g. "057".
    pub code: &'static str,
    pub goldstein: f32,
}

impl Cameo {
    /// The first three digits.
    pub fn base(&self) -> &'static str {
        &self.code[..3.min(self.code.len())]
    }

    pub fn root(&self) -> &'static str {
        &self.code[..2]
    }

    /// GDELT's QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    pub fn quad_class(&self) -> u8 {
        match self.root().parse::<u8>().unwrap_or(1) {
            1..=5 => 1,
            6..=8 => 2,
            9..=13 => 3,
            _ => 4,
        }
    }
}

/// The CAMEO code for a PLOVER type and mode; None for a type this table does not know.
pub fn from_plover(kind: &str, mode: Option<&str>) -> Option<Cameo> {
    let c = |code, goldstein| Some(Cameo { code, goldstein });
    let mode = mode.unwrap_or("").to_ascii_lowercase();
    match kind.to_ascii_uppercase().as_str() {
        // 057 Sign formal agreement
        "AGREE" => c("057", 8.0),
        // 040 Consult; 042 Make a visit; 043 Host a visit; 046 Engage in negotiation
        "CONSULT" => match mode.as_str() {
            "visit" => c("042", 1.9),
            "host" => c("043", 2.8),
            "negotiate" | "negotiation" => c("046", 7.0),
            _ => c("040", 1.0),
        },
        // 051 Praise or endorse
        "SUPPORT" => c("051", 3.4),
        // 080 Yield
        "CONCEDE" => c("080", 5.0),
        // 060 Engage in material cooperation
        "COOPERATE" => c("060", 6.0),
        // 070 Provide aid
        "AID" => c("070", 7.0),
        // 087 De-escalate military engagement (withdraw, retreat)
        "RETREAT" => c("087", 9.0),
        // 020 Make an appeal or request
        "REQUEST" => c("020", 3.0),
        // 112 Accuse
        "ACCUSE" => c("112", -2.0),
        // 120 Reject
        "REJECT" => c("120", -4.0),
        // 130 Threaten
        "THREATEN" => c("130", -4.4),
        // 140 Engage in political dissent
        "PROTEST" => c("140", -6.5),
        // 163 Impose embargo, boycott, or sanctions
        "SANCTION" => c("163", -8.0),
        // 150 Demonstrate military or police power
        "MOBILIZE" => c("150", -7.2),
        // 170 Coerce
        "COERCE" => c("170", -7.0),
        // 190 Use conventional military force; 180 Use unconventional violence otherwise
        "ASSAULT" => match mode.as_str() {
            "firearms" | "artillery" | "aerial" | "military" => c("190", -10.0),
            _ => c("180", -9.0),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quad_classes() {
        assert_eq!(from_plover("AGREE", None).unwrap().quad_class(), 1);
        assert_eq!(from_plover("AID", None).unwrap().quad_class(), 2);
        assert_eq!(from_plover("THREATEN", None).unwrap().quad_class(), 3);
        assert_eq!(from_plover("PROTEST", None).unwrap().quad_class(), 4);
        assert_eq!(from_plover("ASSAULT", None).unwrap().quad_class(), 4);
        assert_eq!(from_plover("CONSULT", Some("visit")).unwrap().code, "042");
        assert_eq!(from_plover("SANCTION", None).unwrap().root(), "16");
        assert!(from_plover("DANCE", None).is_none());
        for &t in newsgraph_doc::PLOVER_TYPES {
            assert!(from_plover(t, None).is_some(), "{t}");
        }
    }
}
