//! The only thing the module stores: what resume() needs after a full-page challenge (order id, 3DS version,
//! threeDSServerTransId), in sessionStorage. Never card data.

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::flow::ResumeState;

const KEY: &str = "gateway-checkout:resume";

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn save(state: &ResumeState) -> bool {
    session().is_some_and(|s| s.set_item(KEY, &state.encode()).is_ok())
}

/// Reads and removes the saved state, so a payment is resumed at most once.
pub fn take() -> Option<ResumeState> {
    let s = session()?;
    let raw = s.get_item(KEY).ok()??;
    let _ = s.remove_item(KEY);
    ResumeState::decode(&raw)
}
