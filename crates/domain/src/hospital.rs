//! Hospital events: what a hospital notifies about a citizen's stay (MedCom HospitalNotification,
//! or a unit's hand registration), and the episode those notifications add up to.
//!
//! A notification names one event (admission, start or end of a leave, discharge) and whether it
//! is new, a revision of that event or its cancellation. Notifications may arrive in any order;
//! [`Episode::rebuild`] orders them by when the hospital recorded them, so the episode is the
//! same whatever order they came in.

use crate::Timestamp;
use crate::coded::coded;

coded!(
    /// The activity code of a notification, as in MedCom's activity code system.
    Activity, "hospital-activity-" {
        AdmitInpatient => "admit-inpatient",
        ReviseAdmitInpatient => "revise-admit-inpatient",
        CancelAdmitInpatient => "cancel-admit-inpatient",
        AdmitEmergency => "admit-emergency",
        ReviseAdmitEmergency => "revise-admit-emergency",
        CancelAdmitEmergency => "cancel-admit-emergency",
        StartLeave => "start-leave-inpatient",
        ReviseStartLeave => "revise-start-leave-inpatient",
        CancelStartLeave => "cancel-start-leave-inpatient",
        EndLeave => "end-leave-inpatient",
        ReviseEndLeave => "revise-end-leave-inpatient",
        CancelEndLeave => "cancel-end-leave-inpatient",
        DischargeInpatient => "discharge-inpatient-home",
        ReviseDischargeInpatient => "revise-discharge-inpatient-home",
        CancelDischargeInpatient => "cancel-discharge-inpatient-home",
        DischargeEmergency => "discharge-emergency-home",
        ReviseDischargeEmergency => "revise-discharge-emergency-home",
        CancelDischargeEmergency => "cancel-discharge-emergency-home",
    }
);

coded!(
    /// The kind of contact: an admission (IMP) or an acute ambulant contact (EMER).
    EncounterClass, "hospital-class-" {
        Inpatient => "IMP",
        Emergency => "EMER",
    }
);

coded!(
    /// The encounter's status as the notification states it.
    EncounterStatus, "hospital-status-" {
        InProgress => "in-progress",
        OnLeave => "onleave",
        Finished => "finished",
        EnteredInError => "entered-in-error",
    }
);

coded!(
    /// Where an episode stands after all its notifications.
    EpisodeState, "hospital-state-" {
        Admitted => "admitted",
        OnLeave => "on_leave",
        Discharged => "discharged",
        Cancelled => "cancelled",
    }
);

coded!(
    /// The event a notification is about.
    Event, "hospital-event-" {
        Admit => "admit",
        StartLeave => "start_leave",
        EndLeave => "end_leave",
        Discharge => "discharge",
    }
);

/// Whether a notification tells of a new event, corrects one, or takes one back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Revise,
    Cancel,
}

impl Activity {
    pub fn event(self) -> Event {
        use Activity::*;
        match self {
            AdmitInpatient | ReviseAdmitInpatient | CancelAdmitInpatient | AdmitEmergency
            | ReviseAdmitEmergency | CancelAdmitEmergency => Event::Admit,
            StartLeave | ReviseStartLeave | CancelStartLeave => Event::StartLeave,
            EndLeave | ReviseEndLeave | CancelEndLeave => Event::EndLeave,
            DischargeInpatient
            | ReviseDischargeInpatient
            | CancelDischargeInpatient
            | DischargeEmergency
            | ReviseDischargeEmergency
            | CancelDischargeEmergency => Event::Discharge,
        }
    }

    pub fn change(self) -> Change {
        let code = self.as_str();
        if code.starts_with("revise-") {
            Change::Revise
        } else if code.starts_with("cancel-") {
            Change::Cancel
        } else {
            Change::New
        }
    }

    /// The class of contact the activity belongs to; a leave exists only in an admission.
    pub fn class(self) -> EncounterClass {
        use Activity::*;
        match self {
            AdmitEmergency
            | ReviseAdmitEmergency
            | CancelAdmitEmergency
            | DischargeEmergency
            | ReviseDischargeEmergency
            | CancelDischargeEmergency => EncounterClass::Emergency,
            _ => EncounterClass::Inpatient,
        }
    }

    /// The encounter status a notification with this activity must state (MedCom's table).
    pub fn expected_status(self) -> EncounterStatus {
        use EncounterStatus::*;
        match (self.event(), self.change()) {
            (Event::Admit, Change::Cancel) => EnteredInError,
            (Event::Admit | Event::EndLeave, Change::New | Change::Revise) => InProgress,
            (Event::StartLeave, Change::New | Change::Revise) => OnLeave,
            (Event::StartLeave, Change::Cancel) => InProgress,
            (Event::EndLeave, Change::Cancel) => OnLeave,
            (Event::Discharge, Change::New | Change::Revise) => Finished,
            (Event::Discharge, Change::Cancel) => InProgress,
        }
    }
}

