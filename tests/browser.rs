//! Browser tests: run in headless Chromium by `wasm-pack test --headless --chrome -- --test browser`
//! against the sandbox scripts/test.sh starts. The DOM parts: method iframes whose POSTs reach the
//! sandbox, window sizes per container, cleanup, URL checks before any DOM work, and payCard end to end
//! for the cards that need no typing (the challenge cards are driven by Playwright in tests/e2e/).

mod support;

use gateway_checkout::api::primitives::{
    collect_browser_info, pick_challenge_window_size, run_challenge, run_three_ds_method,
};
use gateway_checkout::web::challenge::fitting_size;
use gateway_checkout::Checkout;
use serde_json::json;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The body's markup, to prove the module leaves the document as it found it.
fn body_html() -> String {
    document().body().unwrap().inner_html()
}

fn container(width: u32, height: u32) -> HtmlElement {
    let el: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    el.set_attribute("style", &format!("width:{width}px;height:{height}px"))
        .unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

fn checkout(container: Option<&HtmlElement>, extra: serde_json::Value) -> Checkout {
    checkout_with(container, extra, |_| {})
}

/// A Checkout against the sandbox; `extra` overrides option fields, `finish` adds JS-only values.
fn checkout_with(
    container: Option<&HtmlElement>,
    extra: serde_json::Value,
    finish: impl FnOnce(&JsValue),
) -> Checkout {
    let mut o = json!({ "gatewayUrl": format!("{}/payment", sandbox()), "token": token(), "sandbox": true, "language": "en" });
    if let (Some(obj), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        obj.extend(extra.clone());
    }
    let options = js(&o);
    if let Some(c) = container {
        set(&options, "container", c);
    }
    finish(&options);
    Checkout::new(options.unchecked_into())
        .unwrap_or_else(|e| panic!("options refused: {:?}", get_str(&e, "code")))
}

fn card(order_id: &str, pan: &str) -> JsValue {
    js(
        &json!({ "orderId": order_id, "pan": pan, "expiry": "12/30", "cvc": "123", "cardholder": "TEST CARDHOLDER" }),
    )
}

async fn pay(c: &Checkout, request: JsValue) -> Result<JsValue, JsValue> {
    settle(c.pay_card(request.unchecked_into())).await
}

#[wasm_bindgen_test]
fn window_size_follows_the_container() {
    for ((w, h), code) in [
        ((1000, 700), "03"),
        ((620, 450), "04"),
        ((420, 420), "02"),
        ((300, 450), "01"),
        ((240, 600), "05"),
        ((360, 380), "05"),
    ] {
        let c = container(w, h);
        assert_eq!(fitting_size(&c).code(), code, "container {w}x{h}");
        c.remove();
    }
    let picked: JsValue = pick_challenge_window_size(500.0, 600.0).into();
    assert_eq!(get_str(&picked, "code").as_deref(), Some("03"));
    assert_eq!(get(&picked, "width").as_f64(), Some(500.0));
}

#[wasm_bindgen_test]
fn browser_info_is_emvco_valid() {
    let info: JsValue = collect_browser_info(None).unwrap().into();
    let emvco = get(&info, "emvco");
    let depth: i32 = get_str(&emvco, "browserColorDepth")
        .unwrap()
        .parse()
        .unwrap();
    assert!([1, 4, 8, 15, 16, 24, 32, 48].contains(&depth));
    assert_eq!(
        get(&emvco, "browserJavascriptEnabled").as_bool(),
        Some(true)
    );
    assert_eq!(get(&emvco, "browserJavaEnabled").as_bool(), Some(false));
    let tz = js_sys::Date::new_0().get_timezone_offset() as i32;
    assert_eq!(get_str(&emvco, "browserTZ"), Some(tz.to_string()));
    // The browser's own user agent, whichever browser runs the tests.
    let navigator = get(&js_sys::global(), "navigator");
    assert_eq!(
        get_str(&emvco, "browserUserAgent"),
        get_str(&navigator, "userAgent")
    );
    let assist = get(&info, "assist");
    assert!(get_str(&assist, "CLIENT_SCREEN_RES").unwrap().contains('x'));
    assert_eq!(
        get(&get(&info, "gateway"), "javascriptEnabled").as_bool(),
        Some(true)
    );
}

#[wasm_bindgen_test]
async fn unsafe_urls_are_refused_before_any_dom_work() {
    let c = container(600, 600);
    let before = body_html();
    for url in [
        "javascript:alert(1)",
        "data:text/html,x",
        "https://user:pw@acs.example/x",
        "http://acs.example/x",
    ] {
        let req =
            js(&json!({ "acsUrl": url, "creq": "e30", "returnUrl": "https://shop.example/r" }));
        set(&req, "container", &c);
        let err = settle(run_challenge(req.unchecked_into()))
            .await
            .expect_err("refused");
        assert_eq!(
            get_str(&err, "code").as_deref(),
            Some("unsafe_url"),
            "{url}"
        );
        let err = settle(run_three_ds_method(
            js(&json!({ "url": url })).unchecked_into(),
        ))
        .await
        .expect_err("refused");
        assert_eq!(
            get_str(&err, "code").as_deref(),
            Some("unsafe_url"),
            "{url}"
        );
    }
    assert_eq!(body_html(), before, "nothing was added to the page");
    c.remove();
}

#[wasm_bindgen_test]
async fn method_post_reaches_the_3ds_server_and_the_frame_goes_away() {
    let before = body_html();
    let trans = format!("bt-{}", (js_sys::Math::random() * 1e9) as u64);
    let url = format!(
        "{}/3dsserver/api/v1/client/gather?threeDSServerTransID={trans}",
        sandbox()
    );
    let r = settle(run_three_ds_method(
        js(&json!({ "url": url, "sandbox": true })).unchecked_into(),
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&r, "compInd").as_deref(), Some("Y"));
    assert!(get(&r, "ms").as_f64().unwrap() < 10_000.0);
    assert_eq!(body_html(), before, "the hidden iframe is removed");
    let log = get_json("/sandbox/requests?path=/3dsserver/api/v1/client/gather").await;
    assert!(
        log.to_string().contains(&trans),
        "the gather POST arrived: {log}"
    );
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["method"] == "POST" && r.to_string().contains(&trans)));
}

#[wasm_bindgen_test]
async fn method_that_never_loads_reports_n_at_the_ceiling() {
    post_json("/sandbox/faults", &json!({ "path": "/3dsserver/api/v1/client/gather", "fault": { "delayMs": 5000 }, "times": 1 })).await;
    let url = format!(
        "{}/3dsserver/api/v1/client/gather?threeDSServerTransID=slow",
        sandbox()
    );
    let r = settle(run_three_ds_method(
        js(&json!({ "url": url, "sandbox": true, "timeoutMs": 400 })).unchecked_into(),
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&r, "compInd").as_deref(), Some("N"));
    let ms = get(&r, "ms").as_f64().unwrap();
    assert!(
        (350.0..4000.0).contains(&ms),
        "stopped at the ceiling, not at the load: {ms}"
    );
}

