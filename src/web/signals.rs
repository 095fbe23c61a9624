//! One place where everything the module waits for arrives: DOM events, timers and the merchant's
//! AbortSignal, as messages on a channel. Dropping `Signals` removes every listener and clears every timer,
//! so no path can leave one behind.
//!
//! Every waiting place (the 3DS method frames, the challenge frame, a full-page departure, a delay) uses the
//! one message type `Wake`: the channel, its timers and listeners are compiled once, not once per place
//! (issue 13: a generic `Signals<T>` cost ~1 KB of wasm per message type).

use super::rt::{Chan, Listener, Timer};
use crate::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, EventTarget};

/// What woke a wait.
pub enum Wake {
    /// The merchant's AbortSignal aborted.
    Abort,
    /// The wait's time is up (the method ceiling, the challenge time, a delay).
    TimedOut,
    /// A full-page departure's grace time is up.
    Grace,
    /// 3DS method frame `n` loaded a page.
    Loaded(usize),
    /// The challenge frame loaded something (cross-origin or not).
    FrameLoaded,
    /// The shopper is back: the return page's URL, or the origin that posted the return message.
    Landed(String),
    /// The page's Content Security Policy refused a frame, navigation or form post to this URL.
    Refused(String),
    /// The challenge was taken out of the document (a framework re-rendered the container).
    Detached,
    /// The page started to unload (a full-page challenge is leaving).
    Leaving,
}

pub struct Signals {
    chan: Chan<Wake>,
    listeners: Vec<Listener>,
    timers: Vec<Timer>,
}

impl Default for Signals {
    fn default() -> Self {
        Self::new()
    }
}

impl Signals {
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
        map: impl Fn(&web_sys::Event) -> Option<Wake> + 'static,
    ) {
        let tx = self.chan.clone();
        self.listeners.push(Listener::new(target, kind, move |e| {
            if let Some(msg) = map(e) {
                tx.send(msg);
            }
        }));
    }

    /// Sends `msg` after `ms` milliseconds.
    pub fn after(&mut self, ms: u32, msg: Wake) {
        let tx = self.chan.clone();
        self.timers.push(Timer::once(ms, move || tx.send(msg)));
    }

    /// Every `ms` milliseconds, sends `check()` when it is Some (a condition no event reports).
    pub fn every(&mut self, ms: u32, check: impl Fn() -> Option<Wake> + 'static) {
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
    pub fn on_violation(&mut self, map: impl Fn(&str, &str) -> Option<Wake> + 'static) {
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

    /// Sends `Wake::Abort` when the merchant's signal aborts (at once if it already has).
    pub fn on_abort(&mut self, signal: Option<&AbortSignal>) {
        let Some(signal) = signal else { return };
        if signal.aborted() {
            self.chan.send(Wake::Abort);
            return;
        }
        self.on(signal.unchecked_ref(), "abort", |_| Some(Wake::Abort));
    }

    /// The next message. Never None (the Option is kept for the callers' matches).
    pub async fn next(&mut self) -> Option<Wake> {
        Some(self.chan.recv().await)
    }
}
