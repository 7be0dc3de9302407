//! Checking a webhook's `Stripe-Signature`: `t=<unix time>,v1=<hex>[,v1=<hex>…]`, each
//! `v1` an HMAC-SHA256 of `<t>.<payload>` under an endpoint secret. Any `v1` may match
//! any of our secrets (while a secret is rolled, the provider signs with both), and
//! the time must be within the tolerance of ours, so a captured request cannot be
//! replayed later.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a signature's time may be from ours.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a webhook was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    #[error("the signature's time is more than 5 minutes from ours")]
    Stale,
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `header` over `payload` against `secrets` at Unix time `now`.
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secrets: &[String],
    now: i64,
) -> Result<(), Refused> {
    let header = header.ok_or(Refused::Missing)?;
    let mut time = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => time = Some(t.parse::<i64>().map_err(|_| Refused::Malformed)?),
            Some(("v1", hex)) => {
                if let Ok(bytes) = hex::decode(hex) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let time = time.ok_or(Refused::Malformed)?;
    if signatures.is_empty() {
        return Err(Refused::Malformed);
    }
    if (now - time).abs() > TOLERANCE_SECS {
        return Err(Refused::Stale);
    }
    let matches = secrets.iter().any(|secret| {
        signatures.iter().any(|sig| {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
                return false;
            };
            mac.update(time.to_string().as_bytes());
            mac.update(b".");
            mac.update(payload);
            mac.verify_slice(sig).is_ok()
        })
    });
    if matches {
        Ok(())
    } else {
        Err(Refused::Mismatch)
    }
}

/// The `Stripe-Signature` header for `payload` at `time` under `secret` (what the
/// provider sends; the tests and the benchmark sign with it).
pub fn sign(payload: &[u8], secret: &str, time: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(time.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    format!("t={time},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn secrets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_signature_is_checked_against_every_secret_and_every_v1() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(body, "whsec_new", NOW);
        assert_eq!(verify(Some(&good), body, &secrets(&["whsec_new"]), NOW), Ok(()));
        // Rolling a secret: the old one signs too, and either of ours may match.
        let old = sign(body, "whsec_old", NOW);
        let both = format!("{good},v1={}", old.split("v1=").nth(1).unwrap());
        assert_eq!(verify(Some(&both), body, &secrets(&["whsec_old"]), NOW), Ok(()));
        assert_eq!(verify(Some(&old), body, &secrets(&["whsec_new", "whsec_old"]), NOW), Ok(()));
        assert_eq!(
            verify(Some(&good), br#"{"id":"evt_2"}"#, &secrets(&["whsec_new"]), NOW),
            Err(Refused::Mismatch)
        );
        assert_eq!(verify(Some(&good), body, &secrets(&["other"]), NOW), Err(Refused::Mismatch));
    }

    #[test]
    fn missing_malformed_and_stale_signatures_are_refused() {
        let body = b"{}";
        let s = secrets(&["k"]);
        assert_eq!(verify(None, body, &s, NOW), Err(Refused::Missing));
        assert_eq!(verify(Some("v1=00"), body, &s, NOW), Err(Refused::Malformed));
        assert_eq!(verify(Some("t=1"), body, &s, NOW), Err(Refused::Malformed));
        assert_eq!(verify(Some("t=x,v1=00"), body, &s, NOW), Err(Refused::Malformed));
        let old = sign(body, "k", NOW - TOLERANCE_SECS - 1);
        assert_eq!(verify(Some(&old), body, &s, NOW), Err(Refused::Stale));
        let edge = sign(body, "k", NOW - TOLERANCE_SECS);
        assert_eq!(verify(Some(&edge), body, &s, NOW), Ok(()));
        let future = sign(body, "k", NOW + TOLERANCE_SECS + 1);
        assert_eq!(verify(Some(&future), body, &s, NOW), Err(Refused::Stale));
    }
}
