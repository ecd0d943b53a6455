//! The coordinated plan of a course: the team's page, version history with comparison, and
//! safe concurrent editing. Adding a goal or an intervention never overwrites anyone; changing
//! the crisis plan or the review date on top of someone else's newer change is refused, with
//! their change shown and what was typed kept.

use super::courses::{course_access, read_permission};
use super::viewer_chrome as chrome;
use crate::AppState;
use crate::audited::AuditedAccess;
use crate::csrf::CsrfToken;
use crate::error::AppError;
use crate::forms::{Flash, redirect_with_flash};
use crate::views::pages::{DiffRow, PlanHistoryView, PlanView, PlanWithheldView, VersionRow};
use crate::views::plan_document::{self, PrintedPlan};
use crate::views::{Chrome, FormErrors};
use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use bro_authz::{Permission, Sharing};
use bro_domain::plan::{
    self, Authority, CrisisPlan, DiffLine, GoalOwner, Intervention, InterventionStatus, LifeArea,
    PlanContent, PlanError, PlanKind, Section,
};
use bro_domain::{CourseId, ShareCategory};
use bro_store::{AuditCtx, Conflict, CourseAccess, PlanVersion, StoreError};
use serde::Deserialize;

/// A plan's review is at most six months ahead (KIP guideline; issue text).
const MAX_REVIEW_DAYS: i64 = 183;

/// How the viewer's organisation stands to this course's plan and crisis plan: the facts for
/// `authz`, from one load of what grants it access, without reading the information itself.
#[derive(Clone, Copy)]
pub(super) struct PlanSharing {
    plan: Sharing,
    crisis: Sharing,
}

pub(super) async fn plan_sharing(
    state: &AppState,
    access: &AuditedAccess,
    a: &CourseAccess,
) -> Result<PlanSharing, AppError> {
    let Some(org) = access.viewer.active_role().map(|r| r.org_id) else {
        return Ok(PlanSharing {
            plan: Sharing::NotShared,
            crisis: Sharing::NotShared,
        });
    };
    let grants = if a.membership.is_none() || a.holder_org == Some(org) {
        bro_domain::consent::Grants::default()
    } else {
        state
            .store
            .grants(a.citizen_id, org, state.clock.now_ms())
            .await?
    };
    let of = |category| bro_authz::sharing(org, a.holder_org, category, &grants);
    Ok(PlanSharing {
        plan: of(ShareCategory::Plan),
        crisis: of(ShareCategory::CrisisPlan),
    })
}

impl PlanSharing {
    /// Reading the plan or the crisis plan.
    pub(super) fn read(self, a: &CourseAccess, category: ShareCategory) -> Permission {
        Permission::ReadShared {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            category,
            sharing: match category {
                ShareCategory::CrisisPlan => self.crisis,
                _ => self.plan,
            },
            emergency: a.emergency,
        }
    }

    /// Writing in the plan: a team member whose organisation may see the plan.
    pub(super) fn edit(self, a: &CourseAccess) -> Permission {
        Permission::EditPlan {
            course: a.course_id,
            citizen: a.citizen_id,
            member: a.membership.is_some(),
            sharing: self.plan,
        }
    }
}

/// Whether the crisis plan is shared with the viewer; a refusal is recorded.
async fn crisis_shared(
    state: &AppState,
    access: &AuditedAccess,
    a: &CourseAccess,
    sharing: PlanSharing,
) -> Result<bool, AppError> {
    let permission = sharing.read(a, ShareCategory::CrisisPlan);
    Ok(access.check(state, permission).await?.is_some())
}

/// The fields of every plan form, as typed; kept on screen when a save is refused.
#[derive(Default, Deserialize, Clone)]
pub struct PlanForm {
    #[serde(default)]
    pub base_version: i64,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub life_area: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub goal_ids: Vec<String>,
    #[serde(default)]
    pub responsible_org: String,
    #[serde(default)]
    pub responsible_person: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub warning_signs: String,
    #[serde(default)]
    pub what_helps: String,
    #[serde(default)]
    pub what_does_not_help: String,
    #[serde(default)]
    pub contacts: String,
    #[serde(default)]
    pub medication: String,
    #[serde(default)]
    pub wishes: String,
    #[serde(default)]
    pub review_date: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub who: String,
    #[serde(default)]
    pub limits: String,
    #[serde(default)]
    pub escalation: String,
    #[serde(default)]
    pub response_time: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub note: String,
}

