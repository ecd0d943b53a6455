//! Pages of Fælles Team: teams, meetings, the citizen case template (filled live), the
//! citizen's own meetings and minutes.

use super::forms::SeriesForm;
use crate::services::minutes::CaseSnapshot;
use crate::ui::{Chrome, FormErrors, when};
use askama::Template;
use bro_domain::CollaborationId;
use bro_domain::meeting::{Attendance, Score, TeamFunction};
use bro_store::{
    Agreement, CalendarFeed, CaseEvaluation, CitizenCase, Delivery, EvaluationPoint, FieldValue,
    Meeting, MeetingCase, MeetingEvaluation, MinutesSummary, Participant, StaffOption,
    TargetCitizen, Team, TeamSummary,
};

#[derive(Template)]
#[template(path = "meetings/teams.html")]
pub struct TeamsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub teams: Vec<TeamSummary>,
    /// For an administrator: the collaborations and staff a new team is made from.
    pub collaborations: Vec<(CollaborationId, String)>,
    pub staff: Vec<StaffOption>,
    pub is_admin: bool,
    /// The viewer's own calendar feeds, and one made just now (shown once).
    pub feeds: Vec<CalendarFeed>,
    pub new_feed_url: Option<String>,
}

impl TeamsView {
    pub fn next(&self, t: &TeamSummary) -> String {
        t.next_meeting_ms.map(when).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "meetings/team.html")]
pub struct TeamPage {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub team: Team,
    pub manager: bool,
    pub upcoming: Vec<Meeting>,
    pub past: Vec<Meeting>,
    pub citizens: Vec<TargetCitizen>,
    /// The viewer's own courses that could be put on the team's list.
    pub course_options: Vec<(i64, String)>,
    pub staff: Vec<StaffOption>,
    pub series: SeriesForm,
    pub agenda: String,
    pub themes: Vec<(u8, String)>,
    pub points: Vec<EvaluationPoint>,
    pub feeds: Vec<CalendarFeed>,
    /// A feed address made just now: shown once, never stored in the clear.
    pub new_feed_url: Option<String>,
}

impl TeamPage {
    pub fn functions(&self) -> &'static [TeamFunction] {
        TeamFunction::ALL
    }

    pub fn month_name(&self, month: &u8) -> String {
        self.chrome.t(&format!("month-{month}"))
    }

    pub fn theme_text(&self, month: &u8) -> String {
        self.themes
            .iter()
            .find(|(m, _)| m == month)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }

    pub fn months(&self) -> Vec<u8> {
        (1..=12).collect()
    }

    /// The chart of the team's evaluations as an SVG polyline per measure, scale 1–5.
    pub fn chart(&self) -> EvaluationChart {
        EvaluationChart::new(&self.points)
    }

    pub fn score(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into())
    }
}

/// A line chart of average scores per meeting (x: meetings in time order, y: 1–5).
pub struct EvaluationChart {
    pub involvement: String,
    pub ownership: String,
    pub coherence: String,
}

impl EvaluationChart {
    pub const WIDTH: f64 = 600.0;
    pub const HEIGHT: f64 = 200.0;

    fn new(points: &[EvaluationPoint]) -> Self {
        let line = |pick: fn(&EvaluationPoint) -> Option<f64>| {
            let n = points.len().max(2) - 1;
            points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    pick(p).map(|v| {
                        let x = 40.0 + (Self::WIDTH - 60.0) * i as f64 / n as f64;
                        format!("{x:.1},{:.1}", Self::y_of(v))
                    })
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        EvaluationChart {
            involvement: line(|p| p.involvement),
            ownership: line(|p| p.ownership),
            coherence: line(|p| p.coherence),
        }
    }

    pub fn levels(&self) -> Vec<u8> {
        Score::values()
    }

    /// The y position of a scale value: 5 at the top, 1 near the bottom.
    fn y_of(v: f64) -> f64 {
        let (min, max) = (f64::from(Score::MIN), f64::from(Score::MAX));
        10.0 + (Self::HEIGHT - 40.0) * (max - v) / (max - min)
    }

    /// The y position of a scale value, for the grid lines.
    pub fn y(&self, v: &u8) -> String {
        format!("{:.1}", Self::y_of(f64::from(*v)))
    }
}

#[derive(Template)]
#[template(path = "meetings/meeting.html")]
pub struct MeetingPage {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub meeting: Meeting,
    pub team: Team,
    pub manager: bool,
    pub participants: Vec<Participant>,
    pub cases: Vec<MeetingCase>,
    /// The team's list of citizens not yet on this meeting's agenda.
    pub candidates: Vec<TargetCitizen>,
    pub pool: Vec<(i64, String)>,
    pub evaluations: Vec<MeetingEvaluation>,
    pub move_date: String,
    pub move_start: String,
    pub move_end: String,
    /// The meeting has ended: time for the actors' evaluation.
    pub past: bool,
}

impl MeetingPage {
    pub fn attendances(&self) -> &'static [Attendance] {
        Attendance::ALL
    }

