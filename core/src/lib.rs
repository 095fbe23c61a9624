//! Pure protocol core of gateway-checkout.
#![forbid(unsafe_code)]
