//! Server side of authentication: password hashing, sessions, API tokens, resolving
//! the caller of a request and the middleware that enforces it.

pub mod caller;
pub mod cookies;
pub mod login;
pub mod middleware;
pub mod password;
pub mod secret;
pub mod session;
pub mod sso;
pub mod staff;
pub mod throttle;
pub mod token;

pub use caller::{Caller, Via};
