//! Messages that are not valid: each refused with the element and the reason, and malformed
//! input of every kind read without a panic and without repeating personal data.

use bro_medcom::{MAX_BYTES, ParseError, PatientId, Problem, parse};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const CPR: &str = "2509479989";

fn read(name: &str) -> Value {
    let path = format!("{}/testdata/Bundle-{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(&path).expect("example")).expect("JSON")
}

fn discharge() -> Value {
    read("f4aa42a4-86db-4e68-9b38-9dda0dfd5774")
}

/// The first resource of `kind` in the Bundle.
fn resource<'v>(bundle: &'v mut Value, kind: &str) -> &'v mut Value {
    bundle["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .map(|e| &mut e["resource"])
        .find(|r| r["resourceType"] == kind)
        .expect("resource")
}

fn refused(bundle: &Value) -> ParseError {
    parse(bundle.to_string().as_bytes()).expect_err("refused")
}

#[test]
fn each_bad_message_is_refused_by_the_element_with_the_reason() {
    let not_json = parse(b"{\"resourceType\": \"Bundle\",").expect_err("not JSON");
    assert!(
        matches!(not_json.problem, Problem::NotJson { line: 1, .. }),
        "{not_json}"
    );

    let other = refused(&json!({"resourceType": "Patient"}));
    assert_eq!(other.problem, Problem::NotHospitalNotification);

    let mut b = discharge();
    resource(&mut b, "MessageHeader")["eventCoding"]["code"] = json!("care-communication-message");
    assert_eq!(refused(&b).problem, Problem::NotHospitalNotification);

    let mut b = discharge();
    let own = b["entry"].as_array().expect("entries").len();
    let provenances: Vec<usize> = (0..own)
        .filter(|&k| b["entry"][k]["resource"]["resourceType"] == "Provenance")
        .collect();
    for k in provenances {
        b["entry"][k]["resource"]["activity"]["coding"][0]["code"] = json!("discharge-to-moon");
    }
    let e = refused(&b);
    assert_eq!(
        e.problem,
        Problem::UnknownCode {
            code: "discharge-to-moon".to_owned()
        }
    );
    assert!(
        e.element.ends_with("activity.coding[0].code"),
        "{}",
        e.element
    );

    let mut b = discharge();
    b["entry"]
        .as_array_mut()
        .expect("entries")
        .retain(|e| e["resource"]["resourceType"] != "Patient");
    let e = refused(&b);
    assert_eq!(
        (e.element.as_str(), &e.problem),
        ("Patient", &Problem::Missing)
    );

    let mut b = discharge();
    resource(&mut b, "Encounter")["period"]["end"] = json!("2022-12-06T09:45:30+02:00");
    let e = refused(&b);
    assert_eq!(
        (e.element.as_str(), &e.problem),
        ("Encounter.period", &Problem::EndsBeforeStart)
    );

    let mut b = discharge();
    resource(&mut b, "Encounter")["period"]
        .as_object_mut()
        .expect("period")
        .remove("end");
    let e = refused(&b);
    assert_eq!(
        (e.element.as_str(), &e.problem),
        ("Encounter.period.end", &Problem::Missing)
    );

    let mut b = discharge();
    resource(&mut b, "Encounter")["status"] = json!("in-progress");
    let e = refused(&b);
    assert_eq!(e.element, "Encounter.status");
    assert!(matches!(
        e.problem,
        Problem::DisagreesWithActivity {
            activity: "discharge-inpatient-home"
        }
    ));

    let mut b = discharge();
    resource(&mut b, "Encounter")["class"]["code"] = json!("EMER");
    assert_eq!(refused(&b).element, "Encounter.class.code");

    let mut b = discharge();
    resource(&mut b, "Encounter")["period"]["start"] = json!("7. december");
    let e = refused(&b);
    assert_eq!(
        (e.element.as_str(), &e.problem),
        ("Encounter.period.start", &Problem::BadDateTime)
    );

    let mut b = discharge();
    resource(&mut b, "MessageHeader")["id"] = json!("no spaces/or slashes");
    assert_eq!(refused(&b).problem, Problem::BadId);

    let mut b = discharge();
    resource(&mut b, "Encounter")["subject"]["reference"] = json!("Patient/somebody-else");
    assert_eq!(refused(&b).problem, Problem::Unresolved);

    let big = vec![b' '; MAX_BYTES + 1];
    assert_eq!(
        parse(&big).expect_err("too large").problem,
        Problem::TooLarge { limit: MAX_BYTES }
    );
}

