//! Generated event sequences against the money-safety promises of the card flow (a seeded generator: the
//! same sequences every run):
//! - a payment request whose answer was lost, aborted or refused with a system error (code 5) is never sent
//!   again, and the flow never ends with `retryable: true` unless the status, read at the end of the status
//!   window, proved the order unpaid;
//! - every Done comes from a status read (the gateway's order state), never from a payment answer alone;
//! - a reloaded return page whose finish3dsVer2Payment.do already left (`CardFlow::resume_after_finish`) is
//!   held to the same promises, that finish being the request in doubt.

mod support;

use checkout_core::card::CardData;
use checkout_core::flow::*;
use checkout_core::outcome::OutcomeKind;

mod common;
use common::Gen;

/// Answers a payment request may get.
const PAYMENT_ANSWERS: &[&str] = &[
    r#"{"errorCode":0,"redirect":"https://shop.example/return"}"#,
    r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-1","threeDSMethodURLServer":"https://tds.example/gather"}"#,
    r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-2","threeDSMethodURL":"https://acs.example/m","threeDSMethodDataPacked":"e30"}"#,
    r#"{"errorCode":0,"acsUrl":"https://acs.example/c","packedCReq":"eyJjaGFsbGVuZ2VXaW5kb3dTaXplIjoiMDUifQ","is3DSVer2":true}"#,
    r#"{"errorCode":0,"acsUrl":"https://acs.example/p","paReq":"pa","termUrl":"https://gw.example/term"}"#,
    r#"{"errorCode":0,"error":"Unknown ARes status"}"#,
    r#"{"errorCode":5,"errorMessage":"System error"}"#,
    r#"{"errorCode":"5","errorMessage":"Access denied"}"#,
    r#"{"errorCode":7,"errorMessage":"Something else"}"#,
];

