//! Percent-encoding of URL components, shared by the server's redirects and the
//! browser's query strings.

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

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(percent_encode("a b@c/d?e=é", b""), "a%20b%40c%2Fd%3Fe%3D%C3%A9");
        assert_eq!(percent_encode("/x?y=1", b"/"), "/x%3Fy%3D1");
    }
}
