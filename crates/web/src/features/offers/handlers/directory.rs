//! The public directory: search, one offer, its versions and what changed. Open to everyone
//! (offers are not personal data); staff also see the internal note and may follow offers.

use super::super::forms::{CompareQuery, DirectoryQuery};
use super::super::views::{
    DirectoryPage, ExternalPage, OfferPage, OfferRow, VersionRow, VersionsPage, change_words,
};
use crate::access::{AuditedAccess, CourseScope};
use crate::http::error::AppError;
use crate::http::session::{MaybeViewer, Viewer};
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::respond as html;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use bro_authz::Actor;
use bro_domain::offer::{OfferCategory, ReferrerKind};
use bro_store::{Follow, OfferQuery};

/// How many offers a search shows.
const HITS: i64 = 100;

/// A fully logged-in member of staff, if the visitor is one.
fn staff(viewer: MaybeViewer) -> Option<Viewer> {
    viewer.0.viewer.filter(|v| {
        v.stage() == bro_store::SessionStage::Full && matches!(v.actor, Actor::Staff { .. })
    })
}

pub async fn search(
    State(state): State<AppState>,
    page: Page,
    viewer: MaybeViewer,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    let viewer = staff(viewer);
    let chrome = page.chrome_for(&state, viewer.as_ref(), "/tilbud");
    let query = DirectoryQuery {
        course: None,
        ..query
    };
    let staff = viewer.is_some();
    directory(&state, chrome, query, None, staff).await
}

/// "Find tilbud" from a course: the search starts from the citizen's town and age, read (and
/// audited) as the course's team reads them, and goes on by POST.
pub async fn search_for_course(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    axum::Form(query): axum::Form<DirectoryQuery>,
) -> Result<Response, AppError> {
    let id = query.course.ok_or(AppError::NotFound)?;
    let CourseScope { course: a, ctx } = CourseScope::read(&state, &access, id).await?;
    let chrome = page.chrome(&state, &access.viewer, "/tilbud");
    let first = query.q.is_empty() && query.municipality.is_empty() && query.age.is_empty();
    let query = if first {
        let citizen = state.store.citizen(&ctx, a.citizen_id).await?;
        let today = crate::ui::danish_date(state.clock.now_ms());
        // The citizen's municipality is the one coordinating the course; else their town.
        let holder = match a.holder_org {
            Some(org) => Some(state.store.organisation(org).await?),
            None => None,
        };
        let municipality = match holder {
            Some(o) if o.kind == bro_domain::OrgKind::Municipality => o.name,
            _ => citizen.city,
        };
        DirectoryQuery {
            municipality,
            age: citizen.cpr.age_on(today).to_string(),
            ..query
        }
    } else {
        query
    };
    directory(&state, chrome, query, Some(id), true).await
}

