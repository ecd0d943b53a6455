//! The traits of organisations, accounts, sessions and login throttling; their types are in
//! [`crate::types`].

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{OrgId, Role, Timestamp, UnitId, UserId};

use crate::{
    AuditCtx, Credentials, NewOrganisation, NewSession, NewUnit, NewUser, Organisation,
    RoleAssignment, Session, StoreResult, Unit, User,
};

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
    /// Counts an attempt under each key before it is checked, as a failure tagged `claim`,
    /// unless a key already has its limit of failures since `since`: `false` then, and nothing
    /// is counted. Serialised per key, so parallel attempts get at most the limit.
    async fn claim_login_attempt(
        &self,
        claim: &str,
        keys: &[(String, i64)],
        since: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool>;
    /// Takes back a claimed attempt that succeeded: it was no failure.
    async fn release_login_attempt(&self, claim: &str) -> StoreResult<()>;
    async fn login_failures_since(&self, key: &str, since: Timestamp) -> StoreResult<i64>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`: they no longer count towards any limit.
    async fn purge_login_failures(&self, before: Timestamp) -> StoreResult<u64>;
}
