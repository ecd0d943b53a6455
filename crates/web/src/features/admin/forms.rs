//! What the administration forms take (settings, units, users and roles, passwords,
//! collaborations), and their parsing into domain values.

use crate::http::forms::form_pairs;
use crate::ui::{Chrome, FormErrors};
use bro_domain::{
    CollaborationId, Name, OrgId, Password, PhaseScheme, Role, UnitId, UnitKind, Username,
};
use bro_store::{NewCollaboration, Unit};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    require_second_factor: String,
}

impl SettingsForm {
    pub(super) fn require_second_factor(&self) -> bool {
        self.require_second_factor == "true"
    }
}

#[derive(Deserialize, Default)]
pub(super) struct UnitForm {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) kind: String,
}

impl UnitForm {
    /// The new unit's name and kind, adding errors for what is missing or wrong.
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
    ) -> Option<(Name, UnitKind)> {
        let name = Name::parse(&self.name)
            .map_err(|e| errors.add(chrome, "name", e.message_key()))
            .ok();
        let kind = UnitKind::parse(&self.kind);
        if kind.is_none() {
            errors.add(chrome, "kind", "field-choose");
        }
        name.zip(kind)
    }
}

#[derive(Deserialize, Default)]
pub(super) struct NewUserForm {
    #[serde(default)]
    pub(super) display_name: String,
    #[serde(default)]
    pub(super) username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    pub(super) unit: String,
    #[serde(default)]
    pub(super) role: String,
}

/// A new staff account as its form describes it, with its first role.
pub(super) struct NewStaff {
    pub(super) display_name: Name,
    pub(super) username: Username,
    pub(super) password: Password,
    pub(super) role: (UnitId, Role),
}

impl NewUserForm {
    /// The account, adding errors for what is missing or wrong; the unit is one of `units`.
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        units: &[Unit],
    ) -> Option<NewStaff> {
        let display_name = Name::parse(&self.display_name)
            .map_err(|e| errors.add(chrome, "display_name", e.message_key()))
            .ok();
        let username = Username::parse(&self.username)
            .map_err(|e| errors.add(chrome, "username", e.message_key()))
            .ok();
        let password = Password::parse(&self.password)
            .map_err(|e| errors.add(chrome, "password", e.message_key()))
            .ok();
        let role = parse_role(chrome, errors, units, &self.unit, &self.role);
        Some(NewStaff {
            display_name: display_name?,
            username: username?,
            password: password?,
            role: role?,
        })
    }
}

#[derive(Deserialize, Default)]
pub(super) struct RoleForm {
    #[serde(default)]
    pub(super) unit: String,
    #[serde(default)]
    pub(super) role: String,
}

impl RoleForm {
    /// The unit (one of `units`) and role to grant, adding errors for what is missing.
    pub(super) fn parse(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        units: &[Unit],
    ) -> Option<(UnitId, Role)> {
        parse_role(chrome, errors, units, &self.unit, &self.role)
    }
}

/// Parses a unit of `units` and a role from a form, adding errors for what is missing.
fn parse_role(
    chrome: &Chrome,
    errors: &mut FormErrors,
    units: &[Unit],
    unit: &str,
    role: &str,
) -> Option<(UnitId, Role)> {
    let unit = units
        .iter()
        .find(|u| u.id.0.to_string() == unit)
        .map(|u| u.id);
    if unit.is_none() {
        errors.add(chrome, "unit", "field-choose");
    }
    let role = Role::parse(role);
    if role.is_none() {
        errors.add(chrome, "role", "field-choose");
    }
    unit.zip(role)
}

#[derive(Deserialize, Default)]
pub(super) struct PasswordForm {
    #[serde(default)]
    pub(super) password: String,
}

/// What the page's forms hold after a refused save, so nothing typed is lost.
#[derive(Default)]
pub(super) struct CollaborationForm {
    pub(super) name: String,
    pub(super) partners: Vec<i64>,
    pub(super) phases: String,
    /// The collaboration whose phases were being changed, if that was the refused form.
    pub(super) editing: Option<CollaborationId>,
}

impl CollaborationForm {
    pub(super) fn parse(body: &[u8]) -> Self {
        let mut f = CollaborationForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "name" => f.name = v,
                "partners" => f.partners.extend(v.parse::<i64>().ok()),
                "phases" => f.phases = v,
                _ => {}
            }
        }
        f
    }

    /// The collaboration of `own` and the chosen partners (each one of `known`), adding
    /// errors for what is missing or wrong; `None` when anything is.
    pub(super) fn new_collaboration(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        own: OrgId,
        known: &[OrgId],
    ) -> Option<NewCollaboration> {
        let name = Name::parse(&self.name)
            .map_err(|e| errors.add(chrome, "name", e.message_key()))
            .ok();
        let partners: Vec<OrgId> = self.partners.iter().map(|p| OrgId(*p)).collect();
        if partners.is_empty() || partners.iter().any(|p| !known.contains(p)) {
            errors.add(chrome, "partners", "collaboration-error-partners");
        }
        let phases = PhaseScheme::parse_lines(&self.phases)
            .map_err(|e| errors.add(chrome, "phases", e.message_key()))
            .ok();
        let (Some(name), Some(phases), true) = (name, phases, errors.is_empty()) else {
            return None;
        };
        Some(NewCollaboration {
            name: name.into_string(),
            orgs: std::iter::once(own).chain(partners).collect(),
            phases,
        })
    }
}
