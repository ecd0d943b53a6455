//! Courses of care: opening, reading, phases, closing and frame, the helpers every change to a
//! course uses (its lock, its timeline event and audit record), and the team member rows that
//! opening and reading a course need.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::course::{decode_set, encode_set};
use bro_domain::notice::NoticeKind;
use bro_domain::{
    CitizenId, CourseId, CourseRole, Cpr, LegalFrame, MemberId, OrgId, PhaseScheme, ShareCategory,
    TargetGroup, UserId,
};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, Course, CourseAccess, CourseEvent, CourseStore, CourseSummary,
    Member, NetworkMember, NewCourse, NewMember, StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::notices::{About, notify};
use super::{Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db, ROW_LOCK};

pub(super) async fn course_event(
    tx: &mut Tx,
    audit: &AuditCtx,
    course: CourseId,
    kind: &str,
    detail: &str,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO course_events (course_id, at_ms, actor_user_id, kind, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(course.0)
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(kind)
        .bind(detail)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    Ok(())
}

/// A change to a course: its timeline entry (`kind`, `detail`) and its audit record, in the
/// transaction of the change itself.
pub(super) async fn record_change(
    tx: &mut Tx,
    audit: &AuditCtx,
    course: CourseId,
    citizen: CitizenId,
    (kind, detail): (&str, &str),
    action: AuditAction,
    object: String,
) -> StoreResult<()> {
    course_event(tx, audit, course, kind, detail).await?;
    append(
        tx,
        audit,
        &AuditEvent::allowed(action).subject(citizen).object(object),
    )
    .await
}

/// The citizen of a course, for the audit record's subject; NotFound when there is no course.
pub(super) async fn course_citizen(
    tx: &mut Tx,
    course: CourseId,
) -> StoreResult<(CitizenId, bool)> {
    course_row(tx, course, "").await
}

/// Like [`course_citizen`], and locks the course row for the rest of the transaction, so that
/// changes to one course (team, coordinator, closing, plan) happen one after the other.
pub(super) async fn lock_course(tx: &mut Tx, course: CourseId) -> StoreResult<(CitizenId, bool)> {
    course_row(tx, course, ROW_LOCK).await
}

/// Locks a course that must still be open; `Conflict::Closed` when it is closed.
pub(super) async fn lock_open_course(tx: &mut Tx, course: CourseId) -> StoreResult<CitizenId> {
    match lock_course(tx, course).await? {
        (_, true) => Err(StoreError::Conflict(Conflict::Closed)),
        (citizen, false) => Ok(citizen),
    }
}

async fn course_row(tx: &mut Tx, course: CourseId, lock: &str) -> StoreResult<(CitizenId, bool)> {
    let sql = format!("SELECT citizen_id, closed_ms FROM courses WHERE id = $1{lock}");
    let row = sqlx::query(&sql)
        .bind(course.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
    let closed: Option<i64> = row.try_get("closed_ms").map_err(err)?;
    Ok((
        CitizenId(row.try_get("citizen_id").map_err(err)?),
        closed.is_some(),
    ))
}

/// Seats a member on a course's team, with its timeline entry. Here with the course, not the
/// care team: opening a course seats its coordinator with it, and the care team adds members
/// on top of courses, never the other way round.
pub(super) async fn insert_member(
    tx: &mut Tx,
    audit: &AuditCtx,
    course: CourseId,
    m: &NewMember,
    coordinator: bool,
) -> StoreResult<MemberId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO care_team_members (course_id, user_id, org_id, unit_id, course_role, fixed, is_coordinator, \
         contact_phone, contact_mail, contact_hours, added_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(course.0)
    .bind(m.user_id.0)
    .bind(m.org_id.0)
    .bind(m.unit_id.0)
    .bind(m.role.as_str())
    .bind(m.fixed)
    .bind(coordinator)
    .bind(&m.phone)
    .bind(&m.mail)
    .bind(&m.hours)
    .bind(audit.at_ms)
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err(Conflict::Member))?;
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(m.user_id.0)
        .fetch_one(&mut **tx)
        .await
        .map_err(err)?;
    course_event(tx, audit, course, "member_added", &name).await?;
    Ok(MemberId(id))
}

/// A team member as the course page and the care team show it. Here for the same reason as
/// [`insert_member`]: reading a course lists its team.
pub(super) fn member_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Member> {
    let role: String = r.try_get("course_role").map_err(err)?;
    Ok(Member {
        id: MemberId(r.try_get("id").map_err(err)?),
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        name: r.try_get("display_name").map_err(err)?,
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        org_name: r.try_get("org_name").map_err(err)?,
        unit_name: r.try_get("unit_name").map_err(err)?,
        role: CourseRole::parse(&role).ok_or_else(|| corrupt("course role"))?,
        fixed: r.try_get("fixed").map_err(err)?,
        is_coordinator: r.try_get("is_coordinator").map_err(err)?,
        phone: r.try_get("contact_phone").map_err(err)?,
        mail: r.try_get("contact_mail").map_err(err)?,
        hours: r.try_get("contact_hours").map_err(err)?,
        added_ms: r.try_get("added_ms").map_err(err)?,
    })
}

/// The `phases` column: NULL for the default phases, else the own names as JSON.
pub(super) fn scheme_from(r: &<Db as sqlx::Database>::Row) -> StoreResult<PhaseScheme> {
    let phases: Option<String> = r.try_get("phases").map_err(err)?;
    PhaseScheme::from_json(phases.as_deref()).map_err(|_| corrupt("phases"))
}

/// When the citizen's last course was held by another organisation, the new one needs a
/// reason: it goes on the new course's timeline and to that course's coordinator.
async fn handover(
    tx: &mut Tx,
    audit: &AuditCtx,
    new: &NewCourse,
    course: CourseId,
) -> StoreResult<()> {
    let last = sqlx::query(
        "SELECT c.id, m.user_id, m.org_id FROM courses c JOIN care_team_members m ON m.course_id = c.id \
         AND m.is_coordinator AND m.removed_ms IS NULL WHERE c.citizen_id = $1 AND c.closed_ms IS NOT NULL \
         ORDER BY c.closed_ms DESC, c.id DESC LIMIT 1",
    )
    .bind(new.citizen_id.0)
    .fetch_optional(&mut **tx)
    .await
    .map_err(err)?;
    let Some(last) = last else { return Ok(()) };
    let org: i64 = last.try_get("org_id").map_err(err)?;
    if org == new.coordinator.org_id.0 {
        return Ok(());
    }
    let reason = match new.handover_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => r,
        _ => return Err(StoreError::Conflict(Conflict::HandoverReason)),
    };
    course_event(tx, audit, course, "handover", reason).await?;
    let about = About {
        kind: NoticeKind::CourseOpenedElsewhere,
        citizen: Some(new.citizen_id),
        course: Some(CourseId(last.try_get("id").map_err(err)?)),
        offer: None,
        referral: None,
        org: Some(new.coordinator.org_id),
        detail: reason,
    };
    let coordinator = UserId(last.try_get("user_id").map_err(err)?);
    notify(tx, audit, &[coordinator], &about).await
}

