//! The card flow, conversation by conversation, for every behaviour the sandbox's cards produce,
//! each error, the soft decline, timeouts, lost answers and abort.

mod support;

use checkout_core::card::CardData;
use checkout_core::flow::*;
use checkout_core::outcome::OutcomeKind;
use checkout_core::url_policy::UrlPolicy;
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::{ErrorCode, Language};

const ORDER: &str = "0179018d-8f96-7fbe-bc2b-4b7e00a7d8c0";

fn config() -> FlowConfig {
    let mut c = FlowConfig::new("public-token");
    c.finish_url = Some("https://shop.example/return".into());
    c.challenge_window = ChallengeWindowSize::W390H400;
    c
}

fn start_with(config: FlowConfig, pan: &str) -> (CardFlow, Action) {
    let card = CardData::new(pan, "12/30", "123", "TEST CARDHOLDER", (2026, 11), false).unwrap();
    let order = CardOrder {
        order_id: ORDER.into(),
        card,
        email: Some("a@b.kz".into()),
        ip: None,
        client_browser_info: Some("{\"javaEnabled\":false}".into()),
        extras: Default::default(),
    };
    CardFlow::start(config, order).unwrap()
}

/// A 3DS2 flow whose methods are done (Y) and whose continue.do answer comes next.
fn awaiting_continue(pan: &str) -> CardFlow {
    let (mut f, _) = start_with(config(), pan);
    f.handle(answer(METHODS));
    f.handle(Event::MethodsFinished(CompInd::Y));
    f
}

fn answer(json: &str) -> Event {
    Event::Answer(Box::new(support::gateway_answer(json)))
}

#[track_caller]
fn expect_call(a: &Action, endpoint: Endpoint) -> &checkout_core::form::FormParams {
    match a {
        Action::Call {
            endpoint: e,
            params,
            ..
        } if *e == endpoint => params,
        other => panic!("expected a call to {endpoint:?}, got {other:?}"),
    }
}

/// A getOrderStatusExtended.do read sent after `delay_ms`.
#[track_caller]
fn expect_status_read(a: &Action, delay_ms: u32) {
    match a {
        Action::Call {
            endpoint: Endpoint::OrderStatusExtended,
            delay_ms: d,
            ..
        } if *d == delay_ms => {}
        other => panic!("expected a status read after {delay_ms} ms, got {other:?}"),
    }
}

#[track_caller]
fn expect_done(a: Action, kind: OutcomeKind) -> checkout_core::outcome::Outcome {
    match a {
        Action::Done(o) if o.status == kind => o,
        other => panic!("expected Done({kind:?}), got {other:?}"),
    }
}

#[track_caller]
fn expect_fail(a: Action, code: ErrorCode) -> checkout_core::CheckoutError {
    match a {
        Action::Fail(e) if e.code == code => e,
        other => panic!("expected Fail({code:?}), got {other:?}"),
    }
}

const METHODS: &str = r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-1",
 "threeDSMethodURLServer":"bank.example/3dsserver/api/v1/client/gather?threeDSServerTransID=t-1",
 "threeDSMethodURL":"https://acs.example/method","threeDSMethodDataPacked":"eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6InQtMSJ9"}"#;
const CHALLENGE: &str = r#"{"info":"Your order is proceeded, redirecting...","errorCode":0,"acsUrl":"https://acs.example/creq","is3DSVer2":true,
 "packedCReq":"eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6InQtMSIsImNoYWxsZW5nZVdpbmRvd1NpemUiOiIwNSJ9"}"#;

#[test]
fn payment_request_carries_the_card_and_the_token_only() {
    let (_, a) = start_with(config(), "4444 5555 1111 3333");
    let p = expect_call(&a, Endpoint::PaymentOrder);
    assert_eq!(p.get("MDORDER"), Some(ORDER));
    assert_eq!(p.get("$PAN"), Some("4444555511113333"));
    assert_eq!(p.get("YYYY"), Some("2030"));
    assert_eq!(p.get("MM"), Some("12"));
    assert_eq!(p.get("token"), Some("public-token"));
    assert_eq!(
        p.get("threeDSVer2FinishUrl"),
        Some("https://shop.example/return")
    );
    assert!(p.get("userName").is_none() && p.get("password").is_none());
    assert!(
        !format!("{a:?}").contains("4444555511113333"),
        "the card never shows in debug output"
    );
    assert_eq!(a.step(), Some(Step::Paying));
}

#[test]
fn no_3ds_card_ends_with_the_gateway_status() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    let a = f.handle(answer(r#"{"errorCode":0,"info":"Your order is proceeded","redirect":"https://shop.example/return?orderId=x"}"#));
    let p = expect_call(&a, Endpoint::OrderStatusExtended);
    assert_eq!(p.get("orderId"), Some(ORDER));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":2,"actionCode":0,"cardAuthInfo":{"maskedPan":"444455**3333"}}"#,
        )),
        OutcomeKind::Paid,
    );
    assert_eq!(o.masked_pan.as_deref(), Some("444455**3333"));
    assert!(f.is_over());
}

#[test]
fn two_stage_order_ends_authorized() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(r#"{"errorCode":"0","redirect":"x"}"#));
    expect_done(
        f.handle(answer(r#"{"orderStatus":1}"#)),
        OutcomeKind::Authorized,
    );
}

#[test]
fn insufficient_funds_is_a_decline_with_the_gateways_reason() {
    let (mut f, _) = start_with(config(), "4000005555555557");
    f.handle(answer(
        r#"{"errorCode":0,"redirect":"https://shop.example/fail?orderId=x"}"#,
    ));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":6,"actionCode":116,"actionCodeDescription":"Insufficient funds","cardAuthInfo":{"maskedPan":"400000**5557"}}"#,
        )),
        OutcomeKind::Declined,
    );
    assert_eq!(o.action_code, Some(116));
    assert_eq!(o.reason.as_deref(), Some("Insufficient funds"));
    assert!(!o.attempts_exhausted, "the card's own decline");
}

/// Seed 003: past the order's attempt limit every payment request answers a redirect to the failUrl with no error,
/// and the status still shows the order's last card: the card just sent was never tried.
#[test]
fn an_order_out_of_attempts_refuses_the_next_card_untried() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(
        r#"{"errorCode":0,"info":"Redirecting...","redirect":"https://shop.example/fail?orderId=x"}"#,
    ));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":6,"actionCode":116,"actionCodeDescription":"Insufficient funds","cardAuthInfo":{"maskedPan":"400000**5557"}}"#,
        )),
        OutcomeKind::Declined,
    );
    assert!(o.attempts_exhausted);
    assert_eq!((o.reason, o.action_code, o.masked_pan), (None, None, None));
    // A decline that carries its error (before the limit) is never taken for one.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(
        r#"{"errorCode":0,"error":"Declined","redirect":"https://shop.example/fail?orderId=x"}"#,
    ));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":6,"cardAuthInfo":{"maskedPan":"400000**5557"}}"#,
        )),
        OutcomeKind::Declined,
    );
    assert!(!o.attempts_exhausted);
}

