//! The phases a course moves through. By default the six of Samarbejdsmodellen (seed 002); a
//! collaboration of organisations may instead name its own working phases, in its own order.
//! Either way a course ends in closure, which is its own act (with a reason and a next step).
//!
//! A course keeps the scheme it was opened under, so a collaboration changing its phases later
//! never strands a running course in a phase that no longer exists.

use crate::course::Phase;

/// The code of the closing phase, the same in every scheme.
pub const CLOSURE: &str = "closure";
/// A collaboration names between two and this many working phases.
pub const MAX_PHASES: usize = 10;
/// The longest phase name.
pub const MAX_PHASE_NAME: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhaseError {
    #[error("the course is closed")]
    Closed,
    #[error("a course moves one phase at a time")]
    NotAdjacent,
    #[error("closing a course needs a reason and a next step")]
    CloseWithReason,
    #[error("the course is already in this phase")]
    Same,
    #[error("no such phase")]
    Unknown,
}

impl PhaseError {
    pub fn message_key(self) -> &'static str {
        match self {
            PhaseError::Closed => "phase-error-closed",
            PhaseError::NotAdjacent => "phase-error-not-adjacent",
            PhaseError::CloseWithReason => "phase-error-close-with-reason",
            PhaseError::Same => "phase-error-same",
            PhaseError::Unknown => "field-choose",
        }
    }
}

/// Why a collaboration's list of phases is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error("at least two phases")]
    TooFew,
    #[error("at most ten phases")]
    TooMany,
    #[error("a phase name is too long")]
    NameTooLong,
    #[error("two phases have the same name")]
    Duplicate,
}

impl SchemeError {
    pub fn message_key(self) -> &'static str {
        match self {
            SchemeError::TooFew => "phases-error-too-few",
            SchemeError::TooMany => "phases-error-too-many",
            SchemeError::NameTooLong => "phases-error-too-long",
            SchemeError::Duplicate => "phases-error-duplicate",
        }
    }
}

/// The ordered phases of a course: the default six, or a collaboration's own working phases
/// followed by closure. Working phases of an own scheme have the codes `step-1`, `step-2`, …
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhaseScheme {
    own: Option<Vec<String>>,
}

impl PhaseScheme {
    /// A collaboration's own working phases, one per line; blank lines are ignored.
    pub fn parse_lines(text: &str) -> Result<Self, SchemeError> {
        let names: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        Self::own(names)
    }

    pub fn own(names: Vec<String>) -> Result<Self, SchemeError> {
        if names.len() < 2 {
            return Err(SchemeError::TooFew);
        }
        if names.len() > MAX_PHASES {
            return Err(SchemeError::TooMany);
        }
        if names.iter().any(|n| n.chars().count() > MAX_PHASE_NAME) {
            return Err(SchemeError::NameTooLong);
        }
        let mut folded: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        folded.sort();
        folded.dedup();
        if folded.len() != names.len() {
            return Err(SchemeError::Duplicate);
        }
        Ok(PhaseScheme { own: Some(names) })
    }

    /// The working phases' own names, or `None` for the default scheme.
    pub fn own_names(&self) -> Option<&[String]> {
        self.own.as_deref()
    }

    /// The stored form: `None` for the default scheme, else a JSON list of names.
    pub fn to_json(&self) -> Option<String> {
        self.own
            .as_ref()
            .map(|names| serde_json::to_string(names).unwrap_or_default())
    }

    pub fn from_json(stored: Option<&str>) -> Result<Self, String> {
        match stored {
            None => Ok(PhaseScheme::default()),
            Some(s) => {
                let names: Vec<String> = serde_json::from_str(s).map_err(|e| e.to_string())?;
                Self::own(names).map_err(|e| e.to_string())
            }
        }
    }

    /// Every phase's code in order, closure last.
    pub fn codes(&self) -> Vec<String> {
        match &self.own {
            None => Phase::ALL.iter().map(|p| p.as_str().to_owned()).collect(),
            Some(names) => (1..=names.len())
                .map(|n| format!("step-{n}"))
                .chain([CLOSURE.to_owned()])
                .collect(),
        }
    }

    /// Where a new course starts.
    pub fn first(&self) -> String {
        self.codes().swap_remove(0)
    }

    fn index(&self, code: &str) -> Option<usize> {
        self.codes().iter().position(|c| c == code)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.index(code).is_some()
    }

    /// A course moves forward one phase, or back one when work must be redone. Closure is its
    /// own act, and a closed course does not move.
    pub fn check_move(&self, from: &str, to: &str) -> Result<(), PhaseError> {
        let (Some(a), Some(b)) = (self.index(from), self.index(to)) else {
            return Err(PhaseError::Unknown);
        };
        if from == CLOSURE {
            return Err(PhaseError::Closed);
        }
        if a == b {
            return Err(PhaseError::Same);
        }
        if to == CLOSURE {
            return Err(PhaseError::CloseWithReason);
        }
        if a.abs_diff(b) != 1 {
            return Err(PhaseError::NotAdjacent);
        }
        Ok(())
    }

