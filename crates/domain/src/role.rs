//! The roles of docs/product.md. A user holds roles per unit.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Professional,
    Coordinator,
    MeetingLeader,
    Visitator,
    FunctionLeader,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Professional,
        Role::Coordinator,
        Role::MeetingLeader,
        Role::Visitator,
        Role::FunctionLeader,
        Role::Manager,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Professional => "professional",
            Role::Coordinator => "coordinator",
            Role::MeetingLeader => "meeting_leader",
            Role::Visitator => "visitator",
            Role::FunctionLeader => "function_leader",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Fluent key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Professional => "role-professional",
            Role::Coordinator => "role-coordinator",
            Role::MeetingLeader => "role-meeting_leader",
            Role::Visitator => "role-visitator",
            Role::FunctionLeader => "role-function_leader",
            Role::Manager => "role-manager",
            Role::Admin => "role-admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(r.label_key().ends_with(r.as_str()));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
