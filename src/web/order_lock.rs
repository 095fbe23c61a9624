//! One payment per order at a time: the gateway order is the idempotency key, so two payments of one order
//! must never run at once, not from two Checkouts on a page nor from two tabs. A module-level set guards the
//! page (always, synchronously); the Web Locks API (`navigator.locks`, where the host has it) guards every
//! tab and worker of the origin. The lock is held until the returned guard drops.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static IN_FLIGHT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Holds the order until dropped: leaves the module-level set and releases the Web Lock.
pub struct OrderLock {
    key: String,
    release: Option<js_sys::Function>,
}

impl Drop for OrderLock {
    fn drop(&mut self) {
        IN_FLIGHT.with(|s| s.borrow_mut().retain(|k| k != &self.key));
        if let Some(f) = self.release.take() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}

/// Takes the page-level guard for `key` at once; None when a payment of it is already running on this page.
pub fn claim(key: &str) -> Option<OrderLock> {
    let taken = IN_FLIGHT.with(|s| {
        let mut s = s.borrow_mut();
        if s.iter().any(|k| k == key) {
            return false;
        }
        s.push(key.to_owned());
        true
    });
    taken.then(|| OrderLock {
        key: key.to_owned(),
        release: None,
    })
}

/// Adds the cross-tab Web Lock to a claimed order. Err(()) when another tab or worker holds it; Ok when it
/// is ours or the host has no Web Locks (the page-level guard still holds).
pub async fn across_tabs(lock: &mut OrderLock) -> Result<(), ()> {
    let Some((locks, request)) = web_locks() else {
        return Ok(());
    };
    let (tx, rx) = futures_channel::oneshot::channel::<Option<js_sys::Function>>();
    let mut tx = Some(tx);
    // The callback gets the lock (or null with ifAvailable when it is taken); the lock lasts until the
    // promise it returns settles, which is when the guard calls `release`.
    let callback = Closure::once_into_js(move |granted: JsValue| -> js_sys::Promise {
        let Some(tx) = tx.take() else {
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        };
        if granted.is_null() || granted.is_undefined() {
            let _ = tx.send(None);
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        let mut release = None;
        let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        let _ = tx.send(release);
        held
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let mut name = String::from("gateway-checkout:");
    name.push_str(&lock.key);
    if request
        .call3(&locks, &name.into(), &options, &callback)
        .is_err()
    {
        return Ok(());
    }
    match rx.await {
        Ok(Some(release)) => {
            lock.release = Some(release);
            Ok(())
        }
        Ok(None) => Err(()),
        // The host dropped the callback without calling it: no cross-tab guard to be had.
        Err(_) => Ok(()),
    }
}

fn web_locks() -> Option<(JsValue, js_sys::Function)> {
    let global = js_sys::global();
    let navigator = js_sys::Reflect::get(&global, &"navigator".into()).ok()?;
    if !navigator.is_object() {
        return None;
    }
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    if !locks.is_object() {
        return None;
    }
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((locks, request))
}