impl PlanForm {
    /// Parses a url-encoded body; repeated keys (`goal_ids`) collect into a list.
    pub(crate) fn parse(body: &[u8]) -> PlanForm {
        let mut f = PlanForm::default();
        for (k, v) in crate::forms::form_pairs(body) {
            let v = v.clone();
            match k.as_str() {
                "base_version" => f.base_version = v.parse().unwrap_or(-1),
                "text" => f.text = v,
                "owner" => f.owner = v,
                "life_area" => f.life_area = v,
                "target_date" => f.target_date = v,
                "title" => f.title = v,
                "goal_ids" => f.goal_ids.push(v),
                "responsible_org" => f.responsible_org = v,
                "responsible_person" => f.responsible_person = v,
                "legal_basis" => f.legal_basis = v,
                "frequency" => f.frequency = v,
                "start" => f.start = v,
                "end" => f.end = v,
                "status" => f.status = v,
                "next_step" => f.next_step = v,
                "warning_signs" => f.warning_signs = v,
                "what_helps" => f.what_helps = v,
                "what_does_not_help" => f.what_does_not_help = v,
                "contacts" => f.contacts = v,
                "medication" => f.medication = v,
                "wishes" => f.wishes = v,
                "review_date" => f.review_date = v,
                "decision" => f.decision = v,
                "who" => f.who = v,
                "limits" => f.limits = v,
                "escalation" => f.escalation = v,
                "response_time" => f.response_time = v,
                "kind" => f.kind = v,
                "complete" => f.complete = v == "1",
                "note" => f.note = v,
                _ => {}
            }
        }
        f
    }
}

/// Someone else's newer change to the section one tried to save.
pub struct ConflictInfo {
    pub author: String,
    pub time: String,
}

/// What the plan page shows besides the plan: a message, the forms as typed, errors, a conflict.
#[derive(Default)]
struct PageState {
    flash: Option<String>,
    form: PlanForm,
    errors: FormErrors,
    conflict: Option<ConflictInfo>,
    status: Option<StatusCode>,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &AuditCtx,
    access: &AuditedAccess,
    a: &CourseAccess,
    sharing: PlanSharing,
    page: PageState,
) -> Result<Response, AppError> {
    let course = state.store.course(ctx, a.course_id).await?;
    let crisis_withheld = !crisis_shared(state, access, a, sharing).await?;
    let mut current = state.store.plan(ctx, a.course_id).await?;
    if crisis_withheld && let Some(p) = current.as_mut() {
        p.content.crisis = CrisisPlan::default();
    }
    let today = crate::views::danish_date(state.clock.now_ms());
    let (version, author, at, content) = match current {
        Some(p) => (
            p.version,
            p.author_name.unwrap_or_default(),
            crate::views::local_time(p.at_ms),
            p.content,
        ),
        None => (0, String::new(), String::new(), PlanContent::default()),
    };
    let review_overdue = content
        .review_date
        .as_deref()
        .and_then(|d| plan::parse_day(d).ok())
        .is_none_or(|d| d < today);
    // Emergency access reads; only the team writes.
    let editable = course.closed_ms.is_none() && a.membership.is_some();
    let PageState {
        flash,
        form,
        errors,
        conflict,
        status,
    } = page;
    // A refused crisis-plan save keeps what was typed; otherwise the form shows the plan.
    let crisis_form = if conflict.is_some() || !errors.is_empty() {
        form.clone()
    } else {
        crisis_as_form(&content.crisis, &content)
    };
    let view = PlanView {
        flash,
        emergency: a.emergency,
        crisis_withheld,
        course,
        version,
        author,
        at,
        review_overdue,
        editable,
        life_areas: LifeArea::ALL,
        statuses: InterventionStatus::ALL,
        kinds: PlanKind::ALL,
        errors,
        conflict,
        form,
        crisis_form,
        comments: state.store.plan_comments(a.course_id).await?,
        content,
        chrome,
    };
    Ok((status.unwrap_or(StatusCode::OK), Html(view.render()?)).into_response())
}

