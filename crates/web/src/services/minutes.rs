//! The minutes of a citizen's case: the snapshot the live view shows, and approval, which
//! freezes that snapshot so the minutes never change afterwards.

use crate::http::error::AppError;
use crate::ui::Chrome;
use bro_domain::meeting::{Attendance, CaseField};
use bro_domain::{CaseId, Timestamp};
use bro_store::{
    Agreement, AuditCtx, CaseRef, Conflict, DynStore, FieldValue, FrozenMinutes, Meeting,
    MeetingCase, Participant, Team,
};
use serde::{Deserialize, Serialize};

/// A snapshot of a case: what the live view shows and what approval freezes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseSnapshot {
    pub team: String,
    pub starts_ms: Timestamp,
    pub place: String,
    pub theme: String,
    pub citizen_name: String,
    pub citizen_attendance: Attendance,
    pub participants: Vec<(String, String, Attendance)>,
    /// (field code, its label's participant name for an input field, text).
    pub fields: Vec<(String, Option<String>, String)>,
    pub agreements: Vec<Agreement>,
    pub follow_up: Vec<Agreement>,
    /// The input fields whose text the meeting's leader wrote for their participant (marked
    /// so in the minutes); absent from minutes frozen before it was kept.
    #[serde(default)]
    pub noted_by_leader: Vec<String>,
}

impl CaseSnapshot {
    /// The fields in template order: the fixed ones, then each participant's input.
    pub fn build(
        team: &Team,
        meeting: &Meeting,
        case: &MeetingCase,
        participants: &[Participant],
        fields: &[FieldValue],
        agreements: Vec<Agreement>,
        follow_up: Vec<Agreement>,
    ) -> Self {
        let body = |code: &str| {
            fields
                .iter()
                .find(|f| f.field == code)
                .map(|f| f.body.clone())
                .unwrap_or_default()
        };
        let mut out: Vec<(String, Option<String>, String)> = CaseField::ALL
            .iter()
            .map(|f| (f.as_str().to_owned(), None, body(f.as_str())))
            .collect();
        let mut noted_by_leader = Vec::new();
        for p in participants {
            let code = bro_domain::meeting::input_field(p.user_id);
            let text = body(&code);
            // Only the participant and the leader write it: anyone else's text is the leader's.
            if fields
                .iter()
                .any(|f| f.field == code && f.updated_by_user_id != p.user_id)
            {
                noted_by_leader.push(code.clone());
            }
            out.push((code, Some(format!("{} ({})", p.name, p.org_name)), text));
        }
        CaseSnapshot {
            team: team.name.clone(),
            starts_ms: meeting.starts_ms,
            place: meeting.place.clone(),
            theme: meeting.theme.clone(),
            citizen_name: case.citizen_name.clone(),
            citizen_attendance: case.citizen_attendance,
            participants: participants
                .iter()
                .map(|p| (p.name.clone(), p.org_name.clone(), p.attendance))
                .collect(),
            fields: out,
            agreements,
            follow_up,
            noted_by_leader,
        }
    }

    pub fn label(&self, chrome: &Chrome, code: &str, who: &Option<String>) -> String {
        match who {
            Some(name) if self.noted_by_leader.iter().any(|c| c == code) => {
                chrome.t1("case-field-input-leader-note", "name", name)
            }
            Some(name) => chrome.t1("case-field-input", "name", name),
            None => chrome.t(&format!("case-field-{code}")),
        }
    }
}

/// The case as it stands (frozen minutes once approved), for the live view and approval.
pub(crate) async fn snapshot(
    store: &DynStore,
    ctx: &AuditCtx,
    r: &CaseRef,
    team: &Team,
    fields: Option<Vec<FieldValue>>,
) -> Result<CaseSnapshot, AppError> {
    if r.approved
        && let Some(frozen) = store.minutes(ctx, r.id).await?
    {
        return parse_frozen(&frozen);
    }
    let case = store.case(ctx, r.id).await?;
    let meeting = store.meeting(r.meeting_id).await?;
    let fields = match fields {
        Some(f) => f,
        None => store.case_fields(ctx, r.id).await?,
    };
    build(store, r, team, &case, &meeting, &fields).await
}

/// The snapshot of an open case from what the caller has read already.
pub(crate) async fn build(
    store: &DynStore,
    r: &CaseRef,
    team: &Team,
    case: &MeetingCase,
    meeting: &Meeting,
    fields: &[FieldValue],
) -> Result<CaseSnapshot, AppError> {
    let participants = store.participants(r.meeting_id).await?;
    let agreements = store.agreements_of_case(r.id).await?;
    let follow_up = store.open_agreements(r.id).await?;
    Ok(CaseSnapshot::build(
        team,
        meeting,
        case,
        &participants,
        fields,
        agreements,
        follow_up,
    ))
}

pub(crate) fn parse_frozen(frozen: &FrozenMinutes) -> Result<CaseSnapshot, AppError> {
    serde_json::from_str(&frozen.body)
        .map_err(|_| AppError::Internal("frozen minutes unreadable".into()))
}

/// Approves a case's minutes: freezes them as they stand now and queues their delivery.
pub(crate) async fn freeze(store: &DynStore, ctx: &AuditCtx, case: CaseId) -> Result<(), AppError> {
    let r = store.case_ref(case).await?;
    if r.approved {
        return Err(AppError::Conflict(Conflict::Approved));
    }
    let team = store.team(r.team_id).await?;
    let snap = snapshot(store, ctx, &r, &team, None).await?;
    let body = serde_json::to_string(&snap)
        .map_err(|_| AppError::Internal("minutes not serialisable".into()))?;
    Ok(store.approve_case(ctx, case, &body).await?)
}
