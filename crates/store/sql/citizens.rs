//! Citizens, the relatives linked to them, and the address their notices go to.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::{CitizenId, Cpr, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Citizen, CitizenStore, Conflict, NewCitizen, RelativeLink, StoreError,
    StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::rows::insert_rows;
use super::{Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db};

/// The address a citizen's notices go to: their active citizen login's e-mail, if any.
/// `citizen` is the SQL expression of the citizen's id. Here with the citizen, below both of
/// its users: approving minutes (`cases`) reads it to queue the e-mail notice, the delivery
/// worker (`deliveries`) reads it to send one, and deliveries already builds on cases.
pub(super) fn citizen_email(citizen: &str) -> String {
    format!(
        "(SELECT u.email FROM users u WHERE u.citizen_id = {citizen} AND u.kind = 'citizen' AND u.active \
         ORDER BY u.id LIMIT 1)"
    )
}

fn citizen_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Citizen> {
    let cpr: String = r.try_get("cpr").map_err(err)?;
    Ok(Citizen {
        id: CitizenId(r.try_get("id").map_err(err)?),
        cpr: Cpr::parse(&cpr).map_err(|_| corrupt("cpr"))?,
        given_name: r.try_get("given_name").map_err(err)?,
        family_name: r.try_get("family_name").map_err(err)?,
        address: r.try_get("address").map_err(err)?,
        postal_code: r.try_get("postal_code").map_err(err)?,
        city: r.try_get("city").map_err(err)?,
    })
}

async fn insert_citizen(tx: &mut Tx, audit: &AuditCtx, c: NewCitizen) -> StoreResult<CitizenId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO citizens (cpr, given_name, family_name, address, postal_code, city, created_ms, search_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.cpr.compact())
    .bind(c.given_name.as_str())
    .bind(c.family_name.as_str())
    .bind(c.address)
    .bind(c.postal_code)
    .bind(c.city)
    .bind(audit.at_ms)
    .bind(format!("{} {}", c.given_name.as_str(), c.family_name.as_str()).to_lowercase())
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err(Conflict::Cpr))?;
    let id = CitizenId(id);
    // The words the name is searched by (migration 17).
    let mut words = bro_store::name_word_rows();
    bro_store::push_name_words(
        &mut words,
        id,
        c.given_name.as_str(),
        c.family_name.as_str(),
    );
    insert_rows(tx, &words).await?;
    append(
        tx,
        audit,
        &AuditEvent::allowed(AuditAction::CitizenCreated).subject(id),
    )
    .await?;
    Ok(id)
}

#[async_trait]
impl CitizenStore for Backend {
    async fn create_citizen(&self, audit: &AuditCtx, new: NewCitizen) -> StoreResult<CitizenId> {
        let mut tx = self.begin_write().await?;
        let id = insert_citizen(&mut tx, audit, new).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn create_citizens(
        &self,
        audit: &AuditCtx,
        new: Vec<NewCitizen>,
    ) -> StoreResult<Vec<CitizenId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(new.len());
        for c in new {
            ids.push(insert_citizen(&mut tx, audit, c).await?);
        }
        commit(tx).await?;
        Ok(ids)
    }

    async fn citizen(&self, audit: &AuditCtx, id: CitizenId) -> StoreResult<Citizen> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query("SELECT id, cpr, given_name, family_name, address, postal_code, city FROM citizens WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let citizen = citizen_from_row(&row)?;
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::CitizenRead).subject(id),
        )
        .await?;
        Ok(citizen)
    }

    async fn count_citizens(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM citizens")
            .fetch_one(&self.pool)
            .await
            .map_err(err)
    }

    async fn link_relative(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        relative_user: UserId,
        relation: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO relatives (citizen_id, user_id, relation) VALUES ($1, $2, $3)")
            .bind(citizen.0)
            .bind(relative_user.0)
            .bind(relation)
            .execute(&mut *tx)
            .await
            .map_err(db_err(Conflict::Relative))?;
        let event = AuditEvent::allowed(AuditAction::RelativeLinked)
            .subject(citizen)
            .object(format!("user:{}", relative_user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn relatives_links(
        &self,
        audit: &AuditCtx,
        relative_user: UserId,
    ) -> StoreResult<Vec<RelativeLink>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT c.id, c.given_name, c.family_name, r.relation FROM relatives r \
             JOIN citizens c ON c.id = r.citizen_id WHERE r.user_id = $1 ORDER BY c.family_name, c.given_name",
        )
        .bind(relative_user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut links = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = CitizenId(r.try_get("id").map_err(err)?);
            let given: String = r.try_get("given_name").map_err(err)?;
            let family: String = r.try_get("family_name").map_err(err)?;
            links.push(RelativeLink {
                citizen_id: id,
                citizen_name: format!("{given} {family}"),
                relation: r.try_get("relation").map_err(err)?,
            });
            records.push((
                audit.tenant_id,
                audit.fields(&AuditEvent::allowed(AuditAction::CitizenRead).subject(id)),
            ));
        }
        self.finish_read_many(tx, records).await?;
        Ok(links)
    }
}
