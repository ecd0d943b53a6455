//! The one coordinated plan of a course: the citizen's own goals in their own words, the
//! team's shared goals, interventions from every sector, the crisis plan and the review date.
//!
//! A plan is kept as versions. Each version is a whole `PlanContent`; a change names the
//! section it touched, and two people editing different sections never block each other,
//! while two editing the same section are told (see `PlanContent::section_eq`).

use crate::coded::coded;

use serde::{Deserialize, Serialize};

coded!(
    /// Life areas of the KIP guideline (Sundhedsstyrelsen 2014).
    LifeArea, "life-area-" {
        Housing => "housing",
        WorkEducation => "work_education",
        Health => "health",
        SubstanceUse => "substance_use",
        Relations => "relations",
        Economy => "economy",
        DailyLife => "daily_life",
    }
);

coded!(
    InterventionStatus, "intervention-status-" {
        Planned => "planned",
        Active => "active",
        Paused => "paused",
        Ended => "ended",
    }
);

coded!(
    /// The parts of a plan that are edited (and versioned) on their own.
    Section, "plan-section-" {
        Goals => "goals",
        Interventions => "interventions",
        Crisis => "crisis",
        Review => "review",
        Authority => "authority",
        Kind => "kind",
    }
);

coded!(
    /// What kind of plan this is. The law names two with mandatory content: the discharge
    /// agreement (Psykiatriloven § 13 a) and the coordination plan (§ 13 b).
    PlanKind, "plan-kind-" {
        Coordinated => "coordinated",
        DischargeAgreement => "discharge_agreement_13a",
        CoordinationPlan => "coordination_plan_13b",
    }
);

#[expect(
    clippy::derivable_impls,
    reason = "the enum is declared by a macro that takes no variant attributes"
)]
impl Default for PlanKind {
    fn default() -> Self {
        PlanKind::Coordinated
    }
}

coded!(
    /// What a plan that the law names must contain before it can be marked complete.
    Requirement, "plan-missing-" {
        Goal => "goal",
        CitizenGoal => "citizen_goal",
        Intervention => "intervention",
        Responsible => "responsible",
        TwoSectors => "two_sectors",
        WarningSigns => "warning_signs",
        CrisisContacts => "crisis_contacts",
        Medication => "medication",
        ReviewDate => "review_date",
        Authority => "authority",
    }
);

/// Whose goal: the citizen's own (their words, never rewritten by staff) or the team's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalOwner {
    Citizen,
    Team,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: u32,
    pub owner: GoalOwner,
    /// Exactly as written; for the citizen's goals, exactly as the citizen wrote or said it.
    pub text: String,
    pub life_area: LifeArea,
    /// `YYYY-MM-DD`, validated by [`parse_day`].
    pub target_date: Option<String>,
    /// How it is going, oldest first: the team's progress notes.
    #[serde(default)]
    pub notes: Vec<GoalNote>,
}

impl Goal {
    /// Whether the goal itself (its words, area and date; not its notes) is the same.
    pub fn same_goal(&self, other: &Goal) -> bool {
        self.owner == other.owner
            && self.text == other.text
            && self.life_area == other.life_area
            && self.target_date == other.target_date
    }
}

/// A progress note on a goal: what happened, by whom, on which day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalNote {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub author: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    pub id: u32,
    pub title: String,
    pub goal_ids: Vec<u32>,
    pub responsible_org: String,
    pub responsible_person: String,
    /// E.g. "Serviceloven § 85".
    pub legal_basis: String,
    pub frequency: String,
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: InterventionStatus,
    pub next_step: String,
}

/// Who may decide what, within which limits, and where to go when they cannot (VIVE element 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    pub id: u32,
    /// The kind of decision, e.g. "Ændring af medicin" or "Midlertidigt ophold (MPO)".
    pub decision: String,
    /// Who decides: a role or a named person and their organisation.
    pub who: String,
    pub limits: String,
    pub escalation: String,
    /// E.g. "Samme dag" or "5 hverdage".
    pub response_time: String,
}

/// The crisis plan (kriseplan / mestringsplan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisPlan {
    pub warning_signs: String,
    pub what_helps: String,
    pub what_does_not_help: String,
    pub contacts: String,
    pub medication: String,
    pub wishes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContent {
    #[serde(default)]
    pub kind: PlanKind,
    pub goals: Vec<Goal>,
    pub interventions: Vec<Intervention>,
    pub crisis: CrisisPlan,
    #[serde(default)]
    pub authorities: Vec<Authority>,
    pub review_date: Option<String>,
    /// This version was checked complete for its kind; a later change clears it.
    #[serde(default)]
    pub completed: bool,
}

