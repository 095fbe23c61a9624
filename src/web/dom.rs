//! Frames and forms built with DOM calls only (never HTML strings), and a guard that removes what the
//! module added on every path.

use crate::prelude::*;
use checkout_core::url_policy::SafeUrl;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlElement, HtmlFormElement, HtmlIFrameElement, HtmlInputElement,
};

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Removes its nodes from the document when dropped.
#[derive(Default)]
pub struct Added(Vec<Element>);

impl Added {
    pub fn keep(&mut self, el: Element) {
        self.0.push(el);
    }
}

impl Drop for Added {
    fn drop(&mut self) {
        for el in self.0.drain(..) {
            el.remove();
        }
    }
}

/// A unique frame name, so concurrent checkouts on one page never share a target.
pub fn unique_name(prefix: &str) -> String {
    let n = (js_sys::Math::random() * 1e12) as u64;
    let mut s = String::from(prefix);
    checkout_core::json::push_uint(&mut s, n);
    s
}

/// Sets inline styles through the CSSOM (`element.style`), which a strict Content Security Policy allows;
/// a `style` attribute would be refused by `style-src` without 'unsafe-inline'.
pub fn set_styles(el: &HtmlElement, styles: &[(&str, &str)]) -> Option<()> {
    let css = el.style();
    for (name, value) in styles {
        css.set_property(name, value).ok()?;
    }
    Some(())
}

pub fn iframe(doc: &Document, name: &str, title: &str) -> Option<HtmlIFrameElement> {
    let f: HtmlIFrameElement = doc.create_element("iframe").ok()?.dyn_into().ok()?;
    f.set_name(name);
    f.set_title(title);
    f.set_attribute("frameborder", "0").ok()?;
    Some(f)
}

/// A POST form to `url` targeting `target` with hidden fields; the caller appends, submits and removes it.
pub fn post_form(
    doc: &Document,
    url: &SafeUrl,
    target: &str,
    fields: &[(&str, &str)],
) -> Option<HtmlFormElement> {
    let form: HtmlFormElement = doc.create_element("form").ok()?.dyn_into().ok()?;
    form.set_method("post");
    form.set_action(url.as_str());
    form.set_target(target);
    form.set_hidden(true);
    // The ACS expects application/x-www-form-urlencoded, the default.
    for (name, value) in fields {
        let input: HtmlInputElement = doc.create_element("input").ok()?.dyn_into().ok()?;
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input).ok()?;
    }
    Some(form)
}

/// Appends `form` to the body, submits it, and removes it at once: the navigation has started and its
/// fields (which may carry gateway data) should not stay in the DOM.
pub fn submit_and_remove(doc: &Document, form: &HtmlFormElement) -> Option<()> {
    // A form whose target frame is not in the document would open the bank's page in a new tab.
    let target = form.target();
    if !target.starts_with('_') {
        let frames = doc.get_elements_by_name(&target);
        let present = (0..frames.length()).any(|i| {
            frames
                .item(i)
                .is_some_and(|n| n.is_connected() && n.node_name().eq_ignore_ascii_case("iframe"))
        });
        if !present {
            return None;
        }
    }
    doc.body()?.append_child(form).ok()?;
    let sent = form.submit();
    form.remove();
    sent.ok()
}