fn crisis_as_form(c: &CrisisPlan, content: &PlanContent) -> PlanForm {
    PlanForm {
        warning_signs: c.warning_signs.clone(),
        what_helps: c.what_helps.clone(),
        what_does_not_help: c.what_does_not_help.clone(),
        contacts: c.contacts.clone(),
        medication: c.medication.clone(),
        wishes: c.wishes.clone(),
        review_date: content.review_date.clone().unwrap_or_default(),
        ..PlanForm::default()
    }
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    flash: Flash,
    access: AuditedAccess,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let team = access.authorize(&state, read_permission(&a)).await?;
    let chrome = chrome(&state, &headers, csrf, "/courses", &access);
    let flash = flash.text(&chrome);
    let sharing = plan_sharing(&state, &access, &a).await?;
    let Some(ctx) = access
        .check(&state, sharing.read(&a, ShareCategory::Plan))
        .await?
    else {
        return withheld(&state, chrome, &team, &a, flash).await;
    };
    render(
        &state,
        chrome,
        &ctx,
        &access,
        &a,
        sharing,
        PageState {
            flash,
            ..PageState::default()
        },
    )
    .await
}

/// The plan page for a team member whose organisation the citizen has not shared the plan
/// with: what is withheld, and how to ask for consent.
async fn withheld(
    state: &AppState,
    chrome: Chrome,
    team: &AuditCtx,
    a: &CourseAccess,
    flash: Option<String>,
) -> Result<Response, AppError> {
    let course = state.store.course(team, a.course_id).await?;
    let view = PlanWithheldView {
        flash,
        course_id: course.id.0,
        course_name: course.citizen_name,
        open: course.closed_ms.is_none(),
        chrome,
    };
    Ok((StatusCode::OK, Html(view.render()?)).into_response())
}

/// What an edit touches, which decides when someone else's newer version is a conflict.
#[derive(Clone, Copy)]
pub(crate) enum Touches {
    /// Adds to a list: never overwrites anyone, goes on top of the newest version.
    Addition,
    /// Replaces a whole section: a conflict if the section changed since the editor's version.
    Section(Section),
    /// Changes one intervention: a conflict if that intervention changed meanwhile.
    Intervention(u32),
    /// Rewords one goal: a conflict if that goal's words, area or date changed meanwhile
    /// (a progress note added meanwhile is not).
    Goal(u32),
}

/// Applies a change to the newest version and saves it. For sections that are replaced
/// (crisis plan, review date) a newer change by someone else to the same section is a
/// conflict; additions (goals, interventions) are applied on top of whatever is newest.
pub(crate) async fn save(
    state: &AppState,
    ctx: &AuditCtx,
    course: CourseId,
    base_version: i64,
    section: Section,
    touches: Touches,
    change: impl Fn(&mut PlanContent),
) -> Result<Result<i64, ConflictInfo>, AppError> {
    let latest = state.store.plan(ctx, course).await?;
    let (latest_version, mut content) = match &latest {
        Some(p) => (p.version, p.content.clone()),
        None => (0, PlanContent::default()),
    };
    if latest_version != base_version && !matches!(touches, Touches::Addition) {
        let base = match base_version {
            0 => PlanContent::default(),
            v => state.store.plan_version(ctx, course, v).await?.content,
        };
        let unchanged = match touches {
            Touches::Section(s) => base.section_eq(&content, s),
            Touches::Intervention(id) => base.intervention(id) == content.intervention(id),
            Touches::Goal(id) => base
                .goal(id)
                .zip(content.goal(id))
                .is_some_and(|(a, b)| a.same_goal(b)),
            Touches::Addition => true,
        };
        if !unchanged {
            return Ok(Err(conflict_info(latest.as_ref())));
        }
    }
    // Completion is a statement about one version: any other change clears it.
    if section != Section::Kind {
        content.completed = false;
    }
    change(&mut content);
    match state
        .store
        .save_plan(ctx, course, latest_version, section, &content)
        .await
    {
        Ok(v) => Ok(Ok(v)),
        // Someone saved between our read and our write: say so rather than guess.
        Err(StoreError::Conflict(Conflict::Plan)) => {
            let newest = state.store.plan(ctx, course).await?;
            Ok(Err(conflict_info(newest.as_ref())))
        }
        Err(e) => Err(e.into()),
    }
}

