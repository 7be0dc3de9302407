//! The connection to the company's identity provider (OpenID Connect): its
//! configuration from discovery, the address a sign-in starts at, and the checked
//! identity a person comes back with. Who that identity is here (their staff record and
//! role) is `auth::server::sso`'s.
mod client;

pub use client::{Identity, OtherClaims, Pending, Sso, SsoSettings, CALLBACK_PATH};
