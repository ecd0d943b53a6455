//! No one unlocks their own organisation's access alone. A consent recorded by a member of
//! staff waits for the citizen's or the coordinator's confirmation when it widens what the
//! recorder's own organisation sees (unless the recorder coordinates the citizen's course, or a
//! witness from another organisation is named), or when it re-records, on the same day, what a
//! withdrawal ended.

use bro_domain::local_time::{from_local, to_local};
use bro_domain::{ShareCategory, UserId};
use bro_store::{AuditCtx, NewConsent, StoreResult};
use sqlx::Row;

use super::notices::open_coordinator;
use super::{Tx, err};

/// Whether `new`, recorded in `audit`, waits for a confirmation before it is in force.
pub(super) async fn awaits_confirmation(
    tx: &mut Tx,
    audit: &AuditCtx,
    recorder: UserId,
    new: &NewConsent,
) -> StoreResult<bool> {
    // The citizen's own consent (their acts go into the platform chain) is their own word.
    if audit.tenant_id == bro_audit::PLATFORM_TENANT {
        return Ok(false);
    }
    let coordinator = open_coordinator(tx, new.citizen_id).await?;
    let holder = coordinator.as_ref().map(|c| c.org.0);
    if coordinator.is_some_and(|c| c.user == recorder) {
        return Ok(false);
    }
    let own = audit.tenant_id;
    let widens_own = new.orgs.iter().any(|o| o.0 == own) && holder != Some(own);
    let other_witness = new.witness_org.is_some_and(|o| o.0 != own);
    if widens_own && !other_witness {
        return Ok(true);
    }
    withdrawn_today(tx, audit, new).await
}

/// Whether a consent of the citizen withdrawn today (Danish time) covered one of `new`'s
/// organisations and categories.
async fn withdrawn_today(tx: &mut Tx, audit: &AuditCtx, new: &NewConsent) -> StoreResult<bool> {
    let day_start = from_local(to_local(audit.at_ms).date().midnight());
    let rows = sqlx::query(
        "SELECT c.categories, o.org_id FROM consents c JOIN consent_orgs o ON o.consent_id = c.id \
         WHERE c.citizen_id = $1 AND c.withdrawn_ms >= $2",
    )
    .bind(new.citizen_id.0)
    .bind(day_start)
    .fetch_all(&mut **tx)
    .await
    .map_err(err)?;
    for r in &rows {
        let org: i64 = r.try_get("org_id").map_err(err)?;
        let categories: String = r.try_get("categories").map_err(err)?;
        let categories = bro_domain::course::decode_set(&categories, ShareCategory::parse);
        if new.orgs.iter().any(|o| o.0 == org)
            && new.categories.iter().any(|c| categories.contains(c))
        {
            return Ok(true);
        }
    }
    Ok(false)
}
