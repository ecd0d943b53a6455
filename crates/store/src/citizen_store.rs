//! The traits of citizens and of finding them; their types are in [`crate::types`] and
//! [`crate::course`].

use async_trait::async_trait;
use bro_domain::{CitizenId, Timestamp, UserId};

use crate::{AuditCtx, Citizen, CitizenHit, CitizenQuery, NewCitizen, RelativeLink, StoreResult};

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

/// Finding citizens by CPR number or by the beginnings of their names; every citizen shown is
/// an audited read.
#[async_trait]
pub trait CitizenSearchStore {
    /// Citizens matching `query` (one audit record per citizen shown), at most `limit`.
    async fn search_citizens(
        &self,
        audit: &AuditCtx,
        query: &CitizenQuery,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<CitizenHit>>;
    /// Counts one search by `user` and returns how many they made in the window of
    /// `window_ms` that it falls in (the window starts at the first search after the last).
    async fn count_search(&self, user: UserId, now: Timestamp, window_ms: i64) -> StoreResult<i64>;
}
