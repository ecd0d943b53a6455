// The SQL both backends share, compiled once in each backend crate with `include!`.
//
// Each including crate defines before the include:
//   type Db;                       the sqlx database type
//   struct Backend { pool }        the store, with `async fn begin_write(&self)`
//   const HEAD_LOCK: &str;         suffix that locks the audit head row ("" or " FOR UPDATE")
//   const ROW_LOCK: &str;          suffix that locks a row a write checks first ("" or " FOR UPDATE")
// Everything here is plain SQL that SQLite and PostgreSQL read alike ($n placeholders,
// RETURNING, ON CONFLICT). A statement that needs a dialect belongs in the backend crate.

use async_trait::async_trait;
use bro_audit::{AuditAction, AuditRecord, Outcome, record_hash, GENESIS, AuditFields};
use bro_domain::{
    AccountKind, CitizenId, Cpr, OrgId, OrgKind, Role, Timestamp, UnitId, UnitKind, UserId,
};
use bro_store::{
    AccessCursor, AccessEntry, AccessQuery, AuditCtx, AuditEvent, AuditStore, Citizen, CitizenStore, Conflict, Credentials, LoginThrottleStore, MetaStore,
    NewCitizen, NewCourse, NewOrganisation, NewSession, NewUnit, NewUser, OrgStore, Organisation, RelativeLink,
    RoleAssignment, Session, SessionStage, SessionStore, StoreError, StoreResult, Unit, User, UserStore,
};
use sqlx::Row;

type Tx = sqlx::Transaction<'static, Db>;

/// Maps a sqlx error; `unique` names the field a uniqueness violation is about.
fn db_err(unique: Conflict) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(unique),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Database(e.to_string()),
    }
}

fn err(e: sqlx::Error) -> StoreError {
    db_err(Conflict::Unknown)(e)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

/// Appends one audit record inside `tx`, extending the tenant's chain. The head row is locked
/// (BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL), so concurrent appends to one tenant
/// serialise and the chain never forks.
async fn append(tx: &mut Tx, ctx: &AuditCtx, event: &AuditEvent) -> StoreResult<()> {
    append_many(tx, &[(ctx.tenant_id, ctx.fields(event))]).await
}

async fn commit(tx: Tx) -> StoreResult<()> {
    tx.commit().await.map_err(err)
}

fn org_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Organisation> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(Organisation {
        id: OrgId(r.try_get("id").map_err(err)?),
        name: r.try_get("name").map_err(err)?,
        kind: OrgKind::parse(&kind).ok_or_else(|| corrupt("organisation kind"))?,
        require_second_factor: r.try_get("require_second_factor").map_err(err)?,
    })
}

fn unit_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Unit> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(Unit {
        id: UnitId(r.try_get("id").map_err(err)?),
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        name: r.try_get("name").map_err(err)?,
        kind: UnitKind::parse(&kind).ok_or_else(|| corrupt("unit kind"))?,
    })
}

const USER_COLUMNS: &str = "u.id, u.org_id, u.username, u.display_name, u.kind, u.citizen_id, u.active, \
     (u.totp_secret IS NOT NULL) AS totp_enabled, u.created_ms";

fn user_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<User> {
    let kind: String = r.try_get("kind").map_err(err)?;
    Ok(User {
        id: UserId(r.try_get("id").map_err(err)?),
        org_id: r.try_get::<Option<i64>, _>("org_id").map_err(err)?.map(OrgId),
        username: r.try_get("username").map_err(err)?,
        display_name: r.try_get("display_name").map_err(err)?,
        kind: AccountKind::parse(&kind).ok_or_else(|| corrupt("account kind"))?,
        citizen_id: r.try_get::<Option<i64>, _>("citizen_id").map_err(err)?.map(CitizenId),
        active: r.try_get("active").map_err(err)?,
        totp_enabled: r.try_get("totp_enabled").map_err(err)?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        roles: Vec::new(),
    })
}

const ROLE_QUERY: &str = "SELECT ra.id, ra.user_id, ra.role, ra.unit_id, un.name AS unit_name, \
     un.org_id, o.name AS org_name FROM role_assignments ra \
     JOIN units un ON un.id = ra.unit_id JOIN organisations o ON o.id = un.org_id";

fn role_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<RoleAssignment> {
    let role: String = r.try_get("role").map_err(err)?;
    Ok(RoleAssignment {
        id: r.try_get("id").map_err(err)?,
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        role: Role::parse(&role).ok_or_else(|| corrupt("role"))?,
        unit_id: UnitId(r.try_get("unit_id").map_err(err)?),
        unit_name: r.try_get("unit_name").map_err(err)?,
        org_id: OrgId(r.try_get("org_id").map_err(err)?),
        org_name: r.try_get("org_name").map_err(err)?,
    })
}

fn citizen_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Citizen> {
    let cpr: String = r.try_get("cpr").map_err(err)?;
    Ok(Citizen {
        id: CitizenId(r.try_get("id").map_err(err)?),
        cpr: Cpr::parse(&cpr).map_err(|_| corrupt("cpr"))?,
        given_name: r.try_get("given_name").map_err(err)?,
        family_name: r.try_get("family_name").map_err(err)?,
        address: r.try_get("address").map_err(err)?,
        postal_code: r.try_get("postal_code").map_err(err)?,
        city: r.try_get("city").map_err(err)?,
    })
}

fn session_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Session> {
    let stage: String = r.try_get("stage").map_err(err)?;
    Ok(Session {
        id_hash: r.try_get("id_hash").map_err(err)?,
        user_id: UserId(r.try_get("user_id").map_err(err)?),
        stage: SessionStage::parse(&stage).ok_or_else(|| corrupt("session stage"))?,
        created_ms: r.try_get("created_ms").map_err(err)?,
        last_seen_ms: r.try_get("last_seen_ms").map_err(err)?,
        expires_ms: r.try_get("expires_ms").map_err(err)?,
        active_role: r.try_get("active_role").map_err(err)?,
    })
}

fn audit_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<AuditRecord> {
    let outcome: String = r.try_get("outcome").map_err(err)?;
    Ok(AuditRecord {
        tenant_id: r.try_get("tenant_id").map_err(err)?,
        seq: r.try_get("seq").map_err(err)?,
        fields: AuditFields {
            at_ms: r.try_get("at_ms").map_err(err)?,
            actor_user_id: r.try_get("actor_user_id").map_err(err)?,
            actor_role: r.try_get("actor_role").map_err(err)?,
            actor_unit_id: r.try_get("actor_unit_id").map_err(err)?,
            action: r.try_get("action").map_err(err)?,
            outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("audit outcome"))?,
            subject_citizen_id: r.try_get::<Option<i64>, _>("subject_citizen_id").map_err(err)?.map(CitizenId),
            purpose: r.try_get("purpose").map_err(err)?,
            object: r.try_get("object").map_err(err)?,
        },
        prev_hash: r.try_get("prev_hash").map_err(err)?,
        hash: r.try_get("hash").map_err(err)?,
    })
}

