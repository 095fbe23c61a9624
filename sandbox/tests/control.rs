//! Control endpoints (faults, request log), CORS, callbacks, static files, the shop backend.

mod common;

use std::time::Duration;

use common::*;
use gateway_sandbox::Config;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn fault(s: &Sbx, v: serde_json::Value) {
    let r = s.json("/sandbox/faults", &v).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn transport_faults() {
    let s = start().await;
    let path = "/payment/rest/getOrderStatusExtended.do";
    let id = s.register("100", &[]).await;
    fault(&s, json!({"path": path, "fault": {"http500": true}})).await;
    let form = [
        ("userName", "test_user"),
        ("password", "test_user_password"),
        ("orderId", id.as_str()),
    ];
    let r = s.form(path, &form).await;
    assert_eq!(r.status, 500);
    // times defaults to 1.
    assert_eq!(s.form(path, &form).await.status, 200);

    fault(
        &s,
        json!({"path": path, "fault": {"html": true}, "times": 2}),
    )
    .await;
    for _ in 0..2 {
        let r = s.form(path, &form).await;
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text().contains("<html"));
    }
    assert!(s
        .form(path, &form)
        .await
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    fault(&s, json!({"path": path, "fault": {"malformedJson": true}})).await;
    let r = s.form(path, &form).await;
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    fault(&s, json!({"path": path, "fault": {"delayMs": 300}})).await;
    let t = std::time::Instant::now();
    assert_eq!(s.form(path, &form).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    fault(&s, json!({"path": path, "fault": {"drop": true}})).await;
    let body = serde_urlencoded::to_string(form).unwrap();
    let r = gateway_sandbox::client::request(
        "POST",
        &format!("{}{path}", s.base),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
        Duration::from_secs(5),
    )
    .await;
    assert!(r.is_err(), "the connection was not dropped: {r:?}");

    fault(
        &s,
        json!({"path": path, "fault": {"methodNeverLoads": true}}),
    )
    .await;
    let r = gateway_sandbox::client::request(
        "POST",
        &format!("{}{path}", s.base),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
        Duration::from_millis(400),
    )
    .await;
    assert!(r.is_err());
    // The list, then DELETE clears.
    fault(
        &s,
        json!({"path": path, "fault": {"http500": true}, "times": 5}),
    )
    .await;
    assert_eq!(
        s.get("/sandbox/faults")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        s.req("DELETE", "/sandbox/faults", &[], b"").await.status,
        200
    );
    assert_eq!(s.form(path, &form).await.status, 200);
    // Bad fault definitions are refused.
    assert_eq!(
        s.json(
            "/sandbox/faults",
            &json!({"path": path, "fault": {"nope": 1}})
        )
        .await
        .status,
        400
    );
}

#[tokio::test]
async fn faults_per_order() {
    let s = start().await;
    let a = s.register("100", &[]).await;
    let b = s.register("100", &[]).await;
    fault(
        &s,
        json!({"path": "/payment/rest/paymentorder.do", "orderId": b, "fault": {"http500": true}}),
    )
    .await;
    assert_eq!(s.pay(&a, "4444555511113333", &[]).await["errorCode"], 0);
    let mut p = AUTH.to_vec();
    p.extend([
        ("MDORDER", b.as_str()),
        ("$PAN", "4444555511113333"),
        ("$CVC", "123"),
        ("YYYY", "2030"),
        ("MM", "12"),
    ]);
    assert_eq!(
        s.form("/payment/rest/paymentorder.do", &p).await.status,
        500
    );
    assert_eq!(
        s.form("/payment/rest/paymentorder.do", &p).await.status,
        200
    );
}

#[tokio::test]
async fn acs_never_returns() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    fault(
        &s,
        json!({"path": "/acs/challenge", "orderId": id, "fault": {"acsNeverReturns": true}}),
    )
    .await;
    let a = s.pay(&id, "5555555555555599", &[]).await;
    s.run_methods(&a, true).await;
    let c = s.rest("3ds/continue.do", &[("mdOrder", &id)]).await;
    let page = s
        .form(
            c["acsUrl"].as_str().unwrap(),
            &[("creq", c["packedCReq"].as_str().unwrap())],
        )
        .await;
    let (action, mut fields) = form_of(&page.text());
    fields.push(("code".into(), "12345678".into()));
    let r = s.form(&action, &pairs(&fields)).await;
    assert!(!r.text().contains("<form"));
    assert_eq!(s.status(&id).await["orderStatus"], 5);
    // 3DS1 too.
    let id = s.register("100", &[]).await;
    fault(
        &s,
        json!({"path": "/acs/pareq", "fault": {"acsNeverReturns": true}}),
    )
    .await;
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
    let (action, mut fields) = form_of(&page.text());
    fields.push(("code".into(), "12345678".into()));
    assert!(!s
        .form(&action, &pairs(&fields))
        .await
        .text()
        .contains("<form"));
}

#[tokio::test]
async fn method_never_loads_on_the_gather() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    fault(
        &s,
        json!({"path": "/3dsserver/api/v1/client/gather", "fault": {"methodNeverLoads": true}}),
    )
    .await;
    let a = s.pay(&id, "4000001111111118", &[]).await;
    let r = gateway_sandbox::client::request(
        "POST",
        &format!("http://{}", a["threeDSMethodURLServer"].as_str().unwrap()),
        &[],
        b"",
        Duration::from_millis(300),
    )
    .await;
    assert!(r.is_err());
    // The gather did not complete: the frictionless card is challenged.
    let c = s
        .rest(
            "3ds/continue.do",
            &[("mdOrder", &id), ("threeDSMethodCompInd", "N")],
        )
        .await;
    assert!(c["acsUrl"].is_string());
    let log = s
        .get("/sandbox/requests?path=/3dsserver/api/v1/client/gather")
        .await
        .json();
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["orderId"], id.as_str());
}

