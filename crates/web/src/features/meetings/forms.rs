//! What the Fælles Team forms take, parsed into domain and store values and checked: a new team
//! and its series, agenda and members, a case's fields, agreements and evaluation, and a
//! meeting's time, details, attendance and evaluation.

use crate::http::forms::{form_pairs, form_value};
use crate::ui::{Chrome, FormErrors};
use bro_domain::local_time::{from_local, parse_clock};
use bro_domain::meeting::{Attendance, MAX_FIELD_CHARS, Score, TeamFunction};
use bro_domain::plan::parse_day;
use bro_domain::recurrence::{MAX_MINUTES, Recurrence};
use bro_domain::{CollaborationId, CourseId, Name, OrgId, Timestamp, UserId};
use bro_store::{
    CaseEvaluation, Collaboration, NewSeries, NewTeam, NewTeamMember, StaffOption, Team,
};

/// A video link is empty or an https address (no scripts, no other schemes).
pub(super) fn valid_link(link: &str) -> bool {
    let link = link.trim();
    link.is_empty()
        || (link.starts_with("https://")
            && link.len() <= 500
            && !link.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// The course picked in a form's `course` field.
pub(super) fn chosen_course(body: &[u8]) -> Option<CourseId> {
    form_value(body, "course")
        .and_then(|v| v.parse::<i64>().ok())
        .map(CourseId)
}

/// The person picked in a form's `user` field.
pub(super) fn chosen_user(body: &[u8]) -> Option<i64> {
    form_value(body, "user").and_then(|v| v.parse::<i64>().ok())
}

/// The citizen's attendance picked in a case's `attendance` field.
pub(super) fn chosen_attendance(body: &[u8]) -> Option<Attendance> {
    form_value(body, "attendance").and_then(|v| Attendance::parse(&v))
}

/// A new team as the administrator's form sent it.
#[derive(Default)]
pub(super) struct TeamForm {
    name: String,
    place: String,
    collaboration: i64,
    leader: i64,
    convener: i64,
}

impl TeamForm {
    pub(super) fn parse(body: &[u8]) -> TeamForm {
        let mut f = TeamForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "name" => f.name = v,
                "place" => f.place = v,
                "collaboration" => f.collaboration = v.parse().unwrap_or(0),
                "leader" => f.leader = v.parse().unwrap_or(0),
                "convener" => f.convener = v.parse().unwrap_or(0),
                _ => {}
            }
        }
        f
    }

    /// The organisations of the chosen collaboration, none if it is not one of `ours`.
    pub(super) fn partners(&self, ours: &[Collaboration]) -> Vec<OrgId> {
        self.chosen(ours)
            .map(|c| c.orgs.iter().map(|(o, _)| *o).collect())
            .unwrap_or_default()
    }

    fn chosen<'a>(&self, ours: &'a [Collaboration]) -> Option<&'a Collaboration> {
        ours.iter().find(|c| c.id.0 == self.collaboration)
    }

    /// The team to make in one of `ours`; leader and convener come from `staff`, the staff of
    /// the chosen collaboration's organisations.
    pub(super) fn validate(
        self,
        chrome: &Chrome,
        ours: &[Collaboration],
        staff: &[StaffOption],
    ) -> Result<NewTeam, FormErrors> {
        let mut errors = FormErrors::default();
        let name = Name::parse(&self.name)
            .map_err(|e| errors.add(chrome, "name", e.message_key()))
            .ok();
        let place = Name::parse(&self.place)
            .map_err(|e| errors.add(chrome, "place", e.message_key()))
            .ok();
        if self.chosen(ours).is_none() {
            errors.add(chrome, "collaboration", "team-error-collaboration");
        }
        if ![self.leader, self.convener]
            .iter()
            .all(|u| staff.iter().any(|s| s.user_id.0 == *u))
        {
            errors.add(chrome, "leader", "team-error-people");
        }
        let (Some(name), Some(place), true) = (name, place, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(NewTeam {
            collaboration_id: CollaborationId(self.collaboration),
            name: name.into_string(),
            place: place.into_string(),
            leader: UserId(self.leader),
            convener: UserId(self.convener),
            agenda: chrome.t("team-default-agenda"),
            members: Vec::new(),
            themes: Vec::new(),
        })
    }
}

