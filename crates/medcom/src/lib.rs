//! MedCom HospitalNotification (FHIR R4, IG 3.0.x) read into Bro's domain types, and MedCom's
//! Acknowledgement message written back; and the notification written as a hospital would
//! send it ([`Outgoing`], for the demo and generated worlds). Pure: bytes in, values out.
//!
//! [`parse`] checks a message Bundle against the profiles' rules that matter to a receiver
//! (one MessageHeader of the hospital-notification event, one Patient, the Encounter it
//! focuses on with its class, status and period as MedCom's table requires for the activity,
//! the Provenance chain with one Provenance for this message) and names the element and the
//! problem when one is broken. It never panics, whatever the input.

mod ack;
mod bundle;
mod error;
mod json;
mod write;

pub use ack::{AckCode, Acknowledgement, message_id_of};
pub use bundle::parse;
pub use error::{ParseError, Problem};
pub use write::Outgoing;

use bro_domain::hospital::{Activity, EncounterClass, EncounterStatus, Notification};
use bro_domain::{Cpr, Timestamp};

/// The largest message accepted: a HospitalNotification is a few tens of kilobytes.
pub const MAX_BYTES: usize = 256 * 1024;

/// The CPR number's identifier system.
pub const CPR_SYSTEM: &str = "urn:oid:1.2.208.176.1.2";
/// SOR, the Danish health organisation register.
pub const SOR_SYSTEM: &str = "urn:oid:1.2.208.176.1.1";
/// EAN/GLN location numbers.
pub const GLN_SYSTEM: &str = "https://www.gs1.org/gln";

/// An organisation of the message, by its register identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub sor: Option<String>,
    pub gln: Option<String>,
    pub name: Option<String>,
}

/// Who the message is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientId {
    Cpr(Cpr),
    /// No CPR number, or one that does not parse: kept unmatched, never guessed.
    None,
}

/// One Provenance of the chain: an activity of an earlier message or of this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The MessageHeader id of the message it describes.
    pub message_id: String,
    pub activity: Activity,
    pub recorded: Timestamp,
    /// The message it follows (`revision`) or takes back (`removal`), by MessageHeader id.
    pub follows: Option<(EntityRole, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityRole {
    Revision,
    Removal,
}

/// The Encounter the message is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encounter {
    pub id: String,
    pub class: EncounterClass,
    pub status: EncounterStatus,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub leave: Option<(Timestamp, Option<Timestamp>)>,
    /// The episode of care: (system, value), stable across the episode's messages.
    pub episode: (String, String),
    /// The hospital unit responsible (serviceProvider).
    pub unit: Organization,
}

/// A valid HospitalNotification message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub bundle_id: String,
    /// MessageHeader.id: what duplicates are recognised by and acknowledgements refer to.
    pub message_id: String,
    pub sent: Timestamp,
    pub sender: Organization,
    /// The sender's SOR endpoint (`MessageHeader.source.endpoint`), where the answer goes.
    pub source_endpoint: Option<String>,
    pub receiver: Organization,
    pub patient: PatientId,
    pub encounter: Encounter,
    /// This message's own activity and Provenance.
    pub current: Provenance,
    /// Every Provenance of the chain, this message's included.
    pub chain: Vec<Provenance>,
}

impl Message {
    pub fn activity(&self) -> Activity {
        self.current.activity
    }

    /// The message as the episode rebuild needs it.
    pub fn notification(&self) -> Notification {
        let e = &self.encounter;
        Notification {
            message_id: self.message_id.clone(),
            recorded: self.current.recorded,
            activity: self.current.activity,
            start: e.start,
            end: e.end,
            leave: e.leave,
            unit: e.unit.name.clone().unwrap_or_default(),
        }
    }
}
