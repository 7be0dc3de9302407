//! What each subcommand does.
mod audit;
mod bench;
pub mod license;
mod token;

use std::error::Error;

use app::store::{self, Db};

use crate::settings::{
    AuditCommand, BenchCommand, Cli, Command, Global, LicenseCommand, TokenCommand,
};

pub type CmdResult = Result<(), Box<dyn Error + Send + Sync>>;

/// Runs the chosen subcommand (`serve` when none is given).
pub async fn run(cli: Cli) -> CmdResult {
    match cli.command {
        None | Some(Command::Serve) => crate::serve::run(&cli.global, cli.serve).await,
        Some(Command::Migrate) => {
            open(&cli.global).await?;
            println!("database is up to date");
            Ok(())
        }
        Some(Command::Seed(args)) => {
            let db = open(&cli.global).await?;
            crate::seed::run(&db, &args).await
        }
        Some(Command::Token(TokenCommand::Create { email, label })) => {
            let db = open(&cli.global).await?;
            token::create(&db, &email, &label).await
        }
        Some(Command::Bench(BenchCommand::Search { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::search(&db, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Edit { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::edit(&db, &license::load_key(&cli.global)?, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Extensions { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::extensions(&db, &license::load_key(&cli.global)?, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Activity { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::activity(&db, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Integrity { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::integrity(&db, samples, rounds).await
        }
        Some(Command::License(LicenseCommand::Verify { file })) => {
            license::verify(&cli.global, &file)
        }
        Some(Command::License(LicenseCommand::PublicKey)) => {
            println!("{}", license::load_key(&cli.global)?.public_base64());
            Ok(())
        }
        Some(Command::Audit(AuditCommand::Verify)) => {
            let db = open(&cli.global).await?;
            audit::verify(&db).await
        }
    }
}

/// Connects to the configured database and brings its schema up to date. Both steps
/// fail loudly, naming the database (without its password) and the cause.
pub async fn open(global: &Global) -> Result<Db, Box<dyn Error + Send + Sync>> {
    let url = global.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&global.data_dir).map_err(|e| {
            format!("cannot create data directory {}: {e}", global.data_dir.display())
        })?;
    }
    let shown = store::connect::redact(&url);
    let db = store::connect(&url, global.db_max_connections)
        .await
        .map_err(|e| format!("cannot open database {shown}: {e}"))?;
    store::migrate(&db)
        .await
        .map_err(|e| format!("migrating database {shown} failed: {e}. The schema was left as it was before the failing migration."))?;
    Ok(db)
}
