//! REST API: the seeds' curl examples, error codes, auth, two-stage amounts, bindings, seToken.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn seed_register_example() {
    let s = start().await;
    let v = s
        .raw(
            "register.do",
            &[
                ("amount", "2000"),
                ("userName", "test_user"),
                ("password", "test_user_password"),
                ("returnUrl", "finish.html"),
                ("failUrl", "errors_en.html"),
                ("email", "test@test.ru"),
                ("clientId", "259753456"),
                ("language", "en"),
            ],
        )
        .await;
    let id = v["orderId"].as_str().unwrap();
    assert_eq!(
        v["formUrl"],
        format!(
            "{}/payment/merchants/rbs/payment_en.html?mdOrder={id}",
            s.base
        )
    );
    assert_eq!(v.as_object().unwrap().len(), 2);
    // The relative returnUrl resolves under the gateway's merchant pages, as the seeds' answers show.
    let a = s.pay(id, "4444555511113333", &[]).await;
    assert_eq!(
        a["redirect"],
        format!(
            "{}/payment/merchants/test_user/finish.html?orderId={id}&lang=en",
            s.base
        )
    );
    let page = s
        .get(&a["redirect"].as_str().unwrap().replace(&s.base, ""))
        .await;
    assert!(page.text().contains("data-order-status=\"2\""));
    let st = s.status(id).await;
    assert_eq!(st["errorCode"], "0");
    assert_eq!(st["errorMessage"], "Success");
    assert_eq!(st["currency"], "398");
    assert_eq!(st["attributes"][0]["name"], "mdOrder");
    assert_eq!(st["attributes"][0]["value"], id);
    assert_eq!(st["bindingInfo"]["clientId"], "259753456");
    assert!(st["bindingInfo"]["bindingId"].is_string());
    assert_eq!(st["bankInfo"]["bankCountryName"], "&ltUnknown&gt");
    for k in [
        "orderNumber",
        "actionCodeDescription",
        "date",
        "authDateTime",
        "terminalId",
        "authRefNum",
    ] {
        assert!(st.get(k).is_some(), "{k}");
    }
}

#[tokio::test]
async fn seed_two_stage_example_deposit_refund() {
    let s = start().await;
    let v = s
        .rest(
            "registerPreAuth.do",
            &[
                ("amount", "2000"),
                ("returnUrl", "finish.html"),
                ("orderNumber", "1255555555555"),
                ("clientId", "259753456"),
                ("language", "en"),
            ],
        )
        .await;
    let id = v["orderId"].as_str().unwrap().to_string();
    s.pay(&id, "4444555511113333", &[]).await;
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 1);
    assert_eq!(st["orderNumber"], "1255555555555");
    assert_eq!(
        st["paymentAmountInfo"],
        json!({"paymentState":"APPROVED","approvedAmount":2000,"depositedAmount":0,"refundedAmount":0})
    );
    // refund before deposit: wrong state.
    let r = s
        .rest(
            "refund.do",
            &[("orderId", &id), ("amount", "100"), ("language", "en")],
        )
        .await;
    assert_eq!(r["errorCode"], 7);
    // Partial deposit.
    let d = s
        .rest(
            "deposit.do",
            &[("orderId", &id), ("amount", "1500"), ("language", "en")],
        )
        .await;
    assert_eq!(d, json!({"errorCode": 0, "errorMessage": "Success"}));
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["paymentAmountInfo"]["depositedAmount"], 1500);
    assert_eq!(st["paymentAmountInfo"]["paymentState"], "DEPOSITED");
    // A second deposit: wrong state.
    let d = s
        .rest(
            "deposit.do",
            &[("orderId", &id), ("amount", "500"), ("language", "en")],
        )
        .await;
    assert_eq!(d["errorCode"], 7);
    // Refunds up to the deposited total.
    let r = s
        .rest(
            "refund.do",
            &[("orderId", &id), ("amount", "1000"), ("language", "en")],
        )
        .await;
    assert_eq!(r, json!({"errorCode": 0, "errorMessage": "Success"}));
    let r = s
        .rest(
            "refund.do",
            &[("orderId", &id), ("amount", "600"), ("language", "en")],
        )
        .await;
    assert_eq!(r["errorCode"], 7);
    assert_eq!(
        r["errorMessage"],
        "Refund amount exceeds the deposited amount"
    );
    let r = s
        .rest(
            "refund.do",
            &[("orderId", &id), ("amount", "500"), ("language", "en")],
        )
        .await;
    assert_eq!(r["errorCode"], 0);
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 4);
    assert_eq!(st["paymentAmountInfo"]["refundedAmount"], 1500);
    assert_eq!(st["paymentAmountInfo"]["paymentState"], "REFUNDED");
    // By orderNumber too.
    let st2 = s
        .rest(
            "getOrderStatusExtended.do",
            &[("orderNumber", "1255555555555")],
        )
        .await;
    assert_eq!(st2["attributes"][0]["value"], id.as_str());
}

