//! Reading another directory's HSDS 3.0 open data: its services and their organizations,
//! checked record by record, for `bro import hsds`. Each service keeps its source document, so
//! Bro serves it again exactly as it was published, and gets Bro's reading of it (an offer's
//! content) for the directory's search and pages. A file with any bad record is refused whole,
//! with every reason by record and field.

use crate::{Kind, Namespace};
use bro_domain::offer::{OfferCategory, OfferContent, OfferError, OfferStatus, Opening, WEEKDAYS};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// An organization of the file, without its services.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedOrganization {
    pub id: String,
    pub name: String,
    pub source: Value,
}

/// A service of the file: its source document and what Bro reads from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedService {
    pub id: String,
    pub organization_id: String,
    pub status: OfferStatus,
    pub content: OfferContent,
    /// `last_modified`, in milliseconds since the epoch, when the source gives it.
    pub modified_ms: Option<i64>,
    pub source: Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    pub organizations: Vec<ImportedOrganization>,
    pub services: Vec<ImportedService>,
}

impl Directory {
    /// What the store writes: the organizations, and the services with their source text.
    pub fn into_store(
        self,
    ) -> (
        Vec<bro_store::ExternalOrganisation>,
        Vec<bro_store::ExternalService>,
    ) {
        let organisations = self
            .organizations
            .into_iter()
            .map(|o| bro_store::ExternalOrganisation {
                hsds_id: o.id,
                name: o.name,
                source: o.source.to_string(),
            })
            .collect();
        let services = self
            .services
            .into_iter()
            .map(|s| bro_store::ExternalService {
                hsds_id: s.id,
                org_hsds_id: s.organization_id,
                status: s.status,
                content: s.content,
                source: s.source.to_string(),
                modified_ms: s.modified_ms,
            })
            .collect();
        (organisations, services)
    }
}

/// Why one record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// "service 3 (id …)" or "organization 1 (id …)", counted from 1 in the file.
    pub record: String,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.record, self.field, self.reason)
    }
}

/// The longest source document of one service that is read.
const MAX_SERVICE_BYTES: usize = 200_000;

/// Reads a file of HSDS services: a JSON array of services (each with its `organization`), an
/// array of organizations (each with its `services`), or an API page (`contents`) of either.
/// Records with ids of this instance's namespace `own` are refused: Bro's own data does not
/// come back as another directory's.
pub fn read(text: &str, own: Namespace) -> Result<Directory, Vec<RecordError>> {
    let whole = |reason: String| {
        vec![RecordError {
            record: "file".into(),
            field: "-".into(),
            reason,
        }]
    };
    let root: Value = serde_json::from_str(text).map_err(|e| whole(format!("not JSON: {e}")))?;
    let items = match root {
        Value::Array(items) => items,
        Value::Object(mut page) => match page.remove("contents") {
            Some(Value::Array(items)) => items,
            _ => vec![Value::Object(page)],
        },
        _ => {
            return Err(whole(
                "expected an array of services or organizations".into(),
            ));
        }
    };
    let mut reader = Reader {
        own: Some(own),
        ..Reader::default()
    };
    for item in items {
        match item {
            Value::Object(o) if o.contains_key("services") => reader.organization(o),
            Value::Object(o) => reader.service(o, None),
            _ => reader.fail("record", "-", "is not an object"),
        }
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    own: Option<Namespace>,
    organizations: BTreeMap<String, ImportedOrganization>,
    order: Vec<String>,
    services: Vec<ImportedService>,
    seen: HashSet<String>,
    errors: Vec<RecordError>,
    counted: usize,
}

fn str_of<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str)
}

/// HSDS ids are UUIDs.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Why a record of this instance's own is refused.
const OWN: &str = "is one of this Bro's own: its data does not come back as another directory's";

impl Reader {
    fn is_own(&self, kind: Kind, id: &str) -> bool {
        self.own
            .is_some_and(|ns| ns != Namespace::SHARED && crate::id_of(ns, kind, id).is_some())
    }

