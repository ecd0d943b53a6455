//! Reading escort requests: the latest one of each appointment (for the course's calendar and
//! the citizen's own), and what waits for an escort service, each citizen shown audited.

use bro_audit::AuditAction;
use bro_domain::escort::EscortStatus;
use bro_domain::{CitizenId, UnitId};
use bro_store::{
    Appointment, AuditCtx, AuditEvent, EscortList, EscortListItem, EscortPlan, EscortRequest,
    StoreResult,
};
use sqlx::Row;
use std::collections::HashMap;

use super::rows::rows_in;
use super::{DbRow, Tx, coded, err};
use crate::Backend;

/// The columns [`request_from`] reads, of `escort_requests e` joined as in [`JOINS`].
pub(super) const COLUMNS: &str = "e.id, e.appointment_id, e.unit_id, \
     eu.name || ', ' || eo.name AS escort_unit, ru.display_name AS requested_by, \
     ru.kind AS requester_kind, e.note, e.requested_ms, e.status, e.answered_ms, \
     e.answered_version, e.escort_name, e.meeting_point, e.meeting_ms, e.decline_reason, \
     e.minutes_spent";
pub(super) const JOINS: &str = "escort_requests e JOIN units eu ON eu.id = e.unit_id \
     JOIN organisations eo ON eo.id = eu.org_id JOIN users ru ON ru.id = e.requested_by_user_id";

fn request_from(r: &DbRow) -> StoreResult<EscortRequest> {
    let status = coded(r, "status", EscortStatus::parse)?;
    let answered_ms: Option<i64> = r.try_get("answered_ms").map_err(err)?;
    let answered_version: Option<i64> = r.try_get("answered_version").map_err(err)?;
    let plan = match status {
        EscortStatus::Accepted => Some(EscortPlan {
            escort: r
                .try_get::<Option<String>, _>("escort_name")
                .map_err(err)?
                .unwrap_or_default(),
            meeting_point: r
                .try_get::<Option<String>, _>("meeting_point")
                .map_err(err)?
                .unwrap_or_default(),
            meeting_ms: r
                .try_get::<Option<i64>, _>("meeting_ms")
                .map_err(err)?
                .unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(EscortRequest {
        id: r.try_get("id").map_err(err)?,
        appointment_id: r.try_get("appointment_id").map_err(err)?,
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("escort_unit").map_err(err)?,
        requested_by: r.try_get("requested_by").map_err(err)?,
        by_citizen: r.try_get::<String, _>("requester_kind").map_err(err)? == "citizen",
        note: r.try_get("note").map_err(err)?,
        requested_ms: r.try_get("requested_ms").map_err(err)?,
        status,
        answered: answered_ms.zip(answered_version),
        plan,
        decline_reason: r.try_get("decline_reason").map_err(err)?,
        minutes_spent: r.try_get("minutes_spent").map_err(err)?,
    })
}

/// Fills in each appointment's latest escort request, in one read.
pub(super) async fn with_escorts(tx: &mut Tx, appointments: &mut [Appointment]) -> StoreResult<()> {
    let ids: Vec<i64> = appointments.iter().map(|a| a.id).collect();
    let sql =
        format!("SELECT {COLUMNS} FROM {JOINS} WHERE e.appointment_id IN ({{}}) ORDER BY e.id");
    let mut latest: HashMap<i64, EscortRequest> = HashMap::new();
    for r in rows_in(tx, &sql, &[], &ids).await? {
        let request = request_from(&r)?;
        latest.insert(request.appointment_id, request);
    }
    for a in appointments {
        a.escort = latest.remove(&a.id);
    }
    Ok(())
}

/// The appointment columns an escort service sees: its time and place, not its kind.
const SEEN: &str = "a.starts_ms, a.ends_ms, a.place, a.video_url IS NOT NULL AS video, \
     a.cancelled_ms, a.version, a.citizen_id, z.given_name || ' ' || z.family_name AS citizen_name";

fn item_from(r: &DbRow) -> StoreResult<EscortListItem> {
    Ok(EscortListItem {
        request: request_from(r)?,
        citizen_name: r.try_get("citizen_name").map_err(err)?,
        starts_ms: r.try_get("starts_ms").map_err(err)?,
        ends_ms: r.try_get("ends_ms").map_err(err)?,
        place: r.try_get("place").map_err(err)?,
        video: r.try_get("video").map_err(err)?,
        cancelled: r
            .try_get::<Option<i64>, _>("cancelled_ms")
            .map_err(err)?
            .is_some(),
        version: r.try_get("version").map_err(err)?,
    })
}

/// The request joined with its appointment and citizen, for [`item_from`].
fn item_query() -> String {
    format!(
        "SELECT {COLUMNS}, {SEEN} FROM {JOINS} JOIN appointments a ON a.id = e.appointment_id \
         JOIN citizens z ON z.id = a.citizen_id"
    )
}

fn listed(audit: &AuditCtx, r: &DbRow, id: i64) -> StoreResult<(i64, bro_audit::AuditFields)> {
    let citizen = CitizenId(r.try_get("citizen_id").map_err(err)?);
    let event = AuditEvent::allowed(AuditAction::EscortsListed)
        .subject(citizen)
        .object(format!("escort:{id}"));
    Ok((audit.tenant_id, audit.fields(&event)))
}

impl Backend {
    pub(super) async fn read_escort_request(
        &self,
        audit: &AuditCtx,
        id: i64,
    ) -> StoreResult<EscortListItem> {
        let mut tx = self.begin_read().await?;
        let sql = format!("{} WHERE e.id = $1", item_query());
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(bro_store::StoreError::NotFound)?;
        let item = item_from(&row)?;
        let record = listed(audit, &row, id)?;
        self.finish_read_many(tx, vec![record]).await?;
        Ok(item)
    }

    pub(super) async fn read_escort_list(
        &self,
        audit: &AuditCtx,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<EscortList> {
        let mut tx = self.begin_read().await?;
        let from = item_query();
        // Open requests for appointments still ahead; one for a past or cancelled appointment
        // needs no answer any more.
        let open = format!(
            "{from} WHERE e.unit_id = $1 AND e.status = 'open' AND a.cancelled_ms IS NULL \
             AND a.starts_ms > $3 ORDER BY e.requested_ms, e.id LIMIT $2"
        );
        // Accepted escorts until their time is recorded; a cancelled one until its time passed.
        let accepted = format!(
            "{from} WHERE e.unit_id = $1 AND e.status = 'accepted' AND e.minutes_spent IS NULL \
             AND (a.cancelled_ms IS NULL OR a.starts_ms > $3) ORDER BY a.starts_ms, e.id LIMIT $2"
        );
        let open = sqlx::query(&open)
            .bind(unit.0)
            .bind(limit)
            .bind(audit.at_ms)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let accepted = sqlx::query(&accepted)
            .bind(unit.0)
            .bind(limit)
            .bind(audit.at_ms)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let mut list = EscortList::default();
        let mut records = Vec::new();
        for (rows, into) in [(open, &mut list.open), (accepted, &mut list.accepted)] {
            for r in &rows {
                let item = item_from(r)?;
                records.push(listed(audit, r, item.request.id)?);
                into.push(item);
            }
        }
        self.finish_read_many(tx, records).await?;
        Ok(list)
    }
}
