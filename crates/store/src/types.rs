use bro_audit::{AuditAction, AuditFields, Outcome};
use bro_domain::{
    AccountKind, CitizenId, Cpr, Name, OrgId, OrgKind, Role, Timestamp, UnitId, UnitKind, UserId,
    Username,
};

/// Who is acting, for which organisation, and why: everything an audit record needs except
/// what was done. Built once per request (or per CLI command) and passed to the store.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    /// The chain the record goes into: the acting organisation, or the platform chain.
    pub tenant_id: i64,
    pub at_ms: Timestamp,
    pub actor_user_id: Option<UserId>,
    pub actor_role: Option<String>,
    pub actor_unit_id: Option<UnitId>,
    pub purpose: &'static str,
}

impl AuditCtx {
    /// The system itself (CLI, demo set-up) acting in `tenant_id`'s chain.
    pub fn system(tenant_id: i64, at_ms: Timestamp, purpose: &'static str) -> Self {
        Self {
            tenant_id,
            at_ms,
            actor_user_id: None,
            actor_role: Some("system".into()),
            actor_unit_id: None,
            purpose,
        }
    }

    /// The fields of one record for `event`.
    pub fn fields(&self, event: &AuditEvent) -> AuditFields {
        AuditFields {
            at_ms: self.at_ms,
            actor_user_id: self.actor_user_id.map(|u| u.0),
            actor_role: self.actor_role.clone(),
            actor_unit_id: self.actor_unit_id.map(|u| u.0),
            action: event.action.code().to_owned(),
            outcome: event.outcome,
            subject_citizen_id: event.subject,
            purpose: self.purpose.to_owned(),
            object: event.object.clone(),
        }
    }
}

/// What was done, to whom.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub outcome: Outcome,
    pub subject: Option<CitizenId>,
    /// Opaque reference like "user:12"; never names or CPR numbers.
    pub object: Option<String>,
}

impl AuditEvent {
    pub fn allowed(action: AuditAction) -> Self {
        Self {
            action,
            outcome: Outcome::Allowed,
            subject: None,
            object: None,
        }
    }

    pub fn denied(action: AuditAction) -> Self {
        Self {
            action,
            outcome: Outcome::Denied,
            subject: None,
            object: None,
        }
    }

    pub fn subject(mut self, citizen: CitizenId) -> Self {
        self.subject = Some(citizen);
        self
    }

    pub fn object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: Name,
    pub kind: OrgKind,
    pub require_second_factor: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
    pub require_second_factor: bool,
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub org_id: OrgId,
    pub name: Name,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: UnitId,
    pub org_id: OrgId,
    pub name: String,
    pub kind: UnitKind,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    /// The organisation that owns a staff account; `None` for citizens and relatives.
    pub org_id: Option<OrgId>,
    pub username: Username,
    pub display_name: Name,
    pub password_hash: String,
    pub kind: AccountKind,
    /// For a citizen's own account.
    pub citizen_id: Option<CitizenId>,
    /// A first role, granted in the same transaction so a new account never lacks it.
    pub initial_role: Option<(UnitId, Role)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub org_id: Option<OrgId>,
    pub username: String,
    pub display_name: String,
    pub kind: AccountKind,
    pub citizen_id: Option<CitizenId>,
    pub active: bool,
    pub totp_enabled: bool,
    pub created_ms: Timestamp,
    /// Filled by list queries; empty from single reads that do not need it.
    pub roles: Vec<RoleAssignment>,
}

/// What a login needs to decide.
#[derive(Clone)]
pub struct Credentials {
    pub user_id: UserId,
    pub org_id: Option<OrgId>,
    pub kind: AccountKind,
    pub password_hash: String,
    pub active: bool,
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    pub id: i64,
    pub user_id: UserId,
    pub role: Role,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub unit_kind: bro_domain::UnitKind,
    pub org_id: OrgId,
    pub org_name: String,
}

/// How far a session has come through login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// Password accepted; the second factor is still to be given.
    SecondFactor,
    /// Password accepted; the organisation demands a second factor the user has not set up.
    Enrolment,
    /// Fully logged in.
    Full,
}

impl SessionStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStage::SecondFactor => "second_factor",
            SessionStage::Enrolment => "enrolment",
            SessionStage::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            SessionStage::SecondFactor,
            SessionStage::Enrolment,
            SessionStage::Full,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie's token; the token itself is never stored.
    pub id_hash: String,
    pub user_id: UserId,
    pub stage: SessionStage,
    pub created_ms: Timestamp,
    pub expires_ms: Timestamp,
    pub active_role: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: UserId,
    pub stage: SessionStage,
    pub created_ms: Timestamp,
    pub last_seen_ms: Timestamp,
    pub expires_ms: Timestamp,
    pub active_role: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub cpr: Cpr,
    pub given_name: Name,
    pub family_name: Name,
    pub address: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: CitizenId,
    pub cpr: Cpr,
    pub given_name: String,
    pub family_name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeLink {
    pub citizen_id: CitizenId,
    pub citizen_name: String,
    pub relation: String,
}

/// Which part of a citizen's access log to read: a period and, optionally, one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessQuery {
    /// From this moment (inclusive) ...
    pub from_ms: Timestamp,
    /// ... to this one (exclusive).
    pub to_ms: Timestamp,
    pub org: Option<OrgId>,
    /// Only entries older than this one: the next page.
    pub before: Option<AccessCursor>,
    pub limit: i64,
}

/// An entry's place in the access log's order (newest first): its time, then its place in the
/// chains. Written in a page's address as `at-tenant-seq`; it names no person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessCursor {
    pub at_ms: Timestamp,
    pub tenant_id: i64,
    pub seq: i64,
}

impl AccessCursor {
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
        Some(Self {
            at_ms: parts.next()??,
            tenant_id: parts.next()??,
            seq: parts.next()??,
        })
    }
}

impl std::fmt::Display for AccessCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{}", self.at_ms, self.tenant_id, self.seq)
    }
}

/// One access to a citizen's data, from the audit chain, as the citizen is shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at_ms: Timestamp,
    /// The person who acted; `None` for Bro itself (set-up, imports).
    pub actor_name: Option<String>,
    /// The role code the person acted in (e.g. `coordinator`), or `system`.
    pub actor_role: Option<String>,
    pub org_id: Option<OrgId>,
    pub org_name: Option<String>,
    pub unit_name: Option<String>,
    pub action: String,
    pub outcome: bro_audit::Outcome,
    /// Why access was granted (the audit record's purpose code).
    pub purpose: String,
    /// For an emergency access: the reason its professional gave.
    pub emergency_reason: Option<String>,
    /// Where the entry stands in the log, to continue after it.
    pub cursor: AccessCursor,
}
