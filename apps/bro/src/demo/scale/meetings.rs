//! Fælles Team in a generated world. Each municipality has a collaboration with its region and a
//! team (the municipality's first coordinator leads, a social psychiatry worker convenes, a
//! regional psychiatrist takes part) that meets every four weeks from ten years back to half a
//! year ahead. Citizens with a consent that covers the minutes come on its agenda about once a
//! year while their course is open; a past meeting's case has its template filled in, an
//! agreement, frozen minutes as Bro writes them, and often the citizen's evaluation.

use super::{ANCHOR_MS, DAY_MS, REGIONS, Staff, YEAR_MS, pick};
use crate::demo::meetings::{AGENDA, THEMES};
use bro_audit::{AuditAction, AuditFields};
use bro_domain::meeting::{Attendance, CaseField, TeamFunction};
use bro_domain::recurrence::Recurrence;
use bro_domain::{CaseId, CitizenId};
use bro_store::{Agreement, AuditCtx, AuditEvent, TableRows};
use bro_web::CaseSnapshot;
use rand::Rng;
use rand::rngs::StdRng;

/// Most cases one course can have: the id stride per course.
pub(super) const MAX_CASES: i64 = 8;
/// A citizen comes on the agenda of about one meeting in this many while their course is open.
const MEETINGS_PER_CASE: u32 = 14;
const PHASES: &str = r#"["Henvisning til Fælles Team","Fælles udredning","Koordineringsmøde med borgeren","Indsats","Opfølgning i Fælles Team"]"#;
const STATUS: &[&str] = &[
    "Borgeren bor i egen bolig med bostøtte og kommer til behandling i rusmiddelcentret.",
    "Stabil periode; borgeren har passet sin medicin og sine aftaler.",
    "Borgeren har haft en svær periode med mere uro og et kortvarigt ophold på akutpladsen.",
    "Borgeren er begyndt i et aktivitetstilbud to dage om ugen.",
];
const WISHES: &[&str] = &[
    "Jeg vil gerne have ro på og færre møder.",
    "Jeg vil gerne tilbage til at arbejde lidt.",
    "Jeg ønsker at se min datter oftere.",
    "Jeg vil gerne selv styre min medicin.",
];
const AGREEMENTS: &[&str] = &[
    "Koordinator følger op på boligsagen",
    "Psykiateren ser på medicinen inden næste møde",
    "Bostøtten hjælper med at komme til lægen",
    "Borgeren tager kontakt til jobcentret",
];

/// One team and its meetings, laid out from the municipality's number alone.
pub(super) struct TeamLayout {
    pub id: i64,
    collaboration: i64,
    series: i64,
    name: String,
    place: String,
    leader: Staff,
    convener: Staff,
    psychiatrist: Staff,
    region_name: String,
    muni_name: String,
    pub meetings: Vec<Meeting>,
}

pub(super) struct Meeting {
    pub id: i64,
    pub starts_ms: i64,
    ends_ms: i64,
    date: String,
    theme: &'static str,
}

/// The id ranges of teams, series and meetings: one of each per municipality.
pub(super) struct TeamIds {
    pub collaboration: i64,
    pub team: i64,
    pub series: i64,
    pub meeting: i64,
}

/// The team of municipality number `m` (`town`), led by its staff.
pub(super) fn team_layout(
    m: usize,
    town: &str,
    staff: (&Staff, &Staff, &Staff),
    ids: &TeamIds,
) -> Result<TeamLayout, String> {
    let anchor = bro_domain::local_time::to_local(ANCHOR_MS).date();
    // Tuesdays to Fridays, so the teams do not all meet on one day.
    let first = anchor - time::Duration::days(10 * 365 - (m % 4) as i64);
    let rule = Recurrence {
        first,
        start: time::Time::from_hms(13, 0, 0).map_err(|e| e.to_string())?,
        minutes: 120,
        every_weeks: 4,
        until: anchor + time::Duration::days(182),
    };
    let occurrences = rule.occurrences().map_err(|e| e.key().to_owned())?;
    let per_team = occurrences_per_team();
    let meetings = occurrences
        .iter()
        .take(per_team)
        .enumerate()
        .map(|(j, o)| Meeting {
            id: ids.meeting + (m * per_team + j + 1) as i64,
            starts_ms: o.starts_ms,
            ends_ms: o.ends_ms,
            date: o.date.to_string(),
            theme: THEMES[usize::from(u8::from(o.date.month())) - 1],
        })
        .collect();
    let m1 = m as i64 + 1;
    Ok(TeamLayout {
        id: ids.team + m1,
        collaboration: ids.collaboration + m1,
        series: ids.series + m1,
        name: format!("Fælles Team {town}"),
        place: format!("Rådhuset, {town}"),
        leader: staff.0.clone(),
        convener: staff.1.clone(),
        psychiatrist: staff.2.clone(),
        region_name: pick(REGIONS, m).to_string(),
        muni_name: format!("{town} Kommune"),
        meetings,
    })
}

