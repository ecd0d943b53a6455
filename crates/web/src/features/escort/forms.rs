//! The escort forms, checked at the edge: each refusal is said by its field, and what was
//! typed is kept for the form shown again.

use crate::ui::{Chrome, FormErrors};
use bro_domain::UnitId;
use bro_domain::appointment::{MAX_NOTE, MAX_TEXT};
use bro_domain::escort::{MeetingError, parse_meeting, parse_minutes};
use bro_store::{EscortAnswer, EscortPlan};
use serde::{Deserialize, Serialize};

/// Asking for escort: the escort service (one of those offered) and what it should know.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct AskForm {
    #[serde(default)]
    pub(super) unit: String,
    #[serde(default)]
    pub(super) note: String,
}

impl AskForm {
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        services: &[(UnitId, String)],
    ) -> Result<(UnitId, String), FormErrors> {
        let mut errors = FormErrors::default();
        let unit = services
            .iter()
            .find(|(u, _)| u.0.to_string() == self.unit.trim())
            .map(|(u, _)| *u);
        if unit.is_none() {
            let key = if services.is_empty() {
                "escort-no-service"
            } else {
                "field-choose"
            };
            errors.add(chrome, "unit", key);
        }
        if self.note.trim().chars().count() > MAX_NOTE {
            errors.add(chrome, "note", "field-too-long");
        }
        match unit {
            Some(u) if errors.is_empty() => Ok((u, self.note.trim().to_owned())),
            _ => Err(errors),
        }
    }
}

/// Accepting: who escorts, and where and when they meet the citizen.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct AcceptForm {
    #[serde(default)]
    pub(super) escort: String,
    #[serde(default)]
    pub(super) meeting_point: String,
    #[serde(default)]
    pub(super) meeting_day: String,
    #[serde(default)]
    pub(super) meeting_time: String,
}

impl AcceptForm {
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        starts_ms: i64,
    ) -> Result<EscortAnswer, FormErrors> {
        let mut errors = FormErrors::default();
        for (name, value) in [
            ("escort", &self.escort),
            ("meeting_point", &self.meeting_point),
        ] {
            let value = value.trim();
            if value.is_empty() {
                errors.add(chrome, name, "field-required");
            } else if value.chars().count() > MAX_TEXT {
                errors.add(chrome, name, "field-too-long");
            }
        }
        let meeting = parse_meeting(&self.meeting_day, &self.meeting_time, starts_ms);
        if let Err(why) = meeting {
            let (field, key) = match why {
                MeetingError::BadDay => ("meeting_day", "appointment-day-invalid"),
                MeetingError::BadTime => ("meeting_time", "appointment-time-invalid"),
                MeetingError::InGap => ("meeting_time", "appointment-time-gap"),
                MeetingError::OutOfRange => ("meeting_time", "escort-meeting-out-of-range"),
            };
            errors.add(chrome, field, key);
        }
        match meeting {
            Ok(meeting_ms) if errors.is_empty() => Ok(EscortAnswer::Accept(EscortPlan {
                escort: self.escort.trim().to_owned(),
                meeting_point: self.meeting_point.trim().to_owned(),
                meeting_ms,
            })),
            _ => Err(errors),
        }
    }
}

/// Declining: why is required, so the requester can look elsewhere.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct DeclineForm {
    #[serde(default)]
    pub(super) decline_reason: String,
}

impl DeclineForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<EscortAnswer, FormErrors> {
        let mut errors = FormErrors::default();
        let reason = self.decline_reason.trim();
        if reason.is_empty() {
            errors.add(chrome, "decline_reason", "field-required");
        } else if reason.chars().count() > MAX_TEXT {
            errors.add(chrome, "decline_reason", "field-too-long");
        }
        if errors.is_empty() {
            Ok(EscortAnswer::Decline(reason.to_owned()))
        } else {
            Err(errors)
        }
    }
}

/// The time an escort took, in minutes.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct TimeForm {
    #[serde(default)]
    pub(super) minutes: String,
}

impl TimeForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<i64, FormErrors> {
        parse_minutes(&self.minutes).ok_or_else(|| {
            let mut errors = FormErrors::default();
            errors.add(chrome, "minutes", "escort-minutes-invalid");
            errors
        })
    }
}
