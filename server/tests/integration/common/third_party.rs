//! Third parties' servers the tests talk to (a Stripe-compatible server, an OpenID
//! provider): each one process per test on a free port, from the launcher the test
//! command names in an environment variable.
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `$env_var` (or `fallback` on the `PATH`) with the arguments `args` gives for a
/// free port. `None`, with a visible message, where it is not installed outside CI; in
/// CI a missing server fails the test.
pub fn spawn(
    env_var: &str,
    fallback: &str,
    args: impl FnOnce(u16) -> Vec<String>,
) -> Option<(Child, u16)> {
    let program = std::env::var(env_var).unwrap_or_else(|_| fallback.into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    match Command::new(&program)
        .args(args(port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => Some((child, port)),
        Err(e) => {
            if std::env::var("CI").is_ok() {
                panic!("`{program}` is required in CI but did not start: {e}");
            }
            eprintln!("SKIPPED: `{program}` not found ({e}); set {env_var}");
            None
        }
    }
}

/// Waits (up to 30 s) until `ready` says the server answers.
pub async fn until_ready<F, Fut>(what: &str, ready: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready().await {
        assert!(Instant::now() < deadline, "{what} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
