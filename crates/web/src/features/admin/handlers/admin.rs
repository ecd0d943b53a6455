//! An organisation's administration: units, users, roles, second-factor policy. An admin works
//! only in the organisation of their active admin role; everything else is "not found" and the
//! attempt is in the audit log.

use super::super::forms::{NewUserForm, PasswordForm, RoleForm, SettingsForm, UnitForm};
use super::super::views::{
    AdminOverviewPage, AdminUnitsPage, AdminUserNewPage, AdminUserPage, AdminUsersPage, AuditRow,
    UserRow,
};
use crate::access::{AdminScope, AuditedAccess};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::live::Ended;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::{AccountKind, OrgId, Password, Role, UnitKind, UserId};
use bro_store::{AuditCtx, NewUnit, NewUser, StoreError};

pub async fn overview(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org: org_id, ctx } = AdminScope::active(&state, &access).await?;
    let org = state.store.organisation(org_id).await?;
    let units = state.store.units(org_id).await?;
    let users = state.store.users_of_org(&ctx, org_id).await?;
    let audit = state.store.recent_audit(org_id.0, 20).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin");
    let audit = audit
        .into_iter()
        .map(|r| AuditRow {
            seq: r.seq,
            time: crate::ui::local_time(r.fields.at_ms),
            action: r.fields.action,
            outcome: chrome.t(&format!("outcome-{}", r.fields.outcome.as_str())),
            object: r.fields.object.unwrap_or_default(),
        })
        .collect();
    html(
        StatusCode::OK,
        AdminOverviewPage {
            flash: page.flash(&chrome),
            org_name: org.name,
            org_kind_key: org.kind.label_key(),
            unit_count: units.len(),
            user_count: users.len(),
            require_second_factor: org.require_second_factor,
            audit,
            chrome,
        },
    )
}

pub async fn settings(
    State(state): State<AppState>,
    access: AuditedAccess,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let required = form.require_second_factor();
    state
        .store
        .set_require_second_factor(&ctx, org, required)
        .await?;
    Ok(redirect_with_flash(&state, "/admin", "flash-saved"))
}

async fn units_page(
    state: &AppState,
    chrome: Chrome,
    flash: Option<String>,
    org: OrgId,
    errors: FormErrors,
    form: UnitForm,
    status: StatusCode,
) -> Result<Response, AppError> {
    let org_name = state.store.organisation(org).await?.name;
    let units = state.store.units(org).await?;
    html(
        status,
        AdminUnitsPage {
            flash,
            errors,
            org_name,
            units,
            kinds: UnitKind::ALL,
            unit_name: form.name,
            kind: form.kind,
            chrome,
        },
    )
}