/// Ends all sessions of a user inside `tx`.
async fn end_sessions(tx: &mut Tx, user: UserId) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    Ok(done.rows_affected())
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
impl OrgStore for Backend {
    async fn create_organisation(&self, audit: &AuditCtx, new: NewOrganisation) -> StoreResult<OrgId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name, kind, require_second_factor, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.name.as_str())
        .bind(new.kind.as_str())
        .bind(new.require_second_factor)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Name))?;
        // The organisation's first record opens its own chain.
        let ctx = AuditCtx { tenant_id: id, ..audit.clone() };
        append(&mut tx, &ctx, &AuditEvent::allowed(AuditAction::OrganisationCreated).object(format!("org:{id}"))).await?;
        commit(tx).await?;
        Ok(OrgId(id))
    }

    async fn organisation(&self, id: OrgId) -> StoreResult<Organisation> {
        let r = sqlx::query("SELECT id, name, kind, require_second_factor FROM organisations WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        org_from_row(&r)
    }

    async fn organisation_by_name(&self, name: &str) -> StoreResult<Organisation> {
        let r = sqlx::query("SELECT id, name, kind, require_second_factor FROM organisations WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        org_from_row(&r)
    }

    async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name, kind, require_second_factor FROM organisations ORDER BY name")
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(org_from_row).collect()
    }

    async fn set_require_second_factor(&self, audit: &AuditCtx, org: OrgId, required: bool) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE organisations SET require_second_factor = $1 WHERE id = $2")
            .bind(required)
            .bind(org.0)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::OrganisationSettingsChanged).object(format!("org:{}", org.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn create_unit(&self, audit: &AuditCtx, new: NewUnit) -> StoreResult<UnitId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (org_id, name, kind, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(new.org_id.0)
        .bind(new.name.as_str())
        .bind(new.kind.as_str())
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Name))?;
        append(&mut tx, audit, &AuditEvent::allowed(AuditAction::UnitCreated).object(format!("unit:{id}"))).await?;
        commit(tx).await?;
        Ok(UnitId(id))
    }

    async fn units(&self, org: OrgId) -> StoreResult<Vec<Unit>> {
        let rows = sqlx::query("SELECT id, org_id, name, kind FROM units WHERE org_id = $1 ORDER BY name")
            .bind(org.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(unit_from_row).collect()
    }

    async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        let r = sqlx::query("SELECT id, org_id, name, kind FROM units WHERE id = $1")
            .bind(id.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        unit_from_row(&r)
    }
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
            sqlx::query("INSERT INTO role_assignments (user_id, unit_id, role) VALUES ($1, $2, $3)")
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
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1 AND ($2 IS NULL OR u.org_id = $2)");
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
        let roles = sqlx::query(&format!("{ROLE_QUERY} WHERE ra.user_id = $1 ORDER BY o.name, un.name, ra.role"))
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        user.roles = roles.iter().map(role_from_row).collect::<StoreResult<_>>()?;
        let mut event = AuditEvent::allowed(AuditAction::UserRead).object(format!("user:{}", id.0));
        event.subject = user.citizen_id;
        self.finish_read(tx, audit, &event).await?;
        Ok(user)
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = sqlx::query(&sql).bind(username).fetch_one(&self.pool).await.map_err(err)?;
        user_from_row(&row)
    }

    async fn account(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(&sql).bind(id.0).fetch_one(&self.pool).await.map_err(err)?;
        let mut user = user_from_row(&row)?;
        user.roles = self.roles(id).await?;
        Ok(user)
    }

    async fn users_of_org(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<Vec<User>> {
        let mut tx = self.begin_read().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = $1 ORDER BY u.display_name, u.id");
        let rows = sqlx::query(&sql).bind(org.0).fetch_all(&mut *tx).await.map_err(err)?;
        let mut users = rows.iter().map(user_from_row).collect::<StoreResult<Vec<_>>>()?;
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
                org_id: r.try_get::<Option<i64>, _>("org_id").map_err(err)?.map(OrgId),
                kind: AccountKind::parse(&kind).ok_or_else(|| corrupt("account kind"))?,
                password_hash: r.try_get("password_hash").map_err(err)?,
                active: r.try_get("active").map_err(err)?,
                totp_secret: r.try_get("totp_secret").map_err(err)?,
            })
        })
        .transpose()
    }

    async fn roles(&self, user: UserId) -> StoreResult<Vec<RoleAssignment>> {
        let rows = sqlx::query(&format!("{ROLE_QUERY} WHERE ra.user_id = $1 ORDER BY o.name, un.name, ra.role"))
            .bind(user.0)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(role_from_row).collect()
    }

    async fn grant_role(&self, audit: &AuditCtx, user: UserId, unit: UnitId, role: Role) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        ensure_user(&mut tx, user).await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO role_assignments (user_id, unit_id, role) VALUES ($1, $2, $3) RETURNING id")
            .bind(user.0)
            .bind(unit.0)
            .bind(role.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err(Conflict::Role))?;
        let event = AuditEvent::allowed(AuditAction::RoleGranted).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn revoke_role(&self, audit: &AuditCtx, user: UserId, assignment: i64) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::RoleRevoked).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_password(&self, audit: &AuditCtx, user: UserId, password_hash: String) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::PasswordReset).object(format!("user:{}", user.0));
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
        let event = AuditEvent::allowed(AuditAction::UserDeactivated).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn enable_totp(&self, audit: &AuditCtx, user: UserId, secret: String, recovery_hashes: Vec<String>) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::SecondFactorEnrolled).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn replace_recovery_codes(&self, audit: &AuditCtx, user: UserId, recovery_hashes: Vec<String>) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        ensure_user(&mut tx, user).await?;
        insert_recovery_codes(&mut tx, user, recovery_hashes).await?;
        let event = AuditEvent::allowed(AuditAction::RecoveryCodesRenewed).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn use_recovery_code(&self, audit: &AuditCtx, user: UserId, code_hash: &str) -> StoreResult<bool> {
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
            outcome: if used { Outcome::Allowed } else { Outcome::Denied },
            ..AuditEvent::allowed(AuditAction::RecoveryCodeUsed).object(format!("user:{}", user.0))
        };
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(used)
    }

    async fn unused_recovery_codes(&self, user: UserId) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_ms IS NULL")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await
            .map_err(err)
    }

    async fn accept_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user.0)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl SessionStore for Backend {
    async fn create_session(&self, audit: &AuditCtx, s: NewSession) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, stage, created_ms, last_seen_ms, expires_ms, active_role) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(&s.id_hash)
        .bind(s.user_id.0)
        .bind(s.stage.as_str())
        .bind(s.created_ms)
        .bind(s.expires_ms)
        .bind(s.active_role)
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Session))?;
        let event = AuditEvent::allowed(AuditAction::LoginSucceeded).object(format!("user:{}", s.user_id.0));
        // The password step of a two-step login is recorded when the second step completes.
        if s.stage == SessionStage::Full {
            append(&mut tx, audit, &event).await?;
        }
        commit(tx).await
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(
            "SELECT id_hash, user_id, stage, created_ms, last_seen_ms, expires_ms, active_role FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(err)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn complete_session(&self, audit: &AuditCtx, id_hash: &str, new_id_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let user: i64 = sqlx::query_scalar("UPDATE sessions SET stage = $1, id_hash = $2 WHERE id_hash = $3 RETURNING user_id")
            .bind(SessionStage::Full.as_str())
            .bind(new_id_hash)
            .bind(id_hash)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::LoginSucceeded).object(format!("user:{user}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn set_active_role(&self, id_hash: &str, assignment: Option<i64>) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET active_role = $1 WHERE id_hash = $2")
            .bind(assignment)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn delete_session(&self, audit: &AuditCtx, id_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        append(&mut tx, audit, &AuditEvent::allowed(AuditAction::Logout)).await?;
        commit(tx).await
    }

    async fn delete_user_sessions(&self, audit: &AuditCtx, user: UserId) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let n = end_sessions(&mut tx, user).await?;
        let event = AuditEvent::allowed(AuditAction::LogoutEverywhere).object(format!("user:{}", user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(n)
    }

    async fn purge_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl LoginThrottleStore for Backend {
    async fn record_login_failure(&self, audit: &AuditCtx, action: AuditAction, keys: &[String]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at_ms) VALUES ($1, $2)")
                .bind(key)
                .bind(audit.at_ms)
                .execute(&mut *tx)
                .await
                .map_err(err)?;
        }
        let mut event = AuditEvent::denied(action);
        if let Some(user) = audit.actor_user_id {
            event = event.object(format!("user:{}", user.0));
        }
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn login_failures_since(&self, key: &str, since: Timestamp) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at_ms >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await
            .map_err(err)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn purge_login_failures(&self, before: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM login_failures WHERE at_ms < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(done.rows_affected())
    }
}

/// Name search sorts at most this many candidates (four pages).
const NAME_CANDIDATES: i64 = 200;
/// Words of a name search beyond this many are not used.
const MAX_NAME_WORDS: usize = 4;

async fn insert_citizen(tx: &mut Tx, audit: &AuditCtx, c: NewCitizen) -> StoreResult<CitizenId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO citizens (cpr, given_name, family_name, address, postal_code, city, created_ms, search_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(c.cpr.compact())
    .bind(c.given_name.as_str())
    .bind(c.family_name.as_str())
    .bind(c.address)
    .bind(c.postal_code)
    .bind(c.city)
    .bind(audit.at_ms)
    .bind(format!("{} {}", c.given_name.as_str(), c.family_name.as_str()).to_lowercase())
    .fetch_one(&mut **tx)
    .await
    .map_err(db_err(Conflict::Cpr))?;
    let id = CitizenId(id);
    // The words the name is searched by (migration 17).
    let mut words = bro_store::name_word_rows();
    bro_store::push_name_words(&mut words, id, c.given_name.as_str(), c.family_name.as_str());
    insert_rows(tx, &words).await?;
    append(tx, audit, &AuditEvent::allowed(AuditAction::CitizenCreated).subject(id)).await?;
    Ok(id)
}

#[async_trait]
impl CitizenStore for Backend {
    async fn create_citizen(&self, audit: &AuditCtx, new: NewCitizen) -> StoreResult<CitizenId> {
        let mut tx = self.begin_write().await?;
        let id = insert_citizen(&mut tx, audit, new).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn create_citizens(&self, audit: &AuditCtx, new: Vec<NewCitizen>) -> StoreResult<Vec<CitizenId>> {
        let mut tx = self.begin_write().await?;
        let mut ids = Vec::with_capacity(new.len());
        for c in new {
            ids.push(insert_citizen(&mut tx, audit, c).await?);
        }
        commit(tx).await?;
        Ok(ids)
    }

    async fn citizen(&self, audit: &AuditCtx, id: CitizenId) -> StoreResult<Citizen> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query("SELECT id, cpr, given_name, family_name, address, postal_code, city FROM citizens WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let citizen = citizen_from_row(&row)?;
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::CitizenRead).subject(id)).await?;
        Ok(citizen)
    }

    async fn count_citizens(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM citizens").fetch_one(&self.pool).await.map_err(err)
    }

    async fn link_relative(&self, audit: &AuditCtx, citizen: CitizenId, relative_user: UserId, relation: String) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO relatives (citizen_id, user_id, relation) VALUES ($1, $2, $3)")
            .bind(citizen.0)
            .bind(relative_user.0)
            .bind(relation)
            .execute(&mut *tx)
            .await
            .map_err(db_err(Conflict::Relative))?;
        let event = AuditEvent::allowed(AuditAction::RelativeLinked)
            .subject(citizen)
            .object(format!("user:{}", relative_user.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn relatives_links(&self, audit: &AuditCtx, relative_user: UserId) -> StoreResult<Vec<RelativeLink>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT c.id, c.given_name, c.family_name, r.relation FROM relatives r \
             JOIN citizens c ON c.id = r.citizen_id WHERE r.user_id = $1 ORDER BY c.family_name, c.given_name",
        )
        .bind(relative_user.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut links = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = CitizenId(r.try_get("id").map_err(err)?);
            let given: String = r.try_get("given_name").map_err(err)?;
            let family: String = r.try_get("family_name").map_err(err)?;
            links.push(RelativeLink { citizen_id: id, citizen_name: format!("{given} {family}"), relation: r.try_get("relation").map_err(err)? });
            records.push((audit.tenant_id, audit.fields(&AuditEvent::allowed(AuditAction::CitizenRead).subject(id))));
        }
        self.finish_read_many(tx, records).await?;
        Ok(links)
    }
}

