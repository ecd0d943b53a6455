//! Why access was granted: the purpose each allowed decision names, kept in the audit record
//! and read by the citizen in their access log.

use bro_domain::consent::LegalBasisKind;

/// Why access was granted; stored as the audit record's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Administration,
    OwnData,
    /// Finding a citizen to start or join coordinated work.
    Search,
    /// Work as a member of the citizen's care team.
    CareTeam,
    /// Work as a care-team member from another organisation, with the citizen's consent.
    CareTeamConsent,
    /// Work as a care-team member from another organisation, on a recorded legal basis.
    CareTeamLegalBasis(LegalBasisKind),
    /// Emergency access by a professional outside the team, with a stated reason.
    Emergency,
    /// A relative, seeing what the citizen chose to share with them.
    Relative,
    /// Staff of the unit a referral was sent to, dealing with it.
    Referral,
    /// Staff of the escort service asked to escort the citizen to an appointment.
    Escort,
}

impl Purpose {
    pub const ALL: &'static [Purpose] = &[
        Purpose::Administration,
        Purpose::OwnData,
        Purpose::Search,
        Purpose::CareTeam,
        Purpose::CareTeamConsent,
        Purpose::CareTeamLegalBasis(LegalBasisKind::Psykiatriloven13c),
        Purpose::CareTeamLegalBasis(LegalBasisKind::Sundhedsloven43),
        Purpose::CareTeamLegalBasis(LegalBasisKind::Serviceloven),
        Purpose::Emergency,
        Purpose::Relative,
        Purpose::Referral,
        Purpose::Escort,
    ];

    pub fn parse(code: &str) -> Option<Purpose> {
        Self::ALL.iter().copied().find(|p| p.code() == code)
    }

    /// The Fluent key of the reason as a citizen reads it.
    pub fn label_key(self) -> &'static str {
        match self {
            Purpose::Administration => "purpose-administration",
            Purpose::OwnData => "purpose-own-data",
            Purpose::Search => "purpose-search",
            Purpose::CareTeam => "purpose-care-team",
            Purpose::CareTeamConsent => "purpose-care-team-consent",
            Purpose::CareTeamLegalBasis(LegalBasisKind::Psykiatriloven13c) => {
                "purpose-care-team-13c"
            }
            Purpose::CareTeamLegalBasis(LegalBasisKind::Sundhedsloven43) => {
                "purpose-care-team-43-2"
            }
            Purpose::CareTeamLegalBasis(LegalBasisKind::Serviceloven) => {
                "purpose-care-team-service-act"
            }
            Purpose::Emergency => "purpose-emergency",
            Purpose::Relative => "purpose-relative",
            Purpose::Referral => "purpose-referral",
            Purpose::Escort => "purpose-escort",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Administration => "administration",
            Purpose::OwnData => "own-data",
            Purpose::Search => "search",
            Purpose::CareTeam => "care-team",
            Purpose::CareTeamConsent => "care-team-consent",
            Purpose::CareTeamLegalBasis(LegalBasisKind::Psykiatriloven13c) => "care-team-13c",
            Purpose::CareTeamLegalBasis(LegalBasisKind::Sundhedsloven43) => "care-team-43-2",
            Purpose::CareTeamLegalBasis(LegalBasisKind::Serviceloven) => "care-team-service-act",
            Purpose::Emergency => "emergency",
            Purpose::Relative => "relative",
            Purpose::Referral => "referral",
            Purpose::Escort => "escort",
        }
    }
}
