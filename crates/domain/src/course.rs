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
    fn sets_round_trip() {
        let flags = [TargetGroup::DualDiagnosis, TargetGroup::Under18];
        let s = encode_set(&flags, TargetGroup::as_str);
        assert_eq!(s, "dual_diagnosis,under_18");
        assert_eq!(decode_set(&s, TargetGroup::parse), flags);
        assert!(decode_set::<TargetGroup>("", TargetGroup::parse).is_empty());
    }
}