/// What the team page's forms hold after a refused save.
#[derive(Default)]
pub(super) struct SeriesForm {
    pub(super) title: String,
    pub(super) first_date: String,
    pub(super) start: String,
    pub(super) minutes: String,
    pub(super) every_weeks: String,
    pub(super) until: String,
    pub(super) place: String,
    pub(super) video_link: String,
}

impl SeriesForm {
    pub(super) fn parse(body: &[u8]) -> SeriesForm {
        let mut f = SeriesForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "title" => f.title = v,
                "first_date" => f.first_date = v,
                "start" => f.start = v,
                "minutes" => f.minutes = v,
                "every_weeks" => f.every_weeks = v,
                "until" => f.until = v,
                "place" => f.place = v,
                "video_link" => f.video_link = v,
                _ => {}
            }
        }
        f
    }

    /// The series to make for `team`: one meeting per occurrence, with the theme of its month;
    /// an empty place is the team's.
    pub(super) fn validate(&self, chrome: &Chrome, team: &Team) -> Result<NewSeries, FormErrors> {
        let mut errors = FormErrors::default();
        let title = Name::parse(&self.title)
            .map_err(|e| errors.add(chrome, "title", e.message_key()))
            .ok();
        let rule = self.recurrence(chrome, &mut errors);
        let place = if self.place.trim().is_empty() {
            team.place.clone()
        } else {
            self.place.trim().to_owned()
        };
        if !valid_link(&self.video_link) {
            errors.add(chrome, "video_link", "meeting-error-video-link");
        }
        let occurrences = rule.and_then(|rule| {
            rule.occurrences()
                .map_err(|e| errors.add(chrome, "every_weeks", e.key()))
                .ok()
        });
        let (Some(title), Some(rule), Some(occurrences), true) =
            (title, rule, occurrences, errors.is_empty())
        else {
            return Err(errors);
        };
        let meetings = occurrences
            .iter()
            .map(|o| {
                let theme = team
                    .theme_of(u8::from(o.date.month()))
                    .unwrap_or_default()
                    .to_owned();
                (o.date.to_string(), o.starts_ms, o.ends_ms, theme)
            })
            .collect();
        Ok(NewSeries {
            team: team.id,
            title: title.into_string(),
            first_date: self.first_date.trim().to_owned(),
            start_minute: i64::from(rule.start.hour()) * 60 + i64::from(rule.start.minute()),
            minutes: i64::from(rule.minutes),
            every_weeks: i64::from(rule.every_weeks),
            until_date: self.until.trim().to_owned(),
            place,
            video_link: self.video_link.trim().to_owned(),
            meetings,
        })
    }

    /// The rule the fields describe, each one that does not parse refused by name.
    fn recurrence(&self, chrome: &Chrome, errors: &mut FormErrors) -> Option<Recurrence> {
        let first = parse_day(&self.first_date).ok();
        if first.is_none() {
            errors.add(chrome, "first_date", "error-date");
        }
        let start = parse_clock(&self.start);
        if start.is_none() {
            errors.add(chrome, "start", "error-time");
        }
        let minutes = self.minutes.trim().parse::<u32>().ok();
        if minutes.is_none() {
            errors.add(chrome, "minutes", "recurrence-duration");
        }
        let every_weeks = self.every_weeks.trim().parse::<u8>().ok();
        if every_weeks.is_none() {
            errors.add(chrome, "every_weeks", "recurrence-interval");
        }
        let until = parse_day(&self.until).ok();
        if until.is_none() {
            errors.add(chrome, "until", "error-date");
        }
        Some(Recurrence {
            first: first?,
            start: start?,
            minutes: minutes?,
            every_weeks: every_weeks?,
            until: until?,
        })
    }
}

/// The team's agenda template and its annual themes (month 1..=12, theme).
pub(super) struct AgendaForm {
    pub(super) agenda: String,
    pub(super) themes: Vec<(u8, String)>,
}

