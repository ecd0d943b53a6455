//! The traits of the audit chain and of the installation's own facts; their types are in
//! [`crate::types`].

use async_trait::async_trait;
use bro_audit::AuditRecord;
use bro_domain::{CitizenId, OrgId};

use crate::{AccessEntry, AccessQuery, AuditCtx, AuditEvent, StoreResult};

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
