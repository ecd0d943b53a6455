//! Why a message was refused: which element, and what is wrong with it. No value from the
//! message is repeated, only codes of MedCom's own code systems, so an error can be logged and
//! sent back without personal data.

use std::fmt;

/// What is wrong with an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The message is larger than [`crate::MAX_BYTES`].
    TooLarge {
        limit: usize,
    },
    /// Not JSON at all; where the reader gave up.
    NotJson {
        line: usize,
        column: usize,
    },
    /// JSON, but not a HospitalNotification message Bundle.
    NotHospitalNotification,
    Missing,
    /// Present but of the wrong JSON type (`expected` names the right one).
    WrongType {
        expected: &'static str,
    },
    /// Not a FHIR id (`[A-Za-z0-9\-\.]{1,64}`).
    BadId,
    /// Not a FHIR dateTime with a time and a zone.
    BadDateTime,
    /// A code outside the value set the IG binds (the code itself is shown).
    UnknownCode {
        code: String,
    },
    /// A reference to a resource the Bundle does not hold.
    Unresolved,
    /// A period that ends before it starts.
    EndsBeforeStart,
    /// The element disagrees with the message's activity (MedCom's table), e.g. a discharge
    /// whose encounter is not finished.
    DisagreesWithActivity {
        activity: &'static str,
    },
    /// More than the IG allows (e.g. two Patients).
    TooMany,
}

/// A message that is not valid: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The element, as a FHIR path from the Bundle (e.g. `Encounter.period.start`).
    pub element: String,
    pub problem: Problem,
}

impl ParseError {
    /// An unknown code, shown only when it looks like a code (letters and dashes, short): what
    /// a sender put in a code element must not carry personal data into a log.
    pub(crate) fn unknown_code(element: impl Into<String>, code: &str) -> Self {
        let looks_like_code = code.len() <= 40
            && code
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_');
        let code = if looks_like_code { code } else { "…" };
        ParseError::new(
            element,
            Problem::UnknownCode {
                code: code.to_owned(),
            },
        )
    }

    pub(crate) fn new(element: impl Into<String>, problem: Problem) -> Self {
        ParseError {
            element: element.into(),
            problem,
        }
    }

    /// The MedCom acknowledgement error code that fits the problem best.
    pub fn ack_code(&self) -> &'static str {
        match self.problem {
            Problem::UnknownCode { .. } => "MSG_VALUESET_VALUE_UNKNOWN",
            Problem::WrongType { .. } | Problem::BadId | Problem::BadDateTime => {
                "MSG_Datatype_Wrong"
            }
            Problem::TooLarge { .. } => "MSG_Element_To_Long",
            Problem::NotHospitalNotification => "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE",
            _ => "MSG_Damaged_durin_transport",
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.element;
        match &self.problem {
            Problem::TooLarge { limit } => write!(f, "the message is larger than {limit} bytes"),
            Problem::NotJson { line, column } => {
                write!(f, "not JSON (line {line}, column {column})")
            }
            Problem::NotHospitalNotification => {
                write!(f, "{e}: not a MedCom HospitalNotification message")
            }
            Problem::Missing => write!(f, "{e} is missing"),
            Problem::WrongType { expected } => write!(f, "{e} must be {expected}"),
            Problem::BadId => write!(f, "{e} is not a FHIR id"),
            Problem::BadDateTime => {
                write!(f, "{e} is not a date and time with a time zone")
            }
            Problem::UnknownCode { code } => write!(f, "{e}: unknown code '{code}'"),
            Problem::Unresolved => write!(f, "{e} refers to a resource not in the Bundle"),
            Problem::EndsBeforeStart => write!(f, "{e} ends before it starts"),
            Problem::DisagreesWithActivity { activity } => {
                write!(f, "{e} does not fit the activity '{activity}'")
            }
            Problem::TooMany => write!(f, "{e} occurs more often than allowed"),
        }
    }
}

impl std::error::Error for ParseError {}
