//! Fælles Team meetings as the store keeps them.

use bro_domain::meeting::{Attendance, DeliveryChannel, DeliveryStatus, Score, TeamFunction};
use bro_domain::{
    CaseId, CitizenId, CollaborationId, CourseId, MeetingId, OrgId, TeamId, Timestamp, UserId,
};

#[derive(Debug, Clone)]
pub struct NewTeam {
    pub collaboration_id: CollaborationId,
    pub name: String,
    pub place: String,
    pub leader: UserId,
    pub convener: UserId,
    pub agenda: String,
    pub members: Vec<NewTeamMember>,
    /// The annual cycle: (month 1..=12, theme).
    pub themes: Vec<(u8, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewTeamMember {
    pub user: UserId,
    pub function: TeamFunction,
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub user_id: UserId,
    pub name: String,
    pub org_name: String,
    pub function: TeamFunction,
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub id: TeamId,
    pub collaboration_id: CollaborationId,
    pub collaboration_name: String,
    pub name: String,
    pub place: String,
    pub leader: (UserId, String),
    pub convener: (UserId, String),
    pub agenda: String,
    /// The collaboration's organisations: whose consent a case needs.
    pub orgs: Vec<(OrgId, String)>,
    pub members: Vec<TeamMember>,
    pub themes: Vec<(u8, String)>,
}

impl Team {
    pub fn is_member(&self, user: UserId) -> bool {
        self.leader.0 == user
            || self.convener.0 == user
            || self.members.iter().any(|m| m.user_id == user)
    }

    /// The theme of the annual cycle for a meeting in `month` (1..=12), if one is set.
    pub fn theme_of(&self, month: u8) -> Option<&str> {
        self.themes
            .iter()
            .find(|(m, _)| *m == month)
            .map(|(_, t)| t.as_str())
    }

    pub fn agenda_items(&self) -> impl Iterator<Item = &str> {
        self.agenda.lines().map(str::trim).filter(|l| !l.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSummary {
    pub id: TeamId,
    pub name: String,
    pub place: String,
    pub next_meeting_ms: Option<Timestamp>,
}

/// One meeting of a new series, worked out by `bro_domain::recurrence`.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub team: TeamId,
    pub title: String,
    pub first_date: String,
    pub start_minute: i64,
    pub minutes: i64,
    pub every_weeks: i64,
    pub until_date: String,
    pub place: String,
    pub video_link: String,
    /// (local date, starts, ends, theme) of each meeting.
    pub meetings: Vec<(String, Timestamp, Timestamp, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: MeetingId,
    pub team_id: TeamId,
    pub team_name: String,
    pub series_id: Option<i64>,
    pub title: String,
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
    pub place: String,
    pub video_link: String,
    pub theme: String,
    pub moved: bool,
    pub cancelled_ms: Option<Timestamp>,
    pub sequence: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub user_id: UserId,
    pub name: String,
    pub org_name: String,
    pub function: Option<TeamFunction>,
    pub attendance: Attendance,
}

/// What a case is, without its content: enough to decide access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef {
    pub id: CaseId,
    pub meeting_id: MeetingId,
    pub team_id: TeamId,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingCase {
    pub id: CaseId,
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub citizen_attendance: Attendance,
    pub approved_ms: Option<Timestamp>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldValue {
    pub field: String,
    pub body: String,
    pub version: i64,
    pub updated_ms: Timestamp,
    pub updated_by: String,
    pub updated_by_user_id: UserId,
}

/// The answer to a write in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSave {
    /// Written; the whole template as it now stands.
    Saved(Vec<FieldValue>),
    /// Someone else saved the field since the writer loaded it: nothing was written; here is
    /// what they wrote.
    Conflict(FieldValue),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Agreement {
    pub id: i64,
    pub case_id: CaseId,
    pub what: String,
    pub who: String,
    pub due_date: Option<String>,
    pub done_ms: Option<Timestamp>,
    /// When the meeting that made it began.
    pub made_ms: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetCitizen {
    pub course_id: CourseId,
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub added_ms: Timestamp,
}

/// Approved minutes as frozen: `body` is the JSON snapshot taken at approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenMinutes {
    pub case_id: CaseId,
    pub body: String,
    pub approved_ms: Timestamp,
    pub approved_by: String,
}

/// A line of the citizen's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesSummary {
    pub case_id: CaseId,
    pub team_name: String,
    pub meeting_ms: Timestamp,
    pub approved_ms: Timestamp,
    pub evaluated: bool,
}

/// A case of the citizen's, as the citizen's own page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenCase {
    pub case_id: CaseId,
    pub meeting_id: MeetingId,
    pub team_name: String,
    pub starts_ms: Timestamp,
    pub ends_ms: Timestamp,
    pub place: String,
    pub video_link: String,
    pub cancelled: bool,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub case_id: CaseId,
    pub channel: DeliveryChannel,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_ms: Timestamp,
    pub last_error: Option<String>,
    pub sent_ms: Option<Timestamp>,
}

/// A delivery whose time has come, with where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: i64,
    pub case_id: CaseId,
    pub attempts: i64,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvaluation {
    pub involvement: Score,
    pub ownership: Score,
    pub comment: String,
    /// Answered by the citizen on their own device; otherwise noted by the leader.
    pub by_citizen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingEvaluation {
    pub user_name: String,
    pub coherence: Score,
    pub effects: String,
    pub learning: String,
}

/// One meeting's evaluations, averaged: a point of the team's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationPoint {
    pub meeting_id: MeetingId,
    pub starts_ms: Timestamp,
    pub involvement: Option<f64>,
    pub ownership: Option<f64>,
    pub coherence: Option<f64>,
    pub citizen_answers: i64,
    pub actor_answers: i64,
}

/// Whose meetings a calendar feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOwner {
    /// A user's meetings.
    User(UserId),
    /// A team's meetings.
    Team(TeamId),
    /// A citizen's appointments, for the citizen themself.
    Citizen(CitizenId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub id: i64,
    pub owner: FeedOwner,
    /// Who made it: the feed is read in their name.
    pub created_by: UserId,
    pub created_ms: Timestamp,
    pub revoked_ms: Option<Timestamp>,
}
