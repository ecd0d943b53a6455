//! What every page shows: the [`Chrome`] (language, CSRF token, the viewer's name and role,
//! the navigation their role allows), times in Danish time, form errors, and the printable
//! documents more than one feature hands out.

pub(crate) mod error_page;
pub(crate) mod escort;
pub(crate) mod ics;
pub(crate) mod page;
pub(crate) mod pdf;
pub(crate) mod plan_document;

use crate::http::session::Viewer;
use crate::state::AppState;
use bro_authz::Actor;
use bro_domain::{Language, Role};
use bro_i18n::I18n;
use std::sync::Arc;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One of the viewer's roles, for the role switcher.
pub struct RoleOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

pub struct ChromeUser {
    pub name: String,
    /// "Koordinator, Rusmiddelcenter Holstebro" or "Borger".
    pub context: String,
    pub roles: Vec<RoleOption>,
}

pub struct Chrome {
    pub lang: Language,
    pub i18n: Arc<I18n>,
    pub csrf: String,
    pub static_base: String,
    pub path: String,
    pub user: Option<ChromeUser>,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    pub fn new(
        state: &AppState,
        lang: Language,
        csrf: String,
        path: &str,
        viewer: Option<&Viewer>,
    ) -> Self {
        let i18n = state.i18n.clone();
        let t = |k: &str| i18n.get(lang, k);
        let mut nav = Vec::new();
        let mut user = None;
        if let Some(v) = viewer {
            let role_label = |r: &bro_store::RoleAssignment| {
                format!(
                    "{}, {} ({})",
                    t(r.role.label_key()),
                    r.unit_name,
                    r.org_name
                )
            };
            let context = match (&v.actor, v.active_role()) {
                (Actor::Staff { .. }, Some(a)) => v
                    .user
                    .roles
                    .iter()
                    .find(|r| r.id == a.assignment_id)
                    .map(role_label)
                    .unwrap_or_default(),
                (Actor::Staff { .. }, None) => t("context-no-role"),
                (Actor::Citizen { .. }, _) => t("account-kind-citizen"),
                (Actor::Relative { .. }, _) => t("account-kind-relative"),
            };
            let roles = v
                .user
                .roles
                .iter()
                .map(|r| RoleOption {
                    id: r.id,
                    label: role_label(r),
                    selected: v.active_role().is_some_and(|a| a.assignment_id == r.id),
                })
                .collect();
            user = Some(ChromeUser {
                name: v.user.display_name.clone(),
                context,
                roles,
            });
            let mut item = |href: &'static str, key: &str| {
                let current =
                    path == href || (href != "/" && path.starts_with(&format!("{href}/")));
                nav.push(NavItem {
                    href,
                    label: t(key),
                    current,
                });
            };
            match &v.actor {
                Actor::Staff { .. } => {
                    item("/home", "nav-home");
                    item("/tilbud", "nav-offers");
                    if v.active_role()
                        .is_some_and(|a| bro_authz::works_with_citizens(a.role))
                    {
                        item("/courses", "nav-courses");
                        item("/teams", "nav-teams");
                        item("/citizens/search", "nav-search");
                        item("/referrals", "nav-referrals");
                        item("/appointments/to-record", "nav-appointments");
                        let active = v.active_role().map(|a| a.assignment_id);
                        if v.user.roles.iter().any(|r| {
                            Some(r.id) == active
                                && r.unit_kind == bro_domain::UnitKind::EscortService
                        }) {
                            item("/escort", "nav-escort");
                        }
                        if v.actor.has_role(Role::FunctionLeader) {
                            item("/care-places", "nav-care-places");
                        }
                        item("/notices", "nav-notices");
                    }
                    if v.actor.has_role(Role::Admin) {
                        item("/offers", "nav-my-offers");
                        item("/admin", "nav-admin");
                        item("/admin/units", "nav-units");
                        item("/admin/users", "nav-users");
                        item("/admin/collaborations", "nav-collaborations");
                        item("/admin/hospital", "nav-hospital");
                        item("/teams", "nav-teams");
                        item("/admin/emergency-access", "nav-emergency");
                    }
                }
                Actor::Citizen { .. } => {
                    item("/me", "nav-me");
                    item("/me/meetings", "nav-my-meetings");
                    item("/me/referrals", "nav-my-referrals");
                    item("/me/appointments", "nav-my-appointments");
                    item("/notices", "nav-notices");
                }
                Actor::Relative { .. } => item("/me", "nav-me"),
            }
            item("/account", "nav-account");
        }
        Self {
            lang,
            i18n,
            csrf,
            static_base: format!("/static/{}", crate::http::assets::ASSET_VERSION),
            path: path.to_owned(),
            user,
            nav,
        }
    }

    /// The text of a Fluent key in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.i18n.get(self.lang, key)
    }

    /// The text of a Fluent key with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.i18n
            .get_with(self.lang, key, &[(name, value.to_owned())])
    }

    /// The text of a Fluent key with several arguments.
    pub fn tn(&self, key: &str, args: &[(&str, String)]) -> String {
        self.i18n.get_with(self.lang, key, args)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    pub fn is_english(&self) -> bool {
        self.lang == Language::En
    }

    /// A course phase's name: its collaboration's own, or the default's in this language.
    pub fn phase(&self, scheme: &bro_domain::PhaseScheme, code: &str) -> String {
        scheme.label(code, |k| self.t(k))
    }

    /// A day in Danish time.
    pub fn date(&self, ms: &i64) -> String {
        local_date(*ms)
    }

    /// A moment in Danish time, day and clock.
    pub fn when(&self, ms: &i64) -> String {
        when(*ms)
    }

    /// A clock time in Danish time.
    pub fn clock(&self, ms: &i64) -> String {
        clock(*ms)
    }

    pub fn sprite(&self) -> String {
        format!("{}/vendor/dkfds/img/all-svg-icons.svg", self.static_base)
    }
}

