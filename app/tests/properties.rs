//! Property tests for every validator the browser and the server share: for any input,
//! a validator never panics, accepts exactly what its rule says, returns a cleaned value
//! that it accepts again unchanged, and refuses with words that name the field.
use std::collections::HashMap;

use app::audit::ActivityFilter;
use app::domain::extension_policy as ext;
use app::domain::ops_policy::{self, Justification};
use app::domain::{OpRequest, Operation, Role};
use app::integrity::IntegrityFilter;
use app::validate;
use proptest::prelude::*;

/// Any text, with a bias towards the characters validators care about.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t\n]{0,3}[a-zA-Z0-9@._/:\\\\-]{0,40}[ \t\n]{0,3}",
        "[a-z]{1,10}@[a-z]{1,10}\\.[a-z]{2,4}",
        "(https?://)?[a-z./]{0,30}",
    ]
}

fn roles() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

fn parse_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), app::url::percent_decode(v).unwrap()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn email_accepts_only_one_shape_and_is_idempotent(raw in text()) {
        match validate::email(&raw) {
            Ok(v) => {
                prop_assert_eq!(&v, &raw.trim().to_lowercase());
                prop_assert_eq!(v.matches('@').count(), 1);
                prop_assert!(v.len() <= 254 && !v.chars().any(|c| c.is_whitespace() || c.is_control()));
                let (local, domain) = v.split_once('@').unwrap();
                prop_assert!(!local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
                prop_assert_eq!(validate::email(&v), Ok(v.clone()));
            }
            Err(m) => prop_assert!(m.starts_with("Email")),
        }
    }

    #[test]
    fn names_are_trimmed_bounded_and_printable(raw in text()) {
        match validate::person_name(&raw) {
            Ok(v) => {
                prop_assert_eq!(v.as_str(), raw.trim());
                prop_assert!((1..=200).contains(&v.chars().count()) && !v.chars().any(char::is_control));
                prop_assert_eq!(validate::person_name(&v), Ok(v.clone()));
            }
            Err(m) => prop_assert!(m.starts_with("Name")),
        }
    }

    #[test]
    fn passwords_need_length_and_have_a_ceiling(raw in any::<String>()) {
        let ok = raw.chars().count() >= validate::MIN_PASSWORD_LEN && raw.len() <= 256;
        prop_assert_eq!(validate::new_password(&raw).is_ok(), ok);
        if let Err(m) = validate::new_password(&raw) { prop_assert!(m.starts_with("Password")); }
    }

    #[test]
    fn reasons_and_notes_are_trimmed_and_bounded(raw in text(), required in any::<bool>()) {
        let n = raw.trim().chars().count();
        match validate::reason(&raw) {
            Ok(v) => {
                prop_assert!((3..=2000).contains(&n));
                prop_assert_eq!(v.as_str(), raw.trim());
                prop_assert_eq!(validate::reason(&v), Ok(v.clone()));
            }
            Err(m) => { prop_assert!(!(3..=2000).contains(&n)); prop_assert!(m.starts_with("Reason")); }
        }
        let note = ops_policy::decision_note(&raw, required);
        prop_assert_eq!(note.is_ok(), n <= 2000 && (!required || n >= 3));
    }

    #[test]
    fn ticket_urls_are_web_addresses_without_spaces(raw in text()) {
        match validate::ticket_url(&raw) {
            Ok(None) => prop_assert!(raw.trim().is_empty()),
            Ok(Some(v)) => {
                prop_assert!(v.starts_with("https://") || v.starts_with("http://"));
                prop_assert!(v.len() > "http://".len() && !v.chars().any(|c| c.is_whitespace() || c.is_control()));
                prop_assert_eq!(validate::ticket_url(&v), Ok(Some(v.clone())));
            }
            Err(m) => prop_assert!(m.starts_with("Ticket URL")),
        }
    }

    #[test]
    fn after_sign_in_we_only_go_to_a_local_page(raw in text()) {
        let next = validate::next_path(&raw);
        prop_assert!(next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.starts_with("/login"));
        prop_assert!(next == raw || next == "/");
    }

    #[test]
    fn ids_are_positive_whole_numbers(raw in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), text()]) {
        match validate::positive_id(Some(&raw), "Customer id") {
            Ok(None) => prop_assert!(raw.trim().is_empty()),
            Ok(Some(n)) => { prop_assert!(n > 0); prop_assert_eq!(raw.trim().parse::<i64>().ok(), Some(n)); }
            Err(m) => prop_assert_eq!(m, "Customer id must be a positive whole number."),
        }
    }

    #[test]
    fn numbers_have_their_documented_bounds(n in prop_oneof![any::<i64>(), -10i64..200_000]) {
        prop_assert_eq!(ops_policy::seats(n).is_ok(), (1..=100_000).contains(&n));
        prop_assert_eq!(ext::users_count(n).is_ok(), (1..=100_000).contains(&n));
        prop_assert_eq!(ext::days(n).is_ok(), (1..=ext::MAX_DAYS).contains(&n));
        prop_assert_eq!(ops_policy::trial_days(n).is_ok(), (1..=ops_policy::MAX_TRIAL_EXTENSION_DAYS).contains(&n));
        prop_assert_eq!(ops_policy::minutes_delta(n).is_ok(), n != 0 && n.checked_abs().is_some_and(|a| a <= ops_policy::MAX_MINUTES_DELTA));
        prop_assert_eq!(ops_policy::storage_delta(n).is_ok(), n != 0 && n.checked_abs().is_some_and(|a| a <= ops_policy::MAX_STORAGE_DELTA_MIB));
        prop_assert_eq!(ext::approval(n).is_some(), n > ext::FREE_DAYS);
    }

    #[test]
    fn words_are_one_of_their_known_values(raw in text()) {
        if let Ok(p) = ops_policy::trial_plan(&raw) { prop_assert!(["premium", "ultimate"].contains(&p.as_str())); }
        if let Ok(k) = ops_policy::minutes_kind(&raw) { prop_assert_eq!(k, raw.trim()); }
        if let Ok(s) = ops_policy::status(&raw) { prop_assert_eq!(s.as_str(), raw.trim()); }
        match ext::opportunity_id(&raw) {
            Ok(v) => prop_assert!((3..=40).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')),
            Err(m) => prop_assert!(m.contains("opportunity id")),
        }
    }

    #[test]
    fn a_cancellation_is_final(from in prop::sample::select(vec!["active", "expired", "cancelled"]), to in prop::sample::select(vec!["active", "expired", "cancelled"])) {
        let (f, t) = (ops_policy::status(from).unwrap(), ops_policy::status(to).unwrap());
        if from == "cancelled" && to != "cancelled" { prop_assert!(ops_policy::status_transition(f, t).is_err()); }
        if from == to { prop_assert!(ops_policy::status_transition(f, t).is_ok()); }
    }

    /// An operation request is accepted exactly when each of its parts is, and every
    /// refusal names a field the request has.
    #[test]
    fn operation_requests_name_their_bad_fields(
        seats in prop::option::of(-5i64..200_000), status in prop::option::of(text()),
        reason in text(), ticket in prop::option::of(text()), role in roles(),
        requester in prop::option::of(prop_oneof![text(), Just("ann@acme.test".to_string())]),
    ) {
        let request = OpRequest::asked(
            Operation::EditSubscription { subscription_id: 1, version: 1, seats, end_date: None, auto_renew: None, status: status.clone() },
            reason.clone(),
            ticket.clone(),
            requester.clone(),
        );
        let parts_ok = seats.is_none_or(|s| ops_policy::seats(s).is_ok())
            && status.as_deref().is_none_or(|s| ops_policy::status(s).is_ok())
            && (seats.is_some() || status.is_some())
            && Justification::check(&reason, ticket.as_deref(), requester.as_deref(), role).is_ok();
        match request.validate(role) {
            Ok(why) => { prop_assert!(parts_ok); prop_assert_eq!(why.reason.as_str(), reason.trim()); }
            Err(app::AppError::Validation { fields, .. }) => {
                prop_assert!(!parts_ok);
                prop_assert!(!fields.is_empty());
                for key in fields.keys() { prop_assert!(["seats", "status", "reason", "ticket_url", "requester"].contains(&key.as_str()), "{}", key); }
            }
            Err(e) => prop_assert!(false, "not a validation error: {e:?}"),
        }
        if role == Role::Support && ticket.as_deref().is_none_or(|t| t.trim().is_empty()) {
            prop_assert!(Justification::check(&reason, ticket.as_deref(), requester.as_deref(), role).is_err(), "support needs a ticket");
        }
        if role == Role::Support && requester.as_deref().is_none_or(|r| r.trim().is_empty()) {
            prop_assert!(Justification::check(&reason, ticket.as_deref(), requester.as_deref(), role).is_err(), "support needs a requester");
        }
    }

    /// A filter read from any query either names its bad parameters or, written back
    /// as an address, reads back the same.
    #[test]
    fn filters_round_trip_through_their_address(values in prop::collection::vec(prop::option::of(text()), 11)) {
        let keys = ["actor", "action", "customer_id", "target_type", "target_id", "from", "to", "q", "requester", "rule", "cursor"];
        let query: HashMap<&str, String> = keys.iter().zip(&values).filter_map(|(k, v)| v.clone().map(|v| (*k, v))).collect();
        let get = |k: &str| query.get(k).cloned();
        match ActivityFilter::from_query(get) {
            Ok(filter) => {
                let back = parse_query(&filter.to_query());
                prop_assert_eq!(ActivityFilter::from_query(|k| back.get(k).cloned()).unwrap(), filter);
            }
            Err(app::AppError::Validation { fields, .. }) => {
                for key in fields.keys() { prop_assert!(keys[..9].contains(&key.as_str()), "{}", key); }
            }
            Err(e) => prop_assert!(false, "not a validation error: {e:?}"),
        }
        match IntegrityFilter::from_query(get) {
            Ok(filter) => {
                let back = parse_query(&filter.to_query());
                prop_assert_eq!(IntegrityFilter::from_query(|k| back.get(k).cloned()).unwrap(), filter);
            }
            Err(app::AppError::Validation { fields, .. }) => {
                for key in fields.keys() { prop_assert!(["rule", "customer_id"].contains(&key.as_str()), "{}", key); }
            }
            Err(e) => prop_assert!(false, "not a validation error: {e:?}"),
        }
    }
}
