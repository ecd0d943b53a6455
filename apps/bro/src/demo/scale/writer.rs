//! One chunk of generated citizens, gathered as rows for the bulk load: the writer, its
//! audit records and timeline events, consents, and the finished chunk.

use super::layout::{Bases, Layout, Staff};
use super::{MAX_COURSES, MAX_EVENTS, MAX_MEMBERS, chunk_key, meetings, referral_rows};
use bro_audit::{AuditAction, AuditFields};
use bro_domain::{CitizenId, CourseRole, ShareCategory, Timestamp};
use bro_store::{AuditCtx, AuditEvent, BulkChunk, TableRows};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// One chunk of citizens with everything they have.
pub(super) struct ChunkWriter<'a> {
    pub(super) layout: &'a Layout,
    pub(super) rng: StdRng,
    pub(super) citizens: TableRows,
    pub(super) name_words: TableRows,
    pub(super) courses: TableRows,
    pub(super) members: TableRows,
    pub(super) events: TableRows,
    pub(super) plans: TableRows,
    pub(super) consents: TableRows,
    pub(super) consent_orgs: TableRows,
    pub(super) cases: meetings::CaseRows,
    pub(super) referrals: TableRows,
    pub(super) referral_events: TableRows,
    pub(super) stays: TableRows,
    pub(super) stay_events: TableRows,
    pub(super) agreements: TableRows,
    pub(super) audit: Vec<(i64, AuditFields)>,
    pub(super) ids: Bases,
    /// The hospital's messages about the chunk's citizens, received after they are written.
    pub(super) hospital: Vec<Sent>,
}

/// A message the chunk's citizens' hospital sends, with its moment.
pub(super) struct Sent {
    pub(super) at: Timestamp,
    pub(super) bytes: Vec<u8>,
}

/// A care team member of one course.
pub(super) struct Member<'a> {
    pub(super) staff: &'a Staff,
    pub(super) role: CourseRole,
    pub(super) coordinator: bool,
}

impl<'a> ChunkWriter<'a> {
    pub(super) fn new(layout: &'a Layout, k: usize, chunk: usize) -> Self {
        let b = layout.bases;
        let k = k as i64;
        let [referrals, referral_events, stays, stay_events, agreements] =
            referral_rows::referral_tables();
        let per = chunk as i64;
        ChunkWriter {
            layout,
            rng: StdRng::seed_from_u64(
                layout.seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            ),
            citizens: TableRows::new(
                "citizens",
                &[
                    "id",
                    "cpr",
                    "given_name",
                    "family_name",
                    "address",
                    "postal_code",
                    "city",
                    "created_ms",
                    "search_name",
                ],
            ),
            name_words: bro_store::name_word_rows(),
            courses: TableRows::new(
                "courses",
                &[
                    "id",
                    "citizen_id",
                    "phase",
                    "target_groups",
                    "legal_frames",
                    "opened_ms",
                    "closed_ms",
                    "close_reason",
                    "next_step",
                ],
            ),
            members: TableRows::new(
                "care_team_members",
                &[
                    "id",
                    "course_id",
                    "user_id",
                    "org_id",
                    "unit_id",
                    "course_role",
                    "fixed",
                    "is_coordinator",
                    "contact_phone",
                    "contact_mail",
                    "contact_hours",
                    "added_ms",
                ],
            ),
            events: TableRows::new(
                "course_events",
                &[
                    "id",
                    "course_id",
                    "at_ms",
                    "actor_user_id",
                    "kind",
                    "detail",
                ],
            ),
            plans: TableRows::new(
                "plan_versions",
                &[
                    "course_id",
                    "version",
                    "at_ms",
                    "author_user_id",
                    "section",
                    "review_date",
                    "content",
                ],
            ),
            consents: TableRows::new(
                "consents",
                &[
                    "id",
                    "citizen_id",
                    "categories",
                    "purpose",
                    "form",
                    "given_by",
                    "witness",
                    "valid_from_ms",
                    "recorded_by_user_id",
                    "recorded_ms",
                ],
            ),
            consent_orgs: TableRows::new("consent_orgs", &["consent_id", "org_id"]),
            cases: meetings::CaseRows::new(),
            referrals,
            referral_events,
            stays,
            stay_events,
            agreements,
            audit: Vec::new(),
            // Each chunk owns a fixed id range per table, whatever the chunks before it hold.
            ids: Bases {
                citizen: b.citizen + k * per,
                course: b.course + k * per * MAX_COURSES,
                member: b.member + k * per * MAX_COURSES * MAX_MEMBERS,
                event: b.event + k * per * MAX_COURSES * MAX_EVENTS,
                consent: b.consent + k * per,
                case: b.case + k * per * MAX_COURSES * meetings::MAX_CASES,
                agreement: b.agreement + k * per * MAX_COURSES * meetings::MAX_CASES,
                referral: b.referral + k * per,
                referral_event: b.referral_event + k * per * referral_rows::MAX_EVENTS,
                stay: b.stay + k * per,
                stay_event: b.stay_event + k * per * referral_rows::MAX_STAY_EVENTS,
                ..b
            },
            hospital: Vec::new(),
        }
    }

    pub(super) fn record(
        &mut self,
        by: &Staff,
        at_ms: i64,
        purpose: &'static str,
        event: AuditEvent,
    ) {
        let ctx = AuditCtx {
            tenant_id: by.org,
            at_ms,
            actor_user_id: Some(bro_domain::UserId(by.user)),
            actor_role: Some(by.role.as_str().to_owned()),
            actor_unit_id: Some(bro_domain::UnitId(by.unit)),
            purpose,
        };
        self.audit.push((by.org, ctx.fields(&event)));
    }

    pub(super) fn event(&mut self, course: i64, at_ms: i64, by: &Staff, kind: &str, detail: &str) {
        self.ids.event += 1;
        self.events.push(vec![
            self.ids.event.into(),
            course.into(),
            at_ms.into(),
            Some(by.user).into(),
            kind.into(),
            detail.into(),
        ]);
    }

    pub(super) fn consent(&mut self, citizen: i64, at: i64, lead: &Staff, orgs: [i64; 2]) {
        self.ids.consent += 1;
        let id = self.ids.consent;
        let categories = [
            ShareCategory::Health,
            ShareCategory::Plan,
            ShareCategory::CrisisPlan,
            ShareCategory::Minutes,
        ]
        .map(ShareCategory::as_str)
        .join(",");
        self.consents.push(vec![
            id.into(),
            citizen.into(),
            categories.into(),
            bro_domain::consent::PURPOSE.into(),
            "oral".into(),
            "citizen".into(),
            lead.name.clone().into(),
            at.into(),
            lead.user.into(),
            at.into(),
        ]);
        for org in orgs {
            self.consent_orgs.push(vec![id.into(), org.into()]);
        }
        self.record(
            lead,
            at,
            "care-team",
            AuditEvent::allowed(AuditAction::ConsentRecorded)
                .subject(CitizenId(citizen))
                .object(format!("consent:{id}")),
        );
    }

    pub(super) fn finish(self, k: usize) -> BulkChunk {
        BulkChunk {
            tables: vec![
                self.citizens,
                self.name_words,
                self.courses,
                self.members,
                self.events,
                self.plans,
                self.consents,
                self.consent_orgs,
            ]
            .into_iter()
            .chain(self.cases.tables())
            .chain([
                self.referrals,
                self.referral_events,
                self.stays,
                self.stay_events,
                self.agreements,
            ])
            .collect(),
            audit: self.audit,
            done: (chunk_key(k), "1".to_owned()),
        }
    }
}
