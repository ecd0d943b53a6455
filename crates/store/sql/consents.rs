//! Consents, legal bases and emergency access: what lets an organisation see a citizen's
//! information.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::consent::{ConsentForm, GivenBy, Grants, LegalBasisKind};
use bro_domain::course::{decode_set, encode_set};
use bro_domain::notice::NoticeKind;
use bro_domain::{CitizenId, OrgId, ShareCategory};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, Consent, ConsentDocument, ConsentStore, LegalBasis, NewConsent,
    NewLegalBasis, StoreError, StoreResult,
};
use sqlx::Row;
use std::collections::HashMap;

use super::chain::append;
use super::consent_rules::awaits_confirmation;
use super::notices::tell_consent_recorded;
use super::rows::rows_in;
use super::{DbRow, Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db, ROW_LOCK};

/// How a consent or a legal basis is ended: table, columns, the conflict's name, the act.
struct Ending {
    table: &'static str,
    ended: &'static str,
    ended_by: &'static str,
    conflict: Conflict,
    action: AuditAction,
    object: &'static str,
}

const CONSENT_END: Ending = Ending {
    table: "consents",
    ended: "withdrawn_ms",
    ended_by: "withdrawn_by_user_id",
    conflict: Conflict::Withdrawn,
    action: AuditAction::ConsentWithdrawn,
    object: "consent",
};

const LEGAL_BASIS_END: Ending = Ending {
    table: "legal_bases",
    ended: "ended_ms",
    ended_by: "ended_by_user_id",
    conflict: Conflict::Ended,
    action: AuditAction::LegalBasisEnded,
    object: "legal_basis",
};

/// Ends a consent or a legal basis of `citizen` now, once: `NotFound` unless it is theirs,
/// `Conflict` when it was ended already. The row is otherwise never changed.
async fn end_once(
    tx: &mut Tx,
    audit: &AuditCtx,
    e: Ending,
    citizen: CitizenId,
    id: i64,
) -> StoreResult<()> {
    let Ending {
        table,
        ended,
        ended_by,
        conflict,
        action,
        object,
    } = e;
    let current: Option<Option<i64>> = sqlx::query_scalar(&format!(
        "SELECT {ended} FROM {table} WHERE id = $1 AND citizen_id = $2{ROW_LOCK}"
    ))
    .bind(id)
    .bind(citizen.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(Some(_)) => return Err(StoreError::Conflict(conflict)),
        Some(None) => {}
    }
    sqlx::query(&format!(
        "UPDATE {table} SET {ended} = $1, {ended_by} = $2 WHERE id = $3"
    ))
    .bind(audit.at_ms)
    .bind(audit.actor_user_id.map(|u| u.0))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    let event = AuditEvent::allowed(action)
        .subject(citizen)
        .object(format!("{object}:{id}"));
    append(tx, audit, &event).await
}

/// Records which organisations a consent or legal basis covers; an organisation that does not
/// exist is `NotFound` (and the caller's transaction is dropped, so nothing is half-saved).
async fn insert_orgs(
    tx: &mut Tx,
    table_and_columns: &'static str,
    id: i64,
    orgs: &[OrgId],
) -> StoreResult<()> {
    for org in orgs {
        sqlx::query(&format!(
            "INSERT INTO {table_and_columns} VALUES ($1, $2) ON CONFLICT DO NOTHING"
        ))
        .bind(id)
        .bind(org.0)
        .execute(&mut **tx)
        .await
        .map_err(db_err(Conflict::Organisation))?;
    }
    Ok(())
}

/// The organisations of the record `id` among `rows` of (`key`, id, name).
fn orgs_of(
    rows: &[<Db as sqlx::Database>::Row],
    key: &str,
    id: i64,
) -> StoreResult<Vec<(OrgId, String)>> {
    let mut out = Vec::new();
    for o in rows {
        let of: i64 = o.try_get(key).map_err(err)?;
        if of == id {
            out.push((
                OrgId(o.try_get("id").map_err(err)?),
                o.try_get("name").map_err(err)?,
            ));
        }
    }
    Ok(out)
}

