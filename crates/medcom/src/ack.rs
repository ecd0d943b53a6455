//! MedCom's Acknowledgement message: the answer to every message received, `ok` or an error
//! with its reason, referring to the received MessageHeader.

use crate::{GLN_SYSTEM, Organization, SOR_SYSTEM};
use bro_domain::Timestamp;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const PROFILE: &str = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition";
const MESSAGING: &str = "http://medcomfhir.dk/ig/messaging/StructureDefinition";
const TERMINOLOGY: &str = "http://medcomfhir.dk/ig/terminology/CodeSystem";

/// `MessageHeader.response.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckCode {
    Ok,
    /// The receiver could not take it now: the sender tries again.
    TransientError,
    /// The message is not valid and never will be.
    FatalError,
}

impl AckCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AckCode::Ok => "ok",
            AckCode::TransientError => "transient-error",
            AckCode::FatalError => "fatal-error",
        }
    }
}

/// What an acknowledgement says; the ids are the caller's, so that this stays pure.
pub struct Acknowledgement<'a> {
    /// Ids for the acknowledgement's Bundle, MessageHeader, Provenance and OperationOutcome.
    pub ids: [&'a str; 4],
    pub at: Timestamp,
    /// The received message as it came: its MessageHeader id and current Provenance are
    /// referred to and copied when they can be read.
    pub original: &'a [u8],
    pub code: AckCode,
    /// The MedCom error code and a text: required unless the code is `ok`; with `ok`, a note
    /// such as "duplicate".
    pub issue: Option<(&'a str, String)>,
    /// Bro's organisation, which acknowledges.
    pub from: &'a Organization,
    /// The sender of the received message, where the acknowledgement goes, if known.
    pub to: Option<&'a Organization>,
}

/// A moment as FHIR writes it (RFC 3339, UTC).
pub(crate) fn instant(ms: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

/// The organisation's SOR address, as messages name their endpoints.
pub(crate) fn sor_endpoint(org: &Organization) -> String {
    format!(
        "https://sor2.sum.dsdn.dk/#id={}",
        org.sor.as_deref().unwrap_or("")
    )
}

/// A Bundle entry for `org` (MedCom's messaging Organization), with its SOR and GLN ids.
pub(crate) fn organization(id: &str, org: &Organization) -> Value {
    let mut identifiers = Vec::new();
    if let Some(sor) = &org.sor {
        identifiers.push(json!({ "system": SOR_SYSTEM, "value": sor }));
    }
    if let Some(gln) = &org.gln {
        identifiers.push(json!({ "system": GLN_SYSTEM, "value": gln }));
    }
    json!({
        "fullUrl": format!("Organization/{id}"),
        "resource": {
            "resourceType": "Organization",
            "id": id,
            "meta": { "profile": [format!("{MESSAGING}/medcom-messaging-organization")] },
            "identifier": identifiers,
            "name": org.name.clone().unwrap_or_default(),
        }
    })
}

impl Acknowledgement<'_> {
    pub fn to_json(&self) -> String {
        let [bundle_id, header_id, provenance_id, outcome_id] = self.ids;
        let original: Option<Value> = serde_json::from_slice(self.original).ok();
        let received = original.as_ref().and_then(header_id_in);
        let received = received.as_deref();
        let at = instant(self.at);
        let (us, them) = ("bro", "sender");
        let mut response = json!({
            "identifier": received.unwrap_or(""),
            "code": self.code.as_str(),
        });
        let mut entries = Vec::new();
        let mut header = json!({
            "resourceType": "MessageHeader",
            "id": header_id,
            "meta": { "profile": [format!("{PROFILE}/medcom-messaging-acknowledgementHeader")] },
            "text": {
                "status": "generated",
                "div": format!(
                    "<div xmlns=\"http://www.w3.org/1999/xhtml\">Acknowledgement {}</div>",
                    self.code.as_str()
                ),
            },
            "eventCoding": {
                "system": format!("{TERMINOLOGY}/medcom-messaging-eventCodes"),
                "code": "acknowledgement-message",
            },
            "sender": { "reference": format!("Organization/{us}") },
            "source": { "endpoint": sor_endpoint(self.from) },
        });
        if let Some(to) = self.to {
            header["destination"] = json!([{
                "extension": [{
                    "url": format!("{MESSAGING}/medcom-messaging-destinationUseExtension"),
                    "valueCoding": {
                        "system": format!("{TERMINOLOGY}/medcom-messaging-destinationUse"),
                        "code": "primary",
                    }
                }],
                "endpoint": sor_endpoint(to),
                "receiver": { "reference": format!("Organization/{them}") },
            }]);
        }
        if let Some((code, text)) = &self.issue {
            response["details"] = json!({ "reference": format!("OperationOutcome/{outcome_id}") });
            let severity = match self.code {
                AckCode::Ok => "information",
                _ => "error",
            };
            entries.push(json!({
                "fullUrl": format!("OperationOutcome/{outcome_id}"),
                "resource": {
                    "resourceType": "OperationOutcome",
                    "id": outcome_id,
                    "meta": { "profile": [format!("{PROFILE}/medcom-acknowledgement-operationoutcome")] },
                    "issue": [{
                        "severity": severity,
                        "code": if self.code == AckCode::Ok { "informational" } else { "structure" },
                        "details": {
                            "coding": [{
                                "system": format!("{TERMINOLOGY}/medcom-acknowledgement-error-codes"),
                                "code": code,
                            }],
                            "text": text,
                        }
                    }]
                }
            }));
        }
        header["response"] = response;
        let mut provenance = json!({
            "resourceType": "Provenance",
            "id": provenance_id,
            "meta": { "profile": [format!("{MESSAGING}/medcom-messaging-provenance")] },
            "target": [{ "reference": format!("MessageHeader/{header_id}") }],
            "occurredDateTime": at,
            "recorded": at,
            "activity": { "coding": [{
                "system": format!("{TERMINOLOGY}/medcom-messaging-activityCodes"),
                "code": "acknowledgement",
            }]},
            "agent": [{ "who": { "reference": format!("Organization/{us}") } }],
        });
        if let Some(received) = received {
            provenance["entity"] = json!([{
                "role": "revision",
                "what": { "reference": format!("MessageHeader/{received}") },
            }]);
        }
        let mut all = vec![json!({
            "fullUrl": format!("MessageHeader/{header_id}"),
            "resource": header,
        })];
        // The acknowledged message's own (latest) Provenance comes along, as the IG asks.
        if let Some(copy) = original
            .as_ref()
            .zip(received)
            .and_then(|(o, id)| current_provenance(o, id))
        {
            all.push(json!({ "fullUrl": format!("Provenance/{}", copy["id"].as_str().unwrap_or("")), "resource": copy }));
        }
        all.push(
            json!({ "fullUrl": format!("Provenance/{provenance_id}"), "resource": provenance }),
        );
        all.push(organization(us, self.from));
        if let Some(to) = self.to {
            all.push(organization(them, to));
        }
        all.extend(entries);
        json!({
            "resourceType": "Bundle",
            "id": bundle_id,
            "meta": { "profile": [format!("{PROFILE}/medcom-messaging-acknowledgement")] },
            "type": "message",
            "timestamp": at,
            "entry": all,
        })
        .to_string()
    }
}

fn resources<'v>(bundle: &'v Value, kind: &'v str) -> impl Iterator<Item = &'v Value> {
    bundle
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
        .filter(move |r| r.get("resourceType").and_then(Value::as_str) == Some(kind))
}

/// The MessageHeader id of a message that may not be valid, to refer to in an error answer.
pub fn message_id_of(bytes: &[u8]) -> Option<String> {
    header_id_in(&serde_json::from_slice(bytes).ok()?)
}

fn header_id_in(bundle: &Value) -> Option<String> {
    resources(bundle, "MessageHeader")
        .next()?
        .get("id")?
        .as_str()
        .filter(|id| crate::json::is_fhir_id(id))
        .map(str::to_owned)
}

/// The message's own Provenance (the one whose target is its MessageHeader), verbatim.
fn current_provenance(bundle: &Value, header_id: &str) -> Option<Value> {
    let own = format!("MessageHeader/{header_id}");
    resources(bundle, "Provenance")
        .find(|p| p["target"][0]["reference"].as_str() == Some(own.as_str()))
        .cloned()
}