#[tokio::test]
async fn request_log_masks_card_data() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    let info = r#"{"userAgent":"UA","screenWidth":1920,"javaEnabled":false}"#;
    s.pay(
        &id,
        "4444555511113333",
        &[("clientBrowserInfo", info), ("ip", "10.0.0.1")],
    )
    .await;
    let r = s.get(&format!("/sandbox/orders/{id}/requests")).await;
    let text = r.text();
    assert!(!text.contains("4444555511113333"));
    assert!(!text.contains("test_user_password"));
    let log = r.json();
    let pay = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/payment/rest/paymentorder.do")
        .unwrap();
    assert_eq!(pay["params"]["$PAN"], "444455**3333");
    assert!(pay["params"].get("$CVC").is_none());
    assert_eq!(pay["params"]["clientBrowserInfo"], info);
    assert_eq!(pay["method"], "POST");
    assert!(pay["at"].as_u64().unwrap() > 1_600_000_000_000);
    let all = s
        .get("/sandbox/requests?path=/payment/rest/paymentorder.do")
        .await
        .json();
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn cors_and_preflight() {
    let s = start().await;
    let r = s
        .req(
            "OPTIONS",
            "/payment/rest/paymentorder.do",
            &[
                ("Origin", "http://localhost:9"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            b"",
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:9")
    );
    assert!(r
        .header("access-control-allow-methods")
        .unwrap()
        .contains("POST"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("content-type")
    );
    let r = s
        .req(
            "GET",
            "/payment/se/keys.do",
            &[("Origin", "http://localhost:9")],
            b"",
        )
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:9")
    );
    let r = s.get("/payment/se/keys.do").await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    let off = start_with(Config {
        token: TOKEN.into(),
        cors: false,
        ..Config::default()
    })
    .await;
    let r = off
        .req(
            "GET",
            "/payment/se/keys.do",
            &[("Origin", "http://localhost:9")],
            b"",
        )
        .await;
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn callbacks_carry_the_checksum() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let n = sock.read(&mut buf).await.unwrap();
            let line = String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
            let _ = tx.send(line);
        }
    });
    let s = start().await;
    let cb = format!("http://127.0.0.1:{port}/cb");
    let id = s
        .register_with(
            "registerPreAuth.do",
            "2000",
            &[("dynamicCallbackUrl", &cb), ("orderNumber", "cb-1")],
        )
        .await;
    s.pay(&id, "4444555511113333", &[]).await;
    s.rest("deposit.do", &[("orderId", &id), ("amount", "0")])
        .await;
    s.rest("refund.do", &[("orderId", &id), ("amount", "100")])
        .await;
    let mut ops = Vec::new();
    for _ in 0..3 {
        let line = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap();
        let target = line.split_whitespace().nth(1).unwrap().to_string();
        let query = target.split_once('?').unwrap().1;
        let params: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("mdOrder"), id);
        assert_eq!(get("orderNumber"), "cb-1");
        assert_eq!(get("status"), "1");
        let expected =
            gateway_sandbox::callbacks::checksum(gateway_sandbox::DEFAULT_CALLBACK_SECRET, &params);
        // Independent check: HMAC-SHA256 over "mdOrder;…;operation;…;orderNumber;…;status;…;".
        use hmac::Mac;
        let data = format!(
            "mdOrder;{};operation;{};orderNumber;cb-1;status;1;",
            id,
            get("operation")
        );
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(b"sandbox-callback-secret").unwrap();
        mac.update(data.as_bytes());
        let hex = hex::encode(mac.finalize().into_bytes());
        assert!(get("checksum").eq_ignore_ascii_case(&hex));
        assert_eq!(get("checksum"), expected);
        ops.push(get("operation"));
    }
    ops.sort();
    assert_eq!(ops, ["approved", "deposited", "refunded"]);
    // Non-loopback URLs are never called.
    let id = s
        .register("100", &[("dynamicCallbackUrl", "http://example.com/cb")])
        .await;
    s.pay(&id, "4444555511113333", &[]).await;
    let log = s.get("/sandbox/callbacks").await.json();
    assert!(log.as_array().unwrap().iter().any(
        |c| c["sent"] == false && c["url"].as_str().unwrap().starts_with("http://example.com")
    ));
}

