//! Processing detached from the connection, the faults around processing, one payment per order at
//! a time and never twice, and the ledger of charges.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const NO_3DS: &str = "4444555511113333";
const PAY: &str = "/payment/rest/paymentorder.do";

/// The paymentorder.do form of the no-3DS card (12/30, CVC 123).
fn card_form(order: &str) -> Vec<(&str, &str)> {
    vec![
        ("userName", "test_user"),
        ("password", "test_user_password"),
        ("MDORDER", order),
        ("$PAN", NO_3DS),
        ("$CVC", "123"),
        ("YYYY", "2030"),
        ("MM", "12"),
        ("TEXT", "TEST CARDHOLDER"),
        ("language", "en"),
    ]
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Asserts the order's ledger holds exactly one charge and returns it.
async fn one_charge(s: &Sbx, order: &str) -> Value {
    let l = s.ledger(order).await;
    assert_eq!(l.len(), 1, "ledger of {order}: {l:?}");
    l[0].clone()
}

/// Polls getOrderStatusExtended.do until the order reaches `want` (or 5 s pass); returns the last
/// status seen.
async fn wait_status(s: &Sbx, order: &str, want: u64) -> Value {
    let t = Instant::now();
    loop {
        let status = s.status(order).await["orderStatus"].clone();
        if status == want || t.elapsed() > Duration::from_secs(5) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn sandbox_order(s: &Sbx, order: &str) -> Value {
    let r = s.get(&format!("/sandbox/orders/{order}")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn drop_after_processing_charges_once() {
    let s = start().await;
    let id = s.register("1500", &[("orderNumber", "drop-1")]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"dropAfterProcessing": true}}))
        .await;
    let r = s
        .form_within(PAY, &card_form(&id), Duration::from_secs(5))
        .await;
    assert!(r.is_err(), "an answer came: {r:?}");
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    let c = one_charge(&s, &id).await;
    assert_eq!(c["orderId"], id.as_str());
    assert_eq!(c["orderNumber"], "drop-1");
    assert_eq!(c["amount"], 1500);
    assert_eq!(c["currency"], "398");
    assert_eq!(c["status"], 2);
    assert_eq!(c["via"], PAY);
    assert_eq!(c["kind"], "charge");
    assert!(c["at"].as_u64().unwrap() <= now_ms());
    // The browser retries: the paid order refuses a second payment, nothing is charged again.
    let again = s.pay(&id, NO_3DS, &[]).await;
    assert_eq!(again["errorCode"], 5);
    assert_eq!(again["errorMessage"], "Order has already been processed");
    one_charge(&s, &id).await;
    let o = sandbox_order(&s, &id).await;
    assert_eq!(
        o,
        json!({"orderId": id, "orderNumber": "drop-1", "status": 2, "amount": 1500,
               "currency": "398", "charges": 1, "processing": false})
    );
    // The whole ledger lists it too; an unknown order is a 404.
    let all = s.get("/sandbox/ledger").await.json();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(s.get("/sandbox/orders/nope").await.status, 404);
    assert!(s.ledger("nope").await.is_empty());
}

#[tokio::test]
async fn answer_late_charges_before_answering() {
    let s = start().await;
    // The client gives up before the answer: the charge is already there.
    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"answerLateMs": 800}}))
        .await;
    let t = Instant::now();
    let r = s
        .form_within(PAY, &card_form(&id), Duration::from_millis(300))
        .await;
    assert!(r.is_err(), "an answer came: {r:?}");
    assert!(t.elapsed() < Duration::from_millis(800));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    one_charge(&s, &id).await;

    // A patient client gets the normal answer, late; the charge predates it.
    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"answerLateMs": 500}}))
        .await;
    let t = Instant::now();
    let sent = now_ms();
    let r = s
        .form_within(PAY, &card_form(&id), Duration::from_secs(5))
        .await
        .unwrap();
    assert!(t.elapsed() >= Duration::from_millis(500));
    let v = r.json();
    assert_eq!(v["errorCode"], 0);
    assert!(v["redirect"].as_str().unwrap().contains(&id));
    let c = one_charge(&s, &id).await;
    assert!(c["at"].as_u64().unwrap() < sent + 400, "{c}");
}

