//! What the series form takes.

/// What the team page's forms hold after a refused save.
#[derive(Default)]
pub(super) struct SeriesForm {
    pub(super) title: String,
    pub(super) first_date: String,
    pub(super) start: String,
    pub(super) minutes: String,
    pub(super) every_weeks: String,
    pub(super) until: String,
    pub(super) place: String,
    pub(super) video_link: String,
}