    pub fn scale(&self) -> Vec<u8> {
        Score::values()
    }

    pub fn function_label(&self, f: &Option<TeamFunction>) -> String {
        f.map(|f| self.chrome.t(f.label_key())).unwrap_or_default()
    }
}

/// The citizen's two evaluation questions: form field and Fluent key.
const QUESTIONS: [(&str, &str); 2] = [
    ("involvement", "evaluation-involvement-question"),
    ("ownership", "evaluation-ownership-question"),
];

/// One field of the template as the page shows it.
pub struct TemplateField {
    pub code: String,
    pub label: String,
    pub body: String,
    pub version: i64,
    pub updated: String,
}

/// The live part of a case: rendered once per change and pushed to every follower.
#[derive(Template)]
#[template(path = "meetings/_case_live.html")]
pub struct CaseLive<'a> {
    pub chrome: &'a Chrome,
    pub snap: &'a CaseSnapshot,
    pub approved: bool,
}

impl CaseLive<'_> {
    pub fn label(&self, code: &str, who: &Option<String>) -> String {
        self.snap.label(self.chrome, code, who)
    }

    pub fn lines(&self, text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }
}

#[derive(Template)]
#[template(path = "meetings/case.html")]
pub struct CasePage {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub case: MeetingCase,
    pub meeting: Meeting,
    pub team: Team,
    pub leader: bool,
    pub fields: Vec<TemplateField>,
    pub live: String,
    pub agreements: Vec<Agreement>,
    pub follow_up: Vec<Agreement>,
    pub deliveries: Vec<Delivery>,
    pub evaluation: Option<CaseEvaluation>,
    /// Conflicts from a refused save: field code → what the other writer saved.
    pub conflicts: Vec<(String, FieldValue)>,
}

impl CasePage {
    pub fn questions(&self) -> [(&'static str, &'static str); 2] {
        QUESTIONS
    }

    pub fn attendances(&self) -> &'static [Attendance] {
        Attendance::ALL
    }

    pub fn conflict(&self, code: &str) -> Option<&FieldValue> {
        self.conflicts
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v)
    }

    pub fn delivery_label(&self, d: &Delivery) -> String {
        format!(
            "{}: {}",
            self.chrome.t(d.channel.label_key()),
            self.chrome.t(d.status.label_key())
        )
    }

    pub fn attempts(&self, d: &Delivery) -> String {
        self.chrome
            .tn("delivery-attempts", &[("count", d.attempts.to_string())])
    }

    pub fn is_failed(&self, d: &Delivery) -> bool {
        d.status == bro_domain::meeting::DeliveryStatus::Failed
    }

    pub fn scale(&self) -> Vec<u8> {
        Score::values()
    }
}

/// The answer to an htmx save of one field: the field again, with its new version.
#[derive(Template)]
#[template(path = "meetings/_case_field.html")]
pub struct FieldFragment<'a> {
    pub chrome: &'a Chrome,
    /// The version the writer's next save starts from.
    pub version: i64,
    /// Who saved it last, and when; empty in a conflict.
    pub updated: String,
    pub conflict: Option<&'a FieldValue>,
}

#[derive(Template)]
#[template(path = "meetings/case_screen.html")]
pub struct CaseScreen {
    pub chrome: Chrome,
    pub live: String,
    pub stream: String,
}

#[derive(Template)]
#[template(path = "meetings/my_meetings.html")]
pub struct MyMeetings {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub cases: Vec<CitizenCase>,
    pub inbox: Vec<MinutesSummary>,
}

impl MyMeetings {
    pub fn upcoming(&self) -> Vec<&CitizenCase> {
        self.cases
            .iter()
            .filter(|c| !c.approved && !c.cancelled)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "meetings/my_case.html")]
pub struct MyCase {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub case: CitizenCase,
    pub live: String,
    pub stream: Option<String>,
    pub evaluation: Option<CaseEvaluation>,
}

impl MyCase {
    pub fn questions(&self) -> [(&'static str, &'static str); 2] {
        QUESTIONS
    }

    pub fn scale(&self) -> Vec<u8> {
        Score::values()
    }

    pub fn chosen(&self, which: &str, n: &u8) -> bool {
        self.evaluation.as_ref().is_some_and(|e| {
            let v = if which == "ownership" {
                e.ownership
            } else {
                e.involvement
            };
            v.get() == *n
        })
    }
}
