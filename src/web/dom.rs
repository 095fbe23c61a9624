//! Frames and forms built with DOM calls only (never HTML strings), in src/web/host.js, and a guard that removes what the
//! module added on every path.

use crate::prelude::*;
use checkout_core::url_policy::SafeUrl;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, HtmlIFrameElement};

/// Removes its nodes from the document when dropped.
#[derive(Default)]
pub struct Added(Vec<Element>);

impl Added {
    pub fn keep(&mut self, el: Element) {
        self.0.push(el);
    }
}

impl Drop for Added {
    fn drop(&mut self) {
        for el in self.0.drain(..) {
            el.remove();
        }
    }
}

/// A unique frame name, so concurrent checkouts on one page never share a target.
pub fn unique_name(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    let mut s = String::from(prefix);
    checkout_core::json::push_uint(&mut s, n);
    s
}

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = postForm)]
    fn post_form(url: &str, target: &str, fields: js_sys::Array) -> u32;
    /// `true` when the page is cross-origin isolated and its browser has no credentialless frames: no frame can
    /// show a bank's page (host.js). A JsValue, not a bool: see host.js's header.
    #[wasm_bindgen(js_name = framesBlocked)]
    fn frames_blocked_js() -> JsValue;
    /// `true` when the page's origin is opaque (a sandbox without allow-same-origin; host.js). A JsValue, as above.
    #[wasm_bindgen(js_name = opaqueOrigin)]
    fn opaque_origin_js() -> JsValue;

    /// The hidden frame of a 3DS method POST, in the body.
    #[wasm_bindgen(js_name = methodFrame)]
    pub fn method_frame(name: &str) -> Option<HtmlIFrameElement>;
    /// [wrapper, frame]: the challenge frame, sized (0×0: filling the container), in `container`.
    #[wasm_bindgen(js_name = challengeFrame)]
    pub fn challenge_frame(
        container: &HtmlElement,
        name: &str,
        width: u32,
        height: u32,
        sandbox: Option<&str>,
        window_size: &str,
    ) -> Option<js_sys::Array>;
}

/// No frame can show a bank's page: the page is cross-origin isolated and its browser has no credentialless frames.
pub fn frames_blocked() -> bool {
    frames_blocked_js().as_bool() == Some(true)
}

/// The page's origin is opaque (a sandbox without allow-same-origin): no return page can be recognised in a frame
/// of its, and it has no storage.
pub fn opaque_origin() -> bool {
    opaque_origin_js().as_bool() == Some(true)
}

/// Why a form was not posted; either way nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotPosted {
    /// The target frame is not in the document (the bank's page would open in a new tab), or the DOM refused a step.
    Dom,
    /// The page's policy refused the post at once: its form-action (Firefox throws; Chromium posts, then tells by
    /// event), or a sandbox without allow-forms (host.js's probe; the browser would drop the post silently).
    Refused,
}

/// POSTs `fields` to `url` in the frame named `target` (or "_self") with a hidden form, submitted and removed at
/// once (host.js's `postForm`).
pub fn submit_form(url: &SafeUrl, target: &str, fields: &[(&str, &str)]) -> Result<(), NotPosted> {
    let flat = js_sys::Array::new();
    for (name, value) in fields {
        flat.push(&JsValue::from_str(name));
        flat.push(&JsValue::from_str(value));
    }
    match post_form(url.as_str(), target, flat) {
        1 => Ok(()),
        2 => Err(NotPosted::Refused),
        _ => Err(NotPosted::Dom),
    }
}
