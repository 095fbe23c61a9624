//! Static files (`--www` at `/`, `--pkg` at `/pkg/`), the landing page and the merchant pages the
//! seeds' relative returnUrl (`finish.html`) resolves to.

use std::path::{Component, Path as FsPath, PathBuf};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use crate::html::{error_page, esc, html_response, page};
use crate::http::Input;
use crate::AppState;

pub fn content_type(path: &FsPath) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("wasm") => "application/wasm",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("json") | Some("map") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `root` + a URL path, refusing anything that climbs out of `root`.
fn safe_join(root: &FsPath, rel: &str) -> Option<PathBuf> {
    let rel = rel.trim_start_matches('/');
    let mut out = root.to_path_buf();
    for c in FsPath::new(rel).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

async fn serve_file(root: &FsPath, rel: &str) -> Response {
    let Some(mut path) = safe_join(root, rel) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    if tokio::fs::metadata(&path)
        .await
        .map(|m| m.is_dir())
        .unwrap_or(false)
    {
        path.push("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let mut res = (StatusCode::OK, bytes).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&path)),
            );
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        Err(_) => error_page(StatusCode::NOT_FOUND, "Not found", "No such file."),
    }
}

/// `GET /pkg/{*path}`
pub async fn pkg(State(app): State<AppState>, Path(path): Path<String>) -> Response {
    match &app.config.pkg {
        Some(root) => serve_file(root, &path).await,
        None => error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "Start the sandbox with --pkg DIR to serve the module.",
        ),
    }
}

/// Everything else: `--www` files, or the landing page.
pub async fn www(State(app): State<AppState>, uri: Uri) -> Response {
    if let Some(root) = &app.config.www {
        return serve_file(root, uri.path()).await;
    }
    if uri.path() == "/" {
        let body = "<main><h1>Gateway sandbox</h1><p>A local emulator of the RBS payment gateway \
(eCommerce API V1), its 3DS Server and an issuer ACS. No real bank is involved and no money moves.</p>\
<p>REST API: <code>/payment/rest/&lt;method&gt;.do</code>; wallets: <code>/payment/applepay/payment.do</code>, \
<code>/payment/google/payment.do</code>; control: <code>/sandbox/faults</code>, <code>/sandbox/requests</code>.</p></main>";
        return html_response(StatusCode::OK, page("Gateway sandbox", body, "", ""));
    }
    error_page(
        StatusCode::NOT_FOUND,
        "Not found",
        "No such page in the sandbox.",
    )
}

/// `GET /payment/merchants/{*rest}`: the gateway-side pages (finish.html for relative returnUrls,
/// the hosted payment form URL): a sandbox page showing the order's status.
pub async fn merchant_page(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let id = input
        .get("orderId")
        .or(input.get("mdOrder"))
        .unwrap_or("")
        .to_string();
    let status = {
        let mut st = app.lock();
        st.order(&id)
            .map(|o| (o.number.clone(), o.status, o.amount, o.currency.clone()))
    };
    let body = match status {
        Some((number, status, amount, currency)) => format!(
            "<main><h1>Order {n}</h1><p id=\"status\" data-order-status=\"{s}\">Order status: {s}</p>\
<p>Amount: {a}.{c:02} ({cur})</p><p>The hosted payment page is not emulated: pay through the module.</p></main>",
            n = esc(&number),
            s = status,
            a = amount / 100,
            c = amount % 100,
            cur = esc(&currency)
        ),
        None => "<main><h1>Payment gateway page</h1><p>Unknown order.</p></main>".to_string(),
    };
    html_response(StatusCode::OK, page("Payment", &body, "", ""))
}
