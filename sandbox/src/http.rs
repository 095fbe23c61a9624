//! Request plumbing: the parsed request (`Input`), CORS, the request log, fault injection and
//! small response helpers.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::cards::{looks_like_pan, mask_pan};
use crate::i18n::Msg;
use crate::store::{FaultKind, LoggedRequest};
use crate::time::now_ms;
use crate::AppState;

/// Closes the request's TCP connection without an answer (the `drop` fault).
#[derive(Clone)]
pub struct ConnKill(pub Arc<tokio::sync::Notify>);

/// Set on a response to file the request under an order in the request log.
#[derive(Clone)]
pub struct OrderTag(pub String);

/// The request as the handlers see it: query + form parameters, or a JSON body.
#[derive(Debug, Default)]
pub struct Input {
    pub method: String,
    pub path: String,
    /// `Host` header (`127.0.0.1:PORT`), used to build absolute URLs.
    pub host: String,
    /// Query parameters followed by form-body parameters.
    pub params: Vec<(String, String)>,
    pub json: Option<Value>,
    /// The body was JSON but did not parse.
    pub bad_json: bool,
    pub multipart: bool,
    pub content_type: String,
}

impl Input {
    pub fn parse(
        method: &Method,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Input {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
            })
            .unwrap_or("127.0.0.1:8080")
            .to_string();
        let mut params: Vec<(String, String)> = uri
            .query()
            .map(|q| serde_urlencoded::from_str(q).unwrap_or_default())
            .unwrap_or_default();
        let mut input = Input {
            method: method.to_string(),
            path: uri.path().to_string(),
            host,
            content_type: content_type.clone(),
            ..Input::default()
        };
        if content_type.starts_with("multipart/") {
            input.multipart = true;
        } else if content_type.contains("json") {
            match serde_json::from_slice::<Value>(body) {
                Ok(v) => input.json = Some(v),
                Err(_) => input.bad_json = true,
            }
        } else if !body.is_empty() {
            let form: Vec<(String, String)> =
                serde_urlencoded::from_bytes(body).unwrap_or_default();
            params.extend(form);
        }
        input.params = params;
        input
    }

    /// The last value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that is present and not blank.
    pub fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn has(&self, key: &str) -> bool {
        self.params.iter().any(|(k, _)| k == key)
    }

    /// `http://HOST` of this sandbox as the browser reached it.
    pub fn base(&self) -> String {
        format!("http://{}", self.host)
    }
}

/// A JSON answer (`application/json;charset=UTF-8`).
pub fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut res = (status, v.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    res
}

