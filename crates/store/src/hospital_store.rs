//! Hospital events: the messages a receiving organisation gets about admissions, leaves and
//! discharges (MedCom HospitalNotification, or registered by hand), kept verbatim, and the
//! episodes they add up to on the citizen.

use async_trait::async_trait;
use bro_domain::consent::Grants;
use bro_domain::hospital::{EncounterClass, EpisodeState, Event, Notification};
use bro_domain::{CitizenId, CourseId, Cpr, OrgId, Timestamp, UserId};
use std::collections::HashMap;

use crate::{AuditCtx, StoreResult};

/// How a message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// `bro import medcom`.
    File,
    /// `POST /api/medcom/hospital-notifications`.
    Api,
    /// The form of a unit without a MedCom feed.
    Manual,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::File => "file",
            Channel::Api => "api",
            Channel::Manual => "manual",
        }
    }
}

/// What a valid message says, as the store needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalFacts {
    /// `None`: the patient has no CPR number; the message is kept unmatched.
    pub cpr: Option<Cpr>,
    /// The episode of care's identifier (system, value).
    pub episode: (String, String),
    pub notification: Notification,
}

/// One message as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingHospitalMessage {
    /// The receiving organisation; `None` when the message could not tell it.
    pub org: Option<OrgId>,
    pub channel: Channel,
    /// The API client that delivered it.
    pub client: Option<i64>,
    /// The message as it came.
    pub body: Vec<u8>,
    /// Its MessageHeader id, when it could be read.
    pub message_id: Option<String>,
    /// What it says, or why it was refused (the reason holds no personal data).
    pub facts: Result<HospitalFacts, String>,
    /// Who is told of a change of the episode: the citizen's care team members whose sharing
    /// covers health data, as the caller's rules decided.
    pub tell: Vec<UserId>,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// Applied to the citizen's episode.
    Accepted {
        episode: i64,
        citizen: CitizenId,
    },
    /// The same message id came before: nothing changed.
    Duplicate,
    /// Kept, but no citizen has its CPR number (or it has none).
    Unmatched {
        episode: i64,
    },
    Rejected {
        reason: String,
    },
}

/// An episode as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalEpisode {
    pub id: i64,
    pub class: EncounterClass,
    pub state: EpisodeState,
    pub start_ms: Timestamp,
    pub end_ms: Option<Timestamp>,
    /// The current leave's start, while on leave.
    pub leave_from_ms: Option<Timestamp>,
    /// The hospital unit.
    pub hospital: String,
    /// Its events in time order.
    pub events: Vec<(Event, Timestamp)>,
    /// After a discharge: the follow-up the coordinator books.
    pub follow_up: Option<FollowUp>,
}

/// The follow-up after a discharge: a task on the course, due within 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    pub due_ms: Timestamp,
    pub booked_ms: Option<Timestamp>,
}

/// An episode still open (admitted or on leave), as a hand-registered event on it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEpisode {
    pub id: i64,
    /// The organisation that receives its messages.
    pub org: OrgId,
    /// The episode of care's identifier (system, value).
    pub key: (String, String),
    pub class: EncounterClass,
    pub state: EpisodeState,
    pub start_ms: Timestamp,
    pub leave_from_ms: Option<Timestamp>,
    pub hospital: String,
}

/// A message the receiving organisation's admin looks at: unmatched or rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub id: i64,
    pub message_id: Option<String>,
    pub channel: String,
    pub received_ms: Timestamp,
    pub outcome: String,
    pub reason: String,
}

