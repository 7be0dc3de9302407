//! Signed license files. A license is a readable header followed by one signed block:
//! base64 of the license's JSON fields, a dot, and the base64 Ed25519 signature of
//! those bytes. Verification checks the signature and that the header still reads
//! what the signed fields say, so any change to the file fails.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::domain::LicenseFields;

const BEGIN: &str = "-----BEGIN FULFILLMENT CONSOLE LICENSE-----";
const END: &str = "-----END FULFILLMENT CONSOLE LICENSE-----";
const KEY_LABEL: &str = "fulfillment-console license signing key (ed25519 seed, base64)";

/// A license key: five groups of five characters from an alphabet without look-alikes;
/// `pick(n)` chooses an index below `n`.
pub fn key_text(mut pick: impl FnMut(usize) -> usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let groups: Vec<String> =
        (0..5).map(|_| (0..5).map(|_| ALPHABET[pick(ALPHABET.len())] as char).collect()).collect();
    groups.join("-")
}

/// The server's signing key: it signs licenses and the audit chain's checkpoints.
#[derive(Clone)]
pub struct LicenseKey(SigningKey);

impl std::fmt::Debug for LicenseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LicenseKey(public {})", self.public_base64())
    }
}

impl LicenseKey {
    /// A new random key.
    pub fn generate() -> LicenseKey {
        LicenseKey(SigningKey::from_bytes(&rand::random::<[u8; 32]>()))
    }

    /// Reads a key file written by [`LicenseKey::to_file_text`]: `#` lines are comments,
    /// the rest is the base64 of the 32-byte seed.
    pub fn from_file_text(text: &str) -> Result<LicenseKey, String> {
        let body: String = text.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
        let bytes =
            STANDARD.decode(body.trim()).map_err(|_| "the key file is not base64".to_string())?;
        let seed: [u8; 32] =
            bytes.try_into().map_err(|_| "the key must be 32 bytes".to_string())?;
        Ok(LicenseKey(SigningKey::from_bytes(&seed)))
    }

    pub fn to_file_text(&self) -> String {
        format!(
            "# {KEY_LABEL}\n# public key: {}\n{}\n",
            self.public_base64(),
            STANDARD.encode(self.0.to_bytes())
        )
    }

    pub fn public_base64(&self) -> String {
        STANDARD.encode(self.0.verifying_key().to_bytes())
    }

    /// The license file for `fields`.
    pub fn sign(&self, fields: &LicenseFields) -> String {
        let payload = serde_json::to_vec(fields).unwrap_or_default();
        let signature = self.0.sign(&payload);
        let block =
            format!("{}.{}", STANDARD.encode(&payload), STANDARD.encode(signature.to_bytes()));
        let wrapped: Vec<String> =
            block.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        format!("{}\n{BEGIN}\n{}\n{END}\n", header(fields), wrapped.join("\n"))
    }

    /// The fields of a license file signed by this key; why not, when it is not.
    pub fn verify(&self, text: &str) -> Result<LicenseFields, String> {
        verify_with(&self.0.verifying_key(), text)
    }
}

/// The audit chain's checkpoints are signed with the same key (base64 signatures).
impl crate::audit::checkpoint::CheckpointKey for LicenseKey {
    fn sign_text(&self, message: &str) -> String {
        STANDARD.encode(self.0.sign(message.as_bytes()).to_bytes())
    }

    fn verifies_text(&self, message: &str, signature: &str) -> bool {
        STANDARD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .is_some_and(|sig| self.0.verifying_key().verify(message.as_bytes(), &sig).is_ok())
    }
}

/// What a person reads at the top of the file.
fn header(f: &LicenseFields) -> String {
    let kind = f.kind.replace('_', " ");
    format!(
        "Fulfillment Console license ({kind})\nLicense key: {}\nCustomer: {} (id {})\nSubscription: {} ({})\nUsers: {}\nValid: {} to {}\nIssued: {} by {}\n",
        f.key,
        f.customer,
        f.customer_id,
        f.subscription,
        f.product,
        f.users,
        f.starts_on,
        f.expires_on,
        f.issued_at.format("%Y-%m-%d %H:%M UTC"),
        f.issued_by
    )
}

fn verify_with(key: &VerifyingKey, text: &str) -> Result<LicenseFields, String> {
    let text = text.replace("\r\n", "\n");
    let (head, rest) = text
        .split_once(&format!("{BEGIN}\n"))
        .ok_or("no license block found (BEGIN line missing)")?;
    let (block, tail) =
        rest.split_once(END).ok_or("the license block is not closed (END line missing)")?;
    if !tail.trim().is_empty() {
        return Err("text after the license block".into());
    }
    let block: String = block.split_whitespace().collect();
    let (payload, signature) = block.split_once('.').ok_or("the license block has no signature")?;
    let payload = STANDARD.decode(payload).map_err(|_| "the license block is not valid base64")?;
    let signature = STANDARD.decode(signature).map_err(|_| "the signature is not valid base64")?;
    let signature =
        Signature::from_slice(&signature).map_err(|_| "the signature has the wrong length")?;
    key.verify(&payload, &signature).map_err(|_| {
        "the signature does not match: the license was changed or not issued by this server"
    })?;
    let fields: LicenseFields =
        serde_json::from_slice(&payload).map_err(|_| "the signed fields are unreadable")?;
    if head.trim_end() != header(&fields).trim_end() {
        return Err(
            "the readable header was changed: it no longer matches the signed fields".into()
        );
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> LicenseFields {
        LicenseFields {
            license_id: 7,
            key: "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ2".into(),
            kind: "temporary_extension".into(),
            customer_id: 3,
            customer: "Acme".into(),
            subscription: "A-S00000009".into(),
            product: "ultimate".into(),
            users: 60,
            starts_on: "2026-11-25".parse().unwrap(),
            expires_on: "2026-12-09".parse().unwrap(),
            issued_at: "2026-11-25T10:00:00Z".parse().unwrap(),
            issued_by: "sales@example.com".into(),
        }
    }

    #[test]
    fn round_trip_and_tampering() {
        let key = LicenseKey::generate();
        let text = key.sign(&fields());
        assert_eq!(key.verify(&text), Ok(fields()));
        assert!(key
            .verify(&text.replace("Users: 60", "Users: 600"))
            .unwrap_err()
            .contains("header"));
        // Change one character inside the signed block.
        let start = text.find(BEGIN).unwrap() + BEGIN.len() + 5;
        let mut bytes = text.clone().into_bytes();
        bytes[start] = if bytes[start] == b'A' { b'B' } else { b'A' };
        assert!(key.verify(&String::from_utf8(bytes).unwrap()).is_err());
        assert!(LicenseKey::generate()
            .verify(&text)
            .unwrap_err()
            .contains("signature does not match"));
        let reloaded = LicenseKey::from_file_text(&key.to_file_text()).unwrap();
        assert_eq!(reloaded.verify(&text), Ok(fields()));
    }
}
