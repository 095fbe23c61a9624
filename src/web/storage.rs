//! What the module stores, through src/web/host.js, never card data: what resume() needs after a full-page
//! challenge (order id, 3DS version, threeDSServerTransId) in this tab's sessionStorage, and in localStorage, for
//! the origin's other tabs, that an order is at the bank's page until a deadline.

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::flow::ResumeState;
use wasm_bindgen::prelude::*;

const KEY: &str = "gateway-checkout:resume";

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSessionItem)]
    fn save_session_item(key: &str, value: &str) -> bool;
    #[wasm_bindgen(js_name = takeSessionItem)]
    fn take_session_item(key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = getLocalItem)]
    fn get_local_item(key: &str) -> Option<String>;
    #[wasm_bindgen(js_name = setLocalItem)]
    fn set_local_item(key: &str, value: Option<String>);
}

pub fn save(state: &ResumeState) -> bool {
    save_session_item(KEY, &state.encode())
}

/// Reads and removes the saved state, so a payment is resumed at most once.
pub fn take() -> Option<ResumeState> {
    ResumeState::decode(&take_session_item(KEY)?)
}

fn at_bank_key(order_id: &str) -> String {
    let mut key = String::from("gateway-checkout:at-bank:");
    key.push_str(order_id);
    key
}

/// Marks the order as at the bank's page (a full-page challenge) for `ms`: the page has left, and its Web Lock
/// with it, so the origin's other tabs learn from this that the order is being paid.
pub fn mark_at_bank(order_id: &str, ms: u32) {
    let mut until = String::new();
    checkout_core::json::push_uint(&mut until, js_sys::Date::now() as u64 + u64::from(ms));
    set_local_item(&at_bank_key(order_id), Some(until));
}

/// Whether another page of this origin left for the bank's page with this order and may still come back with
/// it. An expired mark is removed.
pub fn at_bank(order_id: &str) -> bool {
    let key = at_bank_key(order_id);
    let Some(until) = get_local_item(&key) else {
        return false;
    };
    let live =
        checkout_core::text::parse_u64(&until).is_some_and(|u| js_sys::Date::now() < u as f64);
    if !live {
        set_local_item(&key, None);
    }
    live
}

/// The order is back from the bank's page (resume()), or never left.
pub fn clear_at_bank(order_id: &str) {
    set_local_item(&at_bank_key(order_id), None);
}
