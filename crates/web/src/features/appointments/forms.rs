//! The appointment forms, checked at the edge: each refusal is said by its field, and what
//! was typed is kept for the form shown again.

use crate::ui::{Chrome, FormErrors};
use bro_domain::appointment::{
    AppointmentKind, Attendance, FollowUpAction, LinkError, MAX_NOTE, MAX_TEXT, SlotError,
    SlotField, parse_slot, parse_video_link,
};
use bro_domain::{OrgId, UnitId};
use bro_store::{RoleAssignment, Slot};
use serde::{Deserialize, Serialize};

/// When, where and with whom: the part booking and moving share.
#[derive(Deserialize, Serialize, Default, Clone)]
pub(super) struct SlotFields {
    #[serde(default)]
    pub(super) day: String,
    #[serde(default)]
    pub(super) start: String,
    #[serde(default)]
    pub(super) end: String,
    #[serde(default)]
    pub(super) place: String,
    #[serde(default)]
    pub(super) video: String,
    #[serde(default)]
    pub(super) meets: String,
}

impl SlotFields {
    pub(super) fn of(slot: &Slot) -> Self {
        let day = crate::ui::local_day(slot.starts_ms);
        SlotFields {
            day,
            start: crate::ui::clock(slot.starts_ms),
            end: crate::ui::clock(slot.ends_ms),
            place: slot.place.clone(),
            video: slot.video_url.clone().unwrap_or_default(),
            meets: slot.meets.clone(),
        }
    }

    fn parse(&self, chrome: &Chrome, errors: &mut FormErrors) -> Option<Slot> {
        let times = match parse_slot(&self.day, &self.start, &self.end) {
            Ok(t) => Some(t),
            Err(refused) => {
                for (field, why) in refused {
                    let name = match field {
                        SlotField::Day => "day",
                        SlotField::Start => "start",
                        SlotField::End => "end",
                    };
                    let key = match why {
                        SlotError::BadDay => "appointment-day-invalid",
                        SlotError::BadTime => "appointment-time-invalid",
                        SlotError::InGap => "appointment-time-gap",
                        SlotError::EndBeforeStart => "appointment-end-before-start",
                        SlotError::TooLong => "appointment-too-long",
                    };
                    errors.add(chrome, name, key);
                }
                None
            }
        };
        let video = match self.video.trim() {
            "" => None,
            link => match parse_video_link(link) {
                Ok(url) => Some(url),
                Err(why) => {
                    let key = match why {
                        LinkError::NotHttps => "appointment-video-not-https",
                        LinkError::Malformed => "appointment-video-malformed",
                        LinkError::TooLong => "field-too-long",
                    };
                    errors.add(chrome, "video", key);
                    None
                }
            },
        };
        let place = self.place.trim().to_owned();
        if place.is_empty() && self.video.trim().is_empty() {
            errors.add(chrome, "place", "appointment-place-required");
        }
        for (name, value) in [("place", &place), ("meets", &self.meets)] {
            if value.trim().chars().count() > MAX_TEXT {
                errors.add(chrome, name, "field-too-long");
            }
        }
        let (starts_ms, ends_ms) = times?;
        errors.is_empty().then(|| Slot {
            starts_ms,
            ends_ms,
            place,
            video_url: video,
            meets: self.meets.trim().to_owned(),
        })
    }
}

/// Booking: the kind, the unit that books (one the booker works in), the slot and whether the
/// citizen wants a reminder.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct BookForm {
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) unit: String,
    #[serde(flatten)]
    pub(super) slot: SlotFields,
    #[serde(default)]
    pub(super) remind: Option<String>,
}

/// What a valid booking form says.
pub(super) struct Booking {
    pub(super) kind: AppointmentKind,
    pub(super) unit: UnitId,
    pub(super) org: OrgId,
    pub(super) slot: Slot,
    pub(super) remind: bool,
}

