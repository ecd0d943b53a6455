//! What the citizen's own forms take (their goals, comments, agreement, what their network
//! may see) and the access log's filter.

use crate::http::forms::form_pairs;
use crate::ui::{Chrome, FormErrors};
use bro_domain::plan::{self, LifeArea, PlanError, parse_day};
use bro_domain::{OrgId, ShareCategory};
use bro_store::{AccessCursor, AccessQuery};
use serde::Deserialize;

/// Without a chosen period: the last year.
const DEFAULT_DAYS: i64 = 365;

#[derive(Deserialize)]
pub(super) struct OwnGoalForm {
    #[serde(default)]
    pub(super) text: String,
    #[serde(default)]
    life_area: String,
}

impl OwnGoalForm {
    /// The goal's text and life area, adding an error when there is no text.
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
    ) -> Option<(String, LifeArea)> {
        parse_own_goal(&self.text, &self.life_area, chrome, errors)
    }
}

/// A goal in the citizen's own words, stored exactly as written, and its life area; adds an
/// error when there is no text.
pub(super) fn parse_own_goal(
    text: &str,
    life_area: &str,
    chrome: &Chrome,
    errors: &mut FormErrors,
) -> Option<(String, LifeArea)> {
    let text = plan::required_text(text)
        .map_err(|e| errors.add(chrome, "text", e.message_key()))
        .ok();
    // A citizen need not know the life areas: "daily life" when none is chosen.
    let area = LifeArea::parse(life_area).unwrap_or(LifeArea::DailyLife);
    Some((text?, area))
}

#[derive(Deserialize)]
pub(super) struct CommentForm {
    #[serde(default)]
    comment: String,
}

impl CommentForm {
    /// The comment in the citizen's own words.
    pub(super) fn text(&self) -> Result<String, PlanError> {
        plan::required_text(&self.comment)
    }
}

#[derive(Deserialize)]
pub(super) struct AgreeForm {
    pub(super) version: i64,
}

/// What the citizen lets a member of their network see (the `may_see` boxes ticked).
pub(super) fn may_see(body: &[u8]) -> Vec<ShareCategory> {
    form_pairs(body)
        .into_iter()
        .filter(|(k, _)| k == "may_see")
        .filter_map(|(_, v)| ShareCategory::parse(&v))
        .collect()
}

#[derive(Deserialize, Default)]
pub(super) struct LogQuery {
    #[serde(default)]
    pub(super) from: String,
    #[serde(default)]
    pub(super) to: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    before: String,
}

/// A checked filter: the period's first and last day (Danish time), the organisation, and
/// for a later page the entry it continues after.
pub(super) struct Filter {
    pub(super) from: time::Date,
    pub(super) to: time::Date,
    pub(super) org: Option<OrgId>,
    pub(super) before: Option<AccessCursor>,
}

impl Filter {
    pub(super) fn parse(
        q: &LogQuery,
        today: time::Date,
        chrome: &Chrome,
        errors: &mut FormErrors,
    ) -> Self {
        let mut day = |value: &str, field: &'static str, default: time::Date| {
            if value.trim().is_empty() {
                return default;
            }
            parse_day(value).unwrap_or_else(|e| {
                errors.add(chrome, field, e.message_key());
                default
            })
        };
        let from = day(&q.from, "from", today - time::Duration::days(DEFAULT_DAYS));
        let to = day(&q.to, "to", today);
        if to < from {
            errors.add(chrome, "to", "access-error-period");
        }
        let org = q.org.parse().ok().filter(|id| *id > 0).map(OrgId);
        // A place that does not parse starts from the newest: it only ever came from a link.
        let before = AccessCursor::parse(&q.before);
        Filter {
            from,
            to,
            org,
            before,
        }
    }

    pub(super) fn query(&self, limit: i64) -> AccessQuery {
        AccessQuery {
            from_ms: crate::ui::danish_day_start_ms(self.from),
            to_ms: crate::ui::danish_day_start_ms(self.to.next_day().unwrap_or(self.to)),
            org: self.org,
            before: self.before,
            limit,
        }
    }

    /// The filter as a query string for links (dates and an organisation id).
    pub(super) fn export_query(&self) -> String {
        let org = self.org.map_or(String::new(), |o| format!("&org={}", o.0));
        format!("from={}&to={}{org}", self.from, self.to)
    }
}
