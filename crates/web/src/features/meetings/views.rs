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
pub(super) struct TeamsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) teams: Vec<TeamSummary>,
    /// For an administrator: the collaborations and staff a new team is made from.
    pub(super) collaborations: Vec<(CollaborationId, String)>,
    pub(super) staff: Vec<StaffOption>,
    pub(super) is_admin: bool,
    /// The viewer's own calendar feeds, and one made just now (shown once).
    pub(super) feeds: Vec<CalendarFeed>,
    pub(super) new_feed_url: Option<String>,
}

impl TeamsPage {
    pub(super) fn next(&self, t: &TeamSummary) -> String {
        t.next_meeting_ms.map(when).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "meetings/team.html")]
pub(super) struct TeamPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) team: Team,
    pub(super) manager: bool,
    pub(super) upcoming: Vec<Meeting>,
    pub(super) past: Vec<Meeting>,
    pub(super) citizens: Vec<TargetCitizen>,
    /// The viewer's own courses that could be put on the team's list.
    pub(super) course_options: Vec<(i64, String)>,
    pub(super) staff: Vec<StaffOption>,
    pub(super) series: SeriesForm,
    pub(super) agenda: String,
    pub(super) themes: Vec<(u8, String)>,
    pub(super) points: Vec<EvaluationPoint>,
    pub(super) feeds: Vec<CalendarFeed>,
    /// A feed address made just now: shown once, never stored in the clear.
    pub(super) new_feed_url: Option<String>,
}

impl TeamPage {
    pub(super) fn functions(&self) -> &'static [TeamFunction] {
        TeamFunction::ALL
    }

    pub(super) fn month_name(&self, month: &u8) -> String {
        self.chrome.t(&format!("month-{month}"))
    }

    pub(super) fn theme_text(&self, month: &u8) -> String {
        self.themes
            .iter()
            .find(|(m, _)| m == month)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }

    pub(super) fn months(&self) -> Vec<u8> {
        (1..=12).collect()
    }

    /// The chart of the team's evaluations as an SVG polyline per measure, scale 1–5.
    pub(super) fn chart(&self) -> EvaluationChart {
        EvaluationChart::new(&self.points)
    }

    pub(super) fn score(&self, v: &Option<f64>) -> String {
        v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into())
    }
}

/// A line chart of average scores per meeting (x: meetings in time order, y: 1–5).
pub(super) struct EvaluationChart {
    pub(super) involvement: String,
    pub(super) ownership: String,
    pub(super) coherence: String,
}

impl EvaluationChart {
    pub(super) const WIDTH: f64 = 600.0;
    pub(super) const HEIGHT: f64 = 200.0;

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

    pub(super) fn levels(&self) -> Vec<u8> {
        Score::values()
    }

    /// The y position of a scale value: 5 at the top, 1 near the bottom.
    fn y_of(v: f64) -> f64 {
        let (min, max) = (f64::from(Score::MIN), f64::from(Score::MAX));
        10.0 + (Self::HEIGHT - 40.0) * (max - v) / (max - min)
    }

    /// The y position of a scale value, for the grid lines.
    pub(super) fn y(&self, v: &u8) -> String {
        format!("{:.1}", Self::y_of(f64::from(*v)))
    }
}

#[derive(Template)]
#[template(path = "meetings/meeting.html")]
pub(super) struct MeetingPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) meeting: Meeting,
    pub(super) team: Team,
    pub(super) manager: bool,
    pub(super) participants: Vec<Participant>,
    pub(super) cases: Vec<MeetingCase>,
    /// The team's list of citizens not yet on this meeting's agenda.
    pub(super) candidates: Vec<TargetCitizen>,
    pub(super) pool: Vec<(i64, String)>,
    pub(super) evaluations: Vec<MeetingEvaluation>,
    pub(super) move_date: String,
    pub(super) move_start: String,
    pub(super) move_end: String,
    /// The meeting has ended: time for the actors' evaluation.
    pub(super) past: bool,
    /// The care place units whose reviews this meeting is, with their stays under way.
    pub(super) stay_reviews: Vec<StayReviews>,
}

/// One care place unit's stays on a review meeting's agenda.
pub(super) struct StayReviews {
    pub(super) title: String,
    pub(super) stays: Vec<StayReview>,
}

pub(super) struct StayReview {
    pub(super) referral_id: i64,
    pub(super) citizen: String,
    pub(super) bed: String,
    pub(super) days: String,
}