async fn directory(
    state: &AppState,
    chrome: crate::ui::Chrome,
    query: DirectoryQuery,
    for_course: Option<i64>,
    staff: bool,
) -> Result<Response, AppError> {
    let asked = !(query.q.trim().is_empty()
        && query.category.is_empty()
        && query.municipality.trim().is_empty()
        && query.age.trim().is_empty()
        && query.referrer.is_empty()
        && query.open_now.is_empty());
    let rows = if asked {
        let q = OfferQuery {
            text: query.q.chars().take(100).collect(),
            category: OfferCategory::parse(&query.category),
            municipality: query.municipality.chars().take(100).collect(),
            age: query.age.trim().parse().ok(),
            referrer: ReferrerKind::parse(&query.referrer),
            inactive: false,
        };
        let now = state.clock.now_ms();
        let open_now = |r: &OfferRow| query.open_now.is_empty() || r.open_now;
        let rows: Vec<OfferRow> = state
            .store
            .search_offers(&q, HITS)
            .await?
            .iter()
            .map(|o| OfferRow::new(&chrome, o, now))
            .filter(open_now)
            .collect();
        let external: Vec<OfferRow> = state
            .store
            .search_external_offers(&q, HITS)
            .await?
            .iter()
            .map(|o| OfferRow::external(&chrome, o, now))
            .filter(open_now)
            .collect();
        (Some(rows), external)
    } else {
        (None, Vec::new())
    };
    let (rows, external_rows) = rows;
    let view = DirectoryPage {
        chrome,
        for_course,
        staff,
        query,
        rows,
        external_rows,
        categories: OfferCategory::ALL,
        referrers: ReferrerKind::ALL,
    };
    html(StatusCode::OK, view)
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    viewer: MaybeViewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = staff(viewer);
    let chrome = page.chrome_for(&state, viewer.as_ref(), "/tilbud");
    let offer = state.store.offer(id).await?;
    let (following, following_unit, editor) = match &viewer {
        Some(v) => {
            let follows = state.store.follows(v.user.id).await?;
            let editor = state.store.offer_editor_units(v.user.id).await?;
            let admin = v
                .active_role()
                .is_some_and(|r| r.role == bro_domain::Role::Admin && r.org_id == offer.org_id);
            (
                follows.contains(&Follow::Offer(id).key()),
                follows.contains(&Follow::Unit(offer.unit_id).key()),
                admin || editor.contains(&offer.unit_id),
            )
        }
        None => (false, false, false),
    };
    let now = state.clock.now_ms();
    // The latest important change is shown first (the internal note's excepted).
    let versions = state.store.offer_versions(id).await?;
    let important = versions.iter().find(|v| v.important).map(|v| {
        let before = versions.iter().find(|p| p.version == v.version - 1);
        let words = before
            .map(|p| bro_domain::offer::changes(&p.content, &v.content))
            .unwrap_or_default()
            .iter()
            .filter(|c| c.field != "internal_note")
            .map(|c| change_words(&chrome, c))
            .collect();
        (crate::ui::local_date(v.changed_ms), words)
    });
    let attendance = state
        .store
        .attendance_of_offer(id)
        .await?
        .iter()
        .map(|t| {
            let day = bro_domain::offer::WEEKDAYS[usize::from(t.weekday.min(6))];
            let day = chrome.t(&format!("weekday-{day}"));
            format!("{day} {} ({})", t.opening().span(), t.unit)
        })
        .collect();
    let view = OfferPage {
        important,
        attendance,
        flash: page.flash(&chrome),
        row: OfferRow::new(&chrome, &offer, now),
        laws: OfferPage::labels_of_laws(&chrome, &offer.content.laws),
        referrers: offer
            .content
            .referrers
            .iter()
            .map(|r| chrome.t(r.label_key()))
            .collect(),
        hours: OfferPage::hours_of(&chrome, &offer.content),
        confirmed: crate::ui::local_date(offer.confirmed_ms),
        staff: viewer.is_some(),
        following,
        following_unit,
        editor,
        offer,
        chrome,
    };
    html(StatusCode::OK, view)
}

/// Another directory's offer, as Bro read it from the source's open data; read-only.
pub async fn show_external(
    State(state): State<AppState>,
    page: Page,
    viewer: MaybeViewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = staff(viewer);
    let chrome = page.chrome_for(&state, viewer.as_ref(), "/tilbud");
    let offer = state.store.external_offer(id).await?;
    let view = ExternalPage {
        row: OfferRow::external(&chrome, &offer, state.clock.now_ms()),
        hours: OfferPage::hours_of(&chrome, &offer.content),
        note: chrome.tn(
            "offer-external-note",
            &[
                ("org", offer.org_name.clone()),
                ("modified", crate::ui::local_date(offer.modified_ms)),
                ("imported", crate::ui::local_date(offer.imported_ms)),
            ],
        ),
        offer,
        chrome,
    };
    html(StatusCode::OK, view)
}

pub async fn versions(
    State(state): State<AppState>,
    page: Page,
    viewer: MaybeViewer,
    Path(id): Path<i64>,
    Query(compare): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let viewer = staff(viewer);
    let chrome = page.chrome_for(&state, viewer.as_ref(), "/tilbud");
    let offer = state.store.offer(id).await?;
    let versions = state.store.offer_versions(id).await?;
    let to = compare.to.unwrap_or(offer.version);
    let from = compare.from.unwrap_or(to - 1);
    let content_of = |v: i64| versions.iter().find(|x| x.version == v).map(|x| &x.content);
    let changes = match (content_of(from), content_of(to)) {
        (Some(a), Some(b)) => bro_domain::offer::changes(a, b)
            .iter()
            // The internal note is for staff only.
            .filter(|c| c.field != "internal_note" || viewer.is_some())
            .map(|c| change_words(&chrome, c))
            .collect(),
        _ => Vec::new(),
    };
    let view = VersionsPage {
        offer_id: id,
        name: offer.content.name.clone(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                who: v.changed_by.clone(),
                when: crate::ui::local_time(v.changed_ms),
                status: chrome.t(v.status.label_key()),
                important: v.important,
            })
            .collect(),
        changes,
        from,
        to,
        chrome,
    };
    html(StatusCode::OK, view)
}
