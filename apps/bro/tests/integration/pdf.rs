//! The typesetter on its own: Danish text comes out as written, and typed markup is printed,
//! never evaluated.

use bro_render::{Document, Item, Section, pdf};
use bro_testkit::pdf_text;

fn doc(text: &str) -> Document {
    Document {
        lang: "da",
        title: "Plan for Åse Ørnebjerg".into(),
        date: [2026, 11, 25],
        subtitle: vec!["Version 3 · udskrevet 25.11.2026".into()],
        footer: "Bro".into(),
        sections: vec![Section {
            heading: "Mine mål".into(),
            items: vec![
                Item {
                    quote: true,
                    ..Item::text(text)
                },
                Item::default()
                    .field("Ansvarlig", "Holstebro Kommune")
                    .field("Tom", "  "),
            ],
        }],
    }
}

#[test]
fn danish_text_survives_typesetting() {
    let text =
        pdf_text(&pdf(&doc("Jeg vil have min egen lejlighed og passe på mig selv")).expect("pdf"));
    assert!(text.contains("Plan for Åse Ørnebjerg"), "{text}");
    assert!(
        text.contains("Jeg vil have min egen lejlighed og passe på mig selv"),
        "{text}"
    );
    assert!(text.contains("Holstebro Kommune"), "{text}");
    assert!(!text.contains("Tom"), "empty fields are left out: {text}");
    assert!(text.contains("1/1"), "page numbers: {text}");
}

#[test]
fn typed_markup_is_printed_not_evaluated() {
    let hostile = "#panic(\"x\") *fed* ] [ $x$ <b> \\ \" // ikke en kommentar";
    let text = pdf_text(&pdf(&doc(hostile)).expect("pdf"));
    assert!(text.contains("#panic(\"x\") *fed* ] [ $x$ <b>"), "{text}");
    assert!(text.contains("// ikke en kommentar"), "{text}");
}
