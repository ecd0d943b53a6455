//! The directory of offers as Open Referral's Human Services Data Specification 3.0 (HSDS):
//! services, organizations, the taxonomy and the API's pages, built as JSON. Pure: it builds
//! values from what the caller read, and does no I/O.
//!
//! Ids: HSDS wants UUIDs. An offer's, an organisation's and a term's id are derived from its
//! id in Bro and the instance's [`Namespace`] ([`uuid`]), so the same offer has the same id in
//! every export and two Bro instances' ids never meet. Another
//! directory's services, imported ([`import`]), are served as their source published them,
//! with their own ids.

use bro_domain::offer::{OfferCategory, OfferContent, OfferStatus, WEEKDAYS};
use serde_json::{Value, json};

pub mod import;

/// The HSDS version served.
pub const VERSION: &str = "3.0";

/// What an id stands for: the first group of its UUID.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Service = 1,
    Organization = 2,
    Taxonomy = 3,
    Term = 4,
    Phone = 5,
    Schedule = 6,
    Attribute = 7,
    Area = 8,
    Language = 9,
}

/// Where a Bro database keeps its namespace (`meta`); a migration chose it at random.
pub const NAMESPACE_KEY: &str = "hsds_namespace";

/// The instance's part of the ids it makes: 40 random bits chosen when its database was
/// created, so the ids of two Bro instances (a region's and a municipality's) never meet.
/// Bro's taxonomy is the same everywhere, so its ids use [`Namespace::SHARED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Namespace(u64);

impl Namespace {
    pub const SHARED: Namespace = Namespace(0);

    /// The namespace stored as ten hex digits; `None` for anything else.
    pub fn parse(hex: &str) -> Option<Namespace> {
        (hex.len() == 10)
            .then(|| u64::from_str_radix(hex, 16).ok())
            .flatten()
            .map(Namespace)
    }

    /// The UUID's text before its last group.
    fn prefix(self, kind: Kind) -> String {
        let n = self.0;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-",
            kind as u32,
            (n >> 24) & 0xffff,
            (n >> 12) & 0xfff,
            n & 0xfff
        )
    }
}

/// The namespace a database keeps under [`NAMESPACE_KEY`] (`None`, or anything unreadable:
/// [`Namespace::SHARED`]; every migrated database has one).
pub fn namespace_from(stored: Option<&str>) -> Namespace {
    stored
        .and_then(Namespace::parse)
        .unwrap_or(Namespace::SHARED)
}

/// A stable UUID (version 4 layout, variant 1) for `id` of `kind` in namespace `ns`.
pub fn uuid(ns: Namespace, kind: Kind, id: i64) -> String {
    format!("{}{:012x}", ns.prefix(kind), id)
}

/// The Bro id of a UUID made by [`uuid`] for `kind` in `ns`, if it is one.
pub fn id_of(ns: Namespace, kind: Kind, uuid: &str) -> Option<i64> {
    let rest = uuid.strip_prefix(&ns.prefix(kind))?;
    (rest.len() == 12).then(|| i64::from_str_radix(rest, 16).ok())?
}

/// An offer, as the directory's open data holds it (never its internal note).
pub struct ServiceIn<'a> {
    pub ns: Namespace,
    pub id: i64,
    pub org_id: i64,
    pub org_name: &'a str,
    pub status: OfferStatus,
    pub content: &'a OfferContent,
    /// Milliseconds since the epoch.
    pub updated_ms: i64,
    pub confirmed_ms: i64,
}

fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn day(ms: i64) -> String {
    rfc3339(ms).chars().take(10).collect()
}

fn text(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Null
    } else {
        json!(s)
    }
}

/// Leaves out what is not there: HSDS's fields are typed, and a `null` is not a string.
fn compact(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, compact(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(compact).collect()),
        other => other,
    }
}

/// HSDS's status for an offer's.
fn status(s: OfferStatus) -> &'static str {
    match s {
        OfferStatus::Active => "active",
        OfferStatus::Paused => "temporarily closed",
        OfferStatus::Closed => "inactive",
    }
}

