//! One payment per order at a time: the gateway order is the idempotency key, so two payments of one order
//! must never run at once, not from two Checkouts on a page nor from two tabs. A module-level set guards the
//! page (always, synchronously); the Web Locks API (`navigator.locks`, where the host has it) guards every
//! tab and worker of the origin. The lock is held until the returned guard drops.

use super::rt::Chan;
use super::signals::Wake;
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
    })
}

/// Adds the cross-tab Web Lock to a claimed order. Err(()) when another tab or worker holds it; Ok when it
/// is ours or the host has no Web Locks (the page-level guard still holds).
pub async fn across_tabs(lock: &mut OrderLock) -> Result<(), ()> {
    let Some((locks, request)) = web_locks() else {
        return Ok(());
    };
    let chan: Chan<Wake> = Chan::new();
    let mut tx = Some(Replier(Some(chan.clone())));
    // The callback gets the lock (or null with ifAvailable when it is taken); the lock lasts until the
    // promise it returns settles, which is when the guard calls `release`.
    let callback = Closure::once_into_js(move |granted: JsValue| -> js_sys::Promise {
        let Some(tx) = tx.take() else {
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        };
        if granted.is_null() || granted.is_undefined() {
            tx.send(Wake::LockTaken);
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        let mut release = None;
        let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        tx.send(match release {
            Some(f) => Wake::LockGranted(f),
            None => Wake::LockDropped,
        });
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
    match chan.recv().await {
        Wake::LockGranted(release) => {
            lock.release = Some(release);
            Ok(())
        }
        Wake::LockTaken => Err(()),
        // LockDropped (nothing else is sent here): the host dropped the callback without calling it, so
        // there is no cross-tab guard to be had.
        _ => Ok(()),
    }
}

/// Sends one reply; dropped unsent (the callback freed without being called) it reports `Dropped`.
struct Replier(Option<Chan<Wake>>);

impl Replier {
    fn send(mut self, reply: Wake) {
        if let Some(c) = self.0.take() {
            c.send(reply);
        }
    }
}

impl Drop for Replier {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.send(Wake::LockDropped);
        }
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
