//! Who may do what. Every decision about access is made here, in one place, from the acting
//! person's account kind, their active role in a unit, and (later) care-team membership,
//! consent and legal basis. Deny by default: anything not allowed here is refused.

mod purpose;

use bro_domain::consent::{Grants, LegalBasisKind};
use bro_domain::{CaseId, CitizenId, CourseId, OrgId, Role, ShareCategory, TeamId, UnitId, UserId};
pub use purpose::Purpose;

/// The role a staff member is working in right now: one role in one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveRole {
    pub assignment_id: i64,
    pub role: Role,
    pub unit_id: UnitId,
    pub org_id: OrgId,
}

/// The person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff {
        user: UserId,
        home_org: OrgId,
        active: Option<ActiveRole>,
    },
    Citizen {
        user: UserId,
        citizen: CitizenId,
    },
    Relative {
        user: UserId,
    },
}

/// What an actor asks to do. Facts the decision needs (membership, coordination) travel in
/// the permission, loaded by the caller without reading personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Manage units, users and settings of an organisation.
    AdministerOrg(OrgId),
    /// Read a citizen's own record (name, CPR, address).
    ReadCitizenRecord(CitizenId),
    /// Find citizens by name or CPR number (to see whose course exists and whose team one is on).
    SearchCitizens,
    /// List the courses whose care team the actor is on.
    ListOwnCourses,
    /// Open a new course for a citizen, becoming its coordinator.
    OpenCourse(CitizenId),
    /// Read a course and its plan: `member` says whether the actor is on its care team.
    ReadCourse {
        course: CourseId,
        citizen: CitizenId,
        member: bool,
        /// The actor has an emergency access to this citizen in force.
        emergency: bool,
    },
    /// Write in a course's plan: `member` says whether the actor is on its care team,
    /// `sharing` whether their organisation may see the plan.
    EditPlan {
        course: CourseId,
        citizen: CitizenId,
        member: bool,
        open: bool,
        sharing: Sharing,
    },
    /// Read what belongs to the citizen rather than to one course (their network, consents,
    /// legal bases, signed consent documents) through a course: `open` says whether the course
    /// is open. A closed course is history: its former team reads its own records only.
    ReadCitizenData {
        course: CourseId,
        citizen: CitizenId,
        member: bool,
        open: bool,
        /// The actor has an emergency access to this course in force.
        emergency: bool,
    },
    /// Read one category of a course's information (the plan, the crisis plan, ...).
    ReadShared {
        course: CourseId,
        citizen: CitizenId,
        member: bool,
        category: ShareCategory,
        sharing: Sharing,
        emergency: bool,
    },
    /// Break the glass: ask for emergency access to a citizen's course.
    StartEmergency(CitizenId),
    /// A relative reads a category of the citizen's information: `shared` says whether the
    /// citizen lets them (through their entry in the citizen's network).
    RelativeShare {
        citizen: CitizenId,
        category: ShareCategory,
        shared: bool,
    },
    /// Write a course's records other than the plan (consents, requests for consent): only a
    /// member of the care team of an open course. Emergency access reads and never writes.
    WriteCourse {
        course: CourseId,
        citizen: CitizenId,
        member: bool,
        open: bool,
    },
    /// Change a course (phase, team, closing): `coordinator` says whether the actor coordinates it.
    ManageCourse {
        course: CourseId,
        citizen: CitizenId,
        coordinator: bool,
        open: bool,
    },
    /// The citizen's own plan: read it, add own goals, agree.
    OwnPlan(CitizenId),
    /// See a Fælles Team's set-up and meetings, and take part: `member` says whether the actor
    /// is on the team (leader, convener, fixed or ad-hoc participant).
    TeamWork { team: TeamId, member: bool },
    /// Change a team's agenda, themes, participants and meetings: `manager` says whether the
    /// actor leads or convenes it.
    ManageTeam { team: TeamId, manager: bool },
    /// Read or write a citizen's case at a team meeting: `member` on the team, `sharing` how the
    /// actor's organisation stands to the citizen's minutes.
    TeamCase {
        case: CaseId,
        citizen: CitizenId,
        member: bool,
        sharing: Sharing,
    },
    /// The citizen's own meetings, minutes and evaluations.
    OwnMeetings(CitizenId),
    /// The citizen's own appointments, their calendar feed, and asking for escort.
    OwnAppointments(CitizenId),
    /// Change an appointment or record what happened at it: `in_unit` says whether the actor's
    /// active role is in the unit that booked it; `open`, whether its course is open.
    UnitAppointment {
        appointment: i64,
        citizen: CitizenId,
        in_unit: bool,
        open: bool,
    },
    /// See a unit's appointments that wait for what happened to be recorded: `in_unit` as
    /// for the referral queue.
    UnitAppointments { unit: UnitId, in_unit: bool },
    /// See what waits for an escort service: `in_unit` says whether the actor's active role is
    /// in that unit.
    EscortService { unit: UnitId, in_unit: bool },
    /// Answer a request for escort sent to the actor's escort service, and record the time
    /// the escort took: `in_unit` as for the list.
    EscortWork {
        request: i64,
        citizen: CitizenId,
        in_unit: bool,
    },
    /// Publish and change a unit's offers in the directory: its organisation's administrator,
    /// or a staff member the administrator named the unit's editor (`editor`).
    EditOffers {
        org: OrgId,
        unit: UnitId,
        editor: bool,
    },
    /// Follow offers' changes: any member of staff.
    FollowOffers,
    /// Write a participant's input field in a case: `own` says whether the actor is that
    /// participant or the meeting's leader (who may note it for them). Asked after `TeamCase`.
    WriteInputField {
        case: CaseId,
        citizen: CitizenId,
        own: bool,
    },
    /// See a unit's queue of incoming referrals: `in_unit` says whether the actor's active
    /// role is in that unit.
    ReferralQueue { unit: UnitId, in_unit: bool },
    /// Read and work on a referral sent to the actor's unit (receive, start, complete, hold,
    /// recommend): `in_unit` as for the queue.
    ReferralWork {
        referral: i64,
        citizen: CitizenId,
        in_unit: bool,
    },
    /// Decide a referral (accept or reject): `decider` says whether the actor's active role is
    /// the deciding role for the offer, in the receiving unit. Everyone else recommends.
    DecideReferral {
        referral: i64,
        citizen: CitizenId,
        decider: bool,
    },
    /// The citizen's own referrals: read them, and agree to one made without their word.
    OwnReferrals(CitizenId),
    /// See a care place unit's beds, occupancy and stays: `in_unit` says whether the actor's
    /// active role is in that unit.
    CarePlaces { unit: UnitId, in_unit: bool },
    /// Add and close the unit's beds: `leader` says whether the actor is its function leader.
    ManageBeds { unit: UnitId, leader: bool },
    /// The outreach staff read (`write: false`) or record outreach contacts on a course that
    /// is on the target-group list of a Fælles Team they are on (`listed`), as the citizen's
    /// social information is shared with their organisation; recording needs an open course.
    ListedOutreach {
        course: CourseId,
        citizen: CitizenId,
        listed: bool,
        write: bool,
        open: bool,
        sharing: Sharing,
    },
}

