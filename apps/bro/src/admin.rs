//! `bro admin …`: the operator's way to set up organisations, units and users, on either
//! backend. Every act is audited as the system acting in the organisation's chain.
//! Passwords come from BRO_PASSWORD or standard input, never from the command line.

use bro_audit::PLATFORM_TENANT;
use bro_domain::{
    AccountKind, Clock, Name, OrgKind, Password, Role, SystemClock, UnitKind, Username,
};
use bro_store::{AuditCtx, DynStore, NewOrganisation, NewUnit, NewUser};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an organisation (tenant).
    CreateOrg {
        #[arg(long)]
        name: String,
        /// region | municipality | gp_practice | other_provider
        #[arg(long)]
        kind: String,
        /// Do not require a second factor of the organisation's staff.
        #[arg(long)]
        no_second_factor: bool,
    },
    /// Create a unit in an organisation.
    CreateUnit {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// ward | outpatient_clinic | acute_team | social_psychiatry | substance_abuse_treatment |
        /// case_authority | job_centre | mpo_unit | gp_practice | administration | other
        #[arg(long)]
        kind: String,
    },
    /// Create a staff user with a role in a unit. Password: BRO_PASSWORD or standard input.
    CreateUser {
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        /// professional | coordinator | meeting_leader | visitator | function_leader | manager | admin
        #[arg(long)]
        role: String,
    },
    /// Give an existing user another role in a unit of the organisation.
    GrantRole {
        #[arg(long)]
        username: String,
        #[arg(long)]
        org: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        role: String,
    },
    /// Set the organisation's SOR id, by which hospitals address their messages to it
    /// (`--sor ""` removes it).
    SetSor {
        #[arg(long)]
        org: String,
        #[arg(long)]
        sor: String,
    },
    /// Set a new password (BRO_PASSWORD or standard input) and end the user's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Deactivate a user and end their sessions.
    Deactivate {
        #[arg(long)]
        username: String,
    },
}

fn read_password() -> Result<Password, String> {
    let raw = match std::env::var("BRO_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    Password::parse(&raw)
        .map_err(|e| format!("password: {e} (at least {} characters)", Password::MIN))
}

fn system(tenant: i64) -> AuditCtx {
    AuditCtx::system(tenant, SystemClock.now_ms(), "administration")
}

async fn unit_id(
    store: &DynStore,
    org: bro_domain::OrgId,
    name: &str,
) -> Result<bro_domain::UnitId, String> {
    let units = store.units(org).await.map_err(|e| e.to_string())?;
    units
        .iter()
        .find(|u| u.name == name)
        .map(|u| u.id)
        .ok_or_else(|| format!("no unit named {name:?} in that organisation"))
}

pub async fn run(url: &str, command: AdminCommand) -> Result<(), String> {
    let store = crate::open::open(url).await?;
    let org_by_name = |name: String| {
        let store = store.clone();
        async move {
            store
                .organisation_by_name(&name)
                .await
                .map_err(|_| format!("no organisation named {name:?}"))
        }
    };
    match command {
        AdminCommand::CreateOrg {
            name,
            kind,
            no_second_factor,
        } => {
            let kind = OrgKind::parse(&kind).ok_or("unknown organisation kind")?;
            let name = Name::parse(&name).map_err(|e| format!("name: {e}"))?;
            let id = store
                .create_organisation(
                    &system(PLATFORM_TENANT),
                    NewOrganisation {
                        name,
                        kind,
                        require_second_factor: !no_second_factor,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("organisation created (id {id})");
        }
        AdminCommand::CreateUnit { org, name, kind } => {
            let org = org_by_name(org).await?;
            let kind = UnitKind::parse(&kind).ok_or("unknown unit kind")?;
            let name = Name::parse(&name).map_err(|e| format!("name: {e}"))?;
            let id = store
                .create_unit(
                    &system(org.id.0),
                    NewUnit {
                        org_id: org.id,
                        name,
                        kind,
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("unit created (id {id})");
        }
        AdminCommand::CreateUser {
            org,
            username,
            name,
            unit,
            role,
        } => {
            let org = org_by_name(org).await?;
            let role = Role::parse(&role).ok_or("unknown role")?;
            let unit = unit_id(&store, org.id, &unit).await?;
            let username = Username::parse(&username).map_err(|e| format!("username: {e}"))?;
            let display_name = Name::parse(&name).map_err(|e| format!("name: {e}"))?;
            let password = read_password()?;
            let password_hash = bro_auth::password::hash_password(password.expose().to_owned())
                .await
                .map_err(|e| e.to_string())?;
            let new = NewUser {
                org_id: Some(org.id),
                username,
                display_name,
                password_hash,
                kind: AccountKind::Staff,
                citizen_id: None,
                initial_role: Some((unit, role)),
            };
            let id = store
                .create_user(&system(org.id.0), new)
                .await
                .map_err(|e| e.to_string())?;
            println!("user created (id {id})");
        }
        AdminCommand::GrantRole {
            username,
            org,
            unit,
            role,
        } => {
            let user = store
                .user_by_username(&username)
                .await
                .map_err(|_| "no such user".to_owned())?;
            let org = org_by_name(org).await?;
            let role = Role::parse(&role).ok_or("unknown role")?;
            let unit = unit_id(&store, org.id, &unit).await?;
            store
                .grant_role(&system(org.id.0), user.id, unit, role)
                .await
                .map_err(|e| e.to_string())?;
            println!("role granted");
        }
        AdminCommand::SetSor { org, sor } => {
            let org = org_by_name(org).await?;
            let sor = sor.trim();
            if !sor.is_empty() && !sor.bytes().all(|b| b.is_ascii_digit()) {
                return Err("a SOR id is digits only".to_owned());
            }
            store
                .set_org_sor(&system(org.id.0), org.id, (!sor.is_empty()).then_some(sor))
                .await
                .map_err(|e| match e {
                    bro_store::StoreError::Conflict(_) => {
                        "another organisation has that SOR id".to_owned()
                    }
                    e => e.to_string(),
                })?;
            println!("SOR id set");
        }
        AdminCommand::ResetPassword { username } => {
            let user = store
                .user_by_username(&username)
                .await
                .map_err(|_| "no such user".to_owned())?;
            let password = read_password()?;
            let hash = bro_auth::password::hash_password(password.expose().to_owned())
                .await
                .map_err(|e| e.to_string())?;
            let tenant = user.org_id.map_or(PLATFORM_TENANT, |o| o.0);
            store
                .set_password(&system(tenant), user.id, hash)
                .await
                .map_err(|e| e.to_string())?;
            println!("password reset; the user's sessions are ended");
        }
        AdminCommand::Deactivate { username } => {
            let user = store
                .user_by_username(&username)
                .await
                .map_err(|_| "no such user".to_owned())?;
            let tenant = user.org_id.map_or(PLATFORM_TENANT, |o| o.0);
            store
                .deactivate_user(&system(tenant), user.id)
                .await
                .map_err(|e| e.to_string())?;
            println!("user deactivated; the user's sessions are ended");
        }
    }
    Ok(())
}
