//! The demo's Fælles Team: a team in Holstebro and one in Ringkøbing-Skjern, each with a year
//! of meetings every 4 weeks (minutes approved, evaluations given) and the coming half year,
//! plus Holstebro's fortnightly stay agreements ("hver 2. onsdag").

use super::{DAY_MS, DemoStaff};
use bro_domain::meeting::{Attendance, CaseField, Score, TeamFunction};
use bro_domain::recurrence::Recurrence;
use bro_domain::{CollaborationId, ShareCategory, TeamId};
use bro_store::{AuditCtx, CaseEvaluation, DynStore, FeedOwner, NewSeries, NewTeam, NewTeamMember};

pub(super) const THEMES: [&str; 12] = [
    "Årets plan og fælles mål",
    "Boligsociale indsatser",
    "Overgange fra indlæggelse til eget hjem",
    "Rusmiddelbehandling og psykiatri hånd i hånd",
    "Beskæftigelse og meningsfuld hverdag",
    "Pårørende og netværk",
    "Sommerferie: kriseplaner",
    "Somatisk sundhed",
    "Recovery og borgerens egne ønsker",
    "Midlertidige psykiatriske omsorgspladser",
    "Samtykke og deling af oplysninger",
    "Årets evaluering og læring",
];

pub(super) const AGENDA: &str = "Velkomst og præsentation af deltagerne\nOpfølgning på aftaler fra sidste møde\nDagens tema fra årshjulet\nBorgersager\nEvaluering: borger og aktører";

/// The fortnightly series at which MPO Holstebro reviews its stays' agreements.
pub(super) const REVIEW_SERIES: &str = "Opfølgning på udvidet samarbejdsaftale";

pub(super) struct TeamSpec<'a> {
    pub name: &'a str,
    pub place: &'a str,
    pub collaboration: CollaborationId,
    pub leader: &'a str,
    pub convener: &'a str,
    pub members: &'a [(&'a str, TeamFunction, bool)],
    /// Weekday offset from today of the series' first meeting a year ago, and its hour.
    pub weekday_shift: i64,
    pub hour: u8,
}

fn ctx_of(s: &DemoStaff, at_ms: i64) -> AuditCtx {
    AuditCtx {
        tenant_id: s.org.0,
        at_ms,
        actor_user_id: Some(s.user),
        actor_role: Some(s.role.as_str().to_owned()),
        actor_unit_id: Some(s.unit),
        purpose: "care-team",
    }
}

fn find<'a>(staff: &'a [DemoStaff], username: &str) -> Result<&'a DemoStaff, String> {
    staff
        .iter()
        .find(|s| s.username == username)
        .ok_or_else(|| format!("demo user {username} missing"))
}

fn e(err: impl std::fmt::Display) -> String {
    err.to_string()
}

