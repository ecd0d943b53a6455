//! Organisations (tenants), their units, account kinds and interface languages.

use crate::coded::coded;

coded!(
    /// The kind of a tenant.
    OrgKind, "org-kind-" {
        Region => "region",
        Municipality => "municipality",
        GpPractice => "gp_practice",
        OtherProvider => "other_provider",
    }
);

coded!(
    /// The kind of a unit inside an organisation.
    UnitKind, "unit-kind-" {
        Ward => "ward",
        OutpatientClinic => "outpatient_clinic",
        AcuteTeam => "acute_team",
        SocialPsychiatry => "social_psychiatry",
        SubstanceAbuseTreatment => "substance_abuse_treatment",
        CaseAuthority => "case_authority",
        JobCentre => "job_centre",
        EscortService => "escort_service",
        MpoUnit => "mpo_unit",
        GpPractice => "gp_practice",
        Administration => "administration",
        Other => "other",
    }
);

coded!(
    /// Who an account belongs to: staff of an organisation, a citizen, or a citizen's relative.
    AccountKind, "account-kind-" {
        Staff => "staff",
        Citizen => "citizen",
        Relative => "relative",
    }
);

coded!(
    /// Interface language. Danish is the default.
    Language, "language-" {
        Da => "da",
        En => "en",
    }
);

#[expect(
    clippy::derivable_impls,
    reason = "the enum is declared by a macro that takes no variant attributes"
)]
impl Default for Language {
    fn default() -> Self {
        Language::Da
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(*k));
        }
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(UnitKind::parse("Ward"), None);
        assert_eq!(Language::default(), Language::Da);
    }
}
