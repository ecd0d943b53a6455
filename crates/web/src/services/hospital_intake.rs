//! The one way a hospital message comes into Bro, whichever door it used (`bro import medcom`,
//! the API for a message broker, a unit's form): read it, find the organisation it is for and
//! the citizen it is about, decide who on the care team may be told, and hand it to the store,
//! which keeps it and applies it in one transaction.

use bro_audit::PLATFORM_TENANT;
use bro_domain::hospital::Notification;
use bro_domain::{CitizenId, Cpr, OrgId, ShareCategory, Timestamp, UserId};
use bro_medcom::{Message, Organization, PatientId};
use bro_store::{
    AuditCtx, Channel, DynStore, HospitalFacts, IncomingHospitalMessage, Receipt, StoreResult,
};
use std::collections::HashMap;

/// How many messages of a feed to hand to [`receive_all`] at a time: enough that a message
/// costs its own statements, not a transaction's, and that the pages a batch touches again
/// (index leaves, the tails of the tables it appends to) are written once for many messages;
/// few enough that the transaction holds the write lock briefly (on SQLite every other writer,
/// a page's audit record too, waits for it: some 0.1 s at national scale).
pub const FEED_BATCH: usize = 500;

/// The audit purpose of receiving hospital messages.
pub const PURPOSE: &str = "hospital-notification";

/// One message at a door.
pub struct Intake<'a> {
    pub channel: Channel,
    /// The organisation the door belongs to (the API token's, the form's); `None`: the one the
    /// message names as its receiver (the import command).
    pub org: Option<OrgId>,
    /// The API client that delivered it.
    pub client: Option<i64>,
    pub bytes: &'a [u8],
}

impl<'a> Intake<'a> {
    /// A message read from a file (the import command, the demo and generated worlds):
    /// addressed by its own receiver, delivered by no API client.
    pub fn file(bytes: &'a [u8]) -> Self {
        Intake {
            channel: Channel::File,
            org: None,
            client: None,
            bytes,
        }
    }
}

/// What came of it, with what the answer to the sender needs.
pub struct Received {
    pub receipt: Receipt,
    pub message_id: Option<String>,
    /// The sender, for the acknowledgement (when the message could be read).
    pub sender: Option<Organization>,
    /// For a rejected message: the MedCom acknowledgement error code that names the problem.
    pub error_code: Option<&'static str>,
}

/// The acknowledgement error codes (MedCom's CodeSystem medcom-acknowledgement-error-codes and
/// FHIR's operation outcome codes) for problems the parser does not see.
const RECEIVER_UNKNOWN: &str = "MSG_Receiver_Identifier_UNKNOWN";
const RECEIVER_MISSING: &str = "MSG_Receiver_Identifier_MISSING";
const REFUSED_BY_STORE: &str = "MSG_RESOURCE_ID_MISMATCH";

/// Reads a MedCom HospitalNotification and receives it.
pub async fn receive(
    store: &DynStore,
    now: Timestamp,
    intake: Intake<'_>,
) -> StoreResult<Received> {
    let mut one = receive_all(store, &[(now, intake)]).await;
    one.remove(0)
}

