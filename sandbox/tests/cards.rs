//! Every sandbox card's path end to end over HTTP.

mod common;

use common::*;
use serde_json::Value;

fn loc(r: &gateway_sandbox::client::HttpResponse) -> String {
    assert_eq!(r.status, 303, "{}", r.text());
    r.header("location").unwrap().to_string()
}

#[tokio::test]
async fn no_3ds_card_is_approved() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4444555511113333", &[]).await;
    assert_eq!(a["errorCode"], 0);
    assert_eq!(a["info"], "Your order is proceeded, redirecting...");
    assert_eq!(
        a["redirect"],
        format!("http://127.0.0.1:1/ok?orderId={id}&lang=en")
    );
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["actionCode"], 0);
    assert_eq!(st["cardAuthInfo"]["maskedPan"], "444455**3333");
    assert_eq!(st["cardAuthInfo"]["expiration"], "203012");
    assert_eq!(st["cardAuthInfo"]["cardholderName"], "TEST CARDHOLDER");
    assert_eq!(
        st["cardAuthInfo"]["approvalCode"].as_str().unwrap().len(),
        6
    );
    assert_eq!(st["paymentAmountInfo"]["paymentState"], "DEPOSITED");
    assert_eq!(st["paymentAmountInfo"]["depositedAmount"], 2000);
}

#[tokio::test]
async fn insufficient_funds_card_is_declined() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4000005555555557", &[]).await;
    assert_eq!(a["errorCode"], 0);
    assert!(a["error"].is_string());
    assert!(a["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/fail?orderId="));
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 6);
    assert_eq!(st["actionCode"], 116);
    assert_eq!(st["paymentAmountInfo"]["paymentState"], "DECLINED");
}

#[tokio::test]
async fn attempt_limit_redirects_to_fail_url_with_error_code_0() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a1 = s.pay(&id, "4000005555555557", &[]).await;
    let a2 = s.pay(&id, "4000005555555557", &[]).await;
    assert!(a1["error"].is_string() && a2["error"].is_string());
    let a3 = s.pay(&id, "4000005555555557", &[]).await;
    // The seed: the last attempt answers errorCode 0, info, redirect to failUrl — no error field.
    assert_eq!(a3["errorCode"], 0);
    assert!(a3.get("error").is_none());
    assert!(a3["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/fail"));
    let a4 = s.pay(&id, "4444555511113333", &[]).await;
    assert_eq!(a4["info"], "Redirecting...");
    assert_eq!(a4["errorCode"], 0);
    assert_eq!(s.status(&id).await["orderStatus"], 6);
}