/// The longest text a plan field takes.
pub const MAX_FIELD: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("text required")]
    TextRequired,
    #[error("text too long")]
    TooLong,
    #[error("not a date")]
    BadDate,
    #[error("end before start")]
    EndBeforeStart,
    #[error("a review at most six months ahead")]
    ReviewTooLate,
    #[error("responsible actor required")]
    ResponsibleRequired,
    #[error("unknown goal")]
    UnknownGoal,
    #[error("unknown intervention")]
    UnknownIntervention,
    #[error(
        "the citizen's own words are changed only by the citizen, the team's goals only by the team"
    )]
    NotYourGoal,
}

impl PlanError {
    pub fn message_key(self) -> &'static str {
        match self {
            PlanError::TextRequired => "field-required",
            PlanError::TooLong => "field-too-long",
            PlanError::BadDate => "plan-error-date",
            PlanError::EndBeforeStart => "plan-error-end-before-start",
            PlanError::ReviewTooLate => "plan-error-review-too-late",
            PlanError::ResponsibleRequired => "plan-error-responsible",
            PlanError::UnknownGoal => "plan-error-unknown-goal",
            PlanError::UnknownIntervention => "plan-error-unknown-intervention",
            PlanError::NotYourGoal => "plan-error-not-your-goal",
        }
    }
}

/// A day typed as `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn parse_day(s: &str) -> Result<time::Date, PlanError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).map_err(|_| PlanError::BadDate)
}

/// A required text: trimmed, not empty, not too long. Kept otherwise exactly as typed.
pub fn required_text(s: &str) -> Result<String, PlanError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(PlanError::TextRequired);
    }
    optional_text(t)
}

pub fn optional_text(s: &str) -> Result<String, PlanError> {
    if s.chars().count() > MAX_FIELD {
        return Err(PlanError::TooLong);
    }
    Ok(s.trim().to_owned())
}

/// An optional day field: empty is none.
pub fn optional_day(s: &str) -> Result<Option<String>, PlanError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    parse_day(s).map(|d| Some(d.to_string()))
}

