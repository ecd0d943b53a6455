//! The notices page.

use crate::ui::Chrome;
use askama::Template;

/// One notice in plain words, with where it leads.
pub(super) struct NoticeRow {
    pub(super) time: String,
    pub(super) text: String,
    pub(super) href: Option<String>,
    pub(super) unread: bool,
}

#[derive(Template)]
#[template(path = "notices/notices.html")]
pub(super) struct NoticesPage {
    pub(super) chrome: Chrome,
    pub(super) flash: Option<String>,
    pub(super) notices: Vec<NoticeRow>,
    /// The newest notice's id, which "mark all read" covers.
    pub(super) newest: i64,
    pub(super) unread: usize,
}