/// Answers a status read may get, with whether they show an unpaid order.
const STATUS_ANSWERS: &[(&str, bool)] = &[
    (r#"{"orderStatus":0}"#, true),
    (r#"{"orderStatus":5}"#, true),
    (r#"{"orderStatus":"0"}"#, true),
    (r#"{"orderStatus":2}"#, false),
    (r#"{"orderStatus":1}"#, false),
    (r#"{"orderStatus":6,"actionCode":116}"#, false),
    (r#"{"errorCode":"6","errorMessage":"No such order"}"#, false),
    ("{}", false),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pending {
    Payment,
    Status { delay_ms: u32 },
    Other,
}

#[test]
fn no_retryable_end_after_a_lost_payment_answer_unless_proved_unpaid_after_the_window() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut doubted = 0;
    let mut retryable_after_doubt = 0;
    for round in 0..20_000 {
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
        let window = [0, 1_000, 10_000, 60_000][g.below(4)];
        config.status_window_ms = window;
        // A quarter of the rounds start on a return page whose finish3dsVer2Payment.do this browser already
        // sent (a reload): that finish is in doubt from the start, and must never be sent again.
        let resumed = g.below(4) == 0;
        let (mut flow, mut action) = if resumed {
            doubted += 1;
            let state = ResumeState {
                version: ThreeDsVersion::V2,
                order_id: "o-1".into(),
                three_ds_server_trans_id: Some("t-1".into()),
                wallet: false,
            };
            CardFlow::resume_after_finish(config, state)
        } else {
            CardFlow::start(config, order).unwrap()
        };
        // Whether a payment request is in doubt, the time waited between status reads since, and whether
        // the last status answer showed an unpaid order.
        let mut in_doubt = resumed;
        let mut waited_in_doubt: u32 = 0;
        let mut last_status_unpaid = false;
        let mut last_was_status_read = false;
        let mut steps = 0;
        loop {
            let pending = match &action {
                Action::Done(o) => {
                    assert!(
                        last_was_status_read,
                        "round {round}: Done without a status read"
                    );
                    if in_doubt && o.status == OutcomeKind::Declined {
                        assert!(
                            !last_status_unpaid,
                            "round {round}: unpaid shown as a decline"
                        );
                    }
                    break;
                }
                Action::Fail(e) => {
                    if in_doubt && e.retryable() {
                        retryable_after_doubt += 1;
                        assert!(
                            last_was_status_read && last_status_unpaid && waited_in_doubt >= window,
                            "round {round}: retryable {:?} after a payment in doubt, waited {waited_in_doubt} of {window} ms, last status unpaid: {last_status_unpaid}",
                            e.code
                        );
                    }
                    break;
                }
                Action::Call {
                    endpoint:
                        Endpoint::PaymentOrder
                        | Endpoint::PaymentOrderBinding
                        | Endpoint::Continue3ds
                        | Endpoint::Finish3dsVer2,
                    ..
                } => {
                    assert!(
                        !in_doubt,
                        "round {round}: a payment request sent while one is in doubt"
                    );
                    Pending::Payment
                }
                Action::Call {
                    endpoint: Endpoint::OrderStatusExtended,
                    delay_ms,
                    ..
                } => Pending::Status {
                    delay_ms: *delay_ms,
                },
                _ => Pending::Other,
            };
            steps += 1;
            assert!(steps < 400, "round {round}: the flow must end");
            if let Pending::Status { delay_ms } = pending {
                if in_doubt {
                    waited_in_doubt = waited_in_doubt.saturating_add(delay_ms);
                }
            }
            let choice = g.below(12);
            let event = match (pending, choice) {
                (_, 0) if g.below(6) == 0 => Event::Aborted,
                // Aborted before the request left (the driver's check right before sending).
                (_, 0) if g.below(6) == 0 => Event::NotSent,
                (_, 1 | 2) => Event::TransportFailed(
                    [
                        TransportFailure::Network,
                        TransportFailure::Timeout,
                        TransportFailure::HttpStatus(502),
                        TransportFailure::BadResponse,
                    ][g.below(4)],
                ),
                (Pending::Payment, _) => {
                    let a = PAYMENT_ANSWERS[g.below(PAYMENT_ANSWERS.len())];
                    Event::Answer(Box::new(support::gateway_answer(a)))
                }
                (Pending::Status { .. }, _) => {
                    let (a, unpaid) = STATUS_ANSWERS[g.below(STATUS_ANSWERS.len())];
                    last_status_unpaid = unpaid;
                    Event::Answer(Box::new(support::gateway_answer(a)))
                }
                (Pending::Other, 3) => Event::ChallengeTimedOut,
                (Pending::Other, c) if c % 2 == 0 => Event::ChallengeReturned,
                (Pending::Other, _) => {
                    Event::MethodsFinished([CompInd::Y, CompInd::N, CompInd::U][g.below(3)])
                }
            };
            // Which events put a payment request in doubt.
            if pending == Pending::Payment {
                let doubt = match &event {
                    Event::TransportFailed(_) | Event::Aborted => true,
                    Event::Answer(a) => {
                        matches!(a.error(), checkout_core::wire::AnswerError::Code { code, .. } if code == "5")
                    }
                    _ => false,
                };
                if doubt && !in_doubt {
                    in_doubt = true;
                    waited_in_doubt = 0;
                    doubted += 1;
                }
            }
            if let (Pending::Status { delay_ms }, Event::Aborted | Event::NotSent) =
                (pending, &event)
            {
                // The abort may have cut the wait before this read at its start: none of it counts.
                if in_doubt {
                    waited_in_doubt = waited_in_doubt.saturating_sub(delay_ms);
                }
            }
            if matches!(pending, Pending::Status { .. }) && !matches!(event, Event::Answer(_)) {
                // A failed or aborted read proves nothing.
                last_status_unpaid = false;
            }
            last_was_status_read = matches!(pending, Pending::Status { .. });
            action = flow.handle(event);
        }
    }
    // The generator must reach the interesting cases, or the property proves nothing.
    assert!(doubted > 2_000, "payments in doubt: {doubted}");
    assert!(
        retryable_after_doubt > 100,
        "retryable ends after doubt: {retryable_after_doubt}"
    );
}
