//! gateway-checkout: the browser layer.
#![forbid(unsafe_code)]
