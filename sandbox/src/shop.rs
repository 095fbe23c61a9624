//! `POST /shop/orders`: the demo merchant's backend. It registers the order through the REST API
//! over real HTTP with the merchant's userName/password (kept server-side) and returns only
//! `{orderId}`; `POST /shop/pay-setoken` pays an order with the seToken the page made (paymentorder.do).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use crate::http::{json_response, ok_json, tag, Input};
use crate::{AppState, PASSWORD, USER_NAME};

fn field(b: &Value, k: &str) -> Option<String> {
    match b.get(k)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(x) => Some(x.to_string()),
        _ => None,
    }
}

pub async fn create_order(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let Some(body) = input.json.as_ref().filter(|b| b.is_object()) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": "send a JSON body {amount, returnUrl, …}" }),
        );
    };
    let two_stage = body
        .get("twoStage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut form: Vec<(String, String)> = vec![
        ("userName".into(), USER_NAME.into()),
        ("password".into(), PASSWORD.into()),
    ];
    for (from, to) in [
        ("amount", "amount"),
        ("currency", "currency"),
        ("returnUrl", "returnUrl"),
        ("failUrl", "failUrl"),
        ("language", "language"),
        ("description", "description"),
        ("orderNumber", "orderNumber"),
        ("clientId", "clientId"),
        ("dynamicCallbackUrl", "dynamicCallbackUrl"),
        ("sessionTimeoutSecs", "sessionTimeoutSecs"),
        ("email", "email"),
        ("features", "features"),
    ] {
        if let Some(v) = field(body, from) {
            form.push((to.into(), v));
        }
    }
    let addr = app
        .local_addr
        .get()
        .map(|a| a.to_string())
        .unwrap_or_else(|| input.host.replace("localhost", "127.0.0.1"));
    let method = if two_stage {
        "registerPreAuth.do"
    } else {
        "register.do"
    };
    let url = format!("http://{addr}/payment/rest/{method}");
    let payload = serde_urlencoded::to_string(&form).unwrap_or_default();
    let res = crate::client::request(
        "POST",
        &url,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        payload.as_bytes(),
        Duration::from_secs(10),
    )
    .await;
    let answer = match res {
        Ok(r) if r.status == 200 => r.json(),
        Ok(r) => {
            return json_response(
                StatusCode::BAD_GATEWAY,
                &json!({ "error": format!("gateway answered HTTP {}", r.status) }),
            )
        }
        Err(e) => {
            return json_response(
                StatusCode::BAD_GATEWAY,
                &json!({ "error": format!("gateway unreachable: {e}") }),
            )
        }
    };
    match answer["orderId"].as_str() {
        Some(id) => tag(ok_json(json!({ "orderId": id })), id),
        None => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": answer["errorMessage"].clone(), "errorCode": answer["errorCode"].clone() }),
        ),
    }
}

/// `GET /shop/config`: what the demo merchant's pages need to load the module. The Open ID token is public
/// by design (the gateway issues it for pages that pay from the browser), so the backend may hand it out;
/// the userName/password never leave the server.
pub async fn config(State(app): State<AppState>) -> Response {
    ok_json(json!({
        "token": app.config.token,
        "merchant": crate::USER_NAME,
        "gatewayPath": "/payment",
        "sandbox": true,
        // The shopper's IP as the merchant's server saw it (Google Pay's and paymentOrderBinding.do's
        // required `ip`). The sandbox listens on loopback only, so every shopper is 127.0.0.1.
        "clientIp": "127.0.0.1",
    }))
}

/// `POST /shop/pay-setoken` `{orderId, seToken, language?, cardholder?}`: the demo merchant's server pays the order with
/// the seToken the page made (gateway-checkout-setoken's createSeToken): paymentorder.do with its
/// userName/password, `MDORDER` and `seToken`, over real HTTP. It never sees the card; it answers the
/// gateway's JSON as it came (a 3DS answer included: this demo backend does not drive 3-D Secure).
pub async fn pay_setoken(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let body = input.json.as_ref().filter(|b| b.is_object());
    let (Some(order_id), Some(se_token)) = (
        body.and_then(|b| field(b, "orderId")),
        body.and_then(|b| field(b, "seToken")),
    ) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": "send a JSON body {orderId, seToken, language?}" }),
        );
    };
    let mut form: Vec<(String, String)> = vec![
        ("userName".into(), USER_NAME.into()),
        ("password".into(), PASSWORD.into()),
        ("MDORDER".into(), order_id.clone()),
        ("seToken".into(), se_token),
    ];
    if let Some(l) = body.and_then(|b| field(b, "language")) {
        form.push(("language".into(), l));
    }
    // Seed 003: TEXT (the cardholder's name) is required on paymentorder.do; a seToken does not carry it.
    if let Some(name) = body.and_then(|b| field(b, "cardholder")) {
        form.push(("TEXT".into(), name));
    }
    match merchant_call(&app, &input, "paymentorder.do", &form).await {
        Ok(answer) => tag(ok_json(answer), &order_id),
        Err(res) => tag(res, &order_id),
    }
}

/// `GET /shop/bindings?clientId=…`: the shopper's saved cards, as the merchant's server lists them
/// (getBindings.do with its userName/password: a page never lists cards with the public token). Answers
/// `{bindings: [{bindingId, maskedPan, expiryDate}]}` (empty when there are none).
pub async fn bindings(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let Some(client) = input.non_empty("clientId").map(str::to_string) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "error": "clientId is required" }),
        );
    };
    let form: Vec<(String, String)> = vec![
        ("userName".into(), USER_NAME.into()),
        ("password".into(), PASSWORD.into()),
        ("clientId".into(), client),
    ];
    match merchant_call(&app, &input, "getBindings.do", &form).await {
        Ok(answer) => {
            let list: Vec<Value> = answer["bindings"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|b| {
                            json!({
                                "bindingId": b["bindingId"],
                                "maskedPan": b["maskedPan"],
                                "expiryDate": b["expiryDate"],
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            ok_json(json!({ "bindings": list }))
        }
        Err(res) => res,
    }
}

/// The merchant server's REST call to the gateway (this sandbox) over HTTP: the answer's JSON, or the
/// 502 the page gets when the gateway could not be reached or answered an HTTP error.
async fn merchant_call(
    app: &AppState,
    input: &Input,
    method: &str,
    form: &[(String, String)],
) -> Result<Value, Response> {
    let addr = app
        .local_addr
        .get()
        .map(|a| a.to_string())
        .unwrap_or_else(|| input.host.replace("localhost", "127.0.0.1"));
    let url = format!("http://{addr}/payment/rest/{method}");
    let payload = serde_urlencoded::to_string(form).unwrap_or_default();
    let res = crate::client::request(
        "POST",
        &url,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        payload.as_bytes(),
        Duration::from_secs(30),
    )
    .await;
    let bad_gateway =
        |error: String| json_response(StatusCode::BAD_GATEWAY, &json!({ "error": error }));
    match res {
        Ok(r) if r.status == 200 => match r.json() {
            Value::Object(m) => Ok(Value::Object(m)),
            _ => Err(bad_gateway(
                "the gateway's answer is not a JSON object".into(),
            )),
        },
        Ok(r) => Err(bad_gateway(format!("gateway answered HTTP {}", r.status))),
        Err(e) => Err(bad_gateway(format!("gateway unreachable: {e}"))),
    }
}