/// A rendered page with its status.
pub fn respond(
    status: axum::http::StatusCode,
    page: impl askama::Template,
) -> Result<axum::response::Response, crate::http::error::AppError> {
    use axum::response::IntoResponse;
    Ok((status, axum::response::Html(page.render()?)).into_response())
}

/// Validation messages of a form, keyed by field name, already translated.
#[derive(Default)]
pub struct FormErrors(pub Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, chrome: &Chrome, field: &'static str, key: &str) {
        self.0.push((field, chrome.t(key)));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}

/// A moment shown in Danish time (`2026-11-25 14:03`); stored in UTC.
pub fn local_time(ms: i64) -> String {
    let local = danish(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        local.month() as u8,
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// "25.11.2026 10:00" in Danish time.
pub fn when(ms: i64) -> String {
    format!("{} {}", local_date(ms), clock(ms))
}

/// "10:00".
pub fn clock(ms: i64) -> String {
    let local = danish(ms);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// The day in Danish time as `YYYY-MM-DD`, comparable with stored dates.
pub fn local_day(ms: i64) -> String {
    danish_date(ms).to_string()
}

/// The calendar day in Denmark at `ms`.
pub fn danish_date(ms: i64) -> time::Date {
    danish(ms).date()
}

/// A calendar day as Danes write it (`25.11.2026`).
pub fn day_text(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month() as u8, d.year())
}

/// A calendar day with its weekday, in the chosen language (`onsdag 09.12.2026`).
pub fn weekday_day(chrome: &Chrome, d: time::Date) -> String {
    let name = bro_domain::offer::WEEKDAYS[usize::from(d.weekday().number_days_from_monday())];
    let weekday = chrome.t(&format!("weekday-{name}")).to_lowercase();
    format!("{weekday} {}", day_text(d))
}

/// A moment as a person says it, in Danish time: "Tirsdag 3. marts kl. 10.00" (Danish) or
/// "Tuesday 3 March at 10:00" (English).
pub fn spoken_when(chrome: &Chrome, ms: i64) -> String {
    let local = danish(ms);
    let name = bro_domain::offer::WEEKDAYS[usize::from(local.weekday().number_days_from_monday())];
    let month = chrome.t(&format!("month-{}", local.month() as u8));
    chrome.tn(
        "spoken-when",
        &[
            ("weekday", chrome.t(&format!("weekday-{name}"))),
            ("day", local.day().to_string()),
            // Danish writes month names in lower case within a sentence; English does not.
            (
                "month",
                if chrome.is_english() {
                    month
                } else {
                    month.to_lowercase()
                },
            ),
            ("time", clock_text(chrome, ms)),
        ],
    )
}

/// [`spoken_when`] within a sentence: Danish writes the weekday in lower case there
/// ("Svar senest torsdag 4. marts kl. 10.00").
pub fn spoken_when_within(chrome: &Chrome, ms: i64) -> String {
    let said = spoken_when(chrome, ms);
    if chrome.is_english() {
        return said;
    }
    let mut chars = said.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// A clock time as the language writes it in a sentence: "10.00" in Danish, "10:00" in
/// English.
pub fn clock_text(chrome: &Chrome, ms: i64) -> String {
    let local = danish(ms);
    let sep = if chrome.is_english() { ':' } else { '.' };
    format!("{:02}{sep}{:02}", local.hour(), local.minute())
}

/// A day shown in Danish time (`25.11.2026`).
pub fn local_date(ms: i64) -> String {
    let local = danish(ms);
    format!(
        "{:02}.{:02}.{:04}",
        local.day(),
        local.month() as u8,
        local.year()
    )
}

/// The moment a day begins in Danish time, in milliseconds since the epoch. Local midnight
/// never falls in a summer-time switch (those happen at 01:00 UTC), so it always exists.
pub fn danish_day_start_ms(day: time::Date) -> i64 {
    bro_domain::local_time::from_local(day.midnight())
}

/// The weekday (0 = Monday) and minute after midnight in Danish time: "open now".
pub fn weekday_minute(ms: i64) -> (u8, u16) {
    let local = danish(ms);
    let day = local.weekday().number_days_from_monday();
    (
        day,
        u16::from(local.hour()) * 60 + u16::from(local.minute()),
    )
}

/// The Danish wall-clock time at `ms`; the summer-time rule lives in the domain.
fn danish(ms: i64) -> time::PrimitiveDateTime {
    bro_domain::local_time::to_local(ms)
}

/// One emergency access for its reviewer, or for the citizen.
pub struct EmergencyReviewRow {
    pub id: i64,
    pub course_id: i64,
    pub who: String,
    /// The reason's kind and its text.
    pub reason: String,
    pub period: String,
    /// A renewal of an access by the same person to the same course.
    pub renewal: bool,
    /// Waits for the administrator's approval; not in force.
    pub awaiting: bool,
    /// Who reviewed it, when, and their comment.
    pub review: Option<String>,
}

impl EmergencyReviewRow {
    /// `e` in plain words, for the citizen and for the reviewer alike (the review only for the
    /// reviewer).
    pub fn of(chrome: &Chrome, e: &bro_store::EmergencyAccess, with_review: bool) -> Self {
        EmergencyReviewRow {
            id: e.id,
            course_id: e.course_id.0,
            who: format!("{}, {}", e.user_name, e.org_name),
            reason: format!("{}: {}", chrome.t(e.kind.label_key()), e.reason),
            period: format!("{} – {}", local_time(e.started_ms), local_time(e.ends_ms)),
            renewal: e.renewal > 0,
            awaiting: e.awaiting_approval,
            review: e.reviewed_ms.filter(|_| with_review).map(|at| {
                format!(
                    "{}, {}: {}",
                    e.reviewed_by.clone().unwrap_or_default(),
                    local_time(at),
                    e.review_comment.clone().unwrap_or_default()
                )
            }),
        }
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn danish_time_follows_summer_time() {
        // 2026-03-29 00:59 UTC is winter time (01:59), 01:00 UTC is summer time (03:00).
        assert_eq!(local_time(1_774_745_940_000), "2026-03-29 01:59");
        assert_eq!(local_time(1_774_746_000_000), "2026-03-29 03:00");
        // 2026-10-25 00:59 UTC is summer time (02:59); 01:00 UTC back to winter (02:00).
        assert_eq!(local_time(1_792_889_940_000), "2026-10-25 02:59");
        assert_eq!(local_time(1_792_890_000_000), "2026-10-25 02:00");
        assert_eq!(local_date(1_792_890_000_000), "25.10.2026");
        // Days begin at local midnight: 23:00 UTC in winter, 22:00 UTC in summer.
        let day = |y, m, d| time::Date::from_calendar_date(y, m, d).expect("date");
        for (d, expected) in [
            (day(2026, time::Month::March, 29), "2026-03-29 00:00"),
            (day(2026, time::Month::March, 30), "2026-03-30 00:00"),
            (day(2026, time::Month::October, 25), "2026-10-25 00:00"),
            (day(2026, time::Month::October, 26), "2026-10-26 00:00"),
        ] {
            assert_eq!(local_time(danish_day_start_ms(d)), expected);
        }
    }
}

#[cfg(test)]
mod keys;
