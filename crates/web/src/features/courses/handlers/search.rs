//! Finding a citizen to open or find their course: anyone by CPR number or by full name and
//! birth date, one's own citizens by part of a name; searches are limited per user.

use super::super::forms::{SEARCH_HITS, SearchForm, parse_query};
use super::super::views::CitizenSearchPage;
use crate::access::{AuditedAccess, StaffScope};
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{FormErrors, respond as html};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bro_store::CitizenQuery;

pub async fn search_form(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
) -> Result<Response, AppError> {
    StaffScope::search_page(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let by_cpr = false;
    let view = CitizenSearchPage {
        flash: page.flash(&chrome),
        errors: FormErrors::default(),
        q: String::new(),
        born: String::new(),
        hits: None,
        can_open: access.viewer.actor.has_role(bro_domain::Role::Coordinator),
        // No results, no forms to open a course from.
        collaborations: Vec::new(),
        by_cpr,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// Searches by POST, so neither names nor CPR numbers end up in URLs or access logs.
pub async fn search(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Form(form): Form<SearchForm>,
) -> Result<Response, AppError> {
    let scope = StaffScope::search(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/citizens/search");
    let mut errors = FormErrors::default();
    let query = parse_query(&form.q, &form.born);
    let by_cpr = matches!(query, Ok(CitizenQuery::Cpr(_)));
    let (hits, status) = match (scope, query) {
        (None, _) => {
            errors.add(&chrome, "q", "search-throttled");
            (None, StatusCode::TOO_MANY_REQUESTS)
        }
        (Some(StaffScope { ctx }), Ok(query)) => (
            Some(
                state
                    .store
                    .search_citizens(&ctx, &query, access.viewer.user.id, SEARCH_HITS)
                    .await?,
            ),
            StatusCode::OK,
        ),
        (Some(_), Err((field, key))) => {
            errors.add(&chrome, field, key);
            (None, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let can_open = access.viewer.actor.has_role(bro_domain::Role::Coordinator);
    let collaborations = match access.viewer.active_role() {
        Some(r) if can_open => state.store.collaborations_of(r.org_id).await?,
        _ => Vec::new(),
    };
    let view = CitizenSearchPage {
        flash: None,
        errors,
        q: form.q,
        born: form.born,
        hits,
        can_open,
        collaborations,
        by_cpr,
        chrome,
    };
    html(status, view)
}
