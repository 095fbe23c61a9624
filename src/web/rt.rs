//! The small runtime the module needs, on wasm-bindgen and js-sys alone (no std, no gloo, no futures crates;
//! issue 13): one promise spawner, so every API shares one future type, and a wait for a JS promise. (What the
//! module listens to while it waits is src/web/signals.rs.)

use crate::prelude::*;
use core::future::Future;
use core::pin::Pin;
use wasm_bindgen::prelude::*;

/// What every async API returns before it becomes a Promise.
pub type Task = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// Runs `task` and settles the returned Promise with its result. The one instance of the executor's glue
/// for every API (one monomorphised future_to_promise instead of one per API).
pub fn spawn(task: Task) -> js_sys::Promise {
    js_sys::futures::future_to_promise(task)
}

/// Waits for a JS promise.
pub async fn wait(promise: js_sys::Promise) -> Result<JsValue, JsValue> {
    js_sys::futures::JsFuture::from(promise).await
}
