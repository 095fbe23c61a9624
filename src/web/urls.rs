//! URLs read with the browser's own parser (`URL`), and the page's address. One place for them: every origin and
//! path the module compares comes from here, and the page's origin and path are read from `location.href` (one
//! import, rather than one each for `location.origin` and `location.pathname`; issue 13).

use crate::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// The page's address, when there is a page.
    #[wasm_bindgen(js_name = pageHref)]
    pub fn page_href() -> Option<String>;
}

/// The value of the page address's query parameter `key`.
pub fn page_param(key: &str) -> Option<String> {
    web_sys::Url::new(&page_href()?)
        .ok()?
        .search_params()
        .get(key)
}

/// `scheme://host[:port]` of a URL (what a violation's blockedURI and a frame probe are compared by).
pub fn origin_of(url: &str) -> Option<String> {
    web_sys::Url::new(url).ok().map(|u| u.origin())
}

/// `scheme://authority/path` of a URL (without query or fragment).
pub fn origin_and_path(href: &str) -> Option<String> {
    let u = web_sys::Url::new(href).ok()?;
    let mut s = u.origin();
    s.push_str(&u.pathname());
    Some(s)
}
