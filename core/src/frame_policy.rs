//! Whether a page may be shown in a frame of the merchant's own page, from its response headers
//! (X-Frame-Options, Content-Security-Policy frame-ancestors). The challenge iframe ends on the merchant's
//! return page; a return page that refuses to be framed would leave the shopper in front of a browser error
//! until the challenge time runs out, so the module checks first and uses the full-page redirect instead.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::text::{split_any, trim_end_byte};

/// `xfo`: the X-Frame-Options value; `csp`: every Content-Security-Policy value joined with ',';
/// `origin`: the framing page's origin (the return page is same-origin with it, else it is not checked).
pub fn allows_same_origin_framing(xfo: Option<&str>, csp: Option<&str>, origin: &str) -> bool {
    if let Some(x) = xfo {
        // SAMEORIGIN allows the merchant's own page; DENY (and ALLOW-FROM, unsupported by browsers, which
        // then ignore the header) are the cases to fear.
        if x.trim().eq_ignore_ascii_case("deny") {
            return false;
        }
    }
    let Some(csp) = csp else { return true };
    // Several policies (comma-joined headers) all apply: any that forbids framing wins.
    for policy in split_any(csp, b",") {
        for directive in split_any(policy, b";") {
            // Sources are separated by ASCII whitespace (CSP's own definition).
            let mut parts = split_any(directive, b" \t\n\r\x0c").filter(|p| !p.is_empty());
            let Some(name) = parts.next() else { continue };
            if !name.eq_ignore_ascii_case("frame-ancestors") {
                continue;
            }
            let allowed = parts.any(|source| {
                let s = trim_end_byte(source, b'/');
                s.eq_ignore_ascii_case("'self'") || s == "*" || s.eq_ignore_ascii_case(origin)
            });
            if !allowed {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::allows_same_origin_framing as ok;

    const O: &str = "https://shop.example";

    #[test]
    fn x_frame_options() {
        assert!(ok(None, None, O));
        assert!(!ok(Some("DENY"), None, O));
        assert!(!ok(Some(" deny "), None, O));
        assert!(ok(Some("SAMEORIGIN"), None, O));
    }

    #[test]
    fn frame_ancestors() {
        assert!(!ok(None, Some("frame-ancestors 'none'"), O));
        assert!(!ok(
            None,
            Some("default-src 'self'; frame-ancestors https://other.example"),
            O
        ));
        assert!(ok(None, Some("frame-ancestors 'self'"), O));
        assert!(ok(None, Some("frame-ancestors https://shop.example/"), O));
        assert!(ok(None, Some("frame-ancestors *"), O));
        assert!(ok(None, Some("default-src 'none'; script-src 'self'"), O));
        // Two policies: the stricter one wins.
        assert!(!ok(
            None,
            Some("frame-ancestors 'self', frame-ancestors 'none'"),
            O
        ));
    }
}
