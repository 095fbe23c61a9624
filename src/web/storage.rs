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
    #[wasm_bindgen(js_name = takeSessionItem)]
    fn take_session_item(key: &str) -> Option<String>;
}

pub fn save(state: &ResumeState) -> bool {
    save_session_item(KEY, &state.encode())
}

/// Reads and removes the saved state, so a payment is resumed at most once.
pub fn take() -> Option<ResumeState> {
    ResumeState::decode(&take_session_item(KEY)?)
}
