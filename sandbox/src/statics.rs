//! Static files (`--www` at `/`, `--pkg` at `/pkg/`), the landing page and the merchant pages the
//! seeds' relative returnUrl (`finish.html`) resolves to.
//!
//! A storefront page (`.html` from `--www`) asked for with `?csp=strict` is served the way a bank-grade
//! merchant serves its checkout: a strict Content-Security-Policy with Trusted Types (see [`strict_csp`]), and
//! the script-tag build's `<script>` carrying the Subresource Integrity values of `pkg/script/sri.json`
//! (written by scripts/size-report.mjs). `?unframeable=1` serves a page that refuses every frame
//! (`X-Frame-Options: DENY`, `frame-ancestors 'none'`): the storefront passes both on to its return and
//! result pages. `?csp=report-only` serves [`REPORT_ONLY_CSP`], a policy a merchant is only trying out: it would
//! refuse every frame and form post, and is reported, not enforced.

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

/// The file for a URL path (a directory's `index.html`), or the response refusing it.
async fn read_file(root: &FsPath, rel: &str) -> Result<(PathBuf, Vec<u8>), Response> {
    let Some(mut path) = safe_join(root, rel) else {
        return Err((StatusCode::BAD_REQUEST, "bad path").into_response());
    };
    if tokio::fs::metadata(&path)
        .await
        .map(|m| m.is_dir())
        .unwrap_or(false)
    {
        path.push("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok((path, bytes)),
        Err(_) => Err(error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "No such file.",
        )),
    }
}

async fn serve_file(root: &FsPath, rel: &str) -> Response {
    match read_file(root, rel).await {
        Ok((path, bytes)) => {
            let mut res = (StatusCode::OK, bytes).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&path)),
            );
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        Err(res) => res,
    }
}

/// How a storefront page is served, from its query string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageMode {
    /// `csp=strict`: the strict policy with Trusted Types, and SRI on the script-tag build.
    pub strict: bool,
    /// `unframeable=1`: `X-Frame-Options: DENY` and `frame-ancestors 'none'`.
    pub unframeable: bool,
    /// `csp=report-only`: [`REPORT_ONLY_CSP`] as Content-Security-Policy-Report-Only.
    pub report_only: bool,
    /// `head=405`: a HEAD of the page is answered 405 Method Not Allowed with none of the page's headers (a
    /// server route that only knows GET), so a HEAD cannot tell whether the page may be framed.
    pub head_refused: bool,
    /// `coep=1`: cross-origin isolated (`Cross-Origin-Opener-Policy: same-origin`,
    /// `Cross-Origin-Embedder-Policy: require-corp`), as a page using SharedArrayBuffer is. A cross-origin page
    /// shows in its frames only if it opts in (bank pages do not) or the frame is `credentialless`.
    pub isolated: bool,
    /// `sandboxed=1`: the page sandboxes itself (`Content-Security-Policy: sandbox allow-scripts
    /// allow-same-origin`, no `allow-forms`), as a page inside `<iframe sandbox>` without `allow-forms` is: the
    /// browser drops every form post it makes, silently.
    pub forms_sandboxed: bool,
}

/// The report-only policy of `?csp=report-only`: enforced, it would refuse every frame and form post.
pub const REPORT_ONLY_CSP: &str = "frame-src 'none'; form-action 'none'";

/// The directive of `?sandboxed=1`: scripts and storage work, form posts do not.
pub const FORMS_SANDBOXED_CSP: &str = "sandbox allow-scripts allow-same-origin";

impl PageMode {
    pub fn from_query(input: &Input) -> PageMode {
        PageMode {
            strict: input.get("csp") == Some("strict"),
            report_only: input.get("csp") == Some("report-only"),
            head_refused: input.get("head") == Some("405"),
            isolated: input.get("coep") == Some("1"),
            forms_sandboxed: input.get("sandboxed") == Some("1"),
            unframeable: input
                .get("unframeable")
                .is_some_and(|v| v != "0" && v != "false"),
        }
    }
}

