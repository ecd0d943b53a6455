//! The traits of Fælles Team: teams, meetings, cases, deliveries and calendar feeds; their
//! types are in [`crate::meeting`].

use async_trait::async_trait;
use bro_domain::meeting::{Attendance, Score};
use bro_domain::{CaseId, CitizenId, CourseId, MeetingId, OrgId, TeamId, Timestamp, UserId};

use crate::{
    Agreement, AuditCtx, CalendarFeed, CaseEvaluation, CaseRef, CitizenCase, Delivery, DueDelivery,
    EvaluationPoint, FeedOwner, FieldSave, FieldValue, FrozenMinutes, Meeting, MeetingCase,
    MeetingEvaluation, MinutesSummary, NewSeries, NewTeam, NewTeamMember, Participant, StoreResult,
    TargetCitizen, Team, TeamSummary,
};

/// Fælles Team: the teams, their members, agenda and annual cycle of themes, and their list
/// of citizens in the target group.
#[async_trait]
pub trait TeamStore {
    async fn create_team(&self, audit: &AuditCtx, new: NewTeam) -> StoreResult<TeamId>;
    async fn team(&self, id: TeamId) -> StoreResult<Team>;
    /// Teams the user is on (leader, convener or member).
    async fn teams_of_user(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<TeamSummary>>;
    /// Teams of the collaborations an organisation takes part in.
    async fn teams_of_org(&self, org: OrgId, now: Timestamp) -> StoreResult<Vec<TeamSummary>>;
    /// Replaces the agenda template and the annual cycle of themes.
    async fn set_team_agenda(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        agenda: &str,
        themes: &[(u8, String)],
    ) -> StoreResult<()>;
    async fn set_team_member(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        member: NewTeamMember,
    ) -> StoreResult<()>;
    async fn remove_team_member(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        user: UserId,
    ) -> StoreResult<()>;
    /// The team's list of citizens in the target group.
    async fn team_citizens(
        &self,
        audit: &AuditCtx,
        team: TeamId,
    ) -> StoreResult<Vec<TargetCitizen>>;
    async fn add_team_citizen(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        course: CourseId,
    ) -> StoreResult<()>;
    async fn remove_team_citizen(
        &self,
        audit: &AuditCtx,
        team: TeamId,
        course: CourseId,
    ) -> StoreResult<()>;
}

/// Fælles Team meetings: series, single meetings, who is invited and comes, and the
/// meetings' evaluations.
#[async_trait]
pub trait MeetingStore {
    /// Writes out a series' meetings, inviting the fixed members. Refused with
    /// `Conflict::Overlap` when one would overlap a meeting of the team.
    async fn create_series(&self, audit: &AuditCtx, new: NewSeries) -> StoreResult<i64>;
    async fn meetings_of_team(
        &self,
        team: TeamId,
        from_ms: Timestamp,
        to_ms: Timestamp,
    ) -> StoreResult<Vec<Meeting>>;
    /// Meetings the user is invited to, for their calendar.
    async fn meetings_of_user(
        &self,
        user: UserId,
        from_ms: Timestamp,
        to_ms: Timestamp,
    ) -> StoreResult<Vec<Meeting>>;
    async fn meeting(&self, id: MeetingId) -> StoreResult<Meeting>;
    /// Moves one meeting; its series is untouched. `Conflict::Overlap` as for a series,
    /// `Conflict::Cancelled` for a cancelled meeting.
    async fn move_meeting(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        starts_ms: Timestamp,
        ends_ms: Timestamp,
    ) -> StoreResult<()>;
    async fn cancel_meeting(&self, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<()>;
    async fn set_meeting_details(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        place: &str,
        video_link: &str,
    ) -> StoreResult<()>;
    async fn participants(&self, meeting: MeetingId) -> StoreResult<Vec<Participant>>;
    /// Invites a user (the convener assembling the team for this meeting).
    async fn invite(&self, audit: &AuditCtx, meeting: MeetingId, user: UserId) -> StoreResult<()>;
    async fn set_attendance(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        user: UserId,
        attendance: Attendance,
    ) -> StoreResult<()>;
    async fn record_meeting_evaluation(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        coherence: Score,
        effects: &str,
        learning: &str,
    ) -> StoreResult<()>;
    async fn meeting_evaluations(&self, meeting: MeetingId) -> StoreResult<Vec<MeetingEvaluation>>;
    async fn evaluation_points(&self, team: TeamId) -> StoreResult<Vec<EvaluationPoint>>;
}

/// Fælles Team cases: a citizen's course on a meeting's agenda, the template's fields, the
/// agreements, the minutes and their approval, and the citizen's evaluation. Functions that
/// read or write a citizen's case take an [`AuditCtx`] and write the audit record in the same
/// transaction.
#[async_trait]
pub trait CaseStore {
    async fn add_case(
        &self,
        audit: &AuditCtx,
        meeting: MeetingId,
        course: CourseId,
    ) -> StoreResult<CaseId>;
    async fn case_ref(&self, case: CaseId) -> StoreResult<CaseRef>;
    async fn cases(&self, audit: &AuditCtx, meeting: MeetingId) -> StoreResult<Vec<MeetingCase>>;
    async fn case(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<MeetingCase>;
    /// The template as filled so far; written to the audit log as a read of the case.
    async fn case_fields(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<Vec<FieldValue>>;
    /// Writes one field if nobody changed it since `base_version` (0: never written).
    /// `Conflict::Approved` once the minutes are approved.
    async fn save_case_field(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        field: &str,
        body: &str,
        base_version: i64,
    ) -> StoreResult<FieldSave>;
    async fn set_citizen_attendance(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        attendance: Attendance,
    ) -> StoreResult<()>;
    /// Freezes the minutes as `body`, puts them in the citizen's inbox, queues the e-mail
    /// notice and writes the agreements onto the course timeline, in one transaction.
    async fn approve_case(&self, audit: &AuditCtx, case: CaseId, body: &str) -> StoreResult<()>;
    async fn minutes(&self, audit: &AuditCtx, case: CaseId) -> StoreResult<Option<FrozenMinutes>>;
    /// The citizen's inbox of approved minutes.
    async fn citizen_minutes(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<MinutesSummary>>;
    /// The citizen's cases, upcoming and past.
    async fn citizen_cases(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<CitizenCase>>;
    async fn record_case_evaluation(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        evaluation: &CaseEvaluation,
    ) -> StoreResult<()>;
    async fn case_evaluation(&self, case: CaseId) -> StoreResult<Option<CaseEvaluation>>;
}

/// Notices of approved minutes: their deliveries and the e-mail addresses they go to.
#[async_trait]
pub trait DeliveryStore {
    async fn deliveries(&self, case: CaseId) -> StoreResult<Vec<Delivery>>;
    async fn due_deliveries(&self, now: Timestamp, limit: i64) -> StoreResult<Vec<DueDelivery>>;
    /// Records one attempt: sent, or failed with a reason (no personal data) and retried later.
    async fn record_delivery_attempt(
        &self,
        id: i64,
        now: Timestamp,
        outcome: Result<(), String>,
    ) -> StoreResult<()>;
    /// Makes a failed delivery due now.
    async fn retry_delivery(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        delivery: i64,
    ) -> StoreResult<()>;
    /// The address notices go to.
    async fn set_email(
        &self,
        audit: &AuditCtx,
        user: UserId,
        email: Option<&str>,
    ) -> StoreResult<()>;
    async fn email(&self, user: UserId) -> StoreResult<Option<String>>;
}

/// Calendar feeds: tokens that let a calendar program read a user's or a team's meetings.
#[async_trait]
pub trait FeedStore {
    /// Keeps a new feed token's digest.
    async fn create_feed(
        &self,
        audit: &AuditCtx,
        owner: FeedOwner,
        digest: &str,
    ) -> StoreResult<i64>;
    async fn feeds(&self, owner: FeedOwner) -> StoreResult<Vec<CalendarFeed>>;
    async fn revoke_feed(&self, audit: &AuditCtx, owner: FeedOwner, feed: i64) -> StoreResult<()>;
    /// The feed a token's digest opens, if it is not revoked.
    async fn feed_by_digest(&self, digest: &str) -> StoreResult<Option<CalendarFeed>>;
}

/// Fælles Team agreements: made at a case, followed up at the next, done. Writes take an
/// [`AuditCtx`] and write the audit record in the same transaction.
#[async_trait]
pub trait AgreementStore {
    async fn add_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        what: &str,
        who: &str,
        due_date: Option<&str>,
    ) -> StoreResult<i64>;
    async fn agreements_of_case(&self, case: CaseId) -> StoreResult<Vec<Agreement>>;
    /// The agreements of the course's approved minutes: part of the minutes, read only where
    /// they are shared.
    async fn course_agreements(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<Agreement>>;
    /// Agreements of the course made at earlier cases and not yet done.
    async fn open_agreements(&self, case: CaseId) -> StoreResult<Vec<Agreement>>;
    async fn complete_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        agreement: i64,
    ) -> StoreResult<()>;
}
