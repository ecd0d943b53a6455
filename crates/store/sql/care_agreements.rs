//! The extended collaboration agreement of a stay: versions, each review one of its own.

use bro_audit::AuditAction;
use bro_domain::CitizenId;
use bro_domain::care_place::AgreementText;
use bro_store::{
    AgreementVersion, AuditCtx, AuditEvent, Conflict, NewAgreementVersion, StoreError, StoreResult,
};
use sqlx::Row;
use time::Date;

use super::care_places::parse_day;
use super::chain::append;
use super::{DbRow, commit, err};
use crate::{Backend, ROW_LOCK};

fn version_from_row(r: &DbRow) -> StoreResult<AgreementVersion> {
    let day: Option<String> = r.try_get("review_day").map_err(err)?;
    let review_day = day.map(|d| parse_day(&d, "review_day")).transpose()?;
    let principles: String = r.try_get("principles").map_err(err)?;
    Ok(AgreementVersion {
        version: r.try_get("version").map_err(err)?,
        text: AgreementText {
            goals: r.try_get("goals").map_err(err)?,
            parties: r.try_get("parties").map_err(err)?,
            medication: r.try_get("medication").map_err(err)?,
            ward_contact: r.try_get("ward_contact").map_err(err)?,
            discharge: r.try_get("discharge").map_err(err)?,
            participants: r.try_get("participants").map_err(err)?,
        },
        review_day,
        principles: principles
            .split(',')
            .filter_map(|p| p.parse().ok())
            .collect(),
        principles_note: r.try_get("principles_note").map_err(err)?,
        written_by: r.try_get("written_by").map_err(err)?,
        written_ms: r.try_get("written_ms").map_err(err)?,
    })
}

impl Backend {
    pub(super) async fn agreement_versions(&self, stay: i64) -> StoreResult<Vec<AgreementVersion>> {
        let rows = sqlx::query(
            "SELECT a.*, COALESCE(u.display_name, '') AS written_by FROM care_agreements a \
             LEFT JOIN users u ON u.id = a.written_by_user_id WHERE a.stay_id = $1 ORDER BY a.version",
        )
        .bind(stay)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(version_from_row).collect()
    }

    pub(super) async fn write_agreement_version(
        &self,
        audit: &AuditCtx,
        stay: i64,
        new: &NewAgreementVersion,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT s.ended, r.citizen_id FROM care_stays s JOIN referrals r ON r.id = s.referral_id \
             WHERE s.id = $1{ROW_LOCK}"
        ))
        .bind(stay)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        if row.try_get::<bool, _>("ended").map_err(err)? {
            return Err(StoreError::Conflict(Conflict::Ended));
        }
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM care_agreements WHERE stay_id = $1")
                .bind(stay)
                .fetch_one(&mut *tx)
                .await
                .map_err(err)?;
        if last.unwrap_or(0) != new.base_version {
            return Err(StoreError::Conflict(Conflict::Stay));
        }
        let version = new.base_version + 1;
        let t = &new.text;
        let principles: Vec<String> = new.principles.iter().map(u8::to_string).collect();
        sqlx::query(
            "INSERT INTO care_agreements (stay_id, version, goals, parties, medication, ward_contact, discharge, \
             participants, review_day, principles, principles_note, written_by_user_id, written_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(stay)
        .bind(version)
        .bind(t.goals.trim())
        .bind(t.parties.trim())
        .bind(t.medication.trim())
        .bind(t.ward_contact.trim())
        .bind(t.discharge.trim())
        .bind(t.participants.trim())
        .bind(new.review_day.map(|d| d.to_string()))
        .bind(principles.join(","))
        .bind(new.principles_note.trim())
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(audit.at_ms)
        .execute(&mut *tx)
        .await
        .map_err(super::db_err(Conflict::Stay))?;
        let citizen = CitizenId(row.try_get("citizen_id").map_err(err)?);
        let event = AuditEvent::allowed(AuditAction::StayChanged)
            .subject(citizen)
            .object(format!("stay:{stay}:agreement:{version}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(version)
    }

    pub(super) async fn last_review_days(&self, stays: &[i64]) -> StoreResult<Vec<(i64, Date)>> {
        if stays.is_empty() {
            return Ok(Vec::new());
        }
        // Stay ids are numbers from the store, never text from a request.
        let ids: Vec<String> = stays.iter().map(i64::to_string).collect();
        let rows = sqlx::query(&format!(
            "SELECT stay_id, MAX(review_day) AS day FROM care_agreements WHERE stay_id IN ({}) \
             AND review_day IS NOT NULL GROUP BY stay_id",
            ids.join(", ")
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                let day: String = r.try_get("day").map_err(err)?;
                Ok((
                    r.try_get("stay_id").map_err(err)?,
                    parse_day(&day, "review_day")?,
                ))
            })
            .collect()
    }
}
