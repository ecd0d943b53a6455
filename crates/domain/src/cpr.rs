//! The Danish personal identification number (CPR number).
//!
//! A CPR number is `DDMMYY-SSSS`. The first digit of the sequence number and the two-digit year
//! give the century (CPR-kontoret's table). Replacement numbers (erstatningspersonnumre) add 60
//! to the day of month; Bro's synthetic people use them so no real person's number appears.
//! The modulus-11 check is deliberately not demanded: numbers issued since 2007 may fail it.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CprError {
    #[error("a CPR number has 10 digits")]
    WrongLength,
    #[error("a CPR number contains only digits and an optional hyphen")]
    NotDigits,
    #[error("the date part of the CPR number is not a date")]
    InvalidDate,
}

impl CprError {
    /// The Fluent key of the message a user sees.
    pub fn message_key(&self) -> &'static str {
        match self {
            CprError::WrongLength => "cpr-wrong-length",
            CprError::NotDigits => "cpr-not-digits",
            CprError::InvalidDate => "cpr-invalid-date",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cpr {
    digits: [u8; 10],
}

impl Cpr {
    pub fn parse(input: &str) -> Result<Self, CprError> {
        let trimmed = input.trim();
        let compact: String = match trimmed.len() {
            11 if trimmed.as_bytes().get(6) == Some(&b'-') => trimmed.replacen('-', "", 1),
            _ => trimmed.to_owned(),
        };
        if compact.chars().any(|c| !c.is_ascii_digit()) {
            return Err(CprError::NotDigits);
        }
        if compact.len() != 10 {
            return Err(CprError::WrongLength);
        }
        let mut digits = [0u8; 10];
        for (slot, b) in digits.iter_mut().zip(compact.bytes()) {
            *slot = b - b'0';
        }
        let cpr = Cpr { digits };
        cpr.compute_birth_date()?;
        Ok(cpr)
    }

    fn pair(&self, i: usize) -> u8 {
        self.digits[i] * 10 + self.digits[i + 1]
    }

    /// True for a replacement number (day of month + 60).
    pub fn is_replacement(&self) -> bool {
        self.pair(0) > 60
    }

    fn compute_birth_date(&self) -> Result<Date, CprError> {
        let raw_day = self.pair(0);
        let day = if raw_day > 60 { raw_day - 60 } else { raw_day };
        let month = Month::try_from(self.pair(2)).map_err(|_| CprError::InvalidDate)?;
        let yy = i32::from(self.pair(4));
        let century = match (self.digits[6], yy) {
            (0..=3, _) => 1900,
            (4 | 9, 0..=36) => 2000,
            (4 | 9, _) => 1900,
            (5..=8, 0..=57) => 2000,
            (5..=8, _) => 1800,
            _ => return Err(CprError::InvalidDate),
        };
        Date::from_calendar_date(century + yy, month, day).map_err(|_| CprError::InvalidDate)
    }

    pub fn birth_date(&self) -> Date {
        // Parsing already proved the date exists.
        self.compute_birth_date().unwrap_or(Date::MIN)
    }

    /// Age in whole years on `today`.
    pub fn age_on(&self, today: Date) -> i32 {
        let born = self.birth_date();
        let mut age = today.year() - born.year();
        if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
            age -= 1;
        }
        age
    }

    /// The form shown to people: `DDMMYY-SSSS`.
    pub fn formatted(&self) -> String {
        let s: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{}-{}", &s[..6], &s[6..])
    }

    /// The ten digits without hyphen, as stored.
    pub fn compact(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Birth date part only, the rest masked: for lists where the full number is not needed.
    pub fn masked(&self) -> String {
        format!("{}-xxxx", &self.compact()[..6])
    }
}

impl fmt::Debug for Cpr {
    // Never print a full CPR number into logs by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
}

impl TryFrom<String> for Cpr {
    type Error = CprError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Cpr::parse(&value)
    }
}

impl From<Cpr> for String {
    fn from(value: Cpr) -> Self {
        value.compact()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_ordinary_number_with_and_without_hyphen() {
        let a = Cpr::parse("010203-1234").expect("valid");
        let b = Cpr::parse("0102031234").expect("valid");
        assert_eq!(a, b);
        assert_eq!(a.birth_date(), date!(1903 - 02 - 01));
        assert!(!a.is_replacement());
        assert_eq!(a.formatted(), "010203-1234");
    }

    #[test]
    fn century_follows_the_seventh_digit() {
        assert_eq!(
            Cpr::parse("0101904000").expect("ok").birth_date().year(),
            1990
        );
        assert_eq!(
            Cpr::parse("0101104000").expect("ok").birth_date().year(),
            2010
        );
        assert_eq!(
            Cpr::parse("0101605000").expect("ok").birth_date().year(),
            1860
        );
        assert_eq!(
            Cpr::parse("0101055000").expect("ok").birth_date().year(),
            2005
        );
        assert_eq!(
            Cpr::parse("0101509000").expect("ok").birth_date().year(),
            1950
        );
        assert_eq!(
            Cpr::parse("0101209000").expect("ok").birth_date().year(),
            2020
        );
    }

    #[test]
    fn replacement_numbers_add_sixty_to_the_day() {
        let cpr = Cpr::parse("710585-2345").expect("replacement number");
        assert!(cpr.is_replacement());
        assert_eq!(cpr.birth_date(), date!(1985 - 05 - 11));
        assert_eq!(
            Cpr::parse("9112851234").expect("day 31").birth_date().day(),
            31
        );
    }

    #[test]
    fn modulus_eleven_is_not_demanded() {
        // 0101901235 fails modulus 11; it is still a number the CPR office may issue.
        assert!(Cpr::parse("0101901235").is_ok());
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert_eq!(Cpr::parse("3202901234"), Err(CprError::InvalidDate));
        assert_eq!(Cpr::parse("3104901234"), Err(CprError::InvalidDate));
        assert_eq!(Cpr::parse("0113901234"), Err(CprError::InvalidDate));
        assert_eq!(Cpr::parse("0000901234"), Err(CprError::InvalidDate));
        assert_eq!(Cpr::parse("9202901234"), Err(CprError::InvalidDate));
        // 29 February exists only in leap years, also for replacement numbers.
        assert!(Cpr::parse("2902004234").is_ok());
        assert_eq!(Cpr::parse("2902001234"), Err(CprError::InvalidDate)); // 1900 was no leap year
        assert_eq!(Cpr::parse("2902011234"), Err(CprError::InvalidDate));
        assert!(Cpr::parse("8902004234").is_ok());
        assert_eq!(Cpr::parse("3260901234"), Err(CprError::InvalidDate));
    }

    #[test]
    fn wrong_length_and_letters_are_refused() {
        assert_eq!(Cpr::parse("010190123"), Err(CprError::WrongLength));
        assert_eq!(Cpr::parse("01019012345"), Err(CprError::WrongLength));
        assert_eq!(Cpr::parse(""), Err(CprError::WrongLength));
        assert_eq!(Cpr::parse("01019O1234"), Err(CprError::NotDigits));
        assert_eq!(Cpr::parse("abcdefghij"), Err(CprError::NotDigits));
        assert_eq!(Cpr::parse("010190 1234"), Err(CprError::NotDigits));
        assert_eq!(Cpr::parse("<script>"), Err(CprError::NotDigits));
    }

    #[test]
    fn debug_output_masks_the_number() {
        let cpr = Cpr::parse("0101901234").expect("valid");
        assert_eq!(format!("{cpr:?}"), "Cpr(010190-xxxx)");
    }

    #[test]
    fn age_is_whole_years() {
        let cpr = Cpr::parse("7105852345").expect("valid");
        assert_eq!(cpr.age_on(date!(2026 - 05 - 10)), 40);
        assert_eq!(cpr.age_on(date!(2026 - 05 - 11)), 41);
    }

    #[test]
    fn every_valid_day_round_trips() {
        // Exhaustive over one leap year and both numbering kinds.
        let mut d = date!(2000 - 01 - 01);
        while d.year() == 2000 {
            for offset in [0u8, 60] {
                let s = format!("{:02}{:02}{:02}4123", d.day() + offset, d.month() as u8, 0);
                let cpr = Cpr::parse(&s).expect("every real date parses");
                assert_eq!(cpr.birth_date(), d);
            }
            d = d.next_day().expect("in range");
        }
    }
}
