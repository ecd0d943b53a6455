//! Reading a HospitalNotification message Bundle.

use crate::error::{ParseError, Problem};
use crate::json::Node;
use crate::{
    CPR_SYSTEM, Encounter, EntityRole, GLN_SYSTEM, MAX_BYTES, Message, Organization, PatientId,
    Provenance, SOR_SYSTEM,
};
use bro_domain::Cpr;
use bro_domain::hospital::{Activity, EncounterClass, EncounterStatus, Event};
use serde_json::Value;

const EVENT_SYSTEM: &str =
    "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes";
const ACTIVITY_SYSTEM: &str =
    "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";
const CLASS_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/// The leave period extension, spelt as the IG spells it.
const LEAVE_EXTENSION: &str = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotifiation-leave-period-extension";

/// Reads one HospitalNotification message Bundle (JSON).
pub fn parse(bytes: &[u8]) -> Result<Message, ParseError> {
    if bytes.len() > MAX_BYTES {
        return Err(ParseError::new(
            "Bundle",
            Problem::TooLarge { limit: MAX_BYTES },
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ParseError::new(
            "Bundle",
            Problem::NotJson {
                line: e.line(),
                column: e.column(),
            },
        )
    })?;
    let bundle = Node::root(&value, "Bundle");
    let not_ours = |element: &str| ParseError::new(element, Problem::NotHospitalNotification);
    if bundle.opt("resourceType").and_then(|n| n.value.as_str()) != Some("Bundle") {
        return Err(not_ours("Bundle.resourceType"));
    }
    if bundle.get("type")?.str()? != "message" {
        return Err(not_ours("Bundle.type"));
    }
    let entries = Entries::of(&bundle)?;
    let header = entries.only("MessageHeader")?;
    let event = header.get("eventCoding")?;
    if event.get("system")?.str()? != EVENT_SYSTEM
        || event.get("code")?.str()? != "hospital-notification-message"
    {
        return Err(not_ours("MessageHeader.eventCoding"));
    }
    let message_id = header.get("id")?.id()?.to_owned();
    let sender = organization(&entries.follow(&header.get("sender")?)?, true)?;
    let receiver = organization(
        &entries.follow(&header.first("destination")?.get("receiver")?)?,
        true,
    )?;
    let source_endpoint = match header.get("source")?.opt("endpoint") {
        Some(n) => Some(n.str()?.to_owned()),
        None => None,
    };
    let encounter_node = entries.follow(&header.first("focus")?)?;
    if resource_type(&encounter_node) != Some("Encounter") {
        return Err(ParseError::new(
            "MessageHeader.focus",
            Problem::WrongType {
                expected: "a reference to the Encounter",
            },
        ));
    }
    let patient_node = entries.only("Patient")?;
    let chain = entries
        .all("Provenance")
        .iter()
        .map(provenance)
        .collect::<Result<Vec<_>, _>>()?;
    let own = format!("MessageHeader/{message_id}");
    let current = chain
        .iter()
        .position(|p| format!("MessageHeader/{}", p.message_id) == own)
        .ok_or_else(|| ParseError::new("Provenance.target", Problem::Missing))?;
    let current = chain[current].clone();
    let encounter = encounter(&entries, &encounter_node, current.activity)?;
    Ok(Message {
        bundle_id: bundle.get("id")?.id()?.to_owned(),
        message_id,
        sent: bundle.get("timestamp")?.instant()?,
        sender,
        source_endpoint,
        receiver,
        patient: patient(&patient_node)?,
        encounter,
        current,
        chain,
    })
}

fn resource_type<'a>(node: &Node<'a>) -> Option<&'a str> {
    node.value.get("resourceType").and_then(Value::as_str)
}

/// The Bundle's resources, found by type and id (references are `Type/id` or a fullUrl).
struct Entries<'a> {
    resources: Vec<(Option<&'a str>, Node<'a>)>,
}

impl<'a> Entries<'a> {
    fn of(bundle: &Node<'a>) -> Result<Self, ParseError> {
        let mut resources = Vec::new();
        for (k, entry) in bundle.get("entry")?.items()?.into_iter().enumerate() {
            let full_url = match entry.opt("fullUrl") {
                Some(n) => Some(n.str()?),
                None => None,
            };
            let resource = entry.get("resource")?;
            let kind = resource.get("resourceType")?.str()?;
            // The path names the resource by its type, as FHIR paths do, when it is a type.
            let path = if kind.bytes().all(|b| b.is_ascii_alphabetic()) {
                kind.to_owned()
            } else {
                format!("Bundle.entry[{k}].resource")
            };
            let node = Node {
                value: resource.value,
                path,
            };
            resources.push((full_url, node));
        }
        Ok(Entries { resources })
    }

