//! What each subcommand does.
mod audit;
mod bench;
mod billing;
pub mod license;
mod token;

use crate::settings::{
    AuditCommand, BenchCommand, BillingCommand, Cli, Command, LicenseCommand, TokenCommand,
};
use crate::startup::{open, CmdResult};

/// Runs the chosen subcommand (`serve` when none is given).
pub async fn run(cli: Cli) -> CmdResult {
    match cli.command {
        None | Some(Command::Serve) => crate::serve::run(&cli.global, cli.serve).await,
        Some(Command::Billing(BillingCommand::Link)) => billing::link(&cli.global).await,
        Some(Command::Billing(BillingCommand::Deliver)) => billing::deliver(&cli.global).await,
        Some(Command::Billing(BillingCommand::Sweep)) => billing::sweep(&cli.global).await,
        Some(Command::Migrate) => {
            open(&cli.global).await?;
            println!("database is up to date");
            Ok(())
        }
        Some(Command::Seed(args)) => {
            let db = open(&cli.global).await?;
            crate::seed::run(&db, &args).await
        }
        Some(Command::Token(TokenCommand::Create { email, label, days })) => {
            let db = open(&cli.global).await?;
            token::create(&db, &email, &label, days).await
        }
        Some(Command::Token(TokenCommand::List { email })) => {
            let db = open(&cli.global).await?;
            token::list(&db, email.as_deref()).await
        }
        Some(Command::Token(TokenCommand::Revoke { id })) => {
            let db = open(&cli.global).await?;
            token::revoke(&db, id).await
        }
        Some(Command::Bench(BenchCommand::Search { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::search(&db, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Webhooks { samples })) => {
            let billing = cli
                .global
                .billing_connection()?
                .ok_or_else(|| "no billing provider: pass --billing stripe".to_string())?;
            let db = open(&cli.global).await?;
            bench::webhooks(&db, &crate::startup::load_key(&cli.global)?, &billing, samples).await
        }
        Some(Command::Bench(BenchCommand::Edit { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::edit(&db, &crate::startup::load_key(&cli.global)?, samples, rounds).await
        }
        Some(Command::Bench(BenchCommand::Extensions { samples, rounds })) => {
            let db = open(&cli.global).await?;
            bench::extensions(&db, &crate::startup::load_key(&cli.global)?, samples, rounds).await
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
            println!("{}", crate::startup::load_key(&cli.global)?.public_base64());
            Ok(())
        }
        Some(Command::Audit(AuditCommand::Verify)) => {
            let db = open(&cli.global).await?;
            let key = crate::startup::load_key(&cli.global)?;
            audit::verify(&db, &cli.global.checkpoint_file(), &key).await
        }
        Some(Command::Audit(AuditCommand::Checkpoint)) => {
            let db = open(&cli.global).await?;
            let key = crate::startup::load_key(&cli.global)?;
            audit::checkpoint(&db, &cli.global.checkpoint_file(), &key).await
        }
    }
}
