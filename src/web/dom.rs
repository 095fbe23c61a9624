//! Frames and forms built with DOM calls only (never HTML strings), and a guard that removes what the
//! module added on every path.

use crate::prelude::*;
use checkout_core::url_policy::SafeUrl;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, HtmlIFrameElement};

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

// Every attribute below is set with `setAttribute`, not its reflecting property (`frame.name = …`): the same
// effect, and one import for all of them instead of one glue function per property (issue 13). For the same
// reason the elements made here are cast without an `instanceof` check: `createElement("iframe")` in the page's
// document is always an HTMLIFrameElement.

/// Sets each attribute; None when one is refused.
pub fn set_attributes(el: &Element, attributes: &[(&str, &str)]) -> Option<()> {
    for (name, value) in attributes {
        el.set_attribute(name, value).ok()?;
    }
    Some(())
}

pub fn iframe(doc: &Document, name: &str, title: &str) -> Option<HtmlIFrameElement> {
    let f = doc.create_element("iframe").ok()?;
    set_attributes(
        &f,
        &[("name", name), ("title", title), ("frameborder", "0")],
    )?;
    Some(f.unchecked_into())
}

/// POSTs `fields` to `url` in the frame named `target` (or "_self") with a hidden form: appended to the body,
/// submitted, and removed at once (the navigation has started, and its fields, which may carry gateway data,
/// should not stay in the DOM). None, and nothing sent, when the target frame is not in the document (the
/// bank's page would open in a new tab) or the DOM refuses a step.
pub fn submit_form(
    doc: &Document,
    url: &SafeUrl,
    target: &str,
    fields: &[(&str, &str)],
) -> Option<()> {
    if !target.starts_with('_') {
        // Array.from: the array imports are there anyway, NodeList's length and item would be two more.
        let frames = js_sys::Array::from(&doc.get_elements_by_name(target));
        let present = frames.iter().any(|n| {
            let n: web_sys::Node = n.unchecked_into();
            n.is_connected() && n.node_name().eq_ignore_ascii_case("iframe")
        });
        if !present {
            return None;
        }
    }
    let form = doc.create_element("form").ok()?;
    set_attributes(
        &form,
        &[
            ("method", "post"),
            ("action", url.as_str()),
            ("target", target),
            ("hidden", ""),
        ],
    )?;
    // The ACS expects application/x-www-form-urlencoded, the default.
    for (name, value) in fields {
        let input = doc.create_element("input").ok()?;
        set_attributes(
            &input,
            &[("type", "hidden"), ("name", name), ("value", value)],
        )?;
        form.append_child(&input).ok()?;
    }
    doc.body()?.append_child(&form).ok()?;
    let sent = form.unchecked_ref::<HtmlFormElement>().submit();
    form.remove();
    sent.ok()
}
