//! Notices: each person's list of what Bro tells them. Capabilities write them inside their
//! own transactions (in the SQL modules); this trait reads and marks them.

use async_trait::async_trait;
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, Timestamp, UserId};

use crate::{AuditCtx, StoreResult};

/// One notice, as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    pub citizen: Option<(CitizenId, String)>,
    pub course_id: Option<CourseId>,
    /// The organisation that acted, by name.
    pub org_name: Option<String>,
    /// The offer it is about: id and name.
    pub offer: Option<(i64, String)>,
    /// The referral it is about.
    pub referral_id: Option<i64>,
    pub detail: String,
    pub created_ms: Timestamp,
    pub read: bool,
}

#[async_trait]
pub trait NoticeStore {
    /// The user's newest notices; each citizen named is written to that citizen's access log.
    async fn notices(&self, audit: &AuditCtx, user: UserId, limit: i64)
    -> StoreResult<Vec<Notice>>;
    async fn unread_notices(&self, user: UserId) -> StoreResult<i64>;
    /// Marks the user's notices up to `up_to` (an id) as read.
    async fn mark_notices_read(
        &self,
        audit: &AuditCtx,
        user: UserId,
        up_to: i64,
    ) -> StoreResult<()>;
}

/// A notice whose e-mail is due: what kind, where it goes (`None`: the user has no address any
/// more) and the offer it names, which is not personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueNoticeMail {
    pub id: i64,
    pub kind: NoticeKind,
    pub email: Option<String>,
    pub offer: Option<(i64, String)>,
    /// What the notice says beyond its kind (for a reminder: the appointment's start).
    pub detail: String,
}

/// The e-mails that go with notices, for those who chose them.
#[async_trait]
pub trait NoticeMailStore {
    /// Whether the user chose an e-mail for each change of an offer they follow.
    async fn mail_offer_changes(&self, user: UserId) -> StoreResult<bool>;
    async fn set_mail_offer_changes(
        &self,
        audit: &AuditCtx,
        user: UserId,
        on: bool,
    ) -> StoreResult<()>;
    /// Notice e-mails waiting to be sent or retried at `now`, oldest first; at most `limit`.
    async fn due_notice_mails(&self, now: Timestamp, limit: i64)
    -> StoreResult<Vec<DueNoticeMail>>;
    /// Gives up a notice's e-mail that is no longer worth sending (a reminder of an appointment
    /// that has begun), with the reason; it is never tried again.
    async fn drop_notice_mail(&self, id: i64, reason: &str) -> StoreResult<()>;
    /// Records one attempt: sent, or failed with a reason (no personal data) and retried later.
    async fn record_notice_mail(
        &self,
        id: i64,
        now: Timestamp,
        outcome: Result<(), String>,
    ) -> StoreResult<()>;
}
