//! The demo's directory from outside Bro: Struer Kommune, Holstebro's neighbour, publishes its
//! offers as HSDS 3.0 open data from its own system, and the demo reads them in as
//! `bro import hsds` does (the same parser and rules), so the directory shows them apart from
//! Bro's own, read-only.

use bro_audit::PLATFORM_TENANT;
use bro_store::{AuditCtx, DynStore};
use serde_json::{Value, json};

const STRUER: &str = "5f0c2a9e-7d41-4b8e-9a3c-1e6b2d8f4a70";

/// The id of record `part` of Struer's service `n`, as Struer's system numbers them.
fn id(n: u8, part: u8) -> String {
    format!("3d9a7c14-52e8-4f0b-8c6d-00000000{n:02x}{part:02x}")
}

fn service(n: u8, name: &str, description: &str, term: &str, extra: Value) -> Value {
    let sid = id(n, 0);
    let mut s = json!({
        "id": sid,
        "organization_id": STRUER,
        "name": name,
        "description": description,
        "status": "active",
        "minimum_age": 18,
        "url": "https://www.struer.dk/borger/social-og-sundhed",
        "last_modified": "2026-10-14T09:30:00Z",
        "phones": [{"id": id(n, 1), "service_id": sid, "number": "96 84 84 84"}],
        "service_areas": [{"id": id(n, 2), "service_id": sid, "name": "Struer Kommune"}],
        "attributes": [{
            "id": id(n, 3),
            "link_id": sid,
            "link_type": "service_category",
            "link_entity": "service",
            "taxonomy_term": {"id": id(n, 4), "code": term, "name": term, "description": term},
        }],
        "organization": {"id": STRUER, "name": "Struer Kommune", "description": "Struer Kommune, Social og Sundhed"},
    });
    if let (Value::Object(s), Value::Object(extra)) = (&mut s, extra) {
        s.extend(extra);
    }
    s
}

/// Struer's open data, as its system publishes it.
fn struer() -> Value {
    let hours = |part: u8, day: &str, to: &str| json!({"id": id(2, part), "service_id": id(2, 0), "freq": "WEEKLY", "byday": day, "opens_at": "10:00", "closes_at": to});
    json!([
        service(
            1,
            "Rusmiddelrådgivningen Struer",
            "Anonym rådgivning og ambulant behandling for alkohol og stoffer.",
            "substance_treatment",
            json!({"wait_time": "2 weeks", "fees_description": "Gratis"}),
        ),
        service(
            2,
            "Værestedet Lyngbakken",
            "Et sted at komme for voksne med psykisk sårbarhed: fællesskab, mad og aktiviteter.",
            "drop_in_centre",
            json!({"schedules": [hours(5, "MO", "16:00"), hours(6, "TH", "19:00")]}),
        ),
        service(
            3,
            "Bostøtte i Struer Kommune",
            "Socialpædagogisk støtte i eget hjem efter serviceloven § 85.",
            "housing_support",
            json!({"eligibility_description": "Visiteres af Myndighed Voksne i Struer Kommune."}),
        ),
    ])
}

/// Reads Struer's open data into the demo's database.
pub(super) async fn import_struer(store: &DynStore, now: i64) -> Result<(), String> {
    let stored = store
        .meta(bro_hsds::NAMESPACE_KEY)
        .await
        .map_err(|e| e.to_string())?;
    let ns = bro_hsds::namespace_from(stored.as_deref());
    let directory = bro_hsds::import::read(&struer().to_string(), ns).map_err(|errors| {
        let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!("the demo's HSDS data: {}", said.join("; "))
    })?;
    let (organisations, services) = directory.into_store();
    let ctx = AuditCtx::system(PLATFORM_TENANT, now, "demo-setup");
    store
        .import_external(&ctx, &organisations, &services)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
