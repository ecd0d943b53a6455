//! Writes a hospital's feed for `bench/medcom`: `--messages` MedCom HospitalNotification
//! files, one message each, about the citizens in `--patients` (lines of "CPR SOR-id": the
//! citizen and the SOR id of the municipality that holds their course). Each citizen in turn
//! is admitted and discharged two days later, one stay in five with a leave in between; when
//! every citizen has had a stay, the next round admits them again 10 days later (within 30
//! days: readmissions). Times start at `--from` (ms since the epoch), ten seconds apart per
//! citizen, so a feed of 100,000 messages spans under three weeks. Message and episode ids
//! carry `--tag`, so a second feed is not taken for duplicates of the first.

use bro_domain::Cpr;
use bro_domain::hospital::{Activity, Event, Notification};
use bro_medcom::{Organization, Outgoing};
use clap::Parser;
use std::path::PathBuf;

#[derive(Parser)]
struct Args {
    /// Lines of "CPR SOR-id".
    #[arg(long)]
    patients: PathBuf,
    /// The folder to write the message files to (created).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 100_000)]
    messages: usize,
    /// The first admission, in ms since the epoch.
    #[arg(long)]
    from: i64,
    #[arg(long, default_value = "bench")]
    tag: String,
}

const MINUTE: i64 = 60_000;
const SPACING: i64 = 10_000;
const DAY: i64 = 24 * 60 * MINUTE;
const EPISODES: &str = "urn:bro:bench-ward-episode";

fn main() -> Result<(), String> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.patients)
        .map_err(|e| format!("{}: {e}", args.patients.display()))?;
    let mut patients = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut words = line.split_whitespace();
        let (Some(cpr), Some(sor)) = (words.next(), words.next()) else {
            return Err(format!("line {}: expected \"CPR SOR-id\"", n + 1));
        };
        let cpr = Cpr::parse(cpr).map_err(|e| format!("line {}: {e}", n + 1))?;
        patients.push((cpr, sor.to_owned()));
    }
    if patients.is_empty() {
        return Err("no patients".into());
    }
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let sender = Organization {
        sor: Some("970000000000001".into()),
        gln: None,
        name: Some("Psykiatrisk sengeafsnit, benchmark".into()),
    };
    let mut written = 0;
    'feed: for round in 0.. {
        for (k, (cpr, sor)) in patients.iter().enumerate() {
            let admitted = args.from + round * 10 * DAY + k as i64 * SPACING;
            let discharged = admitted + 2 * DAY;
            let mut steps = vec![(Activity::AdmitInpatient, admitted, None)];
            if k % 5 == 0 {
                let (out, back) = (admitted + DAY, admitted + DAY + 6 * 60 * MINUTE);
                steps.push((Activity::StartLeave, out, Some((out, None))));
                steps.push((Activity::EndLeave, back, Some((out, Some(back)))));
            }
            steps.push((Activity::DischargeInpatient, discharged, None));
            let receiver = Organization {
                sor: Some(sor.clone()),
                gln: None,
                name: None,
            };
            let episode = format!("{}-{k}-{round}", args.tag);
            for (step, (activity, at, leave)) in steps.into_iter().enumerate() {
                if written == args.messages {
                    break 'feed;
                }
                let notification = Notification {
                    message_id: format!("{episode}-{step}"),
                    recorded: at,
                    activity,
                    start: admitted,
                    end: matches!(activity.event(), Event::Discharge).then_some(at),
                    leave,
                    unit: "Psykiatrisk sengeafsnit".into(),
                };
                let json = Outgoing {
                    message_id: &notification.message_id,
                    sender: &sender,
                    receiver: &receiver,
                    cpr,
                    episode: (EPISODES, &episode),
                    notification: &notification,
                }
                .to_json();
                // Named so that a folder lists them in the order they were sent.
                let file = args.out.join(format!("{written:07}.json"));
                std::fs::write(&file, json).map_err(|e| format!("{}: {e}", file.display()))?;
                written += 1;
            }
        }
    }
    println!("{written} messages about {} citizens", patients.len());
    Ok(())
}
