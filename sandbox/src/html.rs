//! HTML building blocks: escaping, the sandbox page frame, auto-submitting forms.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// True for an http(s) URL: the only kind the sandbox puts into a form action or redirect.
pub fn is_http_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && !s.chars().any(|c| c.is_control())
}

pub const BANNER: &str = "Sandbox \u{2014} no real bank";

const BASE_CSS: &str = "*{box-sizing:border-box}html,body{margin:0;padding:0}\
body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1c2430;background:#fff}\
.sbx{background:#fff3cd;color:#664d03;font-size:11px;text-align:center;padding:2px 4px;border-bottom:1px solid #ffe69c}\
main{padding:12px}h1{font-size:16px;margin:0 0 8px}p{margin:0 0 8px}";

/// A complete page: sandbox banner, title, `body_html` (already escaped), optional extra CSS/JS.
pub fn page(title: &str, body_html: &str, extra_css: &str, script: &str) -> String {
    let body = format!("<div class=\"sbx\" role=\"note\">{BANNER}</div>{body_html}");
    document(title, &body, extra_css, script)
}

/// A complete page without the banner (the caller places it).
pub fn document(title: &str, body_html: &str, extra_css: &str, script: &str) -> String {
    let script = if script.is_empty() {
        String::new()
    } else {
        format!("<script>{script}</script>")
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title} \u{2014} {BANNER}</title><style>{BASE_CSS}{extra_css}</style></head>\
<body>{body_html}{script}</body></html>",
        title = esc(title)
    )
}

/// A page with a form that submits itself on load (with a button for no-script browsers).
pub fn auto_post(title: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let mut inputs = String::new();
    for (k, v) in fields {
        inputs.push_str(&format!(
            "<input type=\"hidden\" id=\"{k}\" name=\"{k}\" value=\"{v}\">",
            k = esc(k),
            v = esc(v)
        ));
    }
    let body = format!(
        "<main><p>{t}</p><form id=\"acs\" name=\"acs\" method=\"post\" action=\"{a}\">{inputs}\
<noscript><button type=\"submit\">Continue</button></noscript></form></main>",
        t = esc(title),
        a = esc(action)
    );
    page(title, &body, "", "document.forms['acs'].submit();")
}

/// An HTML response with a restrictive CSP: only inline styles/scripts, forms to http(s).
pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action http: https:",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A small error page.
pub fn error_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<main><h1>{}</h1><p>{}</p></main>", esc(title), esc(text));
    html_response(status, page(title, &body, "", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert!(is_http_url("http://127.0.0.1/x"));
        assert!(!is_http_url("javascript:alert(1)"));
    }
}
