//! Addresses: percent-encoding of URL components, shared by the server's redirects and
//! the browser's query strings, and the extension wizard's state, which lives whole in
//! its URL (`wizard`).

pub mod query;
pub mod wizard;

/// Percent-encodes `text`, leaving RFC 3986 unreserved characters and the bytes in
/// `keep` as they are.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The console's view of everything done under a ticket (`/tickets?url=…`).
pub fn ticket_href(ticket_url: &str) -> String {
    format!("/tickets?url={}", percent_encode(ticket_url, b""))
}

/// Decodes `%XX` escapes (and nothing else); `None` when an escape is broken or the
/// bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, percent_encode};

    #[test]
    fn decoding_undoes_encoding() {
        let text = "a b@c/d?e=é&%";
        assert_eq!(percent_decode(&percent_encode(text, b"")).as_deref(), Some(text));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
    }

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(percent_encode("a b@c/d?e=é", b""), "a%20b%40c%2Fd%3Fe%3D%C3%A9");
        assert_eq!(percent_encode("/x?y=1", b"/"), "/x%3Fy%3D1");
    }
}
