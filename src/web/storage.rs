//! What the module stores, never card data, through src/web/host.js: what resume() needs after a full-page
//! challenge (order id, 3DS version, threeDSServerTransId) in sessionStorage; and in localStorage, shared by the
//! origin's tabs, when finish3dsVer2Payment.do left for an order (so a reloaded return page never sends it again)
//! and that an order is at the bank's page until a deadline (so another tab does not pay it meanwhile).

#[allow(unused_imports)]
use crate::prelude::*;

use checkout_core::flow::{finish_record_counts, ResumeState};
use checkout_core::text::split_any;
use wasm_bindgen::prelude::*;

const KEY: &str = "gateway-checkout:resume";
/// Followed by the orderId, `:` and the threeDSServerTransId; the value is the epoch ms the finish left at.
const FINISHED: &str = "gateway-checkout:finished:";
/// Followed by the orderId; the value is the epoch ms until which the order counts as at the bank's page.
const AT_BANK: &str = "gateway-checkout:at-bank:";

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveItem)]
    fn save_item(local: bool, key: &str, value: &str) -> bool;
    #[wasm_bindgen(js_name = readItem)]
    fn read_item(local: bool, key: &str, remove: bool) -> Option<String>;
    #[wasm_bindgen(js_name = localKeys)]
    fn local_keys(prefix: &str) -> String;
}

pub fn save(state: &ResumeState) -> bool {
    save_item(false, KEY, &state.encode())
}

/// The saved state, left in place: resume() removes it (`forget`) only once it holds the order, so a refused
/// resume() (busy) keeps it.
pub fn peek() -> Option<ResumeState> {
    ResumeState::decode(&read_item(false, KEY, false)?)
}

/// Removes the saved state, so a payment is resumed from it at most once.
pub fn forget() {
    read_item(false, KEY, true);
}

/// The localStorage key of an order's record: `prefix` followed by the orderId.
fn order_key(prefix: &str, order_id: &str) -> String {
    let mut k = String::from(prefix);
    k.push_str(order_id);
    k
}

/// The key of a finish's record: the order and its 3DS2 transaction (ids never hold a `:`). Per transaction: an
/// order declined at the bank's page may be paid again, and that attempt's finish must leave too.
fn finish_key(order_id: &str, trans_id: &str) -> String {
    let mut k = order_key(FINISHED, order_id);
    k.push(':');
    k.push_str(trans_id);
    k
}

/// Records that finish3dsVer2Payment.do is about to leave for the order's transaction. Best effort: storage refused
/// (a privacy setting) leaves a reload to send it again, which the gateway refuses without charging.
pub fn mark_finished(order_id: &str, trans_id: &str) {
    let mut at = String::new();
    checkout_core::json::push_uint(&mut at, prune());
    save_item(true, &finish_key(order_id, trans_id), &at);
}

/// Whether this browser sent finish3dsVer2Payment.do for the order's transaction within the record's lifetime.
pub fn finished(order_id: &str, trans_id: &str) -> bool {
    prune();
    read_item(true, &finish_key(order_id, trans_id), false).is_some()
}

/// Removes the records that no longer count (stale or unreadable); returns now, in epoch ms.
fn prune() -> u64 {
    let now = js_sys::Date::now() as u64;
    for key in split_any(&local_keys(FINISHED), b"\n").filter(|k| !k.is_empty()) {
        if !read_item(true, key, false).is_some_and(|r| finish_record_counts(&r, now)) {
            read_item(true, key, true);
        }
    }
    now
}

/// The order whose challenge form this page posted to the bank's page. The page normally goes with it; one that
/// stays (no sign of leaving, or aborted while leaving) may still go, so resume() here only checks the order.
static POSTED_HERE: spin::Mutex<String> = spin::Mutex::new(String::new());

/// Marks the order as at the bank's page (a full-page challenge) for `ms`: the page leaves, and its Web Lock
/// with it, so the origin's tabs learn from this that the order is being paid.
pub fn mark_at_bank(order_id: &str, ms: u32) {
    let mut until = String::new();
    checkout_core::json::push_uint(&mut until, js_sys::Date::now() as u64 + u64::from(ms));
    save_item(true, &order_key(AT_BANK, order_id), &until);
    *POSTED_HERE.lock() = order_id.to_owned();
}

/// Whether this page posted the order's challenge form (and is still here).
pub fn posted_here(order_id: &str) -> bool {
    *POSTED_HERE.lock() == order_id
}

/// Whether a page of this origin left for the bank's page with this order and may still come back with it. An
/// expired mark is removed.
pub fn at_bank(order_id: &str) -> bool {
    let key = order_key(AT_BANK, order_id);
    let Some(until) = read_item(true, &key, false) else {
        return false;
    };
    let live =
        checkout_core::text::parse_u64(&until).is_some_and(|u| js_sys::Date::now() < u as f64);
    if !live {
        read_item(true, &key, true);
    }
    live
}

/// The order's full-page challenge is settled here (back from the bank's page, or it never left): its resume state
/// and its at-bank mark go.
pub fn settle(order_id: &str) {
    forget();
    read_item(true, &order_key(AT_BANK, order_id), true);
    POSTED_HERE.lock().clear();
}
