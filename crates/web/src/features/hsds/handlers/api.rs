//! The HSDS 3.0 API's read endpoints. Lists are pages (`page` from 1, `per_page` up to 500);
//! `modified_after` (RFC 3339) keeps the services changed since.

use crate::http::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bro_domain::Language;
use bro_domain::offer::OfferCategory;
use bro_hsds::{Kind, Namespace};
use bro_store::Offer;
use serde::Deserialize;
use serde_json::Value;

/// Most items one page holds.
const MAX_PER_PAGE: usize = 500;
/// The refusal of a page outside those bounds.
const BAD_PAGE: &str = "page counts from 1, and per_page is 1 to 500";

#[derive(Deserialize, Default)]
pub(crate) struct PageQuery {
    page: Option<usize>,
    per_page: Option<usize>,
    modified_after: Option<String>,
}

impl PageQuery {
    /// (page number from 1, size, offset), or `None` for a bad value (see [`BAD_PAGE`]).
    fn window(&self) -> Option<(usize, usize, usize)> {
        let page = self.page.unwrap_or(1);
        let size = self.per_page.unwrap_or(50);
        (page > 0 && size > 0 && size <= MAX_PER_PAGE).then(|| (page, size, (page - 1) * size))
    }
}

fn json(status: StatusCode, v: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// An error as JSON, naming what was wrong (never personal data: there is none here).
fn problem(status: StatusCode, detail: &str) -> Response {
    json(status, &serde_json::json!({ "error": detail }))
}

/// An offer as a service, its category and referrers named in Danish.
fn service_of(state: &AppState, ns: Namespace, o: &Offer) -> Value {
    bro_hsds::service_of(ns, o, &|key| state.i18n.get(Language::Da, key))
}

/// This instance's namespace of ids.
async fn namespace(state: &AppState) -> Result<Namespace, AppError> {
    let stored = state.store.meta(bro_hsds::NAMESPACE_KEY).await?;
    Ok(bro_hsds::namespace_from(stored.as_deref()))
}

pub async fn root() -> Response {
    json(StatusCode::OK, &bro_hsds::root())
}

pub async fn services(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let Some((page, size, offset)) = q.window() else {
        return Ok(problem(StatusCode::BAD_REQUEST, BAD_PAGE));
    };
    let after = match q.modified_after.as_deref() {
        None | Some("") => i64::MIN,
        Some(t) => {
            match time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339) {
                Ok(t) => i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX),
                Err(_) => {
                    return Ok(problem(
                        StatusCode::BAD_REQUEST,
                        "modified_after is an RFC 3339 date-time",
                    ));
                }
            }
        }
    };
    let (services, total) = state
        .store
        .open_services(after, offset as i64, size as i64)
        .await?;
    let ns = namespace(&state).await?;
    let name = |key: &str| state.i18n.get(Language::Da, key);
    let contents = services
        .iter()
        .map(|s| bro_hsds::open_service(ns, s, &name))
        .collect();
    let total = usize::try_from(total).unwrap_or(0);
    Ok(json(
        StatusCode::OK,
        &bro_hsds::page(contents, total, page, size),
    ))
}

/// A service by its HSDS id: one of Bro's own offers, else an imported one; `None` when there
/// is none.
async fn open_service(state: &AppState, id: &str) -> Result<Option<Value>, AppError> {
    let ns = namespace(state).await?;
    let found = match bro_hsds::id_of(ns, Kind::Service, id) {
        Some(own) => state
            .store
            .offer(own)
            .await
            .map(|o| service_of(state, ns, &o)),
        None => Err(bro_store::StoreError::NotFound),
    };
    let found = match found {
        Err(bro_store::StoreError::NotFound) => state
            .store
            .external_offer_by_source(id)
            .await
            .map(|o| bro_hsds::parse_source(&o.source)),
        other => other,
    };
    match found {
        Ok(v) => Ok(Some(v)),
        Err(bro_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub async fn service(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    Ok(match open_service(&state, &id).await? {
        Some(v) => json(StatusCode::OK, &v),
        None => problem(StatusCode::NOT_FOUND, "no such service"),
    })
}

pub async fn organizations(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let Some((page, size, offset)) = q.window() else {
        return Ok(problem(StatusCode::BAD_REQUEST, BAD_PAGE));
    };
    // Bro's own organisations, then the other directories' (as their sources published them).
    let ns = namespace(&state).await?;
    let own = state.store.organisations().await?;
    let external = state.store.external_organisations().await?;
    let all: Vec<Value> = own
        .iter()
        .map(|o| bro_hsds::organization(ns, o.id.0, &o.name, &[]))
        .chain(
            external
                .iter()
                .map(|(o, _)| bro_hsds::external_organization(&o.source, &[])),
        )
        .collect();
    let total = all.len();
    let contents = all.into_iter().skip(offset).take(size).collect();
    Ok(json(
        StatusCode::OK,
        &bro_hsds::page(contents, total, page, size),
    ))
}

pub async fn organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ns = namespace(&state).await?;
    let org = bro_hsds::id_of(ns, Kind::Organization, &id);
    let orgs = state.store.organisations().await?;
    let Some(org) = orgs.iter().find(|o| Some(o.id.0) == org) else {
        let external = state.store.external_organisations().await?;
        return Ok(match external.iter().find(|(o, _)| o.hsds_id == id) {
            Some((o, services)) => json(
                StatusCode::OK,
                &bro_hsds::external_organization(&o.source, services),
            ),
            None => problem(StatusCode::NOT_FOUND, "no such organization"),
        });
    };
    let units: Vec<_> = state
        .store
        .units(org.id)
        .await?
        .iter()
        .map(|u| u.id)
        .collect();
    let services: Vec<Value> = state
        .store
        .offers_of_units(&units)
        .await?
        .iter()
        .map(|o| service_of(&state, ns, o))
        .collect();
    Ok(json(
        StatusCode::OK,
        &bro_hsds::organization(ns, org.id.0, &org.name, &services),
    ))
}

pub async fn taxonomies() -> Response {
    json(
        StatusCode::OK,
        &bro_hsds::page(vec![bro_hsds::taxonomy()], 1, 1, 1),
    )
}

pub async fn taxonomy_terms(State(state): State<AppState>) -> Response {
    let terms: Vec<Value> = OfferCategory::ALL
        .iter()
        .map(|c| bro_hsds::term(*c, &state.i18n.get(Language::Da, c.label_key())))
        .collect();
    let n = terms.len();
    json(StatusCode::OK, &bro_hsds::page(terms, n, 1, n))
}
