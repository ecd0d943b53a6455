//! CSV for Danish spreadsheets: UTF-8 with a byte-order mark (so Excel reads æøå right) and
//! semicolons between fields (Danish Excel's list separator, as the comma is the decimal mark).
//! A cell that a spreadsheet would run as a formula is written as text (OWASP's rule), here in
//! the writer itself, so that every export is safe whoever fills its cells.

/// A header row and data rows as one CSV file.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(header.iter().map(|c| as_text(c)))?;
        for row in rows {
            w.write_record(row.iter().map(|c| as_text(c)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet shows it instead of evaluating it.
fn as_text(cell: &str) -> std::borrow::Cow<'_, [u8]> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into_bytes().into(),
        _ => cell.as_bytes().into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn danish_excel_reads_it_as_written() {
        let header = vec!["Hvem".to_owned(), "Hvad".to_owned()];
        let rows = vec![vec![
            "Søren; \"Læge\"".to_owned(),
            "Din plan\nlæst".to_owned(),
        ]];
        let bytes = super::csv(&header, &rows).expect("csv");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(
            text,
            "\u{feff}Hvem;Hvad\r\n\"Søren; \"\"Læge\"\"\";\"Din plan\nlæst\"\r\n"
        );
    }

    #[test]
    fn a_formula_is_written_as_text() {
        let header = vec!["=Hvem".to_owned()];
        let rows: Vec<Vec<String>> = [
            "=HYPERLINK(\"x\")",
            "+45",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "Søren",
        ]
        .iter()
        .map(|c| vec![(*c).to_owned()])
        .collect();
        let bytes = super::csv(&header, &rows).expect("csv");
        let text = String::from_utf8(bytes).expect("utf-8");
        let cells: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            cells,
            [
                "'=Hvem",
                "\"'=HYPERLINK(\"\"x\"\")\"",
                "'+45",
                "'-1",
                "'@SUM(A1)",
                "'\tx",
                "\"'\rx\"",
                "Søren",
                ""
            ]
        );
    }
}