#[wasm_bindgen_test]
async fn no_3ds_card_is_paid_and_the_page_is_left_as_it_was() {
    let c = container(800, 700);
    let before = body_html();
    let order = create_order(2000, false).await;
    let steps = js_sys::Array::new();
    let on_step = {
        let steps = steps.clone();
        wasm_bindgen::closure::Closure::<dyn Fn(JsValue)>::new(move |s: JsValue| {
            steps.push(&s);
        })
        .into_js_value()
    };
    let checkout = checkout_with(Some(&c), json!({}), |options| {
        set(options, "onStep", &on_step)
    });
    let outcome = pay(&checkout, card(&order, "4444 5555 1111 3333"))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(2.0));
    assert_eq!(
        get_str(&outcome, "maskedPan").as_deref(),
        Some("444455**3333")
    );
    assert_eq!(body_html(), before);
    let steps: Vec<String> = steps.iter().filter_map(|s| s.as_string()).collect();
    assert_eq!(steps, ["paying", "checking_status"]);
    assert_eq!(order_status(&order).await["orderStatus"], 2);
    assert_eq!(
        requests_to(&order, "paymentorder.do").await,
        1,
        "one payment request"
    );
    c.remove();
}

#[wasm_bindgen_test]
async fn frictionless_card_runs_both_methods_and_records_browser_info() {
    let c = container(800, 700);
    let before = body_html();
    let order = create_order(1500, false).await;
    let outcome = pay(
        &checkout(Some(&c), json!({})),
        card(&order, "4000001111111118"),
    )
    .await
    .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(body_html(), before);
    let log = get_json(&format!("/sandbox/orders/{order}/requests")).await;
    let text = log.to_string();
    assert!(
        text.contains("/3dsserver/api/v1/client/gather"),
        "3DS Server method arrived: {text}"
    );
    assert!(text.contains("/acs/method"), "ACS method arrived: {text}");
    assert!(text.contains("clientBrowserInfo"), "browser info recorded");
    assert!(
        !text.contains("4000001111111118"),
        "the request log never holds the full PAN"
    );
    let cont = logged_request(&log, "continue.do");
    assert_eq!(cont["params"]["threeDSMethodCompInd"], "Y", "{cont}");
    c.remove();
}

#[wasm_bindgen_test]
async fn two_stage_order_is_authorized() {
    let order = create_order(3000, true).await;
    let outcome = pay(
        &checkout(None, json!({ "challengeMode": "redirect" })),
        card(&order, "4444555511113333"),
    )
    .await
    .expect("held");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("authorized"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn insufficient_funds_is_declined_with_the_reason() {
    let order = create_order(2500, false).await;
    let outcome = pay(&checkout(None, json!({})), card(&order, "4000005555555557"))
        .await
        .expect("an outcome");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("declined"));
    assert_eq!(get(&outcome, "actionCode").as_f64(), Some(116.0));
    assert!(get_str(&outcome, "reason").is_some());
    assert_eq!(order_status(&order).await["orderStatus"], 6);
}

#[wasm_bindgen_test]
async fn decoupled_card_is_pending() {
    let c = container(800, 700);
    let order = create_order(1200, false).await;
    let outcome = pay(
        &checkout(Some(&c), json!({})),
        card(&order, "4000004444444446"),
    )
    .await
    .expect("an outcome");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("pending"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(5.0));
    c.remove();
}

#[wasm_bindgen_test]
async fn acs_method_that_never_completes_reports_n_and_still_pays() {
    let c = container(800, 700);
    let before = body_html();
    let order = create_order(1300, false).await;
    let co = checkout(Some(&c), json!({ "timeouts": { "methodMs": 1500 } }));
    let outcome = pay(&co, card(&order, "4000007777777779"))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    let log = get_json(&format!("/sandbox/orders/{order}/requests")).await;
    let cont = logged_request(&log, "continue.do");
    assert_eq!(cont["params"]["threeDSMethodCompInd"], "N", "{cont}");
    assert_eq!(body_html(), before);
    c.remove();
}

#[wasm_bindgen_test]
async fn second_pay_card_is_refused_without_a_request() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    let first = co.pay_card(card(&order, "4444555511113333").unchecked_into());
    let second = settle(co.pay_card(card(&order, "4444555511113333").unchecked_into()))
        .await
        .expect_err("refused");
    assert_eq!(get_str(&second, "code").as_deref(), Some("busy"));
    assert_eq!(get_str(&second, "name").as_deref(), Some("CheckoutError"));
    let first = settle(first).await.expect("the first one completes");
    assert_eq!(get_str(&first, "status").as_deref(), Some("paid"));
    assert_eq!(
        requests_to(&order, "paymentorder.do").await,
        1,
        "one payment request"
    );
}

#[wasm_bindgen_test]
async fn bad_card_input_is_refused_before_any_request() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    for (pan, expiry, cvc, code) in [
        ("4444555511113334", "12/30", "123", "invalid_card_number"),
        ("4444555511113333", "13/30", "123", "invalid_expiry"),
        ("4444555511113333", "12/30", "1x3", "invalid_cvc"),
    ] {
        let req = js(
            &json!({ "orderId": order, "pan": pan, "expiry": expiry, "cvc": cvc, "cardholder": "A B" }),
        );
        let err = pay(&co, req).await.expect_err("refused");
        assert_eq!(get_str(&err, "code").as_deref(), Some(code));
        let message = get_str(&err, "message").unwrap();
        assert!(
            !message.contains(pan) && !message.contains(cvc),
            "no card data in errors"
        );
    }
    assert_eq!(
        requests_to(&order, "paymentorder.do").await,
        0,
        "no payment request"
    );
}

/// "Don't save my card" given as text (a form field's value, `saveCard: 'false'`) is refused: read as absent, the
/// gateway would save the card against the shopper's choice.
#[wasm_bindgen_test]
async fn a_save_card_choice_given_as_text_is_refused() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    let req = card(&order, "4444 5555 1111 3333");
    set(&req, "saveCard", &"false".into());
    let err = pay(&co, req).await.expect_err("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("invalid_option"));
    assert_eq!(get_str(&err, "detail").as_deref(), Some("saveCard"));
    assert_eq!(requests_to(&order, "paymentorder.do").await, 0);
}