#[test]
fn a_patient_without_a_cpr_number_is_kept_unmatched() {
    let mut b = discharge();
    resource(&mut b, "Patient")["identifier"] = json!([]);
    let m = parse(b.to_string().as_bytes()).expect("accepted");
    assert_eq!(m.patient, PatientId::None);
    let mut b = discharge();
    resource(&mut b, "Patient")["identifier"][0]["value"] = json!("not-a-cpr");
    assert_eq!(
        parse(b.to_string().as_bytes()).expect("accepted").patient,
        PatientId::None
    );
}

/// A random JSON value of at most `depth` levels.
fn arbitrary(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.r#gen::<bool>()),
        2 => json!(rng.gen_range(-1e12..1e12)),
        3 => json!(
            [
                "",
                "in-progress",
                "IMP",
                "2022-12-07T12:00:00+02:00",
                "MessageHeader/x",
                CPR,
                "ø\u{0}"
            ][rng.gen_range(0..7)]
        ),
        4 => json!(rng.gen_range(i64::MIN..i64::MAX)),
        5 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| arbitrary(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let keys = [
                "resourceType",
                "entry",
                "resource",
                "id",
                "reference",
                "period",
                "start",
                "code",
                "x",
            ];
            Value::Object(
                (0..rng.gen_range(0..4))
                    .map(|_| {
                        (
                            keys[rng.gen_range(0..keys.len())].to_owned(),
                            arbitrary(rng, depth - 1),
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// Replaces or removes one value somewhere in `v`.
fn mutate(rng: &mut StdRng, v: &mut Value) {
    let descend = rng.gen_bool(0.85);
    match v {
        Value::Object(map) if descend && !map.is_empty() => {
            let key = map
                .keys()
                .nth(rng.gen_range(0..map.len()))
                .cloned()
                .unwrap_or_default();
            if rng.gen_bool(0.1) {
                map.remove(&key);
            } else if let Some(child) = map.get_mut(&key) {
                mutate(rng, child);
            }
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let k = rng.gen_range(0..items.len());
            if rng.gen_bool(0.1) {
                items.remove(k);
            } else {
                mutate(rng, &mut items[k]);
            }
        }
        _ => *v = arbitrary(rng, 2),
    }
}

/// The fuzz run: the examples mutated, cut short and bit-flipped, and arbitrary JSON. Nothing
/// may panic, and no error may repeat the patient's CPR number. A fixed seed and count keep it
/// bounded and repeatable.
#[test]
fn malformed_input_never_panics_nor_leaks_the_cpr_number() {
    let mut rng = StdRng::seed_from_u64(2026);
    let names = [
        "a5e5b880-c087-4055-b9ec-99108695f81d",
        "bfab3e80-9584-11ec-b909-0242ac120002",
        "c83671a4-9584-11ec-b909-0242ac120002",
        "e94de8ee-bd94-475e-b454-b8fbbef8a685",
        "f4aa42a4-86db-4e68-9b38-9dda0dfd5774",
        "h1c8e4a8-6b45-4669-94ad-2a99ad96bf03",
    ];
    let examples: Vec<Value> = names.iter().map(|n| read(n)).collect();
    let (mut accepted, mut refused) = (0, 0);
    let mut check = |bytes: &[u8]| match parse(bytes) {
        Ok(_) => accepted += 1,
        Err(e) => {
            refused += 1;
            let text = e.to_string();
            assert!(!text.contains(CPR) && !e.element.contains(CPR), "{text}");
        }
    };
    for round in 0..3000 {
        let mut v = examples[round % examples.len()].clone();
        for _ in 0..rng.gen_range(1..4) {
            mutate(&mut rng, &mut v);
        }
        let mut bytes = v.to_string().into_bytes();
        match round % 4 {
            0 => bytes.truncate(rng.gen_range(0..bytes.len())),
            1 => {
                for _ in 0..rng.gen_range(1..5) {
                    let k = rng.gen_range(0..bytes.len());
                    bytes[k] ^= 1 << rng.gen_range(0..8);
                }
            }
            _ => {}
        }
        check(&bytes);
        check(arbitrary(&mut rng, 5).to_string().as_bytes());
    }
    // The mutations reach both sides: some still valid, most refused.
    assert!(
        accepted > 50 && refused > 3000,
        "{accepted} accepted, {refused} refused"
    );
}
