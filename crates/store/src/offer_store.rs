//! The directory of offers: each unit's offers as versions, their editors, and who follows
//! which changes. Offers are not personal data, so reads take no audit context; every write
//! does, and is audited.

use async_trait::async_trait;
use bro_domain::offer::{OfferCategory, OfferContent, OfferStatus, ReferrerKind};
use bro_domain::{OrgId, Timestamp, UnitId, UserId};

use crate::{AuditCtx, StoreResult};

/// An offer as it stands: its latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub status: OfferStatus,
    pub version: i64,
    pub content: OfferContent,
    pub updated_ms: Timestamp,
    /// When the unit last confirmed that the offer is as described.
    pub confirmed_ms: Timestamp,
}

/// One version of an offer: what it said, its status, who changed it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferVersion {
    pub version: i64,
    pub status: OfferStatus,
    pub content: OfferContent,
    pub changed_by: String,
    pub changed_ms: Timestamp,
    /// Marked by the editor as an important change, shown first.
    pub important: bool,
}

/// What a directory search asks for; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferQuery {
    /// Words, each the beginning of a word of the offer ("rusmiddel" finds "Rusmiddelcenter").
    pub text: String,
    pub category: Option<OfferCategory>,
    /// The municipality or region named in the offer's address, as written.
    pub municipality: String,
    pub age: Option<u8>,
    pub referrer: Option<ReferrerKind>,
    /// Paused and closed offers too (for their editors); the directory shows active ones.
    pub inactive: bool,
}

impl OfferQuery {
    /// Whether an offer's content meets the age and the referrer asked for.
    pub fn matches_content(&self, c: &OfferContent) -> bool {
        self.age.is_none_or(|age| {
            c.age_min.is_none_or(|min| min <= age) && c.age_max.is_none_or(|max| age <= max)
        }) && self.referrer.is_none_or(|r| c.referrers.contains(&r))
    }
}

/// What a staff member follows: an offer, a unit's offers, or a category (in an area, or
/// everywhere when `municipality` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follow {
    Offer(i64),
    Unit(UnitId),
    Category {
        category: OfferCategory,
        municipality: String,
    },
}

impl Follow {
    /// The stored key: `offer:5`, `unit:3`, `category:housing_support:holstebro kommune`.
    pub fn key(&self) -> String {
        match self {
            Follow::Offer(id) => format!("offer:{id}"),
            Follow::Unit(u) => format!("unit:{}", u.0),
            Follow::Category {
                category,
                municipality,
            } => format!(
                "category:{}:{}",
                category.as_str(),
                municipality.trim().to_lowercase()
            ),
        }
    }
}

#[async_trait]
pub trait OfferStore {
    /// Publishes a new offer of `unit` (version 1, active, confirmed now).
    async fn create_offer(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        content: &OfferContent,
    ) -> StoreResult<i64>;
    /// Saves a new version if nobody saved one since `base_version` (`Conflict::Offer`
    /// otherwise), confirms the offer, and tells every follower once. Returns the version.
    async fn change_offer(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        content: &OfferContent,
        important: bool,
    ) -> StoreResult<i64>;
    /// Pauses, closes or reopens an offer: a version of its own, told to its followers.
    async fn set_offer_status(
        &self,
        audit: &AuditCtx,
        id: i64,
        status: OfferStatus,
    ) -> StoreResult<()>;
    /// The unit confirms the offer is as described, without changing it.
    async fn confirm_offer(&self, audit: &AuditCtx, id: i64) -> StoreResult<()>;
    async fn offer(&self, id: i64) -> StoreResult<Offer>;
    /// Every version, newest first.
    async fn offer_versions(&self, id: i64) -> StoreResult<Vec<OfferVersion>>;
    /// Offers matching `query`, by name; at most `limit`.
    async fn search_offers(&self, query: &OfferQuery, limit: i64) -> StoreResult<Vec<Offer>>;
    /// The open data's services changed after `after`: Bro's own offers in id order, then
    /// other directories' in the order they were imported; `limit` of them from `offset`, and
    /// how many there are in all.
    async fn open_services(
        &self,
        after: Timestamp,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<OpenService>, i64)>;
    /// The offers of `units`, active or not, by name.
    async fn offers_of_units(&self, units: &[UnitId]) -> StoreResult<Vec<Offer>>;
    /// Names (`on`) or removes a staff member as editor of a unit's offers.
    async fn set_offer_editor(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        user: UserId,
        on: bool,
    ) -> StoreResult<()>;
    /// The units whose offers `user` edits as a named editor.
    async fn offer_editor_units(&self, user: UserId) -> StoreResult<Vec<UnitId>>;
    /// Starts (`on`) or stops following `what`.
    async fn set_follow(
        &self,
        audit: &AuditCtx,
        user: UserId,
        what: &Follow,
        on: bool,
    ) -> StoreResult<()>;
    /// The keys of what `user` follows.
    async fn follows(&self, user: UserId) -> StoreResult<Vec<String>>;
}

/// A service of the open data: one of Bro's own offers, or another directory's service as its
/// source published it (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenService {
    Own(Box<Offer>),
    External(String),
}

/// An offer of another directory, read from its open data; read-only in Bro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalOffer {
    pub id: i64,
    /// Its id in the source (a UUID).
    pub hsds_id: String,
    pub org_name: String,
    pub status: OfferStatus,
    /// Bro's reading of the source.
    pub content: OfferContent,
    /// The source document (JSON).
    pub source: String,
    pub modified_ms: Timestamp,
    pub imported_ms: Timestamp,
}

/// An organisation of another directory, as its source published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalOrganisation {
    pub hsds_id: String,
    pub name: String,
    /// The source document without its services (JSON).
    pub source: String,
}

/// A service to import: its source id and organisation's, and what Bro read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalService {
    pub hsds_id: String,
    pub org_hsds_id: String,
    pub status: OfferStatus,
    pub content: OfferContent,
    pub source: String,
    /// The source's last change; the import's time when it gives none.
    pub modified_ms: Option<Timestamp>,
}

/// What an import did: services new to Bro, and services it already had and replaced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub replaced: usize,
}

/// Other directories' offers, imported from their HSDS open data.
#[async_trait]
pub trait ExternalOfferStore {
    /// Writes the organisations and services of one file in one transaction: new ones added,
    /// known ones (by source id) replaced. All or nothing.
    async fn import_external(
        &self,
        audit: &AuditCtx,
        organisations: &[ExternalOrganisation],
        services: &[ExternalService],
    ) -> StoreResult<ImportCounts>;
    async fn external_offer(&self, id: i64) -> StoreResult<ExternalOffer>;
    /// The external offer with this source id.
    async fn external_offer_by_source(&self, hsds_id: &str) -> StoreResult<ExternalOffer>;
    /// External offers matching `query` (age and referrer as for Bro's own), by name.
    async fn search_external_offers(
        &self,
        query: &OfferQuery,
        limit: i64,
    ) -> StoreResult<Vec<ExternalOffer>>;
    /// Every external organisation with the source documents of its services, in the order
    /// they were imported.
    async fn external_organisations(&self)
    -> StoreResult<Vec<(ExternalOrganisation, Vec<String>)>>;
}
