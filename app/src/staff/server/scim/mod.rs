//! SCIM 2.0 provisioning (`/scim/v2/Users`, RFC 7643/7644): the identity provider
//! creates, updates, deactivates and deletes staff records here, authenticated by the
//! bearer token `FC_SCIM_TOKEN`. Deactivating or deleting a person ends their sessions
//! and revokes their API tokens in the transaction that records it. Requests are
//! accepted in the shapes Okta and Microsoft Entra ID send.
mod error;
mod filter;
mod patch;
mod routes;
mod store;
mod user;

pub use routes::router;