/// Meetings every four weeks for ten years and half a year: the id stride per team.
pub(super) fn occurrences_per_team() -> usize {
    // 3,650 + 182 days at 28 days apart, plus the first.
    (10 * 365 + 182) / 28 + 1
}

/// The tables of the teams and their meetings, written with the staff.
pub(super) fn team_tables(
    teams: &[TeamLayout],
    audit: &mut Vec<(i64, AuditFields)>,
) -> Vec<TableRows> {
    let created = ANCHOR_MS - 10 * YEAR_MS - 30 * DAY_MS;
    let mut collaborations =
        TableRows::new("collaborations", &["id", "name", "phases", "created_ms"]);
    let mut collaboration_orgs =
        TableRows::new("collaboration_orgs", &["collaboration_id", "org_id"]);
    let mut team_rows = TableRows::new(
        "teams",
        &[
            "id",
            "collaboration_id",
            "name",
            "place",
            "leader_user_id",
            "convener_user_id",
            "agenda",
            "created_ms",
        ],
    );
    let mut members = TableRows::new("team_members", &["team_id", "user_id", "function", "fixed"]);
    let mut themes = TableRows::new("team_themes", &["team_id", "month", "theme"]);
    let mut series = TableRows::new(
        "meeting_series",
        &[
            "id",
            "team_id",
            "title",
            "first_date",
            "start_minute",
            "minutes",
            "every_weeks",
            "until_date",
            "created_ms",
        ],
    );
    let mut meetings = TableRows::new(
        "meetings",
        &[
            "id",
            "team_id",
            "series_id",
            "series_date",
            "title",
            "starts_ms",
            "ends_ms",
            "place",
            "video_link",
            "theme",
        ],
    );
    let mut participants = TableRows::new(
        "meeting_participants",
        &["meeting_id", "user_id", "attendance"],
    );
    for t in teams {
        let setup = |by: &Staff, event: AuditEvent| {
            (
                by.org,
                AuditCtx::system(by.org, created, "administration").fields(&event),
            )
        };
        collaborations.push(vec![
            t.collaboration.into(),
            t.name.clone().into(),
            PHASES.into(),
            created.into(),
        ]);
        for org in [t.leader.org, t.psychiatrist.org] {
            collaboration_orgs.push(vec![t.collaboration.into(), org.into()]);
        }
        audit.push(setup(
            &t.leader,
            AuditEvent::allowed(AuditAction::CollaborationCreated)
                .object(format!("collaboration:{}", t.collaboration)),
        ));
        team_rows.push(vec![
            t.id.into(),
            t.collaboration.into(),
            t.name.clone().into(),
            t.place.clone().into(),
            t.leader.user.into(),
            t.convener.user.into(),
            AGENDA.into(),
            created.into(),
        ]);
        for (who, function) in [
            (&t.leader, TeamFunction::SubstanceTreatment),
            (&t.convener, TeamFunction::SocialPsychiatry),
            (&t.psychiatrist, TeamFunction::Psychiatrist),
        ] {
            members.push(vec![
                t.id.into(),
                who.user.into(),
                function.as_str().into(),
                true.into(),
            ]);
        }
        for (month, theme) in THEMES.iter().enumerate() {
            themes.push(vec![
                t.id.into(),
                (month as i64 + 1).into(),
                (*theme).into(),
            ]);
        }
        audit.push(setup(
            &t.convener,
            AuditEvent::allowed(AuditAction::TeamCreated).object(format!("team:{}", t.id)),
        ));
        let (first, last) = match (t.meetings.first(), t.meetings.last()) {
            (Some(first), Some(last)) => (first, last),
            _ => continue,
        };
        series.push(vec![
            t.series.into(),
            t.id.into(),
            "Fælles Team møde".into(),
            first.date.clone().into(),
            (13 * 60_i64).into(),
            120_i64.into(),
            4_i64.into(),
            last.date.clone().into(),
            created.into(),
        ]);
        audit.push(setup(
            &t.convener,
            AuditEvent::allowed(AuditAction::MeetingSeriesCreated).object(format!("team:{}", t.id)),
        ));
        for meeting in &t.meetings {
            meetings.push(vec![
                meeting.id.into(),
                t.id.into(),
                Some(t.series).into(),
                Some(meeting.date.clone()).into(),
                "Fælles Team møde".into(),
                meeting.starts_ms.into(),
                meeting.ends_ms.into(),
                t.place.clone().into(),
                "https://video.example.dk/faellesteam".into(),
                meeting.theme.into(),
            ]);
            let attendance = attendance_at(meeting.ends_ms, Attendance::Present);
            for who in [&t.leader, &t.convener, &t.psychiatrist] {
                participants.push(vec![
                    meeting.id.into(),
                    who.user.into(),
                    attendance.as_str().into(),
                ]);
            }
        }
    }
    vec![
        collaborations,
        collaboration_orgs,
        team_rows,
        members,
        themes,
        series,
        meetings,
        participants,
    ]
}