/// One notification as the episode needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The message's id (MessageHeader.id): unique per message.
    pub message_id: String,
    /// When the hospital recorded the activity (the message's own Provenance).
    pub recorded: Timestamp,
    pub activity: Activity,
    /// The contact's start (Encounter.period.start): always present.
    pub start: Timestamp,
    /// The contact's end (Encounter.period.end): on a discharge.
    pub end: Option<Timestamp>,
    /// The leave the message carries (the leave period extension).
    pub leave: Option<(Timestamp, Option<Timestamp>)>,
    /// The hospital unit (its name) responsible for the contact.
    pub unit: String,
}

/// What happened in an episode, as a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeEvent {
    pub event: Event,
    pub at: Timestamp,
    /// For the end of a leave: when the leave began, as the message states it (the start of
    /// the leave may be in a message that never came).
    pub leave_from: Option<Timestamp>,
    /// The message that set it last (the original or its latest revision).
    pub message_id: String,
}

/// A leave during an admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leave {
    pub from: Timestamp,
    pub to: Option<Timestamp>,
}

/// The coordinator books a follow-up within this long after a discharge.
pub const FOLLOW_UP_MS: Timestamp = 7 * 24 * 60 * 60 * 1000;

/// An episode (one hospital contact) after all its notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub class: EncounterClass,
    pub state: EpisodeState,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub leaves: Vec<Leave>,
    pub unit: String,
    /// The events in effect, in time order.
    pub events: Vec<EpisodeEvent>,
}

impl Episode {
    /// The episode `notifications` describe, whatever order they are given in: they are
    /// applied in the order the hospital recorded them (ties by message id). A new event is
    /// added; a revision replaces the latest event of its kind (or adds it, when the original
    /// never came); a cancellation removes it. `None` when there are none.
    pub fn rebuild(notifications: &[Notification]) -> Option<Episode> {
        let mut ordered: Vec<&Notification> = notifications.iter().collect();
        ordered.sort_by(|a, b| (a.recorded, &a.message_id).cmp(&(b.recorded, &b.message_id)));
        let last = *ordered.last()?;
        let mut events: Vec<EpisodeEvent> = Vec::new();
        // The class of an episode is the class of its admission; an episode never changes
        // class (a move from EMER to IMP is a new episode in MedCom).
        let mut class = last.activity.class();
        // Whether the admission itself was taken back (and not notified again since).
        let mut admission_cancelled = false;
        for n in &ordered {
            let event = n.activity.event();
            let latest = events.iter().rposition(|e| e.event == event);
            match n.activity.change() {
                Change::Cancel => {
                    if let Some(k) = latest {
                        events.remove(k);
                    }
                    admission_cancelled |= event == Event::Admit;
                }
                change => {
                    let Some(at) = event_time(n) else { continue };
                    let entry = EpisodeEvent {
                        event,
                        at,
                        leave_from: (event == Event::EndLeave)
                            .then(|| n.leave.map(|(from, _)| from))
                            .flatten(),
                        message_id: n.message_id.clone(),
                    };
                    match (change, latest) {
                        (Change::Revise, Some(k)) => events[k] = entry,
                        _ => events.push(entry),
                    }
                    if event == Event::Admit {
                        class = n.activity.class();
                        admission_cancelled = false;
                    }
                }
            }
        }
        // A leave or a discharge whose admission has not come (yet): every message carries the
        // contact's start, so the admission is known from it.
        if !admission_cancelled && !events.iter().any(|e| e.event == Event::Admit) {
            let first = ordered[0];
            events.push(EpisodeEvent {
                event: Event::Admit,
                at: last.start,
                leave_from: None,
                message_id: first.message_id.clone(),
            });
        }
        events.sort_by(|a, b| (a.at, &a.message_id).cmp(&(b.at, &b.message_id)));
        let mut leaves: Vec<Leave> = Vec::new();
        for e in &events {
            match e.event {
                Event::StartLeave => leaves.push(Leave {
                    from: e.at,
                    to: None,
                }),
                Event::EndLeave => match leaves.last_mut() {
                    Some(open) if open.to.is_none() => open.to = Some(e.at),
                    _ => leaves.push(Leave {
                        from: e.leave_from.unwrap_or(e.at),
                        to: Some(e.at),
                    }),
                },
                _ => {}
            }
        }
        let admitted = events.iter().find(|e| e.event == Event::Admit);
        let discharged = events.iter().find(|e| e.event == Event::Discharge);
        // Without a cancelled admission there is always one, notified or implied.
        let state = if admission_cancelled {
            EpisodeState::Cancelled
        } else if discharged.is_some() {
            EpisodeState::Discharged
        } else if leaves.last().is_some_and(|l| l.to.is_none()) {
            EpisodeState::OnLeave
        } else {
            EpisodeState::Admitted
        };
        Some(Episode {
            class,
            state,
            // The latest message carries the contact's start as last corrected.
            start: admitted.map_or(last.start, |a| a.at),
            end: discharged.map(|d| d.at),
            leaves,
            unit: last.unit.clone(),
            events,
        })
    }
}

/// The moment the notification's event happened, read from the encounter it carries.
fn event_time(n: &Notification) -> Option<Timestamp> {
    match n.activity.event() {
        Event::Admit => Some(n.start),
        Event::StartLeave => n.leave.map(|(from, _)| from),
        Event::EndLeave => n.leave.and_then(|(_, to)| to),
        Event::Discharge => n.end,
    }
}

#[cfg(test)]
mod tests;