impl Permission {
    /// The citizen the permission is about, for the audit record of a denial.
    pub fn subject(self) -> Option<CitizenId> {
        match self {
            Permission::AdministerOrg(_)
            | Permission::EditOffers { .. }
            | Permission::FollowOffers
            | Permission::SearchCitizens
            | Permission::ListOwnCourses
            | Permission::TeamWork { .. }
            | Permission::ManageTeam { .. } => None,
            Permission::ReadCitizenRecord(c)
            | Permission::OpenCourse(c)
            | Permission::StartEmergency(c)
            | Permission::OwnMeetings(c)
            | Permission::OwnAppointments(c)
            | Permission::OwnReferrals(c)
            | Permission::OwnPlan(c) => Some(c),
            Permission::UnitAppointment { citizen, .. }
            | Permission::EscortWork { citizen, .. } => Some(citizen),
            Permission::ReferralWork { citizen, .. }
            | Permission::DecideReferral { citizen, .. }
            | Permission::ListedOutreach { citizen, .. } => Some(citizen),
            Permission::ReferralQueue { .. }
            | Permission::UnitAppointments { .. }
            | Permission::EscortService { .. }
            | Permission::CarePlaces { .. }
            | Permission::ManageBeds { .. } => None,
            Permission::TeamCase { citizen, .. } | Permission::WriteInputField { citizen, .. } => {
                Some(citizen)
            }
            Permission::RelativeShare { citizen, .. } => Some(citizen),
            Permission::ReadCourse { citizen, .. }
            | Permission::WriteCourse { citizen, .. }
            | Permission::EditPlan { citizen, .. }
            | Permission::ReadCitizenData { citizen, .. }
            | Permission::ReadShared { citizen, .. }
            | Permission::ManageCourse { citizen, .. } => Some(citizen),
        }
    }

