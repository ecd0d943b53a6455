//! Printable and exportable output: PDF documents typeset by Typst, with fonts embedded in the
//! binary (never fetched at run time) so Danish characters come out right on every machine;
//! CSV files that Danish Excel opens as they are; and iCalendar files calendar programs
//! subscribe to.
//!
//! Callers describe a document as translated headings, paragraphs and labelled fields
//! ([`Document`]); one Typst template lays every document out the same way. Text reaches Typst
//! as JSON data, never as markup, so nothing a user typed can change the layout.

mod csv_file;
mod document;
mod ical;
mod pdf;

pub use csv_file::csv;
pub use document::{Document, Field, Item, Section, Table};
pub use ical::{CalendarEvent, calendar};
pub use pdf::{RenderError, pdf};
