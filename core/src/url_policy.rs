//! Every URL the module will post a form to or load in a frame passes through here first.
//! Policy: https only; http only for loopback hosts when the sandbox option is on; no credentials in
//! URLs; no other schemes (javascript:, data:, …); scheme-less URLs (as in the seed's
//! threeDSMethodURLServer) get https, or http for loopback under the sandbox option.

use crate::prelude::*;
use crate::text::{find_any, split_any};

/// The policy in force for one Checkout.
#[derive(Clone, Copy, Debug, Default)]
pub struct UrlPolicy {
    /// Allow plain http to loopback hosts (localhost, 127.0.0.0/8, [::1]); for the local sandbox.
    pub allow_insecure_loopback: bool,
}

/// A URL that passed the policy, normalised (scheme added, scheme lower-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeUrl(String);

impl SafeUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `scheme://authority/path` without query or fragment: what a landing page is compared by.
    pub fn without_query(&self) -> &str {
        let end = find_any(&self.0, b"?#").unwrap_or(self.0.len());
        self.0.get(..end).unwrap_or(&self.0)
    }
    /// `scheme://authority`.
    pub fn origin(&self) -> &str {
        let after = crate::text::find(&self.0, "://")
            .map(|i| i + 3)
            .unwrap_or(0);
        let end = self
            .0
            .get(after..)
            .and_then(|rest| find_any(rest, b"/?#"))
            .map(|i| i + after)
            .unwrap_or(self.0.len());
        self.0.get(..end).unwrap_or(&self.0)
    }
}

/// Why a URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlRejection {
    Empty,
    /// Whitespace, control characters or backslashes, which browsers reinterpret.
    BadCharacters,
    /// A scheme other than https (or http under the sandbox option).
    Scheme,
    /// http to a host that is not loopback, or without the sandbox option.
    Insecure,
    /// user:password@ in the authority.
    Credentials,
    /// Missing or malformed host or port.
    Host,
}

impl UrlPolicy {
    pub fn check(&self, raw: &str) -> Result<SafeUrl, UrlRejection> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(UrlRejection::Empty);
        }
        if raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        {
            return Err(UrlRejection::BadCharacters);
        }
        let (scheme, rest) = match split_scheme(raw) {
            Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
            None => (None, raw),
        };
        let rest = match &scheme {
            Some(_) => rest.strip_prefix("//").ok_or(UrlRejection::Scheme)?,
            None => rest.strip_prefix("//").unwrap_or(rest),
        };
        let auth_end = find_any(rest, b"/?#").unwrap_or(rest.len());
        let (authority, tail) = rest.split_at_checked(auth_end).unwrap_or((rest, ""));
        if find_any(authority, b"@").is_some() {
            return Err(UrlRejection::Credentials);
        }
        let host = parse_host(authority)?;
        let loopback = is_loopback(host);
        let scheme = match scheme.as_deref() {
            Some("https") => "https",
            Some("http") if self.allow_insecure_loopback && loopback => "http",
            Some("http") => return Err(UrlRejection::Insecure),
            Some(_) => return Err(UrlRejection::Scheme),
            None if self.allow_insecure_loopback && loopback => "http",
            None => "https",
        };
        let mut out = String::with_capacity(scheme.len() + 3 + rest.len());
        out.push_str(scheme);
        out.push_str("://");
        out.push_str(authority);
        out.push_str(tail);
        Ok(SafeUrl(out))
    }
}

/// Splits `scheme:rest` when `raw` starts with a scheme; `host:port/...` is not a scheme.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    let colon = find_any(raw, b":")?;
    let (scheme, rest) = (raw.get(..colon)?, raw.get(colon + 1..)?);
    let mut chars = scheme.chars();
    let first_alpha = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if !first_alpha || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    // `example.com:443/path`: digits after the colon up to the end of the authority make it a port.
    let port_len = find_any(rest, b"/?#").unwrap_or(rest.len());
    let looks_like_port = port_len > 0
        && rest
            .get(..port_len)
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if looks_like_port && !rest.starts_with("//") {
        return None;
    }
    Some((scheme, rest))
}

