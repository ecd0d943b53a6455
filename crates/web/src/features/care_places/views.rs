//! The care place unit's page.

use crate::ui::Chrome;
use askama::Template;
use bro_store::Bed;

/// One day's occupancy in words.
pub(super) struct DayRow {
    pub(super) day: String,
    /// "2 af 4 senge i brug".
    pub(super) text: String,
    pub(super) today: bool,
}

/// A stay in the unit's lists.
pub(super) struct StayRow {
    pub(super) referral_id: i64,
    pub(super) citizen: String,
    pub(super) bed: String,
    pub(super) start: String,
    pub(super) end: String,
    /// Its fortnightly review is overdue.
    pub(super) missed: bool,
}

#[derive(Template)]
#[template(path = "care_places/unit.html")]
pub(super) struct UnitPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) error: Option<String>,
    pub(super) unit: String,
    /// The longest stay the unit allows, in days.
    pub(super) max_days: i64,
    pub(super) beds: Vec<Bed>,
    /// (bed, from, to, reason) of closures from today on.
    pub(super) closures: Vec<(String, String, String, String)>,
    pub(super) leader: bool,
    pub(super) days: Vec<DayRow>,
    /// Booked, not yet arrived: who waits for which start.
    pub(super) waiting: Vec<StayRow>,
    pub(super) staying: Vec<StayRow>,
    /// The unit's fixed attendance times at drop-in centres, in words.
    pub(super) attendance: Vec<String>,
    /// Drop-in centres of the unit's area, for a new attendance time: id and name.
    pub(super) drop_ins: Vec<(i64, String)>,
    pub(super) weekdays: Vec<(u8, String)>,
    pub(super) reviews: ReviewSection,
}

/// Where the unit reviews its stays, and the next review meeting's agenda.
pub(super) struct ReviewSection {
    /// The series whose meetings are the reviews: its team's id, its name, its id.
    pub(super) series: Option<(i64, String, i64)>,
    /// The next review meeting: id and day in words.
    pub(super) meeting: Option<(i64, String)>,
    /// The stays under way on that day.
    pub(super) agenda: Vec<StayRow>,
    /// The series of the unit's organisation's teams, for the function leader to choose from.
    pub(super) choices: Vec<(i64, String)>,
}
