//! Every Fluent key the interface uses exists in Danish and English, and every key in the
//! translation files is used: a missing text shows as a raw key, an unused one rots.

use crate::http::error::ErrorPage;
use axum::http::StatusCode;
use bro_domain::{
    AccountKind, CourseRole, Language, LegalFrame, OrgKind, Phase, Role, TargetGroup, UnitKind,
};
use std::collections::BTreeSet;
use std::path::Path;

fn read_tree(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            read_tree(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs" || x == "html") {
            out.push(std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

fn quoted(line: &str) -> Vec<&str> {
    line.split('"').skip(1).step_by(2).collect()
}

/// The literal keys handed to `t(…)`, `t1(…)` and form errors (`add(chrome, field, key)`).
fn translated_literals(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for call in ["t(\"", "t1(\""] {
        let mut rest = line;
        while let Some(at) = rest.find(call) {
            let before = rest[..at].chars().last();
            let after = &rest[at + call.len()..];
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && let Some(end) = after.find('"')
            {
                out.push(&after[..end]);
            }
            rest = after;
        }
    }
    if line.contains(".add(") {
        // add(chrome, "field", "key" | if … { "key" } else { "key" }): the literals after the field.
        out.extend(quoted(line).into_iter().skip(1).filter(|l| l.contains('-')));
    }
    out
}

/// Keys built from enums and statuses rather than written out.
fn derived_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    keys.extend(Role::ALL.iter().map(|r| r.label_key().to_owned()));
    keys.extend(OrgKind::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(UnitKind::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(AccountKind::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(Language::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(Phase::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(CourseRole::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(TargetGroup::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(LegalFrame::ALL.iter().map(|k| k.label_key().to_owned()));
    keys.extend(
        bro_domain::plan::LifeArea::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::plan::InterventionStatus::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::ShareCategory::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::plan::PlanKind::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::plan::Requirement::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::plan::Section::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_store::COURSE_EVENT_KINDS
            .iter()
            .map(|k| format!("event-{k}")),
    );
    keys.extend(["outcome-allowed".to_owned(), "outcome-denied".to_owned()]);
    keys.extend(
        bro_domain::notice::NoticeKind::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::hospital::Event::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::hospital::EpisodeState::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    {
        use bro_domain::meeting::{
            Attendance, CaseField, DeliveryChannel, DeliveryStatus, TeamFunction,
        };
        keys.extend(Attendance::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(CaseField::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(
            DeliveryChannel::ALL
                .iter()
                .map(|k| k.label_key().to_owned()),
        );
        keys.extend(DeliveryStatus::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(TeamFunction::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend((1..=12).map(|m| format!("month-{m}")));
    }
    keys.extend(bro_audit::AuditAction::ALL.iter().map(|a| a.label_key()));
    {
        use bro_domain::appointment::{AppointmentKind, Attendance, FollowUpAction};
        keys.extend(
            AppointmentKind::ALL
                .iter()
                .map(|k| k.label_key().to_owned()),
        );
        keys.extend(Attendance::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(FollowUpAction::ALL.iter().map(|k| k.label_key().to_owned()));
    }
    keys.extend(
        bro_domain::escort::EscortStatus::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::consent::ConsentForm::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::consent::LegalBasisKind::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::consent::GivenBy::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    keys.extend(
        bro_domain::consent::EmergencyReasonKind::ALL
            .iter()
            .map(|k| k.label_key().to_owned()),
    );
    {
        use bro_domain::offer::{
            FIELDS, OfferCategory, OfferLaw, OfferStatus, ReferrerKind, WEEKDAYS,
        };
        keys.extend(FIELDS.iter().map(|f| format!("offer-field-{f}")));
        keys.extend(WEEKDAYS.iter().map(|d| format!("weekday-{d}")));
        keys.extend(OfferCategory::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(OfferStatus::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(OfferLaw::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(ReferrerKind::ALL.iter().map(|k| k.label_key().to_owned()));
    }
    {
        use bro_domain::referral::{ReferralAction, ReferralStatus, Urgency};
        keys.extend(ReferralStatus::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(
            ReferralStatus::ALL
                .iter()
                .map(|k| format!("referral-plain-{}", k.as_str())),
        );
        keys.extend(Urgency::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(ReferralAction::ALL.iter().map(|k| k.label_key().to_owned()));
        use bro_domain::care_place::{NextStep, StayAction};
        keys.extend(NextStep::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(StayAction::ALL.iter().map(|k| k.label_key().to_owned()));
        keys.extend(
            ["home", "street", "drop_in", "other"]
                .iter()
                .map(|p| format!("outreach-place-{p}")),
        );
        keys.extend(
            bro_domain::care_place::PRINCIPLES
                .iter()
                .map(|k| (*k).to_owned()),
        );
        keys.extend(
            [true, false]
                .iter()
                .map(|w| bro_domain::care_place::proposed_participants(*w).to_owned()),
        );
    }
    keys.extend(
        bro_authz::Purpose::ALL
            .iter()
            .map(|p| p.label_key().to_owned()),
    );
    for status in [400, 403, 404, 405, 409, 413, 500, 503] {
        let page = ErrorPage::for_status(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        keys.insert(page.title_key.to_owned());
        keys.insert(page.body_key.to_owned());
    }
    keys
}

#[test]
fn every_key_used_exists_and_every_key_defined_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    read_tree(&root.join("src"), &mut sources);
    read_tree(&root.join("templates"), &mut sources);
    read_tree(&root.join("../domain/src"), &mut sources);
    let defined: BTreeSet<String> = bro_i18n::message_ids(bro_i18n::DA_FTL)
        .into_iter()
        .collect();

    let mut used = derived_keys();
    let mut missing = BTreeSet::new();
    for key in &defined {
        let quoted_key = format!("\"{key}\"");
        if sources.iter().any(|s| s.contains(&quoted_key)) {
            used.insert(key.clone());
        }
    }
    for src in &sources {
        for line in src.lines() {
            for lit in translated_literals(line) {
                if !defined.contains(lit) {
                    missing.insert(lit.to_owned());
                }
            }
        }
    }
    // Keys made from a code (a role's label, an audit action's) must exist too.
    missing.extend(derived_keys().difference(&defined).cloned());
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(
        missing.is_empty(),
        "keys used but not in da.ftl/en.ftl: {missing:?}"
    );
    assert!(
        unused.is_empty(),
        "keys in the translation files that nothing uses: {unused:?}"
    );
}