pub fn ok_json(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

pub fn tag(mut res: Response, order_id: &str) -> Response {
    res.extensions_mut().insert(OrderTag(order_id.to_string()));
    res
}

/// 303 See Other to `url`.
pub fn see_other(url: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub fn b64url(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

pub fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Decodes base64 in any of its usual forms (standard or url-safe, padded or not).
pub fn b64_any(s: &str) -> Option<Vec<u8>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = s.trim_end_matches('=').replace('-', "+").replace('_', "/");
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(t)
        .ok()
}

/// Decodes base64(url) JSON.
pub fn b64_json(s: &str) -> Option<Value> {
    serde_json::from_slice(&b64_any(s)?).ok()
}

/// Appends query parameters to a URL.
pub fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
    if q.is_empty() {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{q}")
}

// ---------------------------------------------------------------------------------------------
// Masking: nothing the sandbox stores or shows carries a full PAN or a CVC.

const CVC_KEYS: &[&str] = &["$CVC", "cvc", "CVC", "cvv", "CVV", "cvv2", "$cvc"];
const PAN_KEYS: &[&str] = &["$PAN", "pan", "PAN", "cardNumber", "$pan"];
const PLAIN_KEYS: &[&str] = &[
    "orderNumber",
    "amount",
    "orderId",
    "mdOrder",
    "MDORDER",
    "clientId",
    "phone",
    "bindingId",
    "currency",
    "currencyCode",
];

fn mask_value(key: &str, v: &str) -> Option<Value> {
    if CVC_KEYS.contains(&key) {
        return None;
    }
    if PAN_KEYS.contains(&key) {
        return Some(Value::String(mask_pan(v)));
    }
    if key == "password" {
        return Some(Value::String("***".into()));
    }
    if key == "seToken" {
        return Some(Value::String(format!(
            "[encrypted seToken, {} chars]",
            v.len()
        )));
    }
    if !PLAIN_KEYS.contains(&key) && looks_like_pan(v) {
        return Some(Value::String(mask_pan(v)));
    }
    Some(Value::String(v.to_string()))
}

fn mask_json(key: &str, v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => mask_value(key, s),
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if let Some(y) = mask_json(k, x) {
                    out.insert(k.clone(), y);
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(
            a.iter().filter_map(|x| mask_json(key, x)).collect(),
        )),
        Value::Number(n) if CVC_KEYS.contains(&key) => {
            let _ = n;
            None
        }
        Value::Number(n) if PAN_KEYS.contains(&key) || looks_like_pan(&n.to_string()) => {
            Some(Value::String(mask_pan(&n.to_string())))
        }
        other => Some(other.clone()),
    }
}

/// The request's parameters as a JSON object, card data masked.
pub fn masked_params(input: &Input) -> Value {
    let mut out = Map::new();
    for (k, v) in &input.params {
        if let Some(m) = mask_value(k, v) {
            out.insert(k.clone(), m);
        }
    }
    if let Some(Value::Object(m)) = input.json.as_ref().and_then(|j| mask_json("", j)) {
        out.extend(m);
    }
    Value::Object(out)
}

/// The order a request concerns, from its parameters (before the handler runs).
fn resolve_order(app: &AppState, input: &Input) -> Option<String> {
    for k in ["orderId", "mdOrder", "MDORDER", "MD"] {
        if let Some(v) = input.non_empty(k) {
            return Some(v.to_string());
        }
    }
    if let Some(se) = input
        .non_empty("seToken")
        .and_then(|t| app.se_key.decrypt(t))
    {
        return Some(se.md_order);
    }
    let st = app.lock();
    for k in ["threeDSServerTransId", "threeDSServerTransID"] {
        if let Some(id) = input.non_empty(k).and_then(|v| st.order_of_tds(v)) {
            return Some(id);
        }
    }
    for k in ["creq", "cres", "threeDSMethodData"] {
        if let Some(j) = input.non_empty(k).and_then(b64_json) {
            if let Some(id) = j["threeDSServerTransID"]
                .as_str()
                .and_then(|t| st.order_of_tds(t))
            {
                return Some(id);
            }
        }
    }
    for k in ["PaReq", "PaRes"] {
        if let Some(j) = input.non_empty(k).and_then(b64_json) {
            if let Some(id) = j["orderId"].as_str() {
                return Some(id.to_string());
            }
        }
    }
    if let Some(Value::Object(m)) = &input.json {
        if let Some(id) = m.get("orderId").and_then(|v| v.as_str()) {
            return Some(id.to_string());
        }
    }
    None
}

fn logged_path(path: &str) -> bool {
    ["/payment/", "/3dsserver/", "/acs/", "/shop/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// The payment requests: for one order, at most one of them is processed at a time.
pub const PAYMENT_PATHS: &[&str] = &[
    "/payment/rest/paymentorder.do",
    "/payment/rest/paymentOrder.do",
    "/payment/rest/paymentOrderBinding.do",
    "/payment/rest/3ds/continue.do",
    "/payment/rest/finish3dsVer2Payment.do",
];

/// An order marked "processing" for as long as this lives (dropped when its handler ends, even on
/// a panic).
struct Processing {
    app: AppState,
    order: String,
}

impl Drop for Processing {
    fn drop(&mut self) {
        self.app.lock().processing.remove(&self.order);
    }
}

enum Claim {
    /// Not a payment request of a known order: nothing to mark.
    Free,
    /// The order is marked processing while this lives.
    Held(Processing),
    /// The order's previous payment request is still being processed: this answer.
    Busy(Response),
}

/// Marks the order of a payment request "processing"; answers the gateway's system-error form
/// (errorCode 5, seed 003's paymentorder.do table) when a previous payment request for the order is
/// still being processed. Requests the handler refuses anyway (bad auth, a JSON/multipart body) are
/// neither marked nor refused here.
fn claim(app: &AppState, input: &Input, order: Option<&str>) -> Claim {
    let Some(order) = order.filter(|_| PAYMENT_PATHS.contains(&input.path.as_str())) else {
        return Claim::Free;
    };
    if input.multipart || input.json.is_some() || input.bad_json {
        return Claim::Free;
    }
    let cx = crate::rest::Cx::new(app, input);
    if crate::rest::check_auth(&cx).is_err() {
        return Claim::Free;
    }
    if !app.lock().processing.insert(order.to_string()) {
        return Claim::Busy(tag(cx.err_num(5, Msg::InProgress), order));
    }
    Claim::Held(Processing {
        app: app.clone(),
        order: order.to_string(),
    })
}

fn http500() -> Response {
    let mut r = (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn unavailable_page() -> Response {
    let page = crate::html::page(
        "Service temporarily unavailable",
        "<main><h1>Service temporarily unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></main>",
        "",
        "",
    );
    crate::html::html_response(StatusCode::OK, page)
}

/// Closes the connection with no answer (502 when served without a [`ConnKill`], e.g. `oneshot`).
async fn drop_connection(kill: Option<&ConnKill>) -> Response {
    if let Some(k) = kill {
        k.0.notify_one();
        std::future::pending::<()>().await;
    }
    (StatusCode::BAD_GATEWAY, "").into_response()
}

/// The largest `hugeAnswer` string (64 MiB).
pub const HUGE_MAX: u64 = 64 << 20;
/// The deepest `nestedAnswer`.
pub const NESTED_MAX: u64 = 1_000_000;

const CHUNK: usize = 64 << 10;
static XS: [u8; CHUNK] = [b'x'; CHUNK];
static OPENS: [u8; CHUNK] = [b'['; CHUNK];
static CLOSES: [u8; CHUNK] = [b']'; CHUNK];

/// A body produced piece by piece, never held whole in memory: each segment repeats (a prefix of)
/// its pattern up to its length.
struct Generated {
    segs: Vec<(&'static [u8], u64)>,
    idx: usize,
}

impl Generated {
    fn left(&self) -> u64 {
        self.segs[self.idx.min(self.segs.len())..]
            .iter()
            .map(|(_, n)| n)
            .sum()
    }
}

impl hyper::body::Body for Generated {
    type Data = hyper::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        while let Some((pattern, left)) = this.segs.get_mut(this.idx) {
            if *left == 0 {
                this.idx += 1;
                continue;
            }
            let pattern: &'static [u8] = pattern;
            let n = (*left).min(pattern.len() as u64) as usize;
            *left -= n as u64;
            let chunk = hyper::body::Bytes::from_static(&pattern[..n]);
            return std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(chunk))));
        }
        std::task::Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.left() == 0
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.left())
    }
}

fn generated_json(segs: Vec<(&'static [u8], u64)>) -> Response {
    let mut r = Response::new(Body::new(Generated { segs, idx: 0 }));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    r
}

/// `{"errorCode":0,"junk":"xxx…"}` with a string of `bytes` bytes (at most [`HUGE_MAX`]).
fn huge_answer(bytes: u64) -> Response {
    const HEAD: &[u8] = b"{\"errorCode\":0,\"junk\":\"";
    const TAIL: &[u8] = b"\"}";
    generated_json(vec![
        (HEAD, HEAD.len() as u64),
        (&XS, bytes.min(HUGE_MAX)),
        (TAIL, TAIL.len() as u64),
    ])
}

/// `{"errorCode":0,"junk":[[…]]}` with `depth` nested arrays (1..=[`NESTED_MAX`]).
fn nested_answer(depth: u64) -> Response {
    const HEAD: &[u8] = b"{\"errorCode\":0,\"junk\":";
    const TAIL: &[u8] = b"}";
    let depth = depth.clamp(1, NESTED_MAX);
    generated_json(vec![
        (HEAD, HEAD.len() as u64),
        (&OPENS, depth),
        (&CLOSES, depth),
        (TAIL, TAIL.len() as u64),
    ])
}

/// Logs the request (masked) and applies any matching fault. Faults that answer instead of the
/// gateway (`http500`, `html`, `malformedJson`, `drop`, `methodNeverLoads`, `hugeAnswer`,
/// `nestedAnswer`) never process the request; `delayMs` holds it before processing.
///
/// Processing is detached from the connection, as at a real gateway that does not notice the
/// browser leaving: the handler runs in its own task (after `processSlowlyMs`, if set) and always
/// runs to completion; then the request is filed under the order the handler reports and queued
/// callbacks are sent. A payment request ([`PAYMENT_PATHS`]) marks its order "processing" from
/// acceptance until its handler ends; another payment request for that order meanwhile is answered
/// errorCode 5. The `…AfterProcessing` / `answerLateMs` faults then alter the answer.
pub async fn log_and_faults(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let bytes = match to_bytes(body, 4 << 20).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let input = Input::parse(&parts.method, &parts.uri, &parts.headers, &bytes);
    let path = input.path.clone();
    let mut fault = None;
    let mut log_index = None;
    let mut order = None;
    if logged_path(&path) && parts.method != Method::OPTIONS {
        order = resolve_order(&app, &input);
        let params = masked_params(&input);
        let mut st = app.lock();
        st.requests.push(LoggedRequest {
            at: now_ms(),
            method: input.method.clone(),
            path: path.clone(),
            params,
            order_id: order.clone(),
        });
        log_index = Some(st.requests.len() - 1);
        fault = st.take_fault(&path, order.as_deref(), false);
    }
    let kill = parts.extensions.get::<ConnKill>().cloned();
    match fault {
        Some(FaultKind::Http500) => return http500(),
        Some(FaultKind::Html) => return unavailable_page(),
        Some(FaultKind::MalformedJson) => {
            let mut r = (
                StatusCode::OK,
                "{\"errorCode\":0,\"info\":\"Your order is proceeded, redir",
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            return r;
        }
        Some(FaultKind::DelayMs(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(FaultKind::Drop) => return drop_connection(kill.as_ref()).await,
        Some(FaultKind::MethodNeverLoads) => {
            tokio::time::sleep(Duration::from_secs(600)).await;
            return (StatusCode::GATEWAY_TIMEOUT, "").into_response();
        }
        Some(FaultKind::HugeAnswer(n)) => return huge_answer(n),
        Some(FaultKind::NestedAnswer(n)) => return nested_answer(n),
        _ => {}
    }
    // Accepted: from here on the request is processed whatever the client does.
    let processing = match claim(&app, &input, order.as_deref()) {
        Claim::Free => None,
        Claim::Held(p) => Some(p),
        Claim::Busy(answer) => return answer,
    };
    let slow = match fault {
        Some(FaultKind::ProcessSlowlyMs(ms)) => ms,
        _ => 0,
    };
    parts.extensions.insert(Arc::new(input));
    let req = Request::from_parts(parts, Body::from(bytes));
    let worker = app.clone();
    let task = tokio::spawn(async move {
        let _processing = processing;
        if slow > 0 {
            tokio::time::sleep(Duration::from_millis(slow)).await;
        }
        let res = next.run(req).await;
        let jobs = {
            let mut st = worker.lock();
            if let (Some(i), Some(OrderTag(id))) = (log_index, res.extensions().get::<OrderTag>()) {
                if let Some(entry) = st.requests.get_mut(i) {
                    if entry.order_id.is_none() {
                        entry.order_id = Some(id.clone());
                    }
                }
            }
            std::mem::take(&mut st.outbox)
        };
        if !jobs.is_empty() {
            crate::callbacks::dispatch(&worker, jobs);
        }
        res
    });
    let res = match task.await {
        Ok(res) => res,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "handler failed").into_response(),
    };
    match fault {
        Some(FaultKind::AnswerLateMs(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            res
        }
        Some(FaultKind::DropAfterProcessing) => drop_connection(kill.as_ref()).await,
        Some(FaultKind::Http500AfterProcessing) => http500(),
        Some(FaultKind::HtmlAfterProcessing) => unavailable_page(),
        Some(FaultKind::BomAfterProcessing) => with_bom(res).await,
        Some(FaultKind::TableTypesAfterProcessing) => with_table_types(res).await,
        Some(FaultKind::RedirectAfterProcessing(to)) => match HeaderValue::from_str(&to) {
            Ok(location) => {
                let mut r = StatusCode::SEE_OTHER.into_response();
                r.headers_mut().insert(header::LOCATION, location);
                r
            }
            Err(_) => res,
        },
        _ => res,
    }
}

/// The answer with a UTF-8 byte order mark before its body.
async fn with_bom(res: Response) -> Response {
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 4 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "answer unreadable").into_response();
    };
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&bytes);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(marked))
}

/// The answer with cardAuthInfo.expiration as a JSON number, as seed 003's tables type it ("expiration Integer …
/// YYYYMM"); its examples show a string. Any other answer is left as it is.
async fn with_table_types(res: Response) -> Response {
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, 4 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "answer unreadable").into_response();
    };
    let Ok(mut answer) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(expiration) = answer.pointer_mut("/cardAuthInfo/expiration") {
        if let Some(n) = expiration.as_str().and_then(|s| s.parse::<u64>().ok()) {
            *expiration = n.into();
        }
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(answer.to_string()))
}

/// CORS: echo the Origin (or `*`), allow GET/POST/OPTIONS/DELETE and the asked-for headers.
pub async fn cors(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if !app.config.cors {
        return next.run(req).await;
    }
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .cloned()
        .unwrap_or(HeaderValue::from_static("*"));
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut res = if preflight {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS, DELETE"),
        );
        let allow = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned()
            .unwrap_or(HeaderValue::from_static("Content-Type"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow);
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        if req
            .headers()
            .contains_key("access-control-request-private-network")
        {
            h.insert(
                "access-control-allow-private-network",
                HeaderValue::from_static("true"),
            );
        }
        r
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    res
}

/// `{"errorCode": …, "errorMessage": …}` helper used by several modules.
pub fn error_json(code: Value, message: &str) -> Value {
    json!({ "errorCode": code, "errorMessage": message })
}