#[wasm_bindgen_test]
async fn abort_signal_cancels_cleanly() {
    let c = container(800, 700);
    let before = body_html();
    let order = create_order(1000, false).await;
    // Slow the payment request down so the abort lands while it is in flight.
    post_json("/sandbox/faults", &json!({ "path": "/payment/rest/paymentorder.do", "orderId": order, "fault": { "delayMs": 3000 }, "times": 1 })).await;
    let controller = web_sys::AbortController::new().unwrap();
    let req = card(&order, "4444555511113333");
    set(&req, "signal", &controller.signal());
    let co = checkout(Some(&c), json!({ "timeouts": { "statusWindowMs": 1500 } }));
    let pending = co.pay_card(req.unchecked_into());
    gloo_timers_sleep(200).await;
    controller.abort();
    let err = settle(pending).await.expect_err("aborted");
    // The request had left: the status over the window decides, and it stayed unpaid.
    assert_eq!(get_str(&err, "code").as_deref(), Some("status_unknown"));
    assert_eq!(get_str(&err, "detail").as_deref(), Some("aborted"));
    assert_eq!(get_str(&err, "orderId").as_deref(), Some(order.as_str()));
    assert_eq!(get(&err, "retryable").as_bool(), Some(true));
    assert!(!co.busy());
    assert_eq!(body_html(), before);
    // The payment request had left: the module asked the gateway before reporting the abort, and the
    // order is indeed unpaid.
    assert!(requests_to(&order, "getOrderStatusExtended.do").await >= 3);
    assert_eq!(order_status(&order).await["orderStatus"], 0);
    c.remove();
}

#[wasm_bindgen_test]
async fn gateway_errors_come_back_typed_and_localized() {
    let co = checkout(None, json!({ "language": "ru" }));
    // An order the gateway never registered.
    let err = pay(
        &co,
        card("00000000-0000-0000-0000-000000000000", "4444555511113333"),
    )
    .await
    .expect_err("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("gateway_error"));
    assert!(get_str(&err, "gatewayCode").is_some());
    // A wrong token.
    let bad = checkout(None, json!({ "token": "wrong-token" }));
    let order = create_order(1000, false).await;
    let err = pay(&bad, card(&order, "4444555511113333"))
        .await
        .expect_err("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("access_denied"));
    assert_eq!(get(&err, "retryable").as_bool(), Some(false));
}

#[wasm_bindgen_test]
async fn server_errors_and_broken_answers_never_pay_twice() {
    for fault in [
        json!({ "http500": true }),
        json!({ "html": true }),
        json!({ "malformedJson": true }),
    ] {
        let order = create_order(1000, false).await;
        post_json("/sandbox/faults", &json!({ "path": "/payment/rest/paymentorder.do", "orderId": order, "fault": fault, "times": 1 })).await;
        let co = checkout(None, json!({ "timeouts": { "statusWindowMs": 1000 } }));
        let err = pay(&co, card(&order, "4444555511113333"))
            .await
            .expect_err("fails");
        // The request left and its answer is unusable: status_unknown once the window proved it unpaid.
        assert_eq!(
            get_str(&err, "code").as_deref(),
            Some("status_unknown"),
            "{fault}"
        );
        let detail = get_str(&err, "detail").unwrap();
        assert!(
            ["http_status", "bad_response"].contains(&detail.as_str()),
            "{fault}: {detail}"
        );
        assert_eq!(get(&err, "retryable").as_bool(), Some(true));
        assert_eq!(
            requests_to(&order, "paymentorder.do").await,
            1,
            "never resent"
        );
        assert!(
            requests_to(&order, "getOrderStatusExtended.do").await > 0,
            "asked the status instead"
        );
    }
}

/// A gateway front end that puts a UTF-8 byte order mark before its JSON (RFC 8259 lets a reader ignore it): the
/// answer is read as usual. Taken for a broken answer it would send the payment into the status window, which
/// finds the order unpaid (its 3DS never ran) and ends with status_unknown.
#[wasm_bindgen_test]
async fn an_answer_behind_a_byte_order_mark_is_read() {
    let order = create_order(1500, false).await;
    post_json("/sandbox/faults", &json!({ "path": "/payment/rest/paymentorder.do", "orderId": order, "fault": { "bomAfterProcessing": true }, "times": 1 })).await;
    let co = checkout(None, json!({ "timeouts": { "statusWindowMs": 1000 } }));
    let outcome = pay(&co, card(&order, "4000001111111118"))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(requests_to(&order, "paymentorder.do").await, 1);
    assert_eq!(
        requests_to(&order, "3ds/continue.do").await,
        1,
        "the 3DS2 answer was followed"
    );
}

/// The gateway's attempt limit (seed 003: past it, the last attempt and every later one answer a redirect to the
/// failUrl and "the gateway returns no error"): the outcome says the order takes no more attempts, so the merchant
/// registers a new order instead of letting the shopper try card after card on one that can no longer be paid.
#[wasm_bindgen_test]
async fn an_order_out_of_payment_attempts_says_so() {
    let order = create_order(1500, false).await;
    let co = checkout(None, json!({}));
    let mut flags = Vec::new();
    for pan in [
        "4000 0055 5555 5557",
        "4000 0055 5555 5557",
        "4000 0055 5555 5557",
        "4444 5555 1111 3333",
    ] {
        let outcome = pay(&co, card(&order, pan)).await.expect("an outcome");
        assert_eq!(get_str(&outcome, "status").as_deref(), Some("declined"));
        let exhausted = get(&outcome, "attemptsExhausted").as_bool();
        if exhausted.is_some() {
            assert!(
                get(&outcome, "reason").is_undefined() && get(&outcome, "maskedPan").is_undefined()
            );
        }
        flags.push(exhausted);
    }
    // The sandbox allows three failed attempts: the third uses them up (its own decline), the fourth (a good card) is
    // not tried, and its outcome carries none of the last card's details.
    assert_eq!(flags, [None, None, None, Some(true)]);
    let ledger = get_json(&format!("/sandbox/ledger?orderId={order}")).await;
    assert_eq!(ledger.as_array().map(Vec::len), Some(0), "nothing charged");
}

/// The seeds' test cards expire 12/24 (seed 003: "Жарамдылық мерзімі 12/24"), a past month now: a Checkout for a
/// test environment (`sandbox: true`) takes them as documented, so a merchant can pay with them on the bank's test
/// gateway. (A page's Checkout without `sandbox` refuses a past expiry: core's card tests.)
#[wasm_bindgen_test]
async fn the_seeds_test_cards_pay_with_their_documented_expiry() {
    let order = create_order(1500, false).await;
    let co = checkout(None, json!({}));
    let request = card(&order, "4444 5555 1111 3333");
    set(&request, "expiry", &"12/24".into());
    let outcome = pay(&co, request).await.expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
}

/// UnionPay numbers need not pass the Luhn check (the network's rule: Braintree's card-validator and other card
/// libraries skip it for UnionPay), and the gateway takes them. Refused by the module, such a shopper could not pay
/// at all and the gateway would never see the attempt. Any other number with a wrong check digit is still refused
/// before a request.
#[wasm_bindgen_test]
async fn a_unionpay_number_without_a_luhn_check_digit_is_paid() {
    let order = create_order(1500, false).await;
    let co = checkout(None, json!({}));
    let outcome = pay(&co, card(&order, "6200 0000 0000 0006"))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(
        get_str(&outcome, "maskedPan").as_deref(),
        Some("620000**0006")
    );
    let other = create_order(1500, false).await;
    let e = pay(&co, card(&other, "4444 5555 1111 3334"))
        .await
        .expect_err("a Visa number with a wrong check digit");
    assert_eq!(get_str(&e, "code").as_deref(), Some("invalid_card_number"));
    assert_eq!(requests_to(&other, "paymentorder.do").await, 0);
}

/// Seed 003's tables type cardAuthInfo.expiration as an Integer (YYYYMM), its examples as a string: a status answer
/// with the table's type is read as well. Taken for an unreadable answer, a paid order would end status_unknown.
#[wasm_bindgen_test]
async fn a_status_answer_with_the_seeds_table_types_is_read() {
    let order = create_order(1500, false).await;
    post_json("/sandbox/faults", &json!({ "path": "/payment/rest/getOrderStatusExtended.do", "orderId": order, "fault": { "tableTypesAfterProcessing": true }, "times": 100 })).await;
    let co = checkout(None, json!({ "timeouts": { "statusWindowMs": 1000 } }));
    let outcome = pay(&co, card(&order, "4444555511113333"))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert!(get_str(&outcome, "maskedPan").is_some());
    // The status reads met the fault (its count went down): the outcome came from those answers.
    let faults = get_json("/sandbox/faults").await;
    let left = faults
        .as_array()
        .and_then(|a| a.iter().find(|f| f["orderId"] == order.as_str()))
        .map(|f| f["remaining"].as_u64().unwrap_or(0));
    assert!(left.is_some_and(|n| n < 100), "{faults}");
}

#[wasm_bindgen_test]
fn options_are_validated() {
    for (options, code) in [
        (json!({ "token": "t" }), "invalid_option"),
        (
            json!({ "gatewayUrl": "http://gateway.example/payment", "token": "t" }),
            "unsafe_url",
        ),
        (
            json!({ "gatewayUrl": "https://gateway.example/payment", "token": "" }),
            "invalid_option",
        ),
        (
            json!({ "gatewayUrl": "https://gateway.example/payment", "token": "t", "challengeMode": "iframe" }),
            "invalid_option",
        ),
        (
            json!({ "gatewayUrl": "https://gateway.example/payment", "token": "t", "container": "[[not a selector" }),
            "invalid_option",
        ),
        // A flag given as text (a form's value) is refused, never read as false.
        (
            json!({ "gatewayUrl": "https://gateway.example/payment", "token": "t", "sandbox": "true" }),
            "invalid_option",
        ),
    ] {
        let err = Checkout::new(js(&options).unchecked_into())
            .err()
            .expect("refused");
        assert_eq!(get_str(&err, "code").as_deref(), Some(code), "{options}");
    }
}

async fn gloo_timers_sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

// ---- Wallets -------------------------------------------------------------------------------------

fn apple_token(outcome: &str) -> serde_json::Value {
    json!({ "paymentData": { "version": "EC_v1", "data": format!("sandbox:{outcome}"), "signature": "sandbox", "header": { "transactionId": "sandbox" } },
            "paymentMethod": { "network": "Visa" }, "transactionIdentifier": "sandbox" })
}

fn google_data(outcome: &str) -> serde_json::Value {
    let token = json!({ "protocolVersion": "ECv2", "signature": "sandbox", "signedMessage": format!("sandbox:{outcome}") }).to_string();
    json!({ "apiVersion": 2, "paymentMethodData": { "type": "CARD", "tokenizationData": { "type": "PAYMENT_GATEWAY", "token": token } } })
}

fn order_number() -> String {
    format!("w{}", (js_sys::Math::random() * 1e12) as u64)
}

async fn wallet_requests(path: &str) -> usize {
    get_json(&format!("/sandbox/requests?path={path}"))
        .await
        .as_array()
        .map_or(0, |a| a.len())
}

#[wasm_bindgen_test]
async fn google_pay_token_pays_and_the_status_comes_from_the_gateway() {
    let co = checkout(None, json!({}));
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentData": google_data("approve"),
                          "amount": 2000, "currencyCode": "398", "returnUrl": format!("{origin}/return"), "ip": "127.0.0.1" }),
    );
    let outcome = settle(co.pay_google_pay(req.unchecked_into()))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    let order_id = get_str(&outcome, "orderId").unwrap();
    assert_eq!(order_status(&order_id).await["orderStatus"], 2);
    // The alphabetic code Google's sheet shows (googlePayPaymentDataRequest's currencyCode) is sent as the gateway's
    // numeric one: the order is charged in tenge.
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentData": google_data("approve"),
                          "amount": 2000, "currencyCode": "KZT", "returnUrl": format!("{origin}/return"), "ip": "127.0.0.1" }),
    );
    let outcome = settle(co.pay_google_pay(req.unchecked_into()))
        .await
        .expect("paid");
    let order_id = get_str(&outcome, "orderId").unwrap();
    let ledger = get_json(&format!("/sandbox/ledger?orderId={order_id}")).await;
    assert_eq!(ledger[0]["currency"], "398", "{ledger}");
}