/// The gateway's origin as the storefront sees it: the sandbox on 127.0.0.1 at the port the page was loaded
/// from (the storefront itself is `localhost` on the same port: two origins, as in production).
pub fn gateway_origin(host: &str) -> String {
    let port = host
        .rsplit_once(':')
        .map(|(_, p)| p)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match port {
        Some(p) => format!("http://127.0.0.1:{p}"),
        None => "http://127.0.0.1".to_string(),
    }
}

/// The strict policy the storefront pages are served with under `?csp=strict`; `gateway` is the gateway's
/// origin, which here is also the 3DS Server's and the ACS's (with a real bank those are other hosts: see
/// the README's "Content Security Policy").
///
/// - `default-src 'none'`: nothing not listed below (fonts, media, objects, workers, manifests).
/// - `script-src 'self' 'wasm-unsafe-eval'`: the page's own scripts and the module's JS glue, no inline script,
///   no eval; 'wasm-unsafe-eval' lets the glue compile the .wasm.
/// - `style-src 'self'`: the stylesheet; no inline styles (the module styles its frames through the CSSOM).
/// - `img-src 'self'`, `base-uri 'none'`.
/// - `connect-src 'self' gateway`: the shop's backend, the .wasm, the return page's framing probe (self); the
///   gateway's REST API (gateway).
/// - `frame-src 'self' gateway`: the hidden 3DS method frames and the challenge frame (the 3DS Server's and
///   the ACS's pages), and the return page the challenge frame ends on (self).
/// - `form-action gateway`: the module's form posts to the method URLs and the ACS (into a frame, or the whole
///   page in redirect mode).
/// - `frame-ancestors`: 'self' (the return page is framed by the checkout page), 'none' when unframeable.
/// - `require-trusted-types-for 'script'; trusted-types 'none'`: no string reaches an HTML or script sink,
///   and no Trusted Types policy may be created.
pub fn strict_csp(gateway: &str, unframeable: bool) -> String {
    let ancestors = if unframeable { "'none'" } else { "'self'" };
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; \
connect-src 'self' {gateway}; frame-src 'self' {gateway}; form-action {gateway}; base-uri 'none'; \
frame-ancestors {ancestors}; require-trusted-types-for 'script'; trusted-types 'none'"
    )
}

/// The module's script-tag build as the storefront pages load it.
const SCRIPT_GLUE: &str = "/pkg/script/gateway_checkout.js";

/// `pkg/script/sri.json` (scripts/size-report.mjs): `{"gateway_checkout.js": "sha384-…",
/// "gateway_checkout_bg.wasm": "sha384-…"}`; values that are not SRI strings are ignored.
async fn script_integrity(pkg: Option<&FsPath>) -> (Option<String>, Option<String>) {
    let Some(pkg) = pkg else { return (None, None) };
    let Ok(text) = tokio::fs::read(pkg.join("script").join("sri.json")).await else {
        return (None, None);
    };
    let v: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
    let get = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .filter(|s| {
                s.starts_with("sha384-")
                    && s[7..]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
            })
            .map(str::to_string)
    };
    (get("gateway_checkout.js"), get("gateway_checkout_bg.wasm"))
}

/// Adds the SRI attributes to the script-tag build's `<script src="/pkg/script/gateway_checkout.js">`:
/// `integrity` and `crossorigin` for the glue, and `data-wasm-integrity` for the .wasm, which the page
/// fetches with `fetch(url, { integrity })` (www/assets/app/script-build.js).
pub fn with_integrity(html: &str, js: Option<&str>, wasm: Option<&str>) -> String {
    let tag = format!("<script src=\"{SCRIPT_GLUE}\"");
    let mut attrs = String::new();
    if let Some(js) = js {
        attrs.push_str(&format!(" integrity=\"{js}\" crossorigin=\"anonymous\""));
    }
    if let Some(wasm) = wasm {
        attrs.push_str(&format!(" data-wasm-integrity=\"{wasm}\""));
    }
    if attrs.is_empty() {
        return html.to_string();
    }
    html.replace(&tag, &format!("{tag}{attrs}"))
}

