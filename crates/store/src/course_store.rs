//! The traits of courses, care teams, collaborations and plans; their types are in
//! [`crate::course`].

use async_trait::async_trait;
use bro_domain::{
    CitizenId, CollaborationId, CourseId, MemberId, OrgId, PhaseScheme, UnitId, UserId,
};

use crate::{
    AuditCtx, Collaboration, Course, CourseAccess, CourseSummary, NewCollaboration, NewCourse,
    NewMember, NewNetworkMember, PlanComment, PlanVersion, StaffOption, StoreResult,
};

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
}

/// A course's care team (its members and coordinator) and the citizen's network, with what
/// each may see. Every change writes a timeline event and an audit record with it.
#[async_trait]
pub trait CareTeamStore {
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
