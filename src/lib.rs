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

/// The allocator of the no-std build: lol_alloc's free list (it reuses freed blocks; a payment allocates
/// little and briefly). Measured in issue 13 on the whole module, wasm after wasm-opt -Oz, gzip -9:
/// dlmalloc (std's) 82.4 KB, talc 81.2 KB, lol_alloc 79.7 KB. The locked variant needs no `unsafe` and
/// costs nothing measurable on one thread.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

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