#[tokio::test]
async fn tds1_card_with_right_code_pays() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4012001038166662", &[]).await;
    assert_eq!(a["errorCode"], 0);
    let acs = a["acsUrl"].as_str().unwrap();
    assert!(acs.ends_with("/acs/pareq"));
    assert!(a["termUrl"]
        .as_str()
        .unwrap()
        .contains("/payment/rest/finish3ds.do"));
    assert_eq!(s.status(&id).await["orderStatus"], 5);
    let page = s
        .form(
            acs,
            &[
                ("MD", &id),
                ("PaReq", a["paReq"].as_str().unwrap()),
                ("TermUrl", a["termUrl"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(page.status, 200);
    let done = s.answer_code_page(&page.text(), Some("12345678")).await;
    assert_eq!(
        loc(&done),
        format!("http://127.0.0.1:1/ok?orderId={id}&lang=en")
    );
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["cardAuthInfo"]["maskedPan"], "401200**6662");
}

#[tokio::test]
async fn tds1_wrong_code_and_cancel_decline() {
    let s = start().await;
    for code in [Some("00000000"), None] {
        let id = s.register("2000", &[]).await;
        let a = s.pay(&id, "4012001038166662", &[]).await;
        let page = s
            .form(
                a["acsUrl"].as_str().unwrap(),
                &[
                    ("MD", &id),
                    ("PaReq", a["paReq"].as_str().unwrap()),
                    ("TermUrl", a["termUrl"].as_str().unwrap()),
                ],
            )
            .await;
        let done = s.answer_code_page(&page.text(), code).await;
        assert!(loc(&done).starts_with("http://127.0.0.1:1/fail?orderId="));
        let st = s.status(&id).await;
        assert_eq!(st["orderStatus"], 6);
        assert_eq!(st["actionCode"], -2006);
    }
}

#[tokio::test]
async fn acs_redirect_renders_the_same_form() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4012001038166662", &[]).await;
    let r = s
        .get(&format!("/payment/acsRedirect.do?orderId={id}"))
        .await;
    assert_eq!(r.status, 200);
    let (action, fields) = form_of(&r.text());
    assert_eq!(action, a["acsUrl"].as_str().unwrap());
    assert!(fields.contains(&("MD".into(), id.clone())));
    assert!(fields.contains(&("PaReq".into(), a["paReq"].as_str().unwrap().into())));
    let page = s.form(&action, &pairs(&fields)).await;
    let done = s.answer_code_page(&page.text(), Some("12345678")).await;
    assert!(loc(&done).starts_with("http://127.0.0.1:1/ok"));
    // And the REST path alias.
    let r = s
        .get(&format!("/payment/rest/acsRedirect.do?orderId={id}"))
        .await;
    assert_eq!(r.status, 404);
}

/// paymentorder.do → methods → continue.do for a 3DS2 card.
async fn start_3ds2(
    s: &Sbx,
    pan: &str,
    gather: bool,
    extra: &[(&str, &str)],
) -> (String, Value, Value) {
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, pan, extra).await;
    assert_eq!(a["errorCode"], 0);
    assert_eq!(a["is3DSVer2"], true);
    s.run_methods(&a, gather).await;
    let c = s
        .raw(
            "3ds/continue.do",
            &[
                ("mdOrder", &id),
                ("token", TOKEN),
                ("threeDSMethodCompInd", "Y"),
                ("language", "en"),
            ],
        )
        .await;
    (id, a, c)
}

