//! The plan as a printable document, in two versions: the team's full plan, and the citizen's
//! plain version (their own goals first, what each actor does, whom to call, the crisis plan).
//! Both carry the version and the day they were printed, so a paper copy can be matched to
//! the plan it came from.

use super::Chrome;
use bro_domain::plan::{GoalOwner, PlanContent};
use bro_render::{Document, Item, Section};
use bro_store::{Course, PlanVersion};

/// What is printed: a course and one version of its plan.
pub struct PrintedPlan<'a> {
    pub course: &'a Course,
    pub plan: Option<&'a PlanVersion>,
    pub printed_ms: i64,
    /// The crisis plan is not shared with the reader's organisation.
    pub crisis_withheld: bool,
}

impl PrintedPlan<'_> {
    fn content(&self) -> PlanContent {
        self.plan.map(|p| p.content.clone()).unwrap_or_default()
    }

    fn version(&self) -> i64 {
        self.plan.map_or(0, |p| p.version)
    }

    fn document(&self, chrome: &Chrome, title: String, sections: Vec<Section>) -> Document {
        let printed = chrome.date(&self.printed_ms);
        let version = match self.plan {
            Some(p) => format!(
                "{} – {}, {}",
                chrome.t1("plan-version", "version", &p.version.to_string()),
                p.author_name.clone().unwrap_or_default(),
                super::local_time(p.at_ms)
            ),
            None => chrome.t("plan-no-version"),
        };
        let day = super::danish_date(self.printed_ms);
        Document {
            lang: chrome.lang_code(),
            footer: chrome.t1("pdf-footer", "version", &self.version().to_string()),
            subtitle: vec![
                format!(
                    "{}: {}",
                    chrome.t("me-cpr"),
                    self.course.citizen_cpr.formatted()
                ),
                version,
                chrome.t1("pdf-printed", "date", &printed),
            ],
            title,
            date: [
                u16::try_from(day.year()).unwrap_or(0),
                u16::from(u8::from(day.month())),
                u16::from(day.day()),
            ],
            sections,
        }
    }
}

fn goal_item(chrome: &Chrome, g: &bro_domain::plan::Goal) -> Item {
    let mut item = Item::text(g.text.clone())
        .field(
            chrome.t("plan-life-area"),
            chrome.t(g.life_area.label_key()),
        )
        .field(
            chrome.t("plan-target-date"),
            g.target_date.clone().unwrap_or_default(),
        )
        .field(
            chrome.t("goal-latest-note"),
            g.notes
                .last()
                .map(|n| format!("{} ({}, {})", n.text, n.day, n.author))
                .unwrap_or_default(),
        );
    item.quote = g.owner == GoalOwner::Citizen;
    item
}

fn goals_of(chrome: &Chrome, content: &PlanContent, owner: GoalOwner) -> Vec<Item> {
    content
        .goals
        .iter()
        .filter(|g| g.owner == owner)
        .map(|g| goal_item(chrome, g))
        .collect()
}

fn or_none(items: Vec<Item>, chrome: &Chrome, key: &str) -> Vec<Item> {
    if items.is_empty() {
        vec![Item::text(chrome.t(key))]
    } else {
        items
    }
}

fn crisis(chrome: &Chrome, content: &PlanContent, withheld: bool) -> Section {
    if withheld {
        return Section {
            heading: chrome.t("plan-crisis"),
            items: vec![Item::text(chrome.t("plan-crisis-withheld"))],
        };
    }
    let c = &content.crisis;
    let item = Item::default()
        .field(chrome.t("crisis-warning-signs"), c.warning_signs.clone())
        .field(chrome.t("crisis-what-helps"), c.what_helps.clone())
        .field(
            chrome.t("crisis-what-does-not-help"),
            c.what_does_not_help.clone(),
        )
        .field(chrome.t("crisis-contacts"), c.contacts.clone())
        .field(chrome.t("crisis-medication"), c.medication.clone())
        .field(chrome.t("crisis-wishes"), c.wishes.clone());
    let items = if item.fields.is_empty() {
        vec![Item::text(chrome.t("pdf-crisis-none"))]
    } else {
        vec![item]
    };
    Section {
        heading: chrome.t("plan-crisis"),
        items,
    }
}

fn team(chrome: &Chrome, course: &Course) -> Section {
    let items = course
        .team
        .iter()
        .map(|m| {
            let mut role = chrome.t(m.role.label_key());
            if m.is_coordinator {
                role = format!("{role} ({})", chrome.t("course-coordinator"));
            }
            Item {
                heading: Some(m.name.clone()),
                ..Item::default()
            }
            .field(chrome.t("col-role"), role)
            .field(
                chrome.t("col-unit"),
                format!("{}, {}", m.unit_name, m.org_name),
            )
            .field(chrome.t("member-phone"), m.phone.clone())
            .field(chrome.t("member-mail"), m.mail.clone())
            .field(chrome.t("pdf-hours"), m.hours.clone())
        })
        .collect();
    Section {
        heading: chrome.t("course-team"),
        items,
    }
}

