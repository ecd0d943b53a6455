//! What the course forms take: search, opening a course, phase, closing, members.

use crate::http::forms::valid_mail;
use crate::ui::{Chrome, FormErrors};
use bro_domain::{CourseRole, Cpr, OrgId, UnitId, UserId};
use bro_store::{CitizenQuery, NewMember, StaffOption};
use serde::Deserialize;

/// Longest free text in these forms (reasons, next steps, contact hours).
pub(super) const MAX_TEXT: usize = 1000;

#[derive(Deserialize, Default)]
pub(super) struct SearchForm {
    #[serde(default)]
    pub(super) q: String,
}

/// What was typed: a CPR number when it has digits, else part of a name.
pub(super) fn parse_query(q: &str) -> Result<CitizenQuery, &'static str> {
    let q = q.trim();
    if q.chars().any(|c| c.is_ascii_digit()) {
        return Cpr::parse(q)
            .map(CitizenQuery::Cpr)
            .map_err(|e| e.message_key());
    }
    match q.chars().count() {
        0 => Err("search-required"),
        1 => Err("search-too-short"),
        n if n > 100 => Err("field-too-long"),
        _ => Ok(CitizenQuery::Name(q.to_owned())),
    }
}

/// How many citizens a search shows; with as many, the page asks for a narrower search.
pub(super) const SEARCH_HITS: i64 = 50;

#[derive(Deserialize)]
pub(super) struct OpenForm {
    pub(super) citizen: i64,
    /// A collaboration's id, or empty for the default phases.
    #[serde(default)]
    pub(super) collaboration: String,
    /// Why the course is opened when the citizen's last course was another organisation's;
    /// absent until the page asking for it was shown.
    #[serde(default)]
    pub(super) reason: Option<String>,
}

/// `?staff_org=N`: show that organisation's staff in the member form too.
#[derive(Deserialize)]
pub(super) struct ShowQuery {
    pub(super) staff_org: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PhaseForm {
    pub(super) from: String,
    pub(super) to: String,
}

#[derive(Deserialize, Default)]
pub(super) struct CloseForm {
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    pub(super) next_step: String,
}

pub(super) fn required_text(
    chrome: &Chrome,
    errors: &mut FormErrors,
    field: &'static str,
    value: &str,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(chrome, field, "field-required");
        None
    } else if v.chars().count() > MAX_TEXT {
        errors.add(chrome, field, "field-too-long");
        None
    } else {
        Some(v.to_owned())
    }
}

#[derive(Deserialize, Default)]
pub(super) struct MemberForm {
    /// "user id:unit id" of a staff option.
    #[serde(default)]
    pub(super) staff: String,
    #[serde(default)]
    pub(super) role: String,
    #[serde(default)]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) phone: String,
    #[serde(default)]
    pub(super) mail: String,
    #[serde(default)]
    pub(super) hours: String,
}

impl MemberForm {
    /// The user and unit of the staff option chosen, if it is one.
    pub(super) fn staff_ids(&self) -> Option<(UserId, UnitId)> {
        let (user, unit) = self.staff.split_once(':')?;
        match (user.parse(), unit.parse()) {
            (Ok(user), Ok(unit)) => Some((UserId(user), UnitId(unit))),
            _ => None,
        }
    }

    /// The member to add, `chosen` being the staff member the form names (if active there);
    /// None when something is refused.
    pub(super) fn check(
        &self,
        chrome: &Chrome,
        errors: &mut FormErrors,
        chosen: Option<&StaffOption>,
    ) -> Option<NewMember> {
        if chosen.is_none() {
            errors.add(chrome, "staff", "field-choose");
        }
        let role = CourseRole::parse(&self.role);
        if role.is_none() {
            errors.add(chrome, "role", "field-choose");
        }
        let fixed = match self.kind.as_str() {
            "fixed" => Some(true),
            "ad_hoc" => Some(false),
            _ => {
                errors.add(chrome, "kind-fixed", "field-choose");
                None
            }
        };
        let (phone, mail, hours) = (self.phone.trim(), self.mail.trim(), self.hours.trim());
        if phone.is_empty() && mail.is_empty() {
            errors.add(chrome, "phone", "member-contact-required");
        }
        if !phone.is_empty() && !valid_phone(phone) {
            errors.add(chrome, "phone", "member-phone-invalid");
        }
        if !mail.is_empty() && !valid_mail(mail) {
            errors.add(chrome, "mail", "member-mail-invalid");
        }
        if hours.chars().count() > 200 {
            errors.add(chrome, "hours", "field-too-long");
        }
        let (Some(s), Some(role), Some(fixed), true) = (chosen, role, fixed, errors.is_empty())
        else {
            return None;
        };
        Some(NewMember {
            user_id: s.user_id,
            org_id: s.org_id,
            unit_id: s.unit_id,
            role,
            fixed,
            phone: phone.to_owned(),
            mail: mail.to_owned(),
            hours: hours.to_owned(),
        })
    }
}

pub(super) fn valid_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && p.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'))
}

/// What the forms on the course page hold after a failed save, so nothing typed is lost.
#[derive(Default)]
pub(super) struct CourseForms {
    /// Another organisation whose staff the member list shows as well.
    pub(super) staff_org: Option<OrgId>,
    pub(super) errors: FormErrors,
    pub(super) member: MemberForm,
    pub(super) close: CloseForm,
    pub(super) network_name: String,
    pub(super) relation: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cpr_numbers_or_names() {
        assert!(matches!(
            parse_query("710585-2345"),
            Ok(CitizenQuery::Cpr(_))
        ));
        assert_eq!(parse_query("3202901234"), Err("cpr-invalid-date"));
        assert_eq!(parse_query("12345"), Err("cpr-wrong-length"));
        assert_eq!(parse_query(" "), Err("search-required"));
        assert_eq!(parse_query("a"), Err("search-too-short"));
        assert_eq!(
            parse_query("Nørgaard"),
            Ok(CitizenQuery::Name("Nørgaard".into()))
        );
    }

    #[test]
    fn contact_routes_are_checked() {
        assert!(valid_phone("+45 96 11 75 00"));
        assert!(valid_phone("96117500"));
        assert!(!valid_phone("123"));
        assert!(!valid_phone("9611<script>"));
    }
}
