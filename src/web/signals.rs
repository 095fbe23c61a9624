//! One place where everything the module waits for arrives: the merchant's AbortSignal, timers, frame loads, the
//! page's Content Security Policy violations, the return page's message, the page leaving. host.js's `Watch`
//! listens and reports each as a raw fact, in order; the waiting code (src/web/methods.rs, src/web/challenge.rs)
//! decides what it means. Dropping `Signals` closes the watch: every listener removed and every timer cleared, on
//! every path.
//!
//! Listening in JS (issue 13): a Rust listener or timer is a wasm-bindgen closure each, plus a channel and its
//! waker; the same wiring in host.js is a few lines, and a wait is one promise per fact.

use super::rt::wait;
use crate::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, Element, HtmlIFrameElement};

#[wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    type Watch;
    #[wasm_bindgen(constructor)]
    fn new(signal: Option<&AbortSignal>) -> Watch;
    #[wasm_bindgen(method)]
    fn after(this: &Watch, ms: u32, tag: u32);
    #[wasm_bindgen(method)]
    fn loads(this: &Watch, frame: &HtmlIFrameElement, index: usize);
    #[wasm_bindgen(method)]
    fn violations(this: &Watch);
    #[wasm_bindgen(method)]
    fn messages(this: &Watch, frame: &HtmlIFrameElement);
    #[wasm_bindgen(method)]
    fn detach(this: &Watch, el: &Element, ms: u32);
    #[wasm_bindgen(method)]
    fn leaving(this: &Watch);
    #[wasm_bindgen(method)]
    fn next(this: &Watch) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn close(this: &Watch);
}

// host.js's fact kinds (1 and 2 are the timer tags Rust passes to `after`).
const ABORT: u32 = 0;
const TIME_UP: u32 = 1;
const GRACE: u32 = 2;
const LOADED: u32 = 3;
const REFUSED: u32 = 4;
const MESSAGE: u32 = 5;
const DETACHED: u32 = 6;
const LEAVING: u32 = 7;
const BACK: u32 = 8;

/// What a wait heard.
pub enum Heard {
    /// The merchant's AbortSignal aborted.
    Abort,
    /// The wait's time is up (the method ceiling, the challenge time, a delay).
    TimeUp,
    /// A full-page departure's grace time is up.
    Grace,
    /// Frame `index` loaded a page: its URL, or None when it is cross-origin (unreadable).
    Loaded(usize, Option<String>),
    /// The page's policy refused `blocked` (its blockedURI) under `directive` (its effectiveDirective).
    Refused { blocked: String, directive: String },
    /// A message to this window: its origin, whether the challenge frame posted it, its data's `type`.
    Message {
        origin: String,
        from_frame: bool,
        kind: Option<String>,
    },
    /// The watched element left the document.
    Detached,
    /// The page started to unload.
    Leaving,
    /// The page is shown again from the back/forward cache: the shopper came back to it.
    Back,
}

pub struct Signals(Watch);

impl Signals {
    /// A wait that hears `Heard::Abort` when `signal` aborts (at once if it already has).
    pub fn new(signal: Option<&AbortSignal>) -> Self {
        Signals(Watch::new(signal))
    }

    /// `Heard::TimeUp` after `ms` milliseconds.
    pub fn time_up_after(&self, ms: u32) {
        self.0.after(ms, TIME_UP)
    }

    /// `Heard::Grace` after `ms` milliseconds.
    pub fn grace_after(&self, ms: u32) {
        self.0.after(ms, GRACE)
    }

    /// Each load of `frame`, as `Heard::Loaded(index, …)`.
    pub fn loads(&self, frame: &HtmlIFrameElement, index: usize) {
        self.0.loads(frame, index)
    }

    /// Each Content Security Policy violation the page reports.
    pub fn violations(&self) {
        self.0.violations()
    }

    /// Each message posted to this window (checked against `frame`, the challenge's).
    pub fn messages(&self, frame: &HtmlIFrameElement) {
        self.0.messages(frame)
    }

    /// `Heard::Detached` when `el` is found out of the document (checked every `ms`).
    pub fn detach(&self, el: &Element, ms: u32) {
        self.0.detach(el, ms)
    }

    /// `Heard::Leaving` when the page starts to unload, `Heard::Back` when it is shown again from the
    /// back/forward cache.
    pub fn leaving(&self) {
        self.0.leaving()
    }

    /// The next fact.
    pub async fn next(&self) -> Heard {
        let fact: js_sys::Array = match wait(self.0.next()).await {
            Ok(v) => v.unchecked_into(),
            // next() never rejects; were it to, the wait ends as if its time were up.
            Err(_) => return Heard::TimeUp,
        };
        let text = |i| fact.get(i).as_string();
        match fact.get(0).as_f64().unwrap_or(1.0) as u32 {
            ABORT => Heard::Abort,
            GRACE => Heard::Grace,
            LOADED => Heard::Loaded(fact.get(1).as_f64().unwrap_or(0.0) as usize, text(2)),
            REFUSED => Heard::Refused {
                blocked: text(1).unwrap_or_default(),
                directive: text(2).unwrap_or_default(),
            },
            MESSAGE => Heard::Message {
                origin: text(1).unwrap_or_default(),
                from_frame: fact.get(2).as_bool() == Some(true),
                kind: text(3),
            },
            DETACHED => Heard::Detached,
            LEAVING => Heard::Leaving,
            BACK => Heard::Back,
            _ => Heard::TimeUp,
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.0.close();
    }
}
