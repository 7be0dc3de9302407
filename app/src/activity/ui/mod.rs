//! The timeline's screens: the `/activity` page and the timeline component that the
//! customer page shows too.
mod as_of;
mod badge;
mod event;
mod page;
mod timeline;

pub use event::{show_value, timeline_href};
pub use page::TimelinePage;
pub use timeline::Timeline;