#[tokio::test]
async fn challenge_card_with_finish_url() {
    let s = start().await;
    let finish = "http://127.0.0.1:1/finish";
    let (id, a, c) = start_3ds2(
        &s,
        "5555555555555599",
        true,
        &[("threeDSVer2FinishUrl", finish)],
    )
    .await;
    assert!(a["threeDSMethodURL"].is_string());
    let packed = decode(a["threeDSMethodDataPacked"].as_str().unwrap());
    assert_eq!(packed["threeDSServerTransID"], a["threeDSServerTransId"]);
    assert!(packed["threeDSMethodNotificationURL"]
        .as_str()
        .unwrap()
        .contains("/3dsserver/api/v1/acs/notification"));
    assert_eq!(c["errorCode"], 0);
    assert!(c["acsUrl"].as_str().unwrap().ends_with("/acs/challenge"));
    let creq = decode(c["packedCReq"].as_str().unwrap());
    assert_eq!(creq["messageType"], "CReq");
    assert_eq!(creq["messageVersion"], "2.2.0");
    assert_eq!(creq["challengeWindowSize"], "05");
    assert_eq!(creq["threeDSServerTransID"], a["threeDSServerTransId"]);
    let trans = a["threeDSServerTransId"].as_str().unwrap();
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert_eq!(
        loc(&r),
        format!("{finish}?orderId={id}&threeDSServerTransId={trans}")
    );
    assert_eq!(s.status(&id).await["orderStatus"], 5);
    let f = s
        .raw(
            "finish3dsVer2Payment.do",
            &[
                ("threeDSServerTransId", trans),
                ("token", TOKEN),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(f["errorCode"], 0);
    assert_eq!(f["is3DSVer2"], true);
    assert_eq!(
        f["redirect"],
        format!("http://127.0.0.1:1/ok?orderId={id}&lang=en")
    );
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["cardAuthInfo"]["maskedPan"], "555555**5599");
    // The method endpoints were recorded.
    let log = s
        .get(&format!("/sandbox/orders/{id}/requests"))
        .await
        .json();
    let paths: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    for p in [
        "/payment/rest/register.do",
        "/payment/rest/paymentorder.do",
        "/3dsserver/api/v1/client/gather",
        "/acs/method",
        "/3dsserver/api/v1/acs/notification",
        "/payment/rest/3ds/continue.do",
        "/acs/challenge",
        "/acs/challenge/submit",
        "/3dsserver/api/v1/challenge/notification",
        "/payment/rest/finish3dsVer2Payment.do",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[tokio::test]
async fn challenge_without_finish_url_returns_to_return_url() {
    let s = start().await;
    let (id, _, c) = start_3ds2(&s, "5555555555555599", true, &[]).await;
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert_eq!(
        loc(&r),
        format!("http://127.0.0.1:1/ok?orderId={id}&lang=ru")
    );
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn challenge_wrong_code_and_cancel_decline() {
    let s = start().await;
    for code in [Some("11111111"), None] {
        let (id, _, c) = start_3ds2(&s, "5555555555555599", true, &[]).await;
        let r = s
            .challenge(
                c["acsUrl"].as_str().unwrap(),
                c["packedCReq"].as_str().unwrap(),
                code,
            )
            .await;
        assert!(loc(&r).starts_with("http://127.0.0.1:1/fail?orderId="));
        let st = s.status(&id).await;
        assert_eq!(st["orderStatus"], 6);
        assert_eq!(st["actionCode"], -2006);
    }
}

#[tokio::test]
async fn challenge_page_follows_window_size() {
    let s = start().await;
    for (size, w, h) in [
        ("01", 250, 400),
        ("02", 390, 400),
        ("03", 500, 600),
        ("04", 600, 400),
    ] {
        let (_, _, c) = start_3ds2(&s, "5555555555555599", true, &[]).await;
        let mut creq = decode(c["packedCReq"].as_str().unwrap());
        creq["challengeWindowSize"] = size.into();
        let page = s
            .form(c["acsUrl"].as_str().unwrap(), &[("creq", &encode(&creq))])
            .await;
        let html = page.text();
        assert!(html.contains(&format!("data-window-size=\"{size}\"")));
        assert!(html.contains(&format!(".acs{{width:{w}px;height:{h}px}}")));
        assert!(html.contains("data-visible-width") && html.contains("__acsVisible"));
        assert!(html.contains(">Confirm</button>") && html.contains(">Cancel</button>"));
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    }
    let (_, _, c) = start_3ds2(&s, "5555555555555599", true, &[]).await;
    let page = s
        .form(
            c["acsUrl"].as_str().unwrap(),
            &[("creq", c["packedCReq"].as_str().unwrap())],
        )
        .await;
    assert!(page.text().contains("class=\"acs full\""));
}

#[tokio::test]
async fn frictionless_card_pays_after_gather() {
    let s = start().await;
    let (id, a, c) = start_3ds2(&s, "4000001111111118", true, &[]).await;
    assert!(a["threeDSMethodURL"].is_string());
    assert_eq!(c["errorCode"], 0);
    assert!(c.get("acsUrl").is_none());
    assert_eq!(
        c["redirect"],
        format!("http://127.0.0.1:1/ok?orderId={id}&lang=en")
    );
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn frictionless_card_is_challenged_without_gather() {
    let s = start().await;
    let (id, _, c) = start_3ds2(&s, "4000001111111118", false, &[]).await;
    assert!(c["acsUrl"].is_string(), "{c}");
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert!(loc(&r).starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn server_method_only_card() {
    let s = start().await;
    let (id, a, c) = start_3ds2(&s, "4000002222222224", true, &[]).await;
    assert!(a["threeDSMethodURLServer"].is_string());
    assert!(a.get("threeDSMethodURL").is_none() && a.get("threeDSMethodDataPacked").is_none());
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert!(loc(&r).starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn soft_decline_runs_methods_again_then_challenges() {
    let s = start().await;
    let (id, a, c) = start_3ds2(&s, "4000003333333330", true, &[]).await;
    assert_eq!(c["errorCode"], 0);
    assert!(c.get("acsUrl").is_none());
    let new_trans = c["threeDSServerTransId"].as_str().unwrap().to_string();
    assert_ne!(new_trans, a["threeDSServerTransId"].as_str().unwrap());
    assert!(c["threeDSMethodURLServer"]
        .as_str()
        .unwrap()
        .contains(&new_trans));
    s.run_methods(&c, true).await;
    let again = s
        .pay(
            &id,
            "4000003333333330",
            &[("threeDSServerTransId", &new_trans)],
        )
        .await;
    assert_eq!(again["errorCode"], 0);
    let creq = decode(again["packedCReq"].as_str().unwrap());
    assert_eq!(creq["threeDSServerTransID"], new_trans.as_str());
    let r = s.challenge_of(&again, Some("12345678")).await;
    assert!(loc(&r).starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn decoupled_card_stays_pending() {
    let s = start().await;
    let (id, _, c) = start_3ds2(&s, "4000004444444446", true, &[]).await;
    assert_eq!(c["errorCode"], 0);
    assert!(c["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.status(&id).await["orderStatus"], 5);
    let r = s
        .json(
            &format!("/sandbox/orders/{id}/decoupled"),
            &serde_json::json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn issuer_declines_after_challenge() {
    let s = start().await;
    let (id, _, c) = start_3ds2(&s, "4000006666666663", true, &[]).await;
    let r = s.challenge_of(&c, Some("12345678")).await;
    assert!(loc(&r).starts_with("http://127.0.0.1:1/fail"));
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 6);
    assert_eq!(st["actionCode"], 5);
}

#[tokio::test]
async fn hanging_acs_method_then_frictionless() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let a = s.pay(&id, "4000007777777779", &[]).await;
    let gather = s
        .form(
            &format!("http://{}", a["threeDSMethodURLServer"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(gather.status, 200);
    // The ACS method page never answers within 10 s.
    let url = a["threeDSMethodURL"].as_str().unwrap();
    let body = serde_urlencoded::to_string([(
        "threeDSMethodData",
        a["threeDSMethodDataPacked"].as_str().unwrap(),
    )])
    .unwrap();
    let r = gateway_sandbox::client::request(
        "POST",
        url,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
        std::time::Duration::from_millis(500),
    )
    .await;
    assert!(r.is_err(), "the ACS method answered");
    let c = s
        .raw(
            "3ds/continue.do",
            &[
                ("mdOrder", &id),
                ("token", TOKEN),
                ("threeDSMethodCompInd", "N"),
            ],
        )
        .await;
    assert!(
        c["redirect"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:1/ok"),
        "{c}"
    );
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn no_method_urls_card() {
    let s = start().await;
    let (id, a, c) = start_3ds2(&s, "5200001111111113", false, &[]).await;
    assert!(a.get("threeDSMethodURLServer").is_none() && a.get("threeDSMethodURL").is_none());
    assert!(a["threeDSServerTransId"].is_string());
    assert!(c["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/ok"));
    assert_eq!(s.status(&id).await["orderStatus"], 2);
}

#[tokio::test]
async fn continue_without_pending_3ds_fails_with_error_code_0() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let c = s
        .raw("3ds/continue.do", &[("mdOrder", &id), ("token", TOKEN)])
        .await;
    assert_eq!(c["errorCode"], 0);
    assert_eq!(c["errorTypeName"], "TDS_UNKNOWN_ARES_STATUS");
    assert!(c["error"].is_string());
}
