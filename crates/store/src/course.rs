//! Types of the course store: courses, care-team members, timelines, citizen search.

use bro_domain::{
    CitizenId, CollaborationId, CourseId, CourseRole, Cpr, LegalFrame, MemberId, OrgId,
    PhaseScheme, TargetGroup, Timestamp, UnitId, UserId,
};

use crate::TableRows;

/// A member to add: a staff user, in one of their units, with a role in this course and a
/// contact route ("who do I call, when").
#[derive(Debug, Clone)]
pub struct NewMember {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub unit_id: UnitId,
    pub role: CourseRole,
    /// A fixed member, or ad hoc (called in for a need).
    pub fixed: bool,
    pub phone: String,
    pub mail: String,
    pub hours: String,
}

#[derive(Debug, Clone)]
pub struct NewCourse {
    pub citizen_id: CitizenId,
    pub target_groups: Vec<TargetGroup>,
    pub legal_frames: Vec<LegalFrame>,
    /// The first coordinator; a course never exists without one.
    pub coordinator: NewMember,
    /// The collaboration whose phases the course follows; `None` for the default six. It must
    /// include the coordinator's organisation.
    pub collaboration: Option<CollaborationId>,
    /// Why this organisation opens a course for a citizen whose last course another
    /// organisation held: required then (`Conflict::HandoverReason`), and sent to that course's
    /// coordinator.
    pub handover_reason: Option<String>,
}

/// A collaboration of organisations (e.g. a municipality and the regional psychiatry) with the
/// phases its courses move through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collaboration {
    pub id: CollaborationId,
    pub name: String,
    /// Member organisations by name.
    pub orgs: Vec<(OrgId, String)>,
    pub phases: PhaseScheme,
    pub created_ms: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewCollaboration {
    pub name: String,
    pub orgs: Vec<OrgId>,
    pub phases: PhaseScheme,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub user_id: UserId,
    pub name: String,
    pub org_id: OrgId,
    pub org_name: String,
    pub unit_name: String,
    pub role: CourseRole,
    pub fixed: bool,
    pub is_coordinator: bool,
    pub phone: String,
    pub mail: String,
    pub hours: String,
    pub added_ms: Timestamp,
}

/// The kinds of timeline events, as stored.
pub const COURSE_EVENT_KINDS: &[&str] = &[
    "opened",
    "minutes_approved",
    "agreement",
    "agreement_done",
    "phase",
    "member_added",
    "member_removed",
    "coordinator",
    "closed",
    "plan_version",
    "citizen_agreed",
    "frame",
    "network_added",
    "network_removed",
    "consent_requested",
    "handover",
    "stay_booked",
    "stay_arrived",
    "stay_extended",
    "stay_ended",
];

/// One entry of a course's timeline. `kind` is a code (`opened`, `phase`, `member_added`,
/// `member_removed`, `coordinator`, `closed`, `plan_version`); `detail` a code, a version
/// number or a staff member's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseEvent {
    pub at_ms: Timestamp,
    pub actor_name: Option<String>,
    pub kind: String,
    pub detail: String,
}

/// Someone in the citizen's network, and what the citizen lets them see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMember {
    pub id: i64,
    pub name: String,
    pub relation: String,
    pub phone: String,
    pub may_see: Vec<bro_domain::ShareCategory>,
    /// Their relative's login, when they have one.
    pub has_login: bool,
}

#[derive(Debug, Clone)]
pub struct NewNetworkMember {
    pub name: String,
    pub relation: String,
    pub phone: String,
    pub may_see: Vec<bro_domain::ShareCategory>,
    /// The person's relative login, which must be linked to the citizen.
    pub user_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: CourseId,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub citizen_cpr: Cpr,
    /// A code of `phases`.
    pub phase: String,
    /// The phases the course was opened under.
    pub phases: PhaseScheme,
    /// The collaboration it follows, by name; `None` for the default phases.
    pub collaboration_name: Option<String>,
    pub target_groups: Vec<TargetGroup>,
    pub legal_frames: Vec<LegalFrame>,
    pub opened_ms: Timestamp,
    pub closed_ms: Option<Timestamp>,
    pub close_reason: Option<String>,
    pub next_step: Option<String>,
    pub team: Vec<Member>,
    pub network: Vec<NetworkMember>,
    pub timeline: Vec<CourseEvent>,
}

