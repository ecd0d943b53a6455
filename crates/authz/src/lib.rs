//! Who may do what. Every decision about access is made here, in one place, from the acting
//! person's account kind, their active role in a unit, and (later) care-team membership,
//! consent and legal basis. Deny by default: anything not allowed here is refused.

use bro_domain::{CitizenId, OrgId, Role, UnitId, UserId};

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

/// What an actor asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Manage units, users and settings of an organisation.
    AdministerOrg(OrgId),
    /// Read a citizen's own record (name, CPR, address).
    ReadCitizenRecord(CitizenId),
}

/// Why access was granted; stored as the audit record's purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Administration,
    OwnData,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Administration => "administration",
            Purpose::OwnData => "own-data",
        }
    }
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
    match (actor, permission) {
        (
            Actor::Staff {
                active: Some(a), ..
            },
            Permission::AdministerOrg(org),
        ) if a.role == Role::Admin && a.org_id == org => Some(Purpose::Administration),
        (Actor::Citizen { citizen, .. }, Permission::ReadCitizenRecord(id)) if *citizen == id => {
            Some(Purpose::OwnData)
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
}
