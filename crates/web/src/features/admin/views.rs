//! The administration pages.

use super::forms::CollaborationForm;
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::{Role, UnitKind};
use bro_store::{Collaboration, Unit, User};

pub(super) struct AuditRow {
    pub(super) seq: i64,
    pub(super) time: String,
    pub(super) action: String,
    pub(super) outcome: String,
    pub(super) object: String,
}

#[derive(Template)]
#[template(path = "admin/overview.html")]
pub(super) struct AdminOverviewPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) org_name: String,
    pub(super) org_kind_key: &'static str,
    pub(super) unit_count: usize,
    pub(super) user_count: usize,
    pub(super) require_second_factor: bool,
    pub(super) audit: Vec<AuditRow>,
}

#[derive(Template)]
#[template(path = "admin/units.html")]
pub(super) struct AdminUnitsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) org_name: String,
    pub(super) units: Vec<Unit>,
    pub(super) kinds: &'static [UnitKind],
    pub(super) unit_name: String,
    pub(super) kind: String,
}

pub(super) struct UserRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) username: String,
    pub(super) roles: String,
    pub(super) active: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub(super) struct AdminUsersPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) org_name: String,
    pub(super) users: Vec<UserRow>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
pub(super) struct AdminUserNewPage {
    pub(super) chrome: Chrome,
    pub(super) errors: FormErrors,
    pub(super) display_name: String,
    pub(super) username: String,
    pub(super) units: Vec<Unit>,
    pub(super) all_roles: [Role; 7],
    pub(super) unit: String,
    pub(super) role: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
pub(super) struct AdminUserPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) password_errors: FormErrors,
    pub(super) user: User,
    pub(super) units: Vec<Unit>,
    pub(super) all_roles: [Role; 7],
    pub(super) unit: String,
    pub(super) role: String,
}

#[derive(Template)]
#[template(path = "admin/collaborations.html")]
pub(super) struct CollaborationsPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) errors: FormErrors,
    pub(super) collaborations: Vec<Collaboration>,
    /// Organisations that may be invited as partners (all but the admin's own).
    pub(super) partners: Vec<bro_store::Organisation>,
    pub(super) form: CollaborationForm,
}

impl CollaborationsPage {
    /// Whether `c`'s change form is the one that was refused.
    pub(super) fn editing(&self, c: &Collaboration) -> bool {
        self.form.editing == Some(c.id)
    }

    /// The phases of `c` as the change form shows them: what was typed after a refusal, else
    /// the stored names, one per line.
    pub(super) fn phases_text(&self, c: &Collaboration) -> String {
        if self.editing(c) {
            return self.form.phases.clone();
        }
        c.phases
            .own_names()
            .map(|n| n.join("\n"))
            .unwrap_or_default()
    }
}
