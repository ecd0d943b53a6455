//! Typst compilation to PDF. The engine (fonts, template) is built once; each document is a
//! fresh compilation with the document as input, and Typst's caches are evicted afterwards so
//! memory stays flat however many PDFs are made.

use crate::Document;
use std::sync::LazyLock;
use typst_as_lib::TypstEngine;

const TEMPLATE: &str = include_str!("../templates/document.typ");

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("typesetting failed: {0}")]
    Typeset(String),
    #[error("PDF export failed: {0}")]
    Export(String),
}

static ENGINE: LazyLock<TypstEngine> = LazyLock::new(|| {
    TypstEngine::builder()
        .fonts(typst_assets::fonts())
        .with_static_source_file_resolver([("document.typ", TEMPLATE)])
        .build()
});

/// Typesets `doc` as a tagged PDF/A-2b. CPU-bound (tens of milliseconds): call it from a
/// blocking thread in async code.
pub fn pdf(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_string(doc).map_err(|e| RenderError::Typeset(e.to_string()))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::Value::Str(data.into()));
    let compiled: typst_layout::PagedDocument = ENGINE
        .compile_with_input("document.typ", inputs)
        .output
        .map_err(|e| RenderError::Typeset(e.to_string()))?;
    let options = typst_pdf::PdfOptions {
        standards: typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
            .map_err(|e| RenderError::Export(e.message().to_string()))?,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&compiled, &options).map_err(|errors| {
        RenderError::Export(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