    /// The phases a course in `from` may move to (not counting closure).
    pub fn next_options(&self, from: &str) -> Vec<String> {
        self.codes()
            .into_iter()
            .filter(|to| self.check_move(from, to).is_ok())
            .collect()
    }

    /// A phase's name: the collaboration's own, or the default's in the reader's language
    /// (`t` looks up a Fluent key).
    pub fn label(&self, code: &str, t: impl Fn(&str) -> String) -> String {
        let own = self.own.as_ref().and_then(|names| {
            let n: usize = code.strip_prefix("step-")?.parse().ok()?;
            names.get(n.checked_sub(1)?).cloned()
        });
        match (own, Phase::parse(code)) {
            (Some(name), _) => name,
            (None, Some(p)) => t(p.label_key()),
            (None, None) => code.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_default_phases_move_one_step_forward_or_back() {
        let s = PhaseScheme::default();
        assert_eq!(s.first(), "identification");
        assert_eq!(s.check_move("identification", "assessment"), Ok(()));
        assert_eq!(s.check_move("planning", "assessment"), Ok(()));
        assert_eq!(
            s.check_move("identification", "planning"),
            Err(PhaseError::NotAdjacent)
        );
        assert_eq!(
            s.check_move("follow_up", "identification"),
            Err(PhaseError::NotAdjacent)
        );
        assert_eq!(s.check_move("planning", "planning"), Err(PhaseError::Same));
        assert_eq!(
            s.check_move("follow_up", CLOSURE),
            Err(PhaseError::CloseWithReason)
        );
        assert_eq!(s.check_move(CLOSURE, "follow_up"), Err(PhaseError::Closed));
        assert_eq!(s.check_move("planning", "step-2"), Err(PhaseError::Unknown));
        assert_eq!(s.next_options("identification"), codes(&["assessment"]));
        assert_eq!(
            s.next_options("intervention"),
            codes(&["planning", "follow_up"])
        );
        assert!(s.next_options(CLOSURE).is_empty());
        assert_eq!(
            s.label("follow_up", |k| format!("<{k}>")),
            "<phase-follow_up>"
        );
    }

    #[test]
    fn a_collaboration_names_its_own_phases_and_closure_ends_them() {
        let s = PhaseScheme::parse_lines(
            "Henvisning til Fælles Team\n\n  Fælles   udredning \nKoordineringsmøde\nIndsats og opfølgning\n",
        )
        .expect("scheme");
        assert_eq!(
            s.codes(),
            codes(&["step-1", "step-2", "step-3", "step-4", CLOSURE])
        );
        assert_eq!(s.first(), "step-1");
        assert_eq!(s.label("step-2", |k| k.to_owned()), "Fælles udredning");
        assert_eq!(s.label(CLOSURE, |k| k.to_owned()), "phase-closure");
        assert_eq!(s.check_move("step-1", "step-2"), Ok(()));
        assert_eq!(
            s.check_move("step-1", "step-3"),
            Err(PhaseError::NotAdjacent)
        );
        assert_eq!(
            s.check_move("step-4", CLOSURE),
            Err(PhaseError::CloseWithReason)
        );
        assert_eq!(
            s.check_move("assessment", "step-1"),
            Err(PhaseError::Unknown)
        );
        assert_eq!(s.next_options("step-4"), codes(&["step-3"]));
        let stored = s.to_json();
        assert_eq!(PhaseScheme::from_json(stored.as_deref()), Ok(s));
        assert_eq!(PhaseScheme::from_json(None), Ok(PhaseScheme::default()));
        assert!(PhaseScheme::from_json(Some("not json")).is_err());
    }

    #[test]
    fn bad_phase_lists_are_refused() {
        assert_eq!(
            PhaseScheme::parse_lines("Kun én\n \n"),
            Err(SchemeError::TooFew)
        );
        assert_eq!(PhaseScheme::parse_lines(""), Err(SchemeError::TooFew));
        let eleven = (1..=11)
            .map(|n| format!("Fase {n}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(PhaseScheme::parse_lines(&eleven), Err(SchemeError::TooMany));
        assert_eq!(
            PhaseScheme::parse_lines(&format!("a\n{}", "x".repeat(61))),
            Err(SchemeError::NameTooLong)
        );
        assert_eq!(
            PhaseScheme::parse_lines("Indsats\nINDSATS"),
            Err(SchemeError::Duplicate)
        );
    }
}
