//! The administration pages.

use super::forms::CollaborationForm;
use crate::ui::{Chrome, FormErrors};
use askama::Template;
use bro_domain::{Role, UnitKind};
use bro_store::{Collaboration, Unit, User};

pub struct AuditRow {
    pub seq: i64,
    pub time: String,
    pub action: String,
    pub outcome: String,
    pub object: String,
}

#[derive(Template)]
#[template(path = "admin/overview.html")]
pub struct AdminOverviewView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub org_name: String,
    pub org_kind_key: &'static str,
    pub unit_count: usize,
    pub user_count: usize,
    pub require_second_factor: bool,
    pub audit: Vec<AuditRow>,
}

#[derive(Template)]
#[template(path = "admin/units.html")]
pub struct AdminUnitsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub org_name: String,
    pub units: Vec<Unit>,
    pub kinds: &'static [UnitKind],
    pub unit_name: String,
    pub kind: String,
}

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub roles: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct AdminUsersView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub org_name: String,
    pub users: Vec<UserRow>,
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
pub struct AdminUserNewView {
    pub chrome: Chrome,
    pub errors: FormErrors,
    pub display_name: String,
    pub username: String,
    pub units: Vec<Unit>,
    pub all_roles: [Role; 7],
    pub unit: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
pub struct AdminUserView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub password_errors: FormErrors,
    pub user: User,
    pub units: Vec<Unit>,
    pub all_roles: [Role; 7],
    pub unit: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "admin/collaborations.html")]
pub struct CollaborationsView {
    pub chrome: Chrome,
    pub flash: Option<String>,
    pub errors: FormErrors,
    pub collaborations: Vec<Collaboration>,
    /// Organisations that may be invited as partners (all but the admin's own).
    pub partners: Vec<bro_store::Organisation>,
    pub form: CollaborationForm,
}

impl CollaborationsView {
    /// Whether `c`'s change form is the one that was refused.
    pub fn editing(&self, c: &Collaboration) -> bool {
        self.form.editing == Some(c.id)
    }

    /// The phases of `c` as the change form shows them: what was typed after a refusal, else
    /// the stored names, one per line.
    pub fn phases_text(&self, c: &Collaboration) -> String {
        if self.editing(c) {
            return self.form.phases.clone();
        }
        c.phases
            .own_names()
            .map(|n| n.join("\n"))
            .unwrap_or_default()
    }
}
