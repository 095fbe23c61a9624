//! The #[wasm_bindgen] API: the Checkout class, the low-level primitives and their TypeScript types.

pub mod checkout;
mod js;
#[cfg(feature = "primitives")]
pub mod primitives;
pub mod types;
#[cfg(feature = "wallets")]
pub mod wallets;
