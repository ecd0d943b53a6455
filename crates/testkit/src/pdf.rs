//! Reading a PDF's text the way a reader does, with poppler's `pdftotext` (scripts/test
//! installs poppler-utils), so tests check what a person would see, not how it is encoded.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext runs (Debian package poppler-utils; scripts/test installs it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pdf)
        .expect("PDF written to pdftotext");
    let out = child.wait_with_output().expect("pdftotext output");
    assert!(out.status.success(), "pdftotext could not read the PDF");
    String::from_utf8(out.stdout).expect("UTF-8 text")
}