#[tokio::test]
async fn deposit_and_reverse_errors() {
    let s = start().await;
    let id = s.register_with("registerPreAuth.do", "2000", &[]).await;
    assert_eq!(
        s.rest("deposit.do", &[("orderId", &id), ("amount", "0")])
            .await["errorCode"],
        7
    );
    assert_eq!(
        s.rest("reverse.do", &[("orderId", &id)]).await["errorCode"],
        7
    );
    s.pay(&id, "4444555511113333", &[]).await;
    let e = |v: serde_json::Value| v["errorCode"].clone();
    assert_eq!(
        e(s.rest("deposit.do", &[("orderId", &id), ("amount", "50")])
            .await),
        5
    );
    assert_eq!(
        e(s.rest("deposit.do", &[("orderId", &id), ("amount", "abc")])
            .await),
        5
    );
    assert_eq!(
        e(
            s.rest("deposit.do", &[("orderId", &id), ("amount", "2500")])
                .await
        ),
        5
    );
    assert_eq!(
        e(
            s.rest("deposit.do", &[("orderId", "nope"), ("amount", "0")])
                .await
        ),
        6
    );
    assert_eq!(
        e(s.rest("reverse.do", &[("orderId", &id), ("amount", "100")])
            .await),
        5
    );
    assert_eq!(e(s.rest("reverse.do", &[("orderId", "nope")]).await), 6);
    assert_eq!(e(s.rest("reverse.do", &[("orderId", &id)]).await), 0);
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 3);
    assert_eq!(st["paymentAmountInfo"]["paymentState"], "REVERSED");
    assert_eq!(
        e(s.rest("deposit.do", &[("orderId", &id), ("amount", "0")])
            .await),
        7
    );
    // Full deposit with amount 0 on another hold.
    let id2 = s.register_with("registerPreAuth.do", "2000", &[]).await;
    s.pay(&id2, "4444555511113333", &[]).await;
    assert_eq!(
        e(s.rest("deposit.do", &[("orderId", &id2), ("amount", "0")])
            .await),
        0
    );
    assert_eq!(
        s.status(&id2).await["paymentAmountInfo"]["depositedAmount"],
        2000
    );
    // refund errors
    assert_eq!(e(s.rest("refund.do", &[("amount", "100")]).await), 5);
    assert_eq!(
        e(s.rest("refund.do", &[("orderId", &id2), ("amount", "x")])
            .await),
        5
    );
    assert_eq!(
        e(s.rest("refund.do", &[("orderId", "nope"), ("amount", "1")])
            .await),
        6
    );
}

#[tokio::test]
async fn register_error_codes() {
    let s = start().await;
    let base = [("returnUrl", "http://127.0.0.1:1/ok"), ("language", "en")];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut p = base.to_vec();
        p.extend_from_slice(extra);
        p
    };
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (with(&[("amount", "")]), "12", "Empty amount"),
        (with(&[]), "4", "Amount is not specified"),
        (with(&[("amount", "12x")]), "5", "Invalid amount"),
        (with(&[("amount", "0")]), "5", "Invalid amount"),
        (
            with(&[("amount", "100"), ("currency", "999")]),
            "3",
            "Unknown currency",
        ),
        (
            with(&[("amount", "100"), ("orderNumber", "")]),
            "4",
            "Order number cannot be empty",
        ),
        (
            with(&[("amount", "100"), ("orderNumber", "bad number!")]),
            "1",
            "Invalid order number",
        ),
        (
            with(&[("amount", "100"), ("features", "NOPE")]),
            "14",
            "Features are specified incorrectly",
        ),
        (
            with(&[("amount", "100"), ("jsonParams", "{oops")]),
            "5",
            "[jsonParams] is invalid",
        ),
        (
            with(&[("amount", "100"), ("merchantLogin", "other")]),
            "5",
            "Invalid merchant login",
        ),
        (
            vec![("amount", "100"), ("language", "en")],
            "4",
            "Return URL cannot be empty",
        ),
        (
            with(&[("amount", "100"), ("language", "english")]),
            "5",
            "Неверный параметр 'Язык'",
        ),
    ];
    for (params, code, msg) in cases {
        let v = s.rest("register.do", &params).await;
        assert_eq!(v["errorCode"], code, "{params:?} → {v}");
        assert_eq!(v["errorMessage"], msg, "{params:?}");
    }
    let ok = s
        .rest(
            "register.do",
            &with(&[("amount", "100"), ("orderNumber", "A-1")]),
        )
        .await;
    assert!(ok["orderId"].is_string());
    let dup = s
        .rest(
            "registerPreAuth.do",
            &with(&[("amount", "100"), ("orderNumber", "A-1")]),
        )
        .await;
    assert_eq!(dup["errorCode"], "1");
    // The seed's quirk: a string errorCode.
    let v = s.rest("register.do", &with(&[("amount", "")])).await;
    assert_eq!(
        v,
        json!({"errorCode": "12", "errorMessage": "Empty amount"})
    );
}

