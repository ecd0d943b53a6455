//! The appointment pages, and an appointment in words.

use super::forms::{AttendanceForm, BookForm, CancelForm, FollowUpForm, MoveForm};
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::Timestamp;
use bro_domain::appointment::{Attendance, RECORD_WITHIN_WORKING_DAYS, VIDEO_OPENS_BEFORE_MS};
use bro_domain::working_days::add_working_days;
use bro_store::Appointment;

/// One appointment in words.
pub(super) struct AppointmentRow {
    pub(super) id: i64,
    pub(super) course_id: i64,
    /// "Tirsdag 3. marts kl. 10.00–11.00".
    pub(super) when: String,
    pub(super) kind: String,
    /// "Ambulatorium Vest, Region Midtjylland".
    pub(super) unit: String,
    pub(super) place: String,
    pub(super) meets: String,
    pub(super) video: bool,
    /// The video link, once it may be joined (for the citizen only, shortly before).
    pub(super) join: Option<String>,
    /// Booked, cancelled, or what happened.
    pub(super) state: String,
    pub(super) cancelled: bool,
    pub(super) no_show: bool,
    /// Begun and nothing recorded: waiting for the booking unit.
    pub(super) to_record: bool,
    /// Not recorded within 2 working days: "mangler registrering".
    pub(super) record_missing: bool,
    /// Past versions in words, oldest first.
    pub(super) history: Vec<String>,
    pub(super) upcoming: bool,
    /// The viewer's unit booked it: theirs to change and record.
    pub(super) mine: bool,
    /// The latest request for escort, in words.
    pub(super) escort: Option<String>,
    /// Ahead, and no escort asked for (or the last request declined).
    pub(super) may_ask_escort: bool,
}

impl AppointmentRow {
    pub(super) fn of(chrome: &Chrome, a: &Appointment, now: Timestamp) -> Self {
        let s = &a.slot;
        let state = match (&a.cancelled, &a.attendance) {
            (Some((_, reason)), _) => chrome.t1("appointment-state-cancelled", "reason", reason),
            (None, Some(r)) => chrome.t(r.outcome.label_key()),
            (None, None) if s.starts_ms <= now => chrome.t("appointment-state-to-record"),
            (None, None) => chrome.t("appointment-state-booked"),
        };
        let open = a.cancelled.is_none() && a.attendance.is_none();
        let to_record = open && s.starts_ms <= now;
        let joinable = s.starts_ms - VIDEO_OPENS_BEFORE_MS <= now && now < s.ends_ms;
        let history = a
            .history
            .iter()
            .rev()
            .skip(1)
            .rev()
            .map(|v| {
                chrome.tn(
                    "appointment-history-row",
                    &[
                        ("version", v.version.to_string()),
                        ("when", when(chrome, v.slot.starts_ms, v.slot.ends_ms)),
                        ("place", v.slot.place.clone()),
                        ("by", v.by.clone()),
                        ("changed", crate::ui::when(v.changed_ms)),
                    ],
                )
            })
            .collect();
        AppointmentRow {
            id: a.id,
            course_id: a.course_id.0,
            when: when(chrome, s.starts_ms, s.ends_ms),
            kind: chrome.t(a.kind.label_key()),
            unit: format!("{}, {}", a.unit_name, a.org_name),
            place: s.place.clone(),
            meets: s.meets.clone(),
            video: s.video_url.is_some(),
            join: s.video_url.clone().filter(|_| open && joinable),
            state,
            cancelled: a.cancelled.is_some(),
            no_show: a
                .attendance
                .as_ref()
                .is_some_and(|r| r.outcome == Attendance::NoShow),
            to_record,
            record_missing: to_record
                && add_working_days(s.ends_ms, RECORD_WITHIN_WORKING_DAYS) <= now,
            history,
            upcoming: open && s.ends_ms > now,
            mine: false,
            escort: a
                .escort
                .as_ref()
                .map(|e| crate::ui::escort::escort_status(chrome, e, a.version)),
            may_ask_escort: open
                && s.starts_ms > now
                && crate::ui::escort::may_ask(a.escort.as_ref()),
        }
    }
}

/// "Tirsdag 3. marts kl. 10.00–11.00".
fn when(chrome: &Chrome, starts: Timestamp, ends: Timestamp) -> String {
    format!(
        "{}–{}",
        crate::ui::spoken_when(chrome, starts),
        crate::ui::clock_text(chrome, ends)
    )
}

#[derive(Template)]
#[template(path = "appointments/course.html")]
pub(super) struct CourseAppointmentsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) course_id: i64,
    pub(super) rows: Vec<AppointmentRow>,
    /// Appointments of other organisations whose details are not shared with the viewer's.
    pub(super) withheld: usize,
    /// "2 udeblivelser på 60 dage", while no follow-up answered them.
    pub(super) flag: Option<String>,
    pub(super) follow_ups: Vec<String>,
    pub(super) may_book: bool,
    pub(super) coordinates: bool,
    pub(super) actions: Vec<(String, String)>,
    pub(super) follow_up: FollowUpForm,
    pub(super) errors: FormErrors,
}

#[derive(Template)]
#[template(path = "appointments/new.html")]
pub(super) struct BookPage {
    pub(super) chrome: Chrome,
    pub(super) course_id: i64,
    pub(super) kinds: Vec<(String, String)>,
    pub(super) units: Vec<(String, String)>,
    pub(super) form: BookForm,
    pub(super) errors: FormErrors,
}

#[derive(Template)]
#[template(path = "appointments/show.html")]
pub(super) struct AppointmentPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) row: AppointmentRow,
    pub(super) version: i64,
    /// The viewer may ask for escort (a team member on the open course).
    pub(super) may_ask: bool,
    pub(super) outcomes: Vec<(String, String)>,
    pub(super) move_form: MoveForm,
    pub(super) cancel: CancelForm,
    pub(super) attendance: AttendanceForm,
    pub(super) errors: FormErrors,
}

#[derive(Template)]
#[template(path = "appointments/mine.html")]
pub(super) struct MyAppointmentsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    /// The citizen's calendar addresses in use: id and when made.
    pub(super) feeds: Vec<(i64, String)>,
    /// An address just made, shown this once.
    pub(super) new_feed: Option<String>,
    pub(super) upcoming: Vec<AppointmentRow>,
    pub(super) past: Vec<AppointmentRow>,
}

/// One row of the unit's list of appointments to record, with the citizen's name.
pub(super) struct UnitRow {
    pub(super) citizen: String,
    pub(super) row: AppointmentRow,
}

#[derive(Template)]
#[template(path = "appointments/unit.html")]
pub(super) struct UnitPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) outcomes: Vec<(String, String)>,
    pub(super) errors: FormErrors,
    pub(super) unit: String,
    pub(super) rows: Vec<UnitRow>,
    pub(super) missing: usize,
}
