//! `bro`: one binary for serving, the demo, migrations, administration and audit verification.

mod admin;
mod audit_verify;
mod config;
mod demo;
mod export;
mod import;
mod open;
mod server;

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bro",
    version,
    about = "Bro: one course, one plan, one team across region and municipality"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start Bro for production from a config file and/or BRO_* environment variables.
    Serve {
        /// TOML configuration file (optional; environment variables override it).
        #[arg(long, env = "BRO_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Start Bro with the demo world on embedded SQLite.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Where the SQLite database lives; created when missing, reused when present.
        #[arg(long, default_value = "bro-data")]
        data_dir: PathBuf,
        /// Use this database instead (sqlite://path or postgres://…).
        #[arg(long)]
        database: Option<String>,
        /// Grow the world to N citizens in bulk (benchmarks); resumes an interrupted run.
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// Seed of the grown world: the same seed gives the same world.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Apply database migrations.
    Migrate {
        /// sqlite://path or postgres://…
        #[arg(long, env = "BRO_DATABASE_URL")]
        database: String,
    },
    /// Administer organisations, units and users.
    Admin {
        #[arg(long, env = "BRO_DATABASE_URL", global = true)]
        database: Option<String>,
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Export data in an open format.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Import data in an open format.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// MedCom HospitalNotification messages (FHIR JSON): files, or folders of them. Prints
    /// per message: accepted, duplicate, unmatched, or rejected with the reason; fails when
    /// any was rejected.
    Medcom {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The database; by default the demo's (`scripts/demo`).
        #[arg(
            long,
            env = "BRO_DATABASE_URL",
            default_value = "sqlite://bro-data/bro.db"
        )]
        database: String,
    },
    /// Another directory's Open Referral HSDS 3.0 JSON (services, organizations with their
    /// services, or an API page) as read-only offers of external organisations.
    Hsds {
        /// The JSON file, e.g. another Bro's services.json.
        file: PathBuf,
        #[arg(long, env = "BRO_DATABASE_URL")]
        database: String,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The directory of offers as Open Referral HSDS 3.0 JSON files.
    Hsds {
        /// The folder to write to (created when missing).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, env = "BRO_DATABASE_URL")]
        database: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk every tenant's audit chain; exit 1 at the first broken record.
    Verify {
        #[arg(long, env = "BRO_DATABASE_URL")]
        database: String,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BRO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { config } => {
            init_logging(true);
            server::serve(config).await
        }
        Command::Demo {
            listen,
            data_dir,
            database,
            scale,
            seed,
        } => {
            init_logging(false);
            demo::run(demo::DemoOptions {
                listen,
                data_dir,
                database,
                scale,
                seed,
            })
            .await
        }
        Command::Migrate { database } => open::open(&database).await.map(|_| {
            println!("migrations applied");
        }),
        Command::Admin { database, command } => match database {
            Some(db) => admin::run(&db, command).await,
            None => Err("--database (or BRO_DATABASE_URL) is required".into()),
        },
        Command::Audit {
            command: AuditCommand::Verify { database },
        } => return audit_verify::run(&database).await,
        Command::Export {
            command: ExportCommand::Hsds { out, database },
        } => export::hsds(&database, &out).await,
        Command::Import {
            command: ImportCommand::Hsds { file, database },
        } => import::hsds(&database, &file).await,
        Command::Import {
            command: ImportCommand::Medcom { paths, database },
        } => import::medcom(&database, &paths).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bro: {e}");
            ExitCode::FAILURE
        }
    }
}
