//! gateway-checkout: card and wallet payments with 3-D Secure 2 in the browser, for the RBS payment gateway.
//!
//! This crate is the thin web layer: DOM frames and forms, fetch, timers, and the #[wasm_bindgen] API.
//! The protocol itself (the flow state machine, wire types, policies) lives in the pure `checkout-core`
//! crate (core/), which builds and tests natively.
#![forbid(unsafe_code)]

pub mod api;
pub mod web;

pub use api::checkout::Checkout;
pub use checkout_core as core;
