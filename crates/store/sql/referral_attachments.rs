//! A referral's attachments: kept as uploaded, never changed, each read audited.

use bro_audit::AuditAction;
use bro_domain::CitizenId;
use bro_store::{Attachment, AttachmentInfo, AuditCtx, AuditEvent, StoreError, StoreResult};
use sqlx::Row;

use super::chain::append;
use super::{commit, err};
use crate::Backend;

fn event(action: AuditAction, citizen: i64, referral: i64) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(CitizenId(citizen))
        .object(format!("referral:{referral}:attachment"))
}

impl Backend {
    pub(super) async fn insert_attachment(
        &self,
        audit: &AuditCtx,
        referral: i64,
        file: &Attachment,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM referrals WHERE id = $1")
            .bind(referral)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO referral_attachments (referral_id, name, content_type, bytes, size, added_ms, added_by_user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(referral)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(&file.bytes)
        .bind(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX))
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        let added = event(AuditAction::ReferralAttachmentAdded, citizen, referral);
        append(&mut tx, audit, &added).await?;
        commit(tx).await?;
        Ok(id)
    }

    pub(super) async fn attachment_list(&self, referral: i64) -> StoreResult<Vec<AttachmentInfo>> {
        let rows = sqlx::query(
            "SELECT a.id, a.name, a.content_type, a.size, a.added_ms, COALESCE(u.display_name, '') AS added_by \
             FROM referral_attachments a LEFT JOIN users u ON u.id = a.added_by_user_id \
             WHERE a.referral_id = $1 ORDER BY a.id",
        )
        .bind(referral)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(AttachmentInfo {
                    id: r.try_get("id").map_err(err)?,
                    name: r.try_get("name").map_err(err)?,
                    content_type: r.try_get("content_type").map_err(err)?,
                    size: r.try_get("size").map_err(err)?,
                    added_ms: r.try_get("added_ms").map_err(err)?,
                    added_by: r.try_get("added_by").map_err(err)?,
                })
            })
            .collect()
    }

    pub(super) async fn attachment_file(
        &self,
        audit: &AuditCtx,
        referral: i64,
        id: i64,
    ) -> StoreResult<Attachment> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(
            "SELECT a.name, a.content_type, a.bytes, r.citizen_id FROM referral_attachments a \
             JOIN referrals r ON r.id = a.referral_id WHERE a.id = $1 AND a.referral_id = $2",
        )
        .bind(id)
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let file = Attachment {
            name: row.try_get("name").map_err(err)?,
            content_type: row.try_get("content_type").map_err(err)?,
            bytes: row.try_get("bytes").map_err(err)?,
        };
        let citizen: i64 = row.try_get("citizen_id").map_err(err)?;
        let read = event(AuditAction::ReferralAttachmentRead, citizen, referral);
        self.finish_read(tx, audit, &read).await?;
        Ok(file)
    }
}