#[tokio::test]
async fn auth_variants() {
    let s = start().await;
    let p = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![
            ("amount", "100"),
            ("returnUrl", "http://127.0.0.1:1/ok"),
            ("language", "en"),
        ];
        v.extend_from_slice(extra);
        v
    };
    let code = |v: serde_json::Value| v["errorCode"].clone();
    assert_eq!(code(s.raw("register.do", &p(&[])).await), "5");
    assert_eq!(
        code(
            s.raw(
                "register.do",
                &p(&[("userName", "test_user"), ("password", "wrong")])
            )
            .await
        ),
        "5"
    );
    assert_eq!(
        code(s.raw("register.do", &p(&[("userName", "test_user")])).await),
        "4"
    );
    assert_eq!(
        code(
            s.raw("register.do", &p(&[("userName", ""), ("password", "x")]))
                .await
        ),
        "4"
    );
    assert_eq!(
        code(s.raw("register.do", &p(&[("token", "wrong")])).await),
        "5"
    );
    assert_eq!(
        code(
            s.raw(
                "register.do",
                &p(&[
                    ("token", TOKEN),
                    ("userName", "test_user"),
                    ("password", "test_user_password")
                ])
            )
            .await
        ),
        "5"
    );
    let v = s.raw("register.do", &p(&[("token", TOKEN)])).await;
    assert!(v["orderId"].is_string());
    let id = v["orderId"].as_str().unwrap();
    // The token works on paymentorder.do, continue.do, finish3dsVer2Payment.do, getOrderStatusExtended.do.
    let a = s
        .raw(
            "paymentorder.do",
            &[
                ("MDORDER", id),
                ("$PAN", "4444555511113333"),
                ("$CVC", "123"),
                ("YYYY", "2030"),
                ("MM", "12"),
                ("TEXT", "A B"),
                ("token", TOKEN),
            ],
        )
        .await;
    assert_eq!(a["errorCode"], 0);
    let st = s
        .raw(
            "getOrderStatusExtended.do",
            &[("orderId", id), ("token", TOKEN)],
        )
        .await;
    assert_eq!(st["orderStatus"], 2);
    // Seed 003: deposit.do, reverse.do and refund.do take userName and password, no token (which a page carries:
    // anybody reading it could move the money). The paid order stays paid.
    for m in ["refund.do", "reverse.do", "deposit.do"] {
        let v = s
            .raw(
                m,
                &[
                    ("orderId", id),
                    ("token", TOKEN),
                    ("amount", "0"),
                    ("language", "en"),
                ],
            )
            .await;
        assert_eq!(v["errorCode"], 5, "{m}: {v}");
        assert_eq!(v["errorMessage"], "Access denied", "{m}");
    }
    assert_eq!(s.status(id).await["orderStatus"], 2);
    for m in [
        "getOrderStatusExtended.do",
        "paymentorder.do",
        "3ds/continue.do",
        "finish3dsVer2Payment.do",
        "deposit.do",
        "refund.do",
        "reverse.do",
    ] {
        let v = s
            .raw(m, &[("orderId", id), ("token", "bad"), ("language", "en")])
            .await;
        assert_eq!(v["errorCode"], 5, "{m}");
        assert_eq!(v["errorMessage"], "Access denied", "{m}");
    }
    let v = s
        .raw(
            "paymentOrderBinding.do",
            &[("mdOrder", id), ("language", "en")],
        )
        .await;
    assert_eq!(
        v,
        json!({"error": "Access denied", "errorCode": 5, "errorMessage": "Access denied"})
    );
}