#[async_trait]
pub trait HospitalStore {
    /// The organisations with these SOR ids, by the id as given: one read for a whole feed.
    async fn orgs_by_sor(&self, sors: &[String]) -> StoreResult<HashMap<String, OrgId>>;
    async fn set_org_sor(&self, audit: &AuditCtx, org: OrgId, sor: Option<&str>)
    -> StoreResult<()>;
    /// The organisation's SOR id, if it has one.
    async fn sor_of(&self, org: OrgId) -> StoreResult<Option<String>>;
    /// Keeps each message and applies it to its episode, telling its `tell` of a change: the
    /// batch in one transaction, or (when that fails) each message in one of its own, so each
    /// is either fully applied or not at all; a message id seen before changes nothing. One
    /// result per message, in order.
    async fn receive_hospital_messages(
        &self,
        batch: &[(AuditCtx, IncomingHospitalMessage)],
    ) -> Vec<StoreResult<Receipt>>;
    /// Whether the citizen has an episode: only to decide whether to ask for their details.
    async fn has_hospital_episodes(&self, citizen: CitizenId) -> StoreResult<bool>;
    /// The citizen's episodes, newest first; the read is audited.
    async fn hospital_episodes(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<HospitalEpisode>>;
    /// The messages of `org` that did not reach a citizen (rejected, or unmatched while their
    /// episode still is), newest first.
    async fn unresolved_hospital_messages(
        &self,
        org: OrgId,
        limit: i64,
    ) -> StoreResult<Vec<ReceivedMessage>>;
    /// Marks the follow-up after the discharge of `episode` booked; booked already changes
    /// nothing. `NotFound` when the course has no such follow-up.
    async fn book_hospital_follow_up(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        episode: i64,
    ) -> StoreResult<()>;
    /// The citizens Bro now has whose CPR number an unmatched episode of `org` waits with.
    async fn hospital_matches_waiting(&self, org: OrgId) -> StoreResult<Vec<CitizenId>>;
    /// Gives each of `org`'s episodes that waits unmatched to the citizen who now has its
    /// CPR number, planning its follow-up and alerting each citizen's `tell` of where the stay
    /// is now; how many were matched.
    async fn rematch_hospital_episodes(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        tell: &HashMap<CitizenId, Vec<UserId>>,
    ) -> StoreResult<usize>;
    /// The citizen's episodes still open, newest first.
    async fn open_hospital_episodes(&self, citizen: CitizenId) -> StoreResult<Vec<OpenEpisode>>;
    /// The citizens Bro has among these CPR numbers: (compact number, citizen).
    async fn citizens_by_cpr(&self, cprs: &[Cpr]) -> StoreResult<Vec<(String, CitizenId)>>;
    /// The care team of each citizen's open course, with what each of its organisations is
    /// granted of the citizen at `now`: whom a hospital event may be told. One read for a
    /// whole feed; a citizen without an open course is left out.
    async fn care_teams(
        &self,
        citizens: &[CitizenId],
        now: Timestamp,
    ) -> StoreResult<Vec<CareTeam>>;
}

/// A citizen's care team as the hospital's alerts need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareTeam {
    pub citizen: CitizenId,
    /// The active members: user, organisation, whether coordinator.
    pub members: Vec<(UserId, OrgId, bool)>,
    /// What each member organisation is granted of the citizen.
    pub grants: HashMap<OrgId, Grants>,
}

/// A client that delivers hospital messages over the API, as its organisation's admin sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HospitalClient {
    pub id: i64,
    pub org: OrgId,
    pub name: String,
    pub created_ms: Timestamp,
    /// The admin who made it.
    pub created_by: String,
    pub revoked_ms: Option<Timestamp>,
}

/// The API clients of the organisations that receive hospital messages. Only a token's keyed
/// digest is kept.
#[async_trait]
pub trait HospitalClientStore {
    async fn create_hospital_client(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        name: &str,
        digest: &str,
    ) -> StoreResult<i64>;
    /// The organisation's clients, revoked ones too, newest first.
    async fn hospital_clients(&self, org: OrgId) -> StoreResult<Vec<HospitalClient>>;
    /// Revokes a client of `org`; `NotFound` for another organisation's or a revoked one.
    async fn revoke_hospital_client(
        &self,
        audit: &AuditCtx,
        org: OrgId,
        id: i64,
    ) -> StoreResult<()>;
    /// The client a token's digest names, revoked or not (a revoked one is refused by the
    /// caller, and audited in its organisation).
    async fn hospital_client_by_digest(&self, digest: &str) -> StoreResult<Option<HospitalClient>>;
}
