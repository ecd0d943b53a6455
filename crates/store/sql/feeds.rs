//! Calendar feeds: the digests of the tokens that let a calendar program read meetings.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CitizenId, TeamId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, CalendarFeed, Conflict, FeedOwner, FeedStore, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::{DbRow, actor, commit, corrupt, db_err, err};
use crate::Backend;

fn feed_from_row(r: &DbRow) -> StoreResult<CalendarFeed> {
    let user: Option<i64> = r.try_get("user_id").map_err(err)?;
    let team: Option<i64> = r.try_get("team_id").map_err(err)?;
    let citizen: Option<i64> = r.try_get("citizen_id").map_err(err)?;
    let owner = match (user, team, citizen) {
        (Some(u), None, None) => FeedOwner::User(UserId(u)),
        (None, Some(t), None) => FeedOwner::Team(TeamId(t)),
        (None, None, Some(c)) => FeedOwner::Citizen(CitizenId(c)),
        _ => return Err(corrupt("calendar feed owner")),
    };
    Ok(CalendarFeed {
        id: r.try_get("id").map_err(err)?,
        owner,
        created_by: UserId(r.try_get("created_by_user_id").map_err(err)?),
        created_ms: r.try_get("created_ms").map_err(err)?,
        revoked_ms: r.try_get("revoked_ms").map_err(err)?,
    })
}

/// The owner as the columns `user_id`, `team_id` and `citizen_id`.
fn owner_columns(owner: FeedOwner) -> (Option<i64>, Option<i64>, Option<i64>) {
    match owner {
        FeedOwner::User(u) => (Some(u.0), None, None),
        FeedOwner::Team(t) => (None, Some(t.0), None),
        FeedOwner::Citizen(c) => (None, None, Some(c.0)),
    }
}

#[async_trait]
impl FeedStore for Backend {
    async fn create_feed(
        &self,
        audit: &AuditCtx,
        owner: FeedOwner,
        digest: &str,
    ) -> StoreResult<i64> {
        let by = actor(audit)?;
        let (user, team, citizen) = owner_columns(owner);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_digest, user_id, team_id, citizen_id, created_by_user_id, created_ms) \
             VALUES ($1, $2, $3, $6, $4, $5) RETURNING id",
        )
        .bind(digest)
        .bind(user)
        .bind(team)
        .bind(by.0)
        .bind(audit.at_ms)
        .bind(citizen)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Feed))?;
        let event =
            AuditEvent::allowed(AuditAction::CalendarFeedCreated).object(format!("calendar:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn feeds(&self, owner: FeedOwner) -> StoreResult<Vec<CalendarFeed>> {
        let (user, team, citizen) = owner_columns(owner);
        let rows = sqlx::query(
            "SELECT id, user_id, team_id, citizen_id, created_by_user_id, created_ms, revoked_ms \
             FROM calendar_feeds WHERE (user_id = $1 OR team_id = $2 OR citizen_id = $3) \
             AND revoked_ms IS NULL ORDER BY created_ms",
        )
        .bind(user)
        .bind(team)
        .bind(citizen)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(feed_from_row).collect()
    }

    async fn revoke_feed(&self, audit: &AuditCtx, owner: FeedOwner, feed: i64) -> StoreResult<()> {
        let (user, team, citizen) = owner_columns(owner);
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE calendar_feeds SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL \
             AND (user_id = $3 OR team_id = $4 OR citizen_id = $5)",
        )
        .bind(audit.at_ms)
        .bind(feed)
        .bind(user)
        .bind(team)
        .bind(citizen)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::CalendarFeedRevoked)
            .object(format!("calendar:{feed}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn feed_by_digest(&self, digest: &str) -> StoreResult<Option<CalendarFeed>> {
        // A feed lives as long as the account that made it, a team's feed as long as its
        // maker is on the team, and a citizen's only as the citizen's own: the secret address
        // is no key once they have left.
        let row = sqlx::query(
            "SELECT f.id, f.user_id, f.team_id, f.citizen_id, f.created_by_user_id, f.created_ms, \
             f.revoked_ms FROM calendar_feeds f \
             JOIN users u ON u.id = f.created_by_user_id \
             WHERE f.token_digest = $1 AND f.revoked_ms IS NULL AND u.active \
             AND (f.citizen_id IS NULL OR u.citizen_id = f.citizen_id) \
             AND (f.team_id IS NULL OR EXISTS (SELECT 1 FROM teams t WHERE t.id = f.team_id \
                  AND (t.leader_user_id = u.id OR t.convener_user_id = u.id \
                       OR EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = u.id))))",
        )
        .bind(digest)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(feed_from_row).transpose()
    }
}
