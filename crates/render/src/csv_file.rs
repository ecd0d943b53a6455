//! CSV for Danish spreadsheets: UTF-8 with a byte-order mark (so Excel reads æøå right) and
//! semicolons between fields (Danish Excel's list separator, as the comma is the decimal mark).

/// A header row and data rows as one CSV file.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row)?;
        }
        w.flush()?;
    }
    Ok(out)
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
}
