//! The Acknowledgement message: `ok` for a message read, an error with its reason otherwise,
//! always referring to the received MessageHeader.

use bro_medcom::{AckCode, Acknowledgement, Organization, parse};
use serde_json::Value;

fn bro() -> Organization {
    Organization {
        sor: Some("1234561000016001".to_owned()),
        gln: Some("5790000000001".to_owned()),
        name: Some("Holstebro Kommune".to_owned()),
    }
}

fn resources<'v>(bundle: &'v Value, kind: &str) -> Vec<&'v Value> {
    bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

#[test]
fn an_ok_answer_refers_to_the_message_and_copies_its_provenance() {
    let path = format!(
        "{}/testdata/Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("example");
    let message = parse(&bytes).expect("valid");
    let ack = Acknowledgement {
        ids: ["b1", "h1", "p1", "o1"],
        at: 1_700_000_000_000,
        original: &bytes,
        code: AckCode::Ok,
        issue: None,
        from: &bro(),
        to: Some(&message.sender),
    };
    let v: Value = serde_json::from_str(&ack.to_json()).expect("JSON");
    assert_eq!(v["type"], "message");
    let header = resources(&v, "MessageHeader")[0];
    assert_eq!(header["eventCoding"]["code"], "acknowledgement-message");
    assert_eq!(
        header["response"]["identifier"],
        "b9b4818e-02de-4cc4-b418-d20cbc7b5404"
    );
    assert_eq!(header["response"]["code"], "ok");
    assert_eq!(
        header["destination"][0]["endpoint"],
        "https://sor2.sum.dsdn.dk/#id=265161000016000"
    );
    let provenances = resources(&v, "Provenance");
    assert_eq!(provenances.len(), 2, "the message's own and the answer's");
    assert_eq!(
        provenances[0]["target"][0]["reference"],
        "MessageHeader/b9b4818e-02de-4cc4-b418-d20cbc7b5404"
    );
    assert_eq!(
        provenances[1]["activity"]["coding"][0]["code"],
        "acknowledgement"
    );
    assert!(resources(&v, "OperationOutcome").is_empty());
}

#[test]
fn an_error_answer_carries_the_reason() {
    let bytes = br#"{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"MessageHeader","id":"m-1"}}]}"#;
    let error = parse(bytes).expect_err("not valid");
    let ack = Acknowledgement {
        ids: ["b1", "h1", "p1", "o1"],
        at: 1_700_000_000_000,
        original: bytes,
        code: AckCode::FatalError,
        issue: Some((error.ack_code(), error.to_string())),
        from: &bro(),
        to: None,
    };
    let v: Value = serde_json::from_str(&ack.to_json()).expect("JSON");
    let header = resources(&v, "MessageHeader")[0];
    assert_eq!(header["response"]["identifier"], "m-1");
    assert_eq!(header["response"]["code"], "fatal-error");
    assert_eq!(
        header["response"]["details"]["reference"],
        "OperationOutcome/o1"
    );
    let outcome = resources(&v, "OperationOutcome")[0];
    assert_eq!(outcome["issue"][0]["severity"], "error");
    assert_eq!(
        outcome["issue"][0]["details"]["text"],
        "MessageHeader.eventCoding is missing"
    );
}
