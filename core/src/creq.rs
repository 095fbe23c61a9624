//! The packed CReq: base64url JSON the 3DS Requestor posts as `creq`. The requestor owns
//! challengeWindowSize, so the module sets it to the size it will really show.

use crate::b64;
use crate::prelude::*;
use crate::window_size::ChallengeWindowSize;

const KEY: &str = "\"challengeWindowSize\"";

/// Decodes base64url with or without padding (also tolerating the standard alphabet).
pub fn decode_base64url(s: &str) -> Option<Vec<u8>> {
    b64::decode(s.trim())
}

/// The CReq's challengeWindowSize, if it can be read.
pub fn window_size_of(packed: &str) -> Option<ChallengeWindowSize> {
    let json = decode_base64url(packed)?;
    let (start, end) = value_span(&json)?;
    // A size code is ASCII ("01"…"05"): anything else maps to no size.
    let code: String = json
        .get(start..end)?
        .iter()
        .map(|b| char::from(*b))
        .collect();
    ChallengeWindowSize::parse(&code)
}

/// Returns the packed CReq with challengeWindowSize set to `size`; None when it is not base64url JSON
/// (the caller then posts it unchanged: the ACS falls back to its own layout). Works on the bytes: the key, its
/// value and JSON's whitespace are ASCII, and the rest is passed through as it came.
pub fn with_window_size(packed: &str, size: ChallengeWindowSize) -> Option<String> {
    let json = decode_base64url(packed)?;
    let open = skip_ws(&json, 0);
    if json.get(open) != Some(&b'{') {
        return None;
    }
    let code = size.code().as_bytes();
    let mut out = Vec::with_capacity(json.len() + 30);
    match value_span(&json) {
        Some((start, end)) => {
            out.extend_from_slice(json.get(..start)?);
            out.extend_from_slice(code);
            out.extend_from_slice(json.get(end..)?);
        }
        None => {
            let body = json.get(open + 1..)?;
            out.extend_from_slice(json.get(..=open)?);
            out.extend_from_slice(KEY.as_bytes());
            out.extend_from_slice(b":\"");
            out.extend_from_slice(code);
            out.push(b'"');
            if body.get(skip_ws(body, 0)) != Some(&b'}') {
                out.push(b',');
            }
            out.extend_from_slice(body);
        }
    }
    let padded = packed.trim().ends_with('=');
    Some(b64::encode_url(&out, padded))
}

/// The index of the first byte at or after `from` that is not JSON whitespace.
fn skip_ws(json: &[u8], from: usize) -> usize {
    let mut i = from;
    while json
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        i += 1;
    }
    i
}

/// Byte range of the string value of "challengeWindowSize" (inside the quotes).
fn value_span(json: &[u8]) -> Option<(usize, usize)> {
    let key_at = crate::text::find_bytes(json, KEY.as_bytes())?;
    let colon = skip_ws(json, key_at + KEY.len());
    if json.get(colon) != Some(&b':') {
        return None;
    }
    let quote = skip_ws(json, colon + 1);
    if json.get(quote) != Some(&b'"') {
        return None;
    }
    let start = quote + 1;
    let close = json.get(start..)?.iter().position(|b| *b == b'"')?;
    Some((start, start + close))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(json: &str) -> String {
        b64::encode_url(json.as_bytes(), false)
    }

    #[test]
    fn rewrites_the_size_in_place() {
        let packed = pack(
            r#"{"threeDSServerTransID":"t1","acsTransID":"a1","challengeWindowSize":"05","messageType":"CReq"}"#,
        );
        assert_eq!(
            window_size_of(&packed),
            Some(ChallengeWindowSize::FullScreen)
        );
        let out = with_window_size(&packed, ChallengeWindowSize::W390H400).unwrap();
        assert_eq!(window_size_of(&out), Some(ChallengeWindowSize::W390H400));
        let v: serde_json::Value =
            serde_json::from_slice(&decode_base64url(&out).unwrap()).unwrap();
        assert_eq!(v["threeDSServerTransID"], "t1");
        assert_eq!(v["messageType"], "CReq");
        assert!(!out.contains('='));
    }

    #[test]
    fn adds_the_size_when_missing() {
        let out = with_window_size(&pack(r#"{"a":1}"#), ChallengeWindowSize::W250H400).unwrap();
        let v: serde_json::Value =
            serde_json::from_slice(&decode_base64url(&out).unwrap()).unwrap();
        assert_eq!(v["challengeWindowSize"], "01");
        assert_eq!(v["a"], 1);
        let out = with_window_size(&pack("{ }"), ChallengeWindowSize::W250H400).unwrap();
        let v: serde_json::Value =
            serde_json::from_slice(&decode_base64url(&out).unwrap()).unwrap();
        assert_eq!(v["challengeWindowSize"], "01");
    }

    #[test]
    fn seed_assist_challengerequest_decodes() {
        // From seed 002: a CReq with challengeWindowSize "02".
        let creq = "eyJtZXNzYWdlVHlwZSI6IkNSZXEiLCJ0aHJlZURTU2VydmVyVHJhbnNJRCI6IjQxMWI2ODVjLWUzODAtNGZkYS05YmIzLWJiZjM2OTJiNGMyNiIsImFjc1RyYW5zSUQiOiJmY2FlMDMzNS0xODgwLTRlNjgtOWJjMy0wMDcyZDM4ZTkzODYiLCJjaGFsbGVuZ2VXaW5kb3dTaXplIjoiMDIiLCJtZXNzYWdlVmVyc2lvbiI6IjIuMS4wIn0";
        assert_eq!(window_size_of(creq), Some(ChallengeWindowSize::W390H400));
    }

    #[test]
    fn other_text_passes_through_byte_for_byte() {
        let creq = pack("{\"acsName\":\"Банк «Ақ»\", \"challengeWindowSize\" : \"01\"}");
        let out = with_window_size(&creq, ChallengeWindowSize::W600H400).unwrap();
        let json = String::from_utf8(decode_base64url(&out).unwrap()).unwrap();
        assert_eq!(
            json,
            "{\"acsName\":\"Банк «Ақ»\", \"challengeWindowSize\" : \"04\"}"
        );
        assert_eq!(window_size_of(&out), Some(ChallengeWindowSize::W600H400));
        let added =
            with_window_size(&pack(" {\"a\":\"ё\"}"), ChallengeWindowSize::W250H400).unwrap();
        let json = String::from_utf8(decode_base64url(&added).unwrap()).unwrap();
        assert_eq!(json, " {\"challengeWindowSize\":\"01\",\"a\":\"ё\"}");
    }

    #[test]
    fn garbage_is_left_alone() {
        assert_eq!(
            with_window_size("%%%not base64", ChallengeWindowSize::FullScreen),
            None
        );
        assert_eq!(
            with_window_size(&pack("[1,2]"), ChallengeWindowSize::FullScreen),
            None
        );
        assert!(with_window_size(
            &pack(r#"{"challengeWindowSize":5}"#),
            ChallengeWindowSize::FullScreen
        )
        .is_some());
        assert_eq!(window_size_of(""), None);
    }
}
