//! The demo's courses: each opened some months ago, moved phase by phase, with a team across
//! region, municipality and GP, a network, consents and a plan.

use bro_domain::ShareCategory;
use bro_domain::consent::{ConsentForm, GivenBy};
use bro_domain::plan::{
    CrisisPlan, GoalNote, GoalOwner, Intervention, InterventionStatus, LifeArea, PlanContent,
    Section,
};
use bro_domain::{CitizenId, CourseRole, LegalFrame, TargetGroup};
use bro_store::{AuditCtx, DynStore, NewConsent, NewCourse, NewMember};

use super::{DAY_MS, DEMO_USERS, DemoCollaboration, DemoStaff};

/// Which demo course: the citizen's number, how far it has come, who coordinates it and whose
/// phases it follows.
pub(super) struct DemoCourse<'a> {
    pub(super) i: usize,
    pub(super) phase_index: usize,
    pub(super) coordinator: &'a str,
    pub(super) collaboration: Option<&'a DemoCollaboration>,
}

/// One citizen's course: opened some months ago, moved phase by phase to `phase_index`, with
/// a team across region, municipality and GP. Acts are recorded as the coordinator's, at the
/// times they would have happened.
pub(super) async fn demo_course(
    store: &DynStore,
    staff: &[DemoStaff],
    citizen: CitizenId,
    spec: DemoCourse<'_>,
    now: i64,
) -> Result<(), String> {
    let DemoCourse {
        i,
        phase_index,
        coordinator,
        collaboration,
    } = spec;
    let find = |name: &str| {
        staff
            .iter()
            .find(|s| s.username == name)
            .ok_or_else(|| format!("demo staff {name} missing"))
    };
    let lead = find(coordinator)?;
    let step = 21 * DAY_MS;
    let opened = now
        - (i64::try_from(phase_index).unwrap_or(0) + 1) * step
        - i64::try_from(i % 17).unwrap_or(0) * DAY_MS;
    let at = |k: usize| opened + i64::try_from(k).unwrap_or(0) * step;
    let ctx = |at_ms: i64| AuditCtx {
        tenant_id: lead.org.0,
        at_ms,
        actor_user_id: Some(lead.user),
        actor_role: Some(lead.role.as_str().to_owned()),
        actor_unit_id: Some(lead.unit),
        purpose: "care-team",
    };
    let member =
        |s: &DemoStaff, role: CourseRole, fixed: bool, phone: &str, hours: &str| NewMember {
            user_id: s.user,
            org_id: s.org,
            unit_id: s.unit,
            role,
            fixed,
            phone: phone.to_owned(),
            mail: format!("{}@bro-demo.dk", s.username),
            hours: hours.to_owned(),
        };
    let mut target_groups = vec![TargetGroup::DualDiagnosis];
    if i.is_multiple_of(5) {
        target_groups.push(TargetGroup::FrequentReadmissions);
    }
    let mut legal_frames = vec![LegalFrame::Serviceloven, LegalFrame::Sundhedsloven];
    if i.is_multiple_of(3) {
        legal_frames.push(LegalFrame::Psykiatriloven);
    }
    let new = NewCourse {
        citizen_id: citizen,
        target_groups,
        legal_frames,
        coordinator: member(
            lead,
            CourseRole::SubstanceAbuseCounsellor,
            true,
            "96 11 75 00",
            "Hverdage 8-15",
        ),
        collaboration: collaboration.map(|c| c.id),
        handover_reason: None,
    };
    let course = store
        .open_course(&ctx(opened), new)
        .await
        .map_err(|e| e.to_string())?;
    let mut team = vec![(
        "fagperson",
        CourseRole::Psychiatrist,
        true,
        "78 43 00 00",
        "Hverdage 8-15.30",
    )];
    if i.is_multiple_of(3) || i == 0 {
        team.push((
            "laege",
            CourseRole::Gp,
            false,
            "97 42 11 22",
            "Telefontid 8-9",
        ));
    }
    if coordinator == "koordinator" && (i.is_multiple_of(4) || i == 0) {
        team.push((
            "moedeleder",
            CourseRole::SocialPsychiatryContact,
            true,
            "96 11 50 00",
            "Alle dage 8-22",
        ));
    }
    if coordinator == "koordinator" && i.is_multiple_of(5) {
        team.push((
            "visitator",
            CourseRole::CaseWorker,
            true,
            "96 11 52 00",
            "Man-tors 9-14",
        ));
    }
    if coordinator == "koordinator" && i.is_multiple_of(7) {
        team.push((
            "funktionsleder",
            CourseRole::MpoStaff,
            false,
            "96 11 58 00",
            "Døgnet rundt",
        ));
    }
    let mut orgs = vec![lead.org];
    for (name, role, fixed, phone, hours) in team {
        let who = find(name)?;
        if !orgs.contains(&who.org) {
            orgs.push(who.org);
        }
        store
            .add_member(
                &ctx(opened + DAY_MS),
                course,
                member(who, role, fixed, phone, hours),
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    // Most citizens consented orally at the first meeting; some have not been asked yet.
    if i % 7 != 3 {
        let consent = NewConsent {
            citizen_id: citizen,
            course_id: Some(course),
            orgs,
            categories: vec![
                ShareCategory::Health,
                ShareCategory::Social,
                ShareCategory::SubstanceAbuse,
                ShareCategory::Plan,
                ShareCategory::CrisisPlan,
                ShareCategory::Minutes,
            ],
            form: ConsentForm::Oral,
            given_by: GivenBy::Citizen,
            givers: Vec::new(),
            guardian_scope: String::new(),
            witness: "Kontaktperson fra bostøtten".to_owned(),
            witness_org: None,
            valid_from_ms: opened + DAY_MS,
            valid_to_ms: Some(opened + 365 * DAY_MS),
            document: None,
        };
        store
            .record_consent(&ctx(opened + DAY_MS), consent)
            .await
            .map_err(|e| e.to_string())?;
    }
    if phase_index >= 2 {
        let author = DEMO_USERS
            .iter()
            .find(|u| u.0 == coordinator)
            .map_or("", |u| u.1);
        demo_plan(store, course, i, &ctx(at(2)), now, author).await?;
    }
    let codes = collaboration
        .map(|c| c.phases.clone())
        .unwrap_or_default()
        .codes();
    let last = codes.len() - 1;
    let phase_index = phase_index % codes.len();
    for k in 1..=phase_index.min(last - 1) {
        store
            .move_phase(&ctx(at(k)), course, &codes[k - 1], &codes[k])
            .await
            .map_err(|e| e.to_string())?;
    }
    if phase_index == last {
        store
            .close_course(
                &ctx(at(last)),
                course,
                "Målene i planen er nået".to_owned(),
                "Fortsat kontakt med egen læge og bostøtte".to_owned(),
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub(super) const CITIZEN_GOALS: &[&str] = &[
    "Jeg vil gerne have min egen lejlighed igen",
    "Jeg vil være stoffri til min datters konfirmation",
    "Jeg vil have et arbejde, hvor jeg kan være mig selv",
    "Jeg vil kunne sove om natten uden at drikke",
    "Jeg vil se mine børn hver weekend",
    "Jeg vil kunne handle ind selv uden at få angst",
];
pub(super) const TEAM_GOALS: &[(&str, LifeArea)] = &[
    ("Stabil bolig med bostøtte", LifeArea::Housing),
    ("Reduceret forbrug af rusmidler", LifeArea::SubstanceUse),
    ("Færre akutte indlæggelser", LifeArea::Health),
    ("Afklaring af arbejdsevne", LifeArea::WorkEducation),
    ("Stabil medicinering", LifeArea::Health),
];
/// (title, organisation, person, legal basis, frequency)
pub(super) const INTERVENTIONS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Bostøtte",
        "Holstebro Kommune",
        "Socialpsykiatri Holstebro",
        "Serviceloven § 85",
        "2 gange om ugen",
    ),
    (
        "Ambulant psykiatrisk behandling",
        "Region Midtjylland",
        "Regionspsykiatrien Vest",
        "Sundhedsloven",
        "Hver 14. dag",
    ),
    (
        "Ambulant misbrugsbehandling",
        "Holstebro Kommune",
        "Rusmiddelcenter Holstebro",
        "Serviceloven § 101",
        "Ugentligt",
    ),
    (
        "Jobafklaring",
        "Holstebro Kommune",
        "Jobcenter Holstebro",
        "Beskæftigelsesloven",
        "Hver 4. uge",
    ),
];

/// Progress notes on the team's goal, as a coordinator writes them after a team meeting.
pub(super) const GOAL_NOTES: &[&str] = &[
    "Har været til fremvisning af en lejlighed; svar inden for 14 dage",
    "Færre akutte kontakter den seneste måned end måneden før",
    "Har mødt op til tre ud af fire aftaler i jobcentret",
    "Bostøtten kommer nu fast to gange om ugen; det går godt",
];

/// A plan written in five versions: goals (the citizen's own words first), interventions,
/// crisis plan, review date, a progress note. Every fourth review date has passed, so overdue reviews show.
async fn demo_plan(
    store: &DynStore,
    course: bro_domain::CourseId,
    i: usize,
    ctx: &AuditCtx,
    now: i64,
    coordinator_name: &str,
) -> Result<(), String> {
    let mut plan = PlanContent::default();
    let own = plan.add_goal(
        GoalOwner::Citizen,
        CITIZEN_GOALS[i % CITIZEN_GOALS.len()].to_owned(),
        LifeArea::DailyLife,
        None,
    );
    let (team_text, area) = TEAM_GOALS[i % TEAM_GOALS.len()];
    let team = plan.add_goal(GoalOwner::Team, team_text.to_owned(), area, None);
    let save = |version: i64, section: Section, plan: &PlanContent, at: i64| {
        let store = store.clone();
        let ctx = AuditCtx {
            at_ms: at,
            ..ctx.clone()
        };
        let plan = plan.clone();
        async move {
            store
                .save_plan(&ctx, course, version, section, &plan)
                .await
                .map_err(|e| e.to_string())
        }
    };
    save(0, Section::Goals, &plan, ctx.at_ms).await?;
    for k in 0..2 {
        let (title, org, person, basis, frequency) = INTERVENTIONS[(i + k) % INTERVENTIONS.len()];
        plan.add_intervention(Intervention {
            id: 0,
            title: title.to_owned(),
            goal_ids: vec![if k == 0 { own } else { team }],
            responsible_org: org.to_owned(),
            responsible_person: person.to_owned(),
            legal_basis: basis.to_owned(),
            frequency: frequency.to_owned(),
            start: None,
            end: None,
            status: if k == 0 {
                InterventionStatus::Active
            } else {
                InterventionStatus::Planned
            },
            next_step: "Opfølgning på næste teammøde".to_owned(),
        })
        .map_err(|e| e.to_string())?;
    }
    save(1, Section::Interventions, &plan, ctx.at_ms + DAY_MS).await?;
    plan.crisis = CrisisPlan {
        warning_signs: "Sover dårligt, trækker sig fra familien, springer aftaler over".to_owned(),
        what_helps: "Ro, en gåtur, at tale med kontaktpersonen".to_owned(),
        what_does_not_help: "Mange mennesker og høje stemmer".to_owned(),
        contacts: "Kontaktperson i dagtid; Ambulant Akut Team døgnet rundt".to_owned(),
        medication: "Fast medicin gives af bostøtten morgen og aften".to_owned(),
        wishes: "Vil gerne have sin søster ringet op".to_owned(),
    };
    save(2, Section::Crisis, &plan, ctx.at_ms + 2 * DAY_MS).await?;
    let today = time::OffsetDateTime::from_unix_timestamp(now / 1000)
        .map_err(|e| e.to_string())?
        .date();
    let offset = if i.is_multiple_of(4) {
        -10
    } else {
        60 + i64::try_from(i % 90).unwrap_or(0)
    };
    plan.review_date = Some((today + time::Duration::days(offset)).to_string());
    save(3, Section::Review, &plan, ctx.at_ms + 3 * DAY_MS).await?;
    let (note, day_ms) = (
        GOAL_NOTES[i % GOAL_NOTES.len()],
        (ctx.at_ms + 20 * DAY_MS).min(now),
    );
    let day = time::OffsetDateTime::from_unix_timestamp(day_ms / 1000)
        .map_err(|e| e.to_string())?
        .date();
    plan.note_goal(
        team,
        GoalNote {
            day: day.to_string(),
            author: coordinator_name.to_owned(),
            text: note.to_owned(),
        },
    )
    .map_err(|e| e.to_string())?;
    save(4, Section::Goals, &plan, day_ms).await?;
    Ok(())
}
