//! Small bridges between JS values and the core: reading option objects, making CheckoutError objects.

use crate::prelude::*;
use checkout_core::fields::Fields;
use checkout_core::value::Value;
use checkout_core::{CheckoutError, ErrorCode, Language};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, HtmlElement};

// The readers below are kept out of line: they are called at every option of every request (~80 B gzip).
#[inline(never)]
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string option: None when absent, Err when present but not a string.
#[inline(never)]
pub fn opt_string(
    obj: &JsValue,
    key: &'static str,
    lang: Language,
) -> Result<Option<String>, CheckoutError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| invalid(ErrorCode::InvalidOption, lang, key))
}

#[inline(never)]
pub fn string(
    obj: &JsValue,
    key: &'static str,
    code: ErrorCode,
    lang: Language,
) -> Result<String, CheckoutError> {
    match opt_string(obj, key, lang) {
        Ok(Some(s)) => Ok(s),
        _ => Err(invalid(code, lang, key)),
    }
}

/// An optional object of string values (the gateway's jsonParams, billingPayerData) as JSON text.
#[inline(never)]
pub fn opt_json_object(
    obj: &JsValue,
    key: &'static str,
    lang: Language,
) -> Result<Option<String>, CheckoutError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let bad = || invalid(ErrorCode::InvalidOption, lang, key);
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(bad());
    }
    let values = js_sys::Object::values(v.unchecked_ref());
    if !values.iter().all(|x: JsValue| x.is_string()) {
        return Err(bad());
    }
    js_sys::JSON::stringify(&v)
        .ok()
        .and_then(|s| s.as_string())
        .map(Some)
        .ok_or_else(bad)
}

/// A flag: None when absent, Err when present but not a boolean (a form's "false" must not read as absent).
#[inline(never)]
pub fn opt_bool(
    obj: &JsValue,
    key: &'static str,
    lang: Language,
) -> Result<Option<bool>, CheckoutError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool()
        .map(Some)
        .ok_or_else(|| invalid(ErrorCode::InvalidOption, lang, key))
}

/// A non-negative number of milliseconds (capped at 2^31 − 1), or None.
#[inline(never)]
pub fn opt_ms(
    obj: &JsValue,
    key: &'static str,
    lang: Language,
) -> Result<Option<u32>, CheckoutError> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        // Timers take a signed 32-bit delay: a longer one would fire at once, so it is capped (~24.8 days).
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n.min(f64::from(i32::MAX)) as u32)),
        _ => Err(invalid(ErrorCode::InvalidOption, lang, key)),
    }
}

/// The request's `signal`: absent, or an AbortSignal. Anything else is refused rather than ignored (a
/// merchant who thinks they can cancel must be able to).
#[inline(never)]
pub fn signal(obj: &JsValue, lang: Language) -> Result<Option<AbortSignal>, CheckoutError> {
    let v = get(obj, "signal");
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<AbortSignal>()
        .map(Some)
        .map_err(|_| invalid(ErrorCode::InvalidOption, lang, "signal"))
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// The element `selector` names: null when none, undefined when the selector is malformed.
    #[wasm_bindgen(js_name = selectElement)]
    pub fn select_element(selector: &str) -> JsValue;
}

/// An element given as an element or a CSS selector.
pub fn element(v: &JsValue) -> Option<HtmlElement> {
    let found;
    let v = match v.as_string() {
        Some(selector) => {
            found = select_element(&selector);
            &found
        }
        None => v,
    };
    v.clone().dyn_into::<HtmlElement>().ok()
}

#[inline(never)]
pub fn invalid(code: ErrorCode, lang: Language, detail: &'static str) -> CheckoutError {
    CheckoutError::new(code, lang).with_detail(detail)
}

/// The JS Error object a promise rejects with.
pub fn error_to_js(e: &CheckoutError) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    let obj: &JsValue = err.as_ref();
    // Reflect rather than `set_name`: one import less (Reflect.set is imported anyway).
    let _ = Reflect::set(obj, &"name".into(), &"CheckoutError".into());
    let _ = Reflect::set(obj, &"code".into(), &e.code.code().into());
    let _ = Reflect::set(obj, &"retryable".into(), &e.retryable().into());
    if let Some(g) = &e.gateway_code {
        let _ = Reflect::set(obj, &"gatewayCode".into(), &g.into());
    }
    if let Some(d) = e.detail {
        let _ = Reflect::set(obj, &"detail".into(), &d.into());
    }
    if let Some(o) = &e.order_id {
        let _ = Reflect::set(obj, &"orderId".into(), &o.into());
    }
    err.into()
}

/// The core's value tree as a plain JS object (absent optional fields are not set at all): written as JSON by the
/// core's small writer and parsed by the host (one import instead of a Reflect.set per field).
pub fn to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_json()).unwrap_or(JsValue::UNDEFINED)
}

/// A parsed JS value (a gateway answer from JSON.parse, a merchant's input object) read by the core's
/// field readers.
pub struct Js(pub JsValue);

impl Fields for Js {
    fn get(&self, key: &str) -> Option<Self> {
        let v = get(&self.0, key);
        (!v.is_undefined() && !v.is_null()).then_some(Js(v))
    }
    fn text(&self) -> Option<String> {
        self.0.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn flag(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn is_object(&self) -> bool {
        self.0.is_object() && !js_sys::Array::is_array(&self.0)
    }
    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(&self.0)
            .then(|| js_sys::Array::from(&self.0).iter().map(Js).collect())
    }
}

/// Today's (year, month) from the browser's clock, for the expiry check.
pub fn today() -> (u32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year(), d.get_month() + 1)
}
