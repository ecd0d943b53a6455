//! A message written from a notification reads back as that notification, for every new
//! event and its revisions and cancellations: what the demo and the generated world send
//! comes through the parser like any hospital's.

use bro_domain::Cpr;
use bro_domain::hospital::{Activity, Notification};
use bro_medcom::{Organization, Outgoing, PatientId, parse};

const H: i64 = 3_600_000;
const T0: i64 = 1_780_000_000_000;

fn org(sor: &str, name: &str) -> Organization {
    Organization {
        sor: Some(sor.to_owned()),
        gln: None,
        name: Some(name.to_owned()),
    }
}

/// The notification of `activity` in a stay from T0, with what that activity carries.
fn notification(activity: Activity, n: usize) -> Notification {
    use bro_domain::hospital::Event;
    let (end, leave) = match activity.event() {
        Event::Discharge => (Some(T0 + 50 * H), None),
        Event::StartLeave => (None, Some((T0 + 20 * H, None))),
        Event::EndLeave => (None, Some((T0 + 20 * H, Some(T0 + 30 * H)))),
        Event::Admit => (None, None),
    };
    Notification {
        message_id: format!("msg-{n}"),
        recorded: T0 + n as i64 * H,
        activity,
        start: T0,
        end,
        leave,
        unit: "Afdeling Q, Regionspsykiatrien Gødstrup".to_owned(),
    }
}

#[test]
fn every_activity_reads_back_as_written() {
    let hospital = org("6171000016000", "Afdeling Q, Regionspsykiatrien Gødstrup");
    let municipality = org("953741000016009", "Holstebro Kommune");
    let cpr = Cpr::parse("7105852345").expect("CPR");
    for (n, activity) in Activity::ALL.iter().copied().enumerate() {
        let written = notification(activity, n);
        let out = Outgoing {
            message_id: &written.message_id,
            sender: &hospital,
            receiver: &municipality,
            cpr: &cpr,
            episode: ("https://sor2.sum.dsdn.dk/#id=6171000016000", "stay-1"),
            notification: &written,
        };
        let bytes = out.to_json();
        let message = parse(bytes.as_bytes()).unwrap_or_else(|e| panic!("{activity:?}: {e}"));
        assert_eq!(message.notification(), written, "{activity:?}");
        assert_eq!(message.receiver.sor, municipality.sor);
        assert_eq!(message.sender.sor, hospital.sor);
        assert_eq!(message.patient, PatientId::Cpr(cpr.clone()));
        assert_eq!(message.encounter.episode.1, "stay-1");
        assert_eq!(message.encounter.class, activity.class());
    }
}
