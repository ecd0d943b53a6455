//! Referrals: made from a course to an offer, stepped through the closed loop by its receiving
//! unit, each step kept with who, when and why. A step is taken on the version its actor saw,
//! so two deciders at once cannot overwrite each other; the citizen hears of a decision and the
//! referrer of every step by someone else, in the step's own transaction.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::notice::NoticeKind;
use bro_domain::offer::{OfferCategory, OfferLaw, ReferrerKind};
use bro_domain::referral::{ReferralAction, ReferralStatus, ReferralText, Urgency};
use bro_domain::{CitizenId, CourseId, OrgId, UnitId, UserId};
use bro_store::{
    Attachment, AttachmentInfo, AuditCtx, AuditEvent, Conflict, NewReferral, Referral,
    ReferralEvent, ReferralFacts, ReferralStep, ReferralStore, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::notice_mail::mark_citizen_mails;
use super::notices::{About, citizen_users, notify};
use super::{DbRow, Tx, coded, commit, err};
use crate::{Backend, ROW_LOCK};

const FACTS: &str = "r.id, r.course_id, r.citizen_id, f.category AS offer_category, r.receiving_unit_id, \
     r.receiving_org_id, r.referrer_user_id, r.status, r.held_from, r.version";

fn select() -> String {
    format!(
        "SELECT {FACTS}, z.given_name || ' ' || z.family_name AS citizen_name, r.offer_id, f.name AS offer_name, \
         u.name AS receiving_unit, o.name AS receiving_org, ru.display_name AS referrer_name, ro.name AS referrer_org, \
         r.referrer_kind, r.urgency, r.reason, r.tried, r.wishes, r.citizen_agreed, r.created_ms, r.requested_ms, \
         r.decided_ms, du.display_name AS decided_by, r.decision_law, r.decision_reason, r.alternatives \
         FROM referrals r JOIN offers f ON f.id = r.offer_id JOIN citizens z ON z.id = r.citizen_id \
         JOIN units u ON u.id = r.receiving_unit_id JOIN organisations o ON o.id = r.receiving_org_id \
         JOIN users ru ON ru.id = r.referrer_user_id JOIN organisations ro ON ro.id = r.referrer_org_id \
         LEFT JOIN users du ON du.id = r.decided_by_user_id"
    )
}

fn facts_from_row(r: &DbRow) -> StoreResult<ReferralFacts> {
    let category: String = r.try_get("offer_category").map_err(err)?;
    let held: Option<String> = r.try_get("held_from").map_err(err)?;
    Ok(ReferralFacts {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
        offer_category: OfferCategory::parse(&category),
        receiving_unit_id: UnitId(r.try_get("receiving_unit_id").map_err(err)?),
        receiving_org_id: OrgId(r.try_get("receiving_org_id").map_err(err)?),
        referrer_user_id: UserId(r.try_get("referrer_user_id").map_err(err)?),
        status: coded(r, "status", ReferralStatus::parse)?,
        held_from: held.as_deref().and_then(ReferralStatus::parse),
        version: r.try_get("version").map_err(err)?,
    })
}

fn referral_from_row(r: &DbRow) -> StoreResult<Referral> {
    let law: String = r.try_get("decision_law").map_err(err)?;
    let alternatives: String = r.try_get("alternatives").map_err(err)?;
    Ok(Referral {
        facts: facts_from_row(r)?,
        citizen_name: r.try_get("citizen_name").map_err(err)?,
        offer_id: r.try_get("offer_id").map_err(err)?,
        offer_name: r.try_get("offer_name").map_err(err)?,
        receiving_unit: r.try_get("receiving_unit").map_err(err)?,
        receiving_org: r.try_get("receiving_org").map_err(err)?,
        referrer_name: r.try_get("referrer_name").map_err(err)?,
        referrer_org: r.try_get("referrer_org").map_err(err)?,
        referrer_kind: coded(r, "referrer_kind", ReferrerKind::parse)?,
        urgency: coded(r, "urgency", Urgency::parse)?,
        text: ReferralText {
            reason: r.try_get("reason").map_err(err)?,
            tried: r.try_get("tried").map_err(err)?,
            wishes: r.try_get("wishes").map_err(err)?,
        },
        citizen_agreed: r.try_get("citizen_agreed").map_err(err)?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        requested_ms: r.try_get("requested_ms").map_err(err)?,
        decided_ms: r.try_get("decided_ms").map_err(err)?,
        decided_by: r.try_get("decided_by").map_err(err)?,
        decision_law: OfferLaw::parse(&law),
        decision_reason: r.try_get("decision_reason").map_err(err)?,
        alternatives: alternatives
            .split(',')
            .filter_map(|a| a.parse().ok())
            .collect(),
    })
}

fn read_event(r: &Referral, action: AuditAction) -> AuditEvent {
    AuditEvent::allowed(action)
        .subject(r.facts.citizen_id)
        .object(format!("referral:{}", r.facts.id))
}

/// Writes one step of referral `id`'s history.
async fn record_step(
    tx: &mut Tx,
    audit: &AuditCtx,
    id: i64,
    action: ReferralAction,
    from: Option<ReferralStatus>,
    to: ReferralStatus,
    note: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO referral_events (referral_id, at_ms, user_id, org_id, action, from_status, to_status, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(audit.at_ms)
    .bind(audit.actor_user_id.map(|u| u.0))
    .bind((audit.tenant_id != bro_audit::PLATFORM_TENANT).then_some(audit.tenant_id))
    .bind(action.as_str())
    .bind(from.map(ReferralStatus::as_str))
    .bind(to.as_str())
    .bind(note)
    .execute(&mut **tx)
    .await
    .map_err(err)?;
    Ok(())
}

async fn listed(
    backend: &Backend,
    audit: &AuditCtx,
    sql: &str,
    bind: i64,
) -> StoreResult<Vec<Referral>> {
    let mut tx = backend.begin_read().await?;
    let rows = sqlx::query(sql)
        .bind(bind)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
    let referrals = rows
        .iter()
        .map(referral_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let records = referrals
        .iter()
        .map(|r| {
            (
                audit.tenant_id,
                audit.fields(&read_event(r, AuditAction::ReferralsListed)),
            )
        })
        .collect();
    backend.finish_read_many(tx, records).await?;
    Ok(referrals)
}

#[async_trait]
impl ReferralStore for Backend {
    async fn create_referral(&self, audit: &AuditCtx, new: &NewReferral) -> StoreResult<i64> {
        let referrer = audit
            .actor_user_id
            .ok_or_else(|| StoreError::Corrupt("a referral is made by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT c.citizen_id, f.unit_id, f.org_id FROM courses c, offers f WHERE c.id = $1 AND f.id = $2",
        )
        .bind(new.course_id.0)
        .bind(new.offer_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let citizen: i64 = row.try_get("citizen_id").map_err(err)?;
        let status = if new.citizen_agreed {
            ReferralStatus::Requested
        } else {
            ReferralStatus::Draft
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO referrals (course_id, citizen_id, offer_id, receiving_unit_id, receiving_org_id, referrer_user_id, \
             referrer_org_id, referrer_kind, status, urgency, reason, tried, wishes, citizen_agreed, created_ms, requested_ms, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) RETURNING id",
        )
        .bind(new.course_id.0)
        .bind(citizen)
        .bind(new.offer_id)
        .bind(row.try_get::<i64, _>("unit_id").map_err(err)?)
        .bind(row.try_get::<i64, _>("org_id").map_err(err)?)
        .bind(referrer.0)
        .bind(audit.tenant_id)
        .bind(new.referrer_kind.as_str())
        .bind(status.as_str())
        .bind(new.urgency.as_str())
        .bind(new.text.reason.trim())
        .bind(new.text.tried.trim())
        .bind(new.text.wishes.trim())
        .bind(new.citizen_agreed)
        .bind(audit.at_ms)
        .bind(new.citizen_agreed.then_some(audit.at_ms))
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        record_step(&mut tx, audit, id, ReferralAction::Create, None, status, "").await?;
        let event = AuditEvent::allowed(AuditAction::ReferralCreated)
            .subject(CitizenId(citizen))
            .object(format!("referral:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn add_attachment(
        &self,
        audit: &AuditCtx,
        referral: i64,
        file: &Attachment,
    ) -> StoreResult<i64> {
        self.insert_attachment(audit, referral, file).await
    }

    async fn attachments(&self, referral: i64) -> StoreResult<Vec<AttachmentInfo>> {
        self.attachment_list(referral).await
    }

    async fn attachment(
        &self,
        audit: &AuditCtx,
        referral: i64,
        id: i64,
    ) -> StoreResult<Attachment> {
        self.attachment_file(audit, referral, id).await
    }

    async fn referral_facts(&self, id: i64) -> StoreResult<ReferralFacts> {
        let row = sqlx::query(&format!(
            "SELECT {FACTS} FROM referrals r JOIN offers f ON f.id = r.offer_id WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        facts_from_row(&row)
    }

    async fn referral(
        &self,
        audit: &AuditCtx,
        id: i64,
    ) -> StoreResult<(Referral, Vec<ReferralEvent>)> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(&format!("{} WHERE r.id = $1", select()))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let referral = referral_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT e.at_ms, COALESCE(u.display_name, '') AS who, COALESCE(o.name, '') AS org, e.action, e.from_status, \
             e.to_status, e.note FROM referral_events e LEFT JOIN users u ON u.id = e.user_id \
             LEFT JOIN organisations o ON o.id = e.org_id WHERE e.referral_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut events = Vec::with_capacity(rows.len());
        for r in &rows {
            let from: Option<String> = r.try_get("from_status").map_err(err)?;
            events.push(ReferralEvent {
                at_ms: r.try_get("at_ms").map_err(err)?,
                who: r.try_get("who").map_err(err)?,
                org: r.try_get("org").map_err(err)?,
                action: coded(r, "action", ReferralAction::parse)?,
                from: from.as_deref().and_then(ReferralStatus::parse),
                to: coded(r, "to_status", ReferralStatus::parse)?,
                note: r.try_get("note").map_err(err)?,
            });
        }
        let event = read_event(&referral, AuditAction::ReferralRead);
        self.finish_read(tx, audit, &event).await?;
        Ok((referral, events))
    }

    async fn step_referral(
        &self,
        audit: &AuditCtx,
        id: i64,
        step: &ReferralStep,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {FACTS} FROM referrals r JOIN offers f ON f.id = r.offer_id WHERE r.id = $1{ROW_LOCK}"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let facts = facts_from_row(&row)?;
        if facts.version != step.base_version {
            return Err(StoreError::Conflict(Conflict::Referral));
        }
        let held_from = match step.to {
            ReferralStatus::OnHold => Some(facts.status),
            _ => None,
        };
        // Confirmed by the citizen: it reaches the receiving unit now.
        let requested = step.to == ReferralStatus::Requested;
        sqlx::query(
            "UPDATE referrals SET status = $1, held_from = $2, version = version + 1, \
             requested_ms = COALESCE(requested_ms, $3), citizen_agreed = (citizen_agreed OR $4) WHERE id = $5",
        )
        .bind(step.to.as_str())
        .bind(held_from.map(ReferralStatus::as_str))
        .bind(requested.then_some(audit.at_ms))
        .bind(requested)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if let Some(d) = &step.decision {
            let alternatives: Vec<String> = d.alternatives.iter().map(i64::to_string).collect();
            sqlx::query(
                "UPDATE referrals SET decided_ms = $1, decided_by_user_id = $2, decision_law = $3, decision_reason = $4, \
                 alternatives = $5 WHERE id = $6",
            )
            .bind(audit.at_ms)
            .bind(audit.actor_user_id.map(|u| u.0))
            .bind(d.law.map(OfferLaw::as_str).unwrap_or_default())
            .bind(step.note.trim())
            .bind(alternatives.join(","))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        }
        record_step(
            &mut tx,
            audit,
            id,
            step.action,
            Some(facts.status),
            step.to,
            step.note.trim(),
        )
        .await?;
        let about = |kind| About {
            kind,
            citizen: Some(facts.citizen_id),
            course: Some(facts.course_id),
            offer: None,
            referral: Some(id),
            org: Some(facts.receiving_org_id),
            detail: step.to.as_str(),
        };
        notify(
            &mut tx,
            audit,
            &[facts.referrer_user_id],
            &about(NoticeKind::ReferralChanged),
        )
        .await?;
        if step.decision.is_some() {
            let citizen = citizen_users(&mut tx, facts.citizen_id).await?;
            notify(
                &mut tx,
                audit,
                &citizen,
                &about(NoticeKind::ReferralDecided),
            )
            .await?;
            mark_citizen_mails(&mut tx, audit.at_ms, id).await?;
        }
        let event = AuditEvent::allowed(AuditAction::ReferralStepped)
            .subject(facts.citizen_id)
            .object(format!("referral:{id}:{}", step.action.as_str()));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn course_referrals(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        visible: &[OfferCategory],
        own: UserId,
    ) -> StoreResult<Vec<Referral>> {
        // The categories are codes of a closed set, never text from a request.
        let mut codes: Vec<String> = visible
            .iter()
            .map(|c| format!("'{}'", c.as_str()))
            .collect();
        codes.push("'-'".to_owned()); // never empty: IN () is not SQL
        let sql = format!(
            "{} WHERE r.course_id = $1 AND (r.referrer_user_id = {} OR f.category IN ({})) ORDER BY r.id DESC",
            select(),
            own.0,
            codes.join(", ")
        );
        listed(self, audit, &sql, course.0).await
    }

    async fn citizen_referrals(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
    ) -> StoreResult<Vec<Referral>> {
        let sql = format!("{} WHERE r.citizen_id = $1 ORDER BY r.id DESC", select());
        listed(self, audit, &sql, citizen.0).await
    }

    async fn referral_queue(&self, audit: &AuditCtx, unit: UnitId) -> StoreResult<Vec<Referral>> {
        // The most urgent first (asap, urgent, routine), then the one waiting longest.
        let sql = format!(
            "{} WHERE r.receiving_unit_id = $1 AND r.status IN ('requested', 'received', 'accepted', 'in_progress', 'on_hold') \
             ORDER BY CASE r.urgency WHEN 'asap' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, r.requested_ms, r.id",
            select()
        );
        listed(self, audit, &sql, unit.0).await
    }
}
