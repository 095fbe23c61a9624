//! gateway-checkout: card and wallet payments with 3-D Secure 2 in the browser, for the RBS payment gateway.
//!
//! This crate is the thin web layer: DOM frames and forms, fetch, timers, and the #[wasm_bindgen] API.
//! The protocol itself (the flow state machine, wire types, policies) lives in the pure `checkout-core`
//! crate (core/), which builds and tests natively.
//!
//! Size (issue 13): the shipped module is built without std (`--no-default-features`, scripts/build.sh):
//! std would bring its panic machinery, and with it `core::fmt` and every Display impl a panic message can
//! name. Nothing here formats with `core::fmt`; numbers are written by the core's integer writer.
#![forbid(unsafe_code)]
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

/// Without std a panic traps (the JS caller sees a RuntimeError), exactly what `panic = "abort"` did.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}

/// The allocator of the no-std build: dlmalloc, what std itself uses on wasm32 (measured against
/// lol_alloc and talc in issue 13: see README "Size").
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// What every module uses from `alloc`.
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::rc::Rc;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod api;
pub mod web;

pub use api::checkout::Checkout;
pub use checkout_core as core;
