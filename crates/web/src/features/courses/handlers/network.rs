//! The citizen's network on a course: people they name (relative, friend, neighbour) and what
//! each may see.

use super::super::forms::{CourseForms, valid_phone};
use super::courses::render_course;
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::forms::redirect_with_flash;
use crate::state::AppState;
use crate::ui::FormErrors;
use crate::ui::page::Page;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_domain::ShareCategory;
use bro_store::NewNetworkMember;

/// Records someone the citizen names (relative, friend, neighbour) and what they may see.
pub async fn add(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    let chrome = page.chrome(&state, &access.viewer, "/courses");
    let pairs = crate::http::forms::form_pairs(&body);
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = FormErrors::default();
    let name = bro_domain::Name::parse(&field("network_name"))
        .map_err(|e| errors.add(&chrome, "network_name", e.message_key()))
        .ok();
    let relation = field("relation");
    if relation.is_empty() {
        errors.add(&chrome, "relation", "field-required");
    } else if relation.chars().count() > 100 {
        errors.add(&chrome, "relation", "field-too-long");
    }
    let phone = field("network_phone");
    if !phone.is_empty() && !valid_phone(&phone) {
        errors.add(&chrome, "network_phone", "member-phone-invalid");
    }
    let may_see = pairs
        .iter()
        .filter(|(k, _)| k == "may_see")
        .filter_map(|(_, v)| ShareCategory::parse(v))
        .collect();
    if let (Some(name), true) = (name, errors.is_empty()) {
        let user_id = match field("relative_user").as_str() {
            "" => None,
            v => Some(bro_domain::UserId(
                v.parse().map_err(|_| AppError::NotFound)?,
            )),
        };
        let new = NewNetworkMember {
            name: name.into_string(),
            relation,
            phone,
            may_see,
            user_id,
        };
        state
            .store
            .add_network_member(ctx, a.course_id, new)
            .await?;
        return Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}"),
            "flash-network-added",
        ));
    }
    let forms = CourseForms {
        errors,
        network_name: field("network_name"),
        relation: field("relation"),
        ..CourseForms::default()
    };
    render_course(
        &state,
        &access,
        chrome,
        &scope,
        None,
        forms,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn remove(
    State(state): State<AppState>,
    access: AuditedAccess,
    Path((id, member)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let scope = CourseScope::manage(&state, &access, id).await?;
    let CourseScope { course: a, ctx } = &scope;
    state
        .store
        .remove_network_member(ctx, a.course_id, member)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/courses/{id}"),
        "flash-network-removed",
    ))
}