#[async_trait]
impl AuditStore for Backend {
    async fn append_audit(&self, audit: &AuditCtx, event: AuditEvent) -> StoreResult<()> {
        self.audit_writer.append(vec![(audit.tenant_id, audit.fields(&event))]).await
    }

    async fn audit_tenants(&self) -> StoreResult<Vec<i64>> {
        sqlx::query_scalar("SELECT tenant_id FROM audit_head UNION SELECT DISTINCT tenant_id FROM audit_log ORDER BY 1")
            .fetch_all(&self.pool)
            .await
            .map_err(err)
    }

    async fn audit_records(&self, tenant: i64, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(tenant)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_head(&self, tenant: i64) -> StoreResult<Option<(i64, Vec<u8>)>> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        row.map(|r| Ok((r.try_get("seq").map_err(err)?, r.try_get("hash").map_err(err)?))).transpose()
    }

    async fn citizen_access_log(&self, audit: &AuditCtx, citizen: CitizenId, query: AccessQuery) -> StoreResult<Vec<AccessEntry>> {
        let mut tx = self.begin_read().await?;
        // Without a cursor: from the newest (no entry is as late as the largest moment).
        let before = query.before.unwrap_or(AccessCursor { at_ms: i64::MAX, tenant_id: 0, seq: 0 });
        // Own-data reads are the citizen's own; everything else anyone did is listed. The
        // organisation is the acting unit's (0 = any). The page of records is taken from the
        // others-only index first, newest first, and only its rows are joined: a planner that
        // expects a short log (the typical citizen has about 60 records) would otherwise join
        // and sort the whole of a long one (60 ms for 17,000 records on PostgreSQL).
        let rows = sqlx::query(
            "SELECT a.at_ms, a.tenant_id, a.seq, a.action, a.outcome, a.purpose, a.actor_role, u.display_name, un.name AS unit_name, \
             o.id AS org_id, o.name AS org_name, \
             (SELECT e.reason FROM emergency_accesses e WHERE a.purpose = 'emergency' AND e.citizen_id = a.subject_citizen_id \
               AND e.user_id = a.actor_user_id AND e.started_ms <= a.at_ms AND e.ends_ms > a.at_ms ORDER BY e.id DESC LIMIT 1) AS emergency_reason \
             FROM (SELECT r.at_ms, r.tenant_id, r.seq, r.action, r.outcome, r.purpose, r.actor_role, r.actor_user_id, r.actor_unit_id, \
               r.subject_citizen_id FROM audit_log r \
               WHERE r.subject_citizen_id = $1 AND r.at_ms >= $2 AND r.at_ms < $3 AND r.purpose <> 'own-data' \
               AND ($4 = 0 OR r.actor_unit_id IN (SELECT x.id FROM units x WHERE x.org_id = $4)) \
               AND (r.at_ms, r.tenant_id, r.seq) < ($6, $7, $8) \
               ORDER BY r.at_ms DESC, r.tenant_id DESC, r.seq DESC LIMIT $5) a \
             LEFT JOIN users u ON u.id = a.actor_user_id LEFT JOIN units un ON un.id = a.actor_unit_id \
             LEFT JOIN organisations o ON o.id = un.org_id \
             ORDER BY a.at_ms DESC, a.tenant_id DESC, a.seq DESC",
        )
        // Planned for each call's values: a plan cached for any citizen and period (PostgreSQL's
        // generic plan) guesses one matching row and may read the log whole.
        .persistent(false)
        .bind(citizen.0)
        .bind(query.from_ms)
        .bind(query.to_ms)
        .bind(query.org.map_or(0, |o| o.0))
        .bind(query.limit)
        .bind(before.at_ms)
        .bind(before.tenant_id)
        .bind(before.seq)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let entries = rows
            .iter()
            .map(|r| {
                let outcome: String = r.try_get("outcome").map_err(err)?;
                let org_id: Option<i64> = r.try_get("org_id").map_err(err)?;
                Ok(AccessEntry {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    actor_name: r.try_get("display_name").map_err(err)?,
                    actor_role: r.try_get("actor_role").map_err(err)?,
                    org_id: org_id.map(OrgId),
                    org_name: r.try_get("org_name").map_err(err)?,
                    unit_name: r.try_get("unit_name").map_err(err)?,
                    action: r.try_get("action").map_err(err)?,
                    outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("outcome"))?,
                    purpose: r.try_get("purpose").map_err(err)?,
                    emergency_reason: r.try_get("emergency_reason").map_err(err)?,
                    cursor: AccessCursor {
                        at_ms: r.try_get("at_ms").map_err(err)?,
                        tenant_id: r.try_get("tenant_id").map_err(err)?,
                        seq: r.try_get("seq").map_err(err)?,
                    },
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::AccessLogRead).subject(citizen)).await?;
        Ok(entries)
    }

    async fn access_log_orgs(&self, citizen: CitizenId) -> StoreResult<Vec<(OrgId, String)>> {
        let rows = sqlx::query(
            // The distinct acting units, one index step each (migration 16): the cost follows the
            // number of units, not the length of the log. Organisations are few.
            "WITH RECURSIVE acting(unit) AS ( \
               SELECT MIN(a.actor_unit_id) FROM audit_log a WHERE a.subject_citizen_id = $1 \
                 AND a.purpose <> 'own-data' AND a.actor_unit_id IS NOT NULL \
               UNION ALL \
               SELECT (SELECT MIN(a.actor_unit_id) FROM audit_log a WHERE a.subject_citizen_id = $1 \
                 AND a.purpose <> 'own-data' AND a.actor_unit_id IS NOT NULL AND a.actor_unit_id > acting.unit) \
               FROM acting WHERE acting.unit IS NOT NULL) \
             SELECT o.id, o.name FROM organisations o WHERE o.id IN (SELECT un.org_id FROM units un WHERE un.id IN \
             (SELECT unit FROM acting WHERE unit IS NOT NULL)) ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| Ok((OrgId(r.try_get("id").map_err(err)?), r.try_get("name").map_err(err)?)))
            .collect()
    }

    async fn recent_audit(&self, tenant: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query("SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT $2")
            .bind(tenant)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        rows.iter().map(audit_from_row).collect()
    }
}

#[async_trait]
impl MetaStore for Backend {
    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)
    }

