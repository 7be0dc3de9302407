//! Argon2id password hashing, off the async threads, a few at a time: each hash takes
//! tens of milliseconds of a core and ~19 MiB, so a flood of sign-ins waits for a turn
//! (and is refused after a while) instead of starving everything else.
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::AppError;

/// How long a hash waits for a turn before the request is refused.
const TURN_WAIT: Duration = Duration::from_secs(10);

/// Turns: hashes running at once, one per core (at least two).
fn turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Semaphore::new(cores.max(2))
    })
}

/// Runs `work` on the blocking pool once a turn is free.
async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let busy =
        || AppError::TooManyRequests("The sign-in service is busy. Try again in a moment.".into());
    let _turn = tokio::time::timeout(TURN_WAIT, turns().acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    tokio::task::spawn_blocking(work).await.map_err(AppError::internal)
}

/// Hashes a password with a fresh salt.
pub async fn hash(password: String) -> Result<String, AppError> {
    in_turn(move || hash_blocking(&password)).await?
}

/// Hashes on the current thread: for the seeder, which runs outside request handling.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Checks a password against a stored hash. A malformed hash counts as a mismatch.
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    in_turn(move || {
        PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
}

/// A hash of a random password, verified against when the email is unknown so that
/// timing does not tell which part of the credentials was wrong.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY
        .get_or_init(|| hash_blocking(&format!("{:x}", rand::random::<u128>())).unwrap_or_default())
}
