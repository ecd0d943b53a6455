//! Approved minutes as a printable document (PDF/A), from the frozen snapshot.

use crate::services::minutes::CaseSnapshot;
use crate::ui::Chrome;
use crate::ui::when;
use bro_render::{Document, Item, Section};
use bro_store::Team;

pub(super) fn minutes(
    chrome: &Chrome,
    team: &Team,
    snap: &CaseSnapshot,
    approved_ms: i64,
    approved_by: &str,
    printed_ms: i64,
) -> Document {
    let day = crate::ui::danish_date(printed_ms);
    let mut sections = vec![Section {
        heading: chrome.t("minutes-meeting"),
        items: vec![
            Item::default()
                .field(chrome.t("meeting-when"), when(snap.starts_ms))
                .field(chrome.t("meeting-place"), snap.place.clone())
                .field(chrome.t("meeting-theme"), snap.theme.clone())
                .field(
                    chrome.t("case-citizen-attendance"),
                    chrome.t(snap.citizen_attendance.label_key()),
                ),
        ],
    }];
    sections.push(Section {
        heading: chrome.t("meeting-participants"),
        items: snap
            .participants
            .iter()
            .map(|(name, org, attendance)| {
                Item::text(format!(
                    "{name} ({org}): {}",
                    chrome.t(attendance.label_key())
                ))
            })
            .collect(),
    });
    sections.push(Section {
        heading: chrome.t("case-template"),
        items: snap
            .fields
            .iter()
            .filter(|(_, who, body)| who.is_none() || !body.is_empty())
            .map(|(code, who, body)| Item {
                heading: Some(snap.label(chrome, code, who)),
                text: Some(if body.is_empty() {
                    "–".into()
                } else {
                    body.clone()
                }),
                ..Item::default()
            })
            .collect(),
    });
    let agreement = |a: &bro_store::Agreement| {
        Item::text(a.what.clone())
            .field(chrome.t("agreement-who"), a.who.clone())
            .field(
                chrome.t("agreement-due"),
                a.due_date.clone().unwrap_or_default(),
            )
    };
    if !snap.follow_up.is_empty() {
        sections.push(Section {
            heading: chrome.t("case-follow-up-agreements"),
            items: snap.follow_up.iter().map(agreement).collect(),
        });
    }
    sections.push(Section {
        heading: chrome.t("case-agreements"),
        items: snap.agreements.iter().map(agreement).collect(),
    });
    Document {
        lang: chrome.lang_code(),
        title: chrome.t1("minutes-title", "team", &team.name),
        date: [
            u16::try_from(day.year()).unwrap_or(0),
            u16::from(u8::from(day.month())),
            u16::from(day.day()),
        ],
        subtitle: vec![
            snap.citizen_name.clone(),
            format!(
                "{} {}, {}",
                chrome.t("minutes-approved-by"),
                approved_by,
                when(approved_ms)
            ),
        ],
        footer: chrome.t("minutes-footer"),
        sections,
    }
}
