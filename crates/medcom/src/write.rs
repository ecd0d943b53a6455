//! A HospitalNotification message written from a notification: what a hospital system sends.
//! Bro never sends these; the demo and the generated world make their hospital events with it,
//! so that they come in through the parser like any hospital's.

use crate::ack::{instant, organization, sor_endpoint};
use crate::{CPR_SYSTEM, Organization};
use bro_domain::Cpr;
use bro_domain::hospital::Notification;
use serde_json::{Value, json};

const IG: &str = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition";
const MESSAGING: &str = "http://medcomfhir.dk/ig/messaging/StructureDefinition";
const TERMINOLOGY: &str = "http://medcomfhir.dk/ig/terminology/CodeSystem";
const LEAVE: &str = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotifiation-leave-period-extension";

/// One message to write. Ids must be FHIR ids; the resources' own ids derive from
/// `message_id`.
pub struct Outgoing<'a> {
    pub message_id: &'a str,
    /// The hospital unit that sends (and is responsible for the contact).
    pub sender: &'a Organization,
    pub receiver: &'a Organization,
    pub cpr: &'a Cpr,
    /// The episode of care's identifier (system, value).
    pub episode: (&'a str, &'a str),
    pub notification: &'a Notification,
}

impl Outgoing<'_> {
    /// The message Bundle as JSON.
    pub fn to_json(&self) -> String {
        let n = self.notification;
        let id = self.message_id;
        let (patient, encounter, sender, receiver, provenance) = (
            format!("{id}.pat"),
            format!("{id}.enc"),
            format!("{id}.snd"),
            format!("{id}.rcv"),
            format!("{id}.prv"),
        );
        let header = json!({
            "fullUrl": format!("MessageHeader/{id}"),
            "resource": {
                "resourceType": "MessageHeader",
                "id": id,
                "meta": { "profile": [format!("{IG}/medcom-hospitalNotification-messageHeader")] },
                "eventCoding": {
                    "system": format!("{TERMINOLOGY}/medcom-messaging-eventCodes"),
                    "code": "hospital-notification-message",
                },
                "destination": [{
                    "extension": [{
                        "url": format!("{MESSAGING}/medcom-messaging-destinationUseExtension"),
                        "valueCoding": {
                            "system": format!("{TERMINOLOGY}/medcom-messaging-destinationUse"),
                            "code": "primary",
                        }
                    }],
                    "endpoint": sor_endpoint(self.receiver),
                    "receiver": { "reference": format!("Organization/{receiver}") },
                }],
                "sender": { "reference": format!("Organization/{sender}") },
                "source": { "endpoint": sor_endpoint(self.sender) },
                "focus": [{ "reference": format!("Encounter/{encounter}") }],
            }
        });
        let mut period = json!({ "start": instant(n.start) });
        if let Some(end) = n.end {
            period["end"] = Value::from(instant(end));
        }
        let mut enc = json!({
            "resourceType": "Encounter",
            "id": encounter,
            "meta": { "profile": [format!("{IG}/medcom-hospitalNotification-encounter")] },
            "status": n.activity.expected_status().as_str(),
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": n.activity.class().as_str(),
            },
            "subject": { "reference": format!("Patient/{patient}") },
            "episodeOfCare": [{
                "identifier": { "system": self.episode.0, "value": self.episode.1 }
            }],
            "period": period,
            "serviceProvider": { "reference": format!("Organization/{sender}") },
        });
        if let Some((from, to)) = n.leave {
            let mut leave = json!({ "start": instant(from) });
            if let Some(to) = to {
                leave["end"] = Value::from(instant(to));
            }
            enc["extension"] = json!([{ "url": LEAVE, "valuePeriod": leave }]);
        }
        let recorded = instant(n.recorded);
        let bundle = json!({
            "resourceType": "Bundle",
            "id": format!("{id}.bdl"),
            "meta": { "profile": [format!("{IG}/medcom-hospitalNotification-message")] },
            "type": "message",
            "timestamp": recorded,
            "entry": [
                header,
                {
                    "fullUrl": format!("Patient/{patient}"),
                    "resource": {
                        "resourceType": "Patient",
                        "id": patient,
                        "meta": { "profile": ["http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-patient"] },
                        "identifier": [{ "system": CPR_SYSTEM, "value": self.cpr.compact() }],
                    }
                },
                { "fullUrl": format!("Encounter/{encounter}"), "resource": enc },
                organization(&receiver, self.receiver),
                organization(&sender, self.sender),
                {
                    "fullUrl": format!("Provenance/{provenance}"),
                    "resource": {
                        "resourceType": "Provenance",
                        "id": provenance,
                        "meta": { "profile": [format!("{MESSAGING}/medcom-messaging-provenance")] },
                        "target": [{ "reference": format!("MessageHeader/{id}") }],
                        "occurredDateTime": recorded,
                        "recorded": recorded,
                        "activity": { "coding": [{
                            "system": format!("{TERMINOLOGY}/medcom-messaging-activityCodes"),
                            "code": n.activity.as_str(),
                        }]},
                        "agent": [{ "who": { "reference": format!("Organization/{sender}") } }],
                    }
                },
            ],
        });
        bundle.to_string()
    }
}