#[async_trait]
impl ConsentStore for Backend {
    async fn record_consent(&self, audit: &AuditCtx, new: NewConsent) -> StoreResult<i64> {
        let recorded_by = audit
            .actor_user_id
            .ok_or_else(|| StoreError::Corrupt("a consent is recorded by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let awaiting = awaits_confirmation(&mut tx, audit, recorded_by, &new).await?;
        let (name, content_type, bytes) = match new.document {
            Some(d) => (Some(d.name), Some(d.content_type), Some(d.bytes)),
            None => (None, None, None),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consents (citizen_id, course_id, categories, purpose, form, given_by, givers, guardian_scope, witness, \
             valid_from_ms, valid_to_ms, recorded_by_user_id, recorded_ms, document_name, document_type, document, \
             witness_org_id, awaiting_since_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.map(|c| c.0))
        .bind(encode_set(&new.categories, ShareCategory::as_str))
        .bind(bro_domain::consent::PURPOSE)
        .bind(new.form.as_str())
        .bind(new.given_by.as_str())
        .bind(new.givers.join("\n"))
        .bind(&new.guardian_scope)
        .bind(&new.witness)
        .bind(new.valid_from_ms)
        .bind(new.valid_to_ms)
        .bind(recorded_by.0)
        .bind(audit.at_ms)
        .bind(name)
        .bind(content_type)
        .bind(bytes)
        .bind(new.witness_org.map(|o| o.0))
        .bind(awaiting.then_some(audit.at_ms))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Consent))?;
        insert_orgs(&mut tx, "consent_orgs (consent_id, org_id)", id, &new.orgs).await?;
        let told = if awaiting {
            NoticeKind::ConsentAwaiting
        } else {
            NoticeKind::ConsentRecorded
        };
        tell_consent_recorded(&mut tx, audit, new.citizen_id, told, id).await?;
        let event = AuditEvent::allowed(AuditAction::ConsentRecorded)
            .subject(new.citizen_id)
            .object(format!("consent:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn consents(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<Consent>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT c.id, c.citizen_id, c.categories, c.purpose, c.form, c.given_by, c.givers, c.guardian_scope, c.witness, \
             c.valid_from_ms, c.valid_to_ms, c.recorded_ms, c.document_name, c.withdrawn_ms, c.awaiting_since_ms, \
             r.display_name AS recorded_by, w.display_name AS withdrawn_by, k.display_name AS confirmed_by FROM consents c \
             JOIN users r ON r.id = c.recorded_by_user_id LEFT JOIN users w ON w.id = c.withdrawn_by_user_id \
             LEFT JOIN users k ON k.id = c.confirmed_by_user_id \
             WHERE c.citizen_id = $1 ORDER BY c.recorded_ms DESC, c.id DESC",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let orgs = sqlx::query(
            "SELECT co.consent_id, o.id, o.name FROM consent_orgs co JOIN consents c ON c.id = co.consent_id \
             JOIN organisations o ON o.id = co.org_id WHERE c.citizen_id = $1 ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id").map_err(err)?;
            let members = orgs_of(&orgs, "consent_id", id)?;
            let categories: String = r.try_get("categories").map_err(err)?;
            let form: String = r.try_get("form").map_err(err)?;
            let given_by: String = r.try_get("given_by").map_err(err)?;
            let givers: String = r.try_get("givers").map_err(err)?;
            out.push(Consent {
                id,
                citizen_id: citizen,
                orgs: members,
                categories: decode_set(&categories, ShareCategory::parse),
                purpose: r.try_get("purpose").map_err(err)?,
                form: ConsentForm::parse(&form).ok_or_else(|| corrupt("consent form"))?,
                given_by: GivenBy::parse(&given_by).ok_or_else(|| corrupt("consent giver"))?,
                givers: givers
                    .lines()
                    .filter(|g| !g.is_empty())
                    .map(str::to_owned)
                    .collect(),
                guardian_scope: r.try_get("guardian_scope").map_err(err)?,
                witness: r.try_get("witness").map_err(err)?,
                valid_from_ms: r.try_get("valid_from_ms").map_err(err)?,
                valid_to_ms: r.try_get("valid_to_ms").map_err(err)?,
                recorded_by: r.try_get("recorded_by").map_err(err)?,
                recorded_ms: r.try_get("recorded_ms").map_err(err)?,
                document_name: r.try_get("document_name").map_err(err)?,
                withdrawn_ms: r.try_get("withdrawn_ms").map_err(err)?,
                withdrawn_by: r.try_get("withdrawn_by").map_err(err)?,
                awaiting: r
                    .try_get::<Option<i64>, _>("awaiting_since_ms")
                    .map_err(err)?
                    .is_some(),
                confirmed_by: r.try_get("confirmed_by").map_err(err)?,
            });
        }
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::ConsentRead).subject(citizen),
        )
        .await?;
        Ok(out)
    }

