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
    let json = String::from_utf8(decode_base64url(packed)?).ok()?;
    let (start, end) = value_span(&json)?;
    ChallengeWindowSize::parse(json.get(start..end)?)
}

/// Returns the packed CReq with challengeWindowSize set to `size`; None when it is not base64url JSON
/// (the caller then posts it unchanged: the ACS falls back to its own layout).
pub fn with_window_size(packed: &str, size: ChallengeWindowSize) -> Option<String> {
    let json = String::from_utf8(decode_base64url(packed)?).ok()?;
    let trimmed = json.trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    let rewritten = match value_span(&json) {
        Some((start, end)) => {
            let mut s = String::with_capacity(json.len());
            s.push_str(json.get(..start)?);
            s.push_str(size.code());
            s.push_str(json.get(end..)?);
            s
        }
        None => {
            let open = crate::text::find_any(&json, b"{")?;
            let (head, body) = json.split_at_checked(open + 1)?;
            let empty = body.trim_start().starts_with('}');
            let mut s = String::with_capacity(json.len() + 30);
            s.push_str(head);
            s.push_str(KEY);
            s.push_str(":\"");
            s.push_str(size.code());
            s.push('"');
            if !empty {
                s.push(',');
            }
            s.push_str(body);
            s
        }
    };
    let padded = packed.trim().ends_with('=');
    Some(b64::encode_url(rewritten.as_bytes(), padded))
}

/// Byte range of the string value of "challengeWindowSize" (inside the quotes).
fn value_span(json: &str) -> Option<(usize, usize)> {
    let key_at = crate::text::find(json, KEY)?;
    let rest = json.get(key_at + KEY.len()..)?;
    let after_ws = rest.trim_start();
    let after_colon = after_ws.strip_prefix(':')?.trim_start();
    let quote = after_colon.strip_prefix('"')?;
    let close = crate::text::find_any(quote, b"\"")?;
    let start = json.len() - quote.len();
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
