//! A panic kills the wasm instance for good (panic = "abort"), so no input may reach one. These tests feed
//! many generated inputs (a seeded generator: the same cases every run) into every function that reads
//! outside data, and whole random conversations into the flow, which must always end in Done or Fail.

mod support;

use checkout_core::assist::AssistThreeDsData;
use checkout_core::card::{parse_expiry, CardData};
use checkout_core::creq;
use checkout_core::flow::*;
use checkout_core::url_policy::UrlPolicy;
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::Language;

mod common;
use common::Gen;

#[test]
fn parsers_never_panic() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let strict = UrlPolicy {
        allow_insecure_loopback: false,
    };
    let sandbox = UrlPolicy {
        allow_insecure_loopback: true,
    };
    for _ in 0..20_000 {
        let t = g.text();
        let _ = strict.check(&t);
        let _ = sandbox.check(&t);
        let _ = creq::window_size_of(&t);
        let _ = creq::with_window_size(&t, ChallengeWindowSize::W250H400);
        let _ = parse_expiry(&t, (2026, 11), false);
        let _ = CardData::new(&t, &t, &t, &t, (2026, 11), false);
        let _ = AssistThreeDsData::from_xml(&t).plan(&strict);
        let _ = ResumeState::decode(&t);
        let _ = Language::parse(&t);
        let _ = ChallengeWindowSize::parse(&t);
        let _ = checkout_core::error::classify_gateway_error(&t, Some(&t));
        // Valid base64 of odd JSON reaches the CReq rewriter's inner paths too.
        let packed = base64_url(&t);
        let _ = creq::with_window_size(&packed, ChallengeWindowSize::FullScreen);
    }
}

fn base64_url(s: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

const ANSWERS: &[&str] = &[
    r#"{"errorCode":0,"redirect":"x"}"#,
    r#"{"errorCode":"5","errorMessage":"Access denied"}"#,
    r#"{"errorCode":2,"errorMessage":"x"}"#,
    r#"{"errorCode":0,"error":"e","errorTypeName":"TDS_UNKNOWN_ARES_STATUS"}"#,
    r#"{"errorCode":0,"acsUrl":"https://acs/p","paReq":"p","termUrl":"https://gw/t"}"#,
    r#"{"errorCode":0,"acsUrl":"javascript:x","paReq":"p","termUrl":"https://gw/t"}"#,
    r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t","threeDSMethodURLServer":"gw/g","threeDSMethodURL":"https://acs/m","threeDSMethodDataPacked":"e30"}"#,
    r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t2"}"#,
    r#"{"errorCode":0,"is3DSVer2":true}"#,
    r#"{"errorCode":0,"acsUrl":"https://acs/c","packedCReq":"eyJhIjoxfQ","is3DSVer2":true}"#,
    r#"{"errorCode":0,"acsUrl":"https://acs/c","packedCReq":"%%%","is3DSVer2":"true"}"#,
    r#"{"orderStatus":0}"#,
    r#"{"orderStatus":1}"#,
    r#"{"orderStatus":2}"#,
    r#"{"orderStatus":5}"#,
    r#"{"orderStatus":6,"actionCode":116}"#,
    r#"{"orderStatus":"9"}"#,
    r#"{"orderStatus":1.5}"#,
    r#"{"errorCode":"6","errorMessage":"unknown order"}"#,
    "{}",
];

#[test]
fn random_conversations_always_end() {
    let mut g = Gen(0xD1B5_4A32_D192_ED03);
    for round in 0..5_000 {
        let card =
            CardData::new("4444555511113333", "12/30", "123", "A B", (2026, 11), false).unwrap();
        let order = CardOrder {
            order_id: "o-1".into(),
            card,
            email: None,
            ip: None,
            client_browser_info: None,
            extras: Default::default(),
        };
        let mut config = FlowConfig::new("t");
        config.url_policy = UrlPolicy {
            allow_insecure_loopback: round % 2 == 0,
        };
        let (mut flow, mut action) = CardFlow::start(config, order).unwrap();
        let mut steps = 0;
        loop {
            match action {
                Action::Done(_) | Action::Fail(_) => break,
                _ => {}
            }
            steps += 1;
            assert!(steps < 200, "the flow must end (round {round})");
            let event = match g.below(10) {
                0 => Event::TransportFailed(TransportFailure::Network),
                1 => Event::TransportFailed(TransportFailure::HttpStatus(500)),
                2 => Event::MethodsFinished(CompInd::N),
                3 => Event::ChallengeReturned,
                4 if g.below(20) == 0 => Event::Aborted,
                5 if g.below(5) == 0 => Event::ChallengeTimedOut,
                _ => Event::Answer(Box::new(support::gateway_answer(g.pick(ANSWERS)))),
            };
            action = flow.handle(event);
        }
        assert!(flow.is_over());
        // After the end, anything fed in stays an end.
        assert!(matches!(
            flow.handle(Event::ChallengeReturned),
            Action::Fail(_)
        ));
    }
}

#[test]
fn wallet_answers_never_panic() {
    let mut g = Gen(0xA076_1D64_78BD_642F);
    for _ in 0..2_000 {
        let body = format!(
            r#"{{"success":{},"data":{},"error":{{"code":{},"message":"{}"}},"orderStatus":{}}}"#,
            g.pick(&["true", "false", "null", "\"true\""]),
            g.pick(&[
                "null",
                "{}",
                r#"{"orderId":"o-1"}"#,
                r#"{"orderId":"bad id"}"#,
                r#"{"orderId":"o","acsUrl":"https://a","paReq":"p","termUrl":"https://t"}"#
            ]),
            g.pick(&["1", "5", "10", "\"10\"", "null", "1.5"]),
            g.pick(&["Access denied", "", "x"]),
            g.pick(&[
                "null",
                "{}",
                r#"{"orderStatus":6}"#,
                r#"{"orderStatus":"x"}"#
            ]),
        );
        if let Ok(a) = support::wallet_answer(&body) {
            let _ = a.next(Language::Kk);
        }
    }
}