fn conflict_info(p: Option<&PlanVersion>) -> ConflictInfo {
    ConflictInfo {
        author: p.and_then(|p| p.author_name.clone()).unwrap_or_default(),
        time: p
            .map(|p| crate::views::local_time(p.at_ms))
            .unwrap_or_default(),
    }
}

fn add_error(chrome: &Chrome, errors: &mut FormErrors, field: &'static str, e: PlanError) {
    errors.add(chrome, field, e.message_key());
}

/// One handler for every section's form: validate, apply, save, or show what went wrong.
pub async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    access: AuditedAccess,
    Path((id, section)): Path<(i64, String)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let sharing = plan_sharing(&state, &access, &a).await?;
    let ctx = access.authorize(&state, sharing.edit(&a)).await?;
    let section = Section::parse(&section).ok_or(AppError::NotFound)?;
    if section == Section::Crisis {
        access
            .authorize(&state, sharing.read(&a, ShareCategory::CrisisPlan))
            .await?;
    }
    let chrome = chrome(&state, &headers, csrf, "/courses", &access);
    let form = PlanForm::parse(&body);
    let mut errors = FormErrors::default();
    let now_day = crate::views::danish_date(state.clock.now_ms());

    let change: Box<dyn Fn(&mut PlanContent) + Send + Sync> = match section {
        Section::Goals => {
            let text = plan::required_text(&form.text)
                .map_err(|e| add_error(&chrome, &mut errors, "text", e))
                .ok();
            let area = LifeArea::parse(&form.life_area);
            if area.is_none() {
                errors.add(&chrome, "life_area", "field-choose");
            }
            let owner = match form.owner.as_str() {
                "citizen" => Some(GoalOwner::Citizen),
                "team" => Some(GoalOwner::Team),
                _ => {
                    errors.add(&chrome, "owner-team", "field-choose");
                    None
                }
            };
            let date = plan::optional_day(&form.target_date)
                .map_err(|e| add_error(&chrome, &mut errors, "target_date", e))
                .ok();
            match (text, area, owner, date) {
                (Some(text), Some(area), Some(owner), Some(date)) => {
                    Box::new(move |p: &mut PlanContent| {
                        p.add_goal(owner, text.clone(), area, date.clone());
                    })
                }
                _ => Box::new(|_: &mut PlanContent| {}),
            }
        }
        Section::Interventions => {
            let title = plan::required_text(&form.title)
                .map_err(|e| add_error(&chrome, &mut errors, "title", e))
                .ok();
            let mut texts = Vec::new();
            for (field, value) in [
                ("responsible_org", &form.responsible_org),
                ("responsible_person", &form.responsible_person),
                ("legal_basis", &form.legal_basis),
                ("frequency", &form.frequency),
                ("next_step", &form.next_step),
            ] {
                match plan::optional_text(value) {
                    Ok(v) => texts.push(v),
                    Err(e) => {
                        add_error(&chrome, &mut errors, field, e);
                        texts.push(String::new());
                    }
                }
            }
            let start = plan::optional_day(&form.start)
                .map_err(|e| add_error(&chrome, &mut errors, "start", e))
                .ok();
            let end = plan::optional_day(&form.end)
                .map_err(|e| add_error(&chrome, &mut errors, "end", e))
                .ok();
            let status = InterventionStatus::parse(&form.status);
            if status.is_none() {
                errors.add(&chrome, "status", "field-choose");
            }
            let goal_ids: Vec<u32> = form
                .goal_ids
                .iter()
                .filter_map(|g| g.parse().ok())
                .collect();
            match (title, start, end, status) {
                (Some(title), Some(start), Some(end), Some(status)) => {
                    let i = Intervention {
                        id: 0,
                        title,
                        goal_ids,
                        responsible_org: texts[0].clone(),
                        responsible_person: texts[1].clone(),
                        legal_basis: texts[2].clone(),
                        frequency: texts[3].clone(),
                        start,
                        end,
                        status,
                        next_step: texts[4].clone(),
                    };
                    // Check the rules against the current plan before saving.
                    let current = state
                        .store
                        .plan(&ctx, a.course_id)
                        .await?
                        .map(|p| p.content)
                        .unwrap_or_default();
                    let mut probe = current.clone();
                    match probe.add_intervention(i.clone()) {
                        Ok(_) => Box::new(move |p: &mut PlanContent| {
                            let _ = p.add_intervention(i.clone());
                        }),
                        Err(e) => {
                            let field = match e {
                                PlanError::ResponsibleRequired => "responsible_org",
                                PlanError::EndBeforeStart => "end",
                                _ => "title",
                            };
                            add_error(&chrome, &mut errors, field, e);
                            Box::new(|_: &mut PlanContent| {})
                        }
                    }
                }
                _ => Box::new(|_: &mut PlanContent| {}),
            }
        }
        Section::Crisis => {
            let mut crisis = CrisisPlan::default();
            for (field, value, slot) in [
                (
                    "warning_signs",
                    &form.warning_signs,
                    &mut crisis.warning_signs,
                ),
                ("what_helps", &form.what_helps, &mut crisis.what_helps),
                (
                    "what_does_not_help",
                    &form.what_does_not_help,
                    &mut crisis.what_does_not_help,
                ),
                ("contacts", &form.contacts, &mut crisis.contacts),
                ("medication", &form.medication, &mut crisis.medication),
                ("wishes", &form.wishes, &mut crisis.wishes),
            ] {
                match plan::optional_text(value) {
                    Ok(v) => *slot = v,
                    Err(e) => add_error(&chrome, &mut errors, field, e),
                }
            }
            Box::new(move |p: &mut PlanContent| p.crisis = crisis.clone())
        }
        Section::Authority => {
            let mut fields = Vec::new();
            for (field, value, required) in [
                ("decision", &form.decision, true),
                ("who", &form.who, true),
                ("limits", &form.limits, false),
                ("escalation", &form.escalation, true),
                ("response_time", &form.response_time, true),
            ] {
                let parsed = if required {
                    plan::required_text(value)
                } else {
                    plan::optional_text(value)
                };
                match parsed {
                    Ok(v) => fields.push(v),
                    Err(e) => {
                        add_error(&chrome, &mut errors, field, e);
                        fields.push(String::new());
                    }
                }
            }
            let authority = Authority {
                id: 0,
                decision: fields[0].clone(),
                who: fields[1].clone(),
                limits: fields[2].clone(),
                escalation: fields[3].clone(),
                response_time: fields[4].clone(),
            };
            Box::new(move |p: &mut PlanContent| {
                p.add_authority(authority.clone());
            })
        }
        Section::Kind => match PlanKind::parse(&form.kind) {
            None => {
                errors.add(&chrome, "kind", "field-choose");
                Box::new(|_: &mut PlanContent| {})
            }
            Some(kind) => {
                if form.complete {
                    // Refuse to mark complete until every mandatory field is filled, and say which.
                    let mut probe = state
                        .store
                        .plan(&ctx, a.course_id)
                        .await?
                        .map(|p| p.content)
                        .unwrap_or_default();
                    probe.kind = kind;
                    let missing = probe.missing();
                    if !missing.is_empty() {
                        let list = missing
                            .iter()
                            .map(|m| chrome.t(m.label_key()))
                            .collect::<Vec<_>>()
                            .join(", ");
                        errors
                            .0
                            .push(("kind", format!("{} {list}", chrome.t("plan-missing-intro"))));
                    }
                }
                let complete = form.complete;
                Box::new(move |p: &mut PlanContent| {
                    p.kind = kind;
                    p.completed = complete;
                })
            }
        },
        Section::Review => match plan::parse_day(&form.review_date) {
            Ok(day) if day < now_day => {
                errors.add(&chrome, "review_date", "plan-error-review-past");
                Box::new(|_: &mut PlanContent| {})
            }
            Ok(day) if (day - now_day).whole_days() > MAX_REVIEW_DAYS => {
                add_error(
                    &chrome,
                    &mut errors,
                    "review_date",
                    PlanError::ReviewTooLate,
                );
                Box::new(|_: &mut PlanContent| {})
            }
            Ok(day) => Box::new(move |p: &mut PlanContent| p.review_date = Some(day.to_string())),
            Err(e) => {
                add_error(&chrome, &mut errors, "review_date", e);
                Box::new(|_: &mut PlanContent| {})
            }
        },
    };
    if !errors.is_empty() {
        let page = PageState {
            form,
            errors,
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..PageState::default()
        };
        return render(&state, chrome, &ctx, &access, &a, sharing, page).await;
    }
    let touches = match section {
        Section::Goals | Section::Interventions | Section::Authority => Touches::Addition,
        Section::Crisis | Section::Review | Section::Kind => Touches::Section(section),
    };
    match save(
        &state,
        &ctx,
        a.course_id,
        form.base_version,
        section,
        touches,
        change,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/plan"),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form,
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(&state, chrome, &ctx, &access, &a, sharing, page).await
        }
    }
}