#[wasm_bindgen_test]
async fn apple_pay_token_pays_and_holds_with_pre_auth() {
    let co = checkout(None, json!({}));
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentToken": apple_token("approve"), "preAuth": true }),
    );
    let outcome = settle(co.pay_apple_pay(req.unchecked_into()))
        .await
        .expect("held");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("authorized"));
    // The token may also be given as its paymentData alone.
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentToken": apple_token("approve")["paymentData"] }),
    );
    let outcome = settle(co.pay_apple_pay(req.unchecked_into()))
        .await
        .expect("paid");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
}

#[wasm_bindgen_test]
async fn wallet_insufficient_funds_is_a_decline_with_the_message() {
    let co = checkout(None, json!({}));
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentToken": apple_token("insufficient-funds") }),
    );
    let outcome = settle(co.pay_apple_pay(req.unchecked_into()))
        .await
        .expect("an outcome");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("declined"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(6.0));
    assert!(get_str(&outcome, "reason").is_some());
}

#[wasm_bindgen_test]
async fn wallet_errors_are_typed_and_bad_input_never_leaves_the_page() {
    let co = checkout(None, json!({ "language": "en" }));
    let before = wallet_requests("/payment/applepay/payment.do").await
        + wallet_requests("/payment/google/payment.do").await;
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let cases = [
        (
            json!({ "merchant": "test_user", "orderNumber": "x1" }),
            "apple",
            "invalid_wallet_token",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentToken": { "foo": 1 } }),
            "apple",
            "invalid_wallet_token",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentToken": "not json" }),
            "apple",
            "invalid_wallet_token",
        ),
        (
            json!({ "orderNumber": "x1", "paymentToken": apple_token("approve") }),
            "apple",
            "invalid_option",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": { "paymentMethodData": {} }, "amount": 100, "returnUrl": origin }),
            "google",
            "invalid_wallet_token",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 0, "returnUrl": origin }),
            "google",
            "invalid_amount",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 10.5, "returnUrl": origin }),
            "google",
            "invalid_amount",
        ),
        // Seed 003, google/payment.do: "ip … Иә" (required).
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 100, "returnUrl": origin }),
            "google",
            "invalid_option",
        ),
        // Seed 003, google/payment.do: without currencyCode the gateway takes 643 (roubles), whatever the shopper
        // approved in Google's sheet: the module never leaves the currency to that default. Unknown codes neither.
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 100, "returnUrl": origin, "ip": "127.0.0.1" }),
            "google",
            "invalid_option",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 100, "returnUrl": origin, "ip": "127.0.0.1", "currencyCode": "XYZ" }),
            "google",
            "invalid_option",
        ),
        (
            json!({ "merchant": "test_user", "orderNumber": "x1", "paymentData": google_data("approve"), "amount": 100, "returnUrl": origin, "ip": "127.0.0.1", "currencyCode": "3980" }),
            "google",
            "invalid_option",
        ),
    ];
    for (req, wallet, code) in cases {
        let promise = if wallet == "apple" {
            co.pay_apple_pay(js(&req).unchecked_into())
        } else {
            co.pay_google_pay(js(&req).unchecked_into())
        };
        let err = settle(promise).await.expect_err("refused");
        assert_eq!(get_str(&err, "code").as_deref(), Some(code), "{req}");
    }
    let after = wallet_requests("/payment/applepay/payment.do").await
        + wallet_requests("/payment/google/payment.do").await;
    assert_eq!(before, after, "no request left the page");

    // The gateway's own refusals: unknown merchant (5), a used orderNumber (10).
    let req = js(
        &json!({ "merchant": "someone-else", "orderNumber": order_number(), "paymentToken": apple_token("approve") }),
    );
    let err = settle(co.pay_apple_pay(req.unchecked_into()))
        .await
        .expect_err("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("access_denied"));
    let number = order_number();
    let req = json!({ "merchant": "test_user", "orderNumber": number, "paymentToken": apple_token("approve") });
    settle(co.pay_apple_pay(js(&req).unchecked_into()))
        .await
        .expect("first payment");
    // The same orderNumber again (a retry after a lost answer): the gateway refuses it (code 10) and the
    // module reads the status by orderNumber: the order is paid, and it was charged once.
    let again = settle(co.pay_apple_pay(js(&req).unchecked_into()))
        .await
        .expect("the paid order");
    assert_eq!(get_str(&again, "status").as_deref(), Some("paid"));
    let order = get_str(&again, "orderId").unwrap();
    let ledger = get_json(&format!("/sandbox/ledger?orderId={order}")).await;
    assert_eq!(ledger.as_array().map(Vec::len), Some(1), "one charge");
}

