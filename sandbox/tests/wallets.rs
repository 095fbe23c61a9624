//! Apple Pay / Google Pay endpoints with the sandbox sample tokens.

mod common;

use common::*;
use serde_json::{json, Value};

fn apple(data: &str) -> String {
    b64(&json!({"version": "EC_v1", "data": data, "signature": "sandbox", "header": {"transactionId": "sandbox"}}).to_string())
}

fn google(msg: &str) -> String {
    b64(
        &json!({"protocolVersion": "ECv2", "signature": "sandbox", "signedMessage": msg})
            .to_string(),
    )
}

async fn apple_pay(s: &Sbx, number: &str, token: &str) -> Value {
    let r = s
        .json(
            "/payment/applepay/payment.do",
            &json!({"merchant": "test_user", "orderNumber": number, "paymentToken": token, "language": "en", "preAuth": false,
                    "additionalParameters": {"phone": "9521235847"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    r.json()
}

async fn google_pay(s: &Sbx, body: Value) -> Value {
    s.json("/payment/google/payment.do", &body).await.json()
}

#[tokio::test]
async fn apple_pay_outcomes() {
    let s = start().await;
    let v = apple_pay(&s, "ap-1", &apple("sandbox:approve")).await;
    assert_eq!(v["success"], true);
    let id = v["data"]["orderId"].as_str().unwrap();
    assert_eq!(v["orderStatus"]["orderStatus"], 2);
    assert_eq!(v["orderStatus"]["orderNumber"], "ap-1");
    assert_eq!(v["orderStatus"]["merchantOrderParams"][0]["name"], "phone");
    assert_eq!(s.status(id).await["paymentWay"], "APPLE_PAY");

    let v = apple_pay(&s, "ap-2", &apple("sandbox:insufficient-funds")).await;
    assert_eq!(v["success"], false);
    assert_eq!(v["error"]["code"], 1);
    assert_eq!(
        v["error"]["message"],
        "The funds on the card are not sufficient"
    );
    assert_eq!(v["orderStatus"]["orderStatus"], 6);

    let v = apple_pay(&s, "ap-3", &apple("sandbox:3ds1")).await;
    assert_eq!(v["success"], true);
    let d = &v["data"];
    let id = d["orderId"].as_str().unwrap().to_string();
    let page = s
        .form(
            d["acsUrl"].as_str().unwrap(),
            &[
                ("MD", &id),
                ("PaReq", d["paReq"].as_str().unwrap()),
                ("TermUrl", d["termUrl"].as_str().unwrap()),
            ],
        )
        .await;
    let r = s.answer_code_page(&page.text(), Some("12345678")).await;
    assert_eq!(r.status, 303);
    assert_eq!(s.status(&id).await["orderStatus"], 2);

    let v = apple_pay(&s, "ap-4", &apple("sandbox:3ds2")).await;
    let d = &v["data"];
    assert_eq!(d["is3DSVer2"], true);
    let id = d["orderId"].as_str().unwrap().to_string();
    s.run_methods(d, true).await;
    let c = s
        .raw("3ds/continue.do", &[("mdOrder", &id), ("token", TOKEN)])
        .await;
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert_eq!(r.status, 303);
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn apple_pay_errors() {
    let s = start().await;
    let code = |v: &Value| v["error"]["code"].clone();
    let post = |body: Value| {
        let s = &s;
        async move { s.json("/payment/applepay/payment.do", &body).await.json() }
    };
    let t = apple("sandbox:approve");
    assert_eq!(
        code(&post(json!({"orderNumber": "e1", "paymentToken": t})).await),
        10
    );
    assert_eq!(
        code(&post(json!({"merchant": "someone", "orderNumber": "e1", "paymentToken": t})).await),
        5
    );
    assert_eq!(
        code(&post(json!({"merchant": "test_user", "paymentToken": t})).await),
        10
    );
    assert_eq!(
        code(
            &post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": "%%%"}))
                .await
        ),
        10
    );
    assert_eq!(
        code(
            &post(
                json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": b64("[1]")})
            )
            .await
        ),
        10
    );
    let v = post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": b64("{\"x\":1}"), "language": "en"})).await;
    assert_eq!(
        v["error"]["message"],
        "Decryption of the transferred data failed"
    );
    let rsa = b64(&json!({"version": "RSA_v1", "data": "sandbox:approve"}).to_string());
    let v = post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": rsa, "language": "en"})).await;
    assert_eq!(v["error"]["message"], "The merchant has no private key");
    assert_eq!(code(&post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": t, "ip": "not-an-ip"})).await), 10);
    assert_eq!(
        post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": t})).await
            ["success"],
        true
    );
    assert_eq!(
        code(&post(json!({"merchant": "test_user", "orderNumber": "e1", "paymentToken": t})).await),
        10
    );
    let r = s
        .req(
            "POST",
            "/payment/applepay/payment.do",
            &[("Content-Type", "application/json")],
            b"{not json",
        )
        .await;
    assert_eq!(r.json()["success"], false);
}

#[tokio::test]
async fn google_pay_outcomes_and_errors() {
    let s = start().await;
    let body = |n: &str, token: &str| {
        json!({"merchant": "test_user", "orderNumber": n, "paymentToken": token, "ip": "127.0.0.1", "amount": 1000,
               "currencyCode": "398", "returnUrl": "http://127.0.0.1:1/ok", "failUrl": "http://127.0.0.1:1/fail", "preAuth": true,
               "language": "en"})
    };
    let v = google_pay(&s, body("gp-1", &google("sandbox:approve"))).await;
    assert_eq!(v["success"], true);
    assert_eq!(v["orderStatus"]["orderStatus"], 1);
    assert_eq!(v["orderStatus"]["amount"], 1000);
    assert_eq!(v["orderStatus"]["currency"], "398");
    let v = google_pay(&s, body("gp-2", &google("sandbox:insufficient-funds"))).await;
    assert_eq!(v["error"]["code"], 1);
    let v = google_pay(&s, body("gp-3", &google("sandbox:3ds1"))).await;
    assert!(
        v["data"]["acsUrl"].is_string()
            && v["data"]["paReq"].is_string()
            && v["data"]["termUrl"].is_string()
    );
    let v = google_pay(&s, body("gp-4", &google("sandbox:3ds2"))).await;
    assert!(v["data"]["threeDSServerTransId"].is_string());
    let mut b = body("gp-5", &google("sandbox:approve"));
    b["amount"] = json!(0);
    assert_eq!(google_pay(&s, b).await["error"]["code"], 10);
    let mut b = body("gp-5", &google("sandbox:approve"));
    b["ip"] = json!("1.2.3");
    assert_eq!(google_pay(&s, b).await["error"]["code"], 10);
    let mut b = body("gp-5", &google("sandbox:approve"));
    b["returnUrl"] = json!("");
    assert_eq!(google_pay(&s, b).await["error"]["code"], 10);
    let mut b = body("gp-5", &google("sandbox:approve"));
    b["merchant"] = json!("other");
    assert_eq!(google_pay(&s, b).await["error"]["code"], 5);
    // The seed's curl example (truncated token) → invalid paymentToken.
    let v = google_pay(
        &s,
        json!({"amount": 1000, "features": [], "merchant": "sandbox_merchant", "orderNumber": "350467565",
               "paymentToken": "eyJzaWduYXR1cmUiOiJNRVF...dGM3NHUxQWY5L1pNPVwifSJ9", "preAuth": false, "returnUrl": "https://ya.ru/"}),
    )
    .await;
    assert_eq!(v["success"], false);
    assert_eq!(v["error"]["code"], 10);
}

/// Seed 003, google/payment.do: "| ip | String | Төлеушінің IP-мекенжайы …" marked "Иә" (required), and
/// "currencyCode … Көрсетілмеген жағдайда, 643 (Ресей рублі) болып есептеледі" (Google Pay's table only).
#[tokio::test]
async fn google_pay_requires_ip_and_defaults_to_643_apple_pay_does_not() {
    let s = start().await;
    let mut b = json!({"merchant": "test_user", "orderNumber": "gp-ip-1", "paymentToken": google("sandbox:approve"),
        "amount": 1000, "returnUrl": "http://127.0.0.1:1/ok", "language": "en"});
    assert_eq!(
        google_pay(&s, b.clone()).await["error"]["code"],
        10,
        "no ip"
    );
    b["ip"] = json!("127.0.0.1");
    let v = google_pay(&s, b).await;
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(v["orderStatus"]["currency"], "643");
    // Apple Pay: no such default in its table; the token's currency, else the merchant's (398).
    let r = apple_pay(&s, "ap-cur-1", &apple("sandbox:approve")).await;
    assert_eq!(r["orderStatus"]["currency"], "398", "{r}");
}
