//! The no-show flag a list of courses shows: "2 udeblivelser på 60 dage", counting only the
//! no-shows the viewer's organisation may see (its own bookings, and the categories shared
//! with it) that no follow-up has answered.

use bro_domain::appointment::{
    AppointmentKind, NO_SHOW_WINDOW_MS, NO_SHOWS_FLAGGED, no_shows_unanswered, share_category,
};
use bro_domain::{CourseId, ShareCategory, Timestamp};
use bro_store::StoreResult;
use sqlx::Row;
use std::collections::HashMap;

use super::rows::rows_in;
use super::sharing::{Asked, shared_with};
use super::{Tx, coded, err};

/// A no-show on a listed course: who booked it, its kind, start and when it was recorded.
struct NoShow {
    org: i64,
    kind: AppointmentKind,
    start: Timestamp,
    recorded: Timestamp,
}

/// Per course of `courses`, the unanswered no-shows in the last 60 days that `org` may see,
/// where there are enough to flag it.
pub(super) async fn no_show_flags(
    tx: &mut Tx,
    courses: &[CourseId],
    org: i64,
    now: Timestamp,
) -> StoreResult<HashMap<CourseId, usize>> {
    let ids: Vec<i64> = courses.iter().map(|c| c.0).collect();
    let sql = format!(
        "SELECT a.course_id, a.org_id, a.kind, a.starts_ms, a.attendance_ms, \
         (SELECT MAX(f.recorded_ms) FROM no_show_follow_ups f WHERE f.course_id = a.course_id) AS answered \
         FROM appointments a WHERE a.attendance = 'no_show' AND a.starts_ms > {} AND a.course_id IN ({{}})",
        now - NO_SHOW_WINDOW_MS
    );
    let mut found: HashMap<CourseId, (Option<Timestamp>, Vec<NoShow>)> = HashMap::new();
    for r in rows_in(tx, &sql, &[], &ids).await? {
        let course = CourseId(r.try_get("course_id").map_err(err)?);
        let entry = found.entry(course).or_default();
        entry.0 = r.try_get("answered").map_err(err)?;
        entry.1.push(NoShow {
            org: r.try_get("org_id").map_err(err)?,
            kind: coded(&r, "kind", AppointmentKind::parse)?,
            start: r.try_get("starts_ms").map_err(err)?,
            recorded: r
                .try_get::<Option<i64>, _>("attendance_ms")
                .map_err(err)?
                .unwrap_or_default(),
        });
    }
    let mut flags = HashMap::new();
    for (course, (answered, shows)) in found {
        let all: Vec<_> = shows.iter().map(|s| (s.start, s.recorded)).collect();
        // Too few to flag even if every one were visible: no need to ask the sharing rule.
        if no_shows_unanswered(&all, answered, now) < NO_SHOWS_FLAGGED {
            continue;
        }
        let shared = shared_categories(tx, course, org, now).await?;
        let seen: Vec<_> = shows
            .iter()
            .filter(|s| s.org == org || shared.contains(&share_category(s.kind)))
            .map(|s| (s.start, s.recorded))
            .collect();
        let count = no_shows_unanswered(&seen, answered, now);
        if count >= NO_SHOWS_FLAGGED {
            flags.insert(course, count);
        }
    }
    Ok(flags)
}

/// The categories an appointment can be of that are shared with `org` on `course`.
async fn shared_categories(
    tx: &mut Tx,
    course: CourseId,
    org: i64,
    now: Timestamp,
) -> StoreResult<Vec<ShareCategory>> {
    let categories: Vec<ShareCategory> = {
        let mut c: Vec<_> = AppointmentKind::ALL
            .iter()
            .map(|k| share_category(*k))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let asked = || Asked {
        course: "c.id",
        citizen: "c.citizen_id",
        org: "$2",
        now: "$3",
    };
    let columns: Vec<String> = categories
        .iter()
        .map(|c| format!("{} AS {}", shared_with(*c, asked()), c.as_str()))
        .collect();
    let sql = format!(
        "SELECT {} FROM courses c WHERE c.id = $1",
        columns.join(", ")
    );
    let row = sqlx::query(&sql)
        .bind(course.0)
        .bind(org)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
    let mut shared = Vec::new();
    for c in categories {
        if row.try_get::<bool, _>(c.as_str()).map_err(err)? {
            shared.push(c);
        }
    }
    Ok(shared)
}