impl Course {
    pub fn coordinator(&self) -> Option<&Member> {
        self.team.iter().find(|m| m.is_coordinator)
    }
}

/// A line of "my courses".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseSummary {
    pub id: CourseId,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    /// A code of `phases`.
    pub phase: String,
    pub phases: PhaseScheme,
    pub my_role: CourseRole,
    pub i_coordinate: bool,
    pub opened_ms: Timestamp,
    /// The newest plan version's review date (`YYYY-MM-DD`), if a plan exists and is shared
    /// with the asking member's organisation.
    pub review_date: Option<String>,
    /// The plan is shared with the asking member's organisation.
    pub plan_shared: bool,
    /// Team members' requests for consent since the last consent was recorded: the
    /// coordinator's open tasks.
    pub consent_requests: i64,
    /// In hospital now (admitted or on leave), where health data is shared with the asking
    /// member's organisation.
    pub hospital_now: Option<bro_domain::hospital::EpisodeState>,
    /// Acute readmissions in the last 12 months, on the same terms.
    pub readmissions: usize,
    /// Unanswered no-shows in the last 60 days that the asking member's organisation may see,
    /// when there are enough to flag the course (0 otherwise).
    pub no_shows: usize,
}

/// What access decisions about a course need to know; carries no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourseAccess {
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub closed: bool,
    /// The asking user's active membership, if any: (member id, is coordinator).
    pub membership: Option<(MemberId, bool)>,
    /// The organisation that holds the course: its coordinator's.
    pub holder_org: Option<OrgId>,
    /// Outside the team, the asking user has an emergency access in force (set by the web
    /// layer, which knows the time).
    pub emergency: bool,
}

/// What a citizen search looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitizenQuery {
    /// A whole CPR number: anyone.
    Cpr(Cpr),
    /// The beginnings of words of a name ("niel", "mette niel"), at least two characters: only
    /// among the citizens whose open course's care team the searcher is on.
    OwnByName(String),
    /// A full name (every word whole) and the birth date, as the CPR number's first six digits
    /// (`DDMMYY`): anyone. So nobody lists the register by a few letters.
    FullNameBorn { name: String, born: String },
}

/// The words a name is found by: lower case, split at spaces and hyphens, each once, in order.
pub fn name_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-')
    {
        if !word.is_empty() && !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    words
}

/// The `citizen_name_words` rows of one citizen (migration 17), keyed as name search reads them:
/// Bro writes them with each citizen, the scale generator in bulk.
pub fn push_name_words(rows: &mut TableRows, citizen: CitizenId, given: &str, family: &str) {
    for word in name_words(&format!("{given} {family}")) {
        rows.push(vec![
            word.into(),
            family.into(),
            given.into(),
            citizen.0.into(),
        ]);
    }
}

/// An empty set of `citizen_name_words` rows, for [`push_name_words`].
pub fn name_word_rows() -> TableRows {
    TableRows::new(
        "citizen_name_words",
        &["word", "family_name", "given_name", "citizen_id"],
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenHit {
    pub citizen_id: CitizenId,
    pub name: String,
    pub cpr: Cpr,
    pub open_course: Option<CourseId>,
    /// The searching user is on the open course's team.
    pub member: bool,
}

/// A staff member's role in a unit, as offered when adding someone to a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffOption {
    pub user_id: UserId,
    pub name: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub org_id: OrgId,
    pub org_name: String,
}

/// One version of a course's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersion {
    pub course_id: CourseId,
    pub version: i64,
    pub at_ms: Timestamp,
    pub author_name: Option<String>,
    pub section: bro_domain::plan::Section,
    pub content: bro_domain::plan::PlanContent,
}

/// A comment on the plan, by the citizen or a team member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanComment {
    pub at_ms: Timestamp,
    pub author_name: String,
    pub from_citizen: bool,
    pub text: String,
}