#[wasm_bindgen_test]
async fn wallet_payment_that_needs_3ds2_reaches_the_challenge() {
    let c = container(700, 700);
    let before = body_html();
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let co = checkout(
        Some(&c),
        json!({ "returnUrl": format!("{origin}/return"), "timeouts": { "statusWindowMs": 1000 } }),
    );
    let controller = web_sys::AbortController::new().unwrap();
    let req = js(
        &json!({ "merchant": "test_user", "orderNumber": order_number(), "paymentData": google_data("3ds2"),
                          "amount": 1000, "currencyCode": "398", "returnUrl": format!("{origin}/return"), "ip": "127.0.0.1" }),
    );
    set(&req, "signal", &controller.signal());
    let pending = co.pay_google_pay(req.unchecked_into());
    // Wait for the ACS challenge iframe: methods, continue.do, then the creq POST.
    let mut frame = None;
    for _ in 0..100 {
        gloo_timers_sleep(100).await;
        frame = c.query_selector("iframe[data-window-size]").unwrap();
        if frame.is_some() {
            break;
        }
    }
    let frame = frame.expect("the challenge iframe appears");
    assert_eq!(
        frame.get_attribute("data-window-size").as_deref(),
        Some("03")
    );
    assert!(co.busy());
    controller.abort();
    let err = settle(pending).await.expect_err("not paid");
    // A wallet order's 3DS Server completes it when the ACS's CRes arrives: a challenge cut short may still be
    // paid, so the status over the window decides. The shopper never answered: still in 3DS (status 5) at the
    // end, which may yet complete, so not retryable.
    assert_eq!(get_str(&err, "code").as_deref(), Some("status_unknown"));
    assert_eq!(get_str(&err, "detail").as_deref(), Some("aborted"));
    assert_eq!(get(&err, "retryable").as_bool(), Some(false));
    assert!(
        get_str(&err, "orderId").is_some(),
        "the gateway's order is named"
    );
    c.remove();
    assert_eq!(
        body_html(),
        before.replace(&c.outer_html(), ""),
        "the challenge frame is gone"
    );
}

#[wasm_bindgen_test]
fn wallet_request_builders() {
    use gateway_checkout::api::wallets::{
        apple_pay_payment_request, google_pay_payment_data_request,
    };
    let input = js(
        &json!({ "amount": 150050, "currency": "KZT", "country": "KZ", "label": "Demo", "gateway": "sandboxbank", "gatewayMerchantId": "test_user" }),
    );
    let g: JsValue = google_pay_payment_data_request(input.clone().unchecked_into())
        .unwrap()
        .into();
    let text = js_sys::JSON::stringify(&g).unwrap().as_string().unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["allowedPaymentMethods"][0]["tokenizationSpecification"]["type"],
        "PAYMENT_GATEWAY"
    );
    assert_eq!(v["transactionInfo"]["totalPrice"], "1500.50");
    let a: JsValue = apple_pay_payment_request(input.unchecked_into())
        .unwrap()
        .into();
    assert_eq!(
        get_str(&get(&a, "total"), "amount").as_deref(),
        Some("1500.50")
    );
    let bad = js(&json!({ "amount": -1, "currency": "KZT", "country": "KZ", "label": "Demo" }));
    let err = apple_pay_payment_request(bad.unchecked_into())
        .err()
        .expect("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("invalid_amount"));
}

/// The order is the idempotency key: two Checkouts on one page never pay one order at once.
#[wasm_bindgen_test]
async fn a_second_checkout_paying_the_same_order_is_refused() {
    let order = create_order(1000, false).await;
    let (a, b) = (checkout(None, json!({})), checkout(None, json!({})));
    let first = a.pay_card(card(&order, "4444555511113333").unchecked_into());
    let second = settle(b.pay_card(card(&order, "4444555511113333").unchecked_into()))
        .await
        .expect_err("refused");
    assert_eq!(get_str(&second, "code").as_deref(), Some("busy"));
    assert_eq!(get_str(&second, "orderId").as_deref(), Some(order.as_str()));
    let first = settle(first).await.expect("the first one completes");
    assert_eq!(get_str(&first, "status").as_deref(), Some("paid"));
    assert_eq!(requests_to(&order, "paymentorder.do").await, 1);
    // Once it ended, the order is free again: a retry reads the paid status (the gateway refuses it).
    let again = pay(&b, card(&order, "4444555511113333"))
        .await
        .expect("paid");
    assert_eq!(get_str(&again, "status").as_deref(), Some("paid"));
    assert!(!a.busy() && !b.busy());
}

