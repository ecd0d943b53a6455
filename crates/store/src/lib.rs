//! Repository traits and the types they speak. No SQL dialect lives here: each backend crate
//! (`bro-store-sqlite`, `bro-store-postgres`) implements these traits with its own migrations.
//!
//! Every method that writes, and every method that reads personal data, takes an
//! [`AuditCtx`]: the backend appends the audit record in the same transaction as the work, so
//! the two commit together or not at all, and no caller can forget the record.

mod bulk;
mod consent;
mod course;
mod error;
mod meeting;
mod types;

pub use bulk::*;
pub use consent::*;
pub use course::*;
pub use error::{Conflict, StoreError, StoreResult};
pub use meeting::*;
pub use types::*;

use async_trait::async_trait;
use bro_audit::{AuditAction, AuditRecord};
use bro_domain::meeting::{Attendance, Score};
use bro_domain::{
    CaseId, CitizenId, CollaborationId, CourseId, MeetingId, MemberId, OrgId, PhaseScheme, Role,
    TeamId, Timestamp, UnitId, UserId,
};
use std::sync::Arc;

/// Organisations (tenants) and their units.
#[async_trait]
pub trait OrgStore {
    async fn create_organisation(
        &self,
        audit: &AuditCtx,
        new: NewOrganisation,
    ) -> StoreResult<OrgId>;
    async fn organisation(&self, id: OrgId) -> StoreResult<Organisation>;
    async fn organisation_by_name(&self, name: &str) -> StoreResult<Organisation>;
    async fn organisations(&self) -> StoreResult<Vec<Organisation>>;
    async fn set_require_second_factor(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        required: bool,
    ) -> StoreResult<()>;
    async fn create_unit(&self, audit: &AuditCtx, new: NewUnit) -> StoreResult<UnitId>;
    async fn units(&self, org: OrgId) -> StoreResult<Vec<Unit>>;
    async fn unit(&self, id: UnitId) -> StoreResult<Unit>;
}

