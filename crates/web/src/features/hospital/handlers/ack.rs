//! The answer to a delivered message: MedCom's Acknowledgement Bundle, `ok` or an error with
//! its reason, referring to the message received, sent from the receiving organisation.

use crate::services::hospital_intake::fresh_id;
use crate::state::AppState;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bro_domain::OrgId;
use bro_medcom::{AckCode, Acknowledgement, Organization};
use bro_store::StoreResult;

const FHIR_JSON: &str = "application/fhir+json; charset=utf-8";

/// What the answer says, beside the message it answers.
pub(super) struct Answer<'a> {
    pub(super) status: StatusCode,
    pub(super) code: AckCode,
    /// The error (or, with `ok`, informational) code and its text.
    pub(super) issue: Option<(&'a str, String)>,
    /// The message's sender, when it could be read.
    pub(super) to: Option<&'a Organization>,
}

/// The receiving organisation as the answer names it.
pub(super) async fn organisation(state: &AppState, org: OrgId) -> StoreResult<Organization> {
    Ok(Organization {
        sor: state.store.sor_of(org).await?,
        gln: None,
        name: Some(state.store.organisation(org).await?.name),
    })
}

/// The Acknowledgement of `original` as an HTTP response.
pub(super) fn respond(
    state: &AppState,
    from: &Organization,
    original: &[u8],
    answer: Answer<'_>,
) -> Response {
    let ids = [fresh_id(), fresh_id(), fresh_id(), fresh_id()];
    let ack = Acknowledgement {
        ids: [&ids[0], &ids[1], &ids[2], &ids[3]],
        at: state.clock.now_ms(),
        original,
        code: answer.code,
        issue: answer.issue,
        from,
        to: answer.to,
    };
    (
        answer.status,
        [(header::CONTENT_TYPE, FHIR_JSON)],
        ack.to_json(),
    )
        .into_response()
}