#[tokio::test]
async fn error_messages_follow_language() {
    let s = start().await;
    let v = s
        .raw("getOrderStatusExtended.do", &[("orderId", "x")])
        .await;
    assert_eq!(v["errorMessage"], "Доступ запрещён");
    let v = s
        .raw(
            "getOrderStatusExtended.do",
            &[("orderId", "x"), ("language", "kk")],
        )
        .await;
    assert_eq!(v["errorMessage"], "Кіру рұқсаты жоқ.");
    let v = s
        .rest(
            "getOrderStatusExtended.do",
            &[("orderId", "x"), ("language", "en")],
        )
        .await;
    assert_eq!(
        v,
        json!({"errorCode": 6, "errorMessage": "Unregistered orderId"})
    );
    let v = s
        .rest("getOrderStatusExtended.do", &[("language", "en")])
        .await;
    assert_eq!(v["errorCode"], 5);
}

#[tokio::test]
async fn multipart_is_refused() {
    let s = start().await;
    let body =
        "--XX\r\nContent-Disposition: form-data; name=\"userName\"\r\n\r\ntest_user\r\n--XX--\r\n";
    let r = s
        .req(
            "POST",
            "/payment/rest/register.do",
            &[("Content-Type", "multipart/form-data; boundary=XX")],
            body.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["errorCode"], 7);
}

#[tokio::test]
async fn payment_order_errors() {
    let s = start().await;
    let id = s.register("2000", &[]).await;
    let code = |v: &serde_json::Value| v["errorCode"].clone();
    let card = |pan: &'static str, cvc: &'static str, y: &'static str, m: &'static str| {
        vec![
            ("$PAN", pan),
            ("$CVC", cvc),
            ("YYYY", y),
            ("MM", m),
            ("language", "en"),
        ]
    };
    for (p, msg) in [
        (
            card("4444555511113334", "123", "2030", "12"),
            "Invalid card number",
        ),
        (card("4444555511113333", "12", "2030", "12"), "Invalid CVC"),
        (
            card("4444555511113333", "123", "2020", "01"),
            "Invalid card expiry date",
        ),
        (
            card("4444555511113333", "123", "2030", "13"),
            "Invalid card expiry date",
        ),
    ] {
        let mut all = vec![("MDORDER", id.as_str())];
        all.extend(p);
        let v = s.rest("paymentorder.do", &all).await;
        assert_eq!(code(&v), 5);
        assert_eq!(v["errorMessage"], msg);
    }
    let v = s.pay("no-such-order", "4444555511113333", &[]).await;
    assert_eq!(code(&v), 5);
    // The seeds' 12/24 expiry is accepted.
    let v = s
        .rest(
            "paymentorder.do",
            &[
                ("MDORDER", &id),
                ("$PAN", "4444555511113333"),
                ("$CVC", "123"),
                ("YYYY", "2024"),
                ("MM", "12"),
            ],
        )
        .await;
    assert_eq!(code(&v), 0);
    // A paid order cannot be paid again.
    let v = s.pay(&id, "4444555511113333", &[]).await;
    assert_eq!(code(&v), 5);
}

