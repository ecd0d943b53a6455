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
    /// The birth date that goes with a full name (`dd-mm-åååå`, `ddmmåå`), or empty.
    #[serde(default)]
    pub(super) born: String,
}

/// What was typed: a CPR number when it has digits; a full name with a birth date; or else the
/// beginnings of a name, which finds only the viewer's own citizens. The refusal names the
/// field (`q` or `born`) and the message.
pub(super) fn parse_query(
    q: &str,
    born: &str,
) -> Result<CitizenQuery, (&'static str, &'static str)> {
    let q = q.trim();
    if q.chars().any(|c| c.is_ascii_digit()) {
        return Cpr::parse(q)
            .map(CitizenQuery::Cpr)
            .map_err(|e| ("q", e.message_key()));
    }
    match q.chars().count() {
        0 => return Err(("q", "search-required")),
        1 => return Err(("q", "search-too-short")),
        n if n > 100 => return Err(("q", "field-too-long")),
        _ => {}
    }
    if born.trim().is_empty() {
        return Ok(CitizenQuery::OwnByName(q.to_owned()));
    }
    let born = birth_date(born).ok_or(("born", "search-born-invalid"))?;
    if bro_store::name_words(q).len() < 2 {
        return Err(("q", "search-full-name"));
    }
    Ok(CitizenQuery::FullNameBorn {
        name: q.to_owned(),
        born,
    })
}

/// A birth date as the CPR number's first six digits (`DDMMYY`): from `dd-mm-åååå`,
/// `dd.mm.åååå`, `dd/mm/åååå`, `ddmmåå` or `dd-mm-åå`, when it is a real date.
fn birth_date(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let rest_ok = text
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '/'));
    let (day, month, year) = match digits.len() {
        6 | 8 if rest_ok => (&digits[0..2], &digits[2..4], &digits[4..]),
        _ => return None,
    };
    let (d, m): (u8, u8) = (day.parse().ok()?, month.parse().ok()?);
    let y: i32 = match year.len() {
        4 => year.parse().ok()?,
        // Two digits: any century will do for checking the day exists (29 February aside).
        _ => 2000 + year.parse::<i32>().ok()?,
    };
    let month = time::Month::try_from(m).ok()?;
    let valid = time::Date::from_calendar_date(y, month, d).is_ok()
        || (year.len() == 2 && time::Date::from_calendar_date(y - 100, month, d).is_ok());
    valid.then(|| format!("{day}{month:02}{}", &year[year.len() - 2..], month = m))
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
    fn queries_are_cpr_numbers_full_names_with_birth_dates_or_own_names() {
        assert!(matches!(
            parse_query("710585-2345", ""),
            Ok(CitizenQuery::Cpr(_))
        ));
        assert_eq!(
            parse_query("3202901234", ""),
            Err(("q", "cpr-invalid-date"))
        );
        assert_eq!(parse_query("12345", ""), Err(("q", "cpr-wrong-length")));
        assert_eq!(parse_query(" ", ""), Err(("q", "search-required")));
        assert_eq!(parse_query("a", ""), Err(("q", "search-too-short")));
        assert_eq!(
            parse_query("Nørgaard", ""),
            Ok(CitizenQuery::OwnByName("Nørgaard".into()))
        );
        for born in ["07-10-1985", "07.10.1985", "071085", "07-10-85"] {
            assert_eq!(
                parse_query("Mads Nørgaard", born),
                Ok(CitizenQuery::FullNameBorn {
                    name: "Mads Nørgaard".into(),
                    born: "071085".into()
                }),
                "{born}"
            );
        }
        assert_eq!(
            parse_query("Nørgaard", "07-10-1985"),
            Err(("q", "search-full-name"))
        );
        for born in ["31-02-1985", "7-10-85", "1985-10-07x", "i går"] {
            assert_eq!(
                parse_query("Mads Nørgaard", born),
                Err(("born", "search-born-invalid")),
                "{born}"
            );
        }
    }

    #[test]
    fn contact_routes_are_checked() {
        assert!(valid_phone("+45 96 11 75 00"));
        assert!(valid_phone("96117500"));
        assert!(!valid_phone("123"));
        assert!(!valid_phone("9611<script>"));
    }
}