pub async fn units(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, .. } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/units");
    let flash = page.flash(&chrome);
    units_page(
        &state,
        chrome,
        flash,
        org,
        FormErrors::default(),
        UnitForm::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create_unit(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<UnitForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/units");
    let mut errors = FormErrors::default();
    if let Some((name, kind)) = form.parse(&chrome, &mut errors) {
        match state
            .store
            .create_unit(
                &ctx,
                NewUnit {
                    org_id: org,
                    name,
                    kind,
                },
            )
            .await
        {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    "/admin/units",
                    "flash-unit-created",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "name", "admin-unit-name-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    units_page(
        &state,
        chrome,
        None,
        org,
        errors,
        form,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn users(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let org_name = state.store.organisation(org).await?.name;
    let users = state.store.users_of_org(&ctx, org).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users");
    let users = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            roles: u
                .roles
                .iter()
                .map(|r| format!("{} ({})", chrome.t(r.role.label_key()), r.unit_name))
                .collect::<Vec<_>>()
                .join(", "),
            name: u.display_name,
            username: u.username,
            active: u.active,
        })
        .collect();
    html(
        StatusCode::OK,
        AdminUsersPage {
            flash: page.flash(&chrome),
            org_name,
            users,
            chrome,
        },
    )
}

pub async fn new_user(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    let AdminScope { org, .. } = AdminScope::active(&state, &access).await?;
    let units = state.store.units(org).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users/new");
    html(
        StatusCode::OK,
        AdminUserNewPage {
            errors: FormErrors::default(),
            display_name: String::new(),
            username: String::new(),
            units,
            all_roles: Role::ALL,
            unit: String::new(),
            role: String::new(),
            chrome,
        },
    )
}

pub async fn create_user(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let units = state.store.units(org).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users/new");
    let mut errors = FormErrors::default();
    if let Some(staff) = form.parse(&chrome, &mut errors, &units) {
        let password = staff.password.expose().to_owned();
        let password_hash = bro_auth::password::hash_password(password).await?;
        let new = NewUser {
            org_id: Some(org),
            username: staff.username,
            display_name: staff.display_name,
            password_hash,
            kind: AccountKind::Staff,
            citizen_id: None,
            initial_role: Some(staff.role),
        };
        match state.store.create_user(&ctx, new).await {
            Ok(id) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/admin/users/{}", id.0),
                    "flash-user-created",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "username", "admin-username-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        AdminUserNewPage {
            errors,
            display_name: form.display_name,
            username: form.username,
            units,
            all_roles: Role::ALL,
            unit: form.unit,
            role: form.role,
            chrome,
        },
    )
}

/// What the user page shows besides the user: the outcome of a refused form, or a flash.
struct UserPageState {
    flash: Option<String>,
    errors: FormErrors,
    password_errors: FormErrors,
    unit: String,
    role: String,
    status: StatusCode,
}

async fn user_page(
    state: &AppState,
    chrome: Chrome,
    ctx: &AuditCtx,
    org: OrgId,
    id: UserId,
    p: UserPageState,
) -> Result<Response, AppError> {
    let user = state.store.user(ctx, Some(org), id).await?;
    let units = state.store.units(org).await?;
    html(
        p.status,
        AdminUserPage {
            flash: p.flash,
            errors: p.errors,
            password_errors: p.password_errors,
            user,
            units,
            all_roles: Role::ALL,
            unit: p.unit,
            role: p.role,
            chrome,
        },
    )
}

pub async fn user(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users");
    let flash = page.flash(&chrome);
    let page = UserPageState {
        flash,
        errors: FormErrors::default(),
        password_errors: FormErrors::default(),
        unit: String::new(),
        role: String::new(),
        status: StatusCode::OK,
    };
    user_page(&state, chrome, &ctx, org, UserId(id), page).await
}

/// The target account, read within the admin's organisation: other organisations' accounts
/// are not found (and the attempt is audited by the store).
async fn own_org_user(
    state: &AppState,
    ctx: &AuditCtx,
    org: OrgId,
    id: i64,
) -> Result<UserId, AppError> {
    Ok(state.store.user(ctx, Some(org), UserId(id)).await?.id)
}

pub async fn grant_role(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let user = own_org_user(&state, &ctx, org, id).await?;
    let units = state.store.units(org).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users");
    let mut errors = FormErrors::default();
    if let Some((unit, role)) = form.parse(&chrome, &mut errors, &units) {
        match state.store.grant_role(&ctx, user, unit, role).await {
            Ok(_) => {
                return Ok(redirect_with_flash(
                    &state,
                    &format!("/admin/users/{id}"),
                    "flash-role-granted",
                ));
            }
            Err(StoreError::Conflict(_)) => errors.add(&chrome, "role", "admin-role-held"),
            Err(e) => return Err(e.into()),
        }
    }
    let page = UserPageState {
        flash: None,
        errors,
        password_errors: FormErrors::default(),
        unit: form.unit,
        role: form.role,
        status: StatusCode::UNPROCESSABLE_ENTITY,
    };
    user_page(&state, chrome, &ctx, org, user, page).await
}

pub async fn revoke_role(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, assignment)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let user = own_org_user(&state, &ctx, org, id).await?;
    // Only roles in this organisation's units: a user may also work for another organisation.
    let held = state.store.roles(user).await?;
    if !held.iter().any(|r| r.id == assignment && r.org_id == org) {
        return Err(AppError::NotFound);
    }
    state.store.revoke_role(&ctx, user, assignment).await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/admin/users/{id}"),
        "flash-role-revoked",
    ))
}

pub async fn reset_password(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let user = own_org_user(&state, &ctx, org, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/admin/users");
    match Password::parse(&form.password) {
        Ok(p) => {
            let hash = bro_auth::password::hash_password(p.expose().to_owned()).await?;
            state.store.set_password(&ctx, user, hash).await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/admin/users/{id}"),
                "flash-password-reset",
            ))
        }
        Err(e) => {
            let mut password_errors = FormErrors::default();
            password_errors.add(&chrome, "password", e.message_key());
            let page = UserPageState {
                flash: None,
                errors: FormErrors::default(),
                password_errors,
                unit: String::new(),
                role: String::new(),
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            user_page(&state, chrome, &ctx, org, user, page).await
        }
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let AdminScope { org, ctx } = AdminScope::active(&state, &access).await?;
    let user = own_org_user(&state, &ctx, org, id).await?;
    state.store.deactivate_user(&ctx, user).await?;
    state.live.end(Ended::User(user));
    Ok(redirect_with_flash(
        &state,
        &format!("/admin/users/{id}"),
        "flash-user-deactivated",
    ))
}
