//! Printable output. Today: PDF documents typeset by Typst, with fonts embedded in the binary
//! (never fetched at run time) so Danish characters come out right on every machine.
//!
//! Callers describe a document as translated headings, paragraphs and labelled fields
//! ([`Document`]); one Typst template lays every document out the same way. Text reaches Typst
//! as JSON data, never as markup, so nothing a user typed can change the layout.

mod document;
mod pdf;

pub use document::{Document, Field, Item, Section};
pub use pdf::{RenderError, pdf};
