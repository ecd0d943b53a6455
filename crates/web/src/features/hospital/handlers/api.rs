//! `POST /api/medcom/hospital-notifications`: a message broker delivers one MedCom
//! HospitalNotification Bundle, authenticated by its client token, and gets MedCom's
//! Acknowledgement back: `ok` (received, also when no citizen has the CPR number yet, or when
//! the message came before and changed nothing) or `fatal-error` with the reason, which is
//! also what Bro keeps beside the rejected message.

use super::ack::{Answer, organisation, respond};
use crate::access::ClientScope;
use crate::services::hospital_intake::{Intake, receive as intake};
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bro_medcom::AckCode;
use bro_store::{Channel, Receipt, StoreError};

/// The most Bro reads of a request. A message over the parser's limit but under this one is
/// read, refused with its reason and kept as rejected; anything larger is refused unread.
const READ_LIMIT: usize = 4 * bro_medcom::MAX_BYTES;

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match answer(&state, &headers, body).await {
        Ok(res) => res,
        Err(e) => {
            // The database is down or failing: the broker keeps the message and tries again.
            tracing::error!(error = %e, "hospital message not received");
            let mut res = (StatusCode::SERVICE_UNAVAILABLE, "transient-error").into_response();
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            res
        }
    }
}

async fn answer(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, StoreError> {
    let Some(ClientScope { client }) = ClientScope::of_request(state, headers).await? else {
        let mut res = StatusCode::UNAUTHORIZED.into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Ok(res);
    };
    let from = organisation(state, client.org).await?;
    let Ok(bytes) = to_bytes(body, READ_LIMIT).await else {
        let issue = (
            "MSG_Element_To_Long",
            format!("the message is larger than {READ_LIMIT} bytes"),
        );
        let answer = Answer {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: AckCode::FatalError,
            issue: Some(issue),
            to: None,
        };
        return Ok(respond(state, &from, &[], answer));
    };
    let received = intake(
        &state.store,
        state.clock.now_ms(),
        Intake {
            channel: Channel::Api,
            org: Some(client.org),
            client: Some(client.id),
            bytes: &bytes,
        },
    )
    .await?;
    let (status, code, issue) = match &received.receipt {
        Receipt::Accepted { .. } | Receipt::Unmatched { .. } => (StatusCode::OK, AckCode::Ok, None),
        Receipt::Duplicate => (
            StatusCode::OK,
            AckCode::Ok,
            Some((
                "MSG_DUPLICATE_ID",
                "duplicate: received before, nothing changed".to_owned(),
            )),
        ),
        Receipt::Rejected { reason } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            AckCode::FatalError,
            Some((
                received.error_code.unwrap_or("MSG_Damaged_durin_transport"),
                reason.clone(),
            )),
        ),
    };
    let answer = Answer {
        status,
        code,
        issue,
        to: received.sender.as_ref(),
    };
    Ok(respond(state, &from, &bytes, answer))
}