    fn all(&self, kind: &str) -> Vec<Node<'a>> {
        self.resources
            .iter()
            .filter(|(_, n)| resource_type(n) == Some(kind))
            .map(|(_, n)| n.clone())
            .collect()
    }

    /// The one resource of `kind`: missing or repeated is an error.
    fn only(&self, kind: &str) -> Result<Node<'a>, ParseError> {
        let mut found = self.all(kind).into_iter();
        match (found.next(), found.next()) {
            (Some(one), None) => Ok(one),
            (None, _) => Err(ParseError::new(kind, Problem::Missing)),
            (Some(_), Some(_)) => Err(ParseError::new(kind, Problem::TooMany)),
        }
    }

    /// The resource a Reference element points to.
    fn follow(&self, reference: &Node<'a>) -> Result<Node<'a>, ParseError> {
        let at = reference.get("reference")?;
        let target = at.str()?;
        let unresolved = || ParseError::new(at.path.clone(), Problem::Unresolved);
        let (kind, id) = target
            .rsplit_once('/')
            .map(|(front, id)| (front.rsplit('/').next().unwrap_or(front), id))
            .ok_or_else(unresolved)?;
        self.resources
            .iter()
            .find(|(url, n)| {
                *url == Some(target)
                    || (resource_type(n) == Some(kind)
                        && n.value.get("id").and_then(Value::as_str) == Some(id))
            })
            .map(|(_, n)| n.clone())
            .ok_or_else(unresolved)
    }
}

/// The value of the identifier with `system`, if any.
fn identifier(node: &Node<'_>, system: &str) -> Result<Option<String>, ParseError> {
    for id in node.opt_items("identifier")? {
        if id.opt("system").and_then(|s| s.value.as_str()) == Some(system) {
            return Ok(Some(id.get("value")?.str()?.trim().to_owned()));
        }
    }
    Ok(None)
}

/// An Organization; a messaging organisation (sender, receiver) must carry its SOR id.
fn organization(node: &Node<'_>, messaging: bool) -> Result<Organization, ParseError> {
    if resource_type(node) != Some("Organization") {
        return Err(ParseError::new(
            node.path.clone(),
            Problem::WrongType {
                expected: "an Organization",
            },
        ));
    }
    let sor = identifier(node, SOR_SYSTEM)?;
    if messaging && sor.is_none() {
        return Err(ParseError::new(
            format!("{}.identifier:SOR", node.path),
            Problem::Missing,
        ));
    }
    Ok(Organization {
        sor,
        gln: identifier(node, GLN_SYSTEM)?,
        name: match node.opt("name") {
            Some(n) => Some(n.str()?.to_owned()),
            None => None,
        },
    })
}

fn patient(node: &Node<'_>) -> Result<PatientId, ParseError> {
    Ok(match identifier(node, CPR_SYSTEM)? {
        Some(value) => Cpr::parse(&value).map_or(PatientId::None, PatientId::Cpr),
        None => PatientId::None,
    })
}

fn provenance(node: &Node<'_>) -> Result<Provenance, ParseError> {
    let target = node.first("target")?.get("reference")?;
    let reference = target.str()?;
    let message_id = reference
        .strip_prefix("MessageHeader/")
        .or_else(|| reference.rsplit_once("/MessageHeader/").map(|(_, id)| id))
        .ok_or_else(|| {
            ParseError::new(
                target.path.clone(),
                Problem::WrongType {
                    expected: "a reference to a MessageHeader",
                },
            )
        })?
        .to_owned();
    let coding = node.get("activity")?.first("coding")?;
    let system = coding.get("system")?;
    if system.str()? != ACTIVITY_SYSTEM {
        return Err(ParseError::unknown_code(system.path.clone(), system.str()?));
    }
    let code = coding.get("code")?;
    let activity = Activity::parse(&code.str()?.to_ascii_lowercase())
        .ok_or_else(|| ParseError::unknown_code(code.path.clone(), code.str().unwrap_or("")))?;
    let recorded = match node.opt("recorded") {
        Some(n) => n.instant()?,
        None => node.get("occurredDateTime")?.instant()?,
    };
    let mut follows = None;
    if let Some(entity) = node.opt_items("entity")?.into_iter().next() {
        let role = entity.get("role")?;
        let role = match role.str()? {
            "revision" => EntityRole::Revision,
            "removal" => EntityRole::Removal,
            other => return Err(ParseError::unknown_code(role.path.clone(), other)),
        };
        if let Some(what) = entity.get("what")?.opt("reference") {
            let previous = what.str()?;
            let id = previous.rsplit('/').next().unwrap_or(previous);
            follows = Some((role, id.to_owned()));
        }
    }
    Ok(Provenance {
        message_id,
        activity,
        recorded,
        follows,
    })
}

