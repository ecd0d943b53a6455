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
