//! The directory of offers: versions, status, confirmation, search, editors and follows. A
//! change tells each follower once, in the change's own transaction.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::notice::NoticeKind;
use bro_domain::offer::{OfferContent, OfferStatus};
use bro_domain::{OrgId, UnitId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, Follow, Offer, OfferQuery, OfferStore, OfferVersion,
    OpenService, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::notice_mail::mark_offer_mails;
use super::notices::{About, notify};
use super::{DbRow, Tx, coded, commit, corrupt, db_err, err};
use crate::{Backend, ROW_LOCK};

const OFFER_SELECT: &str = "SELECT f.id, f.org_id, o.name AS org_name, f.unit_id, u.name AS unit_name, f.status, f.version, \
     f.content, f.updated_ms, f.confirmed_ms FROM offers f \
     JOIN organisations o ON o.id = f.org_id JOIN units u ON u.id = f.unit_id";

fn content_of(r: &DbRow) -> StoreResult<OfferContent> {
    let json: String = r.try_get("content").map_err(err)?;
    OfferContent::from_json(&json).map_err(|_| corrupt("offer content"))
}

fn offer_from_row(r: &DbRow) -> StoreResult<Offer> {
    Ok(Offer {
        id: r.try_get("id").map_err(err)?,
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        org_name: r.try_get("org_name").map_err(err)?,
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("unit_name").map_err(err)?,
        status: coded(r, "status", OfferStatus::parse)?,
        version: r.try_get("version").map_err(err)?,
        content: content_of(r)?,
        updated_ms: r.try_get("updated_ms").map_err(err)?,
        confirmed_ms: r.try_get("confirmed_ms").map_err(err)?,
    })
}

/// The offer's row, locked for a change.
async fn lock_offer(tx: &mut Tx, id: i64) -> StoreResult<(i64, OfferStatus, OfferContent, i64)> {
    let r = sqlx::query(&format!(
        "SELECT unit_id, status, version, content FROM offers WHERE id = $1{ROW_LOCK}"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?
    .ok_or(StoreError::NotFound)?;
    Ok((
        r.try_get("version").map_err(err)?,
        coded(&r, "status", OfferStatus::parse)?,
        content_of(&r)?,
        r.try_get("unit_id").map_err(err)?,
    ))
}

/// Writes version `version` of offer `id` and makes it the offer's current one.
async fn save_version(
    tx: &mut Tx,
    audit: &AuditCtx,
    id: i64,
    version: i64,
    status: OfferStatus,
    content: &OfferContent,
    important: bool,
) -> StoreResult<()> {
    let body = content.to_json();
    sqlx::query(
        "INSERT INTO offer_versions (offer_id, version, status, content, changed_by_user_id, changed_ms, important) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(version)
    .bind(status.as_str())
    .bind(&body)
    .bind(audit.actor_user_id.map(|u| u.0))
    .bind(audit.at_ms)
    .bind(important)
    .execute(&mut **tx)
    .await
    .map_err(db_err(Conflict::Offer))?;
    let category = content.category.map(|c| c.as_str()).unwrap_or_default();
    sqlx::query(
        "UPDATE offers SET status = $1, version = $2, content = $3, name = $4, category = $5, municipality = $6, \
         search_text = $7, updated_ms = $8, confirmed_ms = $8 WHERE id = $9",
    )
    .bind(status.as_str())
    .bind(version)
    .bind(&body)
    .bind(&content.name)
    .bind(category)
    .bind(content.municipality.trim().to_lowercase())
    .bind(content.search_text())
    .bind(audit.at_ms)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(())
}

/// Tells everyone who follows the offer, its unit or its category (in its municipality or
/// everywhere) that version `version` is out: one notice each, never to its editor.
async fn tell_followers(
    tx: &mut Tx,
    audit: &AuditCtx,
    id: i64,
    unit: i64,
    content: &OfferContent,
    version: i64,
) -> StoreResult<()> {
    let category = content.category.map(|c| c.as_str()).unwrap_or_default();
    let users: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT user_id FROM offer_follows WHERE target IN ($1, $2, $3, $4)",
    )
    .bind(format!("offer:{id}"))
    .bind(format!("unit:{unit}"))
    .bind(format!(
        "category:{category}:{}",
        content.municipality.trim().to_lowercase()
    ))
    .bind(format!("category:{category}:"))
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    let about = About {
        kind: NoticeKind::OfferChanged,
        citizen: None,
        course: None,
        offer: Some(id),
        referral: None,
        org: None,
        detail: &version.to_string(),
    };
    let to: Vec<UserId> = users.into_iter().map(UserId).collect();
    notify(tx, audit, &to, &about).await?;
    mark_offer_mails(tx, audit.at_ms, id, version).await
}

/// The search of `query` over `select` (whose table is `f`, with `search_text`, `category`,
/// `municipality`, `status` and `name`): the SQL, ending in a LIMIT placeholder, and its text
/// binds in order. Offers are few (thousands) and public: the conditions are checked row by
/// row; age and referrer live in the content and are checked on what was read
/// ([`OfferQuery::matches_content`]).
pub(super) fn search_sql(select: &str, query: &OfferQuery) -> (String, Vec<String>) {
    let words = bro_store::name_words(&query.text);
    let mut sql = format!("{select} WHERE 1 = 1");
    let mut binds = Vec::new();
    for w in words
        .iter()
        .filter(|w| !w.contains(['%', '_', '\\']))
        .take(6)
    {
        binds.push(format!("% {w}%"));
        sql.push_str(&format!(" AND f.search_text LIKE ${}", binds.len()));
    }
    if let Some(c) = query.category {
        binds.push(c.as_str().to_owned());
        sql.push_str(&format!(" AND f.category = ${}", binds.len()));
    }
    let place = query.municipality.trim().to_lowercase();
    if !place.is_empty() {
        // "Holstebro" finds "Holstebro Kommune".
        binds.push(format!("%{}%", place.replace(['%', '_', '\\'], "")));
        sql.push_str(&format!(" AND f.municipality LIKE ${}", binds.len()));
    }
    if !query.inactive {
        sql.push_str(" AND f.status = 'active'");
    }
    sql.push_str(&format!(
        " ORDER BY f.name, f.id LIMIT ${}",
        binds.len() + 1
    ));
    (sql, binds)
}

fn offer_event(action: AuditAction, id: i64) -> AuditEvent {
    AuditEvent::allowed(action).object(format!("offer:{id}"))
}

#[async_trait]
impl OfferStore for Backend {
    async fn create_offer(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        content: &OfferContent,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let org: i64 = sqlx::query_scalar("SELECT org_id FROM units WHERE id = $1")
            .bind(unit.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO offers (org_id, unit_id, status, version, content, name, category, municipality, search_text, \
             created_ms, updated_ms, confirmed_ms) VALUES ($1, $2, $3, 0, '{}', '', '', '', '', $4, $4, $4) RETURNING id",
        )
        .bind(org)
        .bind(unit.0)
        .bind(OfferStatus::Active.as_str())
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        save_version(&mut tx, audit, id, 1, OfferStatus::Active, content, false).await?;
        tell_followers(&mut tx, audit, id, unit.0, content, 1).await?;
        append(&mut tx, audit, &offer_event(AuditAction::OfferChanged, id)).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn change_offer(
        &self,
        audit: &AuditCtx,
        id: i64,
        base_version: i64,
        content: &OfferContent,
        important: bool,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let (version, status, _, unit) = lock_offer(&mut tx, id).await?;
        if version != base_version {
            return Err(StoreError::Conflict(Conflict::Offer));
        }
        let next = version + 1;
        save_version(&mut tx, audit, id, next, status, content, important).await?;
        tell_followers(&mut tx, audit, id, unit, content, next).await?;
        append(&mut tx, audit, &offer_event(AuditAction::OfferChanged, id)).await?;
        commit(tx).await?;
        Ok(next)
    }

    async fn set_offer_status(
        &self,
        audit: &AuditCtx,
        id: i64,
        status: OfferStatus,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (version, now, content, unit) = lock_offer(&mut tx, id).await?;
        if now == status {
            return commit(tx).await;
        }
        save_version(&mut tx, audit, id, version + 1, status, &content, false).await?;
        tell_followers(&mut tx, audit, id, unit, &content, version + 1).await?;
        append(&mut tx, audit, &offer_event(AuditAction::OfferChanged, id)).await?;
        commit(tx).await
    }

    async fn confirm_offer(&self, audit: &AuditCtx, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        lock_offer(&mut tx, id).await?;
        sqlx::query("UPDATE offers SET confirmed_ms = $1 WHERE id = $2")
            .bind(audit.at_ms)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        append(
            &mut tx,
            audit,
            &offer_event(AuditAction::OfferConfirmed, id),
        )
        .await?;
        commit(tx).await
    }

    async fn offer(&self, id: i64) -> StoreResult<Offer> {
        let row = sqlx::query(&format!("{OFFER_SELECT} WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        offer_from_row(&row)
    }

    async fn offer_versions(&self, id: i64) -> StoreResult<Vec<OfferVersion>> {
        let rows = sqlx::query(
            "SELECT v.version, v.status, v.content, v.changed_ms, v.important, COALESCE(u.display_name, '') AS changed_by \
             FROM offer_versions v LEFT JOIN users u ON u.id = v.changed_by_user_id WHERE v.offer_id = $1 ORDER BY v.version DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(OfferVersion {
                    version: r.try_get("version").map_err(err)?,
                    status: coded(r, "status", OfferStatus::parse)?,
                    content: content_of(r)?,
                    changed_by: r.try_get("changed_by").map_err(err)?,
                    changed_ms: r.try_get("changed_ms").map_err(err)?,
                    important: r.try_get("important").map_err(err)?,
                })
            })
            .collect()
    }

    async fn search_offers(&self, query: &OfferQuery, limit: i64) -> StoreResult<Vec<Offer>> {
        let (sql, binds) = search_sql(OFFER_SELECT, query);
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await.map_err(err)?;
        let offers = rows
            .iter()
            .map(offer_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(offers
            .into_iter()
            .filter(|o| query.matches_content(&o.content))
            .collect())
    }

    async fn open_services(
        &self,
        after: i64,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<OpenService>, i64)> {
        let mut tx = self.begin_read().await?;
        let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).bind(after);
        let own: i64 = count("SELECT COUNT(*) FROM offers WHERE updated_ms > $1")
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        let external: i64 = count("SELECT COUNT(*) FROM external_offers WHERE modified_ms > $1")
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        // The page's ids from the narrow (id, updated_ms) index, then only those rows.
        let rows = sqlx::query(&format!(
            "{OFFER_SELECT} WHERE f.id IN (SELECT id FROM offers WHERE updated_ms > $1 ORDER BY id LIMIT $2 OFFSET $3) \
             ORDER BY f.id"
        ))
        .bind(after)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = rows
            .iter()
            .map(|r| offer_from_row(r).map(|o| OpenService::Own(Box::new(o))))
            .collect::<StoreResult<Vec<_>>>()?;
        // The page goes on into the other directories' services after Bro's own.
        let rest = limit - out.len() as i64;
        if rest > 0 {
            let sources: Vec<String> = sqlx::query_scalar(
                "SELECT e.source FROM external_offers e WHERE e.id IN (SELECT id FROM external_offers \
                 WHERE modified_ms > $1 ORDER BY id LIMIT $2 OFFSET $3) ORDER BY e.id",
            )
            .bind(after)
            .bind(rest)
            .bind((offset - own).max(0))
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
            out.extend(sources.into_iter().map(OpenService::External));
        }
        commit(tx).await?;
        Ok((out, own + external))
    }

    async fn offers_of_units(&self, units: &[UnitId]) -> StoreResult<Vec<Offer>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = units.iter().map(|u| u.0.to_string()).collect();
        // Unit ids are numbers, never text from a request.
        let sql = format!(
            "{OFFER_SELECT} WHERE f.unit_id IN ({}) ORDER BY f.name, f.id",
            ids.join(", ")
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(offer_from_row).collect()
    }

    async fn set_offer_editor(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        user: UserId,
        on: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let sql = if on {
            "INSERT INTO offer_editors (unit_id, user_id) VALUES ($1, $2) ON CONFLICT (unit_id, user_id) DO NOTHING"
        } else {
            "DELETE FROM offer_editors WHERE unit_id = $1 AND user_id = $2"
        };
        sqlx::query(sql)
            .bind(unit.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(db_err(Conflict::Unknown))?;
        let event = AuditEvent::allowed(AuditAction::OfferEditorChanged)
            .object(format!("unit:{}:editor:{}", unit.0, user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn offer_editor_units(&self, user: UserId) -> StoreResult<Vec<UnitId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT unit_id FROM offer_editors WHERE user_id = $1 ORDER BY unit_id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        Ok(ids.into_iter().map(UnitId).collect())
    }

    async fn set_follow(
        &self,
        audit: &AuditCtx,
        user: UserId,
        what: &Follow,
        on: bool,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let key = what.key();
        if on {
            sqlx::query(
                "INSERT INTO offer_follows (user_id, target, created_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, target) DO NOTHING",
            )
            .bind(user.0)
            .bind(&key)
            .bind(audit.at_ms)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        } else {
            sqlx::query("DELETE FROM offer_follows WHERE user_id = $1 AND target = $2")
                .bind(user.0)
                .bind(&key)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let event = AuditEvent::allowed(AuditAction::OfferFollowChanged).object(key);
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn follows(&self, user: UserId) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT target FROM offer_follows WHERE user_id = $1 ORDER BY target")
            .bind(user.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)
    }
}