#[test]
fn three_ds1_posts_md_pareq_termurl_then_reads_status() {
    let (mut f, _) = start_with(config(), "4012001038166662");
    let a = f.handle(answer(
        r#"{"errorCode":0,"info":"redirecting","acsUrl":"https://acs.example/pareq","paReq":"PAREQ==","termUrl":"https://gw.example/payment/rest/finish3ds.do"}"#,
    ));
    let Action::Challenge(form) = a else {
        panic!("expected a challenge, got {a:?}")
    };
    assert_eq!(form.version, ThreeDsVersion::V1);
    assert_eq!(form.url.as_str(), "https://acs.example/pareq");
    assert_eq!(
        form.fields,
        vec![
            ("MD", ORDER.to_owned()),
            ("PaReq", "PAREQ==".to_owned()),
            (
                "TermUrl",
                "https://gw.example/payment/rest/finish3ds.do".to_owned()
            )
        ]
    );
    assert_eq!(
        form.resume,
        ResumeState {
            version: ThreeDsVersion::V1,
            order_id: ORDER.into(),
            three_ds_server_trans_id: None,
            wallet: false,
        }
    );
    let a = f.handle(Event::ChallengeReturned);
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn three_ds2_challenge_full_path() {
    let (mut f, _) = start_with(config(), "5555555555555599");
    let a = f.handle(answer(METHODS));
    let Action::RunMethods(plan) = a else {
        panic!("expected methods, got {a:?}")
    };
    assert_eq!(
        plan.server.as_ref().map(|u| u.as_str()),
        Some("https://bank.example/3dsserver/api/v1/client/gather?threeDSServerTransID=t-1"),
        "the seed's scheme-less URL gets https"
    );
    let acs = plan.acs.unwrap();
    assert_eq!(acs.url.as_str(), "https://acs.example/method");
    assert_eq!(plan.timeout_ms, METHOD_CEILING_MS);

    let a = f.handle(Event::MethodsFinished(CompInd::Y));
    let p = expect_call(&a, Endpoint::Continue3ds);
    assert_eq!(p.get("mdOrder"), Some(ORDER));
    assert_eq!(p.get("threeDSMethodCompInd"), Some("Y"));
    assert!(p.get("$PAN").is_none());

    let a = f.handle(answer(CHALLENGE));
    let Action::Challenge(form) = a else {
        panic!("expected a challenge, got {a:?}")
    };
    assert_eq!(form.version, ThreeDsVersion::V2);
    assert_eq!(form.window, ChallengeWindowSize::W390H400);
    let creq = &form.fields[0].1;
    assert_eq!(
        checkout_core::creq::window_size_of(creq),
        Some(ChallengeWindowSize::W390H400),
        "the CReq asks for the size shown"
    );
    assert_eq!(form.resume.three_ds_server_trans_id.as_deref(), Some("t-1"));

    let a = f.handle(Event::ChallengeReturned);
    let p = expect_call(&a, Endpoint::Finish3dsVer2);
    assert_eq!(p.get("threeDSServerTransId"), Some("t-1"));
    let a = f.handle(answer(
        r#"{"redirect":"http://test.com?orderId=x&lang=en","errorCode":0,"is3DSVer2":true}"#,
    ));
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn frictionless_goes_from_continue_to_status() {
    let mut f = awaiting_continue("4000001111111118");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"redirect":"https://shop.example/return?orderId=x"}"#,
    ));
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn no_method_urls_continue_with_u() {
    let (mut f, _) = start_with(config(), "5200001111111113");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-9"}"#,
    ));
    let p = expect_call(&a, Endpoint::Continue3ds);
    assert_eq!(p.get("threeDSMethodCompInd"), Some("U"));
}

#[test]
fn server_method_only_plan() {
    let (mut f, _) = start_with(config(), "4000002222222224");
    let a = f.handle(answer(r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-2","threeDSMethodURLServer":"https://gw.example/gather"}"#));
    let Action::RunMethods(plan) = a else {
        panic!("{a:?}")
    };
    assert!(plan.server.is_some() && plan.acs.is_none());
}

#[test]
fn method_timeout_reports_n() {
    let (mut f, _) = start_with(config(), "4000007777777779");
    f.handle(answer(METHODS));
    let a = f.handle(Event::MethodsFinished(CompInd::N));
    assert_eq!(
        expect_call(&a, Endpoint::Continue3ds).get("threeDSMethodCompInd"),
        Some("N")
    );
}

#[test]
fn soft_decline_runs_methods_again_and_repeats_the_payment() {
    let mut f = awaiting_continue("4000003333333330");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-NEW","threeDSMethodURLServer":"https://gw.example/gather?threeDSServerTransID=t-NEW"}"#,
    ));
    assert!(matches!(a, Action::RunMethods(_)), "{a:?}");
    let a = f.handle(Event::MethodsFinished(CompInd::Y));
    let p = expect_call(&a, Endpoint::PaymentOrder);
    assert_eq!(p.get("threeDSServerTransId"), Some("t-NEW"));
    assert_eq!(p.get("$PAN"), Some("4000003333333330"));
    let a = f.handle(answer(CHALLENGE));
    let Action::Challenge(form) = a else {
        panic!("{a:?}")
    };
    assert_eq!(
        form.resume.three_ds_server_trans_id.as_deref(),
        Some("t-NEW")
    );
    let a = f.handle(Event::ChallengeReturned);
    assert_eq!(
        expect_call(&a, Endpoint::Finish3dsVer2).get("threeDSServerTransId"),
        Some("t-NEW")
    );
}

#[test]
fn soft_decline_happens_at_most_once() {
    let mut f = awaiting_continue("4000003333333330");
    f.handle(answer(METHODS));
    f.handle(Event::MethodsFinished(CompInd::Y));
    // The repeat answers with methods once more instead of a challenge: stop and ask the status.
    let a = f.handle(answer(METHODS));
    expect_call(&a, Endpoint::OrderStatusExtended);
    let e = expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::ThreeDsFailed,
    );
    assert!(e.retryable());
}

#[test]
fn decoupled_ends_pending() {
    let mut f = awaiting_continue("4000004444444446");
    f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"redirect":"https://shop.example/return?orderId=x"}"#,
    ));
    expect_done(
        f.handle(answer(r#"{"orderStatus":5}"#)),
        OutcomeKind::Pending,
    );
}

#[test]
fn issuer_decline_after_challenge() {
    let mut f = awaiting_continue("4000006666666663");
    f.handle(answer(CHALLENGE));
    f.handle(Event::ChallengeReturned);
    f.handle(answer(
        r#"{"redirect":"https://shop.example/fail?orderId=x","errorCode":0,"is3DSVer2":true}"#,
    ));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":6,"actionCode":5,"actionCodeDescription":"Do not honor"}"#,
        )),
        OutcomeKind::Declined,
    );
    assert_eq!(o.action_code, Some(5));
}