impl AgendaForm {
    /// Months out of range and empty themes are left out.
    pub(super) fn parse(body: &[u8]) -> AgendaForm {
        let mut agenda = String::new();
        let mut themes = Vec::new();
        for (k, v) in form_pairs(body) {
            if k == "agenda" {
                agenda = v;
            } else if let Some(month) = k.strip_prefix("theme-").and_then(|m| m.parse::<u8>().ok())
                && (1..=12).contains(&month)
                && !v.trim().is_empty()
            {
                themes.push((month, v.trim().to_owned()));
            }
        }
        AgendaForm { agenda, themes }
    }

    /// An agenda has a line of text and at most 5000 bytes.
    pub(super) fn is_valid(&self) -> bool {
        !(self.agenda.lines().all(|l| l.trim().is_empty()) || self.agenda.len() > 5000)
    }
}

/// A member of the team, with their function.
#[derive(Default)]
pub(super) struct MemberForm {
    user: i64,
    function: Option<TeamFunction>,
    fixed: bool,
}

impl MemberForm {
    pub(super) fn parse(body: &[u8]) -> MemberForm {
        let mut f = MemberForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "user" => f.user = v.parse().unwrap_or(0),
                "function" => f.function = TeamFunction::parse(&v),
                "fixed" => f.fixed = true,
                _ => {}
            }
        }
        f
    }

    /// The member to set: a known function, and someone among `staff` (the staff of the
    /// team's organisations).
    pub(super) fn member(&self, staff: &[StaffOption]) -> Option<NewTeamMember> {
        let known = staff.iter().any(|s| s.user_id.0 == self.user);
        let function = self.function.filter(|_| known)?;
        Some(NewTeamMember {
            user: UserId(self.user),
            function,
            fixed: self.fixed,
        })
    }
}

/// One field of a case's template as the writer saved it.
pub(super) struct FieldForm {
    pub(super) text: String,
    /// The version the writer started from; -1 when it does not parse.
    pub(super) version: i64,
    /// Set by "Replace with my text" after a conflict: the version the writer has seen.
    overwrite: Option<i64>,
}

impl FieldForm {
    pub(super) fn parse(body: &[u8]) -> FieldForm {
        let (mut text, mut version, mut overwrite) = (String::new(), 0, None);
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "body" => text = v,
                "version" => version = v.parse().unwrap_or(-1),
                "overwrite" => overwrite = v.parse::<i64>().ok(),
                _ => {}
            }
        }
        FieldForm {
            text,
            version,
            overwrite,
        }
    }

    pub(super) fn too_long(&self) -> bool {
        self.text.chars().count() > MAX_FIELD_CHARS
    }

    /// The version the save is checked against: after a conflict, the other writer's.
    pub(super) fn base(&self) -> i64 {
        self.overwrite.unwrap_or(self.version)
    }
}

/// An agreement made at the meeting: what, who, and by when (optional).
#[derive(Default)]
pub(super) struct AgreementForm {
    what: String,
    who: String,
    due: String,
}

/// A checked agreement, trimmed.
pub(super) struct AgreementDraft<'a> {
    pub(super) what: &'a str,
    pub(super) who: &'a str,
    pub(super) due: Option<&'a str>,
}

impl AgreementForm {
    pub(super) fn parse(body: &[u8]) -> AgreementForm {
        let mut f = AgreementForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "what" => f.what = v,
                "who" => f.who = v,
                "due" => f.due = v,
                _ => {}
            }
        }
        f
    }

    pub(super) fn validate(&self, chrome: &Chrome) -> Result<AgreementDraft<'_>, FormErrors> {
        let mut errors = FormErrors::default();
        if self.what.trim().is_empty() || self.what.len() > 1000 {
            errors.add(chrome, "what", "agreement-error-what");
        }
        if self.who.trim().is_empty() || self.who.len() > 200 {
            errors.add(chrome, "who", "agreement-error-who");
        }
        let due = self.due.trim();
        let due_ok = due.is_empty() || parse_day(due).is_ok();
        if !due_ok {
            errors.add(chrome, "due", "error-date");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AgreementDraft {
            what: self.what.trim(),
            who: self.who.trim(),
            due: (!due.is_empty()).then_some(due),
        })
    }
}

