//! The form a unit without a MedCom feed registers a hospital event with: an admission (a new
//! stay), or a leave, a return from leave or a discharge on one of the citizen's open stays.
//! It is checked here as a message is by the parser: the moment is a real moment, not in the
//! future, not before the stay began, and the event fits the stay's state.

use crate::ui::{Chrome, FormErrors};
use bro_domain::Timestamp;
use bro_domain::hospital::{Activity, EncounterClass, EpisodeState};
use bro_domain::local_time::{from_local, parse_clock};
use bro_store::OpenEpisode;
use serde::Deserialize;

/// The events, as the form offers them: value and Fluent key.
pub(super) const EVENTS: [(&str, &str); 5] = [
    ("admit_inpatient", "hospital-form-admit-inpatient"),
    ("admit_emergency", "hospital-form-admit-emergency"),
    ("start_leave", "hospital-form-start-leave"),
    ("end_leave", "hospital-form-end-leave"),
    ("discharge", "hospital-form-discharge"),
];
/// A clock a few minutes fast is not the future.
const SLACK_MS: i64 = 5 * 60 * 1000;
const MAX_WARD: usize = 200;

#[derive(Deserialize, Default, serde::Serialize)]
pub(super) struct HospitalForm {
    #[serde(default)]
    pub(super) event: String,
    #[serde(default)]
    pub(super) day: String,
    #[serde(default)]
    pub(super) time: String,
    #[serde(default)]
    pub(super) ward: String,
    #[serde(default)]
    pub(super) episode: String,
}

/// What the form registers.
pub(super) struct Registered<'e> {
    pub(super) activity: Activity,
    pub(super) at: Timestamp,
    /// The stay it applies to; `None` for an admission.
    pub(super) episode: Option<&'e OpenEpisode>,
    pub(super) ward: String,
}

impl HospitalForm {
    pub(super) fn parse<'e>(
        &self,
        chrome: &Chrome,
        now: Timestamp,
        open: &'e [OpenEpisode],
    ) -> Result<Registered<'e>, FormErrors> {
        let mut errors = FormErrors::default();
        let at = match (
            bro_domain::plan::parse_day(self.day.trim()),
            parse_clock(&self.time),
        ) {
            (Ok(d), Some(t)) => Some(from_local(d.with_time(t))),
            (d, t) => {
                if d.is_err() {
                    errors.add(chrome, "day", "hospital-form-day-invalid");
                }
                if t.is_none() {
                    errors.add(chrome, "time", "hospital-form-time-invalid");
                }
                None
            }
        };
        if at.is_some_and(|at| at > now + SLACK_MS) {
            errors.add(chrome, "day", "hospital-form-future");
        }
        let episode = open
            .iter()
            .find(|e| e.id.to_string() == self.episode.trim());
        let activity = match (self.event.as_str(), episode) {
            ("admit_inpatient", _) => Some(Activity::AdmitInpatient),
            ("admit_emergency", _) => Some(Activity::AdmitEmergency),
            (_, None) if EVENTS.iter().any(|(v, _)| *v == self.event) => {
                errors.add(chrome, "episode", "hospital-form-choose-stay");
                None
            }
            ("start_leave", Some(e))
                if e.state == EpisodeState::Admitted && e.class == EncounterClass::Inpatient =>
            {
                Some(Activity::StartLeave)
            }
            ("end_leave", Some(e)) if e.state == EpisodeState::OnLeave => Some(Activity::EndLeave),
            ("discharge", Some(e)) => Some(match e.class {
                EncounterClass::Inpatient => Activity::DischargeInpatient,
                EncounterClass::Emergency => Activity::DischargeEmergency,
            }),
            ("start_leave" | "end_leave", Some(_)) => {
                errors.add(chrome, "event", "hospital-form-event-not-now");
                None
            }
            _ => {
                errors.add(chrome, "event", "field-choose");
                None
            }
        };
        let admission = matches!(
            activity,
            Some(Activity::AdmitInpatient | Activity::AdmitEmergency)
        );
        let ward = self.ward.trim().to_owned();
        if admission && ward.is_empty() {
            errors.add(chrome, "ward", "field-required");
        } else if ward.chars().count() > MAX_WARD {
            errors.add(chrome, "ward", "field-too-long");
        }
        if let (Some(at), Some(e)) = (at, episode.filter(|_| !admission))
            && at < e.leave_from_ms.unwrap_or(e.start_ms)
        {
            errors.add(chrome, "day", "hospital-form-before-start");
        }
        match (activity, at) {
            (Some(activity), Some(at)) if errors.is_empty() => Ok(Registered {
                activity,
                at,
                episode: episode.filter(|_| !admission),
                ward,
            }),
            _ => Err(errors),
        }
    }
}