    /// An opaque reference for the audit record.
    pub fn object(self) -> String {
        match self {
            Permission::AdministerOrg(org) => format!("org:{}", org.0),
            Permission::ReadCitizenRecord(c)
            | Permission::OpenCourse(c)
            | Permission::StartEmergency(c)
            | Permission::OwnMeetings(c)
            | Permission::OwnAppointments(c)
            | Permission::OwnReferrals(c)
            | Permission::OwnPlan(c) => {
                format!("citizen:{}", c.0)
            }
            Permission::UnitAppointment { appointment, .. } => {
                format!("appointment:{appointment}")
            }
            Permission::TeamWork { team, .. } | Permission::ManageTeam { team, .. } => {
                format!("team:{}", team.0)
            }
            Permission::TeamCase { case, .. } => format!("case:{}", case.0),
            Permission::WriteInputField { case, .. } => format!("case:{}:input", case.0),
            Permission::RelativeShare {
                citizen, category, ..
            } => format!("citizen:{}:{}", citizen.0, category.as_str()),
            Permission::SearchCitizens => "citizen-search".to_owned(),
            Permission::EditOffers { unit, .. } => format!("unit:{}:offers", unit.0),
            Permission::FollowOffers => "offer-follows".to_owned(),
            Permission::ReferralQueue { unit, .. } => format!("unit:{}:referrals", unit.0),
            Permission::CarePlaces { unit, .. } => format!("unit:{}:care-places", unit.0),
            Permission::UnitAppointments { unit, .. } => format!("unit:{}:appointments", unit.0),
            Permission::EscortService { unit, .. } => format!("unit:{}:escorts", unit.0),
            Permission::EscortWork { request, .. } => format!("escort:{request}"),
            Permission::ManageBeds { unit, .. } => format!("unit:{}:beds", unit.0),
            Permission::ReferralWork { referral, .. } => format!("referral:{referral}"),
            Permission::DecideReferral { referral, .. } => format!("referral:{referral}:decide"),
            Permission::ListedOutreach { course, .. } => format!("course:{}:outreach", course.0),
            Permission::ListOwnCourses => "my-courses".to_owned(),
            Permission::ReadCourse { course, .. }
            | Permission::WriteCourse { course, .. }
            | Permission::EditPlan { course, .. }
            | Permission::ManageCourse { course, .. } => format!("course:{}", course.0),
            Permission::ReadCitizenData { course, .. } => format!("course:{}:citizen", course.0),
            Permission::ReadShared {
                course, category, ..
            } => format!("course:{}:{}", course.0, category.as_str()),
        }
    }
}

/// Roles that work with citizens' courses. Administrators and managers do not: they see
/// organisations and indicators, not people.
pub fn works_with_citizens(role: Role) -> bool {
    matches!(
        role,
        Role::Professional
            | Role::Coordinator
            | Role::MeetingLeader
            | Role::Visitator
            | Role::FunctionLeader
    )
}

/// How a staff member's organisation stands to one category of a course's information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Their organisation holds the course (the coordinator's): its own records.
    Holder,
    /// A consent in force covers their organisation and the category.
    Consent,
    /// A recorded legal basis other than consent covers them.
    LegalBasis(LegalBasisKind),
    /// Nothing covers it: the information is withheld.
    NotShared,
}

/// Decides how `viewer_org` stands to `category` of a course held by `holder_org`, given what
/// grants `viewer_org` access right now. The one rule for sharing across organisations: own
/// records as the role allows; others' with a consent in force, or else a recorded legal basis.
pub fn sharing(
    viewer_org: OrgId,
    holder_org: Option<OrgId>,
    category: ShareCategory,
    grants: &Grants,
) -> Sharing {
    if holder_org == Some(viewer_org) {
        Sharing::Holder
    } else if grants.consent.contains(&category) {
        Sharing::Consent
    } else if let Some((_, kind)) = grants.legal_basis.iter().find(|(c, _)| *c == category) {
        Sharing::LegalBasis(*kind)
    } else {
        Sharing::NotShared
    }
}

/// Who of a course's care team may be told of something in `category` about its citizen: the
/// members whose organisation holds the course, or is covered by the citizen's consent or a
/// legal basis: the same rule as for reading it. `members` are (user, organisation, the
/// organisation's grants).
pub fn told_of(
    category: ShareCategory,
    holder_org: Option<OrgId>,
    members: &[(UserId, OrgId, Grants)],
) -> Vec<UserId> {
    members
        .iter()
        .filter(|(_, org, grants)| {
            sharing(*org, holder_org, category, grants) != Sharing::NotShared
        })
        .map(|(user, _, _)| *user)
        .collect()
}

impl Actor {
    pub fn user_id(&self) -> UserId {
        match self {
            Actor::Staff { user, .. } | Actor::Citizen { user, .. } | Actor::Relative { user } => {
                *user
            }
        }
    }

    pub fn active_role(&self) -> Option<&ActiveRole> {
        match self {
            Actor::Staff { active, .. } => active.as_ref(),
            _ => None,
        }
    }

