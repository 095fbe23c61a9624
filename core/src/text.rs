//! Substring search without `core`'s two-way searcher, which brings panicking slices and `char` Debug
//! formatting into the wasm (issue 13). The haystacks are short (user agents, a CReq, a gateway message).

/// The byte index of the first `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    if n.is_empty() {
        return Some(0);
    }
    hay.as_bytes().windows(n.len()).position(|w| w == n)
}

/// Whether `hay` contains `needle`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

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
