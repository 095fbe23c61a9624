//! The ACS challenge: a POST of `creq` (3DS2) or `MD`/`PaReq`/`TermUrl` (3DS1), either into an iframe in the
//! merchant's container, sized to the chosen challenge window, or as a full-page POST.
//!
//! In an iframe, completion is the ACS handing the shopper back: the frame lands on the merchant's return
//! (or fail) URL, which is same-origin and so readable, or that page posts
//! `{type: "gateway-checkout:returned"}` to its parent (checked for origin and source).

use super::dom::{self, Added};
use super::signals::{Heard, Signals};
use super::urls::{origin_and_path, origin_of};
use crate::prelude::*;
use checkout_core::url_policy::SafeUrl;
use checkout_core::window_size::ChallengeWindowSize;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, HtmlElement, HtmlIFrameElement};

/// The message a return page may post to its parent frame.
pub const RETURN_MESSAGE: &str = "gateway-checkout:returned";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeEnd {
    /// The shopper came back; the URL they landed on.
    Returned(String),
    TimedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeError {
    Dom,
    Aborted,
    /// The page's Content Security Policy refused the challenge (`frame-src` / `form-action`). `shown`: the
    /// frame had already loaded a page (the ACS's) before the refusal.
    Blocked {
        shown: bool,
    },
    /// The container left the document after the form was posted: the bank's page may have been finished.
    Detached,
}

/// Pages that mean "the shopper is back": compared by origin + path.
#[derive(Debug, Clone, Default)]
pub struct ReturnPages {
    pages: Vec<String>,
}

impl ReturnPages {
    pub fn new<'a>(urls: impl IntoIterator<Item = &'a str>) -> Self {
        ReturnPages {
            pages: urls.into_iter().filter_map(origin_and_path).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    fn matches(&self, href: &str) -> bool {
        origin_and_path(href).is_some_and(|p| self.pages.contains(&p))
    }

    fn allows_origin(&self, origin: &str) -> bool {
        self.pages
            .iter()
            .any(|p| p.strip_prefix(origin).is_some_and(|r| r.starts_with('/')))
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/web/host.js")]
extern "C" {
    /// [width, height]: the container's (its height, or the window's when it has none yet), or the window's.
    #[wasm_bindgen(js_name = challengeArea)]
    fn challenge_area(container: Option<&HtmlElement>) -> js_sys::Array;
}

fn fitting(container: Option<&HtmlElement>) -> ChallengeWindowSize {
    let area = challenge_area(container);
    let dim = |i: u32| area.get(i).as_f64().unwrap_or(0.0);
    ChallengeWindowSize::fitting(dim(0), dim(1))
}

/// The size to use for a container: its width, and its height or (when the container grows with its
/// content and has none yet) the viewport's.
pub fn fitting_size(container: &HtmlElement) -> ChallengeWindowSize {
    fitting(Some(container))
}

/// The size that fits the viewport (the container is not in the page yet).
pub fn viewport_size() -> ChallengeWindowSize {
    fitting(None)
}

/// How often the challenge checks it is still in the document.
const DETACH_CHECK_MS: u32 = 500;

/// How the challenge iframe is shown.
pub struct FrameOptions<'a> {
    pub window: ChallengeWindowSize,
    pub container: &'a HtmlElement,
    pub returns: &'a ReturnPages,
    pub timeout_ms: u32,
    /// The frame's `sandbox` attribute (opt-in), e.g. "allow-scripts allow-forms allow-same-origin".
    pub sandbox: Option<&'a str>,
}

/// Tokens for `challengeFrameSandbox: true`: what an EMVCo 3DS2 ACS page needs (its scripts, its form
/// posts, its own origin's storage). Some 3DS1 ACS pages also open popups (terms, help) or break out of
/// frames: those need "allow-popups" / "allow-top-navigation", which the merchant may add with a string.
pub const DEFAULT_FRAME_SANDBOX: &str = "allow-scripts allow-forms allow-same-origin";

/// Shows the challenge in the container and waits for the shopper to come back.
pub async fn in_iframe(
    url: &SafeUrl,
    fields: &[(&str, &str)],
    options: FrameOptions<'_>,
    signal: Option<&AbortSignal>,
) -> Result<ChallengeEnd, ChallengeError> {
    let FrameOptions {
        window,
        container,
        returns,
        timeout_ms,
        sandbox,
    } = options;
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(ChallengeError::Aborted);
    }
    if dom::frames_blocked() || dom::opaque_origin() {
        // No frame can show the bank's page (a cross-origin isolated page), or none could tell the shopper is back
        // (an opaque origin: the shopper would confirm, then wait the whole challenge time): refused before it showed.
        return Err(ChallengeError::Blocked { shown: false });
    }
    let mut added = Added::default();
    let signals = Signals::new(signal);

    let name = dom::unique_name("gc-3ds-challenge-");
    let (width, height) = window.dimensions().unwrap_or((0, 0));
    let parts = dom::challenge_frame(container, &name, width, height, sandbox, window.code())
        .ok_or(ChallengeError::Dom)?;
    let wrapper: web_sys::Element = parts.get(0).unchecked_into();
    let frame: HtmlIFrameElement = parts.get(1).unchecked_into();
    added.keep(wrapper);

    signals.loads(&frame, 0);
    signals.violations();
    signals.messages(&frame);
    signals.time_up_after(timeout_ms);
    signals.detach(&frame, DETACH_CHECK_MS);

    dom::submit_form(url, &name, fields).map_err(not_posted)?;

    let mut shown = false;
    let end = loop {
        match signals.next().await {
            // Cross-origin (the ACS, unreadable): a page showed, not back yet.
            Heard::Loaded(_, None) => shown = true,
            Heard::Loaded(_, Some(href)) if returns.matches(&href) => {
                break Ok(ChallengeEnd::Returned(href))
            }
            Heard::Loaded(_, Some(href)) if href != "about:blank" => shown = true,
            Heard::Message {
                origin,
                from_frame: true,
                kind: Some(kind),
            } if kind == RETURN_MESSAGE && returns.allows_origin(&origin) => {
                break Ok(ChallengeEnd::Returned(origin))
            }
            Heard::Refused { blocked, directive }
                if matches!(
                    directive.as_str(),
                    "frame-src" | "child-src" | "form-action"
                ) && blocked.starts_with("http") =>
            {
                // The frame was sent to the return page and the policy refused to show it there: the shopper
                // is back all the same (the ACS finished), so the payment goes on.
                if returns.matches(&blocked) {
                    break Ok(ChallengeEnd::Returned(blocked));
                }
                // Refusals of the page's other frames (a chat widget, a tag manager) never get here (host.js's
                // Watch.elsewhere): this one is the challenge's (the bank's page, its next hop, the return page).
                break Err(ChallengeError::Blocked { shown });
            }
            Heard::TimeUp => break Ok(ChallengeEnd::TimedOut),
            Heard::Detached => break Err(ChallengeError::Detached),
            Heard::Abort => break Err(ChallengeError::Aborted),
            _ => {}
        }
    };
    drop(signals);
    drop(added);
    end
}

/// Leaves the page: a full-page POST to the ACS. The shopper returns to the merchant's return URL.
pub fn full_page(url: &SafeUrl, fields: &[(&str, &str)]) -> Result<(), ChallengeError> {
    dom::submit_form(url, "_self", fields).map_err(not_posted)
}

/// A post refused by the page's policy at once is a refused challenge (before anything showed).
fn not_posted(e: dom::NotPosted) -> ChallengeError {
    match e {
        dom::NotPosted::Refused => ChallengeError::Blocked { shown: false },
        dom::NotPosted::Dom => ChallengeError::Dom,
    }
}

/// How a full-page challenge's departure went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    /// The page started leaving and the challenge time ran out without the page going (or it never unloads), or
    /// the shopper came back to the page from the bank's page (the back/forward cache).
    Left,
    Aborted,
    /// The page's policy refused the form (or the bank's redirect after it): the page stays.
    Blocked,
    /// Nothing started leaving within the grace time. The navigation may have been cancelled, or it may still
    /// come: iOS Safari fires no beforeunload, and its pagehide only once the bank's page answers.
    Unconfirmed,
}

/// After the full-page form was submitted: waits for the page to start leaving (beforeunload/pagehide)
/// for `grace_ms`; a `securitypolicyviolation` (form-action) means the page stays, and nothing at all that it
/// may: the payment must not wait the whole challenge time for a navigation that may never happen.
pub async fn leaving(
    to: &SafeUrl,
    grace_ms: u32,
    challenge_ms: u32,
    signal: Option<&AbortSignal>,
) -> Leaving {
    let to = origin_of(to.as_str());
    let signals = Signals::new(signal);
    signals.leaving();
    signals.violations();
    signals.grace_after(grace_ms);
    signals.time_up_after(challenge_ms);
    let mut started = false;
    loop {
        match signals.next().await {
            Heard::Leaving => started = true,
            // A refusal of the post to the bank's page, or of a redirect the bank's page answered it with: browsers
            // report both with the posted URL (Chromium, e2e 8-second-tab), so they cannot be told apart. Either
            // way the page stays and the bank's page never showed. Refusals of other posts are not this one's.
            Heard::Refused { blocked, directive }
                if directive == "form-action" && origin_of(&blocked) == to =>
            {
                return Leaving::Blocked
            }
            Heard::Grace if !started => return Leaving::Unconfirmed,
            // Back at this page from the bank's page (the back/forward cache kept it, and this wait with it): the
            // shopper left the bank's page, and the order's status decides now rather than at the challenge time.
            Heard::TimeUp | Heard::Back => return Leaving::Left,
            Heard::Abort => return Leaving::Aborted,
            _ => {}
        }
    }
}
