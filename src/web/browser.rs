//! Reads what the browser tells about itself for 3DS2. Tolerates hosts without a window (Node, workers):
//! missing values stay empty and the core fills EMVCo-valid defaults.

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::browser_info::BrowserSnapshot;
use checkout_core::window_size::ChallengeWindowSize;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

fn prop(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_undefined() || obj.is_null() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn num(obj: &JsValue, key: &str) -> i32 {
    prop(obj, key)
        .as_f64()
        .filter(|n| n.is_finite())
        .map(|n| n as i32)
        .unwrap_or(0)
}

fn text(obj: &JsValue, key: &str) -> String {
    prop(obj, key).as_string().unwrap_or_default()
}

/// The current browser's snapshot. `accept_header` and `ip` come from the merchant's server when it has them.
pub fn snapshot(
    window: ChallengeWindowSize,
    accept_header: Option<String>,
    ip: Option<String>,
) -> BrowserSnapshot {
    let global: JsValue = js_sys::global().into();
    let navigator = prop(&global, "navigator");
    let screen = prop(&global, "screen");
    let java_enabled = prop(&navigator, "javaEnabled")
        .dyn_into::<js_sys::Function>()
        .ok()
        .and_then(|f| f.call0(&navigator).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let time_zone = {
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        prop(&options, "timeZone").as_string()
    };
    BrowserSnapshot {
        user_agent: text(&navigator, "userAgent"),
        language: text(&navigator, "language"),
        color_depth: num(&screen, "colorDepth"),
        // Seed 002: Assist's CLIENT_SCREEN_COLORS is "Screen.pixelDepth".
        pixel_depth: num(&screen, "pixelDepth"),
        screen_width: num(&screen, "width"),
        screen_height: num(&screen, "height"),
        avail_width: num(&screen, "availWidth"),
        avail_height: num(&screen, "availHeight"),
        tz_offset_minutes: js_sys::Date::new_0().get_timezone_offset() as i32,
        time_zone,
        java_enabled,
        accept_header,
        ip,
        challenge_window: window,
    }
}