impl PlanContent {
    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }

    fn next_goal_id(&self) -> u32 {
        self.goals.iter().map(|g| g.id).max().unwrap_or(0) + 1
    }

    fn next_intervention_id(&self) -> u32 {
        self.interventions.iter().map(|i| i.id).max().unwrap_or(0) + 1
    }

    pub fn add_goal(
        &mut self,
        owner: GoalOwner,
        text: String,
        life_area: LifeArea,
        target_date: Option<String>,
    ) -> u32 {
        let id = self.next_goal_id();
        self.goals.push(Goal {
            id,
            owner,
            text,
            life_area,
            target_date,
            notes: Vec::new(),
        });
        id
    }

    pub fn goal(&self, id: u32) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// Rewords a goal. Only its owner may: staff never rewrite the citizen's own words, and
    /// the citizen's page changes only the citizen's goals.
    pub fn edit_goal(
        &mut self,
        id: u32,
        editor: GoalOwner,
        text: String,
        life_area: LifeArea,
        target_date: Option<String>,
    ) -> Result<(), PlanError> {
        let g = self
            .goals
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or(PlanError::UnknownGoal)?;
        if g.owner != editor {
            return Err(PlanError::NotYourGoal);
        }
        g.text = text;
        g.life_area = life_area;
        g.target_date = target_date;
        Ok(())
    }

    /// Adds a progress note to any goal (the citizen's included: notes are the team's words
    /// about the goal, never a change of it).
    pub fn note_goal(&mut self, id: u32, note: GoalNote) -> Result<(), PlanError> {
        self.goals
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or(PlanError::UnknownGoal)?
            .notes
            .push(note);
        Ok(())
    }

    /// Adds an intervention; it must name a responsible actor, its goals must exist and it
    /// may not end before it starts.
    pub fn add_intervention(&mut self, mut i: Intervention) -> Result<u32, PlanError> {
        if i.responsible_org.trim().is_empty() && i.responsible_person.trim().is_empty() {
            return Err(PlanError::ResponsibleRequired);
        }
        if i.goal_ids
            .iter()
            .any(|g| !self.goals.iter().any(|goal| goal.id == *g))
        {
            return Err(PlanError::UnknownGoal);
        }
        if let (Some(start), Some(end)) = (&i.start, &i.end)
            && parse_day(end)? < parse_day(start)?
        {
            return Err(PlanError::EndBeforeStart);
        }
        i.id = self.next_intervention_id();
        let id = i.id;
        self.interventions.push(i);
        Ok(id)
    }

    /// Whether one section is the same in two versions.
    pub fn section_eq(&self, other: &PlanContent, section: Section) -> bool {
        match section {
            Section::Goals => self.goals == other.goals,
            Section::Interventions => self.interventions == other.interventions,
            Section::Crisis => self.crisis == other.crisis,
            Section::Review => self.review_date == other.review_date,
            Section::Authority => self.authorities == other.authorities,
            Section::Kind => self.kind == other.kind && self.completed == other.completed,
        }
    }

    /// Moves an intervention along (planned, active, paused, ended) and sets its next step.
    pub fn update_intervention(
        &mut self,
        id: u32,
        status: InterventionStatus,
        next_step: String,
    ) -> Result<(), PlanError> {
        let i = self
            .interventions
            .iter_mut()
            .find(|i| i.id == id)
            .ok_or(PlanError::UnknownIntervention)?;
        i.status = status;
        i.next_step = next_step;
        Ok(())
    }

    pub fn intervention(&self, id: u32) -> Option<&Intervention> {
        self.interventions.iter().find(|i| i.id == id)
    }

    pub fn add_authority(&mut self, mut a: Authority) -> u32 {
        a.id = self.authorities.iter().map(|x| x.id).max().unwrap_or(0) + 1;
        let id = a.id;
        self.authorities.push(a);
        id
    }

    /// What is missing before this plan may be marked complete. An ordinary coordinated plan
    /// needs a goal and a review date; the plans the law names need their mandatory content
    /// (the National Audit Office found most of them incomplete).
    pub fn missing(&self) -> Vec<Requirement> {
        let mut missing = Vec::new();
        let mut need = |ok: bool, r: Requirement| {
            if !ok {
                missing.push(r);
            }
        };
        need(!self.goals.is_empty(), Requirement::Goal);
        need(self.review_date.is_some(), Requirement::ReviewDate);
        if self.kind == PlanKind::Coordinated {
            return missing;
        }
        need(
            self.goals.iter().any(|g| g.owner == GoalOwner::Citizen),
            Requirement::CitizenGoal,
        );
        need(!self.interventions.is_empty(), Requirement::Intervention);
        need(
            self.interventions.iter().all(|i| {
                !i.responsible_org.trim().is_empty() || !i.responsible_person.trim().is_empty()
            }),
            Requirement::Responsible,
        );
        need(
            !self.crisis.warning_signs.trim().is_empty(),
            Requirement::WarningSigns,
        );
        need(
            !self.crisis.contacts.trim().is_empty(),
            Requirement::CrisisContacts,
        );
        need(
            !self.crisis.medication.trim().is_empty(),
            Requirement::Medication,
        );
        need(!self.authorities.is_empty(), Requirement::Authority);
        if self.kind == PlanKind::CoordinationPlan {
            // A coordination plan binds both sectors: interventions from at least two organisations.
            let mut orgs: Vec<String> = self
                .interventions
                .iter()
                .map(|i| i.responsible_org.trim().to_lowercase())
                .collect();
            orgs.sort();
            orgs.dedup();
            need(
                orgs.iter().filter(|o| !o.is_empty()).count() >= 2,
                Requirement::TwoSectors,
            );
        }
        missing
    }

    /// A plain line-by-line rendering, for comparing versions. Labels are codes, so it does
    /// not depend on the reader's language.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for g in &self.goals {
            let owner = match g.owner {
                GoalOwner::Citizen => "citizen",
                GoalOwner::Team => "team",
            };
            let date = g.target_date.as_deref().unwrap_or("-");
            out.push(format!(
                "goal {} [{owner}, {}, {date}]: {}",
                g.id,
                g.life_area.as_str(),
                g.text
            ));
            for n in &g.notes {
                out.push(format!(
                    "goal {} note {} ({}): {}",
                    g.id, n.day, n.author, n.text
                ));
            }
        }
        for i in &self.interventions {
            let goals = i
                .goal_ids
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            out.push(format!(
                "intervention {} [{}; goals {goals}]: {} — {} / {} — {} — {} — {}..{} — next: {}",
                i.id,
                i.status.as_str(),
                i.title,
                i.responsible_org,
                i.responsible_person,
                i.legal_basis,
                i.frequency,
                i.start.as_deref().unwrap_or("-"),
                i.end.as_deref().unwrap_or("-"),
                i.next_step
            ));
        }
        let c = &self.crisis;
        for (k, v) in [
            ("warning_signs", &c.warning_signs),
            ("what_helps", &c.what_helps),
            ("what_does_not_help", &c.what_does_not_help),
            ("contacts", &c.contacts),
            ("medication", &c.medication),
            ("wishes", &c.wishes),
        ] {
            if !v.is_empty() {
                out.push(format!("crisis {k}: {v}"));
            }
        }
        for a in &self.authorities {
            out.push(format!(
                "authority {}: {} — {} — limits: {} — escalation: {} ({})",
                a.id, a.decision, a.who, a.limits, a.escalation, a.response_time
            ));
        }
        if let Some(d) = &self.review_date {
            out.push(format!("review: {d}"));
        }
        out.push(format!(
            "kind: {}{}",
            self.kind.as_str(),
            if self.completed { " (complete)" } else { "" }
        ));
        out
    }
}

