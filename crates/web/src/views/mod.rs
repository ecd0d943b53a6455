//! Page structs for the askama templates. Every page carries a [`Chrome`]: language, CSRF token,
//! the viewer's name and role, and the navigation their role allows.

pub mod pages;

#[cfg(test)]
mod keys;

use crate::AppState;
use crate::session::Viewer;
use bro_authz::Actor;
use bro_domain::{Language, Role};
use bro_i18n::I18n;
use std::sync::Arc;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One of the viewer's roles, for the role switcher.
pub struct RoleOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

pub struct ChromeUser {
    pub name: String,
    /// "Koordinator, Rusmiddelcenter Holstebro" or "Borger".
    pub context: String,
    pub roles: Vec<RoleOption>,
}

pub struct Chrome {
    pub lang: Language,
    pub i18n: Arc<I18n>,
    pub csrf: String,
    pub static_base: String,
    pub path: String,
    pub user: Option<ChromeUser>,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    pub fn new(
        state: &AppState,
        lang: Language,
        csrf: String,
        path: &str,
        viewer: Option<&Viewer>,
    ) -> Self {
        let i18n = state.i18n.clone();
        let t = |k: &str| i18n.get(lang, k);
        let mut nav = Vec::new();
        let mut user = None;
        if let Some(v) = viewer {
            let role_label = |r: &bro_store::RoleAssignment| {
                format!(
                    "{}, {} ({})",
                    t(r.role.label_key()),
                    r.unit_name,
                    r.org_name
                )
            };
            let context = match (&v.actor, v.active_role()) {
                (Actor::Staff { .. }, Some(a)) => v
                    .user
                    .roles
                    .iter()
                    .find(|r| r.id == a.assignment_id)
                    .map(role_label)
                    .unwrap_or_default(),
                (Actor::Staff { .. }, None) => t("context-no-role"),
                (Actor::Citizen { .. }, _) => t("account-kind-citizen"),
                (Actor::Relative { .. }, _) => t("account-kind-relative"),
            };
            let roles = v
                .user
                .roles
                .iter()
                .map(|r| RoleOption {
                    id: r.id,
                    label: role_label(r),
                    selected: v.active_role().is_some_and(|a| a.assignment_id == r.id),
                })
                .collect();
            user = Some(ChromeUser {
                name: v.user.display_name.clone(),
                context,
                roles,
            });
            let mut item = |href: &'static str, key: &str| {
                let current =
                    path == href || (href != "/" && path.starts_with(&format!("{href}/")));
                nav.push(NavItem {
                    href,
                    label: t(key),
                    current,
                });
            };
            match &v.actor {
                Actor::Staff { .. } => {
                    item("/home", "nav-home");
                    if v.actor.has_role(Role::Admin) {
                        item("/admin", "nav-admin");
                        item("/admin/units", "nav-units");
                        item("/admin/users", "nav-users");
                    }
                }
                Actor::Citizen { .. } | Actor::Relative { .. } => item("/me", "nav-me"),
            }
            item("/account", "nav-account");
        }
        Self {
            lang,
            i18n,
            csrf,
            static_base: format!("/static/{}", crate::assets::ASSET_VERSION),
            path: path.to_owned(),
            user,
            nav,
        }
    }

    /// The text of a Fluent key in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.i18n.get(self.lang, key)
    }

    /// The text of a Fluent key with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.i18n
            .get_with(self.lang, key, &[(name, value.to_owned())])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    pub fn is_english(&self) -> bool {
        self.lang == Language::En
    }

    pub fn sprite(&self) -> String {
        format!("{}/vendor/dkfds/img/all-svg-icons.svg", self.static_base)
    }
}

/// Validation messages of a form, keyed by field name, already translated.
#[derive(Default)]
pub struct FormErrors(pub Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, chrome: &Chrome, field: &'static str, key: &str) {
        self.0.push((field, chrome.t(key)));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, String)> {
        self.0.iter()
    }
}
