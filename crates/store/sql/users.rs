//! Accounts of staff, citizens and relatives, their roles and their second factor.

use async_trait::async_trait;
use bro_audit::{AuditAction, Outcome};
use bro_domain::{AccountKind, CitizenId, OrgId, Role, UnitId, UnitKind, UserId};
use bro_store::{
    AuditCtx, AuditEvent, Conflict, Credentials, NewUser, RoleAssignment, StoreError, StoreResult,
    User, UserStore,
};
use sqlx::Row;

use super::chain::append;
use super::sessions::end_sessions;
use super::{Tx, commit, corrupt, db_err, err};
use crate::{Backend, Db};

const USER_COLUMNS: &str = "u.id, u.org_id, u.username, u.display_name, u.kind, u.citizen_id, u.active, \
     (u.totp_secret IS NOT NULL) AS totp_enabled, u.created_ms";

fn user_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<User> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(User {
        id: UserId(r.try_get("id").map_err(err)?),
        org_id: r
            .try_get::<Option<i64>, _>("org_id")
            .map_err(err)?
            .map(OrgId),
        username: r.try_get("username").map_err(err)?,
        display_name: r.try_get("display_name").map_err(err)?,
        kind: AccountKind::parse(&kind).ok_or_else(|| corrupt("account kind"))?,
        citizen_id: r
            .try_get::<Option<i64>, _>("citizen_id")
            .map_err(err)?
            .map(CitizenId),
        active: r.try_get("active").map_err(err)?,
        totp_enabled: r.try_get("totp_enabled").map_err(err)?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        roles: Vec::new(),
    })
}

const ROLE_QUERY: &str = "SELECT ra.id, ra.user_id, ra.role, ra.unit_id, un.name AS unit_name, \
     un.kind AS unit_kind, un.org_id, o.name AS org_name FROM role_assignments ra \
     JOIN units un ON un.id = ra.unit_id JOIN organisations o ON o.id = un.org_id";

fn role_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<RoleAssignment> {
    let role: String = r.try_get("role").map_err(err)?;
    Ok(RoleAssignment {
        id: r.try_get("id").map_err(err)?,
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        role: Role::parse(&role).ok_or_else(|| corrupt("role"))?,
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("unit_name").map_err(err)?,
        unit_kind: UnitKind::parse(&r.try_get::<String, _>("unit_kind").map_err(err)?)
            .ok_or_else(|| corrupt("unit kind"))?,
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        org_name: r.try_get("org_name").map_err(err)?,
    })
}

/// Fails with NotFound unless `user` exists.
async fn ensure_user(tx: &mut Tx, user: UserId) -> StoreResult<()> {
    sqlx::query("SELECT id FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

async fn insert_recovery_codes(tx: &mut Tx, user: UserId, hashes: Vec<String>) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    for h in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user.0)
            .bind(h)
            .execute(&mut **tx)
            .await
            .map_err(db_err(Conflict::RecoveryCode))?;
    }
    Ok(())
}