fn encounter(
    entries: &Entries<'_>,
    node: &Node<'_>,
    activity: Activity,
) -> Result<Encounter, ParseError> {
    let disagrees = |element: &Node<'_>| {
        ParseError::new(
            element.path.clone(),
            Problem::DisagreesWithActivity {
                activity: activity.as_str(),
            },
        )
    };
    let class_node = node.get("class")?;
    let system = class_node.get("system")?;
    if system.str()? != CLASS_SYSTEM {
        return Err(ParseError::unknown_code(system.path.clone(), system.str()?));
    }
    let code = class_node.get("code")?;
    let class = EncounterClass::parse(code.str()?)
        .ok_or_else(|| ParseError::unknown_code(code.path.clone(), code.str().unwrap_or("")))?;
    if class != activity.class() {
        return Err(disagrees(&code));
    }
    let status_node = node.get("status")?;
    let status = EncounterStatus::parse(status_node.str()?).ok_or_else(|| {
        ParseError::unknown_code(status_node.path.clone(), status_node.str().unwrap_or(""))
    })?;
    if status != activity.expected_status() {
        return Err(disagrees(&status_node));
    }
    let period = node.get("period")?;
    let start = period.get("start")?.instant()?;
    let end = match period.opt("end") {
        Some(n) => Some(n.instant()?),
        None => None,
    };
    if end.is_some_and(|end| end < start) {
        return Err(ParseError::new(
            period.path.clone(),
            Problem::EndsBeforeStart,
        ));
    }
    let mut leave = None;
    for ext in node.opt_items("extension")? {
        if ext.get("url")?.str()? == LEAVE_EXTENSION {
            let p = ext.get("valuePeriod")?;
            let from = p.get("start")?.instant()?;
            let to = match p.opt("end") {
                Some(n) => Some(n.instant()?),
                None => None,
            };
            if to.is_some_and(|to| to < from) {
                return Err(ParseError::new(p.path.clone(), Problem::EndsBeforeStart));
            }
            leave = Some((from, to));
        }
    }
    // What the activity's event needs from the encounter.
    let new_or_revised = activity.change() != bro_domain::hospital::Change::Cancel;
    match activity.event() {
        Event::Discharge if new_or_revised && end.is_none() => {
            return Err(ParseError::new(
                format!("{}.end", period.path),
                Problem::Missing,
            ));
        }
        Event::StartLeave | Event::EndLeave if new_or_revised && leave.is_none() => {
            return Err(ParseError::new(
                format!("{}.extension:leavePeriod", node.path),
                Problem::Missing,
            ));
        }
        Event::EndLeave if new_or_revised && leave.is_some_and(|(_, to)| to.is_none()) => {
            return Err(ParseError::new(
                format!("{}.extension:leavePeriod.valuePeriod.end", node.path),
                Problem::Missing,
            ));
        }
        _ => {}
    }
    let episode = node.first("episodeOfCare")?.get("identifier")?;
    let episode = (
        episode.get("system")?.str()?.to_owned(),
        episode.get("value")?.str()?.trim().to_owned(),
    );
    if episode.1.is_empty() {
        return Err(ParseError::new(
            "Encounter.episodeOfCare.identifier.value",
            Problem::Missing,
        ));
    }
    let subject = entries.follow(&node.get("subject")?)?;
    if resource_type(&subject) != Some("Patient") {
        return Err(ParseError::new(
            "Encounter.subject",
            Problem::WrongType {
                expected: "a reference to the Patient",
            },
        ));
    }
    Ok(Encounter {
        id: node.get("id")?.id()?.to_owned(),
        class,
        status,
        start,
        end,
        leave,
        episode,
        unit: organization(&entries.follow(&node.get("serviceProvider")?)?, false)?,
    })
}
