//! Other directories' offers, imported from their HSDS open data: written by one import in one
//! transaction, read by the directory's search and pages and served again in the open data.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::offer::{OfferContent, OfferStatus};
use bro_store::{
    AuditCtx, AuditEvent, ExternalOffer, ExternalOfferStore, ExternalOrganisation, ExternalService,
    ImportCounts, OfferQuery, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::offers::search_sql;
use super::{DbRow, coded, commit, corrupt, err};
use crate::Backend;

const EXTERNAL_SELECT: &str = "SELECT f.id, f.hsds_id, o.name AS org_name, f.status, f.content, f.source, \
     f.modified_ms, f.imported_ms FROM external_offers f JOIN external_organisations o ON o.id = f.org_id";

fn external_from_row(r: &DbRow) -> StoreResult<ExternalOffer> {
    let content: String = r.try_get("content").map_err(err)?;
    Ok(ExternalOffer {
        id: r.try_get("id").map_err(err)?,
        hsds_id: r.try_get("hsds_id").map_err(err)?,
        org_name: r.try_get("org_name").map_err(err)?,
        status: coded(r, "status", OfferStatus::parse)?,
        content: OfferContent::from_json(&content).map_err(|_| corrupt("offer content"))?,
        source: r.try_get("source").map_err(err)?,
        modified_ms: r.try_get("modified_ms").map_err(err)?,
        imported_ms: r.try_get("imported_ms").map_err(err)?,
    })
}

#[async_trait]
impl ExternalOfferStore for Backend {
    async fn import_external(
        &self,
        audit: &AuditCtx,
        organisations: &[ExternalOrganisation],
        services: &[ExternalService],
    ) -> StoreResult<ImportCounts> {
        let now = audit.at_ms;
        let mut tx = self.begin_write().await?;
        for o in organisations {
            sqlx::query(
                "INSERT INTO external_organisations (hsds_id, name, source, imported_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (hsds_id) DO UPDATE SET name = excluded.name, source = excluded.source, imported_ms = excluded.imported_ms",
            )
            .bind(&o.hsds_id)
            .bind(&o.name)
            .bind(&o.source)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        let mut counts = ImportCounts::default();
        for s in services {
            let org: i64 =
                sqlx::query_scalar("SELECT id FROM external_organisations WHERE hsds_id = $1")
                    .bind(&s.org_hsds_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(err)?
                    .ok_or(StoreError::NotFound)?;
            let known: Option<i64> =
                sqlx::query_scalar("SELECT id FROM external_offers WHERE hsds_id = $1")
                    .bind(&s.hsds_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(err)?;
            let c = &s.content;
            let sql = if known.is_some() {
                counts.replaced += 1;
                "UPDATE external_offers SET org_id = $2, status = $3, content = $4, name = $5, category = $6, \
                 municipality = $7, search_text = $8, source = $9, modified_ms = $10, imported_ms = $11 WHERE hsds_id = $1"
            } else {
                counts.added += 1;
                "INSERT INTO external_offers (hsds_id, org_id, status, content, name, category, municipality, \
                 search_text, source, modified_ms, imported_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            };
            sqlx::query(sql)
                .bind(&s.hsds_id)
                .bind(org)
                .bind(s.status.as_str())
                .bind(c.to_json())
                .bind(&c.name)
                .bind(c.category.map(|c| c.as_str()).unwrap_or_default())
                .bind(c.municipality.trim().to_lowercase())
                .bind(c.search_text())
                .bind(&s.source)
                .bind(s.modified_ms.unwrap_or(now))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let event = AuditEvent::allowed(AuditAction::OffersImported).object(format!(
            "hsds:{} services, {} new",
            services.len(),
            counts.added
        ));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(counts)
    }

    async fn external_offer(&self, id: i64) -> StoreResult<ExternalOffer> {
        let row = sqlx::query(&format!("{EXTERNAL_SELECT} WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        external_from_row(&row)
    }

    async fn external_offer_by_source(&self, hsds_id: &str) -> StoreResult<ExternalOffer> {
        let row = sqlx::query(&format!("{EXTERNAL_SELECT} WHERE f.hsds_id = $1"))
            .bind(hsds_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        external_from_row(&row)
    }

    async fn search_external_offers(
        &self,
        query: &OfferQuery,
        limit: i64,
    ) -> StoreResult<Vec<ExternalOffer>> {
        let (sql, binds) = search_sql(EXTERNAL_SELECT, query);
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await.map_err(err)?;
        let offers = rows
            .iter()
            .map(external_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(offers
            .into_iter()
            .filter(|o| query.matches_content(&o.content))
            .collect())
    }

    async fn external_organisations(
        &self,
    ) -> StoreResult<Vec<(ExternalOrganisation, Vec<String>)>> {
        let mut tx = self.begin_read().await?;
        let orgs =
            sqlx::query("SELECT id, hsds_id, name, source FROM external_organisations ORDER BY id")
                .fetch_all(&mut *tx)
                .await
                .map_err(err)?;
        let services = sqlx::query("SELECT org_id, source FROM external_offers ORDER BY id")
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        commit(tx).await?;
        let mut out = Vec::with_capacity(orgs.len());
        for o in &orgs {
            let id: i64 = o.try_get("id").map_err(err)?;
            let mut theirs = Vec::new();
            for s in &services {
                if s.try_get::<i64, _>("org_id").map_err(err)? == id {
                    theirs.push(s.try_get("source").map_err(err)?);
                }
            }
            out.push((
                ExternalOrganisation {
                    hsds_id: o.try_get("hsds_id").map_err(err)?,
                    name: o.try_get("name").map_err(err)?,
                    source: o.try_get("source").map_err(err)?,
                },
                theirs,
            ));
        }
        Ok(out)
    }
}
