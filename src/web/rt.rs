//! The small runtime the module needs, on wasm-bindgen and js-sys alone (no std, no gloo, no futures crates;
//! issue 13): event listeners and timers that are removed when dropped, a single-threaded channel, and one
//! promise spawner, so every API shares one future type.

use crate::prelude::*;
use alloc::collections::VecDeque;
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

#[wasm_bindgen]
extern "C" {
    // The global timers (window, worker or Node; Node's handles are objects, so JsValue).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(id: &JsValue);
}

/// A timeout or an interval, cleared when dropped.
pub struct Timer {
    id: JsValue,
    repeat: bool,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` once after `ms`.
    pub fn once(ms: u32, f: impl FnOnce() + 'static) -> Timer {
        let mut f = Some(f);
        Timer::start(ms, false, move || {
            if let Some(f) = f.take() {
                f()
            }
        })
    }

    /// Calls `f` every `ms`.
    pub fn every(ms: u32, f: impl FnMut() + 'static) -> Timer {
        Timer::start(ms, true, f)
    }

    fn start(ms: u32, repeat: bool, f: impl FnMut() + 'static) -> Timer {
        let callback = Closure::<dyn FnMut()>::new(f);
        let handler: &js_sys::Function = callback.as_ref().unchecked_ref();
        // Timers take a signed 32-bit delay.
        let ms = ms.min(i32::MAX as u32) as i32;
        let id = if repeat {
            set_interval(handler, ms)
        } else {
            set_timeout(handler, ms)
        };
        Timer {
            id,
            repeat,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if self.repeat {
            clear_interval(&self.id)
        } else {
            clear_timeout(&self.id)
        }
    }
}

/// An event listener, removed when dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        mut f: impl FnMut(&Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(move |e: Event| f(&e));
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

struct Queue<T> {
    items: VecDeque<T>,
    waker: Option<Waker>,
}

/// A single-threaded unbounded channel: any clone sends, any clone receives.
pub struct Chan<T>(Rc<RefCell<Queue<T>>>);

impl<T> Clone for Chan<T> {
    fn clone(&self) -> Self {
        Chan(self.0.clone())
    }
}

impl<T> Default for Chan<T> {
    fn default() -> Self {
        Chan(Rc::new(RefCell::new(Queue {
            items: VecDeque::new(),
            waker: None,
        })))
    }
}

impl<T> Chan<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn send(&self, msg: T) {
        let waker = {
            let mut q = self.0.borrow_mut();
            q.items.push_back(msg);
            q.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// The next message, when it comes.
    pub fn recv(&self) -> Recv<'_, T> {
        Recv(self)
    }
}

pub struct Recv<'a, T>(&'a Chan<T>);

impl<T> Future for Recv<'_, T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut q = self.0 .0.borrow_mut();
        match q.items.pop_front() {
            Some(m) => Poll::Ready(m),
            None => {
                q.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

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