    async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(err)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Collaborations of organisations and the phases their courses follow.

use bro_store::{Collaboration, CollaborationStore, NewCollaboration};

#[async_trait]
impl CollaborationStore for Backend {
    async fn create_collaboration(&self, audit: &AuditCtx, new: NewCollaboration) -> StoreResult<CollaborationId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO collaborations (name, phases, created_ms) VALUES ($1, $2, $3) RETURNING id")
            .bind(&new.name)
            .bind(own_phases_json(&new.phases)?)
            .bind(audit.at_ms)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err(Conflict::Collaboration))?;
        for org in &new.orgs {
            sqlx::query("INSERT INTO collaboration_orgs (collaboration_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(org.0)
                .execute(&mut *tx)
                .await
                .map_err(db_err(Conflict::Collaboration))?;
        }
        let event = AuditEvent::allowed(AuditAction::CollaborationCreated).object(format!("collaboration:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(CollaborationId(id))
    }

    async fn collaborations_of(&self, org: OrgId) -> StoreResult<Vec<Collaboration>> {
        let rows = sqlx::query(
            "SELECT c.id, c.name, c.phases, c.created_ms, o.id AS org_id, o.name AS org_name FROM collaborations c \
             JOIN collaboration_orgs co ON co.collaboration_id = c.id JOIN organisations o ON o.id = co.org_id \
             WHERE c.id IN (SELECT collaboration_id FROM collaboration_orgs WHERE org_id = $1) ORDER BY c.name, c.id, o.name",
        )
        .bind(org.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut out: Vec<Collaboration> = Vec::new();
        for r in &rows {
            let id = CollaborationId(r.try_get("id").map_err(err)?);
            let member = (OrgId(r.try_get("org_id").map_err(err)?), r.try_get("org_name").map_err(err)?);
            match out.last_mut() {
                Some(c) if c.id == id => c.orgs.push(member),
                _ => {
                    out.push(Collaboration {
                        id,
                        name: r.try_get("name").map_err(err)?,
                        orgs: vec![member],
                        phases: scheme_from(r)?,
                        created_ms: r.try_get("created_ms").map_err(err)?,
                    });
                }
            }
        }
        Ok(out)
    }

    async fn set_collaboration_phases(&self, audit: &AuditCtx, id: CollaborationId, org: OrgId, phases: PhaseScheme) -> StoreResult<()> {
        let json = own_phases_json(&phases)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE collaborations SET phases = $1 WHERE id = $2 \
             AND EXISTS (SELECT 1 FROM collaboration_orgs WHERE collaboration_id = $2 AND org_id = $3)",
        )
        .bind(json)
        .bind(id.0)
        .bind(org.0)
        .execute(&mut *tx)
        .await
        .map_err(err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let event = AuditEvent::allowed(AuditAction::CollaborationPhasesChanged).object(format!("collaboration:{}", id.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }
}

const EMERGENCY_SELECT: &str = "SELECT e.id, e.course_id, e.reason, e.started_ms, e.ends_ms, e.reviewed_ms, e.review_comment, \
     u.display_name AS user_name, o.name AS org_name, r.display_name AS reviewed_by FROM emergency_accesses e \
     JOIN users u ON u.id = e.user_id JOIN organisations o ON o.id = e.org_id LEFT JOIN users r ON r.id = e.reviewed_by_user_id";

fn emergency_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<EmergencyAccess> {
    Ok(EmergencyAccess {
        id: r.try_get("id").map_err(err)?,
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        user_name: r.try_get("user_name").map_err(err)?,
        org_name: r.try_get("org_name").map_err(err)?,
        reason: r.try_get("reason").map_err(err)?,
        started_ms: r.try_get("started_ms").map_err(err)?,
        ends_ms: r.try_get("ends_ms").map_err(err)?,
        reviewed_ms: r.try_get("reviewed_ms").map_err(err)?,
        reviewed_by: r.try_get("reviewed_by").map_err(err)?,
        review_comment: r.try_get("review_comment").map_err(err)?,
    })
}

/// How a consent or a legal basis is ended: table, columns, the conflict's name, the act.
struct Ending {
    table: &'static str,
    ended: &'static str,
    ended_by: &'static str,
    conflict: Conflict,
    action: AuditAction,
    object: &'static str,
}

const CONSENT_END: Ending = Ending {
    table: "consents",
    ended: "withdrawn_ms",
    ended_by: "withdrawn_by_user_id",
    conflict: Conflict::Withdrawn,
    action: AuditAction::ConsentWithdrawn,
    object: "consent",
};

const LEGAL_BASIS_END: Ending = Ending {
    table: "legal_bases",
    ended: "ended_ms",
    ended_by: "ended_by_user_id",
    conflict: Conflict::Ended,
    action: AuditAction::LegalBasisEnded,
    object: "legal_basis",
};

/// Ends a consent or a legal basis of `citizen` now, once: `NotFound` unless it is theirs,
/// `Conflict` when it was ended already. The row is otherwise never changed.
async fn end_once(tx: &mut Tx, audit: &AuditCtx, e: Ending, citizen: CitizenId, id: i64) -> StoreResult<()> {
    let Ending { table, ended, ended_by, conflict, action, object } = e;
    let current: Option<Option<i64>> =
        sqlx::query_scalar(&format!("SELECT {ended} FROM {table} WHERE id = $1 AND citizen_id = $2{ROW_LOCK}"))
            .bind(id)
            .bind(citizen.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(Some(_)) => return Err(StoreError::Conflict(conflict)),
        Some(None) => {}
    }
    sqlx::query(&format!("UPDATE {table} SET {ended} = $1, {ended_by} = $2 WHERE id = $3"))
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
    let event = AuditEvent::allowed(action).subject(citizen).object(format!("{object}:{id}"));
    append(tx, audit, &event).await
}

/// Records which organisations a consent or legal basis covers; an organisation that does not
/// exist is `NotFound` (and the caller's transaction is dropped, so nothing is half-saved).
async fn insert_orgs(tx: &mut Tx, table_and_columns: &'static str, id: i64, orgs: &[OrgId]) -> StoreResult<()> {
    for org in orgs {
        sqlx::query(&format!("INSERT INTO {table_and_columns} VALUES ($1, $2) ON CONFLICT DO NOTHING"))
            .bind(id)
            .bind(org.0)
            .execute(&mut **tx)
            .await
            .map_err(db_err(Conflict::Organisation))?;
    }
    Ok(())
}

/// The organisations of the record `id` among `rows` of (`key`, id, name).
fn orgs_of(rows: &[<Db as sqlx::Database>::Row], key: &str, id: i64) -> StoreResult<Vec<(OrgId, String)>> {
    let mut out = Vec::new();
    for o in rows {
        let of: i64 = o.try_get(key).map_err(err)?;
        if of == id {
            out.push((OrgId(o.try_get("id").map_err(err)?), o.try_get("name").map_err(err)?));
        }
    }
    Ok(out)
}

/// A collaboration always names its own phases; the default scheme has no stored form.
fn own_phases_json(phases: &PhaseScheme) -> StoreResult<String> {
    phases.to_json().ok_or_else(|| StoreError::Corrupt("a collaboration names its own phases".into()))
}

// ---------------------------------------------------------------------------------------------
// Consents.

use bro_domain::consent::{ConsentForm, GivenBy, Grants, LegalBasisKind};
use bro_store::{Consent, ConsentDocument, ConsentStore, EmergencyAccess, LegalBasis, NewConsent, NewEmergencyAccess, NewLegalBasis};

#[async_trait]
impl ConsentStore for Backend {
    async fn record_consent(&self, audit: &AuditCtx, new: NewConsent) -> StoreResult<i64> {
        let recorded_by = audit.actor_user_id.ok_or_else(|| StoreError::Corrupt("a consent is recorded by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let (name, content_type, bytes) = match new.document {
            Some(d) => (Some(d.name), Some(d.content_type), Some(d.bytes)),
            None => (None, None, None),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consents (citizen_id, course_id, categories, purpose, form, given_by, givers, guardian_scope, witness, \
             valid_from_ms, valid_to_ms, recorded_by_user_id, recorded_ms, document_name, document_type, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.map(|c| c.0))
        .bind(encode_set(&new.categories, ShareCategory::as_str))
        .bind(bro_domain::consent::PURPOSE)
        .bind(new.form.as_str())
        .bind(new.given_by.as_str())
        .bind(new.givers.join("\n"))
        .bind(&new.guardian_scope)
        .bind(&new.witness)
        .bind(new.valid_from_ms)
        .bind(new.valid_to_ms)
        .bind(recorded_by.0)
        .bind(audit.at_ms)
        .bind(name)
        .bind(content_type)
        .bind(bytes)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Consent))?;
        insert_orgs(&mut tx, "consent_orgs (consent_id, org_id)", id, &new.orgs).await?;
        let event = AuditEvent::allowed(AuditAction::ConsentRecorded).subject(new.citizen_id).object(format!("consent:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn consents(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<Consent>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT c.id, c.citizen_id, c.categories, c.purpose, c.form, c.given_by, c.givers, c.guardian_scope, c.witness, \
             c.valid_from_ms, c.valid_to_ms, c.recorded_ms, c.document_name, c.withdrawn_ms, \
             r.display_name AS recorded_by, w.display_name AS withdrawn_by FROM consents c \
             JOIN users r ON r.id = c.recorded_by_user_id LEFT JOIN users w ON w.id = c.withdrawn_by_user_id \
             WHERE c.citizen_id = $1 ORDER BY c.recorded_ms DESC, c.id DESC",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let orgs = sqlx::query(
            "SELECT co.consent_id, o.id, o.name FROM consent_orgs co JOIN consents c ON c.id = co.consent_id \
             JOIN organisations o ON o.id = co.org_id WHERE c.citizen_id = $1 ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id").map_err(err)?;
            let members = orgs_of(&orgs, "consent_id", id)?;
            let categories: String = r.try_get("categories").map_err(err)?;
            let form: String = r.try_get("form").map_err(err)?;
            let given_by: String = r.try_get("given_by").map_err(err)?;
            let givers: String = r.try_get("givers").map_err(err)?;
            out.push(Consent {
                id,
                citizen_id: citizen,
                orgs: members,
                categories: decode_set(&categories, ShareCategory::parse),
                purpose: r.try_get("purpose").map_err(err)?,
                form: ConsentForm::parse(&form).ok_or_else(|| corrupt("consent form"))?,
                given_by: GivenBy::parse(&given_by).ok_or_else(|| corrupt("consent giver"))?,
                givers: givers.lines().filter(|g| !g.is_empty()).map(str::to_owned).collect(),
                guardian_scope: r.try_get("guardian_scope").map_err(err)?,
                witness: r.try_get("witness").map_err(err)?,
                valid_from_ms: r.try_get("valid_from_ms").map_err(err)?,
                valid_to_ms: r.try_get("valid_to_ms").map_err(err)?,
                recorded_by: r.try_get("recorded_by").map_err(err)?,
                recorded_ms: r.try_get("recorded_ms").map_err(err)?,
                document_name: r.try_get("document_name").map_err(err)?,
                withdrawn_ms: r.try_get("withdrawn_ms").map_err(err)?,
                withdrawn_by: r.try_get("withdrawn_by").map_err(err)?,
            });
        }
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::ConsentRead).subject(citizen)).await?;
        Ok(out)
    }

    async fn withdraw_consent(&self, audit: &AuditCtx, citizen: CitizenId, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        end_once(&mut tx, audit, CONSENT_END, citizen, id).await?;
        commit(tx).await
    }

    async fn grants(&self, citizen: CitizenId, org: OrgId, now: i64) -> StoreResult<Grants> {
        let consents: Vec<String> = sqlx::query_scalar(
            "SELECT c.categories FROM consents c JOIN consent_orgs o ON o.consent_id = c.id \
             WHERE c.citizen_id = $1 AND o.org_id = $2 AND c.withdrawn_ms IS NULL AND c.valid_from_ms <= $3 \
             AND (c.valid_to_ms IS NULL OR c.valid_to_ms > $3)",
        )
        .bind(citizen.0)
        .bind(org.0)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let bases = sqlx::query(
            "SELECT b.kind, b.categories FROM legal_bases b JOIN legal_basis_orgs o ON o.legal_basis_id = b.id \
             WHERE b.citizen_id = $1 AND o.org_id = $2 AND b.ended_ms IS NULL AND b.valid_from_ms <= $3 AND b.valid_to_ms > $3",
        )
        .bind(citizen.0)
        .bind(org.0)
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut grants = Grants {
            consent: consents.iter().flat_map(|r| decode_set(r, ShareCategory::parse)).collect(),
            legal_basis: Vec::new(),
        };
        grants.consent.sort();
        grants.consent.dedup();
        for r in &bases {
            let kind: String = r.try_get("kind").map_err(err)?;
            let kind = LegalBasisKind::parse(&kind).ok_or_else(|| corrupt("legal basis"))?;
            let categories: String = r.try_get("categories").map_err(err)?;
            grants.legal_basis.extend(decode_set(&categories, ShareCategory::parse).into_iter().map(|c| (c, kind)));
        }
        Ok(grants)
    }

    async fn record_legal_basis(&self, audit: &AuditCtx, new: NewLegalBasis) -> StoreResult<i64> {
        let recorded_by = audit.actor_user_id.ok_or_else(|| StoreError::Corrupt("a legal basis is recorded by someone".into()))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO legal_bases (citizen_id, course_id, kind, reason, categories, valid_from_ms, valid_to_ms, \
             recorded_by_user_id, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.map(|c| c.0))
        .bind(new.kind.as_str())
        .bind(&new.reason)
        .bind(encode_set(&new.categories, ShareCategory::as_str))
        .bind(new.valid_from_ms)
        .bind(new.valid_to_ms)
        .bind(recorded_by.0)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::LegalBasis))?;
        insert_orgs(&mut tx, "legal_basis_orgs (legal_basis_id, org_id)", id, &new.orgs).await?;
        let event = AuditEvent::allowed(AuditAction::LegalBasisRecorded).subject(new.citizen_id).object(format!("legal_basis:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn legal_bases(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<LegalBasis>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(
            "SELECT b.*, u.display_name AS recorded_by FROM legal_bases b JOIN users u ON u.id = b.recorded_by_user_id \
             WHERE b.citizen_id = $1 ORDER BY b.recorded_ms DESC, b.id DESC",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let orgs = sqlx::query(
            "SELECT lo.legal_basis_id, o.id, o.name FROM legal_basis_orgs lo JOIN legal_bases b ON b.id = lo.legal_basis_id \
             JOIN organisations o ON o.id = lo.org_id WHERE b.citizen_id = $1 ORDER BY o.name",
        )
        .bind(citizen.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id").map_err(err)?;
            let members = orgs_of(&orgs, "legal_basis_id", id)?;
            let kind: String = r.try_get("kind").map_err(err)?;
            let categories: String = r.try_get("categories").map_err(err)?;
            out.push(LegalBasis {
                id,
                kind: LegalBasisKind::parse(&kind).ok_or_else(|| corrupt("legal basis"))?,
                reason: r.try_get("reason").map_err(err)?,
                orgs: members,
                categories: decode_set(&categories, ShareCategory::parse),
                valid_from_ms: r.try_get("valid_from_ms").map_err(err)?,
                valid_to_ms: r.try_get("valid_to_ms").map_err(err)?,
                recorded_by: r.try_get("recorded_by").map_err(err)?,
                recorded_ms: r.try_get("recorded_ms").map_err(err)?,
                ended_ms: r.try_get("ended_ms").map_err(err)?,
            });
        }
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::LegalBasisRead).subject(citizen)).await?;
        Ok(out)
    }

    async fn end_legal_basis(&self, audit: &AuditCtx, citizen: CitizenId, id: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        end_once(&mut tx, audit, LEGAL_BASIS_END, citizen, id).await?;
        commit(tx).await
    }

    async fn start_emergency_access(&self, audit: &AuditCtx, new: NewEmergencyAccess) -> StoreResult<i64> {
        let user = audit.actor_user_id.ok_or_else(|| StoreError::Corrupt("an emergency access has a person".into()))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO emergency_accesses (citizen_id, course_id, user_id, org_id, reason, started_ms, ends_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.citizen_id.0)
        .bind(new.course_id.0)
        .bind(user.0)
        .bind(new.org_id.0)
        .bind(&new.reason)
        .bind(audit.at_ms)
        .bind(new.ends_ms)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err(Conflict::Emergency))?;
        let event = AuditEvent::allowed(AuditAction::EmergencyAccessStarted).subject(new.citizen_id).object(format!("emergency:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn emergency_active(&self, citizen: CitizenId, user: UserId, now: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM emergency_accesses WHERE citizen_id = $1 AND user_id = $2 AND started_ms <= $3 AND ends_ms > $3",
        )
        .bind(citizen.0)
        .bind(user.0)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(err)?;
        Ok(n > 0)
    }

    async fn emergency_accesses_of(&self, audit: &AuditCtx, citizen: CitizenId) -> StoreResult<Vec<EmergencyAccess>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!("{EMERGENCY_SELECT} WHERE e.citizen_id = $1 ORDER BY e.started_ms DESC, e.id DESC"))
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let out = rows.iter().map(emergency_from_row).collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::EmergencyAccessRead).subject(citizen)).await?;
        Ok(out)
    }

    async fn emergency_reviews(&self, audit: &AuditCtx, org: OrgId) -> StoreResult<Vec<EmergencyAccess>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!("{EMERGENCY_SELECT} WHERE e.org_id = $1 ORDER BY e.started_ms DESC, e.id DESC"))
            .bind(org.0)
            .fetch_all(&mut *tx)
            .await
            .map_err(err)?;
        let out = rows.iter().map(emergency_from_row).collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(tx, audit, &AuditEvent::allowed(AuditAction::EmergencyReviewsRead).object(format!("org:{}", org.0))).await?;
        Ok(out)
    }

    async fn review_emergency_access(&self, audit: &AuditCtx, org: OrgId, id: i64, comment: String) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("SELECT citizen_id, reviewed_ms FROM emergency_accesses WHERE id = $1 AND org_id = $2{ROW_LOCK}"))
            .bind(id)
            .bind(org.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?
            .ok_or(StoreError::NotFound)?;
        let reviewed: Option<i64> = row.try_get("reviewed_ms").map_err(err)?;
        if reviewed.is_some() {
            return Err(StoreError::Conflict(Conflict::Reviewed));
        }
        let citizen = CitizenId(row.try_get("citizen_id").map_err(err)?);
        sqlx::query("UPDATE emergency_accesses SET reviewed_ms = $1, reviewed_by_user_id = $2, review_comment = $3 WHERE id = $4")
            .bind(audit.at_ms)
            .bind(audit.actor_user_id.map(|u| u.0))
            .bind(comment)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::EmergencyAccessReviewed).subject(citizen).object(format!("emergency:{id}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn consent_document(&self, audit: &AuditCtx, citizen: CitizenId, id: i64) -> StoreResult<ConsentDocument> {
        let mut tx = self.begin_read().await?;
        let row = sqlx::query(
            "SELECT document_name, document_type, document FROM consents WHERE id = $1 AND citizen_id = $2 AND document IS NOT NULL",
        )
        .bind(id)
        .bind(citizen.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(err)?
        .ok_or(StoreError::NotFound)?;
        let document = ConsentDocument {
            name: row.try_get("document_name").map_err(err)?,
            content_type: row.try_get("document_type").map_err(err)?,
            bytes: row.try_get("document").map_err(err)?,
        };
        let event = AuditEvent::allowed(AuditAction::ConsentDocumentRead).subject(citizen).object(format!("consent:{id}"));
        self.finish_read(tx, audit, &event).await?;
        Ok(document)
    }
}

// ---------------------------------------------------------------------------------------------
// Courses and care teams.

use bro_domain::{CollaborationId, CourseId, CourseRole, LegalFrame, MemberId, PhaseScheme, ShareCategory, TargetGroup};
use bro_domain::course::{decode_set, encode_set};
use bro_store::{
    CareTeamStore, CitizenHit, CitizenQuery, CitizenSearchStore, Course, CourseAccess, CourseEvent, CourseStore, CourseSummary, Member, NetworkMember, NewMember,
    NewNetworkMember, StaffOption,
};

async fn course_event(tx: &mut Tx, audit: &AuditCtx, course: CourseId, kind: &str, detail: &str) -> StoreResult<()> {
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
async fn record_change(
    tx: &mut Tx,
    audit: &AuditCtx,
    course: CourseId,
    citizen: CitizenId,
    (kind, detail): (&str, &str),
    action: AuditAction,
    object: String,
) -> StoreResult<()> {
    course_event(tx, audit, course, kind, detail).await?;
    append(tx, audit, &AuditEvent::allowed(action).subject(citizen).object(object)).await
}

/// The citizen of a course, for the audit record's subject; NotFound when there is no course.
async fn course_citizen(tx: &mut Tx, course: CourseId) -> StoreResult<(CitizenId, bool)> {
    course_row(tx, course, "").await
}

/// Like [`course_citizen`], and locks the course row for the rest of the transaction, so that
/// changes to one course (team, coordinator, closing, plan) happen one after the other.
async fn lock_course(tx: &mut Tx, course: CourseId) -> StoreResult<(CitizenId, bool)> {
    course_row(tx, course, ROW_LOCK).await
}

/// Locks a course that must still be open; `Conflict::Closed` when it is closed.
async fn lock_open_course(tx: &mut Tx, course: CourseId) -> StoreResult<CitizenId> {
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
    Ok((CitizenId(row.try_get("citizen_id").map_err(err)?), closed.is_some()))
}

async fn insert_member(tx: &mut Tx, audit: &AuditCtx, course: CourseId, m: &NewMember, coordinator: bool) -> StoreResult<MemberId> {
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

fn member_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<Member> {
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
fn scheme_from(r: &<Db as sqlx::Database>::Row) -> StoreResult<PhaseScheme> {
    let phases: Option<String> = r.try_get("phases").map_err(err)?;
    PhaseScheme::from_json(phases.as_deref()).map_err(|_| corrupt("phases"))
}

/// A course's phase and the scheme it belongs to, checked against each other.
/// Whether the plan of course `c` is shared with the organisation of team member `m` at time
/// `$2`: its holder's own, or a consent or legal basis in force for the plan. The same rule as
/// `bro_authz::sharing`, in SQL so lists are filtered in the query; the HTTP tests hold the
/// two to each other.
const PLAN_SHARED: &str = "(m.org_id = (SELECT h.org_id FROM care_team_members h WHERE h.course_id = c.id AND h.is_coordinator AND h.removed_ms IS NULL) \
     OR EXISTS (SELECT 1 FROM consents k JOIN consent_orgs ko ON ko.consent_id = k.id WHERE k.citizen_id = c.citizen_id \
       AND ko.org_id = m.org_id AND k.withdrawn_ms IS NULL AND k.valid_from_ms <= $2 AND (k.valid_to_ms IS NULL OR k.valid_to_ms > $2) \
       AND (',' || k.categories || ',') LIKE '%,plan,%') \
     OR EXISTS (SELECT 1 FROM legal_bases b JOIN legal_basis_orgs bo ON bo.legal_basis_id = b.id WHERE b.citizen_id = c.citizen_id \
       AND bo.org_id = m.org_id AND b.ended_ms IS NULL AND b.valid_from_ms <= $2 AND b.valid_to_ms > $2 \
       AND (',' || b.categories || ',') LIKE '%,plan,%'))";

fn phase_from(r: &<Db as sqlx::Database>::Row, column: &str) -> StoreResult<(String, PhaseScheme)> {
    let scheme = scheme_from(r)?;
    let phase: String = r.try_get(column).map_err(err)?;
    if !scheme.contains(&phase) {
        return Err(corrupt("phase"));
    }
    Ok((phase, scheme))
}

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
        let first = PhaseScheme::from_json(phases.as_deref()).map_err(|_| corrupt("phases"))?.first();
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
        insert_member(&mut tx, audit, course, &new.coordinator, true).await?;
        let event = AuditEvent::allowed(AuditAction::CourseOpened).subject(new.citizen_id).object(format!("course:{id}"));
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
            holder_org: row.try_get::<Option<i64>, _>("holder_org").map_err(err)?.map(OrgId),
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
        let network_rows = sqlx::query(
            "SELECT id, name, relation, phone, may_see, user_id FROM network_members WHERE citizen_id = $1 AND removed_ms IS NULL ORDER BY name, id",
        )
        .bind(citizen_id.0)
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
                    has_login: r.try_get::<Option<i64>, _>("user_id").map_err(err)?.is_some(),
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
            team: team.iter().map(member_from_row).collect::<StoreResult<_>>()?,
            network,
            timeline,
        };
        let event = AuditEvent::allowed(AuditAction::CourseRead).subject(citizen_id).object(format!("course:{}", course.0));
        self.finish_read(tx, audit, &event).await?;
        Ok(result)
    }

    async fn my_courses(&self, audit: &AuditCtx, user: UserId) -> StoreResult<Vec<CourseSummary>> {
        let mut tx = self.begin_read().await?;
        let rows = sqlx::query(&format!(
            // The sharing rule is evaluated once per course; the review date is read only where
            // the plan is shared.
            "SELECT s.*, CASE WHEN s.plan_shared THEN \
               (SELECT p.review_date FROM plan_versions p WHERE p.course_id = s.id ORDER BY p.version DESC LIMIT 1) END AS review_date \
             FROM (SELECT c.id, c.citizen_id, c.phase, c.phases, c.opened_ms, m.course_role, m.is_coordinator, \
               z.given_name, z.family_name, {PLAN_SHARED} AS plan_shared, \
               (SELECT COUNT(*) FROM course_events e WHERE e.course_id = c.id AND e.kind = 'consent_requested' \
                 AND e.at_ms > COALESCE((SELECT MAX(k.recorded_ms) FROM consents k WHERE k.citizen_id = c.citizen_id), 0)) AS consent_requests \
               FROM care_team_members m JOIN courses c ON c.id = m.course_id JOIN citizens z ON z.id = c.citizen_id \
               WHERE m.user_id = $1 AND m.removed_ms IS NULL AND c.closed_ms IS NULL \
                 AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = m.user_id AND ra.unit_id = m.unit_id)) s \
             ORDER BY s.family_name, s.given_name, s.id"
        ))
        .bind(user.0)
        .bind(audit.at_ms)
        .fetch_all(&mut *tx)
        .await
        .map_err(err)?;
        let mut out = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
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
            };
            let event = AuditEvent::allowed(AuditAction::CourseListed)
                .subject(summary.citizen_id)
                .object(format!("course:{}", summary.id.0));
            records.push((audit.tenant_id, audit.fields(&event)));
            out.push(summary);
        }
        self.finish_read_many(tx, records).await?;
        Ok(out)
    }

    async fn move_phase(&self, audit: &AuditCtx, course: CourseId, from: &str, to: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        let done = sqlx::query("UPDATE courses SET phase = $1 WHERE id = $2 AND phase = $3 AND closed_ms IS NULL")
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

    async fn close_course(&self, audit: &AuditCtx, course: CourseId, reason: String, next_step: String) -> StoreResult<()> {
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

    async fn request_consent(&self, audit: &AuditCtx, course: CourseId, category: ShareCategory) -> StoreResult<()> {
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

#[async_trait]
impl CareTeamStore for Backend {
    async fn add_member(&self, audit: &AuditCtx, course: CourseId, new: NewMember) -> StoreResult<MemberId> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let id = insert_member(&mut tx, audit, course, &new, false).await?;
        let event = AuditEvent::allowed(AuditAction::TeamMemberAdded).subject(citizen).object(format!("member:{}", id.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn remove_member(&self, audit: &AuditCtx, course: CourseId, member: MemberId) -> StoreResult<()> {
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

    async fn set_coordinator(&self, audit: &AuditCtx, course: CourseId, member: MemberId) -> StoreResult<()> {
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
        let done = sqlx::query("UPDATE care_team_members SET is_coordinator = $1 WHERE id = $2 AND removed_ms IS NULL")
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

    async fn add_network_member(&self, audit: &AuditCtx, course: CourseId, new: NewNetworkMember) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        if let Some(user) = new.user_id {
            // Only a login linked to this citizen as a relative.
            let linked: Option<i64> = sqlx::query_scalar("SELECT user_id FROM relatives WHERE citizen_id = $1 AND user_id = $2")
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

    async fn remove_network_member(&self, audit: &AuditCtx, course: CourseId, member: i64) -> StoreResult<()> {
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

    async fn set_network_share(&self, audit: &AuditCtx, citizen: CitizenId, member: i64, may_see: Vec<ShareCategory>) -> StoreResult<()> {
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
        let event = AuditEvent::allowed(AuditAction::NetworkShareChanged).subject(citizen).object(format!("network:{member}"));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn relative_accounts(&self, citizen: CitizenId) -> StoreResult<Vec<(UserId, String, String)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name, r.relation FROM relatives r JOIN users u ON u.id = r.user_id \
             WHERE r.citizen_id = $1 ORDER BY u.display_name",
        )
        .bind(citizen.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id").map_err(err)?), r.try_get("display_name").map_err(err)?, r.try_get("relation").map_err(err)?)))
            .collect()
    }

    async fn shared_with_relative(&self, citizen: CitizenId, user: UserId) -> StoreResult<Vec<ShareCategory>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT may_see FROM network_members WHERE citizen_id = $1 AND user_id = $2 AND removed_ms IS NULL",
        )
        .bind(citizen.0)
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        let mut shared: Vec<ShareCategory> = rows.iter().flat_map(|r| decode_set(r, ShareCategory::parse)).collect();
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

#[async_trait]
impl CitizenSearchStore for Backend {
    async fn search_citizens(&self, audit: &AuditCtx, query: &CitizenQuery, user: UserId, limit: i64) -> StoreResult<Vec<CitizenHit>> {
        let mut tx = self.begin_read().await?;
        // The page's citizens first, then each one's open course and the viewer's place on its team.
        let page_of = |citizens: &str| {
            format!(
                "SELECT z.id, z.cpr, z.given_name, z.family_name, c.id AS course_id, m.id AS member_id FROM ({citizens}) z \
                 LEFT JOIN courses c ON c.citizen_id = z.id AND c.closed_ms IS NULL \
                 LEFT JOIN care_team_members m ON m.course_id = c.id AND m.user_id = $1 AND m.removed_ms IS NULL \
                 ORDER BY z.family_name, z.given_name, z.id"
            )
        };
        let rows = match query {
            CitizenQuery::Cpr(cpr) => {
                let sql = page_of("SELECT id, cpr, given_name, family_name FROM citizens WHERE cpr = $2 LIMIT $3");
                sqlx::query(&sql).bind(user.0).bind(cpr.compact()).bind(limit).fetch_all(&mut *tx).await
            }
            // Every word of the text must begin a word of the name. The longest leads: a range of
            // the word index (migration 17), read in word and page order and stopped after
            // NAME_CANDIDATES, so a common name costs no more than a rare one (with a full page,
            // the page asks for more letters). The other words are checked on those rows. No
            // name holds LIKE's wildcards, so a text with one matches nobody.
            CitizenQuery::Name(name) if name.contains(['%', '_', '\\']) || bro_store::name_words(name).is_empty() => Ok(Vec::new()),
            CitizenQuery::Name(name) => {
                let mut words = bro_store::name_words(name);
                words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
                words.truncate(MAX_NAME_WORDS);
                let (lead, others) = words.split_first().map_or(("", &[][..]), |(l, o)| (l.as_str(), o));
                let others_begin_words: String = (0..others.len())
                    .map(|k| format!(" AND (' ' || REPLACE(c.search_name, '-', ' ')) LIKE ${}", k + 5))
                    .collect();
                let sql = page_of(&format!(
                    "SELECT * FROM (SELECT id, cpr, given_name, family_name FROM citizens WHERE id IN \
                       (SELECT w.citizen_id FROM citizen_name_words w JOIN citizens c ON c.id = w.citizen_id \
                        WHERE w.word >= $2 AND w.word < $3{others_begin_words} \
                        ORDER BY w.word, w.family_name, w.given_name, w.citizen_id LIMIT {NAME_CANDIDATES})) k \
                     ORDER BY family_name, given_name, id LIMIT $4"
                ));
                // Planned for each text (as the access log): a plan cached for any text guesses the
                // range's size and may read it whole and sort it.
                let mut q = sqlx::query(&sql)
                    .persistent(false)
                    .bind(user.0)
                    .bind(lead)
                    .bind(format!("{lead}\u{10FFFF}"))
                    .bind(limit);
                for word in others {
                    q = q.bind(format!("% {word}%"));
                }
                q.fetch_all(&mut *tx).await
            }
        }
        .map_err(err)?;
        let mut hits = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len().max(1));
        for r in &rows {
            let cpr: String = r.try_get("cpr").map_err(err)?;
            let given: String = r.try_get("given_name").map_err(err)?;
            let family: String = r.try_get("family_name").map_err(err)?;
            let course: Option<i64> = r.try_get("course_id").map_err(err)?;
            let member: Option<i64> = r.try_get("member_id").map_err(err)?;
            let hit = CitizenHit {
                citizen_id: CitizenId(r.try_get("id").map_err(err)?),
                name: format!("{given} {family}"),
                cpr: Cpr::parse(&cpr).map_err(|_| corrupt("cpr"))?,
                open_course: course.map(CourseId),
                member: member.is_some(),
            };
            let event = AuditEvent::allowed(AuditAction::CitizenSearched).subject(hit.citizen_id);
            records.push((audit.tenant_id, audit.fields(&event)));
            hits.push(hit);
        }
        if hits.is_empty() {
            records.push((audit.tenant_id, audit.fields(&AuditEvent::allowed(AuditAction::CitizenSearched))));
        }
        // One record per citizen shown, appended to the chain in one step.
        self.finish_read_many(tx, records).await?;
        Ok(hits)
    }
}

// ---------------------------------------------------------------------------------------------
// Plans.

use bro_domain::plan::{PlanContent, Section};
use bro_store::{PlanComment, PlanStore, PlanVersion};

const PLAN_COLUMNS: &str = "p.course_id, p.version, p.at_ms, p.section, p.content, u.display_name";

fn plan_from_row(r: &<Db as sqlx::Database>::Row) -> StoreResult<PlanVersion> {
    let section: String = r.try_get("section").map_err(err)?;
    let content: String = r.try_get("content").map_err(err)?;
    Ok(PlanVersion {
        course_id: CourseId(r.try_get("course_id").map_err(err)?),
        version: r.try_get("version").map_err(err)?,
        at_ms: r.try_get("at_ms").map_err(err)?,
        author_name: r.try_get("display_name").map_err(err)?,
        section: Section::parse(&section).ok_or_else(|| corrupt("plan section"))?,
        content: PlanContent::from_json(&content).map_err(|e| corrupt(&format!("plan content: {e}")))?,
    })
}

/// The record of reading `course`'s plan; an unknown course is not found.
async fn plan_read_event(tx: &mut Tx, course: CourseId) -> StoreResult<AuditEvent> {
    let (citizen, _) = course_citizen(tx, course).await?;
    Ok(AuditEvent::allowed(AuditAction::PlanRead).subject(citizen).object(format!("course:{}", course.0)))
}

#[async_trait]
impl PlanStore for Backend {
    async fn plan(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Option<PlanVersion>> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 ORDER BY p.version DESC LIMIT 1"
        );
        let row = sqlx::query(&sql).bind(course.0).fetch_optional(&mut *tx).await.map_err(err)?;
        let plan = row.as_ref().map(plan_from_row).transpose()?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plan)
    }

    async fn plan_version(&self, audit: &AuditCtx, course: CourseId, version: i64) -> StoreResult<PlanVersion> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 AND p.version = $2"
        );
        let row = sqlx::query(&sql).bind(course.0).bind(version).fetch_optional(&mut *tx).await.map_err(err)?;
        let plan = plan_from_row(&row.ok_or(StoreError::NotFound)?)?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plan)
    }

    async fn plan_history(&self, audit: &AuditCtx, course: CourseId) -> StoreResult<Vec<PlanVersion>> {
        let mut tx = self.begin_read().await?;
        let event = plan_read_event(&mut tx, course).await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plan_versions p LEFT JOIN users u ON u.id = p.author_user_id \
             WHERE p.course_id = $1 ORDER BY p.version DESC"
        );
        let rows = sqlx::query(&sql).bind(course.0).fetch_all(&mut *tx).await.map_err(err)?;
        let plans = rows.iter().map(plan_from_row).collect::<StoreResult<Vec<_>>>()?;
        self.finish_read(tx, audit, &event).await?;
        Ok(plans)
    }

    async fn save_plan(
        &self,
        audit: &AuditCtx,
        course: CourseId,
        expected: i64,
        section: Section,
        content: &PlanContent,
    ) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let latest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM plan_versions WHERE course_id = $1")
            .bind(course.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(err)?;
        if latest.unwrap_or(0) != expected {
            return Err(StoreError::Conflict(Conflict::Plan));
        }
        let version = expected + 1;
        // The primary key also refuses a second writer of the same version number.
        sqlx::query(
            "INSERT INTO plan_versions (course_id, version, at_ms, author_user_id, section, review_date, content) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(course.0)
        .bind(version)
        .bind(audit.at_ms)
        .bind(audit.actor_user_id.map(|u| u.0))
        .bind(section.as_str())
        .bind(content.review_date.clone())
        .bind(content.to_json())
        .execute(&mut *tx)
        .await
        .map_err(db_err(Conflict::Plan))?;
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("plan_version", &version.to_string()),
            AuditAction::PlanSaved,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await?;
        Ok(version)
    }

    async fn agree_plan(&self, audit: &AuditCtx, course: CourseId, version: i64) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (citizen, _) = lock_course(&mut tx, course).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM plan_versions WHERE course_id = $1 AND version = $2")
            .bind(course.0)
            .bind(version)
            .fetch_optional(&mut *tx)
            .await
            .map_err(err)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        record_change(
            &mut tx,
            audit,
            course,
            citizen,
            ("citizen_agreed", &version.to_string()),
            AuditAction::PlanAgreed,
            format!("course:{}", course.0),
        )
        .await?;
        commit(tx).await
    }

    async fn comment_plan(&self, audit: &AuditCtx, course: CourseId, from_citizen: bool, text: String) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let citizen = lock_open_course(&mut tx, course).await?;
        let author = audit.actor_user_id.ok_or(StoreError::NotFound)?;
        sqlx::query("INSERT INTO plan_comments (course_id, at_ms, author_user_id, from_citizen, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(course.0)
            .bind(audit.at_ms)
            .bind(author.0)
            .bind(from_citizen)
            .bind(text)
            .execute(&mut *tx)
            .await
            .map_err(err)?;
        let event = AuditEvent::allowed(AuditAction::PlanCommented).subject(citizen).object(format!("course:{}", course.0));
        append(&mut tx, audit, &event).await?;
        commit(tx).await
    }

    async fn plan_comments(&self, course: CourseId) -> StoreResult<Vec<PlanComment>> {
        let rows = sqlx::query(
            "SELECT c.at_ms, c.from_citizen, c.text, u.display_name FROM plan_comments c JOIN users u ON u.id = c.author_user_id \
             WHERE c.course_id = $1 ORDER BY c.at_ms, c.id",
        )
        .bind(course.0)
        .fetch_all(&self.pool)
        .await
        .map_err(err)?;
        rows.iter()
            .map(|r| {
                Ok(PlanComment {
                    at_ms: r.try_get("at_ms").map_err(err)?,
                    author_name: r.try_get("display_name").map_err(err)?,
                    from_citizen: r.try_get("from_citizen").map_err(err)?,
                    text: r.try_get("text").map_err(err)?,
                })
            })
            .collect()
    }

    async fn open_course_of(&self, citizen: CitizenId) -> StoreResult<Option<CourseId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM courses WHERE citizen_id = $1 AND closed_ms IS NULL")
            .bind(citizen.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(err)?;
        Ok(id.map(CourseId))
    }
}