#[wasm_bindgen_test]
async fn a_signal_that_is_not_an_abort_signal_is_refused() {
    let order = create_order(1000, false).await;
    let req = card(&order, "4444555511113333");
    set(&req, "signal", &JsValue::from_str("please cancel"));
    let err = pay(&checkout(None, json!({})), req)
        .await
        .expect_err("refused");
    assert_eq!(get_str(&err, "code").as_deref(), Some("invalid_option"));
    assert_eq!(get_str(&err, "detail").as_deref(), Some("signal"));
    assert_eq!(requests_to(&order, "paymentorder.do").await, 0);
}

/// A container a framework removed before the challenge: a fast `dom` error, never a new tab.
#[wasm_bindgen_test]
async fn a_detached_container_ends_the_payment_with_dom() {
    let c = container(600, 500);
    c.set_id("gc-later-removed");
    let co = checkout(
        None,
        json!({ "container": "#gc-later-removed", "timeouts": { "statusWindowMs": 500 } }),
    );
    c.remove();
    let order = create_order(1000, false).await;
    let started = js_sys::Date::now();
    let err = pay(&co, card(&order, "5555555555555599"))
        .await
        .expect_err("dom");
    assert_eq!(get_str(&err, "code").as_deref(), Some("dom"));
    assert_eq!(get_str(&err, "orderId").as_deref(), Some(order.as_str()));
    // Methods (well under a second against the sandbox) and continue.do, then at once the error.
    assert!(js_sys::Date::now() - started < 9_000.0);
    assert!(!co.busy());
    let st = order_status(&order).await["orderStatus"].as_i64();
    assert!(matches!(st, Some(0 | 5)), "nothing charged: {st:?}");
}

/// A container given as a selector that appears only later is found when the challenge starts.
#[wasm_bindgen_test]
async fn a_container_that_appears_later_receives_the_challenge() {
    let co = checkout(None, json!({ "container": "#gc-appears-later" }));
    let order = create_order(1000, false).await;
    let controller = web_sys::AbortController::new().unwrap();
    let req = card(&order, "5555555555555599");
    set(&req, "signal", &controller.signal());
    let pending = co.pay_card(req.unchecked_into());
    let c = container(500, 700);
    c.set_id("gc-appears-later");
    let mut shown = false;
    for _ in 0..100 {
        gloo_timers_sleep(100).await;
        if c.query_selector("iframe").unwrap().is_some() {
            shown = true;
            break;
        }
    }
    assert!(shown, "the challenge frame is in the container");
    let frame = c.query_selector("iframe").unwrap().unwrap();
    assert_eq!(
        frame.get_attribute("data-window-size").as_deref(),
        Some("03")
    );
    assert!(
        frame
            .get_attribute("style")
            .is_some_and(|s| s.contains("500px")),
        "CSSOM sizing"
    );
    controller.abort();
    let err = settle(pending).await.expect_err("aborted");
    assert_eq!(get_str(&err, "code").as_deref(), Some("aborted"));
    c.remove();
}

/// A container inside a shadow root (a page built of web components: Lit, Angular elements, Salesforce LWC): the
/// challenge frame goes there and the ACS page is posted into it. `document.getElementsByName` does not see into
/// shadow roots, so a lookup of the frame by name there would refuse the post.
#[wasm_bindgen_test]
async fn a_container_in_a_shadow_root_receives_the_challenge() {
    let host = container(500, 700);
    let call = |target: &JsValue, method: &str, arg: &JsValue| {
        js_sys::Reflect::get(target, &method.into())
            .unwrap()
            .unchecked_into::<js_sys::Function>()
            .call1(target, arg)
            .unwrap()
    };
    let shadow = call(&host, "attachShadow", &js(&json!({ "mode": "closed" })));
    let c: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    c.set_attribute("style", "width:500px;height:700px")
        .unwrap();
    call(&shadow, "appendChild", &c);
    let co = checkout(Some(&c), json!({}));
    let order = create_order(1000, false).await;
    let controller = web_sys::AbortController::new().unwrap();
    let req = card(&order, "5555555555555599");
    set(&req, "signal", &controller.signal());
    let pending = co.pay_card(req.unchecked_into());
    let mut frame = None;
    for _ in 0..100 {
        gloo_timers_sleep(100).await;
        frame = c.query_selector("iframe").unwrap();
        if frame.is_some() {
            break;
        }
    }
    let frame = frame.expect("the challenge frame is in the shadow root's container");
    // The ACS page loaded in it: the creq was posted into the frame (the sandbox logged the ACS request).
    let mut posted = false;
    for _ in 0..50 {
        if requests_to(&order, "/acs/challenge").await > 0 {
            posted = true;
            break;
        }
        gloo_timers_sleep(100).await;
    }
    assert!(posted, "the creq reached the ACS");
    assert!(frame.is_connected());
    controller.abort();
    let err = settle(pending).await.expect_err("aborted");
    assert_eq!(get_str(&err, "code").as_deref(), Some("aborted"));
    host.remove();
}

/// Without a `language` option the shopper gets the page's language (its `<html lang>`), not English: a merchant's
/// Russian page that forgot the option shows Russian messages, and the gateway answers in Russian too.
#[wasm_bindgen_test]
async fn without_a_language_option_the_page_language_is_used() {
    let root = document().document_element().unwrap();
    let before = root.get_attribute("lang");
    root.set_attribute("lang", "ru-RU").unwrap();
    let options = js(
        &json!({ "gatewayUrl": format!("{}/payment", sandbox()), "token": token(), "sandbox": true }),
    );
    let co = Checkout::new(options.unchecked_into()).expect("options");
    let result = pay(&co, card("o", "4444 5555 1111 3334")).await;
    // The page's language back before anything can fail, so no later test inherits it.
    match before {
        Some(l) => root.set_attribute("lang", &l).unwrap(),
        None => root.remove_attribute("lang").unwrap(),
    }
    let err = result.expect_err("refused");
    assert_eq!(
        get_str(&err, "code").as_deref(),
        Some("invalid_card_number")
    );
    assert_eq!(
        get_str(&err, "message").as_deref(),
        Some("Проверьте номер карты.")
    );
}

/// resume() without this tab's storage: the order named in options; then the status decides.
#[wasm_bindgen_test]
async fn resume_without_storage_reads_the_named_order() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    pay(&co, card(&order, "4444555511113333"))
        .await
        .expect("paid");
    let resumed = settle(co.resume(Some(js(&json!({ "orderId": order })).unchecked_into())))
        .await
        .expect("the status decides");
    assert_eq!(get_str(&resumed, "status").as_deref(), Some("paid"));
    let bad = settle(co.resume(Some(
        js(&json!({ "orderId": "not an id" })).unchecked_into(),
    )))
    .await
    .expect_err("refused");
    assert_eq!(get_str(&bad, "code").as_deref(), Some("invalid_order_id"));
    let none = settle(co.resume(None)).await.expect_err("nothing named");
    assert_eq!(get_str(&none, "code").as_deref(), Some("nothing_to_resume"));
}