#[test]
fn continue_with_error_code_zero_is_a_failure() {
    let mut f = awaiting_continue("5555555555555599");
    let a = f.handle(answer(r#"{"errorCode":0,"error":"Unknown ARes status","errorTypeName":"TDS_UNKNOWN_ARES_STATUS"}"#));
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::ThreeDsFailed,
    );
    // …and if the gateway declined the order, that is the outcome, with the error as the reason.
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(r#"{"errorCode":"0","error":"Unknown ARes status"}"#));
    let o = expect_done(
        f.handle(answer(r#"{"orderStatus":6}"#)),
        OutcomeKind::Declined,
    );
    assert_eq!(o.reason.as_deref(), Some("Unknown ARes status"));
}

#[test]
fn gateway_errors_on_the_payment_request_reject_with_the_gateways_message() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    let e = expect_fail(
        f.handle(answer(
            r#"{"errorCode":"5","errorMessage":"Access denied"}"#,
        )),
        ErrorCode::AccessDenied,
    );
    assert_eq!(e.message, "Access denied");
    assert_eq!(e.gateway_code.as_deref(), Some("5"));
    assert!(!e.retryable());
    // Any other error answer reads the status first: an unpaid order reports the gateway's error…
    let (mut f, _) = start_with(config(), "4444555511113333");
    let a = f.handle(answer(r#"{"errorCode":2,"errorMessage":"Wrong expiry"}"#));
    expect_call(&a, Endpoint::OrderStatusExtended);
    let e = expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::GatewayError,
    );
    assert_eq!(e.message, "Wrong expiry");
    assert_eq!(e.order_id.as_deref(), Some(ORDER));
}

/// Seed 003, paymentorder.do errors: "5 Төлем жасау әрекеттері аяқталды" (payment attempts finished) and
/// "5 Жүйелік немесе ішкі қате" (system error). A second attempt on a paid order is refused with 5: the
/// shopper paid, so the status decides and it stays paid.
#[test]
fn paying_a_paid_order_again_resolves_paid() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    let a = f.handle(answer(
        r#"{"errorCode":5,"errorMessage":"Payment attempts finished"}"#,
    ));
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

/// A system error (code 5) while another request of this order is being processed: the status over the
/// window decides; the charge that lands meanwhile is reported as paid.
#[test]
fn system_error_on_the_payment_request_waits_for_the_status() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(r#"{"errorCode":"5","errorMessage":"System error"}"#));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // Unpaid through the whole window: the gateway's error, and a retry of the same order is safe.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(r#"{"errorCode":"5","errorMessage":"System error"}"#));
    let e = expect_fail(
        unpaid_through_window(&mut f, 60_000),
        ErrorCode::GatewayError,
    );
    assert_eq!(e.message, "System error");
    assert!(e.retryable());
}

const SYSTEM_ERROR_7: &str = r#"{"errorCode":"7","errorMessage":"System error"}"#;

/// Seed 003: "7 Жүйелік қате" (system error) on paymentOrderBinding.do and the status. Answered to a payment
/// request, continue.do or finish3dsVer2Payment.do, the gateway may still be processing the payment: it is in
/// doubt like a lost answer, and the status over the window decides. An order unpaid through the window is the
/// gateway's error, never a card decline.
#[test]
fn system_errors_on_payment_requests_are_in_doubt() {
    // paymentorder.do: still processing at the first read, then paid.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(SYSTEM_ERROR_7));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // paymentOrderBinding.do: the same.
    let (mut f, _) = CardFlow::start_binding(config(), binding_order(Some("123")), None).unwrap();
    f.handle(answer(SYSTEM_ERROR_7));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // continue.do, unpaid through the whole window: the gateway's error, and the same order may be paid again.
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(SYSTEM_ERROR_7));
    let e = expect_fail(
        unpaid_through_window(&mut f, 60_000),
        ErrorCode::GatewayError,
    );
    assert_eq!(e.gateway_code.as_deref(), Some("7"));
    assert!(e.retryable());
    // finish3dsVer2Payment.do: the 3DS2 payment still being completed (5), then paid.
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    expect_call(&f.handle(Event::ChallengeReturned), Endpoint::Finish3dsVer2);
    f.handle(answer(SYSTEM_ERROR_7));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":5}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // A decline the status shows is read again while the window is open (a new attempt may still be
    // processed), then it is the outcome.
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(SYSTEM_ERROR_7));
    expect_status_read(
        &f.handle(answer(r#"{"orderStatus":6,"actionCode":116}"#)),
        1000,
    );
}

/// Seed 003, getOrderStatusExtended.do: "7 Жүйелік қате" (system error). The one read after a completed payment
/// is sent again, as after a lost answer, before the outcome is called unknown: a paid order shows paid.
#[test]
fn a_system_error_on_the_status_read_is_read_again() {
    let mut f = awaiting_continue("4000001111111118");
    expect_call(
        &f.handle(answer(r#"{"errorCode":0}"#)),
        Endpoint::OrderStatusExtended,
    );
    expect_status_read(&f.handle(answer(SYSTEM_ERROR_7)), 500);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // Other refusals of the read stay final: an order the gateway does not know.
    let mut f = awaiting_continue("4000001111111118");
    f.handle(answer(r#"{"errorCode":0}"#));
    expect_fail(
        f.handle(answer(
            r#"{"errorCode":"6","errorMessage":"Unregistered orderId"}"#,
        )),
        ErrorCode::StatusUnknown,
    );
}

/// Seed 003, paymentorder.do's table: "5 Төлем жасау әрекеттері аяқталды" (payment attempts are finished). The card
/// was refused untried: a decline of an order that takes no more attempts (whichever card the status shows), not
/// a minute's wait for a system error and not the last card's reason.
#[test]
fn error_5_payment_attempts_finished_is_out_of_attempts() {
    for message in [
        "Payment attempts are finished",
        "Закончились попытки оплаты",
        "Төлем жасау әрекеттері аяқталды",
    ] {
        let (mut f, _) = start_with(config(), "4444555511113333");
        let a = f.handle(answer(&format!(
            r#"{{"errorCode":"5","errorMessage":"{message}"}}"#
        )));
        expect_status_read(&a, 0);
        let o = expect_done(
            f.handle(answer(
                r#"{"orderStatus":6,"actionCode":116,"actionCodeDescription":"Insufficient funds","cardAuthInfo":{"maskedPan":"444455**3333"}}"#,
            )),
            OutcomeKind::Declined,
        );
        assert!(o.attempts_exhausted, "{message}");
        assert_eq!((o.action_code, o.reason, o.masked_pan), (None, None, None));
    }
    // A system error that asks to try again later, or names an attempt still being processed, stays in doubt.
    for message in [
        "Системная ошибка. Повторите попытку позже",
        "A previous payment attempt is still being processed",
    ] {
        let (mut f, _) = start_with(config(), "4444555511113333");
        f.handle(answer(&format!(
            r#"{{"errorCode":"5","errorMessage":"{message}"}}"#
        )));
        expect_status_read(&f.handle(answer(r#"{"orderStatus":6}"#)), 1000);
    }
    // An order an earlier attempt paid stays paid.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(
        r#"{"errorCode":"5","errorMessage":"Payment attempts are finished"}"#,
    ));
    let o = expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    assert!(!o.attempts_exhausted);
}

/// Seed 003, paymentOrderBinding.do: "1 [cvc] көрсетілмеді" (not given), for a merchant without the right to pay
/// without it: the saved card needs its CVC (invalid_cvc), not a dead end.
#[test]
fn a_saved_card_refused_for_its_missing_cvc_asks_for_it() {
    let (mut f, _) = CardFlow::start_binding(config(), binding_order(None), None).unwrap();
    f.handle(answer(
        r#"{"errorCode":"1","errorMessage":"[cvc] not specified"}"#,
    ));
    let e = expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::InvalidCvc,
    );
    assert_eq!(e.gateway_code.as_deref(), Some("1"));
    assert!(e.retryable(), "with the CVC, the same order may be paid");
    // An errorCode 1 to continue.do is the gateway's error.
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(r#"{"errorCode":"1","errorMessage":"Wrong amount"}"#));
    expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::GatewayError,
    );
}

/// Answers every status read with an unpaid order until the flow stops reading; checks the waits between
/// reads add up to the window. Returns the final action.
#[track_caller]
fn unpaid_through_window(f: &mut CardFlow, window_ms: u32) -> Action {
    let mut waited = 0u32;
    loop {
        match f.handle(answer(r#"{"orderStatus":0}"#)) {
            Action::Call {
                endpoint: Endpoint::OrderStatusExtended,
                delay_ms,
                ..
            } => {
                assert!(delay_ms > 0 && delay_ms <= 8000, "waits {delay_ms} ms");
                waited += delay_ms;
            }
            end => {
                assert_eq!(
                    waited, window_ms,
                    "the status is read over the whole window"
                );
                return end;
            }
        }
    }
}

#[test]
fn lost_payment_answer_asks_the_status_and_never_resends() {
    // Network failure, order not paid: a retryable error, no second paymentorder.do.
    let (mut f, _) = start_with(config(), "4444555511113333");
    let a = f.handle(Event::TransportFailed(TransportFailure::Timeout));
    expect_call(&a, Endpoint::OrderStatusExtended);
    // The gateway may still be processing the request the module gave up on: "unpaid" is re-read over
    // the whole status window (1, 2, 4, then every 8 s) before anything is reported, and then it is
    // status_unknown naming the order, never "nothing was charged".
    let e = expect_fail(
        unpaid_through_window(&mut f, 60_000),
        ErrorCode::StatusUnknown,
    );
    assert_eq!(e.order_id.as_deref(), Some(ORDER));
    assert_eq!(e.detail, Some("timeout"));
    assert!(
        e.retryable(),
        "proved unpaid after the window: the same order may be paid again"
    );
    // The window is an option.
    let mut c = config();
    c.status_window_ms = 5_000;
    let (mut f, _) = start_with(c, "4444555511113333");
    f.handle(Event::TransportFailed(TransportFailure::Network));
    expect_fail(
        unpaid_through_window(&mut f, 5_000),
        ErrorCode::StatusUnknown,
    );
    // Status reads failing at the end of the window prove nothing: not retryable.
    let mut c = config();
    c.status_window_ms = 3_000;
    let (mut f, _) = start_with(c, "4444555511113333");
    f.handle(Event::TransportFailed(TransportFailure::Network));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_status_read(
        &f.handle(Event::TransportFailed(TransportFailure::Network)),
        2000,
    );
    let e = expect_fail(
        f.handle(Event::TransportFailed(TransportFailure::Network)),
        ErrorCode::StatusUnknown,
    );
    assert!(!e.retryable());
    // …and if it lands meanwhile, it is paid.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(Event::TransportFailed(TransportFailure::Timeout));
    f.handle(answer(r#"{"orderStatus":0}"#));
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // The answer was lost but the payment went through: paid.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(Event::TransportFailed(TransportFailure::HttpStatus(502)));
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn status_retries_with_backoff_then_gives_up() {
    let mut c = config();
    c.status_attempts = 3;
    let (mut f, _) = start_with(c, "4444555511113333");
    f.handle(answer(r#"{"errorCode":0,"redirect":"x"}"#));
    let a = f.handle(Event::TransportFailed(TransportFailure::Network));
    expect_status_read(&a, 500);
    let a = f.handle(Event::TransportFailed(TransportFailure::BadResponse));
    expect_status_read(&a, 1000);
    let e = expect_fail(
        f.handle(Event::TransportFailed(TransportFailure::Network)),
        ErrorCode::StatusUnknown,
    );
    assert!(
        !e.retryable(),
        "never invite a second charge when the state is unknown"
    );
}

#[test]
fn challenge_timeout_reports_it_when_nothing_was_charged() {
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    let a = f.handle(Event::ChallengeTimedOut);
    expect_call(&a, Endpoint::OrderStatusExtended);
    expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::ChallengeTimeout,
    );
}

/// The page's policy refused the challenge frame after the bank's page showed in it: the status is read before
/// redirect_blocked is said (a paid order stays paid), and a 3DS1 challenge, which the bank completes itself, is
/// read over the whole window.
#[test]
fn a_challenge_refused_after_it_showed_reads_the_status_first() {
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    expect_call(
        &f.handle(Event::ChallengeCutShort(ErrorCode::RedirectBlocked)),
        Endpoint::OrderStatusExtended,
    );
    let e = expect_fail(
        f.handle(answer(r#"{"orderStatus":0}"#)),
        ErrorCode::RedirectBlocked,
    );
    assert_eq!(e.order_id.as_deref(), Some(ORDER));
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    f.handle(Event::ChallengeCutShort(ErrorCode::RedirectBlocked));
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // 3DS1: the PaRes may reach the gateway's TermUrl all the same.
    let (mut f, _) = start_with(config(), "4012001038166662");
    f.handle(answer(
        r#"{"errorCode":0,"acsUrl":"https://acs.example/p","paReq":"pa","termUrl":"https://gw.example/finish3ds.do"}"#,
    ));
    f.handle(Event::ChallengeCutShort(ErrorCode::RedirectBlocked));
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // A container that left the document after the form was posted: the same (a 3DS1 the shopper confirmed is paid).
    let (mut f, _) = start_with(config(), "4012001038166662");
    f.handle(answer(
        r#"{"errorCode":0,"acsUrl":"https://acs.example/p","paReq":"pa","termUrl":"https://gw.example/finish3ds.do"}"#,
    ));
    f.handle(Event::ChallengeCutShort(ErrorCode::Dom));
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    f.handle(Event::ChallengeCutShort(ErrorCode::Dom));
    expect_fail(f.handle(answer(r#"{"orderStatus":0}"#)), ErrorCode::Dom);
}

/// Back in the page kept in the back/forward cache after the return page in the tab sent the finish: the status over
/// the window decides, and the finish is never sent again.
#[test]
fn a_finish_sent_by_the_return_page_is_in_doubt() {
    let mut f = awaiting_continue("5555555555555599");
    f.handle(answer(CHALLENGE));
    expect_call(&f.handle(Event::FinishSent), Endpoint::OrderStatusExtended);
    expect_status_read(&f.handle(answer(r#"{"orderStatus":5}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn abort_reads_the_status_before_it_reports() {
    // During the 3DS method: nothing was charged; the status confirms it, then the abort is reported.
    let (mut f, _) = start_with(config(), "5555555555555599");
    f.handle(answer(METHODS));
    expect_call(&f.handle(Event::Aborted), Endpoint::OrderStatusExtended);
    let e = expect_fail(f.handle(answer(r#"{"orderStatus":5}"#)), ErrorCode::Aborted);
    assert!(e.retryable());
    assert!(f.is_over());
    // Events after the end keep failing rather than restarting anything.
    assert!(matches!(
        f.handle(Event::MethodsFinished(CompInd::Y)),
        Action::Fail(_)
    ));

    // While paymentorder.do is in flight: the payment may still land, so the status decides over the window…
    let (mut f, _) = start_with(config(), "4444555511113333");
    expect_call(&f.handle(Event::Aborted), Endpoint::OrderStatusExtended);
    let e = expect_fail(
        unpaid_through_window(&mut f, 60_000),
        ErrorCode::StatusUnknown,
    );
    assert_eq!(e.detail, Some("aborted"));
    // …and a payment that went through is reported as paid, abort or not.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(Event::Aborted);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // An abort while the outcome is being read keeps reading it.
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(r#"{"errorCode":0,"redirect":"x"}"#));
    expect_call(&f.handle(Event::Aborted), Endpoint::OrderStatusExtended);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn unsafe_urls_from_the_gateway_are_refused_before_any_dom_work() {
    for (json, _field) in [
        (
            r#"{"errorCode":0,"acsUrl":"javascript:alert(1)","paReq":"x","termUrl":"https://gw/t"}"#,
            "acsUrl",
        ),
        (
            r#"{"errorCode":0,"acsUrl":"https://acs/x","paReq":"x","termUrl":"http://evil.example/t"}"#,
            "termUrl",
        ),
        (
            r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t","threeDSMethodURLServer":"data:text/html,x"}"#,
            "server",
        ),
        (
            r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t","threeDSMethodURLServer":"https://ok/g","threeDSMethodURL":"https://u:p@acs/m","threeDSMethodDataPacked":"x"}"#,
            "acs",
        ),
    ] {
        let (mut f, _) = start_with(config(), "4444555511113333");
        expect_fail(f.handle(answer(json)), ErrorCode::UnsafeUrl);
    }
    let mut f = awaiting_continue("5555555555555599");
    expect_fail(f.handle(answer(r#"{"errorCode":0,"acsUrl":"http://acs.example/creq","packedCReq":"x","is3DSVer2":true}"#)), ErrorCode::UnsafeUrl);
}

#[test]
fn sandbox_option_allows_loopback_http_only() {
    let mut c = config();
    c.url_policy = UrlPolicy {
        allow_insecure_loopback: true,
    };
    let (mut f, _) = start_with(c, "5555555555555599");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t","threeDSMethodURLServer":"127.0.0.1:8080/3dsserver/api/v1/client/gather?threeDSServerTransID=t"}"#,
    ));
    let Action::RunMethods(plan) = a else {
        panic!("{a:?}")
    };
    assert_eq!(
        plan.server.unwrap().as_str(),
        "http://127.0.0.1:8080/3dsserver/api/v1/client/gather?threeDSServerTransID=t"
    );
}

/// finish3dsVer2Payment.do already left for this order (the return page reloaded after resume() sent it, or its
/// answer was lost): resuming it never sends finish again; the status decides over the window, as after a lost
/// payment answer.
#[test]
fn resume_after_finish_was_sent_never_finishes_again() {
    let v2 = ResumeState {
        version: ThreeDsVersion::V2,
        order_id: ORDER.into(),
        three_ds_server_trans_id: Some("t-1".into()),
        wallet: false,
    };
    let (mut f, a) = CardFlow::resume_after_finish(config(), v2.clone());
    expect_status_read(&a, 0);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // Unpaid: read again over the whole window (the finish may still be processed), then status_unknown
    // naming the order; never a second finish.
    let (mut f, _) = CardFlow::resume_after_finish(config(), v2.clone());
    let e = expect_fail(
        unpaid_through_window(&mut f, 60_000),
        ErrorCode::StatusUnknown,
    );
    assert_eq!(e.order_id.as_deref(), Some(ORDER));
    assert!(e.retryable(), "proved unpaid at the end of the window");
    // A failed read proves nothing: keep reading over the window.
    let (mut f, _) = CardFlow::resume_after_finish(config(), v2);
    expect_status_read(
        &f.handle(Event::TransportFailed(TransportFailure::Network)),
        1000,
    );
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // A state that sends no finish (3DS1, or resume({orderId}) checking a status) stays one read, as in resume.
    let v1 = ResumeState {
        version: ThreeDsVersion::V1,
        order_id: ORDER.into(),
        three_ds_server_trans_id: None,
        wallet: false,
    };
    let (mut f, a) = CardFlow::resume_after_finish(config(), v1);
    expect_status_read(&a, 0);
    expect_done(
        f.handle(answer(r#"{"orderStatus":5}"#)),
        OutcomeKind::Pending,
    );
}

#[test]
fn a_finish_record_counts_for_an_hour() {
    let at = 1_700_000_000_000u64;
    let rec = at.to_string();
    assert!(finish_record_counts(&rec, at));
    assert!(finish_record_counts(&rec, at + FINISH_RECORD_MS - 1));
    assert!(!finish_record_counts(&rec, at + FINISH_RECORD_MS));
    assert!(
        finish_record_counts(&rec, at - 5_000),
        "a clock set back still counts"
    );
    for bad in ["", "x", "-1", "1.5", "99999999999999999999999"] {
        assert!(!finish_record_counts(bad, at), "{bad}");
    }
}

#[test]
fn resume_after_a_full_page_challenge() {
    let state = ResumeState {
        version: ThreeDsVersion::V2,
        order_id: ORDER.into(),
        three_ds_server_trans_id: Some("t-1".into()),
        wallet: false,
    };
    let decoded = ResumeState::decode(&state.encode()).unwrap();
    assert_eq!(decoded, state);
    let (mut f, a) = CardFlow::resume(config(), decoded);
    assert_eq!(
        expect_call(&a, Endpoint::Finish3dsVer2).get("threeDSServerTransId"),
        Some("t-1")
    );
    f.handle(answer(r#"{"errorCode":0,"redirect":"x"}"#));
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);

    let v1 = ResumeState {
        version: ThreeDsVersion::V1,
        order_id: ORDER.into(),
        three_ds_server_trans_id: None,
        wallet: false,
    };
    let (_, a) = CardFlow::resume(config(), ResumeState::decode(&v1.encode()).unwrap());
    expect_call(&a, Endpoint::OrderStatusExtended);

    for bad in [
        "",
        "gc1",
        "gc1|2|order|",
        "gc1|3|o|t",
        "xx|1|o|",
        "gc1|1|o<script>|",
        "gc1|1|o||extra",
    ] {
        assert_eq!(ResumeState::decode(bad), None, "{bad}");
    }
}

#[test]
fn start_refuses_bad_orders_and_missing_token() {
    let card =
        || CardData::new("4444555511113333", "12/30", "123", "A B", (2026, 11), false).unwrap();
    let order = |id: &str| CardOrder {
        order_id: id.into(),
        card: card(),
        email: None,
        ip: None,
        client_browser_info: None,
        extras: Default::default(),
    };
    assert_eq!(
        CardFlow::start(config(), order("")).unwrap_err().code,
        ErrorCode::InvalidOrderId
    );
    assert_eq!(
        CardFlow::start(config(), order("a b")).unwrap_err().code,
        ErrorCode::InvalidOrderId
    );
    let mut c = config();
    c.token = " ".into();
    assert_eq!(
        CardFlow::start(c, order(ORDER)).unwrap_err().code,
        ErrorCode::InvalidOption
    );
    let mut c = config();
    c.language = Language::Ru;
    let e = CardFlow::start(c, order("")).unwrap_err();
    assert_eq!(e.message, ErrorCode::InvalidOrderId.message(Language::Ru));
}

#[test]
fn continue_answer_without_a_new_transaction_is_not_a_soft_decline() {
    // Regression (review): `{is3DSVer2, threeDSServerTransId}` with the current id and no method data sent the
    // card again. Only a new transaction or method data is a soft decline.
    let mut f = awaiting_continue("5555555555555599");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-1"}"#,
    ));
    expect_call(&a, Endpoint::OrderStatusExtended);
    // A new id without method URLs is a soft decline: the payment is repeated with it (compInd U).
    let mut f = awaiting_continue("4000003333333330");
    let a = f.handle(answer(
        r#"{"errorCode":0,"is3DSVer2":true,"threeDSServerTransId":"t-2"}"#,
    ));
    let p = expect_call(&a, Endpoint::PaymentOrder);
    assert_eq!(p.get("threeDSServerTransId"), Some("t-2"));
    assert_eq!(p.get("threeDSMethodCompInd"), Some("U"));
}

#[test]
fn numbers_beyond_javascripts_safe_range_are_dropped() {
    let (mut f, _) = start_with(config(), "4444555511113333");
    f.handle(answer(r#"{"errorCode":0,"redirect":"x"}"#));
    let o = expect_done(
        f.handle(answer(
            r#"{"orderStatus":2,"actionCode":"9007199254740993","amount":1e300}"#,
        )),
        OutcomeKind::Paid,
    );
    assert_eq!(o.action_code, None);
    assert_eq!(o.amount, None);
}

#[test]
fn a_challenge_refit_rewrites_the_creq_it_posts() {
    let mut f = awaiting_continue("5555555555555599");
    let Action::Challenge(mut form) = f.handle(answer(CHALLENGE)) else {
        panic!("expected the challenge")
    };
    assert_eq!(form.window, ChallengeWindowSize::W390H400);
    form.refit(ChallengeWindowSize::W600H400);
    assert_eq!(form.window, ChallengeWindowSize::W600H400);
    let creq = &form.fields.iter().find(|(k, _)| *k == "creq").unwrap().1;
    assert_eq!(
        checkout_core::creq::window_size_of(creq),
        Some(ChallengeWindowSize::W600H400)
    );
}

fn binding_order(cvc: Option<&str>) -> BindingOrder {
    BindingOrder {
        order_id: ORDER.into(),
        binding_id: "01491394-63a6-7d45-a88f-7bce00a7d8c0".into(),
        cvc: cvc.map(|c| zeroize::Zeroizing::new(c.to_owned())),
        ip: "10.0.0.7".into(),
        email: None,
        client_id: Some("259753456".into()),
    }
}

/// Seed 003, paymentOrderBinding.do: "mdOrder", "bindingId", "ip" (required), "cvc" (required unless the
/// merchant may pay without it), "clientId", "language" — with the token instead of userName/password.
#[test]
fn a_saved_card_pays_through_payment_order_binding() {
    let (mut f, a) = CardFlow::start_binding(config(), binding_order(Some("123")), None).unwrap();
    let p = expect_call(&a, Endpoint::PaymentOrderBinding);
    assert_eq!(p.get("mdOrder"), Some(ORDER));
    assert_eq!(
        p.get("bindingId"),
        Some("01491394-63a6-7d45-a88f-7bce00a7d8c0")
    );
    assert_eq!(p.get("cvc"), Some("123"));
    assert_eq!(p.get("ip"), Some("10.0.0.7"));
    assert_eq!(p.get("clientId"), Some("259753456"));
    assert_eq!(p.get("token"), Some("public-token"));
    assert_eq!(p.get("$PAN"), None);
    assert!(
        format!("{p:?}").contains("cvc") && !format!("{p:?}").contains("123"),
        "the CVC is masked in logs"
    );
    // 3DS1 like paymentorder.do (the seed's example answer), then the status.
    let a = f.handle(answer(
        r#"{"errorCode":0,"acsUrl":"https://acs.example/p","paReq":"pa","termUrl":"https://gw.example/finish3ds.do"}"#,
    ));
    assert!(matches!(a, Action::Challenge(_)));
    expect_call(
        &f.handle(Event::ChallengeReturned),
        Endpoint::OrderStatusExtended,
    );
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // A lost answer is in doubt like any payment request: never resent.
    let (mut f, _) = CardFlow::start_binding(config(), binding_order(None), None).unwrap();
    expect_call(
        &f.handle(Event::TransportFailed(TransportFailure::Network)),
        Endpoint::OrderStatusExtended,
    );
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
}

#[test]
fn a_saved_card_needs_its_ip_and_a_plausible_cvc() {
    let mut o = binding_order(Some("12"));
    assert_eq!(
        CardFlow::start_binding(config(), o, None).unwrap_err().code,
        ErrorCode::InvalidCvc
    );
    o = binding_order(Some("123"));
    o.ip = " ".into();
    assert_eq!(
        CardFlow::start_binding(config(), o, None)
            .unwrap_err()
            .detail,
        Some("ip")
    );
    o = binding_order(None);
    o.binding_id = "bad id".into();
    assert_eq!(
        CardFlow::start_binding(config(), o, None)
            .unwrap_err()
            .detail,
        Some("bindingId")
    );
}

/// Seed 003 paymentorder.do: bindingNotNeeded ("true – төлемді аяқтағаннан кейін байлам жасау өшірілген"),
/// jsonParams ({"param":"value"}) and billingPayerData, passed through when given.
#[test]
fn payment_extras_are_passed_through() {
    let card = CardData::new("4444555511113333", "12/30", "123", "A B", (2026, 11), false).unwrap();
    let order = CardOrder {
        order_id: ORDER.into(),
        card,
        email: None,
        ip: None,
        client_browser_info: None,
        extras: PaymentExtras {
            binding_not_needed: true,
            json_params: Some(r#"{"loyalty":"gold"}"#.into()),
            billing_payer_data: Some(
                r#"{"billingCity":"Almaty","billingPostalCode":"050000"}"#.into(),
            ),
        },
    };
    let (_, a) = CardFlow::start(config(), order).unwrap();
    let p = expect_call(&a, Endpoint::PaymentOrder);
    assert_eq!(p.get("bindingNotNeeded"), Some("true"));
    assert_eq!(p.get("jsonParams"), Some(r#"{"loyalty":"gold"}"#));
    assert_eq!(
        p.get("billingPayerData"),
        Some(r#"{"billingCity":"Almaty","billingPostalCode":"050000"}"#)
    );
    // Nothing of the kind when not given.
    let (_, a) = start_with(config(), "4444555511113333");
    let p = expect_call(&a, Endpoint::PaymentOrder);
    assert!(p.get("bindingNotNeeded").is_none() && p.get("jsonParams").is_none());
}

/// Seed 004 ("creq=[packedCReq], где [packedCReq] - значение параметра packedCReq") and seed 002 ("с
/// параметром creq, в котором передать полученное значение challengerequest") post the received value; the module by default announces the size that fits the container instead (an
/// explicit choice, README "Challenge window"). With `creq_as_received` it posts the value as received and
/// sizes the frame by it.
#[test]
fn the_creq_is_fitted_by_default_and_posted_as_received_on_request() {
    let fitted = {
        let mut f = awaiting_continue("5555555555555599");
        match f.handle(answer(CHALLENGE)) {
            Action::Challenge(form) => form,
            other => panic!("{other:?}"),
        }
    };
    let packed = "eyJ0aHJlZURTU2VydmVyVHJhbnNJRCI6InQtMSIsImNoYWxsZW5nZVdpbmRvd1NpemUiOiIwNSJ9";
    assert_ne!(fitted.fields[0].1, packed, "rewritten to the fitted size");
    assert_eq!(
        checkout_core::creq::window_size_of(&fitted.fields[0].1),
        Some(ChallengeWindowSize::W390H400)
    );
    let mut c = config();
    c.creq_as_received = true;
    let (mut f, _) = start_with(c, "5555555555555599");
    f.handle(answer(METHODS));
    f.handle(Event::MethodsFinished(CompInd::Y));
    let Action::Challenge(mut form) = f.handle(answer(CHALLENGE)) else {
        panic!("expected the challenge")
    };
    assert_eq!(form.fields[0].1, packed, "posted exactly as received");
    assert_eq!(
        form.window,
        ChallengeWindowSize::FullScreen,
        "the size the CReq announces (05)"
    );
    form.refit(ChallengeWindowSize::W250H400);
    assert_eq!(form.fields[0].1, packed, "never rewritten later either");
}

const THREE_DS1: &str = r#"{"errorCode":0,"acsUrl":"https://acs.example/pareq","paReq":"PR","termUrl":"https://gw.example/payment/rest/finish3ds.do"}"#;

/// A payment whose paymentorder.do answer was lost: the flow and its first status read.
fn in_doubt() -> CardFlow {
    let (mut f, _) = start_with(config(), "4444 5555 1111 3333");
    expect_status_read(
        &f.handle(Event::TransportFailed(TransportFailure::Timeout)),
        0,
    );
    f
}

/// Answers every status read with `status` until the flow ends.
fn read_until_the_end(f: &mut CardFlow, status: &str) -> Action {
    let mut a = f.handle(answer(status));
    for _ in 0..100 {
        if !matches!(a, Action::Call { .. }) {
            break;
        }
        a = f.handle(answer(status));
    }
    a
}

/// Review (money safety): an order declined before and paid again shows its old 6 while the new attempt is still
/// processing; a 6 read inside the window must not end a payment in doubt as declined.
#[test]
fn a_decline_read_inside_the_window_is_read_again() {
    let mut f = in_doubt();
    expect_status_read(&f.handle(answer(r#"{"orderStatus":6}"#)), 1000);
    expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    // Still 6 at the end of the window: declined then.
    let mut f = in_doubt();
    expect_done(
        read_until_the_end(&mut f, r#"{"orderStatus":6}"#),
        OutcomeKind::Declined,
    );
}

/// Review: 5 (3DS started, not finished) at the end of the window may still become a charge: never retryable.
#[test]
fn a_payment_still_in_3ds_at_the_end_of_the_window_is_not_retryable() {
    let mut f = in_doubt();
    let e = expect_fail(
        read_until_the_end(&mut f, r#"{"orderStatus":5}"#),
        ErrorCode::StatusUnknown,
    );
    assert!(!e.retryable());
    let mut f = in_doubt();
    let e = expect_fail(
        read_until_the_end(&mut f, r#"{"orderStatus":0}"#),
        ErrorCode::StatusUnknown,
    );
    assert!(e.retryable(), "a 0 at the end proves the order unpaid");
}

/// Review: 3DS1's PaRes goes from the ACS page to the gateway's TermUrl, which completes the payment without the
/// module: a challenge aborted or timed out may still be paid, so the status is read over the window.
#[test]
fn a_3ds1_challenge_cut_short_is_in_doubt() {
    for cut in [Event::Aborted, Event::ChallengeTimedOut] {
        let (mut f, _) = start_with(config(), "4444 5555 1111 3333");
        assert!(matches!(f.handle(answer(THREE_DS1)), Action::Challenge(_)));
        expect_status_read(&f.handle(cut), 0);
        expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    }
    // A 3DS2 card challenge completes only with the module's finish3dsVer2Payment.do: one read decides.
    let mut f = awaiting_continue("5555555555555599");
    assert!(matches!(f.handle(answer(CHALLENGE)), Action::Challenge(_)));
    expect_status_read(&f.handle(Event::Aborted), 0);
    expect_fail(f.handle(answer(r#"{"orderStatus":0}"#)), ErrorCode::Aborted);
}

/// Review: an abort while the status of a completed attempt is being read does not turn "pending" into
/// "aborted" (which would invite a second payment of an order the bank may still approve).
#[test]
fn an_abort_during_the_final_read_of_a_completed_attempt_keeps_it_pending() {
    let (mut f, _) = start_with(config(), "4444 5555 1111 3333");
    expect_call(
        &f.handle(answer(r#"{"errorCode":0,"redirect":"x"}"#)),
        Endpoint::OrderStatusExtended,
    );
    expect_status_read(&f.handle(Event::Aborted), 0);
    expect_done(
        f.handle(answer(r#"{"orderStatus":5}"#)),
        OutcomeKind::Pending,
    );
}

/// Review: an abort before the payment request left (the driver checks the signal right before sending) is no
/// payment in doubt: one read, then "aborted", instead of the whole status window.
#[test]
fn a_payment_request_never_sent_is_not_in_doubt() {
    let (mut f, _) = start_with(config(), "4444 5555 1111 3333");
    expect_status_read(&f.handle(Event::NotSent), 0);
    expect_fail(f.handle(answer(r#"{"orderStatus":0}"#)), ErrorCode::Aborted);
    // A status read that was not sent is read again, after its wait.
    let mut f = in_doubt();
    expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    expect_status_read(&f.handle(Event::NotSent), 1000);
}

/// A wallet payment (`wallets` feature): payment.do first, then what its answer says.
#[cfg(feature = "wallets")]
mod wallet {
    use super::*;

    const GOOGLE: &str = "/google/payment.do";

    /// A Google Pay payment of orderNumber `number`, its payment.do sent; the flow and that action.
    fn start(number: &str) -> (CardFlow, Action) {
        CardFlow::start_wallet(config(), number, GOOGLE, r#"{"merchant":"m"}"#.to_owned())
    }

    fn wallet_answer(json: &str) -> Event {
        Event::WalletAnswer(Box::new(support::wallet_answer(json).unwrap()))
    }

    #[test]
    fn the_payment_request_goes_to_the_wallets_payment_do_as_json() {
        let (f, a) = start("shop-1");
        let Action::WalletCall { path, body } = &a else {
            panic!("{a:?}")
        };
        assert_eq!((*path, body.as_str()), (GOOGLE, r#"{"merchant":"m"}"#));
        assert_eq!(a.step(), Some(Step::Paying));
        assert_eq!(f.order_id(), "", "no order until the gateway names one");
    }

    #[test]
    fn an_answer_with_3ds1_goes_through_the_acs() {
        let (mut f, _) = start("shop-1");
        let a = f.handle(wallet_answer(
            r#"{"success":true,"data":{"orderId":"w-1","acsUrl":"https://acs.example/pareq","paReq":"PR","termUrl":"https://gw.example/payment/rest/finish3ds.do"}}"#,
        ));
        let Action::Challenge(form) = a else {
            panic!("{a:?}")
        };
        assert_eq!(form.fields[0], ("MD", "w-1".to_owned()));
        assert_eq!(f.order_id(), "w-1");
        expect_call(
            &f.handle(Event::ChallengeReturned),
            Endpoint::OrderStatusExtended,
        );
        expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    }

    #[test]
    fn an_answer_with_3ds2_runs_methods_then_continue() {
        let (mut f, _) = start("shop-2");
        let a = f.handle(wallet_answer(&format!(
            r#"{{"success":true,"orderId":"w-2","data":{METHODS}}}"#
        )));
        assert!(matches!(a, Action::RunMethods(_)), "{a:?}");
        let a = f.handle(Event::MethodsFinished(CompInd::Y));
        assert_eq!(
            expect_call(&a, Endpoint::Continue3ds).get("mdOrder"),
            Some("w-2")
        );
        // Without a card a soft decline cannot be repeated: it ends with the status.
        let a = f.handle(answer(METHODS));
        expect_call(&a, Endpoint::OrderStatusExtended);
    }

    /// Seed 000, step 12: finish3dsVer2Payment.do only when the payment request carried threeDSVer2FinishUrl; a
    /// wallet's payment.do carries none, so its 3DS Server completes the payment on the CRes. In the page and after a
    /// full-page challenge (the resume state says it was a wallet's).
    #[test]
    fn a_wallets_3ds2_challenge_ends_with_the_status_not_a_finish() {
        let (mut f, _) = start("shop-5");
        let a = f.handle(wallet_answer(&format!(
            r#"{{"success":true,"orderId":"w-5","data":{METHODS}}}"#
        )));
        assert!(matches!(a, Action::RunMethods(_)), "{a:?}");
        f.handle(Event::MethodsFinished(CompInd::Y));
        let Action::Challenge(form) = f.handle(answer(CHALLENGE)) else {
            panic!("no challenge")
        };
        assert!(form.resume.wallet);
        let state = ResumeState::decode(&form.resume.encode()).unwrap();
        assert_eq!(state, form.resume);
        expect_call(
            &f.handle(Event::ChallengeReturned),
            Endpoint::OrderStatusExtended,
        );
        expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
        let (_, a) = CardFlow::resume(config(), state.clone());
        expect_call(&a, Endpoint::OrderStatusExtended);
        let (_, a) = CardFlow::resume_after_finish(config(), state);
        expect_call(&a, Endpoint::OrderStatusExtended);
    }

    #[test]
    fn an_answer_without_3ds_reads_the_status() {
        let (mut f, _) = start("shop-3");
        let a = f.handle(wallet_answer(
            r#"{"success":true,"data":{"orderId":"w-3"}}"#,
        ));
        assert_eq!(
            expect_call(&a, Endpoint::OrderStatusExtended).get("orderId"),
            Some("w-3")
        );
        expect_done(
            f.handle(answer(r#"{"orderStatus":1}"#)),
            OutcomeKind::Authorized,
        );
    }

    #[test]
    fn success_without_an_order_ends_without_inviting_a_second_payment() {
        let (mut f, _) = start("shop-4");
        let Action::Fail(e) = f.handle(wallet_answer(r#"{"success":true}"#)) else {
            panic!("expected the end")
        };
        assert_eq!(e.code, ErrorCode::StatusUnknown);
        assert!(!e.retryable());
        assert_eq!(e.order_id, None, "no order was named");
    }

    #[test]
    fn a_success_naming_no_valid_order_ends_without_one() {
        let (mut f, _) = start("shop-4");
        let Action::Fail(e) = f.handle(wallet_answer(
            r#"{"success":true,"data":{"orderId":"bad id"}}"#,
        )) else {
            panic!("expected the end")
        };
        assert_eq!(e.code, ErrorCode::StatusUnknown);
        assert_eq!(e.order_id, None);
    }

    #[test]
    fn a_success_without_data_reads_the_named_orders_status() {
        let (mut f, _) = start("shop-6");
        let a = f.handle(wallet_answer(r#"{"success":true,"orderId":"w-6"}"#));
        assert_eq!(
            expect_call(&a, Endpoint::OrderStatusExtended).get("orderId"),
            Some("w-6")
        );
        expect_done(f.handle(answer(r#"{"orderStatus":2}"#)), OutcomeKind::Paid);
    }

    /// An abort while the window waits for its next read: the read goes again after its whole wait (the window
    /// counts the waits, so a read sent at once would end it early).
    #[test]
    fn an_abort_in_the_window_never_shortens_it() {
        let (mut f, _) = start("shop-44");
        f.handle(Event::TransportFailed(TransportFailure::Timeout));
        expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
        expect_status_read(&f.handle(Event::Aborted), 1000);
    }

    /// The window ends with the order still unknown to the gateway: status_unknown, and no orderId (the
    /// merchant's orderNumber is not one).
    #[test]
    fn an_order_never_named_is_reported_without_an_order_id() {
        let (mut f, _) = start("shop-45");
        let mut a = f.handle(Event::TransportFailed(TransportFailure::Network));
        for _ in 0..100 {
            if !matches!(a, Action::Call { .. }) {
                break;
            }
            a = f.handle(answer(
                r#"{"errorCode":"6","errorMessage":"No such order"}"#,
            ));
        }
        let e = expect_fail(a, ErrorCode::StatusUnknown);
        assert_eq!(e.order_id, None);
        assert_eq!(f.order_id(), "");
    }

    #[test]
    fn a_decline_ends_with_the_orders_status_from_the_answer() {
        let (mut f, _) = start("shop-5");
        let o = expect_done(
            f.handle(wallet_answer(
                r#"{"success":false,"error":{"code":1,"message":"Insufficient funds"},"orderStatus":{"orderStatus":6,"attributes":[{"name":"mdOrder","value":"w-5"}]}}"#,
            )),
            OutcomeKind::Declined,
        );
        assert_eq!(o.order_id, "w-5");
    }

    #[test]
    fn a_lost_answer_reads_the_status_by_order_number_over_the_window() {
        let (mut f, _) = start("shop-42");
        let a = f.handle(Event::TransportFailed(TransportFailure::Timeout));
        let p = expect_call(&a, Endpoint::OrderStatusExtended);
        assert_eq!(p.get("orderNumber"), Some("shop-42"));
        // The gateway has not created the order yet: keep reading.
        expect_status_read(
            &f.handle(answer(
                r#"{"errorCode":"6","errorMessage":"No such order"}"#,
            )),
            1000,
        );
        // It lands: paid, named by the gateway's orderId.
        let o = expect_done(
            f.handle(answer(
                r#"{"orderStatus":2,"attributes":[{"name":"mdOrder","value":"gw-order-1"}]}"#,
            )),
            OutcomeKind::Paid,
        );
        assert_eq!(o.order_id, "gw-order-1");
    }

    #[test]
    fn an_abort_while_the_request_is_out_reads_the_status_by_order_number() {
        let (mut f, _) = start("shop-43");
        let a = f.handle(Event::Aborted);
        assert_eq!(
            expect_call(&a, Endpoint::OrderStatusExtended).get("orderNumber"),
            Some("shop-43")
        );
    }

    #[test]
    fn a_refusal_reads_the_status_first() {
        let refused =
            r#"{"success":false,"error":{"code":10,"message":"orderNumber already used"}}"#;
        // The orderNumber was already used because the earlier attempt paid: paid.
        let (mut f, _) = start("shop-7");
        let a = f.handle(wallet_answer(refused));
        assert_eq!(
            expect_call(&a, Endpoint::OrderStatusExtended).get("orderNumber"),
            Some("shop-7")
        );
        expect_done(
            f.handle(answer(
                r#"{"orderStatus":2,"attributes":[{"name":"mdOrder","value":"gw-7"}]}"#,
            )),
            OutcomeKind::Paid,
        );
        // The gateway knows no such order: the refusal stands.
        let (mut f, _) = start("shop-8");
        f.handle(wallet_answer(refused));
        expect_fail(
            f.handle(answer(
                r#"{"errorCode":"6","errorMessage":"No such order"}"#,
            )),
            ErrorCode::WalletError,
        );
    }

    /// Review: a wallet order has no finish URL: the 3DS Server completes it when the ACS's CRes arrives, so a
    /// challenge cut short may still be paid.
    #[test]
    fn a_wallet_challenge_cut_short_is_in_doubt() {
        let (mut f, _) = start("shop-10");
        let a = f.handle(wallet_answer(&format!(
            r#"{{"success":true,"orderId":"w-10","data":{CHALLENGE}}}"#
        )));
        assert!(matches!(a, Action::Challenge(_)), "{a:?}");
        expect_status_read(&f.handle(Event::ChallengeTimedOut), 0);
        expect_status_read(&f.handle(answer(r#"{"orderStatus":0}"#)), 1000);
    }

    #[test]
    fn a_payment_do_never_sent_ends_at_once() {
        let (mut f, _) = start("shop-11");
        let e = expect_fail(f.handle(Event::NotSent), ErrorCode::Aborted);
        assert_eq!(e.order_id, None);
    }

    #[test]
    fn access_denied_is_final() {
        let (mut f, _) = start("shop-9");
        let Action::Fail(e) = f.handle(wallet_answer(
            r#"{"success":false,"error":{"code":5,"message":"Access denied"}}"#,
        )) else {
            panic!("expected the end")
        };
        assert_eq!(e.code, ErrorCode::AccessDenied);
    }
}
