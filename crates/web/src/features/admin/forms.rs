//! What the collaboration form takes.

use crate::http::forms::form_pairs;
use bro_domain::CollaborationId;

/// What the page's forms hold after a refused save, so nothing typed is lost.
#[derive(Default)]
pub(super) struct CollaborationForm {
    pub(super) name: String,
    pub(super) partners: Vec<i64>,
    pub(super) phases: String,
    /// The collaboration whose phases were being changed, if that was the refused form.
    pub(super) editing: Option<CollaborationId>,
}

impl CollaborationForm {
    pub(super) fn parse(body: &[u8]) -> Self {
        let mut f = CollaborationForm::default();
        for (k, v) in form_pairs(body) {
            match k.as_str() {
                "name" => f.name = v,
                "partners" => f.partners.extend(v.parse::<i64>().ok()),
                "phases" => f.phases = v,
                _ => {}
            }
        }
        f
    }
}
