//! One place where everything the module waits for arrives: DOM events, timers and the merchant's
//! AbortSignal, as messages on a channel. Dropping `Signals` removes every listener and clears every timer,
//! so no path can leave one behind.

use super::rt::{Chan, Listener, Timer};
use crate::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, EventTarget};

pub struct Signals<T: 'static> {
    chan: Chan<T>,
    listeners: Vec<Listener>,
    timers: Vec<Timer>,
}

impl<T: 'static> Default for Signals<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: 'static> Signals<T> {
    pub fn new() -> Self {
        Signals {
            chan: Chan::new(),
            listeners: Vec::new(),
            timers: Vec::new(),
        }
    }

    /// Sends `map(event)` (when Some) each time `target` fires `kind`.
    pub fn on(
        &mut self,
        target: &EventTarget,
        kind: &'static str,
        map: impl Fn(&web_sys::Event) -> Option<T> + 'static,
    ) {
        let tx = self.chan.clone();
        self.listeners.push(Listener::new(target, kind, move |e| {
            if let Some(msg) = map(e) {
                tx.send(msg);
            }
        }));
    }

    /// Sends `msg` after `ms` milliseconds.
    pub fn after(&mut self, ms: u32, msg: T) {
        let tx = self.chan.clone();
        self.timers.push(Timer::once(ms, move || tx.send(msg)));
    }

    /// Every `ms` milliseconds, sends `check()` when it is Some (a condition no event reports).
    pub fn every(&mut self, ms: u32, check: impl Fn() -> Option<T> + 'static) {
        let tx = self.chan.clone();
        self.timers.push(Timer::every(ms, move || {
            if let Some(msg) = check() {
                tx.send(msg);
            }
        }));
    }

    /// Sends `map(blocked_uri, directive)` (when Some) for each Content Security Policy violation the page
    /// reports (`securitypolicyviolation` on the document): how the module learns that the merchant's
    /// policy refused one of its frames or forms instead of waiting for a timeout.
    pub fn on_violation(&mut self, map: impl Fn(&str, &str) -> Option<T> + 'static) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        self.on(doc.unchecked_ref(), "securitypolicyviolation", move |e| {
            let field = |k: &str| {
                js_sys::Reflect::get(e, &wasm_bindgen::JsValue::from_str(k))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            map(&field("blockedURI"), &field("effectiveDirective"))
        });
    }

    /// Sends `msg` when the merchant's signal aborts (at once if it already has).
    pub fn on_abort(&mut self, signal: Option<&AbortSignal>, msg: impl Fn() -> T + 'static) {
        let Some(signal) = signal else { return };
        if signal.aborted() {
            self.chan.send(msg());
            return;
        }
        self.on(signal.unchecked_ref(), "abort", move |_| Some(msg()));
    }

    /// The next message. Never None (the Option is kept for the callers' matches).
    pub async fn next(&mut self) -> Option<T> {
        Some(self.chan.recv().await)
    }
}
