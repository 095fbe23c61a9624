//! `POST /shop/pay-setoken`: the demo merchant's server pays an order with a seToken made in the browser
//! (seed 000: "seToken … может быть сгенерирован с помощью SDK"; format in GATEWAY.md) through
//! paymentorder.do over HTTP, and answers the gateway's JSON. The card never reaches the merchant's server.

mod common;

use base64::Engine;
use common::*;
use rsa::pkcs8::DecodePublicKey;
use serde_json::{json, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// What createSeToken makes: the first key of `se/keys.do`, `timestamp/uuid/PAN/CVC/YYYYMM/mdOrder`,
/// RSAES-PKCS1-v1_5, standard base64.
async fn se_token(s: &Sbx, pan: &str, md_order: &str) -> String {
    let keys = s.get("/payment/se/keys.do").await.json();
    let pem = keys["keys"][0]["keyValue"].as_str().unwrap();
    let der = B64
        .decode(
            pem.trim_start_matches("-----BEGIN PUBLIC KEY-----")
                .trim_end_matches("-----END PUBLIC KEY-----"),
        )
        .unwrap();
    let key = rsa::RsaPublicKey::from_public_key_der(&der).unwrap();
    let plain = format!(
        "2030-01-01T10:00:00+05:00/{}/{pan}/123/203012/{md_order}",
        uuid::Uuid::new_v4()
    );
    let sealed = key
        .encrypt(
            &mut rand::thread_rng(),
            rsa::Pkcs1v15Encrypt,
            plain.as_bytes(),
        )
        .unwrap();
    B64.encode(sealed)
}

async fn shop_order(s: &Sbx) -> String {
    let r = s
        .json(
            "/shop/orders",
            &json!({ "amount": 450000, "currency": "398", "returnUrl": format!("{}/return.html", s.base) }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["orderId"].as_str().unwrap().to_string()
}

async fn pay(s: &Sbx, body: &Value) -> (u16, Value) {
    let r = s.json("/shop/pay-setoken", body).await;
    (r.status, r.json())
}

#[tokio::test]
async fn pays_the_order_through_paymentorder_do_without_the_card() {
    let s = start().await;
    let id = shop_order(&s).await;
    let token = se_token(&s, "4444555511113333", &id).await;
    let (status, answer) = pay(
        &s,
        &json!({ "orderId": id, "seToken": token, "language": "en" }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["errorCode"], 0, "{answer}");
    assert!(
        answer["redirect"].is_string(),
        "no 3DS: the gateway's redirect: {answer}"
    );
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["cardAuthInfo"]["maskedPan"], "444455**3333");
    assert_eq!(s.ledger(&id).await.len(), 1);

    // The log: the page's call carries only the (masked) token; the merchant's paymentorder.do carries its
    // login and the token, never card fields.
    let log = s.get(&format!("/sandbox/orders/{id}/requests")).await;
    let text = log.text();
    assert!(!text.contains("4444555511113333") && !text.contains(&token));
    let log = log.json();
    let entries = log.as_array().unwrap();
    let find = |path: &str| {
        entries
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {log}"))
    };
    let shop = find("/shop/pay-setoken");
    assert!(shop["params"]["seToken"]
        .as_str()
        .unwrap()
        .starts_with("[encrypted seToken"));
    let rest = find("/payment/rest/paymentorder.do");
    assert_eq!(rest["params"]["userName"], "test_user");
    assert_eq!(rest["params"]["MDORDER"], id.as_str());
    assert!(rest["params"]["seToken"]
        .as_str()
        .unwrap()
        .starts_with("[encrypted seToken"));
    for k in ["$PAN", "$CVC", "YYYY", "MM"] {
        assert!(rest["params"].get(k).is_none(), "{k}: {rest}");
    }

    // Paying the paid order again: the gateway's refusal passes through, and nothing more is charged.
    let again = se_token(&s, "4444555511113333", &id).await;
    let (status, answer) = pay(&s, &json!({ "orderId": id, "seToken": again })).await;
    assert_eq!(status, 200);
    assert_ne!(answer["errorCode"], 0, "{answer}");
    assert_eq!(s.ledger(&id).await.len(), 1);
}

#[tokio::test]
async fn a_3ds_card_gets_the_gateways_3ds_answer() {
    let s = start().await;
    let id = shop_order(&s).await;
    let token = se_token(&s, "5555555555555599", &id).await;
    let (status, answer) = pay(&s, &json!({ "orderId": id, "seToken": token })).await;
    assert_eq!(status, 200);
    assert_eq!(answer["errorCode"], 0, "{answer}");
    assert_eq!(answer["is3DSVer2"], true, "{answer}");
    assert!(answer["threeDSServerTransId"].is_string());
    let id = shop_order(&s).await;
    let token = se_token(&s, "4012001038166662", &id).await;
    let (_, answer) = pay(&s, &json!({ "orderId": id, "seToken": token })).await;
    assert!(
        answer["acsUrl"].is_string() && answer["paReq"].is_string(),
        "{answer}"
    );
    assert!(s.ledger(&id).await.is_empty());
}

#[tokio::test]
async fn refusals_pass_through_and_charge_nothing() {
    let s = start().await;
    let id = shop_order(&s).await;
    // A token made for another order.
    let other = shop_order(&s).await;
    let token = se_token(&s, "4444555511113333", &other).await;
    let (status, answer) = pay(
        &s,
        &json!({ "orderId": id, "seToken": token, "language": "en" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["errorCode"], 5, "{answer}");
    // Not a token at all.
    let (_, answer) = pay(&s, &json!({ "orderId": id, "seToken": "AAAA" })).await;
    assert_eq!(answer["errorCode"], 5, "{answer}");
    assert!(s.ledger(&id).await.is_empty() && s.ledger(&other).await.is_empty());
    // Not the body the endpoint expects.
    for body in [
        json!({ "orderId": id }),
        json!({ "seToken": "AAAA" }),
        json!([]),
    ] {
        let (status, answer) = pay(&s, &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["error"].is_string());
    }
    let r = s
        .form(
            "/shop/pay-setoken",
            &[("orderId", id.as_str()), ("seToken", "AAAA")],
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_gateway_fault_is_a_502_for_the_page() {
    let s = start().await;
    let id = shop_order(&s).await;
    let token = se_token(&s, "4444555511113333", &id).await;
    s.fault(&json!({ "path": "/payment/rest/paymentorder.do", "fault": { "http500": true } }))
        .await;
    let (status, answer) = pay(&s, &json!({ "orderId": id, "seToken": token })).await;
    assert_eq!(status, 502, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("500"));
    assert!(s.ledger(&id).await.is_empty());
}