pub(super) async fn seed_team(
    store: &DynStore,
    staff: &[DemoStaff],
    spec: TeamSpec<'_>,
    now: i64,
) -> Result<TeamId, String> {
    let leader = find(staff, spec.leader)?;
    let convener = find(staff, spec.convener)?;
    let setup = AuditCtx::system(convener.org.0, now, "demo-setup");
    let mut members = Vec::new();
    for (username, function, fixed) in spec.members {
        members.push(NewTeamMember {
            user: find(staff, username)?.user,
            function: *function,
            fixed: *fixed,
        });
    }
    let team = store
        .create_team(
            &setup,
            NewTeam {
                collaboration_id: spec.collaboration,
                name: spec.name.to_owned(),
                place: spec.place.to_owned(),
                leader: leader.user,
                convener: convener.user,
                agenda: AGENDA.to_owned(),
                members,
                themes: THEMES
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (u8::try_from(i + 1).unwrap_or(1), (*t).to_owned()))
                    .collect(),
            },
        )
        .await
        .map_err(e)?;
    let today = bro_domain::local_time::to_local(now).date();
    let first = today - time::Duration::days(364 - spec.weekday_shift);
    let series = |title: &str, first: time::Date, hour: u8, minutes: u32, every_weeks: u8| {
        let rule = Recurrence {
            first,
            start: time::Time::from_hms(hour, 0, 0).unwrap_or(time::Time::MIDNIGHT),
            minutes,
            every_weeks,
            until: today + time::Duration::days(182),
        };
        let meetings = rule.occurrences().map_err(|e| e.key().to_owned())?;
        Ok::<_, String>(NewSeries {
            team,
            title: title.to_owned(),
            first_date: first.to_string(),
            start_minute: i64::from(hour) * 60,
            minutes: i64::from(minutes),
            every_weeks: i64::from(every_weeks),
            until_date: rule.until.to_string(),
            place: spec.place.to_owned(),
            video_link: "https://video.rm.dk/faellesteam".to_owned(),
            meetings: meetings
                .iter()
                .map(|o| {
                    let theme = THEMES[usize::from(u8::from(o.date.month())) - 1].to_owned();
                    (o.date.to_string(), o.starts_ms, o.ends_ms, theme)
                })
                .collect(),
        })
    };
    store
        .create_series(
            &setup,
            series("Fælles Team-møde", first, spec.hour, 120, 4)?,
        )
        .await
        .map_err(e)?;
    // The stay agreements of the temporary care places: every other Wednesday (Holstebro).
    if spec.name.contains("Holstebro") {
        let mut wednesday = today - time::Duration::days(180);
        while wednesday.weekday() != time::Weekday::Wednesday {
            wednesday = wednesday.next_day().unwrap_or(wednesday);
        }
        let mut stays = series(REVIEW_SERIES, wednesday, 13, 60, 2)?;
        for m in &mut stays.meetings {
            m.3 = String::new();
        }
        store.create_series(&setup, stays).await.map_err(e)?;
    }
    store
        .create_feed(
            &ctx_of(convener, now),
            FeedOwner::Team(team),
            &format!("demo-feed-never-published-{}", team.0),
        )
        .await
        .map_err(e)?;
    Ok(team)
}