/// The citizen's evaluation from a form: two scores and a comment.
pub(super) fn parse_evaluation(
    chrome: &Chrome,
    body: &[u8],
    by_citizen: bool,
) -> Result<CaseEvaluation, FormErrors> {
    let (mut involvement, mut ownership, mut comment) = (None, None, String::new());
    for (k, v) in form_pairs(body) {
        match k.as_str() {
            "involvement" => involvement = Score::parse(&v),
            "ownership" => ownership = Score::parse(&v),
            "comment" => comment = v,
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    if involvement.is_none() {
        errors.add(chrome, "involvement", "evaluation-error-scale");
    }
    if ownership.is_none() {
        errors.add(chrome, "ownership", "evaluation-error-scale");
    }
    if comment.len() > 5000 {
        errors.add(chrome, "comment", "evaluation-error-comment");
    }
    match (involvement, ownership, errors.is_empty()) {
        (Some(involvement), Some(ownership), true) => Ok(CaseEvaluation {
            involvement,
            ownership,
            comment: comment.trim().to_owned(),
            by_citizen,
        }),
        _ => Err(errors),
    }
}

/// Each participant's attendance as marked (`att-<user>`); None for a value that is not one.
pub(super) fn attendance_marks(body: &[u8]) -> Vec<(i64, Option<Attendance>)> {
    form_pairs(body)
        .into_iter()
        .filter_map(|(k, v)| {
            let user = k.strip_prefix("att-").and_then(|u| u.parse::<i64>().ok())?;
            Some((user, Attendance::parse(&v)))
        })
        .collect()
}

/// A meeting moved to another day or time.
#[derive(Default)]
pub(super) struct MoveForm {
    date: String,
    start: String,
    end: String,
}

impl MoveForm {
    pub(super) fn parse(body: &[u8]) -> MoveForm {
        let mut f = MoveForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "date" => f.date = v,
                "start" => f.start = v,
                "end" => f.end = v,
                _ => {}
            }
        }
        f
    }

    /// Start and end, or the field refused: `date` when a value does not parse, `end` when
    /// the meeting would not last from a minute to [`MAX_MINUTES`].
    pub(super) fn times(&self) -> Result<(Timestamp, Timestamp), &'static str> {
        let day = parse_day(&self.date).ok();
        let (from, to) = (parse_clock(&self.start), parse_clock(&self.end));
        let (Some(day), Some(from), Some(to)) = (day, from, to) else {
            return Err("date");
        };
        let starts = from_local(day.with_time(from));
        let ends = from_local(day.with_time(to));
        if ends <= starts || ends - starts > i64::from(MAX_MINUTES) * 60_000 {
            return Err("end");
        }
        Ok((starts, ends))
    }
}

/// A meeting's place and video link.
#[derive(Default)]
pub(super) struct DetailsForm {
    place: String,
    video_link: String,
}

impl DetailsForm {
    pub(super) fn parse(body: &[u8]) -> DetailsForm {
        let mut f = DetailsForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "place" => f.place = v,
                "video_link" => f.video_link = v,
                _ => {}
            }
        }
        f
    }

    /// The place and link to save, None for a link that is not [`valid_link`]; an empty place
    /// keeps `current`.
    pub(super) fn details(&self, current: &str) -> Option<(String, &str)> {
        if !valid_link(&self.video_link) {
            return None;
        }
        let place = if self.place.trim().is_empty() {
            current.to_owned()
        } else {
            self.place.trim().to_owned()
        };
        Some((place, self.video_link.trim()))
    }
}

/// An actor's evaluation of a meeting: a score for coherence, effects and learning.
#[derive(Default)]
pub(super) struct MeetingEvaluationForm {
    pub(super) coherence: Option<Score>,
    pub(super) effects: String,
    pub(super) learning: String,
}

impl MeetingEvaluationForm {
    pub(super) fn parse(body: &[u8]) -> MeetingEvaluationForm {
        let mut f = MeetingEvaluationForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "coherence" => f.coherence = Score::parse(&v),
                "effects" => f.effects = v,
                "learning" => f.learning = v,
                _ => {}
            }
        }
        f
    }
}