#[tokio::test]
async fn process_slowly_charges_after_the_client_left() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"processSlowlyMs": 1000}}))
        .await;
    let t = Instant::now();
    let r = s
        .form_within(PAY, &card_form(&id), Duration::from_millis(150))
        .await;
    assert!(r.is_err(), "an answer came: {r:?}");
    // Not processed yet, but busy.
    assert_eq!(s.status(&id).await["orderStatus"], 0);
    assert!(s.ledger(&id).await.is_empty());
    assert_eq!(sandbox_order(&s, &id).await["processing"], true);
    // A second payment request meanwhile: the gateway's system error, nothing charged.
    let second = s.pay(&id, NO_3DS, &[]).await;
    assert_eq!(
        second,
        json!({"errorCode": 5, "errorMessage": "System error: the previous payment request for this order is still being processed"})
    );
    let ru = s.rest("paymentorder.do", &card_form(&id)[2..8]).await;
    assert_eq!(ru["errorCode"], 5);
    assert_eq!(
        ru["errorMessage"],
        "Системная ошибка: предыдущий запрос на оплату заказа ещё обрабатывается"
    );
    let cont = s
        .rest("3ds/continue.do", &[("mdOrder", &id), ("language", "kk")])
        .await;
    assert_eq!(cont["errorCode"], 5);
    assert!(cont["errorMessage"]
        .as_str()
        .unwrap()
        .starts_with("Жүйелік немесе ішкі қате"));
    // A request the handler refuses anyway is not answered "busy".
    let denied = s
        .raw(
            "paymentorder.do",
            &[("MDORDER", &id), ("token", "wrong"), ("language", "en")],
        )
        .await;
    assert_eq!(denied["errorMessage"], "Access denied");
    assert!(t.elapsed() < Duration::from_millis(1000), "test too slow");
    // The charge lands after N ms although the client went away.
    assert_eq!(wait_status(&s, &id, 2).await, 2);
    assert!(t.elapsed() >= Duration::from_millis(1000));
    let c = one_charge(&s, &id).await;
    assert_eq!(c["via"], PAY);
    assert_eq!(sandbox_order(&s, &id).await["processing"], false);
    // A paid order: errorCode 5, no new entry.
    let again = s.pay(&id, NO_3DS, &[]).await;
    assert_eq!(again["errorCode"], 5);
    assert_eq!(again["errorMessage"], "Order has already been processed");
    one_charge(&s, &id).await;
}

#[tokio::test]
async fn concurrent_payments_charge_once() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    // The first request accepted is held in processing so the others surely overlap it.
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"processSlowlyMs": 500}}))
        .await;
    let form = card_form(&id);
    let first = s.form_within(PAY, &form, Duration::from_secs(5));
    let others = async {
        tokio::time::sleep(Duration::from_millis(150)).await;
        futures_join(&s, &id, 4).await
    };
    let (first, mut all) = tokio::join!(first, others);
    all.push(first.unwrap().json());
    assert_eq!(
        all.iter().filter(|v| v["errorCode"] == 0).count(),
        1,
        "{all:?}"
    );
    let busy = "System error: the previous payment request for this order is still being processed";
    assert_eq!(
        all.iter().filter(|v| v["errorMessage"] == busy).count(),
        4,
        "{all:?}"
    );
    one_charge(&s, &id).await;
    // Without a fault, simultaneous requests still charge once.
    let id = s.register("100", &[]).await;
    let all = futures_join(&s, &id, 6).await;
    let ok = all.iter().filter(|v| v["errorCode"] == 0).count();
    assert_eq!(ok, 1, "{all:?}");
    assert!(all
        .iter()
        .all(|v| v["errorCode"] == 0 || v["errorCode"] == 5));
    one_charge(&s, &id).await;
}

/// `n` simultaneous paymentorder.do requests for `order`, their JSON answers.
async fn futures_join(s: &Sbx, order: &str, n: usize) -> Vec<Value> {
    let mut tasks = Vec::new();
    for _ in 0..n {
        let base = s.base.clone();
        let body = serde_urlencoded::to_string(card_form(order)).unwrap();
        tasks.push(tokio::spawn(async move {
            gateway_sandbox::client::request(
                "POST",
                &format!("{base}{PAY}"),
                &[("Content-Type", "application/x-www-form-urlencoded")],
                body.as_bytes(),
                Duration::from_secs(5),
            )
            .await
            .unwrap()
            .json()
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn error_answers_after_processing() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"http500AfterProcessing": true}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 500);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    one_charge(&s, &id).await;

    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"bomAfterProcessing": true}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        &r.body[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte order mark first"
    );
    let answer: Value = serde_json::from_slice(&r.body[3..]).expect("then the normal JSON answer");
    assert_eq!(answer["errorCode"], 0, "{answer}");
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    one_charge(&s, &id).await;

    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"htmlAfterProcessing": true}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text().contains("Service temporarily unavailable"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    one_charge(&s, &id).await;

    // A bank's page that sends the browser on elsewhere once the post arrived.
    let id = s.register("100", &[]).await;
    let elsewhere = "http://127.0.0.2:9/elsewhere";
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"redirectAfterProcessing": elsewhere}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some(elsewhere));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    one_charge(&s, &id).await;
    // The requests were logged as usual.
    let log = s
        .get(&format!("/sandbox/orders/{id}/requests"))
        .await
        .json();
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == PAY && r["params"]["$PAN"] == "444455**3333"));
}

