//! Pure protocol core of gateway-checkout: the gateway's wire types, the card payment's 3DS1/3DS2 flow as
//! a state machine, browser-info normalising, challenge window sizing, the URL policy, card validation and
//! the error codes. No wasm-bindgen, web-sys or js-sys: it builds and tests natively.
#![forbid(unsafe_code)]
// no_std (with alloc) so that the browser module can be built without std: std's panic and formatting
// machinery would otherwise be linked into the wasm (issue 13). Tests link std as usual.
#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// What every module of the crate uses from `alloc`.
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod b64;
pub mod fields;

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
pub mod text;
pub mod url_policy;
pub mod value;
pub mod wallet;
pub mod window_size;
pub mod wire;

pub use error::{CheckoutError, ErrorCode};
pub use lang::Language;
pub use zeroize::Zeroizing;
