//! The directory of offers as open data: Open Referral HSDS 3.0 JSON at `/api/hsds/`, with the
//! API's paging and `modified_after`. Public, like `/tilbud`: offers are not personal data, and
//! the internal note is never in it.

mod handlers {
    pub(super) mod api;
}

use crate::state::AppState;
use axum::Router;
use axum::routing::get;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/hsds", get(handlers::api::root))
        .route("/api/hsds/", get(handlers::api::root))
        .route("/api/hsds/services", get(handlers::api::services))
        .route("/api/hsds/services/{id}", get(handlers::api::service))
        .route("/api/hsds/organizations", get(handlers::api::organizations))
        .route(
            "/api/hsds/organizations/{id}",
            get(handlers::api::organization),
        )
        .route("/api/hsds/taxonomies", get(handlers::api::taxonomies))
        .route(
            "/api/hsds/taxonomy_terms",
            get(handlers::api::taxonomy_terms),
        )
}
