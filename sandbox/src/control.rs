//! Sandbox-only control endpoints: faults, the request log, the ledger, the callback log, the
//! decoupled outcome.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use crate::http::{json_response, ok_json, Input};
use crate::store::{Fault, FaultKind};
use crate::AppState;

fn parse_kind(v: &Value) -> Option<FaultKind> {
    let m = v.as_object()?;
    let on = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
    if on("http500") {
        Some(FaultKind::Http500)
    } else if on("html") {
        Some(FaultKind::Html)
    } else if on("malformedJson") {
        Some(FaultKind::MalformedJson)
    } else if let Some(ms) = m.get("delayMs").and_then(Value::as_u64) {
        Some(FaultKind::DelayMs(ms.min(600_000)))
    } else if on("drop") {
        Some(FaultKind::Drop)
    } else if on("methodNeverLoads") {
        Some(FaultKind::MethodNeverLoads)
    } else if on("acsNeverReturns") {
        Some(FaultKind::AcsNeverReturns)
    } else if let Some(ms) = m.get("answerLateMs").and_then(Value::as_u64) {
        Some(FaultKind::AnswerLateMs(ms.min(600_000)))
    } else if on("dropAfterProcessing") {
        Some(FaultKind::DropAfterProcessing)
    } else if let Some(ms) = m.get("processSlowlyMs").and_then(Value::as_u64) {
        Some(FaultKind::ProcessSlowlyMs(ms.min(600_000)))
    } else if on("http500AfterProcessing") {
        Some(FaultKind::Http500AfterProcessing)
    } else if on("htmlAfterProcessing") {
        Some(FaultKind::HtmlAfterProcessing)
    } else if on("bomAfterProcessing") {
        Some(FaultKind::BomAfterProcessing)
    } else if on("tableTypesAfterProcessing") {
        Some(FaultKind::TableTypesAfterProcessing)
    } else if let Some(url) = m.get("redirectAfterProcessing").and_then(Value::as_str) {
        (url.starts_with("http://") || url.starts_with("https://"))
            .then(|| FaultKind::RedirectAfterProcessing(url.to_string()))
    } else if let Some(n) = m.get("hugeAnswer").and_then(Value::as_u64) {
        Some(FaultKind::HugeAnswer(n.min(crate::http::HUGE_MAX)))
    } else {
        m.get("nestedAnswer")
            .and_then(Value::as_u64)
            .map(|n| FaultKind::NestedAnswer(n.clamp(1, crate::http::NESTED_MAX)))
    }
}

fn bad(msg: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({ "error": msg }))
}

/// `POST /sandbox/faults` `{path, orderId?, fault, times?}` (times defaults to 1).
pub async fn add_fault(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let Some(body) = input.json.as_ref() else {
        return bad("send a JSON body {path, orderId?, fault, times?}");
    };
    let Some(raw_path) = body["path"].as_str().filter(|p| !p.is_empty()) else {
        return bad("path is required");
    };
    let Some(kind) = parse_kind(&body["fault"]) else {
        return bad(
            "fault must be one of {http500|html|malformedJson|drop|methodNeverLoads|acsNeverReturns|\
             dropAfterProcessing|http500AfterProcessing|htmlAfterProcessing|bomAfterProcessing|\
             tableTypesAfterProcessing: true} or \
             {delayMs|answerLateMs|processSlowlyMs: MS} or {redirectAfterProcessing: URL} or {hugeAnswer: BYTES} or \
             {nestedAnswer: DEPTH}",
        );
    };
    let mut path = raw_path.to_string();
    if let Some(i) = path.find("://") {
        path = path[i + 3..]
            .find('/')
            .map(|j| path[i + 3 + j..].to_string())
            .unwrap_or("/".into());
    }
    if let Some(q) = path.find('?') {
        path.truncate(q);
    }
    let times = body["times"].as_u64().unwrap_or(1).clamp(1, 1_000_000) as u32;
    let fault = Fault {
        path,
        order_id: body["orderId"].as_str().map(str::to_string),
        kind,
        remaining: times,
    };
    let out = json!({ "ok": true, "fault": fault });
    app.lock().faults.push(fault);
    ok_json(out)
}

pub async fn clear_faults(State(app): State<AppState>) -> Response {
    app.lock().faults.clear();
    ok_json(json!({ "ok": true }))
}

pub async fn list_faults(State(app): State<AppState>) -> Response {
    let faults = app.lock().faults.clone();
    ok_json(json!(faults))
}

/// `GET /sandbox/orders/{id}/requests`
pub async fn order_requests(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let st = app.lock();
    let list: Vec<_> = st
        .requests
        .iter()
        .filter(|r| r.order_id.as_deref() == Some(id.as_str()))
        .collect();
    ok_json(json!(list))
}

/// `GET /sandbox/requests?path=…` (every request when path is absent).
pub async fn requests(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let path = input.get("path").map(str::to_string);
    let st = app.lock();
    let list: Vec<_> = st
        .requests
        .iter()
        .filter(|r| path.as_deref().is_none_or(|p| r.path == p))
        .collect();
    ok_json(json!(list))
}

/// `GET /sandbox/ledger?orderId=…`: every charge the sandbox made (all orders when orderId is
/// absent), oldest first.
pub async fn ledger(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let order = input.non_empty("orderId").map(str::to_string);
    let st = app.lock();
    let list: Vec<_> = st
        .ledger
        .iter()
        .filter(|c| order.as_deref().is_none_or(|o| c.order_id == o))
        .collect();
    ok_json(json!(list))
}

/// `GET /sandbox/orders/{id}` → `{orderId, orderNumber, status, amount, currency, charges,
/// processing}` (404 for an unknown order).
pub async fn order(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let mut st = app.lock();
    let charges = st.ledger.iter().filter(|c| c.order_id == id).count();
    let processing = st.processing.contains(&id);
    let Some(o) = st.order(&id) else {
        return json_response(StatusCode::NOT_FOUND, &json!({ "error": "unknown order" }));
    };
    ok_json(json!({
        "orderId": o.id,
        "orderNumber": o.number,
        "status": o.status,
        "amount": o.amount,
        "currency": o.currency,
        "charges": charges,
        "processing": processing,
    }))
}

/// `GET /sandbox/callbacks`: the callback notifications sent (or skipped) so far.
pub async fn callbacks(State(app): State<AppState>) -> Response {
    let list = app.lock().callbacks.clone();
    ok_json(json!(list))
}

/// `POST /sandbox/orders/{id}/decoupled` `{"approve": bool}`: the issuer finishes a decoupled
/// authentication (card 4000 0044 4444 4446) — the order leaves status 5.
pub async fn resolve_decoupled(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let approve = input
        .json
        .as_ref()
        .and_then(|j| j["approve"].as_bool())
        .unwrap_or(true);
    let resp = {
        let mut st = app.lock();
        let pending = st
            .order(&id)
            .map(|o| o.status == 5 && o.flow == Some(crate::cards::Flow::Decoupled))
            .unwrap_or(false);
        if !pending {
            return bad("no decoupled authentication pending for this order");
        }
        if approve {
            st.approve(&id, &input.path);
        } else {
            st.decline(&id, -2006, crate::i18n::Msg::ActAuthFailed);
        }
        let status = st.orders.get(&id).map(|o| o.status).unwrap_or(0);
        json!({ "ok": true, "orderStatus": status })
    };
    let jobs = std::mem::take(&mut app.lock().outbox);
    crate::callbacks::dispatch(&app, jobs);
    ok_json(resp)
}