#[tokio::test]
async fn huge_and_nested_answers() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"hugeAnswer": 3_000_000}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["errorCode"], 0);
    let junk = v["junk"].as_str().unwrap();
    assert_eq!(junk.len(), 3_000_000);
    assert!(junk.bytes().all(|b| b == b'x'));
    // Not processed.
    assert_eq!(s.status(&id).await["orderStatus"], 0);
    assert!(s.ledger(&id).await.is_empty());

    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"nestedAnswer": 3}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.text(), r#"{"errorCode":0,"junk":[[[]]]}"#);

    s.fault(&json!({"path": PAY, "orderId": id, "fault": {"nestedAnswer": 200_000}}))
        .await;
    let r = s.form(PAY, &card_form(&id)).await;
    assert_eq!(r.status, 200);
    let body = r.text();
    assert_eq!(
        r.header("content-length"),
        Some(body.len().to_string().as_str())
    );
    assert!(body.starts_with(r#"{"errorCode":0,"junk":[[["#));
    assert!(body.ends_with("]]]}"));
    assert_eq!(body.bytes().filter(|b| *b == b'[').count(), 200_000);
    assert_eq!(body.bytes().filter(|b| *b == b']').count(), 200_000);
    assert_eq!(s.status(&id).await["orderStatus"], 0);

    // Caps: 64 MiB and 1,000,000.
    s.req("DELETE", "/sandbox/faults", &[], b"").await;
    s.fault(&json!({"path": PAY, "fault": {"hugeAnswer": 1u64 << 40}}))
        .await;
    s.fault(&json!({"path": PAY, "fault": {"nestedAnswer": 1u64 << 40}}))
        .await;
    let list = s.get("/sandbox/faults").await.json();
    assert_eq!(list[0]["kind"], json!({"hugeAnswer": 64u64 << 20}));
    assert_eq!(list[1]["kind"], json!({"nestedAnswer": 1_000_000}));
    // The error text names every kind.
    let r = s
        .json(
            "/sandbox/faults",
            &json!({"path": PAY, "fault": {"nope": 1}}),
        )
        .await;
    assert_eq!(r.status, 400);
    for k in [
        "answerLateMs",
        "dropAfterProcessing",
        "processSlowlyMs",
        "http500AfterProcessing",
        "htmlAfterProcessing",
        "bomAfterProcessing",
        "redirectAfterProcessing",
        "hugeAnswer",
        "nestedAnswer",
        "delayMs",
        "drop",
    ] {
        assert!(r.text().contains(k), "{k} missing from {}", r.text());
    }
}

/// A frictionless 3DS2 order up to (not including) continue.do.
async fn frictionless_order(s: &Sbx) -> (String, Value) {
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4000001111111118", &[]).await;
    assert_eq!(a["is3DSVer2"], true, "{a}");
    s.run_methods(&a, true).await;
    (id, a)
}

#[tokio::test]
async fn faults_after_processing_on_continue_and_finish() {
    let s = start().await;
    // continue.do: charged, the answer lost.
    let (id, a) = frictionless_order(&s).await;
    let cont = "/payment/rest/3ds/continue.do";
    s.fault(&json!({"path": cont, "fault": {"dropAfterProcessing": true}}))
        .await;
    let form = [
        ("mdOrder", id.as_str()),
        ("token", TOKEN),
        ("threeDSMethodCompInd", "Y"),
        ("language", "en"),
    ];
    assert!(s
        .form_within(cont, &form, Duration::from_secs(5))
        .await
        .is_err());
    assert_eq!(s.status(&id).await["orderStatus"], 2);
    assert_eq!(one_charge(&s, &id).await["via"], cont);
    // Repeating continue.do / finish3dsVer2Payment.do / paymentorder.do never charges again.
    let c = s.raw("3ds/continue.do", &form).await;
    assert_eq!(c["errorTypeName"], "TDS_UNKNOWN_ARES_STATUS");
    let trans = a["threeDSServerTransId"].as_str().unwrap();
    let f = s
        .rest(
            "finish3dsVer2Payment.do",
            &[("threeDSServerTransId", trans), ("language", "en")],
        )
        .await;
    assert_eq!(f["errorCode"], 0);
    assert!(f["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.pay(&id, NO_3DS, &[]).await["errorCode"], 5);
    one_charge(&s, &id).await;

    // finish3dsVer2Payment.do after a challenge: processed slowly, the client leaves.
    let id = s.register("2000", &[]).await;
    let finish = [("threeDSVer2FinishUrl", "http://127.0.0.1:1/finish")];
    let a = s.pay(&id, "5555555555555599", &finish).await;
    s.run_methods(&a, true).await;
    let c = s
        .rest("3ds/continue.do", &[("mdOrder", &id), ("language", "en")])
        .await;
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert_eq!(r.status, 303);
    assert!(s.ledger(&id).await.is_empty());
    let trans = a["threeDSServerTransId"].as_str().unwrap();
    let fin = "/payment/rest/finish3dsVer2Payment.do";
    s.fault(&json!({"path": fin, "orderId": id, "fault": {"processSlowlyMs": 400}}))
        .await;
    let form = [
        ("threeDSServerTransId", trans),
        ("token", TOKEN),
        ("language", "en"),
    ];
    assert!(s
        .form_within(fin, &form, Duration::from_millis(100))
        .await
        .is_err());
    let busy = s.raw("finish3dsVer2Payment.do", &form).await;
    assert_eq!(busy["errorCode"], 5, "{busy}");
    assert_eq!(wait_status(&s, &id, 2).await, 2);
    assert_eq!(one_charge(&s, &id).await["via"], fin);
    let f = s.raw("finish3dsVer2Payment.do", &form).await;
    assert_eq!(f["errorCode"], 0);
    one_charge(&s, &id).await;
}

fn wallet_token(v: &Value) -> String {
    b64(&v.to_string())
}

#[tokio::test]
async fn wallet_payments_are_charged_and_faulted() {
    let s = start().await;
    let apple = "/payment/applepay/payment.do";
    s.fault(&json!({"path": apple, "fault": {"dropAfterProcessing": true}}))
        .await;
    let body = json!({"merchant": "test_user", "orderNumber": "ap-drop", "language": "en",
        "paymentToken": wallet_token(&json!({"version": "EC_v1", "data": "sandbox:approve",
            "signature": "sandbox", "header": {"transactionId": "sandbox"}}))});
    let r = gateway_sandbox::client::request(
        "POST",
        &format!("{}{apple}", s.base),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
        Duration::from_secs(5),
    )
    .await;
    assert!(r.is_err(), "an answer came: {r:?}");
    let st = s
        .rest(
            "getOrderStatusExtended.do",
            &[("orderNumber", "ap-drop"), ("language", "en")],
        )
        .await;
    assert_eq!(st["orderStatus"], 2);
    let ledger = s.get("/sandbox/ledger").await.json();
    let l = ledger.as_array().unwrap();
    assert_eq!(l.len(), 1);
    assert_eq!(l[0]["orderNumber"], "ap-drop");
    assert_eq!(l[0]["via"], apple);
    assert_eq!(l[0]["amount"], 1000);

    let google = "/payment/google/payment.do";
    s.fault(&json!({"path": google, "fault": {"answerLateMs": 300}}))
        .await;
    let t = Instant::now();
    let v = s
        .json(
            google,
            &json!({"merchant": "test_user", "orderNumber": "gp-late", "language": "en", "ip": "127.0.0.1",
                "amount": 700, "returnUrl": "http://127.0.0.1:1/ok", "preAuth": true,
                "paymentToken": wallet_token(&json!({"protocolVersion": "ECv2",
                    "signature": "sandbox", "signedMessage": "sandbox:approve"}))}),
        )
        .await
        .json();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(v["success"], true);
    let id = v["data"]["orderId"].as_str().unwrap();
    let c = one_charge(&s, id).await;
    assert_eq!(c["status"], 1);
    assert_eq!(c["via"], google);
    assert_eq!(c["amount"], 700);
}

#[tokio::test]
async fn deposit_is_not_a_new_charge() {
    let s = start().await;
    let id = s.register_with("registerPreAuth.do", "900", &[]).await;
    assert_eq!(s.pay(&id, NO_3DS, &[]).await["errorCode"], 0);
    let c = one_charge(&s, &id).await;
    assert_eq!(c["status"], 1);
    let d = s
        .rest("deposit.do", &[("orderId", &id), ("amount", "0")])
        .await;
    assert_eq!(d["errorCode"], 0);
    one_charge(&s, &id).await;
    let o = sandbox_order(&s, &id).await;
    assert_eq!(o["status"], 2);
    assert_eq!(o["charges"], 1);
    // A declined order may be paid again: that payment is the order's first charge.
    let id = s.register("100", &[]).await;
    assert_eq!(s.pay(&id, "4000005555555557", &[]).await["errorCode"], 0);
    assert_eq!(s.status(&id).await["orderStatus"], 6);
    assert!(s.ledger(&id).await.is_empty());
    assert_eq!(s.pay(&id, NO_3DS, &[]).await["errorCode"], 0);
    one_charge(&s, &id).await;
}