fn parse_host(authority: &str) -> Result<&str, UrlRejection> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let close = find_any(v6, b"]").ok_or(UrlRejection::Host)?;
        let (inner, after) = v6.split_at_checked(close).ok_or(UrlRejection::Host)?;
        let after = after.get(1..).unwrap_or("");
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(UrlRejection::Host),
        };
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(UrlRejection::Host);
        }
        (authority.get(..close + 2).ok_or(UrlRejection::Host)?, port)
    } else {
        match authority.bytes().rposition(|b| b == b':') {
            Some(i) => (
                authority.get(..i).unwrap_or(""),
                Some(authority.get(i + 1..).unwrap_or("")),
            ),
            None => (authority, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty()
            || p.len() > 5
            || !p.bytes().all(|b| b.is_ascii_digit())
            || crate::text::parse_u64(p).is_none_or(|n| n > 65535)
        {
            return Err(UrlRejection::Host);
        }
    }
    let plain_ok = !host.is_empty()
        && !host.starts_with('.')
        && !host.starts_with('-')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !(host.starts_with('[') || plain_ok) {
        return Err(UrlRejection::Host);
    }
    Ok(host)
}

fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") || h == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = split_any(&h, b".").collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| crate::text::parse_u64(p).is_some_and(|n| n <= 255))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: UrlPolicy = UrlPolicy {
        allow_insecure_loopback: false,
    };
    const SANDBOX: UrlPolicy = UrlPolicy {
        allow_insecure_loopback: true,
    };

    #[test]
    fn https_passes_unchanged() {
        let u = STRICT
            .check("https://bestbank.com/acs2/acs/creq?x=1")
            .unwrap();
        assert_eq!(u.as_str(), "https://bestbank.com/acs2/acs/creq?x=1");
        assert_eq!(u.without_query(), "https://bestbank.com/acs2/acs/creq");
        assert_eq!(u.origin(), "https://bestbank.com");
    }

    #[test]
    fn seed_scheme_less_server_url_gets_https() {
        let u = STRICT
            .check("example.com/3dsserver/api/v1/client/gather?threeDSServerTransID=c300fd79-5e7d-4882-89c7-43458e2538b6")
            .unwrap();
        assert!(u.as_str().starts_with("https://example.com/3dsserver/"));
        assert_eq!(
            STRICT.check("example.com:8443/x").unwrap().as_str(),
            "https://example.com:8443/x"
        );
        assert_eq!(
            STRICT.check("//example.com/x").unwrap().as_str(),
            "https://example.com/x"
        );
    }

    #[test]
    fn loopback_http_only_under_sandbox_option() {
        assert_eq!(
            STRICT.check("http://127.0.0.1:8080/acs"),
            Err(UrlRejection::Insecure)
        );
        assert_eq!(
            SANDBOX.check("http://127.0.0.1:8080/acs").unwrap().as_str(),
            "http://127.0.0.1:8080/acs"
        );
        assert_eq!(
            SANDBOX.check("127.0.0.1:9/g").unwrap().as_str(),
            "http://127.0.0.1:9/g"
        );
        assert_eq!(
            SANDBOX.check("http://localhost/x").unwrap().as_str(),
            "http://localhost/x"
        );
        assert_eq!(
            SANDBOX.check("http://[::1]:80/x").unwrap().as_str(),
            "http://[::1]:80/x"
        );
        assert_eq!(
            SANDBOX.check("http://evil.com/x"),
            Err(UrlRejection::Insecure)
        );
        assert_eq!(
            SANDBOX.check("http://127.0.0.1.evil.com/x"),
            Err(UrlRejection::Insecure)
        );
    }

    #[test]
    fn dangerous_urls_are_refused() {
        assert_eq!(
            STRICT.check("javascript:alert(1)"),
            Err(UrlRejection::Scheme)
        );
        assert_eq!(
            STRICT.check("JaVaScRiPt:alert(1)"),
            Err(UrlRejection::Scheme)
        );
        assert_eq!(
            STRICT.check("data:text/html,<b>x</b>"),
            Err(UrlRejection::Scheme)
        );
        assert_eq!(STRICT.check("ftp://bank.com/"), Err(UrlRejection::Scheme));
        assert_eq!(
            STRICT.check("https://user:pw@bank.com/"),
            Err(UrlRejection::Credentials)
        );
        assert_eq!(
            STRICT.check("https://bank.com@evil.com/"),
            Err(UrlRejection::Credentials)
        );
        assert_eq!(
            STRICT.check("https:\\\\evil.com"),
            Err(UrlRejection::BadCharacters)
        );
        assert_eq!(
            STRICT.check("https://ba nk.com/"),
            Err(UrlRejection::BadCharacters)
        );
        assert_eq!(
            STRICT.check("java\nscript:alert(1)"),
            Err(UrlRejection::BadCharacters)
        );
        assert_eq!(STRICT.check(""), Err(UrlRejection::Empty));
        assert_eq!(STRICT.check("https:///path"), Err(UrlRejection::Host));
        assert_eq!(
            STRICT.check("https://bank.com:99999/"),
            Err(UrlRejection::Host)
        );
        assert_eq!(STRICT.check("https:bank.com"), Err(UrlRejection::Scheme));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "[",
            "https://[",
            "https://[::1",
            "::",
            ":",
            "a:",
            "https://:80",
            "https://.x",
            "ü://x",
            "x:y:z",
            "https://[zz]/",
        ] {
            let _ = STRICT.check(s);
            let _ = SANDBOX.check(s);
        }
    }
}