#[tokio::test]
async fn expired_order_cannot_be_paid() {
    let s = start().await;
    let id = s.register("2000", &[("sessionTimeoutSecs", "1")]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let v = s.pay(&id, "4444555511113333", &[]).await;
    assert_eq!(v["errorCode"], 0);
    assert!(v["error"].is_string());
    assert!(v["redirect"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:1/fail"));
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 6);
    assert_eq!(st["actionCode"], -2007);
    let past = s
        .register("2000", &[("expirationDate", "2020-01-01T00:00:00")])
        .await;
    assert_eq!(s.status(&past).await["orderStatus"], 6);
}

#[tokio::test]
async fn seed_3ds_examples() {
    let s = start().await;
    // 000: 4012 0010 3816 6662, 12/24, ip → 3DS1 answer with termUrl ?lang=en.
    let id = s.register("2000", &[]).await;
    let v = s
        .rest(
            "paymentorder.do",
            &[
                ("MDORDER", &id),
                ("$PAN", "4012001038166662"),
                ("$CVC", "123"),
                ("YYYY", "2024"),
                ("MM", "12"),
                ("TEXT", "TEST CARDHOLDER"),
                ("ip", "185.230.240.201"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(v["info"], "Your order is proceeded, redirecting...");
    assert_eq!(v["errorCode"], 0);
    assert!(v["paReq"].is_string());
    assert_eq!(
        v["termUrl"],
        format!("{}/payment/rest/finish3ds.do?lang=en", s.base)
    );
    assert_eq!(s.status(&id).await["ip"], "185.230.240.201");
    // 000: 4000 0011 1111 1118, 12/30 → the 3DS2 answer, threeDSMethodURLServer without a scheme.
    let id = s
        .register(
            "2000",
            &[("currency", "398"), ("description", "my_first_order")],
        )
        .await;
    let v = s
        .rest(
            "paymentorder.do",
            &[
                ("MDORDER", &id),
                ("$PAN", "4000001111111118"),
                ("$CVC", "123"),
                ("YYYY", "2030"),
                ("MM", "12"),
                ("TEXT", "TEST CARDHOLDER"),
                ("ip", "185.230.240.201"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(v["errorCode"], 0);
    assert_eq!(v["is3DSVer2"], true);
    let trans = v["threeDSServerTransId"].as_str().unwrap();
    assert_eq!(
        v["threeDSMethodURLServer"],
        format!(
            "{}/3dsserver/api/v1/client/gather?threeDSServerTransID={trans}",
            s.host
        )
    );
    assert!(v["threeDSMethodURL"]
        .as_str()
        .unwrap()
        .starts_with("http://"));
    let packed = decode(v["threeDSMethodDataPacked"].as_str().unwrap());
    assert_eq!(packed["threeDSServerTransID"], trans);
}

#[tokio::test]
async fn bindings_seed_examples() {
    let s = start().await;
    let e = |v: &serde_json::Value| v["errorCode"].clone();
    let none = s
        .rest(
            "getBindings.do",
            &[("clientId", "259753456"), ("language", "en")],
        )
        .await;
    assert_eq!(e(&none), "2");
    assert_eq!(e(&s.rest("getBindings.do", &[]).await), 1);
    let id = s.register("2000", &[("clientId", "259753456")]).await;
    s.pay(&id, "4444555511113333", &[]).await;
    let b = s
        .rest(
            "getBindings.do",
            &[("clientId", "259753456"), ("bindingType", "C")],
        )
        .await;
    assert_eq!(e(&b), "0");
    let binding = &b["bindings"][0];
    assert_eq!(binding["maskedPan"], "444455**3333");
    assert_eq!(binding["expiryDate"], "203012");
    assert_eq!(binding["paymentWay"], "CARD");
    assert_eq!(binding["displayLabel"], "XXXXXXXXXXXX3333");
    let bid = binding["bindingId"].as_str().unwrap().to_string();
    assert_eq!(
        s.status(&id).await["bindingInfo"]["bindingId"],
        bid.as_str()
    );
    // paymentOrderBinding.do as in the seed.
    let id2 = s.register("2000", &[("clientId", "259753456")]).await;
    let v = s
        .rest(
            "paymentOrderBinding.do",
            &[
                ("mdOrder", &id2),
                ("bindingId", &bid),
                ("clientId", "259753456"),
                ("ip", "1d0d:db8:6:1::77"),
                ("cvc", "123"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(v["errorCode"], 0);
    assert_eq!(v["info"], "Your order is proceeded, redirecting...");
    assert_eq!(
        v["redirect"],
        format!("http://127.0.0.1:1/ok?orderId={id2}&lang=en")
    );
    let st = s.status(&id2).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["ip"], "1d0d:db8:6:1::77");
    // Seed 003, register.do's clientId: "must be given when payments are made with a binding; otherwise the payment
    // cannot be made": an order without one, or another shopper's, is not paid with this binding, and nothing is
    // charged.
    for client in [None, Some("someone-else")] {
        let params: Vec<(&str, &str)> = client.map(|c| ("clientId", c)).into_iter().collect();
        let other = s.register("2000", &params).await;
        let v = s
            .rest(
                "paymentOrderBinding.do",
                &[
                    ("mdOrder", &other),
                    ("bindingId", &bid),
                    ("cvc", "123"),
                    ("ip", "10.0.0.7"),
                ],
            )
            .await;
        assert_eq!(e(&v), 2, "{client:?}: {v}");
        assert_eq!(s.status(&other).await["orderStatus"], 0);
    }
    // Errors: no cvc (without AUTO_PAYMENT), unknown binding, unknown order.
    let id3 = s.register("2000", &[("clientId", "259753456")]).await;
    assert_eq!(
        e(&s.rest(
            "paymentOrderBinding.do",
            &[("mdOrder", &id3), ("bindingId", &bid)]
        )
        .await),
        1
    );
    assert_eq!(
        e(&s.rest(
            "paymentOrderBinding.do",
            &[("mdOrder", &id3), ("bindingId", "x"), ("cvc", "123")]
        )
        .await),
        2
    );
    assert_eq!(
        e(&s.rest(
            "paymentOrderBinding.do",
            &[("mdOrder", "x"), ("bindingId", &bid), ("cvc", "123")]
        )
        .await),
        2
    );
    // Recurring (000): AUTO_PAYMENT needs no cvc.
    let id4 = s
        .register(
            "2000",
            &[("clientId", "259753456"), ("features", "AUTO_PAYMENT")],
        )
        .await;
    let v = s
        .rest(
            "paymentOrderBinding.do",
            &[
                ("mdOrder", &id4),
                ("bindingId", &bid),
                ("ip", "1d0d:db8:6:1::77"),
            ],
        )
        .await;
    assert_eq!(v["errorCode"], 0);
    // A 3DS1 card's binding goes through the ACS.
    let id5 = s.register("2000", &[("clientId", "c2")]).await;
    let a = s.pay(&id5, "4012001038166662", &[]).await;
    let page = s
        .form(
            a["acsUrl"].as_str().unwrap(),
            &[
                ("MD", &id5),
                ("PaReq", a["paReq"].as_str().unwrap()),
                ("TermUrl", a["termUrl"].as_str().unwrap()),
            ],
        )
        .await;
    s.answer_code_page(&page.text(), Some("12345678")).await;
    let b = s.rest("getBindings.do", &[("clientId", "c2")]).await;
    let bid2 = b["bindings"][0]["bindingId"].as_str().unwrap();
    let id6 = s.register("2000", &[("clientId", "c2")]).await;
    let v = s
        .rest(
            "paymentOrderBinding.do",
            &[("mdOrder", &id6), ("bindingId", bid2), ("cvc", "123")],
        )
        .await;
    assert!(v["acsUrl"].is_string() && v["paReq"].is_string() && v["termUrl"].is_string());
}

#[tokio::test]
async fn se_token_payment() {
    use rsa::pkcs8::DecodePublicKey;
    let s = start().await;
    let keys = s.get("/payment/se/keys.do").await.json();
    let key = keys["keys"][0]["keyValue"].as_str().unwrap();
    assert!(key.starts_with("-----BEGIN PUBLIC KEY-----"));
    assert_eq!(keys["keys"][0]["protocolVersion"], "RSA");
    let der_b64 = key
        .trim_start_matches("-----BEGIN PUBLIC KEY-----")
        .trim_end_matches("-----END PUBLIC KEY-----");
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(der_b64)
        .unwrap();
    let public = rsa::RsaPublicKey::from_public_key_der(&der).unwrap();
    let id = s.register("2000", &[]).await;
    let plain = format!(
        "2030-01-01T10:00:00+05:00/{}/4444555511113333/123/203012/{id}",
        "2b1a1c0e-8c0e-4a7e-9a4c-3f1e2d3c4b5a"
    );
    let enc = public
        .encrypt(
            &mut rand::thread_rng(),
            rsa::Pkcs1v15Encrypt,
            plain.as_bytes(),
        )
        .unwrap();
    let token = base64::engine::general_purpose::STANDARD.encode(enc);
    // Seed 003: MDORDER is required with a seToken too (the token's own mdOrder does not stand for it).
    let v = s
        .rest(
            "paymentorder.do",
            &[
                ("seToken", &token),
                ("TEXT", "SE HOLDER"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(v["errorCode"], 5, "{v}");
    assert_eq!(s.status(&id).await["orderStatus"], 0);
    let v = s
        .rest(
            "paymentorder.do",
            &[
                ("MDORDER", &id),
                ("seToken", &token),
                ("TEXT", "SE HOLDER"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(v["errorCode"], 0, "{v}");
    let st = s.status(&id).await;
    assert_eq!(st["orderStatus"], 2);
    assert_eq!(st["cardAuthInfo"]["maskedPan"], "444455**3333");
    let bad = s
        .rest("paymentorder.do", &[("MDORDER", &id), ("seToken", "AAAA")])
        .await;
    assert_eq!(bad["errorCode"], 5);
    // The request log keeps no token plaintext nor PAN.
    let log = s
        .get(&format!("/sandbox/orders/{id}/requests"))
        .await
        .text();
    assert!(!log.contains("4444555511113333") && !log.contains(&token));
}
