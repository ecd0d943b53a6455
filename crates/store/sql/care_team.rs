//! A course's care team (members, coordinator) and the citizen's network, and the staff that
//! can be added to a team.

use async_trait::async_trait;
use bro_audit::AuditAction;
use bro_domain::course::{decode_set, encode_set};
use bro_domain::{CitizenId, CourseId, MemberId, OrgId, ShareCategory, UnitId, UserId};
use bro_store::{
    AuditCtx, AuditEvent, CareTeamStore, Conflict, NewMember, NewNetworkMember, StaffOption,
    StoreError, StoreResult,
};
use sqlx::Row;

use super::chain::append;
use super::courses::{insert_member, lock_course, lock_open_course, record_change};
use super::{commit, err};
use crate::{Backend, Db};

fn staff_option_from(r: &<Db as sqlx::Database>::Row) -> StoreResult<StaffOption> {
    Ok(StaffOption {
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        name: r.try_get("display_name").map_err(err)?,
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("unit_name").map_err(err)?,
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        org_name: r.try_get("org_name").map_err(err)?,
    })
}

#[async_trait]
impl CareTeamStore for Backend {
    async fn add_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: NewMember,
    ) -> StoreResult<MemberId> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let id = insert_member(&mut tx, audit, course, &new, false).await?;
        let event = AuditEvent::allowed(AuditAction::TeamMemberAdded)
            .subject(citizen)
            .object(format!("member:{}", id.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn remove_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: MemberId,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let row = sqlx::query(
            "SELECT m.is_coordinator, u.display_name FROM care_team_members m JOIN users u ON u.id = m.user_id \
             WHERE m.id = $1 AND m.course_id = $2 AND m.removed_ms IS NULL",
        )
        .bind(member.0)
        .bind(course.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        if row.try_get::<bool, _>("is_coordinator").map_err(err)? {
            return Err(StoreError::Conflict(Conflict::Coordinator));
        }
        let name: String = row.try_get("display_name").map_err(err)?;
        let done = sqlx::query(
            "UPDATE care_team_members SET removed_ms = $1 WHERE id = $2 AND removed_ms IS NULL AND is_coordinator = $3",
        )
        .bind(audit.at_ms)
        .bind(member.0)
        .bind(false)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(Conflict::Coordinator));
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("member_removed", &name),
            AuditAction::TeamMemberRemoved,
            format!("member:{}", member.0),
        )
        .await?;
        commit(tx).await
    }

    async fn set_coordinator(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: MemberId,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let name: String = sqlx::query_scalar(
            "SELECT u.display_name FROM care_team_members m JOIN users u ON u.id = m.user_id \
             WHERE m.id = $1 AND m.course_id = $2 AND m.removed_ms IS NULL",
        )
        .bind(member.0)
        .bind(course.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        // Hand over inside one transaction: there is never none and never two.
        sqlx::query("UPDATE care_team_members SET is_coordinator = $1 WHERE course_id = $2 AND is_coordinator = $3 AND removed_ms IS NULL")
            .bind(false)
            .bind(course.0)
            .bind(true)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let done = sqlx::query(
            "UPDATE care_team_members SET is_coordinator = $1 WHERE id = $2 AND removed_ms IS NULL",
        )
        .bind(true)
        .bind(member.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("coordinator", &name),
            AuditAction::CoordinatorChanged,
            format!("member:{}", member.0),
        )
        .await?;
        commit(tx).await
    }

    async fn add_network_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        new: NewNetworkMember,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        if let Some(user) = new.user_id {
            // Only a login linked to this citizen as a relative.
            let linked: Option<i64> = sqlx::query_scalar(
                "SELECT user_id FROM relatives WHERE citizen_id = $1 AND user_id = $2",
            )
            .bind(citizen.0)
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
            if linked.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO network_members (citizen_id, name, relation, phone, may_see, added_ms, user_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(citizen.0)
        .bind(&new.name)
        .bind(&new.relation)
        .bind(&new.phone)
        .bind(encode_set(&new.may_see, ShareCategory::as_str))
        .bind(audit.at_ms)
        .bind(new.user_id.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await
        .map_err(err)?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("network_added", &new.relation),
            AuditAction::NetworkMemberAdded,
            format!("network:{id}"),
        )
        .await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn remove_network_member(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        member: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        // Only a member of this course's citizen's network: ids of other citizens are not found.
        let relation: String = sqlx::query_scalar(
            "UPDATE network_members SET removed_ms = $1 WHERE id = $2 AND citizen_id = $3 AND removed_ms IS NULL RETURNING relation",
        )
        .bind(audit.at_ms)
        .bind(member)
        .bind(citizen.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("network_removed", &relation),
            AuditAction::NetworkMemberRemoved,
            format!("network:{member}"),
        )
        .await?;
        commit(tx).await
    }

    async fn set_network_share(
        &self,
        audit: &AuditCtx,
        citizen: CitizenId,
        member: i64,
        may_see: Vec<ShareCategory>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE network_members SET may_see = $1 WHERE id = $2 AND citizen_id = $3 AND removed_ms IS NULL")
            .bind(encode_set(&may_see, ShareCategory::as_str))
            .bind(member)
            .bind(citizen.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::NetworkShareChanged)
            .subject(citizen)
            .object(format!("network:{member}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn relative_accounts(
        &self,
        citizen: CitizenId,
    ) -> StoreResult<Vec<(UserId, String, String)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, r.relation FROM relatives r JOIN users u ON u.id = r.user_id \
             WHERE r.citizen_id = $1 ORDER BY u.display_name",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId(r.try_get("id").map_err(err)?),
                    r.try_get("display_name").map_err(err)?,
                    r.try_get("relation").map_err(err)?,
                ))
            })
            .collect()
    }

    async fn shared_with_relative(
        &self,
        citizen: CitizenId,
        user: UserId,
    ) -> StoreResult<Vec<ShareCategory>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT may_see FROM network_members WHERE citizen_id = $1 AND user_id = $2 AND removed_ms IS NULL",
        )
        .bind(citizen.0)
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut shared: Vec<ShareCategory> = rows
            .iter()
            .flat_map(|r| decode_set(r, ShareCategory::parse))
            .collect();
        shared.sort();
        shared.dedup();
        Ok(shared)
    }

    async fn staff_options(&self, orgs: &[OrgId]) -> StoreResult<Vec<StaffOption>> {
        let mut orgs: Vec<i64> = orgs.iter().map(|o| o.0).collect();
        orgs.sort_unstable();
        orgs.dedup();
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..orgs.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT DISTINCT u.id AS user_id, u.display_name, un.id AS unit_id, un.name AS unit_name, o.id AS org_id, o.name AS org_name \
             FROM units un JOIN role_assignments ra ON ra.unit_id = un.id JOIN users u ON u.id = ra.user_id \
             JOIN organisations o ON o.id = un.org_id \
             WHERE un.org_id IN ({}) AND u.active = $1 AND ra.role <> 'admin' AND ra.role <> 'manager' \
             ORDER BY u.display_name, o.name, un.name",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(true);
        for org in &orgs {
            q = q.bind(*org);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(err)?;
        rows.iter().map(staff_option_from).collect()
    }

    async fn staff_member(&self, user: UserId, unit: UnitId) -> StoreResult<Option<StaffOption>> {
        let row = sqlx::query(
            "SELECT u.id AS user_id, u.display_name, un.id AS unit_id, un.name AS unit_name, o.id AS org_id, o.name AS org_name \
             FROM role_assignments ra JOIN users u ON u.id = ra.user_id JOIN units un ON un.id = ra.unit_id \
             JOIN organisations o ON o.id = un.org_id \
             WHERE ra.user_id = $1 AND ra.unit_id = $2 AND u.active = $3 AND ra.role <> 'admin' AND ra.role <> 'manager' LIMIT 1",
        )
        .bind(user.0)
        .bind(unit.0)
        .bind(true)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(staff_option_from).transpose()
    }
}
