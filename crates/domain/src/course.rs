//! The course of care (borgerforløb): its phases, the roles people have in it, the target
//! groups it serves and the laws its interventions run under.

use crate::coded::coded;

coded!(
    /// The six phases of Samarbejdsmodellen (seed 002), in order.
    Phase, "phase-" {
        Identification => "identification",
        Assessment => "assessment",
        Planning => "planning",
        Intervention => "intervention",
        FollowUp => "follow_up",
        Closure => "closure",
    }
);

/// Why a phase change is refused.
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
}

impl PhaseError {
    pub fn message_key(self) -> &'static str {
        match self {
            PhaseError::Closed => "phase-error-closed",
            PhaseError::NotAdjacent => "phase-error-not-adjacent",
            PhaseError::CloseWithReason => "phase-error-close-with-reason",
            PhaseError::Same => "phase-error-same",
        }
    }
}

impl Phase {
    fn index(self) -> usize {
        Phase::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// A course moves forward one phase, or back one when work must be redone. Closure is its
    /// own act (with a reason and a next step), and a closed course does not move.
    pub fn check_move(self, to: Phase) -> Result<(), PhaseError> {
        if self == Phase::Closure {
            return Err(PhaseError::Closed);
        }
        if to == self {
            return Err(PhaseError::Same);
        }
        if to == Phase::Closure {
            return Err(PhaseError::CloseWithReason);
        }
        if self.index().abs_diff(to.index()) != 1 {
            return Err(PhaseError::NotAdjacent);
        }
        Ok(())
    }

    /// The phases a course in this phase may move to (not counting closure).
    pub fn next_options(self) -> Vec<Phase> {
        Phase::ALL
            .iter()
            .copied()
            .filter(|p| self.check_move(*p).is_ok())
            .collect()
    }
}

coded!(
    /// What a team member is in this course.
    CourseRole, "course-role-" {
        Psychiatrist => "psychiatrist",
        Nurse => "nurse",
        SubstanceAbuseCounsellor => "substance_abuse_counsellor",
        CaseWorker => "case_worker",
        JobCentreContact => "job_centre_contact",
        Gp => "gp",
        SocialPsychiatryContact => "social_psychiatry_contact",
        MpoStaff => "mpo_staff",
        Other => "other",
    }
);

coded!(
    /// Target groups a course is flagged with (seed 003).
    TargetGroup, "target-group-" {
        DualDiagnosis => "dual_diagnosis",
        FrequentReadmissions => "frequent_readmissions",
        Under18 => "under_18",
        Homelessness => "homelessness",
    }
);

coded!(
    /// The laws the course's interventions run under.
    LegalFrame, "legal-frame-" {
        Serviceloven => "serviceloven",
        Sundhedsloven => "sundhedsloven",
        Psykiatriloven => "psykiatriloven",
        Beskaeftigelsesloven => "beskaeftigelsesloven",
    }
);

coded!(
    /// Categories of information that can be shared (consent and the citizen's network).
    ShareCategory, "share-" {
        Health => "health",
        Social => "social",
        SubstanceAbuse => "substance_abuse",
        Employment => "employment",
        Plan => "plan",
        Minutes => "minutes",
        CrisisPlan => "crisis_plan",
    }
);

/// A set of codes stored as one comma-separated text.
pub fn encode_set<T: Copy>(items: &[T], code: fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

/// The inverse of [`encode_set`]; unknown codes are dropped.
pub fn decode_set<T>(s: &str, parse: fn(&str) -> Option<T>) -> Vec<T> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .filter_map(parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_move_one_step_forward_or_back() {
        assert_eq!(Phase::Identification.check_move(Phase::Assessment), Ok(()));
        assert_eq!(Phase::Planning.check_move(Phase::Assessment), Ok(()));
        assert_eq!(
            Phase::Identification.check_move(Phase::Planning),
            Err(PhaseError::NotAdjacent)
        );
        assert_eq!(
            Phase::FollowUp.check_move(Phase::Identification),
            Err(PhaseError::NotAdjacent)
        );
        assert_eq!(
            Phase::Planning.check_move(Phase::Planning),
            Err(PhaseError::Same)
        );
        assert_eq!(
            Phase::FollowUp.check_move(Phase::Closure),
            Err(PhaseError::CloseWithReason)
        );
        assert_eq!(
            Phase::Closure.check_move(Phase::FollowUp),
            Err(PhaseError::Closed)
        );
        assert_eq!(
            Phase::Identification.next_options(),
            vec![Phase::Assessment]
        );
        assert_eq!(
            Phase::Intervention.next_options(),
            vec![Phase::Planning, Phase::FollowUp]
        );
        assert!(Phase::Closure.next_options().is_empty());
    }

    #[test]
    fn sets_round_trip() {
        let flags = [TargetGroup::DualDiagnosis, TargetGroup::Under18];
        let s = encode_set(&flags, TargetGroup::as_str);
        assert_eq!(s, "dual_diagnosis,under_18");
        assert_eq!(decode_set(&s, TargetGroup::parse), flags);
        assert!(decode_set::<TargetGroup>("", TargetGroup::parse).is_empty());
    }
}
