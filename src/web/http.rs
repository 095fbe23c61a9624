//! POSTs to the gateway with the global `fetch` (window, worker or Node; the fetch itself is host.js's),
//! a timeout and the merchant's AbortSignal; reads the answer as JSON whatever its content type (the gateway
//! sometimes says text/plain).

use super::rt::wait;
use checkout_core::flow::{Event, TransportFailure};
use js_sys::{Promise, JSON};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// Resolves to the answer's text; rejects with an HTTP status or a negative failure code.
    #[wasm_bindgen(js_name = postText)]
    fn post_text(
        url: &str,
        content_type: &str,
        body: &str,
        ms: u32,
        signal: Option<&AbortSignal>,
        cap: u32,
    ) -> Promise;
    /// Resolves to [X-Frame-Options, Content-Security-Policy] (null when absent), or null.
    #[wasm_bindgen(js_name = frameHeaders)]
    fn frame_headers(url: &str, ms: u32) -> Promise;
}

/// Gateway answers are a few KB; anything past this is not an answer of the protocol.
pub const MAX_ANSWER_BYTES: u32 = 256 * 1024;
/// The protocol's answers nest three or four levels deep.
pub const MAX_ANSWER_DEPTH: usize = 32;

/// How a request ended when it did not give a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpError {
    Transport(TransportFailure),
    Aborted,
}

impl HttpError {
    /// The flow event for a request that got no answer.
    pub fn event(self) -> Event {
        match self {
            HttpError::Transport(f) => Event::TransportFailed(f),
            HttpError::Aborted => Event::Aborted,
        }
    }
}

/// host.js's rejection: an HTTP status, or −1 aborted, −2 timed out, −3 no connection, −4 an answer
/// over MAX_ANSWER_BYTES or not UTF-8.
fn failure(code: &JsValue) -> HttpError {
    let code = code.as_f64().unwrap_or(-3.0);
    HttpError::Transport(match code as i32 {
        -1 => return HttpError::Aborted,
        -2 => TransportFailure::Timeout,
        -4 => TransportFailure::BadResponse,
        status @ 1..=999 => TransportFailure::HttpStatus(status as u16),
        _ => TransportFailure::Network,
    })
}

/// POSTs `body` with `content_type` to `url` (host.js: no cookies, the merchant's signal, a deadline of
/// `timeout_ms` that aborts the request and the reading of its body); resolves to the parsed JSON answer.
pub async fn post(
    url: &str,
    content_type: &str,
    body: &str,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, HttpError> {
    let bad = HttpError::Transport(TransportFailure::BadResponse);
    let answer = wait(post_text(
        url,
        content_type,
        body,
        timeout_ms,
        signal,
        MAX_ANSWER_BYTES,
    ))
    .await;
    // An abort wins over whatever the request gave meanwhile.
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(HttpError::Aborted);
    }
    let text = answer.map_err(|e| failure(&e))?.as_string().ok_or(bad)?;
    // Deeply nested data would make the parsers below recurse without bound (a trap in wasm).
    if !checkout_core::json::nesting_within(&text, MAX_ANSWER_DEPTH) {
        return Err(bad);
    }
    let value = JSON::parse(text.trim()).map_err(|_| bad)?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(bad);
    }
    Ok(value)
}

/// A same-origin HEAD of `url` (no side effects on the return page, no body): whether the page allows being
/// framed by this origin. Unknown (a failed probe, another origin, no page) counts as allowed: the probe only
/// ever turns the iframe into the full-page redirect, never fails a payment.
pub async fn frameable(url: &str, timeout_ms: u32) -> bool {
    let Some(origin) = super::urls::page_href().and_then(|h| super::urls::origin_of(&h)) else {
        return true;
    };
    if !url
        .strip_prefix(origin.as_str())
        .is_some_and(|r| r.starts_with('/'))
    {
        return true;
    }
    let Ok(headers) = wait(frame_headers(url, timeout_ms)).await else {
        return true;
    };
    if !js_sys::Array::is_array(&headers) {
        return true;
    }
    let headers = js_sys::Array::from(&headers);
    checkout_core::frame_policy::allows_same_origin_framing(
        headers.get(0).as_string().as_deref(),
        headers.get(1).as_string().as_deref(),
        &origin,
    )
}
