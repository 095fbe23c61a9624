//! Reads what the browser tells about itself for 3DS2. Tolerates hosts without a window (Node, workers):
//! missing values stay empty and the core fills EMVCo-valid defaults.

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::browser_info::BrowserSnapshot;
use checkout_core::window_size::ChallengeWindowSize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// [userAgent, language, colorDepth, pixelDepth, width, height, availWidth, availHeight, timezone offset,
    /// time zone, javaEnabled], undefined where the host has none.
    #[wasm_bindgen(js_name = browserFacts)]
    fn browser_facts() -> js_sys::Array;
    /// The page's `<html lang>` and the browser's language, one per line (host.js).
    #[wasm_bindgen(js_name = pageLanguage)]
    pub fn page_language() -> String;
}

/// The current browser's snapshot. `accept_header` and `ip` come from the merchant's server when it has them.
pub fn snapshot(
    window: ChallengeWindowSize,
    accept_header: Option<String>,
    ip: Option<String>,
) -> BrowserSnapshot {
    let facts = browser_facts();
    let text = |i: u32| facts.get(i).as_string().unwrap_or_default();
    let num = |i: u32| {
        facts
            .get(i)
            .as_f64()
            .filter(|n| n.is_finite())
            .map_or(0, |n| n as i32)
    };
    BrowserSnapshot {
        user_agent: text(0),
        language: text(1),
        color_depth: num(2),
        pixel_depth: num(3),
        screen_width: num(4),
        screen_height: num(5),
        avail_width: num(6),
        avail_height: num(7),
        tz_offset_minutes: num(8),
        time_zone: facts.get(9).as_string(),
        java_enabled: facts.get(10).as_bool().unwrap_or(false),
        accept_header,
        ip,
        challenge_window: window,
    }
}
