//! Bulk loading for generated worlds (`bro demo --scale`): whole chunks of rows written in one
//! transaction with explicit ids, their audit records appended to each tenant's chain, and a
//! marker saying the chunk is done, so an interrupted run resumes where it stopped.

use async_trait::async_trait;
use bro_audit::AuditFields;

use crate::StoreResult;

/// One value of a row. Typed even when empty, because PostgreSQL wants to know a NULL's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<Option<i64>> for Cell {
    fn from(v: Option<i64>) -> Self {
        Cell::OptInt(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<Option<String>> for Cell {
    fn from(v: Option<String>) -> Self {
        Cell::OptText(v)
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}

/// Rows for one table, every row with a value for each of `columns`, in order.
#[derive(Debug, Clone)]
pub struct TableRows {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

impl TableRows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        TableRows {
            table,
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row; its length must match the columns (checked when written).
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// What one transaction writes: rows in table order (parents first), audit records in the
/// order they happened per tenant, and `done = (key, value)` into `meta`.
#[derive(Debug, Clone, Default)]
pub struct BulkChunk {
    pub tables: Vec<TableRows>,
    pub audit: Vec<(i64, AuditFields)>,
    pub done: (String, String),
}

/// What a generated world holds: row counts, the invariants a generator must keep, and its
/// content in a comparable form (the same seed must give the same world on any backend).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorldFacts {
    /// Rows per table, in [`BULK_TABLES`] order.
    pub rows: Vec<(&'static str, i64)>,
    /// Courses without exactly one current coordinator.
    pub courses_without_one_coordinator: i64,
    /// A citizen's later course opened before an earlier one was closed (or while it is open).
    pub overlapping_courses: i64,
    /// Meeting cases whose meeting lies outside the course they are about.
    pub cases_outside_their_course: i64,
    /// Approved cases without frozen minutes.
    pub approved_cases_without_minutes: i64,
    /// Pairs of stays holding the same bed on the same day.
    pub overlapping_stays: i64,
    /// Alerts of hospital events, by kind: how many.
    pub hospital_alerts: Vec<(String, i64)>,
    /// Every citizen's CPR number, in id order.
    pub cprs: Vec<String>,
    /// Every course as "citizen phase opened closed", in id order.
    pub courses: Vec<String>,
    /// Every plan version's content, in (course, version) order, folded into one number.
    pub plan_fingerprint: u64,
    /// Every audit record's fields except its hashes (which depend on the chain before the
    /// world grew), folded into one number.
    pub audit_fingerprint: u64,
}

/// The tables a generated world writes, parents first.
pub const BULK_TABLES: &[&str] = &[
    "organisations",
    "units",
    "users",
    "role_assignments",
    "offers",
    "offer_versions",
    "collaborations",
    "collaboration_orgs",
    "teams",
    "team_members",
    "team_themes",
    "meeting_series",
    "meetings",
    "meeting_participants",
    "citizens",
    "citizen_name_words",
    "courses",
    "care_team_members",
    "course_events",
    "plan_versions",
    "consents",
    "consent_orgs",
    "team_citizens",
    "meeting_cases",
    "case_fields",
    "case_agreements",
    "minutes",
    "case_evaluations",
    "referrals",
    "referral_events",
    "care_beds",
    "care_stays",
    "care_stay_events",
    "care_agreements",
    "audit_log",
];

/// The tables a generated world fills through the product's own pipeline rather than in bulk
/// (the hospital's messages): counted with the others in [`WorldFacts`].
pub const RECEIVED_TABLES: &[&str] = &[
    "hospital_messages",
    "hospital_episodes",
    "hospital_episode_events",
    "hospital_follow_ups",
    "notices",
];

/// FNV-1a: a stable fold of text, the same on every platform and run.
pub fn fingerprint(acc: u64, text: &str) -> u64 {
    text.bytes().chain(std::iter::once(0xff)).fold(acc, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Where a fingerprint starts.
pub const FINGERPRINT_START: u64 = 0xcbf2_9ce4_8422_2325;

#[async_trait]
pub trait BulkStore {
    /// The largest `id` in `table`, 0 when it is empty. `table` must be one of Bro's tables.
    async fn max_id(&self, table: &str) -> StoreResult<i64>;
    /// Writes the chunk in one transaction; nothing of it on error.
    async fn bulk_write(&self, chunk: BulkChunk) -> StoreResult<()>;
    /// Refreshes the planner's statistics after a bulk load, so queries on the grown tables
    /// get the plans their sizes call for.
    async fn analyze(&self) -> StoreResult<()>;
    /// Counts, invariants and content of the whole database (for the generator's tests and
    /// report; reads every plan and audit record, so it takes a while on a large world).
    async fn world_facts(&self) -> StoreResult<WorldFacts>;
}
