//! Server side of the billing provider: links between our records and the provider's,
//! the outbox a change is written to, its delivery, linking the demo, the provider's
//! webhook events and the drift records reconciliation leaves.
pub mod connection;
pub mod deliver;
pub mod drift;
pub mod events;
pub mod link;
pub mod links;
pub mod outbox;
pub mod signature;
pub mod stripe;

pub use connection::Connection;
pub use stripe::Stripe;