/// A course's phase and the scheme it belongs to, checked against each other.
pub(super) fn phase_from(
    r: &<Db as sqlx::Database>::Row,
    column: &str,
) -> StoreResult<(String, PhaseScheme)> {
    let scheme = scheme_from(r)?;
    let phase: String = r.try_get(column).map_err(err)?;
    if !scheme.contains(&phase) {
        return Err(corrupt("phase"));
    }
    Ok((phase, scheme))
}

#[async_trait]
impl CourseStore for Backend {
    async fn open_course(&self, audit: &AuditCtx, new: NewCourse) -> StoreResult<CourseId> {
        let mut tx = self.begin_write().await?;
        // The course copies its collaboration's phases, which must include the coordinator's
        // organisation.
        let phases: Option<String> = match new.collaboration {
            None => None,
            Some(c) => Some(
                sqlx::query_scalar(
                    "SELECT c.phases FROM collaborations c JOIN collaboration_orgs o ON o.collaboration_id = c.id \
                     WHERE c.id = $1 AND o.org_id = $2",
                )
                .bind(c.0)
                .bind(new.coordinator.org_id.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(err)?
                .ok_or(StoreError::NotFound)?,
            ),
        };
        let first = PhaseScheme::from_json(phases.as_deref())
            .map_err(|_| corrupt("phases"))?
            .first();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO courses (citizen_id, phase, target_groups, legal_frames, opened_ms, collaboration_id, phases) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(&first)
        .bind(encode_set(&new.target_groups, TargetGroup::as_str))
        .bind(encode_set(&new.legal_frames, LegalFrame::as_str))
        .bind(audit.at_ms)
        .bind(new.collaboration.map(|c| c.0))
        .bind(phases)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::OpenCourse))?;
        let course = CourseId(id);
        course_event(&mut tx, audit, course, "opened", &first).await?;
        handover(&mut tx, audit, &new, course).await?;
        insert_member(&mut tx, audit, course, &new.coordinator, true).await?;
        let event = AuditEvent::allowed(AuditAction::CourseOpened)
            .subject(new.citizen_id)
            .object(format!("course:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(course)
    }

    async fn course_access(&self, course: CourseId, user: UserId) -> StoreResult<CourseAccess> {
        let row = sqlx::query(
            "SELECT c.citizen_id, c.closed_ms, m.id AS member_id, m.is_coordinator, \
             (SELECT h.org_id FROM care_team_members h WHERE h.course_id = c.id AND h.is_coordinator AND h.removed_ms IS NULL) AS holder_org \
             FROM courses c \
             LEFT JOIN care_team_members m ON m.course_id = c.id AND m.user_id = $2 AND m.removed_ms IS NULL \
               AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = m.user_id AND ra.unit_id = m.unit_id) \
             WHERE c.id = $1",
        )
        .bind(course.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let closed: Option<i64> = row.try_get("closed_ms").map_err(err)?;
        let member: Option<i64> = row.try_get("member_id").map_err(err)?;
        let coordinator: Option<bool> = row.try_get("is_coordinator").map_err(err)?;
        Ok(CourseAccess {
            course_id: course,
            citizen_id: CitizenId(row.try_get("citizen_id").map_err(err)?),
            closed: closed.is_some(),
            membership: member.map(|m| (MemberId(m), coordinator.unwrap_or(false))),
            holder_org: row
                .try_get::<Option<i64>, _>("holder_org")
                .map_err(err)?
                .map(OrgId),
            emergency: false,
        })
    }

    async fn course(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Course> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(
            "SELECT c.*, z.cpr, z.given_name, z.family_name, k.name AS collaboration_name FROM courses c \
             JOIN citizens z ON z.id = c.citizen_id LEFT JOIN collaborations k ON k.id = c.collaboration_id WHERE c.id = $1",
        )
        .bind(course.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let citizen_id = CitizenId(row.try_get("citizen_id").map_err(err)?);
        let given: String = row.try_get("given_name").map_err(err)?;
        let family: String = row.try_get("family_name").map_err(err)?;
        let cpr: String = row.try_get("cpr").map_err(err)?;
        let (phase, phases) = phase_from(&row, "phase")?;
        let targets: String = row.try_get("target_groups").map_err(err)?;
        let frames: String = row.try_get("legal_frames").map_err(err)?;
        let team = sqlx::query(
            "SELECT m.*, u.display_name, o.name AS org_name, un.name AS unit_name FROM care_team_members m \
             JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.org_id JOIN units un ON un.id = m.unit_id \
             WHERE m.course_id = $1 AND m.removed_ms IS NULL ORDER BY m.is_coordinator DESC, m.fixed DESC, u.display_name",
        )
        .bind(course.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        // The network is the citizen's now, not the course's: a closed course shows none.
        let network_rows = sqlx::query(
            "SELECT n.id, n.name, n.relation, n.phone, n.may_see, n.user_id FROM network_members n \
             JOIN courses c ON c.id = $2 AND c.closed_ms IS NULL \
             WHERE n.citizen_id = $1 AND n.removed_ms IS NULL ORDER BY n.name, n.id",
        )
        .bind(citizen_id.0)
        .bind(course.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let network = network_rows
            .iter()
            .map(|r| {
                let may_see: String = r.try_get("may_see").map_err(err)?;
                Ok(NetworkMember {
                    id: r.try_get("id").map_err(err)?,
                    name: r.try_get("name").map_err(err)?,
                    relation: r.try_get("relation").map_err(err)?,
                    phone: r.try_get("phone").map_err(err)?,
                    may_see: decode_set(&may_see, ShareCategory::parse),
                    has_login: r
                        .try_get::<Option<i64>, _>("user_id")
                        .map_err(err)?
                        .is_some(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let events = sqlx::query(
            "SELECT e.at_ms, e.kind, e.detail, u.display_name FROM course_events e LEFT JOIN users u ON u.id = e.actor_user_id \
             WHERE e.course_id = $1 ORDER BY e.at_ms DESC, e.id DESC",
        )
        .bind(course.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let timeline = events
            .iter()
            .map(|r| {
                Ok(CourseEvent {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    actor_name: r.try_get("display_name").map_err(err)?,
                    kind: r.try_get("kind").map_err(err)?,
                    detail: r.try_get("detail").map_err(err)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let result = Course {
            id: course,
            citizen_id,
            citizen_name: format!("{given} {family}"),
            citizen_cpr: Cpr::parse(&cpr).map_err(|_| corrupt("cpr"))?,
            phase,
            phases,
            collaboration_name: row.try_get("collaboration_name").map_err(err)?,
            target_groups: decode_set(&targets, TargetGroup::parse),
            legal_frames: decode_set(&frames, LegalFrame::parse),
            opened_ms: row.try_get("opened_ms").map_err(err)?,
            closed_ms: row.try_get("closed_ms").map_err(err)?,
            close_reason: row.try_get("close_reason").map_err(err)?,
            next_step: row.try_get("next_step").map_err(err)?,
            team: team
                .iter()
                .map(member_from_row)
                .collect::<StoreResult<_>>()?,
            network,
            timeline,
        };
        let event = AuditEvent::allowed(AuditAction::CourseRead)
            .subject(citizen_id)
            .object(format!("course:{}", course.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(result)
    }

    async fn my_courses(&self, audit: &AuditCtx, user: UserId) -> StoreResult<Vec<CourseSummary>> {
        self.courses_of_member(audit, user).await
    }

    async fn move_phase(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        from: &str,
        to: &str,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        let done = sqlx::query(
            "UPDATE courses SET phase = $1 WHERE id = $2 AND phase = $3 AND closed_ms IS NULL",
        )
        .bind(to)
        .bind(course.0)
        .bind(from)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Phase));
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("phase", to),
            AuditAction::CoursePhaseChanged,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }

    async fn close_course(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        reason: String,
        next_step: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        let done = sqlx::query(
            "UPDATE courses SET phase = $1, closed_ms = $2, close_reason = $3, next_step = $4 WHERE id = $5 AND closed_ms IS NULL",
        )
        .bind(bro_domain::phases::CLOSURE)
        .bind(audit.at_ms)
        .bind(reason)
        .bind(next_step)
        .bind(course.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::Closed));
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("closed", ""),
            AuditAction::CourseClosed,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }

    async fn request_consent(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        category: ShareCategory,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("consent_requested", category.as_str()),
            AuditAction::ConsentRequested,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }

    async fn set_course_frame(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        target_groups: Vec<TargetGroup>,
        legal_frames: Vec<LegalFrame>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        sqlx::query("UPDATE courses SET target_groups = $1, legal_frames = $2 WHERE id = $3")
            .bind(encode_set(&target_groups, TargetGroup::as_str))
            .bind(encode_set(&legal_frames, LegalFrame::as_str))
            .bind(course.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("frame", ""),
            AuditAction::CourseFrameChanged,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }
}
