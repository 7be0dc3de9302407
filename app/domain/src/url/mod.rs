//! Addresses: percent-encoding of URL components, shared by the server's redirects and
//! the browser's query strings, and the extension wizard's state, which lives whole in
//! its URL (`wizard`).

pub mod query;
pub mod wizard;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a URL component keeps as it is: RFC 3986's unreserved characters.
pub const COMPONENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
/// What a path keeps as it is: a component's characters and `/`.
pub const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// What a query's value keeps as it is: a component's characters and `@` (emails stay
/// readable in the address bar).
pub const QUERY_VALUE: &AsciiSet = &COMPONENT.remove(b'@');

/// Percent-encodes `text`, leaving what `keeps` (`COMPONENT`, `PATH`, `QUERY_VALUE`) as
/// it is.
pub fn percent_encode(text: &str, keeps: &'static AsciiSet) -> String {
    utf8_percent_encode(text, keeps).to_string()
}

/// The console's view of everything done under a ticket (`/tickets?url=…`).
pub fn ticket_href(ticket_url: &str) -> String {
    format!("/tickets?url={}", percent_encode(ticket_url, COMPONENT))
}

/// Decodes `%XX` escapes (and nothing else); `None` when an escape is broken or the
/// bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let broken = text.match_indices('%').any(|(i, _)| {
        !text.as_bytes().get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if broken {
        return None;
    }
    percent_decode_str(text).decode_utf8().ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::{percent_decode, percent_encode, COMPONENT, PATH};

    #[test]
    fn decoding_undoes_encoding() {
        let text = "a b@c/d?e=é&%";
        assert_eq!(percent_decode(&percent_encode(text, COMPONENT)).as_deref(), Some(text));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
    }

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(percent_encode("a b@c/d?e=é", COMPONENT), "a%20b%40c%2Fd%3Fe%3D%C3%A9");
        assert_eq!(percent_encode("/x?y=1", PATH), "/x%3Fy%3D1");
    }
}
