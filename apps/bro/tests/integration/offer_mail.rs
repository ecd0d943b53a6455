//! E-mail of offer changes (issue 16, item 2), through a real SMTP server: a follower who chose
//! it on their account page gets one e-mail per change, linking to what changed and naming no
//! internal note; a follower who did not choose it, or who has no address, gets the notice in
//! Bro only.

use crate::http_plan::logged_in;
use crate::offers::{offer_form, post};
use bro_testkit::{Backend, TestApp, fixture, location};
use std::time::Duration;

async fn offer_changes_are_mailed_to_followers_who_chose_it(backend: Backend) {
    let Some(python) =
        bro_testkit::test_python("offer_changes_are_mailed_to_followers_who_chose_it")
    else {
        return;
    };
    let sink = bro_testkit::SmtpSink::start(&python, 0);
    let config = bro_testkit::mailing_to(sink.port);
    let Some(app) = TestApp::spawn_with(backend, "offer_mail", config).await else {
        return; // PostgreSQL unreachable: scripts/test reports it skipped
    };
    let f = fixture(app.store(), false).await;
    let unit = f.holstebro_unit.0.to_string();
    let admin = logged_in(&app, "admin-h").await;
    let r = post(&admin, "/offers", &offer_form(&unit, "18", "08:00-15:00")).await;
    let offer = location(&r);
    let id = offer.rsplit('/').next().expect("id").to_owned();

    // koord: an address and e-mails chosen; prof-r: an address only; admin-r: e-mails chosen
    // but no address. All three follow the offer.
    let address = |who: &str| [("email", format!("{who}@example.dk"))];
    let choose = [("offer_mail", "on".to_owned())];
    for (login, email, mail) in [
        ("koord", true, true),
        ("prof-r", true, false),
        ("admin-r", false, true),
    ] {
        let b = logged_in(&app, login).await;
        if email {
            let r = post(&b, "/account/email", &address(login)).await;
            assert_eq!(location(&r), "/account", "{login}");
        }
        if mail {
            let r = post(&b, "/account/offer-mail", &choose).await;
            assert_eq!(location(&r), "/account", "{login}");
        }
        let (_, html) = b.get_text("/account").await;
        assert!(html.contains("Send mig en e-mail ved hver ændring"));
        assert_eq!(
            html.contains("name=\"offer_mail\" value=\"on\" checked"),
            mail,
            "{login}: the choice is shown"
        );
        assert_eq!(
            html.contains("Du har ikke skrevet en e-mailadresse endnu"),
            !email,
            "{login}"
        );
        let follow = [
            ("what", "offer".to_owned()),
            ("id", id.clone()),
            ("on", "on".to_owned()),
            ("back", offer.clone()),
        ];
        assert_eq!(location(&post(&b, "/tilbud/follow", &follow).await), offer);
    }
    // Not for a citizen: they follow no offers.
    let citizen = logged_in(&app, "citizen").await;
    let r = post(&citizen, "/account/offer-mail", &choose).await;
    assert_eq!(r.status().as_u16(), 404);

    // Two changes: two e-mails, both to koord, and no more.
    for (base, wait) in [("1", "6"), ("2", "4")] {
        let changed = [
            offer_form(&unit, wait, "08:00-15:00"),
            vec![("base_version", base.to_owned())],
        ]
        .concat();
        let r = post(&admin, &format!("/offers/{id}"), &changed).await;
        assert_eq!(location(&r), offer);
    }
    sink.wait_for(2, Duration::from_secs(20)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = sink.decoded();
    assert_eq!(mails.len(), 2, "one e-mail per change, to koord only");
    for mail in &mails {
        assert!(
            mail.contains("koord@example.dk") && !mail.contains("prof-r@"),
            "{mail}"
        );
        assert!(mail.contains("Tilbuddet »Rusmiddelcenter Holstebro« i Bro er ændret."));
        assert!(mail.contains(&format!("https://bro.example.dk/tilbud/{id}/versions")));
        assert!(!mail.contains("Ring til vagten"), "never the internal note");
    }
    // Everyone still has the notice in Bro.
    for login in ["koord", "prof-r", "admin-r"] {
        let (_, html) = logged_in(&app, login).await.get_text("/notices").await;
        let n = html
            .matches("Tilbuddet Rusmiddelcenter Holstebro er ændret.")
            .count();
        assert_eq!(n, 2, "{login}");
    }

    // Turned off: the next change comes in Bro only.
    let koord = logged_in(&app, "koord").await;
    let r = post(&koord, "/account/offer-mail", &[]).await;
    assert_eq!(location(&r), "/account");
    let changed = [
        offer_form(&unit, "2", "08:00-15:00"),
        vec![("base_version", "3".to_owned())],
    ]
    .concat();
    assert_eq!(
        location(&post(&admin, &format!("/offers/{id}"), &changed).await),
        offer
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 2, "no e-mail once turned off");
    app.stop().await;
}

on_both_backends!(offer_changes_are_mailed_to_followers_who_chose_it);
