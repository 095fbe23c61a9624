//! POSTs to the gateway with the global `fetch` (window, worker or Node), a timeout and the merchant's
//! AbortSignal; reads the answer as JSON whatever its content type (the gateway sometimes says text/plain).

use super::rt::{wait, Listener, Timer};
use crate::prelude::*;
use checkout_core::flow::TransportFailure;
use core::cell::Cell;
use js_sys::{Promise, JSON};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;
}

/// Gateway answers are a few KB; anything past this is not an answer of the protocol.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;
/// The protocol's answers nest three or four levels deep.
pub const MAX_ANSWER_DEPTH: usize = 32;

/// Reads the body as text, refusing it (and cancelling the download) once it passes MAX_ANSWER_BYTES.
async fn read_capped(resp: &Response) -> Result<String, HttpError> {
    let bad = HttpError::Transport(TransportFailure::BadResponse);
    let net = HttpError::Transport(TransportFailure::Network);
    let declared = resp
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|v| checkout_core::text::parse_u64(v.trim()));
    if declared.is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
        return Err(bad);
    }
    let Some(body) = resp.body() else {
        return Ok(String::new());
    };
    let reader = js_sys::Reflect::get(&body, &"getReader".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&body).ok())
        .ok_or(net)?;
    let read = js_sys::Reflect::get(&reader, &"read".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(net)?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = read.call0(&reader).map_err(|_| net)?;
        let chunk = wait(Promise::from(chunk)).await.map_err(|_| net)?;
        if js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(|_| net)?;
        let part = js_sys::Uint8Array::new(&value);
        if bytes.len() + part.length() as usize > MAX_ANSWER_BYTES {
            if let Some(cancel) = js_sys::Reflect::get(&reader, &"cancel".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            {
                let _ = cancel.call0(&reader);
            }
            return Err(bad);
        }
        let at = bytes.len();
        bytes.resize(at + part.length() as usize, 0);
        if let Some(dst) = bytes.get_mut(at..) {
            part.copy_to(dst);
        }
    }
    String::from_utf8(bytes).map_err(|_| bad)
}

/// How a request ended when it did not give a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpError {
    Transport(TransportFailure),
    Aborted,
}

/// Aborts the controller when dropped: a request never outlives its caller.
struct AbortOnDrop(AbortController);
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Aborts the request after `ms`; `fired()` tells a timeout from any other failure afterwards. The timer
/// is cleared when this drops.
struct Deadline {
    fired: Rc<Cell<bool>>,
    _timer: Timer,
}

impl Deadline {
    fn new(controller: &AbortController, ms: u32) -> Deadline {
        let fired = Rc::new(Cell::new(false));
        let (f, c) = (fired.clone(), controller.clone());
        Deadline {
            fired,
            _timer: Timer::once(ms, move || {
                f.set(true);
                c.abort();
            }),
        }
    }

    fn fired(&self) -> bool {
        self.fired.get()
    }
}

/// POSTs `body` with `content_type` to `url`; resolves to the parsed JSON answer.
pub async fn post(
    url: &str,
    content_type: &str,
    body: &str,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, HttpError> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(HttpError::Aborted);
    }
    let controller =
        AbortController::new().map_err(|_| HttpError::Transport(TransportFailure::Network))?;
    let guard = AbortOnDrop(controller);
    let headers = Headers::new().map_err(|_| HttpError::Transport(TransportFailure::Network))?;
    headers
        .set("Content-Type", content_type)
        .map_err(|_| HttpError::Transport(TransportFailure::Network))?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| HttpError::Transport(TransportFailure::Network))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(&guard.0.signal()));
    // No cookies: the token authenticates; nothing about the shopper's session goes to the gateway.
    init.set_credentials(web_sys::RequestCredentials::Omit);

    // Forward the merchant's abort to this request.
    let _forward = signal.map(|s| {
        let c = guard.0.clone();
        Listener::new(s, "abort", move |_| c.abort())
    });
    // The timeout aborts the request (and the reading of its body) like the merchant's signal does.
    let deadline = Deadline::new(&guard.0, timeout_ms);

    let work = async {
        let resp: Response = wait(global_fetch(url, &init))
            .await
            .map_err(|_| HttpError::Transport(TransportFailure::Network))?
            .dyn_into()
            .map_err(|_| HttpError::Transport(TransportFailure::Network))?;
        if !resp.ok() {
            return Err(HttpError::Transport(TransportFailure::HttpStatus(
                resp.status(),
            )));
        }
        let text = read_capped(&resp).await?;
        // Deeply nested data would make the parsers below recurse without bound (a trap in wasm).
        if !checkout_core::json::nesting_within(&text, MAX_ANSWER_DEPTH) {
            return Err(HttpError::Transport(TransportFailure::BadResponse));
        }
        let value = JSON::parse(text.trim())
            .map_err(|_| HttpError::Transport(TransportFailure::BadResponse))?;
        if !value.is_object() || js_sys::Array::is_array(&value) {
            return Err(HttpError::Transport(TransportFailure::BadResponse));
        }
        Ok(value)
    };
    let result = work.await;
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(HttpError::Aborted);
    }
    match result {
        Err(_) if deadline.fired() => Err(HttpError::Transport(TransportFailure::Timeout)),
        r => r,
    }
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
    let Ok(controller) = AbortController::new() else {
        return true;
    };
    let guard = AbortOnDrop(controller);
    let init = RequestInit::new();
    init.set_method("HEAD");
    init.set_signal(Some(&guard.0.signal()));
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let _deadline = Deadline::new(&guard.0, timeout_ms);
    let work = async {
        let resp: Response = wait(global_fetch(url, &init)).await.ok()?.dyn_into().ok()?;
        let h = resp.headers();
        let xfo = h.get("X-Frame-Options").ok().flatten();
        let csp = h.get("Content-Security-Policy").ok().flatten();
        Some(checkout_core::frame_policy::allows_same_origin_framing(
            xfo.as_deref(),
            csp.as_deref(),
            &origin,
        ))
    };
    // A probe that fails or times out (aborted by the deadline) counts as allowed.
    work.await.unwrap_or(true)
}