/// One line of a comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// A line diff (longest common subsequence): what was removed from `a` and added in `b`.
pub fn diff(a: &[String], b: &[String]) -> Vec<DiffLine> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].clone()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i].clone()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].clone()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().cloned().map(DiffLine::Removed));
    out.extend(b[j..].iter().cloned().map(DiffLine::Added));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intervention(goal_ids: Vec<u32>, start: Option<&str>, end: Option<&str>) -> Intervention {
        Intervention {
            id: 0,
            title: "Bostøtte".into(),
            goal_ids,
            responsible_org: "Holstebro Kommune".into(),
            responsible_person: String::new(),
            legal_basis: "Serviceloven § 85".into(),
            frequency: "2 gange om ugen".into(),
            start: start.map(str::to_owned),
            end: end.map(str::to_owned),
            status: InterventionStatus::Planned,
            next_step: String::new(),
        }
    }

    #[test]
    fn only_a_goals_owner_rewords_it_and_notes_never_change_it() {
        let mut p = PlanContent::default();
        let own = p.add_goal(
            GoalOwner::Citizen,
            "Min egen bolig".into(),
            LifeArea::Housing,
            None,
        );
        let shared = p.add_goal(
            GoalOwner::Team,
            "Stabil bolig".into(),
            LifeArea::Housing,
            None,
        );
        let reword = |p: &mut PlanContent, id, who| {
            p.edit_goal(
                id,
                who,
                "Andre ord".into(),
                LifeArea::Health,
                Some("2027-01-01".into()),
            )
        };
        assert_eq!(
            reword(&mut p, own, GoalOwner::Team),
            Err(PlanError::NotYourGoal)
        );
        assert_eq!(
            reword(&mut p, shared, GoalOwner::Citizen),
            Err(PlanError::NotYourGoal)
        );
        assert_eq!(
            reword(&mut p, 99, GoalOwner::Team),
            Err(PlanError::UnknownGoal)
        );
        assert_eq!(p.goal(own).map(|g| g.text.as_str()), Some("Min egen bolig"));
        assert_eq!(reword(&mut p, shared, GoalOwner::Team), Ok(()));
        assert_eq!(reword(&mut p, own, GoalOwner::Citizen), Ok(()));
        let before = p.goal(own).cloned().expect("goal");
        let note = GoalNote {
            day: "2026-11-25".into(),
            author: "Karen".into(),
            text: "Har set to lejligheder".into(),
        };
        p.note_goal(own, note.clone()).expect("note");
        let after = p.goal(own).expect("goal");
        assert!(after.same_goal(&before) && after.notes == [note]);
        assert!(p.lines().contains(&format!(
            "goal {own} note 2026-11-25 (Karen): Har set to lejligheder"
        )));
        assert_eq!(
            p.note_goal(99, after.notes[0].clone()),
            Err(PlanError::UnknownGoal)
        );
    }

    #[test]
    fn the_citizens_words_are_kept_exactly() {
        let mut p = PlanContent::default();
        let words = "  Jeg vil have min egen lejlighed – og en hund!  ";
        p.add_goal(
            GoalOwner::Citizen,
            required_text(words).expect("text"),
            LifeArea::Housing,
            None,
        );
        assert_eq!(
            p.goals[0].text,
            "Jeg vil have min egen lejlighed – og en hund!"
        );
        let json = serde_json::to_string(&p).expect("json");
        let back: PlanContent = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, p);
    }

    #[test]
    fn interventions_need_a_responsible_actor_known_goals_and_ordered_dates() {
        let mut p = PlanContent::default();
        let g = p.add_goal(
            GoalOwner::Team,
            "Stabil bolig".into(),
            LifeArea::Housing,
            None,
        );
        assert_eq!(
            p.add_intervention(intervention(
                vec![g],
                Some("2026-01-10"),
                Some("2026-03-01")
            )),
            Ok(1)
        );
        assert_eq!(
            p.add_intervention(intervention(vec![99], None, None)),
            Err(PlanError::UnknownGoal)
        );
        assert_eq!(
            p.add_intervention(intervention(
                vec![g],
                Some("2026-03-01"),
                Some("2026-01-10")
            )),
            Err(PlanError::EndBeforeStart)
        );
        let mut nobody = intervention(vec![g], None, None);
        nobody.responsible_org.clear();
        assert_eq!(
            p.add_intervention(nobody),
            Err(PlanError::ResponsibleRequired)
        );
        assert_eq!(p.interventions.len(), 1);
    }

    #[test]
    fn texts_and_days_are_checked() {
        assert_eq!(required_text("   "), Err(PlanError::TextRequired));
        assert_eq!(
            required_text(&"x".repeat(MAX_FIELD + 1)),
            Err(PlanError::TooLong)
        );
        assert_eq!(optional_day(""), Ok(None));
        assert_eq!(optional_day("2026-02-29"), Err(PlanError::BadDate));
        assert_eq!(optional_day("2028-02-29"), Ok(Some("2028-02-29".into())));
        assert_eq!(optional_day("29-02-2028"), Err(PlanError::BadDate));
    }

    #[test]
    fn sections_compare_on_their_own() {
        let a = PlanContent::default();
        let mut b = a.clone();
        b.crisis.what_helps = "Ro og musik".into();
        assert!(!a.section_eq(&b, Section::Crisis));
        assert!(a.section_eq(&b, Section::Goals));
    }

    #[test]
    fn the_plans_the_law_names_need_their_mandatory_content() {
        let mut p = PlanContent::default();
        assert_eq!(p.missing(), [Requirement::Goal, Requirement::ReviewDate]);
        p.add_goal(
            GoalOwner::Team,
            "Stabil bolig".into(),
            LifeArea::Housing,
            None,
        );
        p.review_date = Some("2027-01-01".into());
        assert!(
            p.missing().is_empty(),
            "an ordinary plan is complete with a goal and a review date"
        );

        p.kind = PlanKind::DischargeAgreement;
        assert_eq!(
            p.missing(),
            [
                Requirement::CitizenGoal,
                Requirement::Intervention,
                Requirement::WarningSigns,
                Requirement::CrisisContacts,
                Requirement::Medication,
                Requirement::Authority
            ]
        );
        p.add_goal(
            GoalOwner::Citizen,
            "Min egen lejlighed".into(),
            LifeArea::Housing,
            None,
        );
        let _ = p.add_intervention(intervention(vec![1], None, None));
        p.crisis = CrisisPlan {
            warning_signs: "Sover dårligt".into(),
            contacts: "Akutteam".into(),
            medication: "Aftalt med egen læge".into(),
            ..CrisisPlan::default()
        };
        p.add_authority(Authority {
            id: 0,
            decision: "Ændring af medicin".into(),
            who: "Overlæge".into(),
            limits: String::new(),
            escalation: "Ledende overlæge".into(),
            response_time: "Samme dag".into(),
        });
        assert!(p.missing().is_empty(), "§ 13 a complete: {:?}", p.missing());

        p.kind = PlanKind::CoordinationPlan;
        assert_eq!(
            p.missing(),
            [Requirement::TwoSectors],
            "§ 13 b binds both sectors"
        );
        let mut regional = intervention(vec![1], None, None);
        regional.responsible_org = "Region Midtjylland".into();
        let _ = p.add_intervention(regional);
        assert!(p.missing().is_empty());
    }

    #[test]
    fn diff_shows_what_changed() {
        let a: Vec<String> = ["x", "y", "z"].iter().map(|s| (*s).to_owned()).collect();
        let b: Vec<String> = ["x", "z", "w"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            diff(&a, &b),
            vec![
                DiffLine::Same("x".into()),
                DiffLine::Removed("y".into()),
                DiffLine::Same("z".into()),
                DiffLine::Added("w".into())
            ]
        );
    }
}
