//! Whom a change about a citizen may be told: the members of the care team of their open
//! course whose organisation may read the category it belongs to, by the sharing rule every
//! read obeys.

use bro_domain::{CitizenId, OrgId, ShareCategory, Timestamp, UserId};
use bro_store::{DynStore, StoreResult};
use std::collections::HashMap;

/// Per citizen, the members who may read `category` of them at `now`; `also` adds the members
/// of one more organisation (the one whose own record it is).
pub async fn readers(
    store: &DynStore,
    citizens: &[CitizenId],
    category: ShareCategory,
    also: Option<OrgId>,
    now: Timestamp,
) -> StoreResult<HashMap<CitizenId, Vec<UserId>>> {
    let mut told = HashMap::new();
    for team in store.care_teams(citizens, now).await? {
        let holder = team
            .members
            .iter()
            .find(|(_, _, c)| *c)
            .map(|(_, org, _)| *org);
        let members: Vec<_> = team
            .members
            .iter()
            .map(|(user, org, _)| {
                (
                    *user,
                    *org,
                    team.grants.get(org).cloned().unwrap_or_default(),
                )
            })
            .collect();
        let mut users = bro_authz::told_of(category, holder, &members);
        users.extend(
            team.members
                .iter()
                .filter(|(_, org, _)| Some(*org) == also)
                .map(|(user, _, _)| *user),
        );
        users.sort_unstable_by_key(|u| u.0);
        users.dedup();
        told.insert(team.citizen, users);
    }
    Ok(told)
}