impl BookForm {
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        roles: &[RoleAssignment],
    ) -> Result<Booking, FormErrors> {
        let mut errors = FormErrors::default();
        let kind = AppointmentKind::parse(&self.kind);
        if kind.is_none() {
            errors.add(chrome, "kind", "field-choose");
        }
        let unit = roles
            .iter()
            .find(|r| r.unit_id.0.to_string() == self.unit.trim());
        if unit.is_none() {
            errors.add(chrome, "unit", "appointment-unit-not-yours");
        }
        let slot = self.slot.parse(chrome, &mut errors);
        match (kind, unit, slot) {
            (Some(kind), Some(unit), Some(slot)) if errors.is_empty() => Ok(Booking {
                kind,
                unit: unit.unit_id,
                org: unit.org_id,
                slot,
                remind: self.remind.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

/// The version a change started from; unreadable is no version (the store refuses it).
pub(super) fn version(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

/// Moving: the new slot, and why (optional).
#[derive(Deserialize, Serialize, Default)]
pub(super) struct MoveForm {
    /// Text, not a number: a flattened form reads every field as text.
    #[serde(default)]
    pub(super) base_version: String,
    #[serde(flatten)]
    pub(super) slot: SlotFields,
    #[serde(default)]
    pub(super) reason: String,
}

impl MoveForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<Slot, FormErrors> {
        let mut errors = FormErrors::default();
        let slot = self.slot.parse(chrome, &mut errors);
        if self.reason.trim().chars().count() > MAX_TEXT {
            errors.add(chrome, "reason", "field-too-long");
        }
        slot.filter(|_| errors.is_empty()).ok_or(errors)
    }
}

/// Cancelling: why is required.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct CancelForm {
    /// Text, not a number: a flattened form reads every field as text.
    #[serde(default)]
    pub(super) base_version: String,
    #[serde(default)]
    pub(super) cancel_reason: String,
}

impl CancelForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<String, FormErrors> {
        let mut errors = FormErrors::default();
        let reason = self.cancel_reason.trim();
        if reason.is_empty() {
            errors.add(chrome, "cancel_reason", "field-required");
        } else if reason.chars().count() > MAX_TEXT {
            errors.add(chrome, "cancel_reason", "field-too-long");
        }
        if errors.is_empty() {
            Ok(reason.to_owned())
        } else {
            Err(errors)
        }
    }
}

/// What happened, with an optional note.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct AttendanceForm {
    #[serde(default)]
    pub(super) outcome: String,
    #[serde(default)]
    pub(super) note: String,
    /// `list` when sent from the unit's list of appointments to record: the answer goes back
    /// there (a colleague not on the citizen's team cannot open the course).
    #[serde(default)]
    pub(super) from: String,
}

impl AttendanceForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<(Attendance, String), FormErrors> {
        let mut errors = FormErrors::default();
        let outcome = Attendance::parse(&self.outcome);
        if outcome.is_none() {
            errors.add(chrome, "outcome", "field-choose");
        }
        if self.note.trim().chars().count() > MAX_NOTE {
            errors.add(chrome, "note", "field-too-long");
        }
        match outcome {
            Some(o) if errors.is_empty() => Ok((o, self.note.trim().to_owned())),
            _ => Err(errors),
        }
    }
}

/// The coordinator's follow-up after a no-show.
#[derive(Deserialize, Serialize, Default)]
pub(super) struct FollowUpForm {
    #[serde(default)]
    pub(super) action: String,
    #[serde(default)]
    pub(super) follow_up_note: String,
}

impl FollowUpForm {
    pub(super) fn parse(&self, chrome: &Chrome) -> Result<(FollowUpAction, String), FormErrors> {
        let mut errors = FormErrors::default();
        let action = FollowUpAction::parse(&self.action);
        if action.is_none() {
            errors.add(chrome, "action", "field-choose");
        }
        if self.follow_up_note.trim().chars().count() > MAX_NOTE {
            errors.add(chrome, "follow_up_note", "field-too-long");
        }
        match action {
            Some(a) if errors.is_empty() => Ok((a, self.follow_up_note.trim().to_owned())),
            _ => Err(errors),
        }
    }
}