/// Who came: known once the meeting is over, `invited` before.
fn attendance_at(ends_ms: i64, came: Attendance) -> Attendance {
    if ends_ms < ANCHOR_MS {
        came
    } else {
        Attendance::Invited
    }
}

/// The rows of one chunk's cases.
pub(super) struct CaseRows {
    cases: TableRows,
    fields: TableRows,
    agreements: TableRows,
    minutes: TableRows,
    evaluations: TableRows,
    team_citizens: TableRows,
}

/// One course's place on a team's agenda.
pub(super) struct CourseOnAgenda<'a> {
    pub course: i64,
    pub citizen: i64,
    pub citizen_name: &'a str,
    pub opened: i64,
    pub closed: Option<i64>,
    pub coordinator: &'a Staff,
}

impl CaseRows {
    pub fn new() -> Self {
        CaseRows {
            cases: TableRows::new(
                "meeting_cases",
                &[
                    "id",
                    "meeting_id",
                    "course_id",
                    "citizen_id",
                    "position",
                    "citizen_attendance",
                    "added_ms",
                    "approved_ms",
                    "approved_by_user_id",
                ],
            ),
            fields: TableRows::new(
                "case_fields",
                &[
                    "case_id",
                    "field",
                    "body",
                    "version",
                    "updated_ms",
                    "updated_by_user_id",
                ],
            ),
            agreements: TableRows::new(
                "case_agreements",
                &[
                    "id",
                    "case_id",
                    "course_id",
                    "what",
                    "who",
                    "due_date",
                    "done_ms",
                ],
            ),
            minutes: TableRows::new(
                "minutes",
                &["case_id", "body", "approved_ms", "approved_by_user_id"],
            ),
            evaluations: TableRows::new(
                "case_evaluations",
                &[
                    "case_id",
                    "involvement",
                    "ownership",
                    "comment",
                    "by_citizen",
                    "recorded_ms",
                    "recorded_by_user_id",
                ],
            ),
            team_citizens: TableRows::new(
                "team_citizens",
                &[
                    "team_id",
                    "course_id",
                    "added_ms",
                    "added_by_user_id",
                    "removed_ms",
                ],
            ),
        }
    }

    /// The tables, parents first.
    pub fn tables(self) -> [TableRows; 6] {
        [
            self.team_citizens,
            self.cases,
            self.fields,
            self.agreements,
            self.minutes,
            self.evaluations,
        ]
    }

