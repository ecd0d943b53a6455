//! Sending Bro's e-mail notices: of approved minutes and of decisions on referrals (to the
//! citizen) and of changes in the offers a member of staff follows (to those who chose it).
//! The copy in Bro is written with what it tells of; the e-mail is sent here, outside any
//! request, so an SMTP outage never blocks the meeting or the change. A failed e-mail stays in the store and is retried with
//! growing pauses until it is sent: none is lost.
//!
//! A minutes notice and a referral notice carry no personal data: they say that there is news
//! in Bro. An offer notice names the offer and links to what changed; offers are not personal
//! data.

use crate::state::AppState;
use bro_domain::notice::NoticeKind;
use bro_mail::Mail;
use std::time::Duration;

/// How many notices one round sends at most.
const BATCH: i64 = 50;

/// Asks the worker to look for due deliveries now (after an approval or a manual retry).
pub fn wake(state: &AppState) {
    state.delivery_wake.notify_one();
}

/// Queues the reminders that are due, then sends every due e-mail once; returns how many were
/// sent.
pub async fn deliver_due(state: &AppState) -> usize {
    if let Err(e) = state
        .store
        .queue_reminders(state.clock.now_ms(), BATCH)
        .await
    {
        tracing::warn!(cause = %e, "cannot queue appointment reminders");
    }
    deliver_minutes_notices(state).await + deliver_notice_mails(state).await
}

async fn deliver_minutes_notices(state: &AppState) -> usize {
    let now = state.clock.now_ms();
    let due = match state.store.due_deliveries(now, BATCH).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(cause = %e, "cannot read due deliveries");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        let outcome = match (&state.mailer, d.email.as_deref()) {
            (None, _) => Err("e-mail is not configured (smtp)".to_owned()),
            (_, None) => Err("the citizen has no e-mail address".to_owned()),
            (Some(mailer), Some(to)) => {
                let mail = Mail {
                    to: to.to_owned(),
                    subject: state.i18n.get(Default::default(), "mail-minutes-subject"),
                    text: notice_text(state),
                };
                mailer.send(&mail).await.map_err(|e| e.to_string())
            }
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            tracing::warn!(delivery = d.id, "minutes notice not delivered; will retry");
        }
        if let Err(e) = state
            .store
            .record_delivery_attempt(d.id, state.clock.now_ms(), outcome)
            .await
        {
            tracing::warn!(cause = %e, "cannot record a delivery attempt");
        }
    }
    sent
}

async fn deliver_notice_mails(state: &AppState) -> usize {
    let due = match state
        .store
        .due_notice_mails(state.clock.now_ms(), BATCH)
        .await
    {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(cause = %e, "cannot read due notice e-mails");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        if d.kind == NoticeKind::AppointmentReminder
            && reminder_too_late(&d.detail, state.clock.now_ms())
        {
            let reason = "the appointment has begun";
            if let Err(e) = state.store.drop_notice_mail(d.id, reason).await {
                tracing::warn!(cause = %e, "cannot drop a late reminder");
            }
            continue;
        }
        let mail = match (d.kind, &d.offer) {
            (NoticeKind::OfferChanged, Some((id, name))) => Ok(offer_mail(state, *id, name)),
            (NoticeKind::ReferralDecided, _) => Ok(referral_mail(state)),
            (kind, _) if kind.is_hospital() => Ok(hospital_mail(state)),
            (NoticeKind::AppointmentReminder, _) => reminder_mail(state, &d.detail),
            _ => Err("no e-mail for this notice".to_owned()),
        };
        let outcome = match (&state.mailer, d.email.as_deref(), mail) {
            (None, _, _) => Err("e-mail is not configured (smtp)".to_owned()),
            (_, None, _) => Err("the user has no e-mail address".to_owned()),
            (_, _, Err(e)) => Err(e),
            (Some(mailer), Some(to), Ok((subject, text))) => {
                let mail = Mail {
                    to: to.to_owned(),
                    subject,
                    text,
                };
                mailer.send(&mail).await.map_err(|e| e.to_string())
            }
        };
        if outcome.is_ok() {
            sent += 1;
        } else {
            tracing::warn!(notice = d.id, "notice e-mail not delivered; will retry");
        }
        if let Err(e) = state
            .store
            .record_notice_mail(d.id, state.clock.now_ms(), outcome)
            .await
        {
            tracing::warn!(cause = %e, "cannot record a notice e-mail attempt");
        }
    }
    sent
}

