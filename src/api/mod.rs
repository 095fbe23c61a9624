//! The #[wasm_bindgen] API: the Checkout class, the low-level primitives and their TypeScript types.

pub mod checkout;
mod js;
pub mod primitives;
pub mod types;
pub mod wallets;
