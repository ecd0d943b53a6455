//! "Who looked at my data": every access to the citizen's data by anyone else, straight from
//! the audit chain (nothing is logged twice, and staff cannot hide an entry), with who, when,
//! what, why and whether it was a read or a change. Filtered by period and organisation, and
//! exported as CSV and PDF, a page of the newest first with a link to older ones. The query
//! string holds only dates, an organisation id and the place to continue from.

use super::super::forms::{Filter, LogQuery};
use super::super::views::{AccessLogPage, AccessRow};
use crate::access::AuditedAccess;
use crate::access::CitizenScope;
use crate::http::error::AppError;
use crate::state::AppState;
use crate::ui::page::Page;
use crate::ui::{Chrome, FormErrors, respond as html};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bro_audit::{AuditAction, Outcome};
use bro_authz::Purpose;
use bro_domain::{CitizenId, Role};
use bro_render::{Document, Item, Section, Table};
use bro_store::AccessEntry;

/// A page shows this many entries, then links to the older ones; exports take more at once.
const PAGE_SIZE: i64 = 100;
const EXPORT_LIMIT: i64 = 20_000;

/// One entry in plain words.
fn row(chrome: &Chrome, e: &AccessEntry) -> AccessRow {
    let action = AuditAction::parse(&e.action);
    let role = e
        .actor_role
        .as_deref()
        .and_then(Role::parse)
        .map(|r| chrome.t(r.label_key()));
    let place = match (&e.unit_name, &e.org_name) {
        (Some(unit), Some(org)) => format!("{unit}, {org}"),
        (None, Some(org)) => org.clone(),
        _ => String::new(),
    };
    let who = match (&e.actor_name, role) {
        (Some(name), Some(role)) => format!("{name}, {role}"),
        (Some(name), None) => name.clone(),
        (None, _) => chrome.t("access-system"),
    };
    let kind = match (e.outcome, action.is_some_and(AuditAction::is_read)) {
        (Outcome::Denied, _) => "access-kind-denied",
        (Outcome::Allowed, true) => "access-kind-read",
        (Outcome::Allowed, false) => "access-kind-change",
    };
    AccessRow {
        time: crate::ui::local_time(e.at_ms),
        who,
        place,
        what: action.map_or_else(|| e.action.clone(), |a| chrome.t(&a.label_key())),
        why: match &e.emergency_reason {
            Some(reason) => format!("{}: {reason}", chrome.t("purpose-emergency")),
            None => {
                chrome.t(Purpose::parse(&e.purpose).map_or("purpose-system", Purpose::label_key))
            }
        },
        kind: chrome.t(kind),
        denied: e.outcome == Outcome::Denied,
    }
}

pub async fn page(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(&state, &access).await?;
    let chrome = page.chrome(&state, &access.viewer, "/me/access-log");
    let today = crate::ui::danish_date(state.clock.now_ms());
    let mut errors = FormErrors::default();
    let filter = Filter::parse(&q, today, &chrome, &mut errors);
    let (mut entries, status) = if errors.is_empty() {
        // One more than a page tells whether older entries exist.
        let entries = state
            .store
            .citizen_access_log(&ctx, citizen, filter.query(PAGE_SIZE + 1))
            .await?;
        (entries, StatusCode::OK)
    } else {
        (Vec::new(), StatusCode::UNPROCESSABLE_ENTITY)
    };
    let page_size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let older = if entries.len() > page_size {
        entries.truncate(page_size);
        entries
            .last()
            .map(|e| format!("{}&before={}", filter.export_query(), e.cursor))
    } else {
        None
    };
    let rows: Vec<AccessRow> = entries.iter().map(|e| row(&chrome, e)).collect();
    let view = AccessLogPage {
        older,
        newest: filter.before.map(|_| filter.export_query()),
        rows,
        orgs: state.store.access_log_orgs(citizen).await?,
        from: if q.from.is_empty() {
            filter.from.to_string()
        } else {
            q.from.clone()
        },
        to: if q.to.is_empty() {
            filter.to.to_string()
        } else {
            q.to.clone()
        },
        org: filter.org,
        export_query: filter.export_query(),
        errors,
        chrome,
    };
    html(status, view)
}