/// The subject and text (Danish, then English) of a notice e-mail linking to `path`.
fn mail_text(
    state: &AppState,
    (subject_key, body_key): (&str, &str),
    path: &str,
    args: &[(&str, String)],
) -> (String, String) {
    let link = format!("{}{path}", state.config.public_url.trim_end_matches('/'));
    let mut args = args.to_vec();
    args.push(("link", link));
    let text = |lang| state.i18n.get_with(lang, body_key, &args);
    let (da, en) = (
        text(bro_domain::Language::Da),
        text(bro_domain::Language::En),
    );
    let subject = state.i18n.get_with(Default::default(), subject_key, &args);
    (subject, format!("{da}\n\n---\n\n{en}\n"))
}

/// A change in offer `id`, linking to what changed.
fn offer_mail(state: &AppState, id: i64, name: &str) -> (String, String) {
    let path = format!("/tilbud/{id}/versions");
    let keys = ("mail-offer-subject", "mail-offer-body");
    mail_text(state, keys, &path, &[("offer", name.to_owned())])
}

/// A decision on the citizen's referral: only that there is news, never what it is.
fn referral_mail(state: &AppState) -> (String, String) {
    let keys = ("mail-referral-subject", "mail-referral-body");
    mail_text(state, keys, "/me/referrals", &[])
}

/// News from the hospital about a citizen on the care team: only that there is news, and
/// where to read it after logging in; never who or what.
fn hospital_mail(state: &AppState) -> (String, String) {
    let keys = ("mail-hospital-subject", "mail-hospital-body");
    mail_text(state, keys, "/notices", &[])
}

/// A reminder sent after its appointment began is no use.
fn reminder_too_late(detail: &str, now: i64) -> bool {
    detail.parse::<i64>().map_or(true, |start| start <= now)
}

/// "Du har en aftale i morgen kl. 10.00 – se Bro": the day and time, nothing else.
fn reminder_mail(state: &AppState, detail: &str) -> Result<(String, String), String> {
    let start: i64 = detail
        .parse()
        .map_err(|_| "a reminder without its time".to_owned())?;
    let now = state.clock.now_ms();
    let today = bro_domain::local_time::to_local(now).date();
    let day_key = if bro_domain::local_time::to_local(start).date() == today {
        "mail-reminder-today"
    } else {
        "mail-reminder-tomorrow"
    };
    let link = format!(
        "{}/me/appointments",
        state.config.public_url.trim_end_matches('/')
    );
    let local = bro_domain::local_time::to_local(start);
    let text = |lang, sep| {
        let args = [
            ("day", state.i18n.get(lang, day_key)),
            (
                "time",
                format!("{:02}{sep}{:02}", local.hour(), local.minute()),
            ),
            ("link", link.clone()),
        ];
        state.i18n.get_with(lang, "mail-reminder-body", &args)
    };
    let (da, en) = (
        text(bro_domain::Language::Da, '.'),
        text(bro_domain::Language::En, ':'),
    );
    let subject = state.i18n.get(Default::default(), "mail-reminder-subject");
    Ok((subject, format!("{da}\n\n---\n\n{en}\n")))
}

fn notice_text(state: &AppState) -> String {
    let link = format!(
        "{}/me/meetings",
        state.config.public_url.trim_end_matches('/')
    );
    let text = |lang| {
        state
            .i18n
            .get_with(lang, "mail-minutes-body", &[("link", link.clone())])
    };
    let (da, en) = (
        text(bro_domain::Language::Da),
        text(bro_domain::Language::En),
    );
    format!("{da}\n\n---\n\n{en}\n")
}

/// Runs the delivery worker: a round every `period`, or at once when woken.
pub fn spawn_worker(state: AppState, period: Duration) {
    tokio::spawn(async move {
        loop {
            deliver_due(&state).await;
            tokio::select! {
                () = tokio::time::sleep(period) => {}
                () = state.delivery_wake.notified() => {}
            }
        }
    });
}