    fn fail(&mut self, record: &str, field: &str, reason: &str) {
        self.errors.push(RecordError {
            record: record.to_owned(),
            field: field.to_owned(),
            reason: reason.to_owned(),
        });
    }

    /// Checks an organization's required fields; keeps it (without services) once.
    fn organization_fields(&mut self, record: &str, o: &Map<String, Value>) -> Option<String> {
        let before = self.errors.len();
        let id = str_of(o, "id").unwrap_or_default().to_owned();
        if !is_uuid(&id) {
            self.fail(record, "organization.id", "must be a UUID");
        } else if self.is_own(Kind::Organization, &id) {
            self.fail(record, "organization.id", OWN);
        }
        let name = str_of(o, "name").unwrap_or_default().trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            self.fail(
                record,
                "organization.name",
                "is required, at most 200 characters",
            );
        }
        if !o.get("description").is_some_and(Value::is_string) {
            self.fail(record, "organization.description", "is required text");
        }
        if self.errors.len() > before {
            return None;
        }
        let mut source = o.clone();
        source.remove("services");
        if !self.organizations.contains_key(&id) {
            self.order.push(id.clone());
            self.organizations.insert(
                id.clone(),
                ImportedOrganization {
                    id: id.clone(),
                    name,
                    source: Value::Object(source),
                },
            );
        }
        Some(id)
    }

    fn organization(&mut self, mut o: Map<String, Value>) {
        self.counted += 1;
        let record = format!(
            "organization {} (id {})",
            self.counted,
            str_of(&o, "id").unwrap_or("?")
        );
        let Some(id) = self.organization_fields(&record, &o) else {
            return;
        };
        match o.remove("services") {
            Some(Value::Array(services)) => {
                for s in services {
                    match s {
                        Value::Object(s) => self.service(s, Some(&id)),
                        _ => {
                            self.fail(&record, "services", "holds something that is not a service")
                        }
                    }
                }
            }
            _ => self.fail(&record, "services", "must be an array"),
        }
    }

    fn service(&mut self, s: Map<String, Value>, parent: Option<&str>) {
        self.counted += 1;
        let id = str_of(&s, "id").unwrap_or_default().to_owned();
        let record = format!(
            "service {} (id {})",
            self.counted,
            if id.is_empty() { "?" } else { &id }
        );
        let before = self.errors.len();
        if serde_json::to_string(&s).map_or(0, |t| t.len()) > MAX_SERVICE_BYTES {
            self.fail(&record, "-", "is larger than 200 kB");
            return;
        }
        if !is_uuid(&id) {
            self.fail(&record, "id", "must be a UUID");
        } else if self.is_own(Kind::Service, &id) {
            self.fail(&record, "id", OWN);
        } else if !self.seen.insert(id.clone()) {
            self.fail(&record, "id", "appears twice in the file");
        }
        let status = match str_of(&s, "status") {
            Some("active") => Some(OfferStatus::Active),
            Some("temporarily closed") => Some(OfferStatus::Paused),
            Some("inactive" | "defunct") => Some(OfferStatus::Closed),
            _ => None,
        };
        if status.is_none() {
            self.fail(
                &record,
                "status",
                "must be active, inactive, defunct or temporarily closed",
            );
        }
        let org = match (s.get("organization"), parent) {
            (Some(Value::Object(o)), _) => self.organization_fields(&record, o),
            (_, Some(p)) => Some(p.to_owned()),
            _ => None,
        };
        let org = org.or_else(|| {
            str_of(&s, "organization_id")
                .filter(|o| self.organizations.contains_key(*o))
                .map(str::to_owned)
        });
        if org.is_none() && self.errors.len() == before {
            self.fail(
                &record,
                "organization",
                "is missing: the service needs its organization (id, name, description)",
            );
        }
        let content = read_content(&s, &mut |field, reason| self.fail(&record, field, reason));
        let modified_ms = str_of(&s, "last_modified").and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        });
        if s.contains_key("last_modified") && modified_ms.is_none() {
            self.fail(&record, "last_modified", "must be an RFC 3339 date-time");
        }
        if self.errors.len() > before {
            return;
        }
        let (Some(status), Some(organization_id)) = (status, org) else {
            return;
        };
        self.services.push(ImportedService {
            id,
            organization_id,
            status,
            content,
            modified_ms: modified_ms.map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64),
            source: Value::Object(s),
        });
    }

    fn finish(self) -> Result<Directory, Vec<RecordError>> {
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let mut organizations = self.organizations;
        Ok(Directory {
            organizations: self
                .order
                .iter()
                .filter_map(|id| organizations.remove(id))
                .collect(),
            services: self.services,
        })
    }
}

