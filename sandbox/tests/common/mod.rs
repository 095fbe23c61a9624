//! Test harness: a sandbox on 127.0.0.1:0 and a small HTTP client.
#![allow(dead_code)]

use std::time::Duration;

use gateway_sandbox::client::{request, HttpResponse};
use gateway_sandbox::Config;
use serde_json::Value;

pub const TOKEN: &str = "test-open-id-token";
pub const AUTH: [(&str, &str); 2] = [
    ("userName", "test_user"),
    ("password", "test_user_password"),
];

pub struct Sbx {
    pub base: String,
    pub host: String,
}

pub async fn start() -> Sbx {
    start_with(Config {
        token: TOKEN.into(),
        ..Config::default()
    })
    .await
}

pub async fn start_with(config: Config) -> Sbx {
    let addr = gateway_sandbox::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    Sbx {
        base: format!("http://{addr}"),
        host: addr.to_string(),
    }
}

pub fn url_of(base: &str, path_or_url: &str) -> String {
    if path_or_url.starts_with("http://") {
        path_or_url.to_string()
    } else {
        format!("{base}{path_or_url}")
    }
}

impl Sbx {
    pub async fn req(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        request(
            method,
            &url_of(&self.base, path),
            headers,
            body,
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn form(&self, path: &str, pairs: &[(&str, &str)]) -> HttpResponse {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        self.req(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
        .await
    }

    pub async fn json(&self, path: &str, v: &Value) -> HttpResponse {
        self.req(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            v.to_string().as_bytes(),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> HttpResponse {
        self.req("GET", path, &[], b"").await
    }

    /// A REST method with userName/password added.
    pub async fn rest(&self, method: &str, pairs: &[(&str, &str)]) -> Value {
        let mut all: Vec<(&str, &str)> = AUTH.to_vec();
        all.extend_from_slice(pairs);
        let r = self.form(&format!("/payment/rest/{method}"), &all).await;
        assert_eq!(r.status, 200, "{method}: {}", r.text());
        assert!(r
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"));
        r.json()
    }

    /// A REST method with exactly these parameters (no auth added).
    pub async fn raw(&self, method: &str, pairs: &[(&str, &str)]) -> Value {
        self.form(&format!("/payment/rest/{method}"), pairs)
            .await
            .json()
    }

    pub async fn register(&self, amount: &str, extra: &[(&str, &str)]) -> String {
        self.register_with("register.do", amount, extra).await
    }

    pub async fn register_with(
        &self,
        method: &str,
        amount: &str,
        extra: &[(&str, &str)],
    ) -> String {
        let mut p = vec![
            ("amount", amount),
            ("returnUrl", "http://127.0.0.1:1/ok"),
            ("failUrl", "http://127.0.0.1:1/fail"),
        ];
        p.extend_from_slice(extra);
        let v = self.rest(method, &p).await;
        v["orderId"]
            .as_str()
            .unwrap_or_else(|| panic!("register: {v}"))
            .to_string()
    }

    pub async fn pay(&self, order: &str, pan: &str, extra: &[(&str, &str)]) -> Value {
        let mut p = vec![
            ("MDORDER", order),
            ("$PAN", pan),
            ("$CVC", "123"),
            ("YYYY", "2030"),
            ("MM", "12"),
            ("TEXT", "TEST CARDHOLDER"),
            ("language", "en"),
        ];
        p.extend_from_slice(extra);
        self.rest("paymentorder.do", &p).await
    }

    /// A form POST with its own client timeout: Err when no answer came in time or the
    /// connection closed without one.
    pub async fn form_within(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        timeout: Duration,
    ) -> std::io::Result<HttpResponse> {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        request(
            "POST",
            &url_of(&self.base, path),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
            timeout,
        )
        .await
    }

    /// `POST /sandbox/faults`
    pub async fn fault(&self, v: &Value) {
        let r = self.json("/sandbox/faults", v).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// `GET /sandbox/ledger?orderId=…`
    pub async fn ledger(&self, order: &str) -> Vec<Value> {
        let r = self.get(&format!("/sandbox/ledger?orderId={order}")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json().as_array().cloned().unwrap_or_default()
    }

    pub async fn status(&self, order: &str) -> Value {
        self.rest(
            "getOrderStatusExtended.do",
            &[("orderId", order), ("language", "en")],
        )
        .await
    }

    /// Runs the 3DS methods the answer names, as the browser's hidden iframes would.
    pub async fn run_methods(&self, answer: &Value, gather: bool) {
        if gather {
            if let Some(s) = answer["threeDSMethodURLServer"].as_str() {
                assert!(
                    !s.starts_with("http"),
                    "threeDSMethodURLServer comes without a scheme: {s}"
                );
                let r = self.form(&format!("http://{s}"), &[]).await;
                assert_eq!(r.status, 200);
            }
        }
        if let (Some(u), Some(d)) = (
            answer["threeDSMethodURL"].as_str(),
            answer["threeDSMethodDataPacked"].as_str(),
        ) {
            let page = self.form(u, &[("threeDSMethodData", d)]).await;
            assert_eq!(page.status, 200);
            let (action, fields) = form_of(&page.text());
            let r = self.form(&action, &pairs(&fields)).await;
            assert_eq!(r.status, 200);
        }
    }

    /// Opens the ACS challenge page, answers it (code or cancel) and posts the CRes on: returns
    /// the 3DS Server's answer (a 303).
    pub async fn challenge(&self, acs_url: &str, creq: &str, code: Option<&str>) -> HttpResponse {
        let page = self.form(acs_url, &[("creq", creq)]).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let html = page.text();
        assert!(html.contains("Sandbox \u{2014} no real bank"));
        self.answer_code_page(&html, code).await
    }

    /// The challenge a gateway answer asks for (its acsUrl and packedCReq), answered with `code`.
    pub async fn challenge_of(&self, answer: &Value, code: Option<&str>) -> HttpResponse {
        let acs = answer["acsUrl"].as_str().expect("acsUrl");
        let creq = answer["packedCReq"].as_str().expect("packedCReq");
        self.challenge(acs, creq, code).await
    }

    /// Fills a one-time-code page, submits it, follows the auto-post: returns the final answer.
    pub async fn answer_code_page(&self, html: &str, code: Option<&str>) -> HttpResponse {
        let (action, mut fields) = form_of(html);
        match code {
            Some(c) => {
                fields.push(("code".into(), c.into()));
                fields.push(("action".into(), "confirm".into()));
            }
            None => fields.push(("action".into(), "cancel".into())),
        }
        let next = self.form(&action, &pairs(&fields)).await;
        assert_eq!(next.status, 200, "{}", next.text());
        let (action, fields) = form_of(&next.text());
        self.form(&action, &pairs(&fields)).await
    }
}

pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')?;
    Some(unescape(&tag[i..i + j]))
}

/// The first form's action and its hidden inputs.
pub fn form_of(html: &str) -> (String, Vec<(String, String)>) {
    let start = html
        .find("<form")
        .unwrap_or_else(|| panic!("no form in {html}"));
    let end = html[start..]
        .find("</form>")
        .map(|e| start + e)
        .unwrap_or(html.len());
    let form = &html[start..end];
    let tag_end = form.find('>').unwrap();
    let action = attr(&form[..tag_end], "action").expect("form action");
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find("<input") {
        let e = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i..e];
        if attr(tag, "type").as_deref() == Some("hidden") {
            fields.push((
                attr(tag, "name").unwrap(),
                attr(tag, "value").unwrap_or_default(),
            ));
        }
        rest = &rest[e..];
    }
    (action, fields)
}

/// base64url-decoded JSON.
pub fn decode(s: &str) -> Value {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&raw).unwrap()
}

pub fn encode(v: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

pub fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}