/// Who carries an intervention: the organisation and the person, as far as they are named.
fn responsible(i: &bro_domain::plan::Intervention) -> String {
    [i.responsible_org.as_str(), i.responsible_person.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn period(start: &Option<String>, end: &Option<String>) -> String {
    match (start, end) {
        (None, None) => String::new(),
        (s, e) => format!(
            "{} – {}",
            s.as_deref().unwrap_or(""),
            e.as_deref().unwrap_or("")
        ),
    }
}

/// The team's version: everything the plan holds.
pub fn professional(chrome: &Chrome, p: &PrintedPlan) -> Document {
    let content = p.content();
    let goals = content
        .goals
        .iter()
        .map(|g| Item {
            heading: Some(chrome.t(match g.owner {
                GoalOwner::Citizen => "plan-goal-citizen",
                GoalOwner::Team => "plan-goal-team",
            })),
            ..goal_item(chrome, g)
        })
        .collect();
    let interventions = content
        .interventions
        .iter()
        .map(|i| {
            let goal_texts = i
                .goal_ids
                .iter()
                .filter_map(|id| content.goals.iter().find(|g| g.id == *id))
                .map(|g| g.text.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let who = responsible(i);
            Item {
                heading: Some(i.title.clone()),
                ..Item::default()
            }
            .field(chrome.t("plan-responsible"), who)
            .field(chrome.t("pdf-legal-basis"), i.legal_basis.clone())
            .field(chrome.t("plan-frequency"), i.frequency.clone())
            .field(chrome.t("plan-period"), period(&i.start, &i.end))
            .field(chrome.t("col-status"), chrome.t(i.status.label_key()))
            .field(chrome.t("plan-next-step"), i.next_step.clone())
            .field(chrome.t("plan-goals"), goal_texts)
        })
        .collect();
    let authorities = content
        .authorities
        .iter()
        .map(|a| {
            Item {
                heading: Some(a.decision.clone()),
                ..Item::default()
            }
            .field(chrome.t("authority-who"), a.who.clone())
            .field(chrome.t("authority-limits"), a.limits.clone())
            .field(chrome.t("authority-escalation"), a.escalation.clone())
            .field(chrome.t("authority-response-time"), a.response_time.clone())
        })
        .collect();
    let completeness = if content.completed {
        chrome.t("plan-complete")
    } else {
        chrome.t("plan-not-complete")
    };
    let about = Item::default()
        .field(chrome.t("plan-kind"), chrome.t(content.kind.label_key()))
        .field(chrome.t("col-status"), completeness)
        .field(
            chrome.t("col-phase"),
            chrome.phase(&p.course.phases, &p.course.phase),
        )
        .field(
            chrome.t("plan-review-date"),
            content.review_date.clone().unwrap_or_default(),
        );
    let sections = vec![
        Section {
            heading: chrome.t("pdf-about"),
            items: vec![about],
        },
        Section {
            heading: chrome.t("plan-goals"),
            items: or_none(goals, chrome, "plan-goals-none"),
        },
        Section {
            heading: chrome.t("plan-interventions"),
            items: or_none(interventions, chrome, "plan-interventions-none"),
        },
        crisis(chrome, &content, p.crisis_withheld),
        Section {
            heading: chrome.t("plan-authority"),
            items: or_none(authorities, chrome, "plan-authority-none"),
        },
        team(chrome, p.course),
    ];
    p.document(
        chrome,
        chrome.t1("plan-heading", "name", &p.course.citizen_name),
        sections,
    )
}

/// The citizen's plain version: their own words first, then what everyone does.
pub fn citizen(chrome: &Chrome, p: &PrintedPlan) -> Document {
    let content = p.content();
    let what_we_do = content
        .interventions
        .iter()
        .map(|i| {
            let who = responsible(i);
            Item {
                heading: Some(i.title.clone()),
                ..Item::default()
            }
            .field(chrome.t("pdf-who"), who)
            .field(chrome.t("pdf-how-often"), i.frequency.clone())
            .field(chrome.t("plan-next-step"), i.next_step.clone())
        })
        .collect();
    let sections = vec![
        Section {
            heading: chrome.t("me-my-goals"),
            items: or_none(
                goals_of(chrome, &content, GoalOwner::Citizen),
                chrome,
                "pdf-my-goals-none",
            ),
        },
        Section {
            heading: chrome.t("me-team-goals"),
            items: or_none(
                goals_of(chrome, &content, GoalOwner::Team),
                chrome,
                "plan-goals-none",
            ),
        },
        Section {
            heading: chrome.t("me-what-we-do"),
            items: or_none(what_we_do, chrome, "plan-interventions-none"),
        },
        Section {
            heading: chrome.t("me-who-to-call"),
            ..team(chrome, p.course)
        },
        crisis(chrome, &content, p.crisis_withheld),
    ];
    p.document(
        chrome,
        chrome.t1("pdf-citizen-title", "name", &p.course.citizen_name),
        sections,
    )
}