    /// The audit chain this actor's acts go into.
    pub fn tenant(&self) -> i64 {
        match self {
            Actor::Staff {
                active: Some(a), ..
            } => a.org_id.0,
            Actor::Staff { home_org, .. } => home_org.0,
            Actor::Citizen { .. } | Actor::Relative { .. } => bro_audit_platform(),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.active_role().is_some_and(|a| a.role == role)
    }
}

/// Tenant 0 is the platform chain (kept equal to `bro_audit::PLATFORM_TENANT`).
const fn bro_audit_platform() -> i64 {
    0
}

/// Decides `permission` for `actor`: `Some(purpose)` when allowed, `None` when denied.
pub fn decide(actor: &Actor, permission: Permission) -> Option<Purpose> {
    let Actor::Staff {
        active: Some(a), ..
    } = actor
    else {
        return match (actor, permission) {
            (
                Actor::Citizen { citizen, .. },
                Permission::ReadCitizenRecord(id)
                | Permission::OwnPlan(id)
                | Permission::OwnMeetings(id)
                | Permission::OwnAppointments(id)
                | Permission::OwnReferrals(id),
            ) if *citizen == id => Some(Purpose::OwnData),
            (Actor::Relative { .. }, Permission::RelativeShare { shared: true, .. }) => {
                Some(Purpose::Relative)
            }
            _ => None,
        };
    };
    let with_citizens = works_with_citizens(a.role);
    match permission {
        Permission::AdministerOrg(org) if a.role == Role::Admin && a.org_id == org => {
            Some(Purpose::Administration)
        }
        Permission::SearchCitizens if with_citizens => Some(Purpose::Search),
        Permission::EditOffers { org, .. } if a.role == Role::Admin && a.org_id == org => {
            Some(Purpose::Administration)
        }
        Permission::EditOffers { editor: true, .. } => Some(Purpose::Administration),
        Permission::FollowOffers => Some(Purpose::Administration),
        Permission::ManageBeds { leader: true, .. } => Some(Purpose::Administration),
        Permission::ListOwnCourses if with_citizens => Some(Purpose::CareTeam),
        Permission::OpenCourse(_) if a.role == Role::Coordinator => Some(Purpose::CareTeam),
        Permission::ReadCourse { member: true, .. } if with_citizens => Some(Purpose::CareTeam),
        Permission::ReadCitizenData {
            member: true,
            open: true,
            ..
        } if with_citizens => Some(Purpose::CareTeam),
        Permission::WriteCourse {
            member: true,
            open: true,
            ..
        } if with_citizens => Some(Purpose::CareTeam),
        // Break the glass: outside the team, an emergency access in force opens reading.
        Permission::ReadCourse {
            member: false,
            emergency: true,
            ..
        }
        | Permission::ReadShared {
            member: false,
            emergency: true,
            ..
        }
        | Permission::ReadCitizenData {
            member: false,
            open: true,
            emergency: true,
            ..
        } if with_citizens => Some(Purpose::Emergency),
        Permission::StartEmergency(_) if with_citizens => Some(Purpose::Emergency),
        Permission::EditPlan {
            member: true,
            open: true,
            sharing,
            ..
        }
        | Permission::ReadShared {
            member: true,
            sharing,
            ..
        }
        | Permission::TeamCase {
            member: true,
            sharing,
            ..
        }
        | Permission::ListedOutreach {
            listed: true,
            write: false,
            sharing,
            ..
        }
        | Permission::ListedOutreach {
            listed: true,
            open: true,
            sharing,
            ..
        } if with_citizens => match sharing {
            Sharing::Holder => Some(Purpose::CareTeam),
            Sharing::Consent => Some(Purpose::CareTeamConsent),
            Sharing::LegalBasis(kind) => Some(Purpose::CareTeamLegalBasis(kind)),
            Sharing::NotShared => None,
        },
        Permission::ManageCourse {
            coordinator: true,
            open: true,
            ..
        } if with_citizens => Some(Purpose::CareTeam),
        Permission::WriteInputField { own: true, .. } if with_citizens => Some(Purpose::CareTeam),
        Permission::UnitAppointment {
            in_unit: true,
            open: true,
            ..
        }
        | Permission::UnitAppointments { in_unit: true, .. }
            if with_citizens =>
        {
            Some(Purpose::CareTeam)
        }
        Permission::EscortService { in_unit: true, .. }
        | Permission::EscortWork { in_unit: true, .. }
            if with_citizens =>
        {
            Some(Purpose::Escort)
        }
        Permission::ReferralQueue { in_unit: true, .. }
        | Permission::ReferralWork { in_unit: true, .. }
        | Permission::DecideReferral { decider: true, .. }
        | Permission::CarePlaces { in_unit: true, .. }
            if with_citizens =>
        {
            Some(Purpose::Referral)
        }
        Permission::TeamWork { member: true, .. }
        | Permission::ManageTeam { manager: true, .. }
            if with_citizens =>
        {
            Some(Purpose::CareTeam)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role, org: i64) -> Actor {
        Actor::Staff {
            user: UserId(1),
            home_org: OrgId(org),
            active: Some(ActiveRole {
                assignment_id: 1,
                role,
                unit_id: UnitId(1),
                org_id: OrgId(org),
            }),
        }
    }

    #[test]
    fn admin_administers_only_own_organisation() {
        assert_eq!(
            decide(&staff(Role::Admin, 2), Permission::AdministerOrg(OrgId(2))),
            Some(Purpose::Administration)
        );
        assert_eq!(
            decide(&staff(Role::Admin, 2), Permission::AdministerOrg(OrgId(3))),
            None
        );
        assert_eq!(
            decide(
                &staff(Role::Coordinator, 2),
                Permission::AdministerOrg(OrgId(2))
            ),
            None
        );
        let no_role = Actor::Staff {
            user: UserId(1),
            home_org: OrgId(2),
            active: None,
        };
        assert_eq!(decide(&no_role, Permission::AdministerOrg(OrgId(2))), None);
    }

    #[test]
    fn only_the_booking_unit_changes_an_appointment_and_only_on_an_open_course() {
        let p = |in_unit, open| Permission::UnitAppointment {
            appointment: 1,
            citizen: CitizenId(9),
            in_unit,
            open,
        };
        let prof = staff(Role::Professional, 2);
        assert_eq!(decide(&prof, p(true, true)), Some(Purpose::CareTeam));
        assert_eq!(decide(&prof, p(false, true)), None);
        assert_eq!(decide(&prof, p(true, false)), None);
        assert_eq!(decide(&staff(Role::Admin, 2), p(true, true)), None);
        let me = Actor::Citizen {
            user: UserId(5),
            citizen: CitizenId(9),
        };
        assert_eq!(decide(&me, p(true, true)), None);
        let list = |in_unit| Permission::UnitAppointments {
            unit: UnitId(1),
            in_unit,
        };
        assert_eq!(decide(&prof, list(true)), Some(Purpose::CareTeam));
        assert_eq!(decide(&prof, list(false)), None);
        assert_eq!(
            decide(&me, Permission::OwnAppointments(CitizenId(9))),
            Some(Purpose::OwnData)
        );
        assert_eq!(decide(&me, Permission::OwnAppointments(CitizenId(8))), None);
    }

    #[test]
    fn only_staff_of_the_escort_service_see_and_answer_its_requests() {
        let work = |in_unit| Permission::EscortWork {
            request: 1,
            citizen: CitizenId(9),
            in_unit,
        };
        let list = |in_unit| Permission::EscortService {
            unit: UnitId(1),
            in_unit,
        };
        let prof = staff(Role::Professional, 2);
        assert_eq!(decide(&prof, work(true)), Some(Purpose::Escort));
        assert_eq!(decide(&prof, list(true)), Some(Purpose::Escort));
        assert_eq!(decide(&prof, work(false)), None);
        assert_eq!(decide(&prof, list(false)), None);
        assert_eq!(decide(&staff(Role::Admin, 2), work(true)), None);
        let me = Actor::Citizen {
            user: UserId(5),
            citizen: CitizenId(9),
        };
        assert_eq!(decide(&me, work(true)), None);
        assert_eq!(decide(&me, list(true)), None);
    }

    #[test]
    fn citizens_read_only_their_own_record() {
        let me = Actor::Citizen {
            user: UserId(5),
            citizen: CitizenId(9),
        };
        assert_eq!(
            decide(&me, Permission::ReadCitizenRecord(CitizenId(9))),
            Some(Purpose::OwnData)
        );
        assert_eq!(
            decide(&me, Permission::ReadCitizenRecord(CitizenId(10))),
            None
        );
        assert_eq!(
            decide(
                &Actor::Relative { user: UserId(6) },
                Permission::ReadCitizenRecord(CitizenId(9))
            ),
            None
        );
        // Staff have no path to a citizen's record until care teams and consent exist.
        assert_eq!(
            decide(
                &staff(Role::Professional, 2),
                Permission::ReadCitizenRecord(CitizenId(9))
            ),
            None
        );
    }

    #[test]
    fn only_the_team_of_an_open_course_writes_its_records() {
        let write = |member, open| Permission::WriteCourse {
            course: CourseId(4),
            citizen: CitizenId(9),
            member,
            open,
        };
        let me = staff(Role::Professional, 2);
        assert_eq!(decide(&me, write(true, true)), Some(Purpose::CareTeam));
        assert_eq!(decide(&me, write(true, false)), None, "a closed course");
        assert_eq!(decide(&me, write(false, true)), None, "off the team");
        let citizen = Actor::Citizen {
            user: UserId(1),
            citizen: CitizenId(9),
        };
        assert_eq!(decide(&citizen, write(false, true)), None);
    }

    #[test]
    fn an_input_field_is_written_by_its_participant_or_the_leader() {
        let field = |own| Permission::WriteInputField {
            case: CaseId(3),
            citizen: CitizenId(9),
            own,
        };
        let me = staff(Role::Professional, 2);
        assert_eq!(decide(&me, field(true)), Some(Purpose::CareTeam));
        assert_eq!(
            decide(&me, field(false)),
            None,
            "another participant's field"
        );
    }

    #[test]
    fn courses_are_for_their_care_team() {
        let course = CourseId(4);
        let citizen = CitizenId(9);
        let read = |member| Permission::ReadCourse {
            course,
            citizen,
            member,
            emergency: false,
        };
        let manage = |coordinator| Permission::ManageCourse {
            course,
            citizen,
            coordinator,
            open: true,
        };
        for role in [
            Role::Professional,
            Role::Coordinator,
            Role::MeetingLeader,
            Role::Visitator,
            Role::FunctionLeader,
        ] {
            assert_eq!(
                decide(&staff(role, 2), read(true)),
                Some(Purpose::CareTeam),
                "{role:?}"
            );
            assert_eq!(
                decide(&staff(role, 2), read(false)),
                None,
                "{role:?} off the team"
            );
            assert_eq!(
                decide(&staff(role, 2), manage(false)),
                None,
                "{role:?} not coordinating"
            );
            assert_eq!(
                decide(&staff(role, 2), Permission::SearchCitizens),
                Some(Purpose::Search)
            );
            assert_eq!(
                decide(&staff(role, 2), Permission::ListOwnCourses),
                Some(Purpose::CareTeam)
            );
        }
        for role in [Role::Admin, Role::Manager] {
            assert_eq!(
                decide(&staff(role, 2), read(true)),
                None,
                "{role:?} sees no people"
            );
            assert_eq!(decide(&staff(role, 2), Permission::SearchCitizens), None);
            assert_eq!(decide(&staff(role, 2), Permission::ListOwnCourses), None);
        }
        assert_eq!(
            decide(&staff(Role::Coordinator, 2), manage(true)),
            Some(Purpose::CareTeam)
        );
        assert_eq!(
            decide(
                &staff(Role::Coordinator, 2),
                Permission::OpenCourse(citizen)
            ),
            Some(Purpose::CareTeam)
        );
        assert_eq!(
            decide(
                &staff(Role::Professional, 2),
                Permission::OpenCourse(citizen)
            ),
            None
        );
        let me = Actor::Citizen {
            user: UserId(5),
            citizen,
        };
        assert_eq!(
            decide(&me, read(false)),
            None,
            "the citizen's own view comes with the plan"
        );
        assert_eq!(
            decide(&me, Permission::OwnPlan(citizen)),
            Some(Purpose::OwnData)
        );
        assert_eq!(
            decide(&me, Permission::OwnPlan(CitizenId(10))),
            None,
            "only one's own plan"
        );
        let edit = |member| Permission::EditPlan {
            course,
            citizen,
            member,
            open: true,
            sharing: Sharing::Holder,
        };
        assert_eq!(
            decide(&staff(Role::Professional, 2), edit(true)),
            Some(Purpose::CareTeam)
        );
        assert_eq!(decide(&staff(Role::Professional, 2), edit(false)), None);
        assert_eq!(decide(&staff(Role::Admin, 2), edit(true)), None);
        let no_role = Actor::Staff {
            user: UserId(1),
            home_org: OrgId(2),
            active: None,
        };
        assert_eq!(decide(&no_role, Permission::SearchCitizens), None);
    }

    /// A unit's offers are edited by its organisation's administrator or a named editor, and
    /// any member of staff follows offers.
    #[test]
    fn offers_are_edited_by_the_administrator_or_a_named_editor() {
        let edit = |org, editor| Permission::EditOffers {
            org: OrgId(org),
            unit: UnitId(7),
            editor,
        };
        let admin = staff(Role::Admin, 2);
        assert!(decide(&admin, edit(2, false)).is_some());
        assert!(
            decide(&admin, edit(3, false)).is_none(),
            "another organisation's"
        );
        let prof = staff(Role::Professional, 2);
        assert!(decide(&prof, edit(2, false)).is_none());
        assert!(decide(&prof, edit(2, true)).is_some(), "named editor");
        assert!(decide(&prof, Permission::FollowOffers).is_some());
        let citizen = Actor::Citizen {
            user: UserId(1),
            citizen: CitizenId(9),
        };
        assert!(decide(&citizen, Permission::FollowOffers).is_none());
    }

    /// A closed course is history: its former team reads its records, but neither what
    /// belongs to the citizen now (network, consents) nor any write, the coordinator's included.
    #[test]
    fn a_closed_course_is_read_as_history_only() {
        let (course, citizen) = (CourseId(4), CitizenId(9));
        let me = staff(Role::Coordinator, 2);
        let citizen_data = |open, member, emergency| Permission::ReadCitizenData {
            course,
            citizen,
            member,
            open,
            emergency,
        };
        assert_eq!(
            decide(&me, citizen_data(true, true, false)),
            Some(Purpose::CareTeam)
        );
        assert_eq!(
            decide(&me, citizen_data(true, false, true)),
            Some(Purpose::Emergency)
        );
        assert_eq!(decide(&me, citizen_data(false, true, false)), None);
        assert_eq!(decide(&me, citizen_data(false, false, true)), None);
        assert_eq!(decide(&me, citizen_data(true, false, false)), None);
        for open in [true, false] {
            let writes = [
                Permission::ManageCourse {
                    course,
                    citizen,
                    coordinator: true,
                    open,
                },
                Permission::EditPlan {
                    course,
                    citizen,
                    member: true,
                    open,
                    sharing: Sharing::Holder,
                },
                Permission::WriteCourse {
                    course,
                    citizen,
                    member: true,
                    open,
                },
            ];
            for write in writes {
                assert_eq!(decide(&me, write).is_some(), open, "{write:?}");
            }
        }
        let read = Permission::ReadCourse {
            course,
            citizen,
            member: true,
            emergency: false,
        };
        assert_eq!(decide(&me, read), Some(Purpose::CareTeam), "its history");
    }

    /// Role × relationship × what covers the category: who sees a category of another
    /// organisation's course, and why.
    #[test]
    fn another_organisations_information_needs_a_consent() {
        use ShareCategory::{CrisisPlan, Health, Plan};
        let (course, citizen) = (CourseId(4), CitizenId(9));
        let (region, municipality) = (OrgId(1), OrgId(2));
        let read = |member, category, sharing| Permission::ReadShared {
            course,
            citizen,
            member,
            category,
            sharing,
            emergency: false,
        };
        let p13c = LegalBasisKind::Psykiatriloven13c;
        let grants = |consent: Vec<ShareCategory>, legal: Vec<ShareCategory>| Grants {
            consent,
            legal_basis: legal.into_iter().map(|c| (c, p13c)).collect(),
        };
        // (viewer's organisation, consented, legal basis, category asked) -> sharing
        let table = [
            (municipality, vec![], vec![], Plan, Sharing::Holder),
            (region, vec![], vec![], Plan, Sharing::NotShared),
            (region, vec![Plan], vec![], Plan, Sharing::Consent),
            (region, vec![Health], vec![], Plan, Sharing::NotShared),
            (region, vec![Plan], vec![], CrisisPlan, Sharing::NotShared),
            (
                region,
                vec![Plan, CrisisPlan],
                vec![],
                CrisisPlan,
                Sharing::Consent,
            ),
            (region, vec![], vec![Plan], Plan, Sharing::LegalBasis(p13c)),
            (region, vec![Plan], vec![Plan], Plan, Sharing::Consent),
            (region, vec![], vec![Health], Plan, Sharing::NotShared),
        ];
        for (viewer, consent, legal, category, expected) in table {
            let g = grants(consent, legal);
            assert_eq!(
                sharing(viewer, Some(municipality), category, &g),
                expected,
                "{viewer:?} {g:?} {category:?}"
            );
        }
        assert_eq!(
            sharing(region, None, Plan, &Grants::default()),
            Sharing::NotShared
        );
        for role in [Role::Professional, Role::Coordinator, Role::Visitator] {
            let who = staff(role, 1);
            assert_eq!(
                decide(&who, read(true, Plan, Sharing::Holder)),
                Some(Purpose::CareTeam)
            );
            assert_eq!(
                decide(&who, read(true, Plan, Sharing::Consent)),
                Some(Purpose::CareTeamConsent)
            );
            assert_eq!(decide(&who, read(true, Plan, Sharing::NotShared)), None);
            assert_eq!(
                decide(&who, read(true, Plan, Sharing::LegalBasis(p13c))),
                Some(Purpose::CareTeamLegalBasis(p13c))
            );
            assert_eq!(
                decide(&who, read(false, Plan, Sharing::Consent)),
                None,
                "team first"
            );
        }
        for role in [Role::Admin, Role::Manager] {
            assert_eq!(
                decide(&staff(role, 1), read(true, Plan, Sharing::Holder)),
                None
            );
        }
        let me = Actor::Citizen {
            user: UserId(5),
            citizen,
        };
        assert_eq!(
            decide(&me, read(true, Plan, Sharing::Consent)),
            None,
            "the citizen's own view is OwnPlan"
        );
        assert_eq!(
            decide(
                &Actor::Relative { user: UserId(6) },
                read(true, Plan, Sharing::Consent)
            ),
            None
        );
    }

    #[test]
    fn emergency_access_opens_reading_only() {
        let (course, citizen) = (CourseId(4), CitizenId(9));
        let outsider = staff(Role::Professional, 3);
        let read = |emergency| Permission::ReadCourse {
            course,
            citizen,
            member: false,
            emergency,
        };
        let shared = |emergency| Permission::ReadShared {
            course,
            citizen,
            member: false,
            category: ShareCategory::CrisisPlan,
            sharing: Sharing::NotShared,
            emergency,
        };
        assert_eq!(decide(&outsider, read(false)), None);
        assert_eq!(decide(&outsider, read(true)), Some(Purpose::Emergency));
        assert_eq!(decide(&outsider, shared(false)), None);
        assert_eq!(decide(&outsider, shared(true)), Some(Purpose::Emergency));
        let write = Permission::EditPlan {
            course,
            citizen,
            member: false,
            open: true,
            sharing: Sharing::NotShared,
        };
        assert_eq!(
            decide(&outsider, write),
            None,
            "emergency access reads, never writes"
        );
        assert_eq!(
            decide(&outsider, Permission::StartEmergency(citizen)),
            Some(Purpose::Emergency)
        );
        assert_eq!(
            decide(&staff(Role::Admin, 3), Permission::StartEmergency(citizen)),
            None
        );
        assert_eq!(decide(&staff(Role::Admin, 3), read(true)), None);
    }

    #[test]
    fn team_cases_need_team_membership_and_sharing() {
        let case = |member, sharing| Permission::TeamCase {
            case: CaseId(1),
            citizen: CitizenId(9),
            member,
            sharing,
        };
        let pro = staff(Role::Professional, 2);
        assert_eq!(
            decide(&pro, case(true, Sharing::Consent)),
            Some(Purpose::CareTeamConsent)
        );
        assert_eq!(
            decide(&pro, case(true, Sharing::Holder)),
            Some(Purpose::CareTeam)
        );
        assert_eq!(decide(&pro, case(true, Sharing::NotShared)), None);
        assert_eq!(decide(&pro, case(false, Sharing::Holder)), None);
        assert_eq!(
            decide(&staff(Role::Admin, 2), case(true, Sharing::Holder)),
            None
        );
        let me = Actor::Citizen {
            user: UserId(5),
            citizen: CitizenId(9),
        };
        assert_eq!(
            decide(&me, Permission::OwnMeetings(CitizenId(9))),
            Some(Purpose::OwnData)
        );
        assert_eq!(decide(&me, Permission::OwnMeetings(CitizenId(8))), None);
        assert_eq!(decide(&me, case(true, Sharing::Holder)), None);
        let team = TeamId(3);
        assert!(decide(&pro, Permission::TeamWork { team, member: true }).is_some());
        assert_eq!(
            decide(
                &pro,
                Permission::TeamWork {
                    team,
                    member: false
                }
            ),
            None
        );
        assert_eq!(
            decide(
                &pro,
                Permission::ManageTeam {
                    team,
                    manager: false
                }
            ),
            None
        );
    }

    #[test]
    fn listed_outreach_needs_the_list_the_sharing_and_an_open_course_to_record() {
        let outreach = |listed, write, open, sharing| Permission::ListedOutreach {
            course: CourseId(7),
            citizen: CitizenId(9),
            listed,
            write,
            open,
            sharing,
        };
        let pro = staff(Role::Professional, 2);
        assert_eq!(
            decide(&pro, outreach(true, false, false, Sharing::Consent)),
            Some(Purpose::CareTeamConsent),
            "a closed course is read"
        );
        assert_eq!(
            decide(&pro, outreach(true, true, true, Sharing::Holder)),
            Some(Purpose::CareTeam)
        );
        assert_eq!(
            decide(&pro, outreach(true, true, false, Sharing::Holder)),
            None
        );
        assert_eq!(
            decide(&pro, outreach(false, false, true, Sharing::Holder)),
            None
        );
        assert_eq!(
            decide(&pro, outreach(true, false, true, Sharing::NotShared)),
            None
        );
        let admin = staff(Role::Admin, 2);
        assert_eq!(
            decide(&admin, outreach(true, false, true, Sharing::Holder)),
            None
        );
    }
}