/// The HSDS field an offer's field is read from, to name it in an error.
fn hsds_field(offer_field: &str) -> &str {
    match offer_field {
        "summary" => "alternate_name",
        "age_max" => "maximum_age",
        "hours" => "schedules",
        "link" => "url",
        "secure_mail" => "email",
        "eligibility" => "eligibility_description",
        "cost" => "fees_description",
        "municipality" => "service_areas",
        "hours_exceptions" => "schedules.description",
        other => other,
    }
}

/// "HH:MM" or "HH:MM:SS" as minutes after midnight; "24:00" ends a day.
fn minutes(t: &str) -> Option<u16> {
    let mut parts = t.split(':');
    let h: u16 = parts.next()?.parse().ok()?;
    let m: u16 = parts.next()?.parse().ok()?;
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

fn names(s: &Map<String, Value>, list: &str, key: &str) -> Vec<String> {
    s.get(list)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.get(key).and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Bro's reading of a service, checked by the offers' own rules (a category is optional: other
/// directories have other taxonomies).
fn read_content(s: &Map<String, Value>, fail: &mut dyn FnMut(&str, &str)) -> OfferContent {
    let text = |key: &str| str_of(s, key).unwrap_or_default().trim().to_owned();
    for key in [
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "application_process",
        "eligibility_description",
        "fees_description",
        "wait_time",
    ] {
        if s.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
            fail(key, "must be text");
        }
    }
    let mut age = |key: &str| match s.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64().filter(|a| (0.0..=130.0).contains(a)) {
            Some(a) => Some(a as u8),
            None => {
                fail(key, "must be an age from 0 to 130");
                None
            }
        },
    };
    let (age_min, age_max) = (age("minimum_age"), age("maximum_age"));
    let mut hours = Vec::new();
    let mut exceptions = String::new();
    for schedule in s
        .get("schedules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let day = schedule
            .get("byday")
            .and_then(Value::as_str)
            .and_then(|d| WEEKDAYS.iter().position(|w| w[..2].eq_ignore_ascii_case(d)));
        let span = (
            schedule
                .get("opens_at")
                .and_then(Value::as_str)
                .and_then(minutes),
            schedule
                .get("closes_at")
                .and_then(Value::as_str)
                .and_then(minutes),
        );
        match (day, span) {
            (Some(day), (Some(from_min), Some(to_min))) => hours.push(Opening {
                day: day as u8,
                from_min,
                to_min,
            }),
            // A schedule Bro cannot read as a weekly opening stays in the source only.
            _ if schedule.get("opens_at").is_none() => {}
            _ => fail("schedules", "opens_at and closes_at must be times (HH:MM)"),
        }
        if let Some(d) = schedule.get("description").and_then(Value::as_str) {
            exceptions = d.to_owned();
        }
    }
    let description = text("description");
    let summary = match text("alternate_name") {
        s if !s.is_empty() => s,
        _ => description.chars().take(200).collect(),
    };
    let category = s
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|a| {
            let term = a.get("taxonomy_term")?;
            term.get("code")
                .and_then(Value::as_str)
                .and_then(OfferCategory::parse)
                .or_else(|| crate::category_of_term(term.get("id")?.as_str()?))
        });
    let content = OfferContent {
        name: text("name"),
        category,
        summary,
        description,
        age_min,
        age_max,
        eligibility: text("eligibility_description"),
        waiting_weeks: text("wait_time")
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok()),
        municipality: names(s, "service_areas", "name").join(", "),
        hours,
        hours_exceptions: exceptions,
        phone: names(s, "phones", "number")
            .into_iter()
            .next()
            .unwrap_or_default(),
        secure_mail: text("email"),
        languages: names(s, "languages", "name").join(", "),
        cost: text("fees_description"),
        link: text("url"),
        ..OfferContent::default()
    };
    for e in content.check() {
        if !matches!(e, OfferError::Required("category")) {
            let reason = match e {
                OfferError::Required(_) => "is required",
                OfferError::TooLong(_) => "is too long",
                OfferError::AgeRange => "is lower than minimum_age",
                OfferError::Hours => "overlap or end before they start",
                OfferError::Link => "must begin with https://",
                OfferError::Mail => "is not an e-mail address",
            };
            fail(hsds_field(e.field()), reason);
        }
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(id: &str) -> Value {
        json!({
            "id": id,
            "name": "Værestedet Kompasset",
            "description": "Et sted at komme",
            "status": "active",
            "minimum_age": 18,
            "url": "https://example.dk/kompasset",
            "schedules": [{"id": "00000006-0000-4000-8000-000000000001", "byday": "MO", "opens_at": "10:00", "closes_at": "16:00"}],
            "attributes": [{"id": "00000007-0000-4000-8000-000000000001", "taxonomy_term": {"id": "x", "code": "drop_in_centre", "name": "Værested", "description": "Værested"}}],
            "organization": {"id": "00000002-0000-4000-8000-000000000009", "name": "Struer Kommune", "description": "Struer Kommune"},
        })
    }

    #[test]
    fn a_service_is_read_with_its_organization_and_source() {
        let text = json!([service("00000001-0000-4000-8000-000000000001")]).to_string();
        let d = read(&text, Namespace::SHARED).expect("valid");
        assert_eq!(d.organizations.len(), 1);
        assert_eq!(d.organizations[0].name, "Struer Kommune");
        let s = &d.services[0];
        assert_eq!(s.content.category, Some(OfferCategory::DropInCentre));
        assert_eq!(s.content.hours[0].span(), "10:00–16:00");
        assert_eq!(s.content.summary, "Et sted at komme");
        assert_eq!(s.source["url"], "https://example.dk/kompasset");
    }

    #[test]
    fn every_bad_record_is_named_and_nothing_is_read() {
        let mut twice = service("00000001-0000-4000-8000-000000000001");
        twice["maximum_age"] = json!(12);
        twice["url"] = json!("http://example.dk");
        let mut no_org = service("00000001-0000-4000-8000-000000000002");
        no_org.as_object_mut().map(|o| o.remove("organization"));
        no_org["status"] = json!("open");
        let text = json!([
            service("00000001-0000-4000-8000-000000000001"),
            twice,
            no_org
        ])
        .to_string();
        let errors = read(&text, Namespace::SHARED).expect_err("refused");
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        for expected in [
            "service 2 (id 00000001-0000-4000-8000-000000000001): id: appears twice in the file",
            "service 2 (id 00000001-0000-4000-8000-000000000001): maximum_age: is lower than minimum_age",
            "service 2 (id 00000001-0000-4000-8000-000000000001): url: must begin with https://",
            "service 3 (id 00000001-0000-4000-8000-000000000002): status: must be active, inactive, defunct or temporarily closed",
        ] {
            assert!(
                said.iter().any(|s| s == expected),
                "{expected:?} not in {said:#?}"
            );
        }
        assert!(read("{\"name\": 1}", Namespace::SHARED).is_err());
        assert!(read("not json", Namespace::SHARED).is_err());
        // Our own services do not come back as another directory's.
        let ns = Namespace::parse("a1b2c3d4e5").expect("namespace");
        let own = json!([service(&crate::uuid(ns, Kind::Service, 7))]).to_string();
        let errors = read(&own, ns).expect_err("refused");
        assert!(
            errors.iter().any(|e| e.field == "id" && e.reason == OWN),
            "{errors:?}"
        );
        assert!(read(&own, Namespace::parse("0000000001").expect("ns")).is_ok());
    }
}
