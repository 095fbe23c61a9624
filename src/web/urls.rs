//! URLs read with the browser's own parser (`URL`, through src/web/host.js's `urlPart`), and the page's address.
//! One place for them: every origin and path the module compares comes from here. One host call for every part
//! of a URL, rather than an import each for the constructor, `href`, `origin`, `pathname` and `searchParams`
//! (issue 13).

use crate::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// The page's address, when there is a page.
    #[wasm_bindgen(js_name = pageHref)]
    pub fn page_href() -> Option<String>;
    /// How this page was reached: "navigate", "reload" or "back_forward"; None where the host does not say.
    #[wasm_bindgen(js_name = navigationType)]
    pub fn navigation_type() -> Option<String>;
    /// `part` ("href", "origin", "path" or "?key") of `url` resolved against `base`; None when it is no URL.
    #[wasm_bindgen(js_name = urlPart)]
    fn url_part(url: &str, base: Option<&str>, part: &str) -> Option<String>;
}

/// The value of the page address's query parameter `key`.
pub fn page_param(key: &str) -> Option<String> {
    let mut part = String::from("?");
    part.push_str(key);
    url_part(&page_href()?, None, &part)
}

/// `url` resolved against `base`, as the browser's parser writes it.
pub fn resolve(url: &str, base: &str) -> Option<String> {
    url_part(url, Some(base), "href")
}

/// `scheme://host[:port]` of a URL (what a violation's blockedURI and a frame probe are compared by).
pub fn origin_of(url: &str) -> Option<String> {
    url_part(url, None, "origin")
}

/// `scheme://authority/path` of a URL (without query or fragment).
pub fn origin_and_path(href: &str) -> Option<String> {
    url_part(href, None, "path")
}
