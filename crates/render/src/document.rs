//! The shape of a printable document: already translated, already formatted.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// BCP 47 language of the text (`da`, `en`): hyphenation and the PDF's language tag.
    pub lang: &'static str,
    pub title: String,
    /// The day the document was made, `[year, month, day]`: the PDF's date.
    pub date: [u16; 3],
    /// Lines under the title: whom the document is about, version, date.
    pub subtitle: Vec<String>,
    /// Printed at the foot of every page, before the page number.
    pub footer: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Item>,
}

/// One entry of a section: an optional heading, an optional paragraph, labelled fields.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Item {
    pub heading: Option<String>,
    pub text: Option<String>,
    /// Printed as a quotation: someone's own words, kept exactly as written.
    pub quote: bool,
    pub fields: Vec<Field>,
    pub table: Option<Table>,
}

/// A table with a header row; every row has as many cells as the header.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

impl Item {
    pub fn text(text: impl Into<String>) -> Self {
        Item {
            text: Some(text.into()),
            ..Item::default()
        }
    }

    /// Adds a field unless its value is empty: a printed plan shows what is there.
    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.trim().is_empty() {
            self.fields.push(Field {
                label: label.into(),
                value,
            });
        }
        self
    }
}
