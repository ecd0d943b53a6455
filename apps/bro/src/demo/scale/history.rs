//! Ten years of one generated citizen: the citizen, their courses with care teams and
//! timelines, and their plan versions.

use super::admissions::Patient;
use super::layout::{MUNICIPALITIES, Staff, pick};
use super::writer::{ChunkWriter, Member};
use super::{ANCHOR_MS, DAY_MS, YEAR_MS, cpr_of, meetings};
use crate::demo::courses::{CITIZEN_GOALS, GOAL_NOTES, TEAM_GOALS};
use crate::demo::people::{FAMILY, GIVEN, STREETS};
use bro_audit::AuditAction;
use bro_domain::plan::{
    CrisisPlan, GoalOwner, Intervention, InterventionStatus, LifeArea, Section,
};
use bro_domain::{CitizenId, CourseRole};
use bro_store::AuditEvent;
use rand::Rng;

impl<'a> ChunkWriter<'a> {
    /// Citizen number `i` (0-based among the generated ones).
    pub(super) fn citizen(&mut self, i: usize) -> Result<(), String> {
        let layout = self.layout;
        let m = i % layout.munis.len();
        let muni = &layout.munis[m];
        let region = pick(&layout.regions, m);
        let gp = pick(&layout.gps, i / layout.munis.len());
        let rng = &mut self.rng;
        let given = pick(GIVEN, rng.r#gen());
        let family = pick(FAMILY, rng.r#gen());
        let street = pick(STREETS, rng.r#gen());
        let house = rng.gen_range(1..140);
        let first_opened = ANCHOR_MS - rng.gen_range(30 * DAY_MS..10 * YEAR_MS);
        let cpr = cpr_of(i)?;
        self.ids.citizen += 1;
        let citizen = self.ids.citizen;
        self.citizens.push(vec![
            citizen.into(),
            cpr.compact().into(),
            (*given).into(),
            (*family).into(),
            format!("{street} {house}").into(),
            format!("{}", 1000 + (m * 97) % 8900).into(),
            MUNICIPALITIES[m].into(),
            first_opened.into(),
            format!("{given} {family}").to_lowercase().into(),
        ]);
        bro_store::push_name_words(&mut self.name_words, CitizenId(citizen), given, family);
        let coordinator = pick(&muni.coordinators, i / layout.munis.len());
        self.record(
            coordinator,
            first_opened,
            "care-team",
            AuditEvent::allowed(AuditAction::CitizenCreated).subject(CitizenId(citizen)),
        );
        // One course, a readmission for a third, a third course for one in ten.
        let count = 1 + usize::from(self.rng.gen_bool(0.35)) + usize::from(self.rng.gen_bool(0.1));
        let mut opened = first_opened;
        for n in 0..count {
            let last = n + 1 == count;
            let length = self.rng.gen_range(60 * DAY_MS..900 * DAY_MS);
            // Earlier courses end; the last stays open for three in four.
            let closed = if !last || self.rng.gen_bool(0.25) {
                Some((opened + length).min(ANCHOR_MS - DAY_MS))
            } else {
                None
            };
            let team = vec![
                Member {
                    staff: coordinator,
                    role: CourseRole::SubstanceAbuseCounsellor,
                    coordinator: true,
                },
                Member {
                    staff: pick(&region.staff, self.rng.r#gen()),
                    role: CourseRole::Psychiatrist,
                    coordinator: false,
                },
                Member {
                    staff: pick(&gp.staff, self.rng.r#gen()),
                    role: CourseRole::Gp,
                    coordinator: false,
                },
            ];
            let mut team = team;
            if self.rng.gen_bool(0.5) {
                team.push(Member {
                    staff: pick(&muni.social, self.rng.r#gen()),
                    role: CourseRole::SocialPsychiatryContact,
                    coordinator: false,
                });
            }
            if self.rng.gen_bool(0.3) {
                team.push(Member {
                    staff: pick(&muni.visitators, self.rng.r#gen()),
                    role: CourseRole::CaseWorker,
                    coordinator: false,
                });
            }
            let who = (citizen, format!("{given} {family}"));
            self.course(who, i, opened, closed, &team, [region.org, gp.org])?;
            let Some(end) = closed else {
                self.admissions(&Patient {
                    i,
                    cpr: &cpr,
                    municipality: m,
                    region: m % layout.regions.len(),
                    opened,
                });
                let course = (self.ids.course, opened);
                if !self.mpo_stay((i, citizen), course, m, coordinator) && self.rng.gen_bool(0.3) {
                    self.referral(citizen, self.ids.course, m, coordinator);
                }
                break;
            };
            // The next course: a readmission some weeks to two years after the discharge.
            opened = end + self.rng.gen_range(14 * DAY_MS..2 * YEAR_MS);
            if opened >= ANCHOR_MS - 7 * DAY_MS {
                break;
            }
        }
        Ok(())
    }

    pub(super) fn course(
        &mut self,
        (citizen, citizen_name): (i64, String),
        i: usize,
        opened: i64,
        closed: Option<i64>,
        team: &[Member<'_>],
        shared_with: [i64; 2],
    ) -> Result<(), String> {
        self.ids.course += 1;
        let course = self.ids.course;
        let lead = team[0].staff;
        let phases = [
            "identification",
            "assessment",
            "planning",
            "intervention",
            "follow_up",
        ];
        let end = closed.unwrap_or(ANCHOR_MS);
        let reached = match closed {
            Some(_) => phases.len(),
            None => self.rng.gen_range(1..=phases.len()),
        };
        let phase = if closed.is_some() {
            bro_domain::phases::CLOSURE
        } else {
            phases[reached - 1]
        };
        let frames = if self.rng.gen_bool(0.3) {
            "serviceloven,sundhedsloven,psykiatriloven"
        } else {
            "serviceloven,sundhedsloven"
        };
        let groups = if self.rng.gen_bool(0.2) {
            "dual_diagnosis,frequent_readmissions"
        } else {
            "dual_diagnosis"
        };
        self.courses.push(vec![
            course.into(),
            citizen.into(),
            phase.into(),
            groups.into(),
            frames.into(),
            opened.into(),
            closed.into(),
            closed
                .map(|_| "Forløbet er afsluttet efter planen".to_owned())
                .into(),
            closed.map(|_| "Opfølgning hos egen læge".to_owned()).into(),
        ]);
        let subject = CitizenId(citizen);
        let object = format!("course:{course}");
        self.event(course, opened, lead, "opened", phases[0]);
        self.record(
            lead,
            opened,
            "care-team",
            AuditEvent::allowed(AuditAction::CourseOpened)
                .subject(subject)
                .object(object.clone()),
        );
        for (k, member) in team.iter().enumerate() {
            self.ids.member += 1;
            let added = opened + k as i64 * 60_000;
            self.members.push(vec![
                self.ids.member.into(),
                course.into(),
                member.staff.user.into(),
                member.staff.org.into(),
                member.staff.unit.into(),
                member.role.as_str().into(),
                (k < 3).into(),
                member.coordinator.into(),
                format!(
                    "{:02} {:02} {:02} {:02}",
                    70 + k,
                    i % 100,
                    (i / 100) % 100,
                    k * 11
                )
                .into(),
                String::new().into(),
                "Hverdage 8-15".into(),
                added.into(),
            ]);
            if k > 0 {
                self.event(course, added, lead, "member_added", &member.staff.name);
                self.record(
                    lead,
                    added,
                    "care-team",
                    AuditEvent::allowed(AuditAction::TeamMemberAdded)
                        .subject(subject)
                        .object(object.clone()),
                );
            }
        }
        let span = (end - opened).max(DAY_MS);
        for (p, code) in phases.iter().enumerate().take(reached).skip(1) {
            let at = opened + span * p as i64 / (phases.len() as i64 + 1);
            self.event(course, at, lead, "phase", code);
            self.record(
                lead,
                at,
                "care-team",
                AuditEvent::allowed(AuditAction::CoursePhaseChanged)
                    .subject(subject)
                    .object(object.clone()),
            );
        }
        self.plan(course, i, opened, span, lead, subject)?;
        // Most citizens consented orally to share with the region and their GP. The consent
        // covers the minutes, so the course may come on the Fælles Team's agenda.
        if (closed.is_none() || self.rng.gen_bool(0.5)) && self.rng.gen_bool(0.85) {
            self.consent(citizen, opened, lead, shared_with);
            let on_agenda = meetings::CourseOnAgenda {
                course,
                citizen,
                citizen_name: &citizen_name,
                opened,
                closed,
                coordinator: lead,
            };
            let mut ids = (self.ids.case, self.ids.agreement);
            let team = &self.layout.teams[i % self.layout.teams.len()];
            self.cases
                .course(team, &on_agenda, &mut self.rng, &mut ids, &mut self.audit)?;
            (self.ids.case, self.ids.agreement) = ids;
        }
        // Reads by the team over the course's life: about one a month, at most three years'.
        let months = (span / (30 * DAY_MS)).clamp(1, 36);
        for r in 0..months {
            let reader = team[self.rng.gen_range(0..team.len())].staff;
            let at = opened + span * r / months + self.rng.gen_range(0..DAY_MS);
            let (action, purpose) = match (r % 2, reader.org == lead.org) {
                (0, true) => (AuditAction::CourseRead, "care-team"),
                (0, false) => (AuditAction::CourseRead, "care-team-consent"),
                (_, true) => (AuditAction::PlanRead, "care-team"),
                (_, false) => (AuditAction::PlanRead, "care-team-consent"),
            };
            self.record(
                reader,
                at,
                purpose,
                AuditEvent::allowed(action)
                    .subject(subject)
                    .object(object.clone()),
            );
        }
        if let Some(at) = closed {
            self.event(course, at, lead, "closed", "");
            self.record(
                lead,
                at,
                "care-team",
                AuditEvent::allowed(AuditAction::CourseClosed)
                    .subject(subject)
                    .object(object),
            );
        }
        Ok(())
    }

    /// Plan versions as the team writes them: goals, interventions, crisis plan, review date,
    /// then progress notes on a shared goal.
    pub(super) fn plan(
        &mut self,
        course: i64,
        i: usize,
        opened: i64,
        span: i64,
        lead: &Staff,
        subject: CitizenId,
    ) -> Result<(), String> {
        let mut plan = bro_domain::plan::PlanContent::default();
        let own = plan.add_goal(
            GoalOwner::Citizen,
            pick(CITIZEN_GOALS, i).to_string(),
            LifeArea::DailyLife,
            None,
        );
        let (team_text, area) = *pick(TEAM_GOALS, i / 3);
        let shared = plan.add_goal(GoalOwner::Team, team_text.to_owned(), area, None);
        let mut version = 0;
        let mut save =
            |w: &mut Self, section: Section, plan: &bro_domain::plan::PlanContent, at: i64| {
                w.plans.push(vec![
                    course.into(),
                    i64::from(version).into(),
                    at.into(),
                    Some(lead.user).into(),
                    section.as_str().into(),
                    plan.review_date.clone().into(),
                    plan.to_json().into(),
                ]);
                w.event(course, at, lead, "plan_version", &version.to_string());
                w.record(
                    lead,
                    at,
                    "care-team",
                    AuditEvent::allowed(AuditAction::PlanSaved)
                        .subject(subject)
                        .object(format!("course:{course}")),
                );
                version += 1;
            };
        let step = (span / 8).max(60_000);
        save(self, Section::Goals, &plan, opened + step);
        plan.add_intervention(Intervention {
            id: 0,
            title: "Bostøtte".to_owned(),
            goal_ids: vec![own, shared],
            responsible_org: "Kommunen".to_owned(),
            responsible_person: lead.name.clone(),
            legal_basis: "Serviceloven § 85".to_owned(),
            frequency: "To gange om ugen".to_owned(),
            start: None,
            end: None,
            status: InterventionStatus::Active,
            next_step: "Opfølgning på næste teammøde".to_owned(),
        })
        .map_err(|e| e.to_string())?;
        save(self, Section::Interventions, &plan, opened + 2 * step);
        plan.crisis = CrisisPlan {
            warning_signs: "Sover dårligt, trækker sig fra familien".to_owned(),
            what_helps: "Ro og at tale med kontaktpersonen".to_owned(),
            what_does_not_help: "Mange mennesker på én gang".to_owned(),
            contacts: "Kontaktperson i dagtid; akutteamet døgnet rundt".to_owned(),
            medication: String::new(),
            wishes: String::new(),
        };
        save(self, Section::Crisis, &plan, opened + 3 * step);
        let review = time::OffsetDateTime::from_unix_timestamp((opened + span) / 1000)
            .map_err(|e| e.to_string())?
            .date();
        plan.review_date = Some(review.to_string());
        save(self, Section::Review, &plan, opened + 4 * step);
        for n in 0..self.rng.gen_range(0..3) {
            let at = opened + (5 + n) * step;
            let day = time::OffsetDateTime::from_unix_timestamp(at / 1000)
                .map_err(|e| e.to_string())?
                .date();
            plan.note_goal(
                shared,
                bro_domain::plan::GoalNote {
                    day: day.to_string(),
                    author: lead.name.clone(),
                    text: pick(GOAL_NOTES, i + n as usize).to_string(),
                },
            )
            .map_err(|e| e.to_string())?;
            save(self, Section::Goals, &plan, at);
        }
        Ok(())
    }
}