    /// Puts the course on the team's list and its cases on meetings while it is open.
    /// `ids` holds the last case and agreement ids used.
    pub fn course(
        &mut self,
        team: &TeamLayout,
        c: &CourseOnAgenda<'_>,
        rng: &mut StdRng,
        ids: &mut (i64, i64),
        audit: &mut Vec<(i64, AuditFields)>,
    ) -> Result<(), String> {
        let mut record = |by: &Staff, at_ms: i64, event: AuditEvent| {
            let ctx = AuditCtx {
                tenant_id: by.org,
                at_ms,
                actor_user_id: Some(bro_domain::UserId(by.user)),
                actor_role: Some(by.role.as_str().to_owned()),
                actor_unit_id: Some(bro_domain::UnitId(by.unit)),
                purpose: "care-team",
            };
            audit.push((by.org, ctx.fields(&event.subject(CitizenId(c.citizen)))));
        };
        let listed = c.opened + 7 * DAY_MS;
        self.team_citizens.push(vec![
            team.id.into(),
            c.course.into(),
            listed.into(),
            c.coordinator.user.into(),
            c.closed.into(),
        ]);
        record(
            c.coordinator,
            listed,
            AuditEvent::allowed(AuditAction::TeamCitizenAdded).object(format!("team:{}", team.id)),
        );
        let open_until = c.closed.unwrap_or(i64::MAX);
        let mut cases = 0;
        for meeting in team
            .meetings
            .iter()
            .filter(|m| m.starts_ms > listed + 7 * DAY_MS && m.ends_ms < open_until)
        {
            if cases == MAX_CASES {
                break;
            }
            if rng.gen_range(0..MEETINGS_PER_CASE) != 0 {
                continue;
            }
            cases += 1;
            ids.0 += 1;
            let case = ids.0;
            let added = meeting.starts_ms - 7 * DAY_MS;
            let came = match rng.gen_range(0..20) {
                0 => Attendance::Absent,
                1..=4 => Attendance::Virtual,
                _ => Attendance::Present,
            };
            let past = meeting.ends_ms < ANCHOR_MS;
            let approved = past.then_some(meeting.ends_ms + 30 * 60_000);
            self.cases.push(vec![
                case.into(),
                meeting.id.into(),
                c.course.into(),
                c.citizen.into(),
                (1 + c.citizen % 6).into(),
                attendance_at(meeting.ends_ms, came).as_str().into(),
                added.into(),
                approved.into(),
                approved.map(|_| team.leader.user).into(),
            ]);
            record(
                c.coordinator,
                added,
                AuditEvent::allowed(AuditAction::CaseAdded).object(format!("case:{case}")),
            );
            let Some(approved) = approved else { continue };
            let written = meeting.starts_ms + 20 * 60_000;
            let texts = [
                (CaseField::Status, pick(STATUS, rng.r#gen())),
                (CaseField::Wishes, pick(WISHES, rng.r#gen())),
                (
                    CaseField::FollowUp,
                    &"Næste møde om fire uger; koordinator indkalder.",
                ),
            ];
            for (field, body) in texts {
                self.fields.push(vec![
                    case.into(),
                    field.as_str().into(),
                    (*body).into(),
                    1_i64.into(),
                    written.into(),
                    c.coordinator.user.into(),
                ]);
            }
            record(
                c.coordinator,
                written,
                AuditEvent::allowed(AuditAction::CaseWritten).object(format!("case:{case}")),
            );
            ids.1 += 1;
            let due =
                time::OffsetDateTime::from_unix_timestamp((meeting.starts_ms + 28 * DAY_MS) / 1000)
                    .map_err(|e| e.to_string())?
                    .date()
                    .to_string();
            let done = (meeting.starts_ms + 21 * DAY_MS < ANCHOR_MS)
                .then_some(meeting.starts_ms + 21 * DAY_MS);
            let agreement = Agreement {
                id: ids.1,
                case_id: CaseId(case),
                what: pick(AGREEMENTS, rng.r#gen()).to_string(),
                who: c.coordinator.name.clone(),
                due_date: Some(due),
                done_ms: None,
                made_ms: meeting.starts_ms,
            };
            self.agreements.push(vec![
                agreement.id.into(),
                case.into(),
                c.course.into(),
                agreement.what.clone().into(),
                agreement.who.clone().into(),
                agreement.due_date.clone().into(),
                done.into(),
            ]);
            let snapshot = CaseSnapshot {
                team: team.name.clone(),
                starts_ms: meeting.starts_ms,
                place: team.place.clone(),
                theme: meeting.theme.to_owned(),
                citizen_name: c.citizen_name.to_owned(),
                citizen_attendance: came,
                participants: [
                    (&team.leader, &team.muni_name),
                    (&team.convener, &team.muni_name),
                    (&team.psychiatrist, &team.region_name),
                ]
                .into_iter()
                .map(|(s, org)| (s.name.clone(), org.clone(), Attendance::Present))
                .collect(),
                fields: texts
                    .iter()
                    .map(|(f, body)| (f.as_str().to_owned(), None, body.to_string()))
                    .collect(),
                agreements: vec![agreement],
                follow_up: Vec::new(),
                noted_by_leader: Vec::new(),
            };
            let body = serde_json::to_string(&snapshot).map_err(|e| e.to_string())?;
            self.minutes.push(vec![
                case.into(),
                body.into(),
                approved.into(),
                team.leader.user.into(),
            ]);
            record(
                &team.leader,
                approved,
                AuditEvent::allowed(AuditAction::CaseApproved).object(format!("case:{case}")),
            );
            // Most citizens answer the two questions; the leader notes the answers.
            if rng.gen_bool(0.6) {
                self.evaluations.push(vec![
                    case.into(),
                    rng.gen_range(2..=5_i64).into(),
                    rng.gen_range(2..=5_i64).into(),
                    "Det var godt at alle var samlet.".into(),
                    false.into(),
                    approved.into(),
                    team.leader.user.into(),
                ]);
            }
        }
        Ok(())
    }
}
