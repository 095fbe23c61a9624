//! The 3DS method: the 3DS Server's gather URL (an empty POST) and the ACS's method URL (threeDSMethodData),
//! each in its own hidden iframe, at the same time. Done as soon as every frame has loaded, never later than
//! the ceiling (EMVCo: 10 s). threeDSCompInd speaks of the ACS's 3DS Method, as EMVCo defines it: Y (it
//! loaded in time), N (the ceiling came first), U (the ACS gave no method URL); the 3DS Server's gather
//! frame is waited for too but does not change it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::dom::{self, Added};
use super::signals::{Heard, Signals};
use super::urls::origin_of;
use checkout_core::flow::{CompInd, MethodPlan};
use checkout_core::url_policy::SafeUrl;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

pub struct MethodResult {
    /// For the ACS's method frame (U when there was none).
    pub comp_ind: CompInd,
    /// Whether every frame that was started loaded in time (what the single-frame primitive reports).
    pub all_loaded: bool,
    /// Milliseconds from the first POST to completion or the ceiling.
    pub ms: u32,
    /// The frames, still in the page: the ACS's method page may go on to post its notification. Dropping
    /// this removes them; the payment flow keeps it until the payment ends.
    pub frames: Added,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodError {
    /// No document to put the frames in.
    Dom,
    Aborted,
}

/// A frame "loaded" once it left about:blank: a cross-origin page (unreadable: no URL) or any other same-origin URL.
fn left_blank(href: Option<&str>) -> bool {
    href != Some("about:blank")
}

pub async fn run(
    plan: &MethodPlan,
    signal: Option<&AbortSignal>,
) -> Result<MethodResult, MethodError> {
    let mut posts: Vec<(&SafeUrl, Vec<(&str, &str)>)> = Vec::new();
    if let Some(server) = &plan.server {
        posts.push((server, Vec::new()));
    }
    let acs_index = plan.acs.as_ref().map(|acs| {
        posts.push((&acs.url, vec![("threeDSMethodData", acs.data.as_str())]));
        posts.len() - 1
    });
    if posts.is_empty() {
        return Ok(MethodResult {
            comp_ind: CompInd::U,
            all_loaded: true,
            ms: 0,
            frames: Added::default(),
        });
    }
    if dom::frames_blocked() {
        // No frame can show the ACS's method page (a cross-origin isolated page): not completed, and at once.
        return Ok(MethodResult {
            comp_ind: if acs_index.is_some() {
                CompInd::N
            } else {
                CompInd::U
            },
            all_loaded: false,
            ms: 0,
            frames: Added::default(),
        });
    }
    // Declared before `signals` so listeners go first, then the frames.
    let mut added = Added::default();
    let signals = Signals::new(signal);
    let started_at = js_sys::Date::now();

    let mut refused = vec![false; posts.len()];
    for (i, (url, fields)) in posts.iter().enumerate() {
        let name = dom::unique_name("gc-3ds-method-");
        let frame = dom::method_frame(&name).ok_or(MethodError::Dom)?;
        added.keep(frame.clone().unchecked_into());
        signals.loads(&frame, i);
        match dom::submit_form(url, &name, fields) {
            Ok(()) => {}
            // Refused by the page's form-action at once (Firefox): not completed, like a refusal told by event.
            Err(dom::NotPosted::Refused) => refused[i] = true,
            Err(dom::NotPosted::Dom) => return Err(MethodError::Dom),
        }
    }
    signals.time_up_after(plan.timeout_ms);
    // A frame the page's policy refused (frame-src, or form-action for its POST) never ran the method, even
    // though Chrome fires `load` for its error page: it counts as not completed, and at once.
    let origins: Vec<String> = posts
        .iter()
        .map(|(u, _)| origin_of(u.as_str()).unwrap_or_default())
        .collect();
    signals.violations();

    let mut loaded = vec![false; posts.len()];
    loop {
        if loaded.iter().zip(&refused).all(|(l, r)| *l || *r) {
            break;
        }
        match signals.next().await {
            Heard::Loaded(i, href)
                if i < posts.len() && !refused[i] && left_blank(href.as_deref()) =>
            {
                loaded[i] = true
            }
            Heard::Refused { blocked, directive }
                if matches!(
                    directive.as_str(),
                    "frame-src" | "child-src" | "form-action"
                ) =>
            {
                let origin = origin_of(&blocked).unwrap_or_default();
                for (i, o) in origins.iter().enumerate() {
                    if *o == origin {
                        refused[i] = true;
                        loaded[i] = false;
                    }
                }
            }
            Heard::Abort => return Err(MethodError::Aborted),
            Heard::TimeUp => break,
            _ => {}
        }
    }
    let ms = (js_sys::Date::now() - started_at).max(0.0) as u32;
    drop(signals);
    let comp_ind = match acs_index {
        None => CompInd::U,
        Some(i) if loaded.get(i) == Some(&true) => CompInd::Y,
        Some(_) => CompInd::N,
    };
    Ok(MethodResult {
        comp_ind,
        all_loaded: loaded.iter().all(|l| *l),
        ms,
        frames: added,
    })
}
