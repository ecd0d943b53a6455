//! What keeping hospital messages reads, below the batch that reads it and the messages it
//! applies: a kept message's notification, and citizens by CPR number.

use bro_domain::CitizenId;
use bro_domain::hospital::{Activity, Notification};
use bro_store::StoreResult;
use sqlx::Row;

use super::rows::rows_in;
use super::{DbRow, coded, err};

/// A kept message's facts, as columns of `hospital_messages`.
pub(super) const FACTS: &str =
    "activity, recorded_ms, start_ms, end_ms, leave_from_ms, leave_to_ms, hospital";

/// The notification a kept message's row (`message_id` and [`FACTS`]) carries.
pub(super) fn notification(r: &DbRow) -> StoreResult<Notification> {
    let leave_from: Option<i64> = r.try_get("leave_from_ms").map_err(err)?;
    let leave_to: Option<i64> = r.try_get("leave_to_ms").map_err(err)?;
    Ok(Notification {
        message_id: r
            .try_get::<Option<String>, _>("message_id")
            .map_err(err)?
            .unwrap_or_default(),
        recorded: r.try_get("recorded_ms").map_err(err)?,
        activity: coded(r, "activity", Activity::parse)?,
        start: r.try_get("start_ms").map_err(err)?,
        end: r.try_get("end_ms").map_err(err)?,
        leave: leave_from.map(|from| (from, leave_to)),
        unit: r.try_get("hospital").map_err(err)?,
    })
}

/// The citizens with these compact CPR numbers, those Bro has: (number, citizen).
pub(super) async fn citizens_with(
    conn: &mut <crate::Db as sqlx::Database>::Connection,
    cprs: &[String],
) -> StoreResult<Vec<(String, CitizenId)>> {
    let sql = "SELECT id, cpr FROM citizens WHERE cpr IN ({})";
    rows_in(conn, sql, &[], cprs)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("cpr").map_err(err)?,
                CitizenId(r.try_get("id").map_err(err)?),
            ))
        })
        .collect()
}