/// Reads and receives the messages of a feed, each at its moment, in order, kept together
/// (see `receive_hospital_messages`): one result per message.
pub async fn receive_all(
    store: &DynStore,
    intakes: &[(Timestamp, Intake<'_>)],
) -> Vec<StoreResult<Received>> {
    keep_all(store, read_all(store, intakes).await).await
}

/// A feed's messages read, and what the store needs to keep them looked up: the first half of
/// [`receive_all`]. It only reads, so a feed can read its next messages while the store keeps
/// the ones before.
pub struct Read {
    batch: Vec<(AuditCtx, IncomingHospitalMessage)>,
    answers: Vec<StoreResult<Answer>>,
}

/// Parses the messages of a feed and looks up who they are for and who is told.
pub async fn read_all(store: &DynStore, intakes: &[(Timestamp, Intake<'_>)]) -> Read {
    let parsed: Vec<_> = intakes
        .iter()
        .map(|(_, intake)| bro_medcom::parse(intake.bytes))
        .collect();
    let mut lookups = Lookups::default();
    if let Err(e) = lookups.of_feed(store, intakes, &parsed).await {
        return Read {
            batch: Vec::new(),
            answers: intakes.iter().map(|_| Err(e.clone())).collect(),
        };
    }
    let (mut batch, mut answers) = (Vec::with_capacity(intakes.len()), Vec::new());
    for ((now, intake), parsed) in intakes.iter().zip(parsed) {
        let (message, answer) = read_one((*now, intake, parsed), &lookups);
        batch.push(message);
        answers.push(Ok(answer));
    }
    Read { batch, answers }
}

/// Hands the messages `read` to the store, which keeps them together: the second half of
/// [`receive_all`].
pub async fn keep_all(store: &DynStore, read: Read) -> Vec<StoreResult<Received>> {
    let mut receipts = store
        .receive_hospital_messages(&read.batch)
        .await
        .into_iter();
    read.answers
        .into_iter()
        .map(|answer| {
            let answer = answer?;
            let receipt = receipts
                .next()
                .expect("one receipt per message handed to the store")?;
            let error_code = match (&receipt, answer.problem) {
                (Receipt::Rejected { .. }, Some(code)) => Some(code),
                (Receipt::Rejected { .. }, None) => Some(REFUSED_BY_STORE),
                _ => None,
            };
            Ok(Received {
                receipt,
                message_id: answer.message_id,
                sender: answer.sender,
                error_code,
            })
        })
        .collect()
}

/// What the answer to the sender needs of a message, besides its receipt.
struct Answer {
    message_id: Option<String>,
    sender: Option<Organization>,
    /// Why it cannot be applied, as an acknowledgement error code.
    problem: Option<&'static str>,
}

/// What a feed asks again and again, read once per feed: organisations by SOR id, and who on
/// a citizen's care team is told at a moment (by compact CPR number).
#[derive(Default)]
struct Lookups {
    orgs: HashMap<String, OrgId>,
    told: HashMap<(String, Timestamp), Vec<UserId>>,
}

impl Lookups {
    /// Reads the organisations the feed is addressed to, in one read, and who is told about
    /// its patients, one read per moment the feed has.
    async fn of_feed(
        &mut self,
        store: &DynStore,
        intakes: &[(Timestamp, Intake<'_>)],
        parsed: &[Result<Message, bro_medcom::ParseError>],
    ) -> StoreResult<()> {
        let mut sors: Vec<String> = parsed
            .iter()
            .filter_map(|m| m.as_ref().ok()?.receiver.sor.clone())
            .collect();
        sors.sort_unstable();
        sors.dedup();
        self.orgs = store.orgs_by_sor(&sors).await?;
        let mut by_moment: HashMap<Timestamp, Vec<Cpr>> = HashMap::new();
        for ((now, _), m) in intakes.iter().zip(parsed) {
            if let Ok(Message {
                patient: PatientId::Cpr(cpr),
                ..
            }) = m
            {
                by_moment.entry(*now).or_default().push(cpr.clone());
            }
        }
        for (now, cprs) in by_moment {
            let citizens = store.citizens_by_cpr(&cprs).await?;
            let ids: Vec<CitizenId> = citizens.iter().map(|(_, c)| *c).collect();
            let mut told = health_readers(store, &ids, now).await?;
            for (cpr, citizen) in citizens {
                self.told
                    .insert((cpr, now), told.remove(&citizen).unwrap_or_default());
            }
        }
        Ok(())
    }
}

/// One message of a feed as the store is to keep it, by what the feed's lookups found.
fn read_one(
    (now, intake, parsed): (
        Timestamp,
        &Intake<'_>,
        Result<Message, bro_medcom::ParseError>,
    ),
    lookups: &Lookups,
) -> ((AuditCtx, IncomingHospitalMessage), Answer) {
    let (org, facts) = match &parsed {
        Err(e) => (intake.org, Err((e.ack_code(), e.to_string()))),
        Ok(m) => {
            let addressed = match &m.receiver.sor {
                Some(sor) => lookups.orgs.get(sor).copied(),
                None => None,
            };
            match (intake.org, addressed) {
                (None, None) => (None, Err(unknown_receiver(m))),
                (None, Some(to)) => (Some(to), Ok(facts_of(m))),
                (Some(door), Some(to)) if to == door => (Some(door), Ok(facts_of(m))),
                (Some(door), _) => (
                    Some(door),
                    Err((
                        RECEIVER_UNKNOWN,
                        "the message is addressed to another receiver".to_owned(),
                    )),
                ),
            }
        }
    };
    let message = parsed.as_ref().ok();
    let tell = match &facts {
        Ok(HospitalFacts { cpr: Some(cpr), .. }) => lookups
            .told
            .get(&(cpr.compact(), now))
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let incoming = IncomingHospitalMessage {
        org,
        channel: intake.channel,
        client: intake.client,
        body: intake.bytes.to_vec(),
        message_id: message
            .map(|m| m.message_id.clone())
            .or_else(|| bro_medcom::message_id_of(intake.bytes)),
        facts: facts.clone().map_err(|(_, why)| why),
        tell,
    };
    let tenant = org.map_or(PLATFORM_TENANT, |o| o.0);
    let answer = Answer {
        message_id: incoming.message_id.clone(),
        sender: message.map(|m| m.sender.clone()),
        problem: facts.err().map(|(code, _)| code),
    };
    ((AuditCtx::system(tenant, now, PURPOSE), incoming), answer)
}

/// An event a staff member registers by hand, for a unit without a MedCom feed.
pub struct ByHand<'a> {
    /// The receiving organisation: the stay's, or the member's own for an admission.
    pub org: OrgId,
    pub citizen: CitizenId,
    /// The episode of care's identifier (system, value).
    pub key: (String, String),
    pub notification: Notification,
    /// The form as it was typed: kept verbatim, as a message is.
    pub typed: &'a [u8],
}

/// The identifier system of the stays registered by hand.
pub const BY_HAND: &str = "urn:bro:hospital-stay-by-hand";

/// Receives a hand-registered event on the path every message takes: kept with who
/// registered it, applied to its stay rebuilt from all its events, the team told.
pub async fn register(store: &DynStore, ctx: &AuditCtx, hand: ByHand<'_>) -> StoreResult<Receipt> {
    let cpr = store.citizen(ctx, hand.citizen).await?.cpr;
    let incoming = IncomingHospitalMessage {
        org: Some(hand.org),
        channel: Channel::Manual,
        client: None,
        body: hand.typed.to_vec(),
        message_id: Some(hand.notification.message_id.clone()),
        facts: Ok(HospitalFacts {
            cpr: Some(cpr),
            episode: hand.key,
            notification: hand.notification,
        }),
        tell: health_readers(store, &[hand.citizen], ctx.at_ms)
            .await?
            .remove(&hand.citizen)
            .unwrap_or_default(),
    };
    let mut one = store
        .receive_hospital_messages(&[(ctx.clone(), incoming)])
        .await;
    one.remove(0)
}

/// Gives `org`'s stays that wait unmatched to the citizens now in Bro with their CPR numbers,
/// each citizen's team told as a message would have told them; how many were matched. A
/// citizen added between the two steps is matched without an alert, their team's overview
/// showing the stay all the same.
pub async fn rematch(store: &DynStore, ctx: &AuditCtx, org: OrgId) -> StoreResult<usize> {
    let citizens = store.hospital_matches_waiting(org).await?;
    let tell = health_readers(store, &citizens, ctx.at_ms).await?;
    store.rematch_hospital_episodes(ctx, org, &tell).await
}

fn unknown_receiver(m: &Message) -> (&'static str, String) {
    match &m.receiver.sor {
        Some(sor) => (
            RECEIVER_UNKNOWN,
            format!("the receiver (SOR {sor}) is not an organisation in Bro"),
        ),
        None => (RECEIVER_MISSING, "the receiver has no SOR id".to_owned()),
    }
}

fn facts_of(m: &Message) -> HospitalFacts {
    HospitalFacts {
        cpr: match &m.patient {
            PatientId::Cpr(cpr) => Some(cpr.clone()),
            PatientId::None => None,
        },
        episode: m.encounter.episode.clone(),
        notification: m.notification(),
    }
}

/// The members of the care team of each citizen's open course who may read health data about
/// them.
async fn health_readers(
    store: &DynStore,
    citizens: &[CitizenId],
    now: Timestamp,
) -> StoreResult<HashMap<CitizenId, Vec<UserId>>> {
    super::team_readers::readers(store, citizens, ShareCategory::Health, None, now).await
}

/// A fresh FHIR id (a random UUID, version 4): for an acknowledgement's resources, and for a
/// stay and an event registered by hand.
pub fn fresh_id() -> String {
    let n = rand::random::<u128>() & !(0xF_u128 << 76) & !(0x3_u128 << 62)
        | (0x4_u128 << 76)
        | (0x2_u128 << 62);
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::fresh_id;

    #[test]
    fn ids_are_version_4_uuids_and_fhir_ids() {
        let a = fresh_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
        assert!(a.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
        assert_ne!(a, fresh_id());
    }
}
