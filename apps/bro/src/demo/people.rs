//! The demo's synthetic people: names, addresses, and replacement CPR numbers (day of month
//! + 60), so no real person's number appears.

use bro_domain::{Cpr, Name};
use bro_store::NewCitizen;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

pub(super) const GIVEN: &[&str] = &[
    "Anders",
    "Birgit",
    "Camilla",
    "Dorte",
    "Emil",
    "Frederik",
    "Gitte",
    "Henrik",
    "Ida",
    "Jakob",
    "Kirsten",
    "Lone",
    "Mads",
    "Nanna",
    "Ole",
    "Pia",
    "Rasmus",
    "Sofie",
    "Torben",
    "Ulla",
    "Vibeke",
    "Anja",
    "Bo",
    "Christian",
    "Ditte",
    "Esben",
    "Freja",
    "Gustav",
    "Helle",
    "Jonas",
    "Karina",
    "Lasse",
    "Maja",
    "Niels",
    "Oliver",
    "Rikke",
    "Simon",
    "Tina",
    "Anne-Mette",
    "Søren",
    "Bjørn",
    "Åse",
    "Jørgen",
    "Mathilde",
    "Laura",
    "Mikkel",
    "Kasper",
    "Line",
];
pub(super) const FAMILY: &[&str] = &[
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Kjær",
    "Lund",
    "Bach",
    "Holm",
    "Vestergaard",
    "Dahl",
    "Bjerre",
    "Nørgaard",
    "Skov",
    "Østergaard",
    "Kirkegaard",
    "Højgaard",
];
pub(super) const STREETS: &[&str] = &[
    "Nørregade",
    "Søndergade",
    "Vestergade",
    "Østergade",
    "Skolegade",
    "Kirkevej",
    "Stationsvej",
    "Engvej",
    "Fjordvej",
    "Lærkevej",
    "Birkevej",
    "Ringkøbingvej",
    "Herningvej",
    "Struervej",
    "Bøgevej",
    "Møllevej",
];
pub(super) const TOWNS: &[(&str, &str)] = &[
    ("7500", "Holstebro"),
    ("7500", "Holstebro"),
    ("7500", "Holstebro"),
    ("7830", "Vinderup"),
    ("7570", "Vemb"),
    ("6950", "Ringkøbing"),
    ("6900", "Skjern"),
    ("6880", "Tarm"),
    ("6960", "Hvide Sande"),
    ("6990", "Ulfborg"),
];

pub(super) fn name(s: &str) -> Result<Name, String> {
    Name::parse(s).map_err(|e| format!("demo name {s:?}: {e}"))
}

/// A CPR replacement number born between 1950 and 2008, with the century digit that fits.
pub(super) fn replacement_cpr(rng: &mut StdRng) -> Cpr {
    loop {
        let year: i32 = rng.gen_range(1950..=2008);
        let month: u8 = rng.gen_range(1..=12);
        let day: u8 = rng.gen_range(1..=28);
        let yy = year % 100;
        // 1900s: first sequence digit 0-3; 2000-2036: 4 or 9.
        let first = if year < 2000 { rng.gen_range(0..=3) } else { 4 };
        let rest: u16 = rng.gen_range(0..1000);
        let s = format!("{:02}{:02}{:02}{first}{rest:03}", day + 60, month, yy);
        if let Ok(cpr) = Cpr::parse(&s) {
            return cpr;
        }
    }
}

/// Synthetic citizens, the same every time (fixed seed).
pub fn citizens(n: usize) -> Result<Vec<NewCitizen>, String> {
    let mut rng = StdRng::seed_from_u64(2026);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let cpr = replacement_cpr(&mut rng);
        if !seen.insert(cpr.compact()) {
            continue;
        }
        let given = GIVEN.choose(&mut rng).copied().unwrap_or("Anders");
        let family = FAMILY.choose(&mut rng).copied().unwrap_or("Nielsen");
        let street = STREETS.choose(&mut rng).copied().unwrap_or("Nørregade");
        let (postal, town) = TOWNS
            .choose(&mut rng)
            .copied()
            .unwrap_or(("7500", "Holstebro"));
        out.push(NewCitizen {
            cpr,
            given_name: name(given)?,
            family_name: name(family)?,
            address: format!("{street} {}", rng.gen_range(1..120)),
            postal_code: postal.to_owned(),
            city: town.to_owned(),
        });
    }
    Ok(out)
}
