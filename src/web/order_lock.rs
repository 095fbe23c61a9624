//! One payment per order at a time: the gateway order is the idempotency key, so two payments of one order
//! must never run at once, not from two Checkouts on a page nor from two tabs. A module-level set guards the
//! page (always, synchronously); the Web Locks API (`navigator.locks`, where the host has it; src/web/host.js) guards
//! every tab and worker of the origin. The lock is held until the returned guard drops.

use super::rt::wait;
use crate::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The orders being paid on this page. A spin mutex stands in for std's thread_local (the module has no
/// std; wasm32 runs it on one thread, so the lock is never contended).
static IN_FLIGHT: spin::Mutex<Vec<String>> = spin::Mutex::new(Vec::new());

/// Holds the order until dropped: leaves the module-level set and releases the Web Lock.
pub struct OrderLock {
    key: String,
    release: Option<js_sys::Function>,
    /// Back from the bank's page: the order's full-page challenge is settled here (its resume state and at-bank
    /// mark go), but only once every tab's lock is ours. A call refused as busy keeps both.
    pub settles: bool,
}

impl Drop for OrderLock {
    fn drop(&mut self) {
        IN_FLIGHT.lock().retain(|k| k != &self.key);
        if let Some(f) = self.release.take() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}

/// Takes the page-level guard for `key` at once; None when a payment of it is already running on this page.
pub fn claim(key: &str) -> Option<OrderLock> {
    let taken = {
        let mut s = IN_FLIGHT.lock();
        if s.iter().any(|k| k == key) {
            false
        } else {
            s.push(key.to_owned());
            true
        }
    };
    taken.then(|| OrderLock {
        key: key.to_owned(),
        release: None,
        settles: false,
    })
}

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// Resolves to the lock's release function, false when it is taken, true when there is no Web Lock to have.
    #[wasm_bindgen(js_name = lockAcrossTabs)]
    fn lock_across_tabs(name: &str) -> js_sys::Promise;
}

/// Adds the cross-tab Web Lock to a claimed order. Err(()) when another tab or worker holds it; Ok when it
/// is ours or the host has no Web Locks (the page-level guard still holds).
pub async fn across_tabs(lock: &mut OrderLock) -> Result<(), ()> {
    let mut name = String::from("gateway-checkout:");
    name.push_str(&lock.key);
    match wait(lock_across_tabs(&name)).await {
        Ok(release) if release.is_function() => lock.release = Some(release.unchecked_into()),
        Ok(v) if v == JsValue::FALSE => return Err(()),
        _ => {}
    }
    if lock.settles {
        super::storage::settle(&lock.key);
    }
    Ok(())
}