impl MeetingPage {
    pub(super) fn attendances(&self) -> &'static [Attendance] {
        Attendance::ALL
    }

    pub(super) fn scale(&self) -> Vec<u8> {
        Score::values()
    }

    pub(super) fn function_label(&self, f: &Option<TeamFunction>) -> String {
        f.map(|f| self.chrome.t(f.label_key())).unwrap_or_default()
    }
}

/// The citizen's two evaluation questions: form field and Fluent key.
const QUESTIONS: [(&str, &str); 2] = [
    ("involvement", "evaluation-involvement-question"),
    ("ownership", "evaluation-ownership-question"),
];

/// One field of the template as the page shows it.
pub(super) struct TemplateField {
    pub(super) code: String,
    pub(super) label: String,
    pub(super) body: String,
    pub(super) version: i64,
    pub(super) updated: String,
}

/// The live part of a case: rendered once per change and pushed to every follower.
#[derive(Template)]
#[template(path = "meetings/_case_live.html")]
pub(super) struct CaseLivePartial<'a> {
    pub(super) chrome: &'a Chrome,
    pub(super) snap: &'a CaseSnapshot,
    pub(super) approved: bool,
}

impl CaseLivePartial<'_> {
    pub(super) fn label(&self, code: &str, who: &Option<String>) -> String {
        self.snap.label(self.chrome, code, who)
    }

    pub(super) fn lines(&self, text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }
}

#[derive(Template)]
#[template(path = "meetings/case.html")]
pub(super) struct CasePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) case: MeetingCase,
    pub(super) meeting: Meeting,
    pub(super) team: Team,
    pub(super) leader: bool,
    pub(super) fields: Vec<TemplateField>,
    pub(super) live: String,
    pub(super) agreements: Vec<Agreement>,
    pub(super) follow_up: Vec<Agreement>,
    pub(super) deliveries: Vec<Delivery>,
    pub(super) evaluation: Option<CaseEvaluation>,
    /// Conflicts from a refused save: field code → what the other writer saved.
    pub(super) conflicts: Vec<(String, FieldValue)>,
}

impl CasePage {
    pub(super) fn questions(&self) -> [(&'static str, &'static str); 2] {
        QUESTIONS
    }

    pub(super) fn attendances(&self) -> &'static [Attendance] {
        Attendance::ALL
    }

    pub(super) fn conflict(&self, code: &str) -> Option<&FieldValue> {
        self.conflicts
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v)
    }

    pub(super) fn delivery_label(&self, d: &Delivery) -> String {
        format!(
            "{}: {}",
            self.chrome.t(d.channel.label_key()),
            self.chrome.t(d.status.label_key())
        )
    }

    pub(super) fn attempts(&self, d: &Delivery) -> String {
        self.chrome
            .tn("delivery-attempts", &[("count", d.attempts.to_string())])
    }

    pub(super) fn is_failed(&self, d: &Delivery) -> bool {
        d.status == bro_domain::meeting::DeliveryStatus::Failed
    }

    pub(super) fn scale(&self) -> Vec<u8> {
        Score::values()
    }
}

/// The answer to an htmx save of one field: the field again, with its new version.
#[derive(Template)]
#[template(path = "meetings/_case_field.html")]
pub(super) struct CaseFieldPartial<'a> {
    pub(super) chrome: &'a Chrome,
    /// The version the writer's next save starts from.
    pub(super) version: i64,
    /// Who saved it last, and when; empty in a conflict.
    pub(super) updated: String,
    pub(super) conflict: Option<&'a FieldValue>,
}

#[derive(Template)]
#[template(path = "meetings/case_screen.html")]
pub(super) struct CaseScreenPage {
    pub(super) chrome: Chrome,
    pub(super) live: String,
    pub(super) stream: String,
}

#[derive(Template)]
#[template(path = "meetings/my_meetings.html")]
pub(super) struct MyMeetingsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) cases: Vec<CitizenCase>,
    pub(super) inbox: Vec<MinutesSummary>,
}

impl MyMeetingsPage {
    pub(super) fn upcoming(&self) -> Vec<&CitizenCase> {
        self.cases
            .iter()
            .filter(|c| !c.approved && !c.cancelled)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "meetings/my_case.html")]
pub(super) struct MyCasePage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) case: CitizenCase,
    pub(super) live: String,
    pub(super) stream: Option<String>,
    pub(super) evaluation: Option<CaseEvaluation>,
}

impl MyCasePage {
    pub(super) fn questions(&self) -> [(&'static str, &'static str); 2] {
        QUESTIONS
    }

    pub(super) fn scale(&self) -> Vec<u8> {
        Score::values()
    }

    pub(super) fn chosen(&self, which: &str, n: &u8) -> bool {
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