/// The taxonomy: Bro's offer categories, one term each.
pub fn taxonomy() -> Value {
    json!({
        "id": uuid(Namespace::SHARED, Kind::Taxonomy, 1),
        "name": "Bro offer categories",
        "description": "The fixed categories of offers in Bro's directory.",
        "version": "1",
    })
}

/// One category as an HSDS taxonomy term; `name` is its Danish name.
pub fn term(category: OfferCategory, name: &str) -> Value {
    json!({
        "id": uuid(Namespace::SHARED, Kind::Term, category_index(category)),
        "code": category.as_str(),
        "name": name,
        "description": name,
        "taxonomy_id": uuid(Namespace::SHARED, Kind::Taxonomy, 1),
        "language": "da",
    })
}

fn category_index(c: OfferCategory) -> i64 {
    OfferCategory::ALL
        .iter()
        .position(|x| *x == c)
        .map_or(0, |i| i as i64 + 1)
}

/// The category whose term has this UUID.
pub fn category_of_term(uuid: &str) -> Option<OfferCategory> {
    let i = id_of(Namespace::SHARED, Kind::Term, uuid)?;
    OfferCategory::ALL
        .get(usize::try_from(i - 1).ok()?)
        .copied()
}

/// An offer as an HSDS service. `category_name` names its category (Danish), `referrers`
/// the kinds who may refer, in words.
pub fn service(s: &ServiceIn<'_>, category_name: &str, referrers: &[String]) -> Value {
    let c = s.content;
    let id = |kind: Kind, n: i64| uuid(s.ns, kind, n);
    let sid = id(Kind::Service, s.id);
    let schedules: Vec<Value> = c
        .hours
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
            json!({
                "id": id(Kind::Schedule, s.id * 100 + i as i64),
                "service_id": sid,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": WEEKDAYS[usize::from(o.day.min(6))][..2].to_uppercase(),
                "opens_at": hm(o.from_min),
                "closes_at": hm(o.to_min),
                "timezone": 1,
                "description": text(&c.hours_exceptions),
            })
        })
        .collect();
    let mut process = referrers.join(", ");
    if c.self_referral {
        process.push_str(if process.is_empty() { "" } else { "; " });
        process.push_str("self-referral");
    }
    let attributes: Vec<Value> = c
        .category
        .map(|cat| {
            json!({
                "id": id(Kind::Attribute, s.id),
                "link_id": sid,
                "link_type": "service_category",
                "link_entity": "service",
                "taxonomy_term_id": uuid(Namespace::SHARED, Kind::Term, category_index(cat)),
                "taxonomy_term": term(cat, category_name),
            })
        })
        .into_iter()
        .collect();
    compact(json!({
        "id": sid,
        "organization_id": id(Kind::Organization, s.org_id),
        "name": c.name,
        "description": if c.description.trim().is_empty() { &c.summary } else { &c.description },
        "alternate_name": text(&c.summary),
        "url": text(&c.link),
        "email": text(&c.secure_mail),
        "status": status(s.status),
        "application_process": text(&process),
        "eligibility_description": text(&c.eligibility),
        "fees_description": text(&c.cost),
        "minimum_age": c.age_min,
        "maximum_age": c.age_max,
        "wait_time": c.waiting_weeks.map(|w| format!("{w} weeks")),
        "assured_date": day(s.confirmed_ms),
        "last_modified": rfc3339(s.updated_ms),
        "phones": if c.phone.trim().is_empty() { vec![] } else {
            vec![json!({"id": id(Kind::Phone, s.id), "service_id": sid, "number": c.phone})]
        },
        "schedules": schedules,
        "service_areas": if c.municipality.trim().is_empty() { vec![] } else {
            vec![json!({"id": id(Kind::Area, s.id), "service_id": sid, "name": c.municipality})]
        },
        "languages": if c.languages.trim().is_empty() { vec![] } else {
            vec![json!({"id": id(Kind::Language, s.id), "service_id": sid, "name": c.languages})]
        },
        "attributes": attributes,
        "organization": organization(s.ns, s.org_id, s.org_name, &[]),
    }))
}

