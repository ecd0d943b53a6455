//! The one coordinated plan of a course: the citizen's own goals in their own words, the
//! team's shared goals, interventions from every sector, the crisis plan and the review date.
//!
//! A plan is kept as versions. Each version is a whole `PlanContent`; a change names the
//! section it touched, and two people editing different sections never block each other,
//! while two editing the same section are told (see `PlanContent::section_eq`).

use serde::{Deserialize, Serialize};

macro_rules! coded {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($variant:ident => $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// Fluent key of the human name.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $code)),* }
            }
        }
    };
}

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
    pub goals: Vec<Goal>,
    pub interventions: Vec<Intervention>,
    pub crisis: CrisisPlan,
    pub review_date: Option<String>,
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
        });
        id
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
        }
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
        if let Some(d) = &self.review_date {
            out.push(format!("review: {d}"));
        }
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
