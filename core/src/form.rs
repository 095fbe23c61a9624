//! Form parameters for the gateway's REST calls (application/x-www-form-urlencoded).
//! Debug output masks the card fields so a stray log line cannot leak them.

use crate::prelude::*;

/// Fields whose values must never be printed.
const SECRET_FIELDS: [&str; 4] = ["$PAN", "$CVC", "cvc", "seToken"];

#[derive(Clone, Default, PartialEq, Eq)]
pub struct FormParams(Vec<(&'static str, String)>);

impl FormParams {
    pub fn new() -> Self {
        FormParams(Vec::new())
    }

    pub fn push(&mut self, name: &'static str, value: impl Into<String>) -> &mut Self {
        self.0.push((name, value.into()));
        self
    }

    pub fn push_opt(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.0.push((name, v.to_owned()));
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(n, _)| *n)
    }

    /// The request body.
    pub fn encode(&self) -> String {
        // Sized for the worst case (every byte %XX) so the buffer never reallocates and leaves an unwiped
        // copy of the card fields behind.
        let worst: usize = self
            .0
            .iter()
            .map(|(n, v)| 3 * (n.len() + v.len()) + 2)
            .sum();
        let mut out = String::with_capacity(worst);
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_component(&mut out, name);
            out.push('=');
            encode_component(&mut out, value);
        }
        out
    }

    /// Overwrites the secret values in place before the params are dropped.
    pub fn wipe_secrets(&mut self) {
        for (name, value) in &mut self.0 {
            if SECRET_FIELDS.contains(name) {
                crate::card::wipe_string(value);
            }
        }
    }
}

impl Drop for FormParams {
    fn drop(&mut self) {
        self.wipe_secrets();
    }
}

impl core::fmt::Debug for FormParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut m = f.debug_map();
        for (name, value) in &self.0 {
            if SECRET_FIELDS.contains(name) {
                m.entry(name, &"***");
            } else {
                m.entry(name, value);
            }
        }
        m.finish()
    }
}

/// application/x-www-form-urlencoded: unreserved bytes as is, space as '+', the rest as %XX.
fn encode_component(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_browser_form() {
        let mut p = FormParams::new();
        p.push("MDORDER", "0179-ab")
            .push("TEXT", "TEST CARDHOLDER")
            .push("$PAN", "4111")
            .push("x", "a&b=c/é");
        assert_eq!(
            p.encode(),
            "MDORDER=0179-ab&TEXT=TEST+CARDHOLDER&%24PAN=4111&x=a%26b%3Dc%2F%C3%A9"
        );
    }

    #[test]
    fn debug_masks_card_fields() {
        let mut p = FormParams::new();
        p.push("$PAN", "4444555511113333")
            .push("$CVC", "123")
            .push("MDORDER", "o1");
        let shown = std::format!("{p:?}");
        assert!(!shown.contains("4444555511113333") && !shown.contains("123"));
        assert!(shown.contains("o1"));
    }

    #[test]
    fn push_opt_skips_empty() {
        let mut p = FormParams::new();
        p.push_opt("email", Some(""))
            .push_opt("ip", None)
            .push_opt("language", Some("en"));
        assert_eq!(p.encode(), "language=en");
    }
}