/// Web Storage through its JS methods (the tests need no web-sys Storage feature): `which` is "sessionStorage" or
/// "localStorage".
fn storage_call(which: &str, method: &str, args: &[&str]) -> JsValue {
    let store = js_sys::Reflect::get(&web_sys::window().unwrap(), &which.into()).unwrap();
    let f: js_sys::Function = js_sys::Reflect::get(&store, &method.into())
        .unwrap()
        .unchecked_into();
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    f.apply(&store, &args).unwrap()
}

const RESUME_KEY: &str = "gateway-checkout:resume";

/// resume() refused because the order is being paid (busy) keeps this tab's saved state: the payment is
/// resumed once the order is free, and the state is used once.
#[wasm_bindgen_test]
async fn a_busy_resume_keeps_the_saved_state() {
    let order = create_order(1000, false).await;
    let (a, b) = (checkout(None, json!({})), checkout(None, json!({})));
    let saved = format!("gc1|1|{order}|");
    storage_call("sessionStorage", "setItem", &[RESUME_KEY, &saved]);
    let first = a.pay_card(card(&order, "4444555511113333").unchecked_into());
    let refused = b.resume(None);
    assert_eq!(
        storage_call("sessionStorage", "getItem", &[RESUME_KEY]).as_string(),
        Some(saved),
        "the saved state is still there"
    );
    let err = settle(refused).await.expect_err("busy");
    assert_eq!(get_str(&err, "code").as_deref(), Some("busy"));
    assert_eq!(get_str(&err, "orderId").as_deref(), Some(order.as_str()));
    let first = settle(first).await.expect("paid");
    assert_eq!(get_str(&first, "status").as_deref(), Some("paid"));
    let resumed = settle(b.resume(None)).await.expect("resumed");
    assert_eq!(get_str(&resumed, "status").as_deref(), Some("paid"));
    assert_eq!(
        get_str(&resumed, "orderId").as_deref(),
        Some(order.as_str())
    );
    assert!(
        storage_call("sessionStorage", "getItem", &[RESUME_KEY]).is_null(),
        "used once"
    );
}

/// The same when another tab holds the order (its Web Lock): back from the bank's page, a resume() refused as busy
/// leaves the saved state and the order's at-bank mark where they were, for the resume() that gets the order.
#[wasm_bindgen_test]
async fn a_resume_refused_by_another_tabs_lock_keeps_the_state_and_the_mark() {
    let order = create_order(1000, false).await;
    let saved = format!("gc1|1|{order}|");
    let mark = format!("gateway-checkout:at-bank:{order}");
    let until = (js_sys::Date::now() as u64 + 60_000).to_string();
    storage_call("sessionStorage", "setItem", &[RESUME_KEY, &saved]);
    storage_call("localStorage", "setItem", &[&mark, &until]);
    // Another tab paying the order: its Web Lock, held until released.
    let hold = js_sys::Function::new_with_args(
        "name",
        "return new Promise((held) => navigator.locks.request(name, () => new Promise((release) => held(release))))",
    );
    let release: js_sys::Function = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        hold.call1(&JsValue::NULL, &format!("gateway-checkout:{order}").into())
            .unwrap(),
    ))
    .await
    .unwrap()
    .unchecked_into();
    let co = checkout(None, json!({}));
    let err = settle(co.resume(None)).await.expect_err("busy");
    assert_eq!(get_str(&err, "code").as_deref(), Some("busy"));
    assert_eq!(
        storage_call("sessionStorage", "getItem", &[RESUME_KEY]).as_string(),
        Some(saved),
        "the saved state is still there"
    );
    assert_eq!(
        storage_call("localStorage", "getItem", &[&mark]).as_string(),
        Some(until),
        "the order is still at the bank's page for the other tabs"
    );
    // The other tab done (its lock freed asynchronously: waited for, as Firefox frees it a task later): this one
    // settles the order.
    release.call0(&JsValue::NULL).unwrap();
    let freed =
        js_sys::Function::new_with_args("name", "return navigator.locks.request(name, () => {})");
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(
        freed
            .call1(&JsValue::NULL, &format!("gateway-checkout:{order}").into())
            .unwrap(),
    ))
    .await
    .unwrap();
    let resumed = settle(co.resume(None)).await.expect("resumed");
    assert_eq!(
        get_str(&resumed, "orderId").as_deref(),
        Some(order.as_str())
    );
    assert!(storage_call("sessionStorage", "getItem", &[RESUME_KEY]).is_null());
    assert!(storage_call("localStorage", "getItem", &[&mark]).is_null());
}

/// finish3dsVer2Payment.do leaves once per order in this browser: a second resume() naming the same 3DS2
/// transaction (a reloaded return page) reads the status only. A record older than its hour counts for nothing.
#[wasm_bindgen_test]
async fn a_second_resume_never_sends_finish_again() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    pay(&co, card(&order, "4444555511113333"))
        .await
        .expect("paid");
    // The sandbox cannot tie an unknown transaction to the order: count the finishes that name it.
    let trans = format!("t-{order}");
    let marker = format!("gateway-checkout:finished:{order}:{trans}");
    // A stale record (epoch + 1 s) of this transaction, and one of another order, both to be pruned.
    let stale_other = "gateway-checkout:finished:stale-order:t-1";
    storage_call("localStorage", "setItem", &[&marker, "1000"]);
    storage_call("localStorage", "setItem", &[stale_other, "1000"]);
    let named = || js(&json!({ "orderId": order, "threeDSServerTransId": trans })).unchecked_into();
    let finishes = || async {
        let log = get_json("/sandbox/requests?path=/payment/rest/finish3dsVer2Payment.do").await;
        log.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["params"]["threeDSServerTransId"].as_str() == Some(trans.as_str()))
            .count()
    };
    let first = settle(co.resume(Some(named()))).await.expect("paid");
    assert_eq!(get_str(&first, "status").as_deref(), Some("paid"));
    assert_eq!(finishes().await, 1);
    let again = settle(co.resume(Some(named()))).await.expect("paid");
    assert_eq!(get_str(&again, "status").as_deref(), Some("paid"));
    assert_eq!(finishes().await, 1, "never sent again");
    let record = storage_call("localStorage", "getItem", &[&marker])
        .as_string()
        .expect("recorded before finish left");
    assert!(
        record != "1000" && !record.is_empty() && record.bytes().all(|b| b.is_ascii_digit()),
        "a timestamp only: {record}"
    );
    assert!(
        storage_call("localStorage", "getItem", &[stale_other]).is_null(),
        "pruned"
    );
    assert!(!co.busy());
}

