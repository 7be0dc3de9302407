//! Server side of the billing provider: links between our records and the provider's,
//! the outbox a change is written to, its delivery, and linking the demo.
pub mod deliver;
pub mod link;
pub mod links;
pub mod outbox;
pub mod stripe;

pub use stripe::Stripe;
