//! Gateway sandbox: a local emulator of the RBS payment gateway (eCommerce API V1), its 3DS Server
//! and an issuer ACS. See README.md and docs/sandbox-contract.md.

pub mod acs;
pub mod callbacks;
pub mod cards;
pub mod client;
pub mod control;
pub mod html;
pub mod http;
pub mod i18n;
pub mod rest;
pub mod setoken;
pub mod shop;
pub mod statics;
pub mod store;
pub mod threeds;
pub mod time;
pub mod wallets;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use axum::middleware::from_fn_with_state;
use axum::routing::{any, get, post};
use axum::Router;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// The demo merchant's API login (as in the seeds' examples).
pub const USER_NAME: &str = "test_user";
/// The demo merchant's API password (as in the seeds' examples).
pub const PASSWORD: &str = "test_user_password";
/// The demo merchant's public login for the wallet endpoints.
pub const MERCHANT_LOGIN: &str = "test_user";
/// The one-time code every sandbox ACS page accepts.
pub const ACS_CODE: &str = "12345678";
/// The default secret of the callback checksum (HMAC-SHA256).
pub const DEFAULT_CALLBACK_SECRET: &str = "sandbox-callback-secret";

#[derive(Clone, Debug)]
pub struct Config {
    /// The demo merchant's Open ID token.
    pub token: String,
    /// Static storefront files served at `/`.
    pub www: Option<PathBuf>,
    /// The built module served at `/pkg/`.
    pub pkg: Option<PathBuf>,
    /// CORS headers on (default) or off.
    pub cors: bool,
    /// Secret of the callback checksum.
    pub callback_secret: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token: new_token(),
            www: None,
            pkg: None,
            cors: true,
            callback_secret: DEFAULT_CALLBACK_SECRET.to_string(),
        }
    }
}

/// A fresh random Open ID token.
pub fn new_token() -> String {
    format!("sandbox-{}", uuid::Uuid::new_v4().simple())
}

/// Everything the handlers share.
pub struct Shared {
    pub config: Config,
    pub state: Mutex<store::State>,
    pub se_key: setoken::SeKey,
    pub local_addr: OnceLock<SocketAddr>,
}

impl Shared {
    pub fn new(config: Config) -> Shared {
        Shared {
            config,
            state: Mutex::new(store::State::default()),
            se_key: setoken::SeKey::load(),
            local_addr: OnceLock::new(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, store::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub type AppState = Arc<Shared>;

/// The whole sandbox as a router (no listener: the shop backend then finds the sandbox through
/// the request's Host header).
pub fn app(config: Config) -> Router {
    router(Arc::new(Shared::new(config)))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/payment/rest/{*method}", any(rest::dispatch))
        .route("/payment/acsRedirect.do", any(rest::acs_redirect_route))
        .route("/payment/se/keys.do", any(setoken::keys))
        .route("/payment/applepay/payment.do", post(wallets::apple_pay))
        .route("/payment/google/payment.do", post(wallets::google_pay))
        .route("/payment/merchants/{*rest}", get(statics::merchant_page))
        .route("/3dsserver/api/v1/client/gather", post(threeds::gather))
        .route(
            "/3dsserver/api/v1/acs/notification",
            post(threeds::acs_notification),
        )
        .route(
            "/3dsserver/api/v1/challenge/notification",
            post(threeds::challenge_notification),
        )
        .route("/acs/method", post(acs::method))
        .route("/acs/challenge", post(acs::challenge))
        .route("/acs/challenge/submit", post(acs::challenge_submit))
        .route("/acs/pareq", post(acs::pareq))
        .route("/acs/pareq/submit", post(acs::pareq_submit))
        .route(
            "/sandbox/faults",
            post(control::add_fault)
                .delete(control::clear_faults)
                .get(control::list_faults),
        )
        .route("/sandbox/orders/{id}", get(control::order))
        .route("/sandbox/ledger", get(control::ledger))
        .route(
            "/sandbox/orders/{id}/requests",
            get(control::order_requests),
        )
        .route(
            "/sandbox/orders/{id}/decoupled",
            post(control::resolve_decoupled),
        )
        .route("/sandbox/requests", get(control::requests))
        .route("/sandbox/callbacks", get(control::callbacks))
        .route("/shop/orders", post(shop::create_order))
        .route("/shop/pay-setoken", post(shop::pay_setoken))
        .route("/shop/config", get(shop::config))
        .route("/shop/bindings", get(shop::bindings))
        .route("/pkg/{*path}", get(statics::pkg))
        .fallback(statics::www)
        .layer(from_fn_with_state(state.clone(), http::log_and_faults))
        .layer(from_fn_with_state(state.clone(), http::cors))
        .with_state(state)
}

/// Serves the sandbox on `listener` until the task is dropped. Each connection runs in its own
/// task so the `drop` fault can close it without an answer.
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let state = Arc::new(Shared::new(config));
    let _ = state.local_addr.set(listener.local_addr()?);
    let app = router(state);
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(x) => x,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let kill = Arc::new(tokio::sync::Notify::new());
            let k = kill.clone();
            let svc = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(http::ConnKill(k.clone()));
                    let app = app.clone();
                    async move { app.oneshot(req.map(axum::body::Body::new)).await }
                },
            );
            let io = hyper_util::rt::TokioIo::new(stream);
            let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, svc);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
            }
        });
    }
}

/// Binds `addr` (loopback only) and serves in a background task; returns the bound address.
pub async fn start(addr: SocketAddr, config: Config) -> std::io::Result<SocketAddr> {
    if !addr.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the sandbox listens on loopback addresses only",
        ));
    }
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(serve(listener, config));
    Ok(bound)
}