/// One of Bro's offers as a service; `name` gives a Fluent key's Danish text (the category's
/// and the referrers' names).
pub fn service_of(ns: Namespace, o: &bro_store::Offer, name: &dyn Fn(&str) -> String) -> Value {
    let category = o
        .content
        .category
        .map(|c| name(c.label_key()))
        .unwrap_or_default();
    let referrers: Vec<String> = o
        .content
        .referrers
        .iter()
        .map(|r| name(r.label_key()))
        .collect();
    let s = ServiceIn {
        ns,
        id: o.id,
        org_id: o.org_id.0,
        org_name: &o.org_name,
        status: o.status,
        content: &o.content,
        updated_ms: o.updated_ms,
        confirmed_ms: o.confirmed_ms,
    };
    service(&s, &category, &referrers)
}

/// A service of the open data: one of Bro's own offers, or an imported one as its source
/// published it.
pub fn open_service(
    ns: Namespace,
    s: &bro_store::OpenService,
    name: &dyn Fn(&str) -> String,
) -> Value {
    match s {
        bro_store::OpenService::Own(o) => service_of(ns, o, name),
        bro_store::OpenService::External(source) => parse_source(source),
    }
}

/// A stored source document; it was read from JSON on import, so it parses.
pub fn parse_source(source: &str) -> Value {
    serde_json::from_str(source).unwrap_or(Value::Null)
}

/// An imported organisation, as its source published it, with its services' sources nested.
pub fn external_organization(source: &str, services: &[String]) -> Value {
    let mut org = parse_source(source);
    if let Value::Object(map) = &mut org {
        let nested = services.iter().map(|s| parse_source(s)).collect();
        map.insert("services".into(), Value::Array(nested));
    }
    org
}

/// An organisation; `services` are its services, when they are to be nested.
pub fn organization(ns: Namespace, id: i64, name: &str, services: &[Value]) -> Value {
    json!({
        "id": uuid(ns, Kind::Organization, id),
        "name": name,
        "description": name,
        "services": services,
    })
}

/// One page of a list, as HSDS's API pages it (`page_number` from 1).
pub fn page(contents: Vec<Value>, total: usize, page_number: usize, size: usize) -> Value {
    let size = size.max(1);
    let total_pages = total.div_ceil(size).max(1);
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": contents.len(),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

/// What the API's root says.
pub fn root() -> Value {
    json!({
        "version": VERSION,
        "profile": "https://openreferral.org/specification/3.0",
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_and_come_back() {
        let u = uuid(Namespace::SHARED, Kind::Service, 4711);
        assert_eq!(u, "00000001-0000-4000-8000-000000001267");
        assert_eq!(id_of(Namespace::SHARED, Kind::Service, &u), Some(4711));
        assert_eq!(id_of(Namespace::SHARED, Kind::Organization, &u), None);
        // Another instance's namespace: another id for the same offer, not taken for ours.
        let ns = Namespace::parse("a1b2c3d4e5").expect("ten hex digits");
        let theirs = uuid(ns, Kind::Service, 4711);
        assert_eq!(theirs, "00000001-a1b2-4c3d-84e5-000000001267");
        assert_eq!(id_of(ns, Kind::Service, &theirs), Some(4711));
        assert_eq!(id_of(Namespace::SHARED, Kind::Service, &theirs), None);
        assert_eq!(Namespace::parse("a1b2"), None);
        assert_eq!(Namespace::parse("a1b2c3d4eg"), None);
        for c in OfferCategory::ALL {
            let t = term(*c, "x");
            assert_eq!(category_of_term(t["id"].as_str().unwrap_or("")), Some(*c));
        }
    }

    #[test]
    fn pages_count_from_one() {
        let p = page(vec![json!(1), json!(2)], 5, 1, 2);
        assert_eq!(p["total_pages"], 3);
        assert_eq!(p["first_page"], true);
        assert_eq!(p["last_page"], false);
        let last = page(vec![json!(5)], 5, 3, 2);
        assert_eq!(last["last_page"], true);
        assert_eq!(page(vec![], 0, 1, 10)["empty"], true);
    }
}
