//! Everything that touches the page or the network. Each module executes what the core decides.

pub mod browser;
pub mod challenge;
pub mod dom;
pub mod http;
pub mod methods;
pub mod order_lock;
pub mod rt;
pub mod signals;
pub mod storage;
pub mod urls;
