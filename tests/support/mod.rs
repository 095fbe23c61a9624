//! Helpers for the wasm tests: the running sandbox (its URL and token come from scripts/test.sh at build
//! time), JS object builders, and promise plumbing.
#![allow(dead_code)]

use gloo_net::http::Request;
use js_sys::{Promise, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The sandbox the test script started. Tests that need it fail loudly rather than pass without it.
pub fn sandbox() -> &'static str {
    match option_env!("SANDBOX_URL") {
        Some(url) => url,
        None => panic!("SANDBOX_URL is not set: run the wasm tests through scripts/test.sh"),
    }
}

pub fn token() -> &'static str {
    match option_env!("SANDBOX_TOKEN") {
        Some(token) => token,
        None => panic!("SANDBOX_TOKEN is not set: run the wasm tests through scripts/test.sh"),
    }
}

pub fn js(v: &Value) -> JsValue {
    JSON::parse(&v.to_string()).expect("valid JSON")
}

pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(obj, &JsValue::from_str(key), value).expect("set");
}

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

/// Awaits a promise: Ok(value) or Err(rejection).
pub async fn settle(p: impl Into<JsValue>) -> Result<JsValue, JsValue> {
    let p: Promise = p.into().dyn_into().expect("a promise");
    JsFuture::from(p).await
}

/// Registers an order through the sandbox's merchant backend (the password stays server-side).
pub async fn create_order(amount: u64, two_stage: bool) -> String {
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let body = serde_json::json!({
        "amount": amount, "currency": "398", "twoStage": two_stage,
        "returnUrl": format!("{origin}/return"), "language": "en",
    });
    let resp = Request::post(&format!("{}/shop/orders", sandbox()))
        .json(&body)
        .unwrap()
        .send()
        .await
        .expect("shop/orders");
    let v: Value = resp.json().await.expect("JSON");
    v["orderId"]
        .as_str()
        .unwrap_or_else(|| panic!("no orderId in {v}"))
        .to_owned()
}

pub async fn get_json(path: &str) -> Value {
    let resp = Request::get(&format!("{}{}", sandbox(), path))
        .send()
        .await
        .expect("GET");
    resp.json().await.expect("JSON")
}

pub async fn post_json(path: &str, body: &Value) -> Value {
    let resp = Request::post(&format!("{}{}", sandbox(), path))
        .json(body)
        .unwrap()
        .send()
        .await
        .expect("POST");
    resp.json().await.unwrap_or(Value::Null)
}

/// How many requests to a path ending with `suffix` the gateway logged for the order.
pub async fn requests_to(order_id: &str, suffix: &str) -> usize {
    order_paths(order_id)
        .await
        .iter()
        .filter(|p| p.ends_with(suffix))
        .count()
}

/// What the gateway saw for an order: the request log entries' paths.
pub async fn order_paths(order_id: &str) -> Vec<String> {
    let v = get_json(&format!("/sandbox/orders/{order_id}/requests")).await;
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["path"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub async fn order_status(order_id: &str) -> Value {
    let resp = Request::post(&format!(
        "{}/payment/rest/getOrderStatusExtended.do",
        sandbox()
    ))
    .header("Content-Type", "application/x-www-form-urlencoded")
    .body(format!("orderId={order_id}&token={}", token()))
    .unwrap()
    .send()
    .await
    .expect("status");
    resp.json().await.expect("JSON")
}

/// The logged request whose path ends with `suffix`.
pub fn logged_request<'a>(log: &'a Value, suffix: &str) -> &'a Value {
    log.as_array()
        .and_then(|a| {
            a.iter()
                .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        })
        .unwrap_or_else(|| panic!("no request to {suffix} in {log}"))
}
