//! Notices: written by the capability that has something to tell, inside its own transaction
//! ([`notify`]), and read by their addressee.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, CourseId, OrgId, UserId};
use bro_store::{AuditCtx, AuditEvent, Notice, NoticeStore, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::{Tx, coded, commit, err};
use crate::Backend;

/// What a notice is about, for [`notify`].
pub(super) struct About<'a> {
    pub(super) kind: NoticeKind,
    pub(super) citizen: Option<CitizenId>,
    pub(super) course: Option<CourseId>,
    pub(super) offer: Option<i64>,
    pub(super) referral: Option<i64>,
    pub(super) org: Option<OrgId>,
    pub(super) detail: &'a str,
}

/// Tells each of `to` (once each, never the actor themself) about `about`.
pub(super) async fn notify(
    tx: &mut Tx,
    audit: &AuditCtx,
    to: &[UserId],
    about: &About<'_>,
) -> StoreResult<()> {
    let mut to = to.to_vec();
    to.sort_unstable_by_key(|u| u.0);
    to.dedup();
    for user in to.into_iter().filter(|u| Some(*u) != audit.actor_user_id) {
        sqlx::query(
            "INSERT INTO notices (user_id, kind, citizen_id, course_id, offer_id, referral_id, org_id, detail, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(user.0)
        .bind(about.kind.as_str())
        .bind(about.citizen.map(|c| c.0))
        .bind(about.course.map(|c| c.0))
        .bind(about.offer)
        .bind(about.referral)
        .bind(about.org.map(|o| o.0))
        .bind(about.detail)
        .bind(audit.at_ms)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    }
    Ok(())
}

/// The citizen's own logins.
pub(super) async fn citizen_users(tx: &mut Tx, citizen: CitizenId) -> StoreResult<Vec<UserId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE citizen_id = $1 AND kind = 'citizen' AND active",
    )
    .bind(citizen.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    Ok(ids.into_iter().map(UserId).collect())
}

/// The coordinator of the citizen's open course, if any: who, for which organisation, and the
/// course.
pub(super) struct OpenCoordinator {
    pub(super) user: UserId,
    pub(super) org: OrgId,
    pub(super) course: CourseId,
}

pub(super) async fn open_coordinator(
    tx: &mut Tx,
    citizen: CitizenId,
) -> StoreResult<Option<OpenCoordinator>> {
    let row = sqlx::query(
        "SELECT m.user_id, m.org_id, c.id FROM care_team_members m JOIN courses c ON c.id = m.course_id \
         WHERE c.citizen_id = $1 AND c.closed_ms IS NULL AND m.is_coordinator AND m.removed_ms IS NULL",
    )
    .bind(citizen.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    row.map(|r| {
        Ok(OpenCoordinator {
            user: UserId(r.try_get("user_id").map_err(err)?),
            org: OrgId(r.try_get("org_id").map_err(err)?),
            course: CourseId(r.try_get("id").map_err(err)?),
        })
    })
    .transpose()
}

/// Tells the citizen and the coordinator of their open course that consent `id` was recorded
/// (`kind` says whether it waits for a confirmation).
pub(super) async fn tell_consent_recorded(
    tx: &mut Tx,
    audit: &AuditCtx,
    citizen: CitizenId,
    kind: NoticeKind,
    id: i64,
) -> StoreResult<()> {
    let mut to = citizen_users(tx, citizen).await?;
    let coordinator = open_coordinator(tx, citizen).await?;
    to.extend(coordinator.as_ref().map(|c| c.user));
    let about = About {
        kind,
        citizen: Some(citizen),
        course: coordinator.map(|c| c.course),
        offer: None,
        referral: None,
        // The citizen's own acts go into the platform chain: no organisation acted.
        org: (audit.tenant_id != bro_audit::PLATFORM_TENANT).then_some(OrgId(audit.tenant_id)),
        detail: &id.to_string(),
    };
    notify(tx, audit, &to, &about).await
}

#[async_trait]
impl NoticeStore for Backend {
    async fn notices(
        &self,
        audit: &AuditCtx,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<Notice>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.citizen_id, z.given_name || ' ' || z.family_name AS citizen_name, n.course_id, \
             o.name AS org_name, n.offer_id, f.name AS offer_name, n.referral_id, n.detail, n.created_ms, n.read_ms FROM notices n \
             LEFT JOIN citizens z ON z.id = n.citizen_id LEFT JOIN organisations o ON o.id = n.org_id \
             LEFT JOIN offers f ON f.id = n.offer_id \
             WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::new();
        for r in &rows {
            let citizen_id: Option<i64> = r.try_get("citizen_id").map_err(err)?;
            let citizen = match citizen_id {
                Some(id) => Some((CitizenId(id), r.try_get("citizen_name").map_err(err)?)),
                None => None,
            };
            let id: i64 = r.try_get("id").map_err(err)?;
            if let Some((c, _)) = &citizen {
                let event = AuditEvent::allowed(AuditAction::NoticesListed)
                    .subject(*c)
                    .object(format!("notice:{id}"));
                records.push((audit.tenant_id, audit.fields(&event)));
            }
            let read: Option<i64> = r.try_get("read_ms").map_err(err)?;
            out.push(Notice {
                id,
                kind: coded(r, "kind", NoticeKind::parse)?,
                citizen,
                course_id: r
                    .try_get::<Option<i64>, _>("course_id")
                    .map_err(err)?
                    .map(CourseId),
                org_name: r.try_get("org_name").map_err(err)?,
                offer: match r.try_get::<Option<i64>, _>("offer_id").map_err(err)? {
                    Some(id) => Some((id, r.try_get("offer_name").map_err(err)?)),
                    None => None,
                },
                referral_id: r.try_get("referral_id").map_err(err)?,
                detail: r.try_get("detail").map_err(err)?,
                created_ms: r.try_get("created_ms").map_err(err)?,
                read: read.is_some(),
            });
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }

    async fn unread_notices(&self, user: UserId) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE user_id = $1 AND read_ms IS NULL")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)
    }

    async fn mark_notices_read(
        &self,
        audit: &AuditCtx,
        user: UserId,
        up_to: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notices SET read_ms = $1 WHERE user_id = $2 AND id <= $3 AND read_ms IS NULL",
        )
        .bind(audit.at_ms)
        .bind(user.0)
        .bind(up_to)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        let event =
            AuditEvent::allowed(AuditAction::NoticesMarkedRead).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
}
