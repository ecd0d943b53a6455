//! Walking a FHIR JSON resource with the path of each element at hand, so that every error
//! names the element it is about.

use crate::error::{ParseError, Problem};
use bro_domain::Timestamp;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A JSON value and its FHIR path.
#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub(crate) value: &'a Value,
    pub(crate) path: String,
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value, path: &str) -> Self {
        Node {
            value,
            path: path.to_owned(),
        }
    }

    fn err(&self, problem: Problem) -> ParseError {
        ParseError::new(self.path.clone(), problem)
    }

    /// The element `key`, if present (JSON null counts as absent).
    pub(crate) fn opt(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node {
                value,
                path: format!("{}.{key}", self.path),
            }),
        }
    }

    /// The element `key`, which must be present.
    pub(crate) fn get(&self, key: &str) -> Result<Node<'a>, ParseError> {
        self.opt(key)
            .ok_or_else(|| ParseError::new(format!("{}.{key}", self.path), Problem::Missing))
    }

    pub(crate) fn str(&self) -> Result<&'a str, ParseError> {
        self.value.as_str().ok_or_else(|| {
            self.err(Problem::WrongType {
                expected: "a string",
            })
        })
    }

    /// The elements of an array.
    pub(crate) fn items(&self) -> Result<Vec<Node<'a>>, ParseError> {
        let items = self.value.as_array().ok_or_else(|| {
            self.err(Problem::WrongType {
                expected: "an array",
            })
        })?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(k, value)| Node {
                value,
                path: format!("{}[{k}]", self.path),
            })
            .collect())
    }

    /// The elements of an optional array: none when absent.
    pub(crate) fn opt_items(&self, key: &str) -> Result<Vec<Node<'a>>, ParseError> {
        self.opt(key).map_or(Ok(Vec::new()), |n| n.items())
    }

    /// The first element of a required, non-empty array.
    pub(crate) fn first(&self, key: &str) -> Result<Node<'a>, ParseError> {
        let node = self.get(key)?;
        node.items()?
            .into_iter()
            .next()
            .ok_or_else(|| node.err(Problem::Missing))
    }

    /// A FHIR id: `[A-Za-z0-9\-\.]{1,64}`.
    pub(crate) fn id(&self) -> Result<&'a str, ParseError> {
        let id = self.str()?;
        if is_fhir_id(id) {
            Ok(id)
        } else {
            Err(self.err(Problem::BadId))
        }
    }

    /// A FHIR dateTime with a time and a zone, as milliseconds since the epoch.
    pub(crate) fn instant(&self) -> Result<Timestamp, ParseError> {
        let text = self.str()?;
        let at =
            OffsetDateTime::parse(text, &Rfc3339).map_err(|_| self.err(Problem::BadDateTime))?;
        Ok((at.unix_timestamp_nanos() / 1_000_000) as Timestamp)
    }
}

pub(crate) fn is_fhir_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}