/// Lists the convener's citizens whose consent covers every organisation of the team, and
/// gives the team's past year: cases with minutes, agreements, attendance and evaluations.
pub(super) async fn seed_history(
    store: &DynStore,
    staff: &[DemoStaff],
    team: TeamId,
    citizens_wanted: usize,
    prefer: Option<bro_domain::CourseId>,
    now: i64,
) -> Result<(), String> {
    let t = store.team(team).await.map_err(e)?;
    let convener = staff
        .iter()
        .find(|s| s.user == t.convener.0)
        .ok_or("convener missing")?;
    let leader = staff
        .iter()
        .find(|s| s.user == t.leader.0)
        .ok_or("leader missing")?;
    let list_ctx = ctx_of(convener, now - 365 * DAY_MS);
    let mut courses = store
        .my_courses(&list_ctx, convener.user)
        .await
        .map_err(e)?;
    courses.sort_by_key(|c| Some(c.id) != prefer);
    let mut listed = Vec::new();
    for c in courses {
        if listed.len() == citizens_wanted {
            break;
        }
        let a = store.course_access(c.id, convener.user).await.map_err(e)?;
        let mut covered = true;
        for (org, _) in &t.orgs {
            let grants = store.grants(c.citizen_id, *org, now).await.map_err(e)?;
            let shared = bro_authz::sharing(*org, a.holder_org, ShareCategory::Minutes, &grants);
            covered &= shared != bro_authz::Sharing::NotShared;
        }
        if covered {
            store
                .add_team_citizen(&list_ctx, team, c.id)
                .await
                .map_err(e)?;
            listed.push(c.id);
        }
    }
    let meetings = store
        .meetings_of_team(team, now - 400 * DAY_MS, now)
        .await
        .map_err(e)?;
    let fortnightly: Vec<_> = meetings
        .into_iter()
        .filter(|m| m.title == "Fælles Team-møde" && m.ends_ms < now)
        .collect();
    for (n, m) in fortnightly.iter().enumerate() {
        let at = |minutes: i64| m.starts_ms + minutes * 60_000;
        // One meeting in the summer was cancelled; the series went on.
        if n == 6 {
            store
                .cancel_meeting(&ctx_of(convener, at(-7 * 24 * 60)), m.id)
                .await
                .map_err(e)?;
            continue;
        }
        for p in store.participants(m.id).await.map_err(e)? {
            let attendance = if (n + p.user_id.0 as usize).is_multiple_of(5) {
                Attendance::Virtual
            } else {
                Attendance::Present
            };
            store
                .set_attendance(&ctx_of(leader, at(0)), m.id, p.user_id, attendance)
                .await
                .map_err(e)?;
        }
        for k in 0..2 {
            let Some(course) = listed.get((n * 2 + k) % listed.len().max(1)) else {
                break;
            };
            let case = store
                .add_case(&ctx_of(convener, at(-3 * 24 * 60)), m.id, *course)
                .await
                .map_err(e)?;
            let write = ctx_of(leader, at(20 + 30 * k as i64));
            let texts = [
                (
                    CaseField::Status,
                    "Stabil periode. Møder op til samtaler i rusmiddelcentret; har haft en kortere indlæggelse.",
                ),
                (
                    CaseField::Wishes,
                    "Vil gerne have egen bolig og komme i gang med noget fast i hverdagen.",
                ),
                (
                    CaseField::FollowUp,
                    "Aftalerne fra sidst er fulgt op; medicinsamtalen er holdt.",
                ),
            ];
            for (field, text) in texts {
                store
                    .save_case_field(&write, case, field.as_str(), text, 0)
                    .await
                    .map_err(e)?;
            }
            let input = bro_domain::meeting::input_field(convener.user);
            store
                .save_case_field(
                    &write,
                    case,
                    &input,
                    "Rusmiddelbehandlingen: fremmøde 3 af 4 gange, ønsker at fortsætte.",
                    0,
                )
                .await
                .map_err(e)?;
            let attendance = if n % 3 == 2 {
                Attendance::Absent
            } else if n % 3 == 1 {
                Attendance::Virtual
            } else {
                Attendance::Present
            };
            store
                .set_citizen_attendance(&write, case, attendance)
                .await
                .map_err(e)?;
            store
                .add_agreement(
                    &write,
                    case,
                    "Følge borgeren til boligkontoret",
                    "Bostøtten",
                    None,
                )
                .await
                .map_err(e)?;
            bro_web::approve_minutes(store, &ctx_of(leader, at(110)), case)
                .await
                .map_err(e)?;
            // Involvement grows over the year, as the team learns to include the citizen.
            let base = 2 + (n * 3 / fortnightly.len().max(1));
            let score =
                |d: usize| Score::new(u8::try_from((base + d).min(5)).unwrap_or(3)).ok_or("score");
            store
                .record_case_evaluation(
                    &ctx_of(leader, at(115)),
                    case,
                    &CaseEvaluation {
                        involvement: score(k)?,
                        ownership: score(0)?,
                        comment: if k == 0 {
                            "Rart at blive hørt.".to_owned()
                        } else {
                            String::new()
                        },
                        by_citizen: false,
                    },
                )
                .await
                .map_err(e)?;
        }
        for (j, p) in t.members.iter().filter(|p| p.fixed).take(3).enumerate() {
            let who = staff.iter().find(|s| s.user == p.user_id).ok_or("member")?;
            let coherence =
                Score::new(u8::try_from(3 + (n + j) % 3).unwrap_or(3)).ok_or("score")?;
            store
                .record_meeting_evaluation(
                    &ctx_of(who, at(118)),
                    m.id,
                    coherence,
                    "Hurtigere afklaring af, hvem der gør hvad.",
                    "Borgerens deltagelse gør drøftelsen mere konkret.",
                )
                .await
                .map_err(e)?;
        }
    }
    // The next meeting already has the first listed citizen on its agenda, so the live
    // minutes can be tried at once: the leader writes, the citizen follows on /me/meetings.
    let next = store
        .meetings_of_team(team, now, now + 60 * DAY_MS)
        .await
        .map_err(e)?
        .into_iter()
        .find(|m| m.title == "Fælles Team-møde" && m.cancelled_ms.is_none());
    if let (Some(m), Some(course)) = (next, listed.first()) {
        store
            .add_case(&ctx_of(convener, now), m.id, *course)
            .await
            .map_err(e)?;
    }
    Ok(())
}