/// A storefront file; HTML gets the headers (and, strict, the SRI attributes) its query asks for.
async fn serve_page(app: &AppState, root: &FsPath, input: &Input) -> Response {
    let (path, bytes) = match read_file(root, &input.path).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    let ct = content_type(&path);
    let mode = PageMode::from_query(input);
    if mode.head_refused && input.method == "HEAD" {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let html = ct.starts_with("text/html");
    let bytes = if html && mode.strict {
        let (js, wasm) = script_integrity(app.config.pkg.as_deref()).await;
        let text = String::from_utf8_lossy(&bytes);
        with_integrity(&text, js.as_deref(), wasm.as_deref()).into_bytes()
    } else {
        bytes
    };
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if !html {
        return res;
    }
    let mut csp = if mode.strict {
        Some(strict_csp(&gateway_origin(&input.host), mode.unframeable))
    } else if mode.unframeable {
        Some("frame-ancestors 'none'".to_string())
    } else {
        None
    };
    if mode.forms_sandboxed {
        let mut policy = csp.map(|c| c + "; ").unwrap_or_default();
        policy.push_str(FORMS_SANDBOXED_CSP);
        csp = Some(policy);
    }
    if let Some(v) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if mode.report_only {
        h.insert(
            header::CONTENT_SECURITY_POLICY_REPORT_ONLY,
            HeaderValue::from_static(REPORT_ONLY_CSP),
        );
    }
    if mode.unframeable {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    } else if mode.strict {
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    if mode.isolated {
        h.insert(
            "cross-origin-opener-policy",
            HeaderValue::from_static("same-origin"),
        );
        h.insert(
            "cross-origin-embedder-policy",
            HeaderValue::from_static("require-corp"),
        );
    }
    if mode.strict {
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    res
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
pub async fn www(
    State(app): State<AppState>,
    uri: Uri,
    input: Option<Extension<Arc<Input>>>,
) -> Response {
    if let Some(root) = &app.config.www {
        return match input {
            Some(Extension(input)) => serve_page(&app, root, &input).await,
            None => serve_file(root, uri.path()).await,
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::request;
    use crate::Config;
    use std::time::Duration;

    #[test]
    fn gateway_origin_from_the_host() {
        assert_eq!(gateway_origin("localhost:8080"), "http://127.0.0.1:8080");
        assert_eq!(gateway_origin("127.0.0.1:41234"), "http://127.0.0.1:41234");
        assert_eq!(gateway_origin("localhost"), "http://127.0.0.1");
    }

    #[test]
    fn strict_policy() {
        let p = strict_csp("http://127.0.0.1:9", false);
        for d in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "connect-src 'self' http://127.0.0.1:9",
            "frame-src 'self' http://127.0.0.1:9",
            "form-action http://127.0.0.1:9",
            "frame-ancestors 'self'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'",
        ] {
            assert!(p.contains(d), "{d} in {p}");
        }
        assert!(!p.contains("unsafe-inline"));
        assert!(strict_csp("http://127.0.0.1:9", true).contains("frame-ancestors 'none'"));
    }

    #[test]
    fn integrity_on_the_script_tag() {
        let html = "<head><script src=\"/pkg/script/gateway_checkout.js\"></script></head>";
        assert_eq!(
            with_integrity(html, Some("sha384-AA"), Some("sha384-BB")),
            "<head><script src=\"/pkg/script/gateway_checkout.js\" integrity=\"sha384-AA\" \
crossorigin=\"anonymous\" data-wasm-integrity=\"sha384-BB\"></script></head>"
        );
        assert_eq!(with_integrity(html, None, None), html);
    }

    #[tokio::test]
    async fn strict_and_unframeable_pages() {
        let dir = std::env::temp_dir().join(format!("sbx-csp-{}", std::process::id()));
        let www = dir.join("www");
        let script = dir.join("pkg").join("script");
        std::fs::create_dir_all(&www).unwrap();
        std::fs::create_dir_all(&script).unwrap();
        let page = "<script src=\"/pkg/script/gateway_checkout.js\"></script>";
        std::fs::write(www.join("checkout.html"), page).unwrap();
        std::fs::write(www.join("app.js"), "export {}").unwrap();
        std::fs::write(
            script.join("sri.json"),
            r#"{"gateway_checkout.js":"sha384-Js+/=","gateway_checkout_bg.wasm":"sha384-Wasm","x":"<bad>"}"#,
        )
        .unwrap();
        let addr = crate::start(
            "127.0.0.1:0".parse().unwrap(),
            Config {
                www: Some(www),
                pkg: Some(dir.join("pkg")),
                ..Config::default()
            },
        )
        .await
        .unwrap();
        let get = |path: &str| {
            let url = format!("http://{addr}{path}");
            async move {
                request("GET", &url, &[], b"", Duration::from_secs(10))
                    .await
                    .unwrap()
            }
        };
        // Served as before without the query.
        let plain = get("/checkout.html").await;
        assert_eq!(plain.text(), page);
        assert_eq!(plain.header("content-security-policy"), None);
        assert_eq!(plain.header("x-frame-options"), None);
        // Strict: the policy for this port, SRI on the script tag.
        let strict = get("/checkout.html?csp=strict").await;
        let csp = strict.header("content-security-policy").unwrap();
        assert!(csp.contains(&format!(
            "connect-src 'self' http://127.0.0.1:{}",
            addr.port()
        )));
        assert!(csp.contains("frame-ancestors 'self'"));
        assert_eq!(strict.header("x-frame-options"), Some("SAMEORIGIN"));
        assert!(strict.text().contains(
            "integrity=\"sha384-Js+/=\" crossorigin=\"anonymous\" data-wasm-integrity=\"sha384-Wasm\""
        ));
        // Not HTML: no policy, the file as it is.
        let js = get("/app.js?csp=strict").await;
        assert_eq!(js.header("content-security-policy"), None);
        assert_eq!(js.text(), "export {}");
        // Unframeable, strict or not.
        let deny = get("/checkout.html?csp=strict&unframeable=1").await;
        assert!(deny
            .header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'"));
        assert_eq!(deny.header("x-frame-options"), Some("DENY"));
        let trial = get("/checkout.html?csp=report-only").await;
        assert_eq!(
            trial.header("content-security-policy-report-only"),
            Some(REPORT_ONLY_CSP)
        );
        assert_eq!(trial.header("content-security-policy"), None);
        let deny = get("/checkout.html?unframeable=1").await;
        assert_eq!(
            deny.header("content-security-policy"),
            Some("frame-ancestors 'none'")
        );
        assert_eq!(deny.header("x-frame-options"), Some("DENY"));
        assert_eq!(deny.text(), page, "SRI only for the strict pages");
        let head = request(
            "HEAD",
            &format!("http://{addr}/checkout.html?unframeable=1"),
            &[],
            b"",
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        assert_eq!(head.header("x-frame-options"), Some("DENY"));
        // head=405: the GET refuses frames, a HEAD is refused and says nothing.
        let url = format!("http://{addr}/checkout.html?unframeable=1&head=405");
        let refused = request("HEAD", &url, &[], b"", Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(refused.status, 405);
        assert_eq!(refused.header("x-frame-options"), None);
        let deny = get("/checkout.html?unframeable=1&head=405").await;
        assert_eq!(deny.header("x-frame-options"), Some("DENY"));
        let isolated = get("/checkout.html?coep=1").await;
        assert_eq!(
            isolated.header("cross-origin-embedder-policy"),
            Some("require-corp")
        );
        assert_eq!(
            isolated.header("cross-origin-opener-policy"),
            Some("same-origin")
        );
        let sandboxed = get("/checkout.html?sandboxed=1").await;
        assert_eq!(
            sandboxed.header("content-security-policy"),
            Some(FORMS_SANDBOXED_CSP)
        );
        let both = get("/checkout.html?sandboxed=1&unframeable=1").await;
        assert_eq!(
            both.header("content-security-policy"),
            Some("frame-ancestors 'none'; sandbox allow-scripts allow-same-origin")
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
