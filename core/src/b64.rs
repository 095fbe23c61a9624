//! Base64 (RFC 4648) in a few lines: the standard alphabet with padding for wallet tokens, and base64url
//! with or without padding for the CReq. Small on purpose: a generic engine costs kilobytes in the wasm.

use crate::prelude::*;

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Standard alphabet, padded (what payment.do expects for a wallet token).
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STD, true)
}

/// base64url, padded or not.
pub fn encode_url(bytes: &[u8], pad: bool) -> String {
    encode_with(bytes, URL, pad)
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' | b'+' => 62,
        b'_' | b'/' => 63,
        _ => return None,
    }))
}

/// Decodes base64url or standard base64, padded or not. None on any other character, a length no
/// encoder produces (one character left over), or non-zero trailing bits (as the strict engines refuse).
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let s = crate::text::trim_end_byte(s, b'=').as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    for chunk in s.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= sextet(*c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = chunk.len() - 1;
        // The bits past the last whole byte must be zero (canonical encoding).
        if keep < 3 && bytes[keep] != 0 {
            return None;
        }
        out.extend_from_slice(bytes.get(..keep).unwrap_or(&[]));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "{\"a\":1}"] {
            let e = encode(s.as_bytes());
            assert_eq!(decode(&e).unwrap(), s.as_bytes(), "{e}");
            let u = encode_url(s.as_bytes(), false);
            assert!(!u.contains('='));
            assert_eq!(decode(&u).unwrap(), s.as_bytes());
        }
        assert_eq!(encode(b"{\"a\":1}"), "eyJhIjoxfQ==");
        assert_eq!(encode_url(&[0xfb, 0xff], false), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(decode("%%%"), None);
        assert_eq!(decode("a"), None);
        assert_eq!(decode("Zh"), None, "non-zero trailing bits");
    }
}
