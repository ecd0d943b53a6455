//! MedCom's own example messages (IG 3.0.2), each read and checked for what it says, and the
//! episode they add up to.

use bro_domain::Cpr;
use bro_domain::hospital::{
    Activity, EncounterClass as Class, EncounterStatus as Status, Episode, EpisodeState, Leave,
};
use bro_medcom::{EntityRole, Message, PatientId, parse};
use time::macros::datetime;

fn ms(at: time::OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn example(name: &str) -> Message {
    let path = format!("{}/testdata/Bundle-{name}.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

const ADMIT: &str = "a5e5b880-c087-4055-b9ec-99108695f81d";
const REVISE: &str = "bfab3e80-9584-11ec-b909-0242ac120002";
const CANCEL: &str = "c83671a4-9584-11ec-b909-0242ac120002";
const END_LEAVE: &str = "e94de8ee-bd94-475e-b454-b8fbbef8a685";
const DISCHARGE: &str = "f4aa42a4-86db-4e68-9b38-9dda0dfd5774";
const EMERGENCY: &str = "h1c8e4a8-6b45-4669-94ad-2a99ad96bf03";

#[test]
fn every_example_reads_as_what_it_is() {
    let admitted = ms(datetime!(2022-12-07 12:00:00 +2));
    // (file, MessageHeader id, activity, class, status, start, end, leave)
    let cases = [
        (
            ADMIT,
            "b9b4818e-02de-4cc4-b418-d20cbc7b5404",
            Activity::AdmitInpatient,
            Class::Inpatient,
            Status::InProgress,
            admitted,
            None,
            None,
        ),
        (
            REVISE,
            "cc47c1e2-78e6-4291-b071-f423a4f7fbfe",
            Activity::ReviseAdmitInpatient,
            Class::Inpatient,
            Status::InProgress,
            ms(datetime!(2022-12-07 13:00:00 +2)),
            None,
            None,
        ),
        (
            CANCEL,
            "d8749b54-1aeb-4089-8941-8d876bdffc51",
            Activity::CancelAdmitInpatient,
            Class::Inpatient,
            Status::EnteredInError,
            admitted,
            None,
            None,
        ),
        (
            END_LEAVE,
            "f47254da-f170-46f0-b624-4778a9c92b1f",
            Activity::EndLeave,
            Class::Inpatient,
            Status::InProgress,
            admitted,
            None,
            Some((
                ms(datetime!(2022-12-13 14:00:10 +2)),
                Some(ms(datetime!(2022-12-14 15:30:00 +2))),
            )),
        ),
        (
            DISCHARGE,
            "g1affa53-c157-4080-abb0-8e681524f969",
            Activity::DischargeInpatient,
            Class::Inpatient,
            Status::Finished,
            admitted,
            Some(ms(datetime!(2022-12-18 09:45:30 +2))),
            None,
        ),
        (
            EMERGENCY,
            "i50fc5fe-2d11-4ef3-acac-2e2e5c6c0029",
            Activity::AdmitEmergency,
            Class::Emergency,
            Status::InProgress,
            ms(datetime!(2022-12-01 10:00:04 +2)),
            None,
            None,
        ),
    ];
    let cpr = Cpr::parse("2509479989").expect("MedCom's test person");
    for (file, id, activity, class, status, start, end, leave) in cases {
        let m = example(file);
        assert_eq!(m.bundle_id, file);
        assert_eq!(m.message_id, id, "{file}");
        assert_eq!(m.activity(), activity, "{file}");
        let e = &m.encounter;
        assert_eq!((e.class, e.status), (class, status), "{file}");
        assert_eq!((e.start, e.end, e.leave), (start, end, leave), "{file}");
        assert_eq!(
            e.episode,
            (
                "https://sor2.sum.dsdn.dk/#id=265161000016000".to_owned(),
                "bd481c38-a921-11ed-afa1-0242ac120002".to_owned()
            )
        );
        assert_eq!(m.patient, PatientId::Cpr(cpr.clone()));
        assert_eq!(m.sender.sor.as_deref(), Some("265161000016000"));
        assert_eq!(m.sender.gln.as_deref(), Some("5790000209354"));
        assert_eq!(m.receiver.sor.as_deref(), Some("953741000016009"));
        assert_eq!(
            e.unit.name.as_deref(),
            Some("Hjerteafdelingen på Herlev og Gentofte hospital")
        );
        assert_eq!(m.current.message_id, id);
    }
}

#[test]
fn the_provenance_chain_names_what_each_message_follows() {
    let original = "b9b4818e-02de-4cc4-b418-d20cbc7b5404".to_owned();
    assert_eq!(example(ADMIT).current.follows, None);
    assert_eq!(
        example(REVISE).current.follows,
        Some((EntityRole::Revision, original.clone()))
    );
    assert_eq!(
        example(CANCEL).current.follows,
        Some((EntityRole::Removal, original.clone()))
    );
    let back = example(END_LEAVE);
    assert_eq!(
        back.chain.iter().map(|p| p.activity).collect::<Vec<_>>(),
        [
            Activity::AdmitInpatient,
            Activity::StartLeave,
            Activity::EndLeave
        ]
    );
    assert_eq!(
        back.current.follows,
        Some((
            EntityRole::Revision,
            "e563a2b2-bf92-4b13-bbd2-0a021a95bded".to_owned()
        ))
    );
    assert_eq!(back.current.recorded, ms(datetime!(2022-12-14 15:30:02 +2)));
}

#[test]
fn the_examples_add_up_to_their_episodes() {
    let episode = |files: &[&str]| {
        let notes: Vec<_> = files.iter().map(|f| example(f).notification()).collect();
        Episode::rebuild(&notes).expect("an episode")
    };
    let revised = episode(&[REVISE, ADMIT]);
    assert_eq!(revised.state, EpisodeState::Admitted);
    assert_eq!(revised.start, ms(datetime!(2022-12-07 13:00:00 +2)));
    assert_eq!(episode(&[ADMIT, CANCEL]).state, EpisodeState::Cancelled);
    // The leave's start came in a message not among the examples: the end of leave carries it.
    let stay = episode(&[DISCHARGE, END_LEAVE, ADMIT]);
    assert_eq!(stay.state, EpisodeState::Discharged);
    assert_eq!(stay.class, Class::Inpatient);
    assert_eq!(
        stay.leaves,
        vec![Leave {
            from: ms(datetime!(2022-12-13 14:00:10 +2)),
            to: Some(ms(datetime!(2022-12-14 15:30:00 +2)))
        }]
    );
    assert_eq!(stay.end, Some(ms(datetime!(2022-12-18 09:45:30 +2))));
    let acute = episode(&[EMERGENCY]);
    assert_eq!(
        (acute.class, acute.state),
        (Class::Emergency, EpisodeState::Admitted)
    );
}