/// Moves one intervention along (status and next step).
pub async fn update_intervention(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    access: AuditedAccess,
    Path((id, intervention)): Path<(i64, u32)>,
    RawForm(body): RawForm,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let sharing = plan_sharing(&state, &access, &a).await?;
    let ctx = access.authorize(&state, sharing.edit(&a)).await?;
    let form = PlanForm::parse(&body);
    let chrome = chrome(&state, &headers, csrf, "/courses", &access);
    let mut errors = FormErrors::default();
    let status = InterventionStatus::parse(&form.status);
    if status.is_none() {
        errors.add(&chrome, "status", "field-choose");
    }
    let next_step = plan::optional_text(&form.next_step)
        .map_err(|e| add_error(&chrome, &mut errors, "next_step", e))
        .ok();
    let current = state
        .store
        .plan(&ctx, a.course_id)
        .await?
        .map(|p| p.content)
        .unwrap_or_default();
    if current.intervention(intervention).is_none() {
        return Err(AppError::NotFound);
    }
    let (Some(status), Some(next_step), true) = (status, next_step, errors.is_empty()) else {
        let page = PageState {
            form,
            errors,
            status: Some(StatusCode::UNPROCESSABLE_ENTITY),
            ..PageState::default()
        };
        return render(&state, chrome, &ctx, &access, &a, sharing, page).await;
    };
    let change = move |p: &mut PlanContent| {
        let _ = p.update_intervention(intervention, status, next_step.clone());
    };
    let touches = Touches::Intervention(intervention);
    match save(
        &state,
        &ctx,
        a.course_id,
        form.base_version,
        Section::Interventions,
        touches,
        change,
    )
    .await?
    {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            &format!("/courses/{id}/plan"),
            "flash-plan-saved",
        )),
        Err(conflict) => {
            let page = PageState {
                form,
                conflict: Some(conflict),
                status: Some(StatusCode::CONFLICT),
                ..PageState::default()
            };
            render(&state, chrome, &ctx, &access, &a, sharing, page).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

/// A team member's comment on the plan.
pub async fn comment(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    access: AuditedAccess,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CommentForm>,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let sharing = plan_sharing(&state, &access, &a).await?;
    let ctx = access.authorize(&state, sharing.edit(&a)).await?;
    match plan::required_text(&form.comment) {
        Ok(text) => {
            state
                .store
                .comment_plan(&ctx, a.course_id, false, text)
                .await?;
            Ok(redirect_with_flash(
                &state,
                &format!("/courses/{id}/plan"),
                "flash-comment-saved",
            ))
        }
        Err(e) => {
            let chrome = chrome(&state, &headers, csrf, "/courses", &access);
            let mut errors = FormErrors::default();
            add_error(&chrome, &mut errors, "comment", e);
            let form = PlanForm {
                comment: form.comment,
                ..PlanForm::default()
            };
            let page = PageState {
                form,
                errors,
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                ..PageState::default()
            };
            render(&state, chrome, &ctx, &access, &a, sharing, page).await
        }
    }
}

/// The plan as a PDF: the team's full version, or the citizen's plain version to hand over.
pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    access: AuditedAccess,
    Path((id, version)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let citizen = match version.as_str() {
        "team" => false,
        "citizen" => true,
        _ => return Err(AppError::NotFound),
    };
    let sharing = plan_sharing(&state, &access, &a).await?;
    let ctx = access
        .authorize(&state, sharing.read(&a, ShareCategory::Plan))
        .await?;
    let course = state.store.course(&ctx, a.course_id).await?;
    let crisis_withheld = !crisis_shared(&state, &access, &a, sharing).await?;
    let mut plan = state.store.plan(&ctx, a.course_id).await?;
    if crisis_withheld && let Some(p) = plan.as_mut() {
        p.content.crisis = CrisisPlan::default();
    }
    let chrome = chrome(&state, &headers, String::new(), "/courses", &access);
    let printed = PrintedPlan {
        course: &course,
        plan: plan.as_ref(),
        printed_ms: state.clock.now_ms(),
        crisis_withheld,
    };
    let doc = if citizen {
        plan_document::citizen(&chrome, &printed)
    } else {
        plan_document::professional(&chrome, &printed)
    };
    let name = format!("plan-{id}-v{}-{version}.pdf", plan.map_or(0, |p| p.version));
    crate::pdf::response(doc, &name).await
}

#[derive(Deserialize)]
pub struct Compare {
    a: Option<i64>,
    b: Option<i64>,
}

pub async fn history(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfToken(csrf): CsrfToken,
    access: AuditedAccess,
    Path(id): Path<i64>,
    Query(cmp): Query<Compare>,
) -> Result<Response, AppError> {
    let a = course_access(&state, &access, id).await?;
    let sharing = plan_sharing(&state, &access, &a).await?;
    let ctx = access
        .authorize(&state, sharing.read(&a, ShareCategory::Plan))
        .await?;
    let crisis_withheld = !crisis_shared(&state, &access, &a, sharing).await?;
    let mut versions = state.store.plan_history(&ctx, a.course_id).await?;
    if crisis_withheld {
        for v in &mut versions {
            v.content.crisis = CrisisPlan::default();
        }
    }
    let chrome = chrome(&state, &headers, csrf, "/courses", &access);
    let newest = versions.first().map_or(0, |v| v.version);
    let to = cmp.b.unwrap_or(newest);
    let from = cmp.a.unwrap_or(to - 1);
    let content_of = |n: i64| {
        versions
            .iter()
            .find(|v| v.version == n)
            .map(|v| v.content.lines())
            .unwrap_or_default()
    };
    let diff = plan::diff(&content_of(from), &content_of(to))
        .into_iter()
        .map(|d| match d {
            DiffLine::Same(t) => DiffRow {
                kind: "same",
                text: t,
            },
            DiffLine::Removed(t) => DiffRow {
                kind: "removed",
                text: t,
            },
            DiffLine::Added(t) => DiffRow {
                kind: "added",
                text: t,
            },
        })
        .collect();
    let rows = versions
        .iter()
        .map(|v| VersionRow {
            version: v.version,
            time: crate::views::local_time(v.at_ms),
            author: v.author_name.clone().unwrap_or_default(),
            section_key: v.section.label_key(),
        })
        .collect();
    let course_name = state.store.course(&ctx, a.course_id).await?.citizen_name;
    let view = PlanHistoryView {
        course_id: id,
        course_name,
        versions: rows,
        from,
        to,
        diff,
        chrome,
    };
    Ok(Html(view.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_repeated_keys_and_escapes() {
        let f = PlanForm::parse(b"base_version=3&text=Jeg+vil+have+%C3%A6bler+%26+p%C3%A6rer&goal_ids=1&goal_ids=2&title=%");
        assert_eq!(f.base_version, 3);
        assert_eq!(f.text, "Jeg vil have æbler & pærer");
        assert_eq!(f.goal_ids, ["1", "2"]);
        assert_eq!(f.title, "%");
    }
}