/// The entries for an export, or `None` when the filter does not parse.
async fn export_rows(
    state: &AppState,
    access: &AuditedAccess,
    chrome: &Chrome,
    q: &LogQuery,
) -> Result<Option<(Filter, Vec<AccessRow>, CitizenId)>, AppError> {
    let CitizenScope { citizen, ctx } = CitizenScope::own(state, access).await?;
    let today = crate::ui::danish_date(state.clock.now_ms());
    let mut errors = FormErrors::default();
    let filter = Filter::parse(q, today, chrome, &mut errors);
    if !errors.is_empty() {
        return Ok(None);
    }
    let entries = state
        .store
        .citizen_access_log(&ctx, citizen, filter.query(EXPORT_LIMIT))
        .await?;
    let rows = entries.iter().map(|e| row(chrome, e)).collect();
    Ok(Some((filter, rows, citizen)))
}

fn header_row(chrome: &Chrome) -> Vec<String> {
    [
        "access-when",
        "access-who",
        "access-org",
        "access-what",
        "access-why",
        "access-kind",
    ]
    .iter()
    .map(|k| chrome.t(k))
    .collect()
}

fn cells(r: &AccessRow) -> Vec<String> {
    vec![
        r.time.clone(),
        r.who.clone(),
        r.place.clone(),
        r.what.clone(),
        r.why.clone(),
        r.kind.clone(),
    ]
}

pub async fn csv(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me/access-log");
    let Some((filter, rows, _)) = export_rows(&state, &access, &chrome, &q).await? else {
        return Ok(StatusCode::UNPROCESSABLE_ENTITY.into_response());
    };
    let data: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let bytes = bro_render::csv(&header_row(&chrome), &data)
        .map_err(|_| AppError::Internal("csv export failed".into()))?;
    let name = format!("adgang-{}-{}.csv", filter.from, filter.to);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|_| AppError::Internal("bad file name".into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

pub async fn pdf(
    State(state): State<AppState>,
    page: Page,
    access: AuditedAccess,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let chrome = page.chrome(&state, &access.viewer, "/me/access-log");
    let Some((filter, rows, _)) = export_rows(&state, &access, &chrome, &q).await? else {
        return Ok(StatusCode::UNPROCESSABLE_ENTITY.into_response());
    };
    let now = state.clock.now_ms();
    let day = crate::ui::danish_date(now);
    let items = if rows.is_empty() {
        vec![Item::text(chrome.t("access-none"))]
    } else {
        vec![Item {
            table: Some(Table {
                header: header_row(&chrome),
                rows: rows.iter().map(cells).collect(),
            }),
            ..Item::default()
        }]
    };
    let doc = Document {
        lang: chrome.lang_code(),
        title: chrome.t1("access-pdf-title", "name", &access.viewer.user.display_name),
        date: [
            u16::try_from(day.year()).unwrap_or(0),
            u16::from(u8::from(day.month())),
            u16::from(day.day()),
        ],
        subtitle: vec![
            format!(
                "{} – {}",
                crate::ui::local_date(crate::ui::danish_day_start_ms(filter.from)),
                crate::ui::local_date(crate::ui::danish_day_start_ms(filter.to))
            ),
            chrome.t1("pdf-printed", "date", &chrome.date(&now)),
        ],
        footer: chrome.t("access-pdf-footer"),
        sections: vec![Section {
            heading: chrome.t("access-title"),
            items,
        }],
    };
    let name = format!("adgang-{}-{}.pdf", filter.from, filter.to);
    crate::ui::pdf::response(doc, &name).await
}
