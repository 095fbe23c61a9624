//! Pure protocol core of gateway-checkout: the gateway's wire types, the card payment's 3DS1/3DS2 flow as
//! a state machine, browser-info normalising, challenge window sizing, the URL policy, card validation and
//! the error codes. No wasm-bindgen, web-sys or js-sys: it builds and tests natively.
#![forbid(unsafe_code)]

pub mod assist;
pub mod browser_info;
pub mod card;
pub mod creq;
pub mod error;
pub mod flow;
pub mod form;
pub mod frame_policy;
pub mod json;
pub mod lang;
pub mod outcome;
pub mod url_policy;
pub mod wallet;
pub mod window_size;
pub mod wire;

pub use error::{CheckoutError, ErrorCode};
pub use lang::Language;
pub use zeroize::Zeroizing;
