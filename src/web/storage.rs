//! The only thing the module stores: what resume() needs after a full-page challenge (order id, 3DS version,
//! threeDSServerTransId), in sessionStorage (through src/web/host.js). Never card data.

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::flow::ResumeState;
use wasm_bindgen::prelude::*;

const KEY: &str = "gateway-checkout:resume";

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSessionItem)]
    fn save_session_item(key: &str, value: &str) -> bool;
    #[wasm_bindgen(js_name = readSessionItem)]
    fn read_session_item(key: &str, remove: bool) -> Option<String>;
}

pub fn save(state: &ResumeState) -> bool {
    save_session_item(KEY, &state.encode())
}

/// The saved state, left in place: resume() removes it (`forget`) only once it holds the order, so a refused
/// resume() (busy) keeps it.
pub fn peek() -> Option<ResumeState> {
    ResumeState::decode(&read_session_item(KEY, false)?)
}

/// Removes the saved state, so a payment is resumed from it at most once.
pub fn forget() {
    read_session_item(KEY, true);
}
