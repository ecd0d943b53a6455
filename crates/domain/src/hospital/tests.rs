use super::*;

const H: i64 = 60 * 60 * 1000;

fn note(id: &str, recorded: i64, activity: Activity) -> Notification {
    Notification {
        message_id: id.to_owned(),
        recorded,
        activity,
        start: 10 * H,
        end: None,
        leave: None,
        unit: "Afsnit P1".to_owned(),
    }
}

/// Every permutation of `items` (Heap's algorithm).
fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    fn go<T: Clone>(k: usize, a: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
        if k <= 1 {
            out.push(a.clone());
            return;
        }
        for i in 0..k {
            go(k - 1, a, out);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            a.swap(j, k - 1);
        }
    }
    let mut out = Vec::new();
    go(items.len(), &mut items.to_vec(), &mut out);
    out
}

#[test]
fn every_activity_code_names_its_event_change_and_class() {
    assert_eq!(Activity::ALL.len(), 18);
    for a in Activity::ALL {
        assert_eq!(Activity::parse(a.as_str()), Some(*a));
        let base = a
            .as_str()
            .trim_start_matches("revise-")
            .trim_start_matches("cancel-");
        let new = Activity::parse(base).expect("the base form is a code too");
        assert_eq!((new.event(), new.class()), (a.event(), a.class()), "{a:?}");
        assert_eq!(new.change(), Change::New);
    }
    assert_eq!(Activity::parse("admit-inpatient-revision"), None);
    assert_eq!(
        Activity::CancelAdmitEmergency.expected_status(),
        EncounterStatus::EnteredInError
    );
    assert_eq!(
        Activity::CancelEndLeave.expected_status(),
        EncounterStatus::OnLeave
    );
}

#[test]
fn an_admission_with_a_leave_and_a_discharge() {
    let admit = note("a", 10 * H, Activity::AdmitInpatient);
    let leave = Notification {
        leave: Some((30 * H, None)),
        ..note("b", 30 * H, Activity::StartLeave)
    };
    let back = Notification {
        leave: Some((30 * H, Some(40 * H))),
        ..note("c", 40 * H, Activity::EndLeave)
    };
    let out = Notification {
        end: Some(90 * H),
        ..note("d", 90 * H, Activity::DischargeInpatient)
    };
    let on_leave = Episode::rebuild(&[admit.clone(), leave.clone()]).expect("episode");
    assert_eq!(on_leave.state, EpisodeState::OnLeave);
    assert_eq!(
        on_leave.leaves,
        vec![Leave {
            from: 30 * H,
            to: None
        }]
    );
    let back_again =
        Episode::rebuild(&[admit.clone(), leave.clone(), back.clone()]).expect("episode");
    assert_eq!(back_again.state, EpisodeState::Admitted);
    let done = Episode::rebuild(&[admit, leave, back, out]).expect("episode");
    assert_eq!(done.state, EpisodeState::Discharged);
    assert_eq!((done.start, done.end), (10 * H, Some(90 * H)));
    assert_eq!(done.class, EncounterClass::Inpatient);
    assert_eq!(
        done.events.iter().map(|e| e.event).collect::<Vec<_>>(),
        [
            Event::Admit,
            Event::StartLeave,
            Event::EndLeave,
            Event::Discharge
        ]
    );
    assert_eq!(Episode::rebuild(&[]), None);
}

#[test]
fn a_revision_replaces_and_a_cancellation_removes() {
    let admit = note("a", 10 * H, Activity::AdmitInpatient);
    let revised = Notification {
        start: 11 * H,
        ..note("b", 12 * H, Activity::ReviseAdmitInpatient)
    };
    let episode = Episode::rebuild(&[admit.clone(), revised.clone()]).expect("episode");
    assert_eq!(episode.start, 11 * H);
    assert_eq!(episode.events.len(), 1);
    assert_eq!(episode.events[0].message_id, "b");
    // A discharge whose admission has not come: admitted at the contact's start.
    let early = Notification {
        end: Some(50 * H),
        ..note("x", 50 * H, Activity::DischargeInpatient)
    };
    let alone = Episode::rebuild(std::slice::from_ref(&early)).expect("episode");
    assert_eq!(alone.state, EpisodeState::Discharged);
    assert_eq!((alone.start, alone.events.len()), (10 * H, 2));
    // A revision whose original never came stands for it.
    assert_eq!(
        Episode::rebuild(std::slice::from_ref(&revised))
            .expect("episode")
            .start,
        11 * H
    );
    let cancelled = note("c", 13 * H, Activity::CancelAdmitInpatient);
    let gone = Episode::rebuild(&[admit.clone(), cancelled]).expect("episode");
    assert_eq!(gone.state, EpisodeState::Cancelled);
    assert!(gone.events.is_empty());
    // A discharge taken back: admitted again.
    let out = Notification {
        end: Some(50 * H),
        ..note("d", 50 * H, Activity::DischargeInpatient)
    };
    let undone = note("e", 51 * H, Activity::CancelDischargeInpatient);
    let again = Episode::rebuild(&[admit, out, undone]).expect("episode");
    assert_eq!((again.state, again.end), (EpisodeState::Admitted, None));
}

#[test]
fn an_acute_ambulant_contact() {
    let admit = note("a", 10 * H, Activity::AdmitEmergency);
    let out = Notification {
        end: Some(14 * H),
        ..note("b", 14 * H, Activity::DischargeEmergency)
    };
    let episode = Episode::rebuild(&[out, admit]).expect("episode");
    assert_eq!(episode.class, EncounterClass::Emergency);
    assert_eq!(episode.state, EpisodeState::Discharged);
}

/// The messages of one episode in every order they could arrive: always the same episode.
#[test]
fn the_episode_does_not_depend_on_arrival_order() {
    let messages = vec![
        note("a", 10 * H, Activity::AdmitInpatient),
        Notification {
            start: 9 * H,
            ..note("b", 11 * H, Activity::ReviseAdmitInpatient)
        },
        Notification {
            leave: Some((30 * H, None)),
            ..note("c", 30 * H, Activity::StartLeave)
        },
        Notification {
            leave: Some((30 * H, Some(40 * H))),
            ..note("d", 40 * H, Activity::EndLeave)
        },
        Notification {
            end: Some(90 * H),
            start: 9 * H,
            ..note("e", 90 * H, Activity::DischargeInpatient)
        },
        note("f", 91 * H, Activity::CancelDischargeInpatient),
    ];
    let expected = Episode::rebuild(&messages).expect("episode");
    assert_eq!(expected.state, EpisodeState::Admitted);
    assert_eq!(expected.start, 9 * H);
    assert_eq!(
        expected.leaves,
        vec![Leave {
            from: 30 * H,
            to: Some(40 * H)
        }]
    );
    let orders = permutations(&messages);
    assert_eq!(orders.len(), 720);
    for order in orders {
        assert_eq!(Episode::rebuild(&order).as_ref(), Some(&expected));
    }
}