/// A later 3DS2 attempt of the same order (the first declined at the bank's page, the shopper paid the order again
/// with another card, as the README advises) is finished too: the record of a finish names its transaction, and
/// only a resume() naming that same transaction is kept from sending it again.
#[wasm_bindgen_test]
async fn a_later_attempt_of_the_same_order_is_finished_too() {
    let order = create_order(1000, false).await;
    let co = checkout(None, json!({}));
    pay(&co, card(&order, "4444555511113333"))
        .await
        .expect("paid");
    let named =
        |t: &str| js(&json!({ "orderId": order, "threeDSServerTransId": t })).unchecked_into();
    let finishes = |t: String| async move {
        let log = get_json("/sandbox/requests?path=/payment/rest/finish3dsVer2Payment.do").await;
        log.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["params"]["threeDSServerTransId"].as_str() == Some(t.as_str()))
            .count()
    };
    let (first, second) = (format!("t1-{order}"), format!("t2-{order}"));
    settle(co.resume(Some(named(&first)))).await.expect("paid");
    assert_eq!(finishes(first.clone()).await, 1);
    settle(co.resume(Some(named(&second)))).await.expect("paid");
    assert_eq!(
        finishes(second.clone()).await,
        1,
        "the second attempt's finish left"
    );
    settle(co.resume(Some(named(&second)))).await.expect("paid");
    assert_eq!(finishes(second).await, 1, "and never twice");
    assert_eq!(finishes(first).await, 1);
}

/// Hostile answers: many MB, or nested 100 000 deep. A typed error within requestMs + the window, and the
/// Checkout is free again.
#[wasm_bindgen_test]
async fn huge_and_deeply_nested_answers_are_typed_errors() {
    for fault in [
        json!({ "hugeAnswer": 8_000_000 }),
        json!({ "nestedAnswer": 100_000 }),
    ] {
        let order = create_order(1000, false).await;
        post_json("/sandbox/faults", &json!({ "path": "/payment/rest/paymentorder.do", "orderId": order, "fault": fault, "times": 1 })).await;
        let co = checkout(
            None,
            json!({ "timeouts": { "requestMs": 5000, "statusWindowMs": 500 } }),
        );
        let started = js_sys::Date::now();
        let err = pay(&co, card(&order, "4444555511113333"))
            .await
            .expect_err("typed error");
        assert_eq!(
            get_str(&err, "code").as_deref(),
            Some("status_unknown"),
            "{fault}"
        );
        assert_eq!(
            get_str(&err, "detail").as_deref(),
            Some("bad_response"),
            "{fault}"
        );
        assert!(
            js_sys::Date::now() - started < 8_000.0,
            "{fault}: within requestMs + the window"
        );
        assert!(!co.busy(), "{fault}: busy is false after it");
    }
}

async fn order_for_client(client: &str) -> String {
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let v = post_json(
        "/shop/orders",
        &json!({ "amount": 1000, "currency": "398", "returnUrl": format!("{origin}/return"), "clientId": client }),
    )
    .await;
    v["orderId"].as_str().expect("orderId").to_owned()
}

/// Seeds 003 and 004: an order registered with features=VERIFY (amount 0) checks the card and takes nothing; "after
/// successful registration the order goes straight to REVERSED", and with a clientId the card is saved, so the next
/// order is paid with the saved card. The outcome is the gateway's: `reversed` (README).
#[wasm_bindgen_test]
async fn a_verify_order_saves_the_card_and_takes_nothing() {
    let client = format!("verify-{}", (js_sys::Math::random() * 1e12) as u64);
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let v = post_json(
        "/shop/orders",
        &json!({ "amount": 0, "currency": "398", "returnUrl": format!("{origin}/return"), "clientId": client, "features": "VERIFY" }),
    )
    .await;
    let order = v["orderId"].as_str().expect("a VERIFY order").to_owned();
    let co = checkout(None, json!({}));
    let outcome = pay(&co, card(&order, "4444555511113333"))
        .await
        .expect("verified");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("reversed"));
    assert_eq!(get(&outcome, "orderStatus").as_f64(), Some(3.0));
    let ledger = get_json(&format!("/sandbox/ledger?orderId={order}")).await;
    assert_eq!(
        ledger.as_array().map(Vec::len),
        Some(0),
        "nothing taken: {ledger}"
    );
    let saved = bindings_of(&client).await;
    let binding = saved["bindings"][0]["bindingId"]
        .as_str()
        .unwrap_or_else(|| panic!("the card is saved: {saved}"))
        .to_owned();
    let next = order_for_client(&client).await;
    let req =
        js(&json!({ "orderId": next, "bindingId": binding, "cvc": "123", "ip": "127.0.0.1" }));
    let paid = settle(co.pay_binding(req.unchecked_into()))
        .await
        .expect("paid with the saved card");
    assert_eq!(get_str(&paid, "status").as_deref(), Some("paid"));
}

/// What the merchant's server would list for the shopper (getBindings.do with the password, server-side).
async fn bindings_of(client: &str) -> serde_json::Value {
    get_json(&format!(
        "/payment/rest/getBindings.do?userName=test_user&password=test_user_password&clientId={client}"
    ))
    .await
}

/// Seed 003: a card paid with a clientId becomes a binding; paymentOrderBinding.do pays the next order with
/// it and the CVC; bindingNotNeeded=true ("don't save my card") makes none.
#[wasm_bindgen_test]
async fn a_saved_card_pays_the_next_order_and_dont_save_makes_none() {
    let client = format!("shopper-{}", (js_sys::Math::random() * 1e9) as u64);
    let co = checkout(None, json!({}));
    let first = order_for_client(&client).await;
    pay(&co, card(&first, "4444555511113333"))
        .await
        .expect("paid");
    let list = bindings_of(&client).await;
    let binding = list["bindings"][0]["bindingId"]
        .as_str()
        .expect("a binding")
        .to_owned();
    let second = order_for_client(&client).await;
    let req =
        js(&json!({ "orderId": second, "bindingId": binding, "cvc": "123", "ip": "127.0.0.1" }));
    let outcome = settle(co.pay_binding(req.unchecked_into()))
        .await
        .expect("paid with the saved card");
    assert_eq!(get_str(&outcome, "status").as_deref(), Some("paid"));
    assert_eq!(requests_to(&second, "paymentOrderBinding.do").await, 1);
    // The IP is required by the seed: refused before any request.
    let third = order_for_client(&client).await;
    let req = js(&json!({ "orderId": third, "bindingId": binding, "cvc": "123" }));
    let err = settle(co.pay_binding(req.unchecked_into()))
        .await
        .expect_err("no ip");
    assert_eq!(get_str(&err, "detail").as_deref(), Some("ip"));
    assert_eq!(requests_to(&third, "paymentOrderBinding.do").await, 0);
    // "Don't save my card".
    let other = format!("shopper-{}", (js_sys::Math::random() * 1e9) as u64);
    let order = order_for_client(&other).await;
    let req = card(&order, "4444555511113333");
    set(&req, "saveCard", &JsValue::FALSE);
    set(&req, "jsonParams", &js(&json!({ "loyalty": "gold" })));
    pay(&co, req).await.expect("paid");
    assert!(
        bindings_of(&other).await["bindings"].is_null(),
        "no binding made"
    );
    let log = get_json(&format!("/sandbox/orders/{order}/requests")).await;
    let payment = logged_request(&log, "paymentorder.do");
    assert_eq!(payment["params"]["bindingNotNeeded"], "true");
    assert_eq!(payment["params"]["jsonParams"], r#"{"loyalty":"gold"}"#);
}
