//! A tiny JSON writer for flat objects (clientBrowserInfo, the CReq): enough to avoid serde_json in the wasm.
//! Integers are written by `push_int`, never by `core::fmt` (whose machinery costs kilobytes in the wasm).

use crate::prelude::*;

/// Builds `{"k":v,...}` with correct string escaping.
#[derive(Default)]
pub struct JsonObject {
    out: String,
}

impl JsonObject {
    pub fn new() -> Self {
        JsonObject {
            out: String::from("{"),
        }
    }

    fn key(&mut self, k: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_str_literal(&mut self.out, k);
        self.out.push(':');
    }

    #[inline(never)]
    pub fn str(mut self, k: &str, v: &str) -> Self {
        self.key(k);
        push_str_literal(&mut self.out, v);
        self
    }

    #[inline(never)]
    pub fn opt_str(self, k: &str, v: Option<&str>) -> Self {
        match v {
            Some(v) => self.str(k, v),
            None => self,
        }
    }

    #[inline(never)]
    pub fn num(mut self, k: &str, v: i64) -> Self {
        self.key(k);
        push_int(&mut self.out, v);
        self
    }

    #[inline(never)]
    pub fn bool(mut self, k: &str, v: bool) -> Self {
        self.key(k);
        self.out.push_str(if v { "true" } else { "false" });
        self
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// Appends the decimal digits of `n` (with a '-' when negative).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}

/// Appends the decimal digits of `n`.
pub fn push_uint(out: &mut String, mut n: u64) {
    // Most significant digit first: the largest power of ten not above n (u64 has at most 20 digits).
    let mut div = 1u64;
    while n / div >= 10 {
        div *= 10;
    }
    loop {
        out.push((b'0' + (n / div) as u8) as char);
        n %= div;
        if div == 1 {
            break;
        }
        div /= 10;
    }
}

/// `n` in decimal.
pub fn int_text(n: i64) -> String {
    let mut s = String::new();
    push_int(&mut s, n);
    s
}

/// Appends `s` as a JSON string literal.
pub fn push_str_literal(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 0xf) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether JSON text nests arrays and objects at most `max` deep (strings skipped, escapes honoured).
/// Checked before any parser sees a gateway answer: recursive parsers must not meet unbounded depth.
pub fn nesting_within(text: &str, max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let s = JsonObject::new()
            .str("a", "q\"uote\\ \n\u{1}")
            .num("n", -300)
            .bool("b", true)
            .opt_str("none", None)
            .finish();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "q\"uote\\ \n\u{1}");
        assert_eq!(v["n"], -300);
        assert_eq!(v["b"], true);
        assert!(v.get("none").is_none());
        assert_eq!(JsonObject::new().finish(), "{}");
        for n in [0, 7, -7, 10, 1234567890, i64::MAX, i64::MIN] {
            assert_eq!(int_text(n), std::format!("{n}"));
        }
    }

    #[test]
    fn nesting_is_bounded_outside_strings() {
        assert!(nesting_within(r#"{"a":[{"b":[1]}]}"#, 4));
        assert!(!nesting_within(r#"{"a":[{"b":[1]}]}"#, 3));
        assert!(nesting_within(r#"{"a":"[[[[[[\"[[[["}"#, 1));
        let deep = "[".repeat(100_000);
        assert!(!nesting_within(&deep, 32));
    }
}
