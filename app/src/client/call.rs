//! A change a page asks the server for: the one way a page calls a server function in
//! answer to a click or a submitted form (loading data is [`super::data`]).
//!
//! Leaner than leptos' `ServerAction`, which keeps the input, a memo and a mapped signal
//! per function: every one of them is compiled into the page's WASM once per server
//! function, about 5 KB each. Here only the answer's signal depends on the type.
use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::AppError;

/// The state of one kind of call from a page: how many are on their way, the last
/// answer, and how many answers have come (for data that reloads after each one).
/// `Copy`, like a signal.
pub struct Call<O: Send + Sync + 'static> {
    answer: RwSignal<Option<Result<O, AppError>>>,
    in_flight: RwSignal<u32>,
    answers: RwSignal<u32>,
}

impl<O: Send + Sync + 'static> Clone for Call<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O: Send + Sync + 'static> Copy for Call<O> {}

impl<O: Clone + Send + Sync + 'static> Default for Call<O> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O: Clone + Send + Sync + 'static> Call<O> {
    pub fn new() -> Self {
        Self { answer: RwSignal::new(None), in_flight: RwSignal::new(0), answers: RwSignal::new(0) }
    }

    /// Sends the call (a server function's future); its answer replaces the last one.
    /// An answer that arrives after the page has gone is dropped.
    pub fn run(self, call: impl Future<Output = Result<O, AppError>> + 'static) {
        self.in_flight.update(|n| *n += 1);
        spawn_local(async move {
            let answer = call.await;
            self.answer.try_set(Some(answer));
            self.in_flight.try_update(|n| *n -= 1);
            self.answers.try_update(|n| *n += 1);
        });
    }

    /// Whether a call is on its way (tracked).
    pub fn pending(self) -> bool {
        self.in_flight.get() > 0
    }

    /// The last answer, if any (tracked).
    pub fn value(self) -> Option<Result<O, AppError>> {
        self.answer.get()
    }

    /// The last answer if it was a success (tracked).
    pub fn ok(self) -> Option<O> {
        self.value().and_then(Result::ok)
    }

    /// The last answer if it was a refusal (tracked).
    pub fn error(self) -> Option<AppError> {
        self.value().and_then(Result::err)
    }

    /// How many answers have come (tracked): a source for data to reload after each.
    pub fn version(self) -> u32 {
        self.answers.get()
    }

    /// Forgets the last answer (a form shown again after a success).
    pub fn clear(self) {
        self.answer.set(None);
    }
}
