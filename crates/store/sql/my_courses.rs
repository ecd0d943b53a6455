//! "Mine forløb": the open courses whose care team a user is on, each with what the sharing
//! rule lets the user's organisation see (the plan's review date, the hospital's facts, the
//! no-show flag), and
//! each citizen shown written to the audit log.

use bro_audit::AuditAction;
use bro_domain::{CitizenId, CourseId, CourseRole, ShareCategory, UserId};
use bro_store::{AuditCtx, AuditEvent, CourseSummary, StoreResult};
use sqlx::Row;

use super::appointment_flags::no_show_flags;
use super::courses::phase_from;
use super::hospital_overview::hospital_flags;
use super::sharing::{Asked, shared_with};
use super::{corrupt, err};
use crate::Backend;

impl Backend {
    pub(super) async fn courses_of_member(
        &self,
        audit: &AuditCtx,
        user: UserId,
    ) -> StoreResult<Vec<CourseSummary>> {
        let mut tx = self.begin_read().await?;
        let plan_shared = shared_with(
            ShareCategory::Plan,
            Asked {
                course: "c.id",
                citizen: "c.citizen_id",
                org: "$3",
                now: "$2",
            },
        );
        let health_shared = shared_with(
            ShareCategory::Health,
            Asked {
                course: "c.id",
                citizen: "c.citizen_id",
                org: "$3",
                now: "$2",
            },
        );
        let rows = sqlx::query(&format!(
            // The sharing rule is evaluated once per course, for the viewer's active
            // organisation; the review date is read only where the plan is shared, the
            // hospital's facts only where health data is.
            "SELECT s.*, CASE WHEN s.plan_shared THEN \
               (SELECT p.review_date FROM plan_versions p WHERE p.course_id = s.id ORDER BY p.version DESC LIMIT 1) END AS review_date \
             FROM (SELECT c.id, c.citizen_id, c.phase, c.phases, c.opened_ms, m.course_role, m.is_coordinator, \
               z.given_name, z.family_name, {plan_shared} AS plan_shared, {health_shared} AS health_shared, \
               (SELECT COUNT(*) FROM course_events e WHERE e.course_id = c.id AND e.kind = 'consent_requested' \
                 AND e.at_ms > COALESCE((SELECT MAX(k.recorded_ms) FROM consents k WHERE k.citizen_id = c.citizen_id), 0)) AS consent_requests \
               FROM care_team_members m JOIN courses c ON c.id = m.course_id JOIN citizens z ON z.id = c.citizen_id \
               WHERE m.user_id = $1 AND m.removed_ms IS NULL AND c.closed_ms IS NULL \
                 AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = m.user_id AND ra.unit_id = m.unit_id)) s \
             ORDER BY s.family_name, s.given_name, s.id"
        ))
        .bind(user.0)
        .bind(audit.at_ms)
        .bind(audit.tenant_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        let mut health = Vec::new();
        for r in &rows {
            let (phase, phases) = phase_from(r, "phase")?;
            let role: String = r.try_get("course_role").map_err(err)?;
            let given: String = r.try_get("given_name").map_err(err)?;
            let family: String = r.try_get("family_name").map_err(err)?;
            let summary = CourseSummary {
                id: CourseId(r.try_get("id").map_err(err)?),
                citizen_id: CitizenId(r.try_get("citizen_id").map_err(err)?),
                citizen_name: format!("{given} {family}"),
                phase,
                phases,
                my_role: CourseRole::parse(&role).ok_or_else(|| corrupt("course role"))?,
                i_coordinate: r.try_get("is_coordinator").map_err(err)?,
                opened_ms: r.try_get("opened_ms").map_err(err)?,
                // What the plan says reaches only those it is shared with, here as on its page.
                review_date: r.try_get("review_date").map_err(err)?,
                plan_shared: r.try_get("plan_shared").map_err(err)?,
                consent_requests: r.try_get("consent_requests").map_err(err)?,
                hospital_now: None,
                readmissions: 0,
                no_shows: 0,
            };
            if r.try_get::<bool, _>("health_shared").map_err(err)? {
                health.push(summary.citizen_id);
            }
            let event = AuditEvent::allowed(AuditAction::CourseListed)
                .subject(summary.citizen_id)
                .object(format!("course:{}", summary.id.0));
            records.push((audit.tenant_id, audit.fields(&event)));
            out.push(summary);
        }
        let listed: Vec<CourseId> = out.iter().map(|c| c.id).collect();
        let no_shows = no_show_flags(&mut tx, &listed, audit.tenant_id, audit.at_ms).await?;
        let flags = hospital_flags(&mut tx, &health, audit.at_ms).await?;
        for c in &mut out {
            c.no_shows = no_shows.get(&c.id).copied().unwrap_or_default();
            if let Some((now, readmissions)) = flags.get(&c.citizen_id) {
                (c.hospital_now, c.readmissions) = (*now, *readmissions);
            }
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }
}