/// Accounts of staff, citizens and relatives; their roles and second factor.
#[async_trait]
pub trait UserStore {
    /// Fails with `Conflict::Username` when the name is taken.
    async fn create_user(&self, audit: &AuditCtx, new: NewUser) -> StoreResult<UserId>;
    /// Reads one account; with `org` given, only an account of that organisation is found.
    async fn user(&self, audit: &AuditCtx, org: Option<OrgId>, id: UserId) -> StoreResult<User>;
    async fn user_by_username(&self, username: &str) -> StoreResult<User>;
    /// The logged-in person's own account with roles, for resolving a session. Not audited:
    /// it reads no one else's data.
    async fn account(&self, id: UserId) -> StoreResult<User>;
    /// All staff accounts of one organisation with their roles, for its admin.
    async fn users_of_org(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<Vec<User>>;
    /// What login needs; `None` for an unknown name (the caller must not reveal that).
    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>>;
    async fn roles(&self, user: UserId) -> StoreResult<Vec<RoleAssignment>>;
    /// Grants a role in a unit; `Conflict::Role` if held already.
    async fn grant_role(
        &self,
        audit: &AuditCtx,
        user: UserId,
        unit: UnitId,
        role: Role,
    ) -> StoreResult<i64>;
    async fn revoke_role(&self, audit: &AuditCtx, user: UserId, assignment: i64)
    -> StoreResult<()>;
    /// Sets a new password hash and ends all the user's sessions.
    async fn set_password(
        &self,
        audit: &AuditCtx,
        user: UserId,
        password_hash: String,
    ) -> StoreResult<()>;
    /// Deactivates an account and ends all its sessions.
    async fn deactivate_user(&self, audit: &AuditCtx, user: UserId) -> StoreResult<()>;
    /// Turns the second factor on with its secret and the hashes of fresh recovery codes.
    async fn enable_totp(
        &self,
        audit: &AuditCtx,
        user: UserId,
        secret: String,
        recovery_hashes: Vec<String>,
    ) -> StoreResult<()>;
    async fn replace_recovery_codes(
        &self,
        audit: &AuditCtx,
        user: UserId,
        recovery_hashes: Vec<String>,
    ) -> StoreResult<()>;
    /// Marks a recovery code used; false when no unused code has this hash.
    async fn use_recovery_code(
        &self,
        audit: &AuditCtx,
        user: UserId,
        code_hash: &str,
    ) -> StoreResult<bool>;
    async fn unused_recovery_codes(&self, user: UserId) -> StoreResult<i64>;
    /// Records the TOTP time step just accepted; false when it (or a later one) was used
    /// already, which stops a replayed code.
    async fn accept_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool>;
}

/// Server-side sessions.
#[async_trait]
pub trait SessionStore {
    /// Creates a session; the login is audited with it.
    async fn create_session(&self, audit: &AuditCtx, session: NewSession) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()>;
    /// Moves a session to the full stage after the second factor, audited as a login.
    /// The session gets a new token digest at the same time, so a token seen before the
    /// second step is worthless after it.
    async fn complete_session(
        &self,
        audit: &AuditCtx,
        id_hash: &str,
        new_id_hash: &str,
    ) -> StoreResult<()>;
    async fn set_active_role(&self, id_hash: &str, assignment: Option<i64>) -> StoreResult<()>;
    async fn delete_session(&self, audit: &AuditCtx, id_hash: &str) -> StoreResult<()>;
    async fn delete_user_sessions(&self, audit: &AuditCtx, user: UserId) -> StoreResult<u64>;
    async fn purge_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;
}

/// Failed login attempts, for rate limiting by account and by address.
#[async_trait]
pub trait LoginThrottleStore {
    /// Records a failure under each key and audits it, in one transaction.
    async fn record_login_failure(
        &self,
        audit: &AuditCtx,
        action: AuditAction,
        keys: &[String],
    ) -> StoreResult<()>;
    async fn login_failures_since(&self, key: &str, since: Timestamp) -> StoreResult<i64>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`: they no longer count towards any limit.
    async fn purge_login_failures(&self, before: Timestamp) -> StoreResult<u64>;
}

/// Citizens and their relatives.
#[async_trait]
pub trait CitizenStore {
    /// `Conflict::Cpr` when a citizen with this CPR number exists.
    async fn create_citizen(&self, audit: &AuditCtx, new: NewCitizen) -> StoreResult<CitizenId>;
    /// Creates many citizens in one transaction (demo and imports).
    async fn create_citizens(
        &self,
        audit: &AuditCtx,
        new: Vec<NewCitizen>,
    ) -> StoreResult<Vec<CitizenId>>;
    async fn citizen(&self, audit: &AuditCtx, id: CitizenId) -> StoreResult<Citizen>;
    async fn count_citizens(&self) -> StoreResult<i64>;
    async fn link_relative(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        relative_user: UserId,
        relation: String,
    ) -> StoreResult<()>;
    /// The citizens a relative's account is linked to (names only; each read audited).
    async fn relatives_links(
        &self,
        audit: &AuditCtx,
        relative_user: UserId,
    ) -> StoreResult<Vec<RelativeLink>>;
}

/// Courses of care and their care teams. Reads that show a citizen's data are audited with
/// the citizen as subject; every change writes a timeline event and an audit record with it.
#[async_trait]
pub trait CourseStore {
    /// Opens a course with its first coordinator; `Conflict::OpenCourse` when the citizen
    /// has an open course already.
    async fn open_course(&self, audit: &AuditCtx, new: NewCourse) -> StoreResult<CourseId>;
    /// Facts for access decisions: whose course, closed or not, and `user`'s membership.
    async fn course_access(&self, course: CourseId, user: UserId) -> StoreResult<CourseAccess>;
    async fn course(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Course>;
    /// The open courses `user` is on the team of (one audit record per citizen shown).
    async fn my_courses(&self, audit: &AuditCtx, user: UserId) -> StoreResult<Vec<CourseSummary>>;
    /// Moves the phase; `Conflict::Phase` when the course is no longer in `from`.
    async fn move_phase(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        from: &str,
        to: &str,
    ) -> StoreResult<()>;
    async fn close_course(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        reason: String,
        next_step: String,
    ) -> StoreResult<()>;
    /// `Conflict::Member` when the user is on the team already.
    async fn add_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: NewMember,
    ) -> StoreResult<MemberId>;
    /// `Conflict::Coordinator` for the coordinator: hand the role over first.
    async fn remove_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: MemberId,
    ) -> StoreResult<()>;
    /// Makes `member` the coordinator; the previous one stays on the team.
    async fn set_coordinator(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: MemberId,
    ) -> StoreResult<()>;
    /// A team member asks the coordinator to discuss a consent with the citizen: a task on the
    /// course's timeline.
    async fn request_consent(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        category: bro_domain::ShareCategory,
    ) -> StoreResult<()>;
    /// Sets the course's target groups and legal frame.
    async fn set_course_frame(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        target_groups: Vec<bro_domain::TargetGroup>,
        legal_frames: Vec<bro_domain::LegalFrame>,
    ) -> StoreResult<()>;
    /// Records someone in the citizen's network, with what they may see.
    async fn add_network_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: NewNetworkMember,
    ) -> StoreResult<i64>;
    async fn remove_network_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: i64,
    ) -> StoreResult<()>;
    /// The citizen decides what someone in their network may see. `NotFound` unless the entry
    /// is in the citizen's network.
    async fn set_network_share(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        member: i64,
        may_see: Vec<bro_domain::ShareCategory>,
    ) -> StoreResult<()>;
    /// The relative logins linked to `citizen`: (user, name, relation).
    async fn relative_accounts(
        &self,
        citizen: CitizenId,
    ) -> StoreResult<Vec<(UserId, String, String)>>;
    /// What `citizen` lets the relative `user` see (through their network entry). For access
    /// decisions only.
    async fn shared_with_relative(
        &self,
        citizen: CitizenId,
        user: UserId,
    ) -> StoreResult<Vec<bro_domain::ShareCategory>>;
    /// Citizens matching `query` (one audit record per citizen shown), at most `limit`.
    async fn search_citizens(
        &self,
        audit: &AuditCtx,
        query: &CitizenQuery,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<CitizenHit>>;
    /// Active staff and their units in `orgs`, for adding team members. The caller names the
    /// organisations around the task, so the list is as long as they are, not the country.
    async fn staff_options(&self, orgs: &[OrgId]) -> StoreResult<Vec<StaffOption>>;
    /// One active staff member in one of their units (not as admin or manager), if they are.
    async fn staff_member(&self, user: UserId, unit: UnitId) -> StoreResult<Option<StaffOption>>;
}

/// Collaborations of organisations and the phases their courses follow. Holds no personal
/// data; changes are audited.
#[async_trait]
pub trait CollaborationStore {
    /// `Conflict::Collaboration` when the name is taken.
    async fn create_collaboration(
        &self,
        audit: &AuditCtx,
        new: NewCollaboration,
    ) -> StoreResult<CollaborationId>;
    /// The collaborations `org` is part of, by name.
    async fn collaborations_of(&self, org: OrgId) -> StoreResult<Vec<Collaboration>>;
    /// Sets the phases new courses follow; running courses keep theirs. `NotFound` unless
    /// `org` is part of the collaboration.
    async fn set_collaboration_phases(
        &self,
        audit: &AuditCtx,
        id: CollaborationId,
        org: OrgId,
        phases: PhaseScheme,
    ) -> StoreResult<()>;
}

/// Consents to share information. Reads are audited with the citizen as subject.
#[async_trait]
pub trait ConsentStore {
    /// `NotFound` when an organisation does not exist.
    async fn record_consent(&self, audit: &AuditCtx, new: NewConsent) -> StoreResult<i64>;
    /// Every consent of the citizen, newest first, withdrawn and expired ones included.
    async fn consents(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<Consent>>;
    /// Ends a consent now. `NotFound` unless it is the citizen's; `Conflict::Withdrawn` when
    /// it was withdrawn already.
    async fn withdraw_consent(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()>;
    /// What lets `org` see `citizen`'s information at `now`: consents and legal bases in
    /// force. For access decisions only (not shown to anyone), so not itself an audited read.
    async fn grants(
        &self,
        citizen: CitizenId,
        org: OrgId,
        now: Timestamp,
    ) -> StoreResult<bro_domain::consent::Grants>;
    /// `NotFound` when an organisation does not exist.
    async fn record_legal_basis(&self, audit: &AuditCtx, new: NewLegalBasis) -> StoreResult<i64>;
    /// Every legal basis recorded for the citizen, newest first.
    async fn legal_bases(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<LegalBasis>>;
    /// Ends a legal basis now; `Conflict::Ended` when it was ended already.
    async fn end_legal_basis(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()>;
    /// Starts an emergency access for the acting user (who must be `audit.actor_user_id`).
    async fn start_emergency_access(
        &self,
        audit: &AuditCtx,
        new: NewEmergencyAccess,
    ) -> StoreResult<i64>;
    /// Whether `user` has an emergency access to `citizen` in force at `now`. For access
    /// decisions only.
    async fn emergency_active(
        &self,
        citizen: CitizenId,
        user: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// The citizen's emergency accesses, newest first (audited: the citizen's own view).
    async fn emergency_accesses_of(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<EmergencyAccess>>;
    /// The emergency accesses made from `org`, newest first, for its privacy contact.
    async fn emergency_reviews(
        &self,
        audit: &AuditCtx,
        org: OrgId,
    ) -> StoreResult<Vec<EmergencyAccess>>;
    /// Marks one of `org`'s emergency accesses reviewed; `Conflict::Reviewed` when it is.
    async fn review_emergency_access(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
        comment: String,
    ) -> StoreResult<()>;
    /// The signed document of a written consent.
    async fn consent_document(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<ConsentDocument>;
}

/// The coordinated plan of a course, as versions. Reads are audited with the citizen as subject.
#[async_trait]
pub trait PlanStore {
    /// The newest version, or `None` before the first save.
    async fn plan(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Option<PlanVersion>>;
    async fn plan_version(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        version: i64,
    ) -> StoreResult<PlanVersion>;
    /// Every version, newest first, content included (for history and comparison).
    async fn plan_history(
        &self,
        audit: &AuditCtx,
        course: CourseId,
    ) -> StoreResult<Vec<PlanVersion>>;
    /// Saves a new version on top of `expected` (0 before the first); `Conflict::Plan` when
    /// someone saved another version meanwhile. Returns the new version number.
    async fn save_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        expected: i64,
        section: bro_domain::plan::Section,
        content: &bro_domain::plan::PlanContent,
    ) -> StoreResult<i64>;
    /// The citizen's open course, if any.
    async fn open_course_of(&self, citizen: CitizenId) -> StoreResult<Option<CourseId>>;
    /// Adds a comment on the plan (the citizen's own, or a team member's).
    async fn comment_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        from_citizen: bool,
        text: String,
    ) -> StoreResult<()>;
    /// The plan's comments, oldest first (read together with the plan, audited with it).
    async fn plan_comments(&self, course: CourseId) -> StoreResult<Vec<PlanComment>>;
    /// The citizen says they agree with `version` of their plan (timeline and audit).
    async fn agree_plan(&self, audit: &AuditCtx, course: CourseId, version: i64)
    -> StoreResult<()>;
}

/// The audit chain.
#[async_trait]
pub trait AuditStore {
    /// Appends a record on its own: denials, logouts and other events without a write. Records
    /// waiting together are committed in one transaction; this returns once its own is durable.
    async fn append_audit(&self, audit: &AuditCtx, event: AuditEvent) -> StoreResult<()>;
    /// Tenants that have a chain.
    async fn audit_tenants(&self) -> StoreResult<Vec<i64>>;
    /// Records of one chain with `seq > after`, ascending, at most `limit`.
    async fn audit_records(
        &self,
        tenant: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>>;
    /// The chain's recorded end: (seq, hash).
    async fn audit_head(&self, tenant: i64) -> StoreResult<Option<(i64, Vec<u8>)>>;
    /// The newest records of one chain, for an organisation's admin.
    async fn recent_audit(&self, tenant: i64, limit: i64) -> StoreResult<Vec<AuditRecord>>;
    /// Every access to `citizen`'s data by others (their own reads left out), newest first,
    /// across all organisations' chains; reading it is itself audited. Staff cannot hide
    /// entries: this is the audit chain itself.
    async fn citizen_access_log(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        query: AccessQuery,
    ) -> StoreResult<Vec<AccessEntry>>;
    /// The organisations that appear in `citizen`'s access log, for filtering it.
    async fn access_log_orgs(&self, citizen: CitizenId) -> StoreResult<Vec<(OrgId, String)>>;
}

/// Small key/value facts about the installation (e.g. that the demo world was created).
#[async_trait]
pub trait MetaStore {
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()>;
    /// Cheap round trip for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}

/// Fælles Team: teams, meetings, citizen cases and their minutes. Functions that read or write
/// a citizen's case take an [`AuditCtx`] and write the audit record in the same transaction.
#[async_trait]
pub trait MeetingStore {
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
    async fn add_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        what: &str,
        who: &str,
        due_date: Option<&str>,
    ) -> StoreResult<i64>;
    async fn agreements_of_case(&self, case: CaseId) -> StoreResult<Vec<Agreement>>;
    /// Agreements of the course made at earlier cases and not yet done.
    async fn open_agreements(&self, case: CaseId) -> StoreResult<Vec<Agreement>>;
    async fn complete_agreement(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        agreement: i64,
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

    async fn record_case_evaluation(
        &self,
        audit: &AuditCtx,
        case: CaseId,
        evaluation: &CaseEvaluation,
    ) -> StoreResult<()>;
    async fn case_evaluation(&self, case: CaseId) -> StoreResult<Option<CaseEvaluation>>;
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

    /// The address notices go to.
    async fn set_email(
        &self,
        audit: &AuditCtx,
        user: UserId,
        email: Option<&str>,
    ) -> StoreResult<()>;
    async fn email(&self, user: UserId) -> StoreResult<Option<String>>;
}

/// Everything Bro stores, behind one object.
pub trait Store:
    OrgStore
    + UserStore
    + SessionStore
    + LoginThrottleStore
    + CitizenStore
    + CourseStore
    + CollaborationStore
    + ConsentStore
    + PlanStore
    + MeetingStore
    + AuditStore
    + MetaStore
    + BulkStore
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: OrgStore
        + UserStore
        + SessionStore
        + LoginThrottleStore
        + CitizenStore
        + CourseStore
        + CollaborationStore
        + ConsentStore
        + PlanStore
        + MeetingStore
        + AuditStore
        + BulkStore
        + MetaStore
        + Send
        + Sync
{
}

pub type DynStore = Arc<dyn Store>;
