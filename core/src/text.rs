//! Substring search without `core`'s two-way searcher, which brings panicking slices and `char` Debug
//! formatting into the wasm (issue 13). The haystacks are short (user agents, a CReq, a gateway message).
//! Also byte-wise search and splitting on ASCII separators: `str::find(char)`, `split(char)` and
//! `trim_end_matches(char)` bring core's char searchers and memchr (~1.5 KB of wasm). An ASCII byte is
//! never inside a multi-byte UTF-8 sequence, so every index found here is a char boundary.

/// The byte index of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    find_bytes(hay.as_bytes(), needle.as_bytes())
}

/// `find` on bytes.
pub fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Whether `hay` contains `needle`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// The byte index of the first of the ASCII bytes `any` in `s`.
#[allow(clippy::manual_contains)] // slice::contains on bytes is memchr: ~400 bytes of wasm for 1–5 needles
pub fn find_any(s: &str, any: &[u8]) -> Option<usize> {
    s.bytes().position(|b| any.iter().any(|a| *a == b))
}

/// `s` split at each of the ASCII bytes `seps`, like `str::split` with a char slice.
pub fn split_any<'a>(s: &'a str, seps: &'static [u8]) -> SplitAny<'a> {
    SplitAny {
        rest: Some(s),
        seps,
    }
}

pub struct SplitAny<'a> {
    rest: Option<&'a str>,
    seps: &'static [u8],
}

impl<'a> Iterator for SplitAny<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match find_any(s, self.seps) {
            Some(i) => {
                self.rest = s.get(i + 1..);
                s.get(..i)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// A whole decimal number of ASCII digits only (no sign, no spaces); None on anything else or on overflow.
/// One small reader instead of `str::parse` for each integer type (issue 13).
pub fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// `s` without any trailing `b` (ASCII), like `trim_end_matches(char)`.
pub fn trim_end_byte(s: &str, b: u8) -> &str {
    let mut end = s.len();
    while end > 0 && s.as_bytes().get(end - 1) == Some(&b) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn byte_helpers_match_str() {
        for s in [
            "",
            "a",
            "a,b",
            ",a,,b,",
            "ещё,доступ",
            "a/b-c d.e",
            "///",
            "x==",
        ] {
            let ours: Vec<&str> = split_any(s, b",").collect();
            let std: Vec<&str> = s.split(',').collect();
            assert_eq!(ours, std, "{s:?}");
            let ours: Vec<&str> = split_any(s, b"/- .").collect();
            let std: Vec<&str> = s.split(['/', '-', ' ', '.']).collect();
            assert_eq!(ours, std, "{s:?}");
            assert_eq!(find_any(s, b"/-"), s.find(['/', '-']), "{s:?}");
            assert_eq!(trim_end_byte(s, b'='), s.trim_end_matches('='), "{s:?}");
            assert_eq!(trim_end_byte(s, b'/'), s.trim_end_matches('/'), "{s:?}");
        }
    }

    #[test]
    fn parses_digits_like_str_parse() {
        for s in [
            "0",
            "7",
            "0042",
            "65535",
            "18446744073709551615",
            "18446744073709551616",
            "",
            "-1",
            "1 ",
            "1.5",
            "٣",
        ] {
            let std = if s.starts_with('+') {
                None
            } else {
                s.parse::<u64>().ok()
            };
            assert_eq!(parse_u64(s), std, "{s:?}");
        }
    }

    #[test]
    fn finds_like_str_find() {
        for (h, n) in [
            ("abcabc", "ca"),
            ("abc", ""),
            ("", "a"),
            ("ещё доступ", "доступ"),
            ("ab", "abc"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
        }
    }
}