#[async_trait]
impl UserStore for Backend {
    async fn create_user(&self, audit: &AuditCtx, new: NewUser) -> StoreResult<UserId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (org_id, username, display_name, password_hash, kind, citizen_id, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.org_id.map(|o| o.0))
        .bind(new.username.as_str())
        .bind(new.display_name.as_str())
        .bind(new.password_hash)
        .bind(new.kind.as_str())
        .bind(new.citizen_id.map(|c| c.0))
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Username))?;
        let mut event = AuditEvent::allowed(AuditAction::UserCreated).object(format!("user:{id}"));
        event.subject = new.citizen_id;
        append(&mut tx, audit, &event).await?;
        if let Some((unit, role)) = new.initial_role {
            sqlx::query(
                "INSERT INTO role_assignments (user_id, unit_id, role) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(unit.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err(Conflict::Role))?;
            let event = AuditEvent::allowed(AuditAction::RoleGranted).object(format!("user:{id}"));
            append(&mut tx, audit, &event).await?;
        }
        commit(tx).await?;
        Ok(UserId(id))
    }

    async fn user(&self, audit: &AuditCtx, org: Option<OrgId>, id: UserId) -> StoreResult<User> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND ($2 IS NULL OR u.org_id = $2)"
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(org.map(|o| o.0))
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        let Some(row) = row else {
            // Not found in the caller's scope: recorded as a denied read, answered as absent.
            let event = AuditEvent::denied(AuditAction::UserRead).object(format!("user:{}", id.0));
            self.finish_read(tx, audit, &event).await?;
            return Err(StoreError::NotFound);
        };
        let mut user = user_from_row(&row)?;
        let roles = sqlx::query(&format!(
            "{ROLE_QUERY} WHERE ra.user_id = $1 ORDER BY o.name, un.name, ra.role"
        ))
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        user.roles = roles
            .iter()
            .map(role_from_row)
            .collect::<StoreResult<_>>()?;
        let mut event = AuditEvent::allowed(AuditAction::UserRead).object(format!("user:{}", id.0));
        event.subject = user.citizen_id;
        self.finish_read(tx, audit, &event).await?;
        Ok(user)
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        user_from_row(&row)
    }

    async fn account(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        let mut user = user_from_row(&row)?;
        user.roles = self.roles(id).await?;
        Ok(user)
    }

    async fn users_of_org(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<Vec<User>> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = $1 ORDER BY u.display_name, u.id"
        );
        let rows = sqlx::query(&sql)
            .bind(org.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let mut users = rows
            .iter()
            .map(user_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        // One query for all roles, not one per user.
        let roles = sqlx::query(&format!(
            "{ROLE_QUERY} JOIN users u ON u.id = ra.user_id WHERE u.org_id = $1 ORDER BY o.name, un.name, ra.role"
        ))
        .bind(org.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        for r in &roles {
            let role = role_from_row(r)?;
            if let Some(u) = users.iter_mut().find(|u| u.id == role.user_id) {
                u.roles.push(role);
            }
        }
        let event = AuditEvent::allowed(AuditAction::UserListed).object(format!("org:{}", org.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(users)
    }

    async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let row = sqlx::query(
            "SELECT id, org_id, kind, password_hash, active, totp_secret FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.map(|r| {
            let kind: String = r.try_get("kind").map_err(err)?;
            Ok(Credentials {
                user_id: UserId(r.try_get("id").map_err(err)?),
                org_id: r
                    .try_get::<Option<i64>, _>("org_id")
                    .map_err(err)?
                    .map(OrgId),
                kind: AccountKind::parse(&kind).ok_or_else(|| corrupt("account kind"))?,
                password_hash: r.try_get("password_hash").map_err(err)?,
                active: r.try_get("active").map_err(err)?,
                totp_secret: r.try_get("totp_secret").map_err(err)?,
            })
        })
        .transpose()
    }

    async fn roles(&self, user: UserId) -> StoreResult<Vec<RoleAssignment>> {
        let rows = sqlx::query(&format!(
            "{ROLE_QUERY} WHERE ra.user_id = $1 ORDER BY o.name, un.name, ra.role"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(role_from_row).collect()
    }

    async fn grant_role(
        &self,
        audit: &AuditCtx,
        user: UserId,
        unit: UnitId,
        role: Role,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        ensure_user(&mut tx, user).await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO role_assignments (user_id, unit_id, role) VALUES ($1, $2, $3) RETURNING id")
            .bind(user.0)
            .bind(unit.0)
            .bind(role.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err(Conflict::Role))?;
        let event =
            AuditEvent::allowed(AuditAction::RoleGranted).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn revoke_role(
        &self,
        audit: &AuditCtx,
        user: UserId,
        assignment: i64,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM role_assignments WHERE id = $1 AND user_id = $2")
            .bind(assignment)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // A session working in the revoked role loses it at once.
        sqlx::query("UPDATE sessions SET active_role = NULL WHERE active_role = $1")
            .bind(assignment)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event =
            AuditEvent::allowed(AuditAction::RoleRevoked).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_password(
        &self,
        audit: &AuditCtx,
        user: UserId,
        password_hash: String,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        end_sessions(&mut tx, user).await?;
        let event =
            AuditEvent::allowed(AuditAction::PasswordReset).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn deactivate_user(&self, audit: &AuditCtx, user: UserId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(false)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        end_sessions(&mut tx, user).await?;
        let event =
            AuditEvent::allowed(AuditAction::UserDeactivated).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn enable_totp(
        &self,
        audit: &AuditCtx,
        user: UserId,
        secret: String,
        recovery_hashes: Vec<String>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        ensure_user(&mut tx, user).await?;
        // Only a first enrolment: an existing second factor is never replaced this way.
        let done = sqlx::query("UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE id = $2 AND totp_secret IS NULL")
            .bind(secret)
            .bind(user.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(Conflict::SecondFactor));
        }
        insert_recovery_codes(&mut tx, user, recovery_hashes).await?;
        let event = AuditEvent::allowed(AuditAction::SecondFactorEnrolled)
            .object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn replace_recovery_codes(
        &self,
        audit: &AuditCtx,
        user: UserId,
        recovery_hashes: Vec<String>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        ensure_user(&mut tx, user).await?;
        insert_recovery_codes(&mut tx, user, recovery_hashes).await?;
        let event = AuditEvent::allowed(AuditAction::RecoveryCodesRenewed)
            .object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn use_recovery_code(
        &self,
        audit: &AuditCtx,
        user: UserId,
        code_hash: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE recovery_codes SET used_ms = $1 WHERE user_id = $2 AND code_hash = $3 AND used_ms IS NULL")
            .bind(audit.at_ms)
            .bind(user.0)
            .bind(code_hash)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let used = done.rows_affected() == 1;
        let event = AuditEvent {
            outcome: if used {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
            ..AuditEvent::allowed(AuditAction::RecoveryCodeUsed).object(format!("user:{}", user.0))
        };
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(used)
    }

    async fn unused_recovery_codes(&self, user: UserId) -> StoreResult<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_ms IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await
        .map_err(err)
    }

    async fn accept_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(user.0)
        .execute(&self.pool)
        .await
        .map_err(err)?;
        Ok(done.rows_affected() == 1)
    }
}