    async fn withdraw_consent(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        end_once(&mut tx, audit, CONSENT_END, citizen, id).await?;
        commit(tx).await
    }

    async fn confirm_consent(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()> {
        let by = audit
            .actor_user_id
            .ok_or_else(|| StoreError::Corrupt("a consent is confirmed by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE consents SET awaiting_since_ms = NULL, confirmed_ms = $1, confirmed_by_user_id = $2 \
             WHERE id = $3 AND citizen_id = $4 AND awaiting_since_ms IS NOT NULL AND withdrawn_ms IS NULL",
        )
        .bind(audit.at_ms)
        .bind(by.0)
        .bind(id)
        .bind(citizen.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::ConsentConfirmed)
            .subject(citizen)
            .object(format!("consent:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn grants(&self, citizen: CitizenId, org: OrgId, now: i64) -> StoreResult<Grants> {
        let consents = sqlx::query(&format!(
            "SELECT c.categories FROM consents c JOIN consent_orgs o ON o.consent_id = c.id \
             WHERE c.citizen_id = $1 AND o.org_id = $2 AND {}",
            CONSENT_IN_FORCE.replace("{now}", "$3")
        ))
        .bind(citizen.0)
        .bind(org.0)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let bases = sqlx::query(&format!(
            "SELECT b.kind, b.categories FROM legal_bases b JOIN legal_basis_orgs o ON o.legal_basis_id = b.id \
             WHERE b.citizen_id = $1 AND o.org_id = $2 AND {}",
            BASIS_IN_FORCE.replace("{now}", "$3")
        ))
        .bind(citizen.0)
        .bind(org.0)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut grants = Grants::default();
        for r in &consents {
            grant_consent(&mut grants, r)?;
        }
        for r in &bases {
            grant_basis(&mut grants, r)?;
        }
        Ok(grants)
    }

    async fn record_legal_basis(&self, audit: &AuditCtx, new: NewLegalBasis) -> StoreResult<i64> {
        let recorded_by = audit
            .actor_user_id
            .ok_or_else(|| StoreError::Corrupt("a legal basis is recorded by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO legal_bases (citizen_id, course_id, kind, reason, categories, valid_from_ms, valid_to_ms, \
             recorded_by_user_id, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.map(|c| c.0))
        .bind(new.kind.as_str())
        .bind(&new.reason)
        .bind(encode_set(&new.categories, ShareCategory::as_str))
        .bind(new.valid_from_ms)
        .bind(new.valid_to_ms)
        .bind(recorded_by.0)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::LegalBasis))?;
        insert_orgs(
            &mut tx,
            "legal_basis_orgs (legal_basis_id, org_id)",
            id,
            &new.orgs,
        )
        .await?;
        let event = AuditEvent::allowed(AuditAction::LegalBasisRecorded)
            .subject(new.citizen_id)
            .object(format!("legal_basis:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn legal_bases(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<LegalBasis>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT b.*, u.display_name AS recorded_by FROM legal_bases b JOIN users u ON u.id = b.recorded_by_user_id \
             WHERE b.citizen_id = $1 ORDER BY b.recorded_ms DESC, b.id DESC",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let orgs = sqlx::query(
            "SELECT lo.legal_basis_id, o.id, o.name FROM legal_basis_orgs lo JOIN legal_bases b ON b.id = lo.legal_basis_id \
             JOIN organisations o ON o.id = lo.org_id WHERE b.citizen_id = $1 ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id").map_err(err)?;
            let members = orgs_of(&orgs, "legal_basis_id", id)?;
            let kind: String = r.try_get("kind").map_err(err)?;
            let categories: String = r.try_get("categories").map_err(err)?;
            out.push(LegalBasis {
                id,
                kind: LegalBasisKind::parse(&kind).ok_or_else(|| corrupt("legal basis"))?,
                reason: r.try_get("reason").map_err(err)?,
                orgs: members,
                categories: decode_set(&categories, ShareCategory::parse),
                valid_from_ms: r.try_get("valid_from_ms").map_err(err)?,
                valid_to_ms: r.try_get("valid_to_ms").map_err(err)?,
                recorded_by: r.try_get("recorded_by").map_err(err)?,
                recorded_ms: r.try_get("recorded_ms").map_err(err)?,
                ended_ms: r.try_get("ended_ms").map_err(err)?,
            });
        }
        self.finish_read(
            tx,
            audit,
            &AuditEvent::allowed(AuditAction::LegalBasisRead).subject(citizen),
        )
        .await?;
        Ok(out)
    }

    async fn end_legal_basis(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        end_once(&mut tx, audit, LEGAL_BASIS_END, citizen, id).await?;
        commit(tx).await
    }

    async fn consent_document(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        id: i64,
    ) -> StoreResult<ConsentDocument> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(
            "SELECT document_name, document_type, document FROM consents WHERE id = $1 AND citizen_id = $2 AND document IS NOT NULL",
        )
        .bind(id)
        .bind(citizen.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let document = ConsentDocument {
            name: row.try_get("document_name").map_err(err)?,
            content_type: row.try_get("document_type").map_err(err)?,
            bytes: row.try_get("document").map_err(err)?,
        };
        let event = AuditEvent::allowed(AuditAction::ConsentDocumentRead)
            .subject(citizen)
            .object(format!("consent:{id}"));
        self.finish_read(tx, audit, &event).await?;
        Ok(document)
    }
}

/// A consent in force at `{now}` (aliased `c`).
const CONSENT_IN_FORCE: &str = "c.withdrawn_ms IS NULL AND c.awaiting_since_ms IS NULL AND c.valid_from_ms <= {now} \
     AND (c.valid_to_ms IS NULL OR c.valid_to_ms > {now})";
/// A legal basis in force at `{now}` (aliased `b`).
const BASIS_IN_FORCE: &str =
    "b.ended_ms IS NULL AND b.valid_from_ms <= {now} AND b.valid_to_ms > {now}";

/// Adds what a consent row (`categories`) grants.
fn grant_consent(grants: &mut Grants, r: &DbRow) -> StoreResult<()> {
    let categories: String = r.try_get("categories").map_err(err)?;
    grants
        .consent
        .extend(decode_set(&categories, ShareCategory::parse));
    grants.consent.sort();
    grants.consent.dedup();
    Ok(())
}

/// Adds what a legal basis row (`kind`, `categories`) grants.
fn grant_basis(grants: &mut Grants, r: &DbRow) -> StoreResult<()> {
    let kind: String = r.try_get("kind").map_err(err)?;
    let kind = LegalBasisKind::parse(&kind).ok_or_else(|| corrupt("legal basis"))?;
    let categories: String = r.try_get("categories").map_err(err)?;
    grants.legal_basis.extend(
        decode_set(&categories, ShareCategory::parse)
            .into_iter()
            .map(|c| (c, kind)),
    );
    Ok(())
}

/// What each organisation is granted of each of `citizens` at `now` ([`grants`] for many
/// citizens at once, every organisation named): one read for a whole feed.
///
/// [`grants`]: bro_store::ConsentStore::grants
pub(super) async fn grants_of_citizens(
    conn: &mut <Db as sqlx::Database>::Connection,
    citizens: &[i64],
    now: i64,
) -> StoreResult<HashMap<(CitizenId, OrgId), Grants>> {
    let mut all: HashMap<(CitizenId, OrgId), Grants> = HashMap::new();
    let sql = format!(
        "SELECT c.citizen_id, o.org_id, c.categories FROM consents c JOIN consent_orgs o ON o.consent_id = c.id \
         WHERE {} AND c.citizen_id IN ({{}})",
        CONSENT_IN_FORCE.replace("{now}", "$1")
    );
    for r in rows_in(conn, &sql, &[now], citizens).await? {
        grant_consent(all.entry(pair(&r)?).or_default(), &r)?;
    }
    let sql = format!(
        "SELECT b.citizen_id, o.org_id, b.kind, b.categories FROM legal_bases b JOIN legal_basis_orgs o ON o.legal_basis_id = b.id \
         WHERE {} AND b.citizen_id IN ({{}})",
        BASIS_IN_FORCE.replace("{now}", "$1")
    );
    for r in rows_in(conn, &sql, &[now], citizens).await? {
        grant_basis(all.entry(pair(&r)?).or_default(), &r)?;
    }
    Ok(all)
}

fn pair(r: &DbRow) -> StoreResult<(CitizenId, OrgId)> {
    Ok((
        CitizenId(r.try_get("citizen_id").map_err(err)?),
        OrgId(r.try_get("org_id").map_err(err)?),
    ))
}