#[tokio::test]
async fn static_files_and_shop() {
    let dir = std::env::temp_dir().join(format!("sbx-static-{}", std::process::id()));
    let pkg = dir.join("pkg");
    let www = dir.join("www");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::create_dir_all(www.join("sub")).unwrap();
    for (name, body) in [
        ("m.wasm", "\0asm"),
        ("m.js", "export{}"),
        ("m.mjs", "x"),
        ("a.css", "b{}"),
        ("i.svg", "<svg/>"),
        ("d.json", "{}"),
    ] {
        std::fs::write(pkg.join(name), body).unwrap();
    }
    std::fs::write(www.join("index.html"), "<p>shop</p>").unwrap();
    std::fs::write(www.join("sub/index.html"), "<p>sub</p>").unwrap();
    let s = start_with(Config {
        token: TOKEN.into(),
        pkg: Some(pkg),
        www: Some(www),
        ..Config::default()
    })
    .await;
    for (name, ct) in [
        ("m.wasm", "application/wasm"),
        ("m.js", "text/javascript"),
        ("m.mjs", "text/javascript"),
        ("a.css", "text/css"),
        ("i.svg", "image/svg+xml"),
        ("d.json", "application/json"),
    ] {
        let r = s.get(&format!("/pkg/{name}")).await;
        assert_eq!(r.status, 200, "{name}");
        assert!(r.header("content-type").unwrap().starts_with(ct), "{name}");
    }
    assert_eq!(s.get("/").await.text(), "<p>shop</p>");
    assert_eq!(s.get("/sub/").await.text(), "<p>sub</p>");
    assert_eq!(s.get("/nope.html").await.status, 404);
    assert_ne!(s.get("/pkg/../www/index.html").await.status, 200);
    // The demo merchant's backend: register over HTTP, answer only the orderId.
    let r = s
        .json(
            "/shop/orders",
            &json!({"amount": 1500, "returnUrl": "http://localhost:1/ok", "twoStage": true}),
        )
        .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v.as_object().unwrap().len(), 1);
    let id = v["orderId"].as_str().unwrap();
    assert!(!r.text().contains("password"));
    s.pay(id, "4444555511113333", &[]).await;
    assert_eq!(s.status(id).await["orderStatus"], 1);
    let bad = s
        .json(
            "/shop/orders",
            &json!({"returnUrl": "http://localhost:1/ok"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    // The pages' config: the public token, never the password.
    let cfg = s.get("/shop/config").await;
    assert_eq!(cfg.status, 200);
    assert_eq!(cfg.json()["merchant"], "test_user");
    assert!(!cfg.json()["token"].as_str().unwrap().is_empty());
    assert!(!cfg.text().contains("password"));
}

#[tokio::test]
async fn pages_escape_request_values() {
    let s = start().await;
    let id = s.register("100", &[]).await;
    let a = s.pay(&id, "4012001038166662", &[]).await;
    let evil = "http://127.0.0.1:1/x?\"><script>alert(1)</script>";
    let page = s
        .form(
            a["acsUrl"].as_str().unwrap(),
            &[
                ("MD", &id),
                ("PaReq", a["paReq"].as_str().unwrap()),
                ("TermUrl", evil),
            ],
        )
        .await;
    let html = page.text();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;"));
    let page = s
        .form(
            a["acsUrl"].as_str().unwrap(),
            &[
                ("MD", &id),
                ("PaReq", a["paReq"].as_str().unwrap()),
                ("TermUrl", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(page.status, 400);
}

#[tokio::test]
async fn refuses_non_loopback() {
    let r = gateway_sandbox::start("0.0.0.0:0".parse().unwrap(), Config::default()).await;
    assert!(r.is_err());
}
