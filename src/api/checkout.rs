//! `new Checkout(options)`: payCard and resume for the merchant's page. Runs the core's CardFlow, executing
//! each action with the web layer, until the gateway's status gives the outcome.

use super::js::{self, error_to_js, invalid, to_js, Js};
use super::types::*;
use crate::prelude::*;
use crate::web::challenge::{self, ChallengeEnd, ChallengeError, ReturnPages};
use crate::web::http;
use crate::web::order_lock::{self, OrderLock};
use crate::web::rt;
use crate::web::{browser, dom, methods, storage, urls};
use checkout_core::card::CardData;
use checkout_core::flow::{
    valid_id, Action, BindingOrder, CardFlow, CardOrder, ChallengeForm, Endpoint, Event,
    FlowConfig, PaymentExtras, ResumeState, Step, ThreeDsVersion, TransportFailure,
    DEFAULT_STATUS_WINDOW_MS, METHOD_CEILING_MS,
};
use checkout_core::outcome::Outcome;
use checkout_core::url_policy::{SafeUrl, UrlPolicy};
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::wire::GatewayAnswer;
use checkout_core::{CheckoutError, ErrorCode, Language, Zeroizing};
use core::cell::Cell;
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, HtmlElement};

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

const DEFAULT_REQUEST_MS: u32 = 30_000;
const DEFAULT_CHALLENGE_MS: u32 = 600_000;

#[derive(Clone)]
pub(crate) enum ChallengeMode {
    Iframe(Container),
    Redirect,
}

/// Where the challenge goes: an element, or a selector looked up when the challenge starts (a framework
/// may render the container only then, or render it anew).
#[derive(Clone)]
pub(crate) enum Container {
    Element(HtmlElement),
    Selector(String),
}

impl Container {
    /// The container, if it is in the document now.
    pub(crate) fn resolve(&self) -> Option<HtmlElement> {
        let el = match self {
            Container::Element(e) => e.clone(),
            Container::Selector(s) => js::element(&JsValue::from_str(s))?,
        };
        el.is_connected().then_some(el)
    }
}

/// How long a full-page challenge may take to show a sign of leaving the page before it counts as unconfirmed.
const REDIRECT_LEAVE_MS: u32 = 3_000;
/// The longest the return page's framing headers are waited for (a same-origin request).
const FRAME_PROBE_MS: u32 = 3_000;

/// Everything a Checkout was configured with, validated once.
pub(crate) struct Settings {
    pub gateway: SafeUrl,
    pub token: String,
    pub language: Language,
    pub mode: ChallengeMode,
    pub return_url: Option<String>,
    pub fail_url: Option<String>,
    pub policy: UrlPolicy,
    pub method_ms: u32,
    pub request_ms: u32,
    pub challenge_ms: u32,
    pub status_window_ms: u32,
    /// The challenge iframe's `sandbox` tokens (opt-in `challengeFrameSandbox`).
    pub frame_sandbox: Option<String>,
    /// `creqWindowSize: "as-received"`: post the packedCReq unchanged.
    pub creq_as_received: bool,
    pub on_step: Option<js_sys::Function>,
    pub accept_header: Option<String>,
}

/// Resolves a possibly relative URL against the page (a merchant proxy such as "/payment").
pub(crate) fn absolute(url: &str) -> String {
    match urls::page_href().and_then(|b| urls::resolve(url, &b)) {
        Some(u) => u,
        None => url.to_owned(),
    }
}

fn current_page_without_query() -> Option<String> {
    urls::origin_and_path(&urls::page_href()?)
}

impl Settings {
    pub(crate) fn from_js(options: &JsValue) -> Result<Settings, CheckoutError> {
        // The option, else the page's language (a Russian page that forgot the option is not shown English).
        let language = js::get(options, "language")
            .as_string()
            .and_then(|l| Language::parse(&l))
            .or_else(|| {
                let tags = crate::web::browser::page_language();
                checkout_core::text::split_any(&tags, b"\n").find_map(Language::parse)
            })
            .unwrap_or_default();
        if !options.is_object() {
            return Err(invalid(ErrorCode::InvalidOption, language, "options"));
        }
        let sandbox = js::opt_bool(options, "sandbox", language)?.unwrap_or(false);
        let policy = UrlPolicy {
            allow_insecure_loopback: sandbox,
        };
        let gateway_raw = js::string(options, "gatewayUrl", ErrorCode::InvalidOption, language)?;
        let gateway = policy
            .check(checkout_core::text::trim_end_byte(
                &absolute(&gateway_raw),
                b'/',
            ))
            .map_err(|_| invalid(ErrorCode::UnsafeUrl, language, "gatewayUrl"))?;
        let token = js::string(options, "token", ErrorCode::InvalidOption, language)?;
        if token.trim().is_empty() {
            return Err(invalid(ErrorCode::InvalidOption, language, "token"));
        }
        let check_page = |key: &'static str| -> Result<Option<String>, CheckoutError> {
            match js::opt_string(options, key, language)? {
                Some(u) => {
                    let safe = policy
                        .check(&absolute(&u))
                        .map_err(|_| invalid(ErrorCode::UnsafeUrl, language, key))?;
                    Ok(Some(safe.as_str().to_owned()))
                }
                None => Ok(None),
            }
        };
        let return_url = check_page("returnUrl")?.or_else(current_page_without_query);
        let fail_url = check_page("failUrl")?;
        let container_value = js::get(options, "container");
        let container = if container_value.is_undefined() || container_value.is_null() {
            None
        } else if let Some(selector) = container_value.as_string() {
            // Checked now (a malformed selector is a bug to report at once); looked up at the challenge.
            if js::select_element(&selector).is_undefined() {
                return Err(invalid(ErrorCode::InvalidOption, language, "container"));
            }
            Some(Container::Selector(selector))
        } else {
            Some(Container::Element(
                js::element(&container_value)
                    .ok_or_else(|| invalid(ErrorCode::Dom, language, "container"))?,
            ))
        };
        let mode = match (
            js::opt_string(options, "challengeMode", language)?.as_deref(),
            container,
        ) {
            (Some("redirect"), _) => ChallengeMode::Redirect,
            (Some("iframe") | None, Some(c)) => ChallengeMode::Iframe(c),
            (None, None) => ChallengeMode::Redirect,
            (Some("iframe"), None) => {
                return Err(invalid(ErrorCode::InvalidOption, language, "container"))
            }
            (Some(_), _) => {
                return Err(invalid(ErrorCode::InvalidOption, language, "challengeMode"))
            }
        };
        let timeouts = js::get(options, "timeouts");
        let method_ms = js::opt_ms(&timeouts, "methodMs", language)?
            .unwrap_or(METHOD_CEILING_MS)
            .min(METHOD_CEILING_MS);
        let request_ms = js::opt_ms(&timeouts, "requestMs", language)?
            .unwrap_or(DEFAULT_REQUEST_MS)
            .max(1);
        let challenge_ms = js::opt_ms(&timeouts, "challengeMs", language)?
            .unwrap_or(DEFAULT_CHALLENGE_MS)
            .max(1);
        let status_window_ms =
            js::opt_ms(&timeouts, "statusWindowMs", language)?.unwrap_or(DEFAULT_STATUS_WINDOW_MS);
        let frame_sandbox = match js::get(options, "challengeFrameSandbox") {
            v if v.is_undefined() || v.is_null() || v.as_bool() == Some(false) => None,
            v if v.as_bool() == Some(true) => Some(challenge::DEFAULT_FRAME_SANDBOX.to_owned()),
            v => Some(v.as_string().ok_or_else(|| {
                invalid(ErrorCode::InvalidOption, language, "challengeFrameSandbox")
            })?),
        };
        let creq_as_received = match js::opt_string(options, "creqWindowSize", language)?.as_deref()
        {
            None | Some("fit") => false,
            Some("as-received") => true,
            Some(_) => {
                return Err(invalid(
                    ErrorCode::InvalidOption,
                    language,
                    "creqWindowSize",
                ))
            }
        };
        let on_step = js::get(options, "onStep")
            .dyn_into::<js_sys::Function>()
            .ok();
        Ok(Settings {
            gateway,
            token,
            language,
            mode,
            return_url,
            fail_url,
            policy,
            method_ms,
            request_ms,
            challenge_ms,
            status_window_ms,
            frame_sandbox,
            creq_as_received,
            on_step,
            accept_header: js::opt_string(options, "acceptHeader", language)?,
        })
    }

    /// The challenge window for the container as it is now (the viewport's when it is not there yet).
    fn window(&self) -> ChallengeWindowSize {
        match &self.mode {
            ChallengeMode::Iframe(c) => match c.resolve() {
                Some(el) => challenge::fitting_size(&el),
                None => challenge::viewport_size(),
            },
            ChallengeMode::Redirect => ChallengeWindowSize::FullScreen,
        }
    }

    /// The flow settings for a payment starting now (the window size fits the container as it is now).
    #[cfg(feature = "wallets")]
    pub(crate) fn card_flow_config(&self) -> FlowConfig {
        self.flow_config(self.window())
    }

    fn flow_config(&self, window: ChallengeWindowSize) -> FlowConfig {
        let mut c = FlowConfig::new(self.token.clone());
        c.language = self.language;
        c.finish_url = self.return_url.clone();
        c.url_policy = self.policy;
        c.method_timeout_ms = self.method_ms;
        c.challenge_window = window;
        c.creq_as_received = self.creq_as_received;
        c.status_window_ms = self.status_window_ms;
        c
    }

    pub(crate) fn step(&self, step: Step) {
        if let Some(f) = &self.on_step {
            // A throwing callback must not break the payment.
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str(step.code()));
        }
    }

    pub(crate) fn endpoint_url(&self, path: &str) -> String {
        let mut url = self.gateway.as_str().to_owned();
        url.push_str(path);
        url
    }
}

/// Runs the flow to its end, executing each action. Every form, listener and timer an action creates is
/// gone by the time the next event is fed in; the 3DS method frames stay until the payment ends (the ACS's
/// method page may still be posting its notification), and then go too.
///
/// `extra_returns`: pages besides the Checkout's returnUrl/failUrl that mean the shopper is back (a wallet
/// request's own).
async fn drive(
    settings: &Settings,
    flow: CardFlow,
    first: Action,
    signal: Option<AbortSignal>,
    extra_returns: &[String],
) -> Result<Outcome, CheckoutError> {
    let mut flow = flow;
    // The order as the flow knows it when it ends (a wallet payment's is named by the gateway's answer).
    drive_flow(settings, &mut flow, first, signal, extra_returns)
        .await
        .map_err(|e| match e.order_id {
            Some(_) => e,
            None => e.with_order(flow.order_id()),
        })
}

async fn drive_flow(
    settings: &Settings,
    flow: &mut CardFlow,
    first: Action,
    signal: Option<AbortSignal>,
    extra_returns: &[String],
) -> Result<Outcome, CheckoutError> {
    // After an abort the flow still reads the order's status; those reads must not be aborted too.
    let mut signal = signal;
    let mut method_frames = Vec::new();
    let mut action = first;
    loop {
        if let Some(step) = action.step() {
            settings.step(step);
        }
        let sig = signal.as_ref();
        let event = match action {
            Action::Done(outcome) => return Ok(outcome),
            Action::Fail(e) => return Err(e),
            Action::Call {
                endpoint,
                params,
                delay_ms,
                ..
            } => {
                if delay_ms > 0 && sleep_or_abort(delay_ms, sig).await.is_err() {
                    Event::Aborted
                } else if sig.is_some_and(AbortSignal::aborted) {
                    // Checked right before the request would leave (host.js sends it synchronously after).
                    Event::NotSent
                } else {
                    if endpoint == Endpoint::Finish3dsVer2 {
                        // Before it leaves: a reloaded return page must never send it again (for this
                        // transaction: a later attempt of the order is finished in its turn).
                        storage::mark_finished(
                            flow.order_id(),
                            params.get("threeDSServerTransId").unwrap_or(""),
                        );
                    }
                    let body = params.encode();
                    drop(params);
                    let url = settings.endpoint_url(endpoint.path());
                    let form = "application/x-www-form-urlencoded";
                    let answer = http::post(&url, form, &body, settings.request_ms, sig).await;
                    wipe(body);
                    match answer {
                        Ok(v) => match GatewayAnswer::read(&Js(v)) {
                            Ok(a) => Event::Answer(Box::new(a)),
                            Err(_) => Event::TransportFailed(TransportFailure::BadResponse),
                        },
                        Err(e) => e.event(),
                    }
                }
            }
            #[cfg(feature = "wallets")]
            Action::WalletCall { .. } if sig.is_some_and(AbortSignal::aborted) => Event::NotSent,
            #[cfg(feature = "wallets")]
            Action::WalletCall { path, body } => {
                let url = settings.endpoint_url(path);
                let json = "application/json";
                match http::post(&url, json, &body, settings.request_ms, sig).await {
                    Ok(v) => match checkout_core::wallet::WalletAnswer::read(&Js(v)) {
                        Ok(a) => Event::WalletAnswer(Box::new(a)),
                        Err(_) => Event::TransportFailed(TransportFailure::BadResponse),
                    },
                    Err(e) => e.event(),
                }
            }
            Action::RunMethods(plan) => match methods::run(&plan, sig).await {
                Ok(r) => {
                    method_frames.push(r.frames);
                    Event::MethodsFinished(r.comp_ind)
                }
                Err(methods::MethodError::Aborted) => Event::Aborted,
                Err(methods::MethodError::Dom) => {
                    return Err(CheckoutError::new(ErrorCode::Dom, settings.language)
                        .with_detail("3DS method frames"))
                }
            },
            Action::Challenge(mut form) => {
                let returns: Vec<&str> = settings
                    .return_url
                    .iter()
                    .chain(settings.fail_url.iter())
                    .chain(extra_returns.iter())
                    .map(String::as_str)
                    .collect();
                // Found now, not when the Checkout was made: a framework may have rendered it anew.
                let container = match &settings.mode {
                    ChallengeMode::Iframe(c) => match c.resolve() {
                        Some(el) => Some(el),
                        None => {
                            return Err(CheckoutError::new(ErrorCode::Dom, settings.language)
                                .with_detail("challenge container not in the document"))
                        }
                    },
                    ChallengeMode::Redirect => None,
                };
                // A return page that refuses to be framed would strand the shopper inside the frame: the
                // full-page redirect instead.
                let mut frameable = true;
                if container.is_some() {
                    for page in &returns {
                        if !http::frameable(page, FRAME_PROBE_MS).await {
                            frameable = false;
                        }
                    }
                }
                let container = container.filter(|_| frameable);
                let framed = match container {
                    Some(el) => {
                        form.refit(challenge::fitting_size(&el));
                        let pages = ReturnPages::new(returns.iter().copied());
                        match iframe_challenge(settings, &form, &el, &pages, sig).await {
                            // The page's policy refused the bank's page before it showed: full page instead.
                            Err(ChallengeError::Blocked { shown: false }) => None,
                            other => Some(challenge_event(settings, other)?),
                        }
                    }
                    None => None,
                };
                match framed {
                    Some(event) => event,
                    None => {
                        form.refit(ChallengeWindowSize::FullScreen);
                        full_page_challenge(settings, &form, sig).await?
                    }
                }
            }
        };
        if matches!(event, Event::Aborted | Event::NotSent) {
            signal = None;
        }
        action = flow.handle(event);
    }
}

async fn iframe_challenge(
    settings: &Settings,
    form: &ChallengeForm,
    container: &HtmlElement,
    returns: &ReturnPages,
    sig: Option<&AbortSignal>,
) -> Result<ChallengeEnd, ChallengeError> {
    let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    challenge::in_iframe(
        &form.url,
        &fields,
        challenge::FrameOptions {
            window: form.window,
            container,
            returns,
            timeout_ms: settings.challenge_ms,
            sandbox: settings.frame_sandbox.as_deref(),
        },
        sig,
    )
    .await
}

/// The flow event for how the iframe challenge ended, or the error that ends the payment.
fn challenge_event(
    settings: &Settings,
    end: Result<ChallengeEnd, ChallengeError>,
) -> Result<Event, CheckoutError> {
    let lang = settings.language;
    match end {
        Ok(ChallengeEnd::Returned(_)) => Ok(Event::ChallengeReturned),
        Ok(ChallengeEnd::TimedOut) => Ok(Event::ChallengeTimedOut),
        Err(ChallengeError::Aborted) => Ok(Event::Aborted),
        Err(ChallengeError::Dom) => {
            Err(CheckoutError::new(ErrorCode::Dom, lang).with_detail("challenge frame"))
        }
        // After the form was posted (refused before the bank's page showed, it goes full-page): the status first.
        Err(ChallengeError::Detached) => Ok(Event::ChallengeCutShort(ErrorCode::Dom)),
        Err(ChallengeError::Blocked { .. }) => {
            Ok(Event::ChallengeCutShort(ErrorCode::RedirectBlocked))
        }
    }
}

/// The whole page goes to the bank; resume() on the return page settles the payment. Should the navigation
/// be refused (a CSP form-action, a sandbox without allow-forms or allow-same-origin), this ends within seconds
/// with redirect_blocked (retryable); should it give no sign of starting (a cancelled navigation, or iOS Safari
/// waiting for a slow ACS), with redirect_unconfirmed (not retryable: the page may still go); once it started, on
/// abort (not retryable either) or when the challenge time is up.
async fn full_page_challenge(
    settings: &Settings,
    form: &ChallengeForm,
    sig: Option<&AbortSignal>,
) -> Result<Event, CheckoutError> {
    let lang = settings.language;
    // Aborted meanwhile (the return page's framing probe takes up to 3 s): the page must not leave.
    if sig.is_some_and(AbortSignal::aborted) {
        return Ok(Event::Aborted);
    }
    if dom::opaque_origin() {
        // A sandbox without allow-same-origin: no storage for the return page, and nothing posted yet.
        return Err(CheckoutError::new(ErrorCode::RedirectBlocked, lang)
            .with_detail("the page's sandbox lacks allow-same-origin"));
    }
    if !storage::save(&form.resume) {
        return Err(CheckoutError::new(ErrorCode::Dom, lang).with_detail("sessionStorage"));
    }
    // The page's Web Lock on the order ends with the page: the origin's tabs learn from this mark that the order
    // is at the bank's page (begin() refuses it; resume() on the return page settles it). It lasts the challenge
    // time (10 minutes at least: the shopper may stay at the bank's page longer than the merchant's timeout) and
    // the status window of the return page's resume().
    let order_id = &form.resume.order_id;
    let at_bank_ms = settings
        .challenge_ms
        .max(DEFAULT_CHALLENGE_MS)
        .saturating_add(settings.status_window_ms);
    storage::mark_at_bank(order_id, at_bank_ms);
    let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if let Err(e) = challenge::full_page(&form.url, &fields) {
        // Nothing was sent: refused by the page's form-action at once (Firefox) or by its sandbox (a page that may
        // post no forms), or the DOM refused.
        storage::settle(order_id);
        return Err(match e {
            ChallengeError::Blocked { .. } => CheckoutError::new(ErrorCode::RedirectBlocked, lang),
            _ => CheckoutError::new(ErrorCode::Dom, lang).with_detail("challenge form"),
        });
    }
    let left = challenge::leaving(&form.url, REDIRECT_LEAVE_MS, settings.challenge_ms, sig).await;
    match left {
        // The form was posted and the page is still here: it may yet go to the bank's page, where the payment can
        // complete. The resume state and the mark stay (the return page needs the one; the other keeps every tab
        // off the order), and nothing here says to pay the order again.
        challenge::Leaving::Unconfirmed => {
            return Err(CheckoutError::new(ErrorCode::RedirectUnconfirmed, lang))
        }
        challenge::Leaving::Aborted => {
            return Err(CheckoutError::new(ErrorCode::Aborted, lang)
                .with_retryable(false)
                .with_detail("the challenge form was posted; the page may still go to the bank"))
        }
        _ => {}
    }
    storage::settle(order_id);
    match left {
        // The page stays and the bank's page never showed (the bank may have had the post, if what was refused was
        // its redirect): the shopper confirmed nothing, so the same order may be paid again.
        challenge::Leaving::Blocked => Err(CheckoutError::new(ErrorCode::RedirectBlocked, lang)),
        // Back in this page (the back/forward cache) after the return page in this tab sent the finish: it may
        // still charge the order.
        _ if form
            .resume
            .three_ds_server_trans_id
            .as_deref()
            .is_some_and(|t| storage::finished(order_id, t)) =>
        {
            Ok(Event::FinishSent)
        }
        _ => Ok(Event::ChallengeTimedOut),
    }
}

fn wipe(mut body: String) {
    checkout_core::card::wipe_string(&mut body);
}

async fn sleep_or_abort(ms: u32, signal: Option<&AbortSignal>) -> Result<(), ()> {
    use crate::web::signals::{Heard, Signals};
    let s = Signals::new(signal);
    s.time_up_after(ms);
    match s.next().await {
        Heard::TimeUp => Ok(()),
        _ => Err(()),
    }
}

/// Releases the Checkout's "payment running" flag however the payment ends.
pub(crate) struct BusyGuard(Rc<Cell<bool>>);
impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// A checkout for one merchant page.
#[wasm_bindgen]
pub struct Checkout {
    /// Shared with the payments it runs (an Rc, not a copy per payment).
    settings: Rc<Settings>,
    busy: Rc<Cell<bool>>,
}

#[wasm_bindgen]
impl Checkout {
    /// Validates the options; throws a CheckoutError (code invalid_option, unsafe_url or dom) when they are wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: CheckoutOptionsJs) -> Result<Checkout, JsValue> {
        let settings = Settings::from_js(&options).map_err(|e| error_to_js(&e))?;
        Ok(Checkout {
            settings: Rc::new(settings),
            busy: Rc::new(Cell::new(false)),
        })
    }

    /// Pays the order with the card, running every 3-D Secure step, and resolves with the gateway's final
    /// state. Rejects with a CheckoutError. A second call while one runs is refused (code "busy").
    #[wasm_bindgen(js_name = payCard)]
    pub fn pay_card(&self, request: CardPaymentRequestJs) -> PaymentOutcomePromise {
        match self.start_card(&request) {
            Err(e) => reject(&e),
            Ok((flow, first, signal, lock)) => self.run(flow, first, signal, lock, Vec::new()),
        }
    }

    /// Pays the order with a saved card (a binding the merchant's server got from getBindings.do), with the
    /// CVC the shopper typed and the shopper's IP as the server saw it, through paymentOrderBinding.do; 3DS
    /// when the gateway asks. Resolves and rejects like payCard.
    #[wasm_bindgen(js_name = payBinding)]
    pub fn pay_binding(&self, request: BindingPaymentRequestJs) -> PaymentOutcomePromise {
        match self.start_binding(&request) {
            Err(e) => reject(&e),
            Ok((flow, first, signal, lock)) => self.run(flow, first, signal, lock, Vec::new()),
        }
    }

    /// On the return page after a full-page challenge: finishes the payment and resolves with the same
    /// outcome as payCard. The payment is found in this tab's sessionStorage or, failing that, from the
    /// `orderId` (and `threeDSServerTransId`) the gateway appended to the return URL, or from `options`;
    /// then the gateway's status decides. Rejects with "nothing_to_resume" when no payment is named.
    pub fn resume(&self, options: Option<ResumeOptionsJs>) -> PaymentOutcomePromise {
        let lang = self.settings.language;
        if self.busy.get() {
            return reject(&CheckoutError::new(ErrorCode::Busy, lang));
        }
        let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
        let (mut state, saved) = match resume_state(&options, lang) {
            Ok(Some(s)) => s,
            Ok(None) => return reject(&CheckoutError::new(ErrorCode::NothingToResume, lang)),
            Err(e) => return reject(&e),
        };
        let order = state.order_id.clone();
        // Only a check of the order (one status read; nothing taken, nothing cleared) when this page posted its
        // challenge form and stayed (it may still go to the bank's page), or when the order is at the bank's page
        // and this page is not the bank's return: its address does not name the order, and this tab's saved state
        // does not come with a page reached by a link or redirect (the Back button or a reload brings a shop page
        // back with the state of a challenge the shopper left). Such a check must not finish the abandoned
        // challenge, nor free the order for a payment from another tab.
        // An address naming the order is the bank's return only with this tab's saved state, or with the 3DS2
        // transaction (the gateway appends it; the state has it then): any page of the shop may carry ?orderId= (an
        // order page checking it).
        let reached = urls::navigation_type();
        let named = urls::page_param("orderId").is_some_and(|o| o.trim() == order);
        let returning = named && (saved || state.three_ds_server_trans_id.is_some())
            || saved && reached.as_deref().is_none_or(|t| t == "navigate");
        let check_only = storage::posted_here(&order) || !returning && storage::at_bank(&order);
        let Some(lock) = order_lock::claim(&order) else {
            // The saved state stays for a resume() once the order is free.
            return reject(&CheckoutError::new(ErrorCode::Busy, lang).with_order(&order));
        };
        if check_only {
            state.version = ThreeDsVersion::V1;
            state.three_ds_server_trans_id = None;
        }
        // Back from the bank's page: the order is this page's to settle, once no other tab holds it.
        let mut lock = lock;
        lock.settles = !check_only;
        let config = self.settings.flow_config(ChallengeWindowSize::FullScreen);
        // A finish this browser already sent for this transaction is never sent again: the status decides.
        let sent = state
            .three_ds_server_trans_id
            .as_deref()
            .is_some_and(|t| storage::finished(&state.order_id, t));
        let (flow, first) = if sent {
            CardFlow::resume_after_finish(config, state)
        } else {
            CardFlow::resume(config, state)
        };
        self.run(flow, first, None, lock, Vec::new())
    }

    /// Whether a payment is running.
    #[wasm_bindgen(getter)]
    pub fn busy(&self) -> bool {
        self.busy.get()
    }
}

/// A payment's result as the promise settles with it: the outcome object, or the CheckoutError.
fn settle(result: Result<Outcome, CheckoutError>) -> Result<JsValue, JsValue> {
    result
        .map(|o| to_js(&o.to_value()))
        .map_err(|e| error_to_js(&e))
}

/// A rejected promise with the error.
pub(crate) fn reject(e: &CheckoutError) -> PaymentOutcomePromise {
    js_sys::Promise::reject(&error_to_js(e)).unchecked_into()
}

/// The payment to resume: this tab's saved state (and true), else what `options` or the return URL name.
fn resume_state(
    options: &JsValue,
    lang: Language,
) -> Result<Option<(ResumeState, bool)>, CheckoutError> {
    let named = |key: &'static str| -> Result<Option<String>, CheckoutError> {
        let given = js::opt_string(options, key, lang)?;
        let from_url = || urls::page_param(key);
        match given.or_else(from_url) {
            Some(v) if valid_id(v.trim()) => Ok(Some(v.trim().to_owned())),
            Some(_) => Err(invalid(ErrorCode::InvalidOrderId, lang, key)),
            None => Ok(None),
        }
    };
    let order_id = named("orderId")?;
    let trans = named("threeDSServerTransId")?;
    if let Some(saved) = storage::peek() {
        // The saved payment unless the page names another order.
        if order_id.as_ref().is_none_or(|o| *o == saved.order_id) {
            return Ok(Some((saved, true)));
        }
    }
    Ok(order_id.map(|order_id| {
        let state = ResumeState {
            // With a transaction id the 3DS2 payment is finished (finish3dsVer2Payment.do); without one
            // the status alone decides.
            version: if trans.is_some() {
                ThreeDsVersion::V2
            } else {
                ThreeDsVersion::V1
            },
            order_id,
            three_ds_server_trans_id: trans,
            wallet: false,
        };
        (state, false)
    }))
}

impl Checkout {
    /// Runs a flow as this Checkout's payment: busy until it ends, the order locked across Checkouts and
    /// tabs (a second payment of it anywhere is refused with "busy").
    ///
    /// `returns`: pages besides the Checkout's returnUrl/failUrl that mean the shopper is back from a challenge.
    pub(crate) fn run(
        &self,
        flow: CardFlow,
        first: Action,
        signal: Option<AbortSignal>,
        mut lock: OrderLock,
        returns: Vec<String>,
    ) -> PaymentOutcomePromise {
        let settings = self.settings.clone();
        let guard = self.hold();
        rt::spawn(Box::pin(async move {
            let _guard = guard;
            if order_lock::across_tabs(&mut lock).await.is_err() {
                let e = CheckoutError::new(ErrorCode::Busy, settings.language)
                    .with_detail("order being paid in another tab")
                    .with_order(flow.order_id());
                return Err(error_to_js(&e));
            }
            if signal.as_ref().is_some_and(AbortSignal::aborted) {
                // Aborted while the lock was asked for: nothing has been sent, so no status to wait for.
                let e = CheckoutError::new(ErrorCode::Aborted, settings.language);
                return Err(error_to_js(&e.with_order(flow.order_id())));
            }
            let result = drive(&settings, flow, first, signal, &returns).await;
            drop(lock);
            settle(result)
        }))
        .unchecked_into()
    }

    #[cfg(feature = "wallets")]
    pub(crate) fn settings(&self) -> &Rc<Settings> {
        &self.settings
    }

    #[cfg(feature = "wallets")]
    pub(crate) fn is_busy(&self) -> bool {
        self.busy.get()
    }

    /// Marks a payment as running until the returned guard drops.
    pub(crate) fn hold(&self) -> BusyGuard {
        self.busy.set(true);
        BusyGuard(self.busy.clone())
    }

    /// What every payment request starts with: this Checkout free, the request an object, its signal an
    /// AbortSignal not yet aborted, its orderId, and the page-level lock on that order (one payment per
    /// order on this page, whichever Checkout runs it).
    fn begin(
        &self,
        request: &JsValue,
    ) -> Result<(Language, Option<AbortSignal>, String, OrderLock), CheckoutError> {
        let lang = self.settings.language;
        if self.busy.get() {
            return Err(CheckoutError::new(ErrorCode::Busy, lang));
        }
        if !request.is_object() {
            return Err(invalid(ErrorCode::InvalidOption, lang, "request"));
        }
        let signal = js::signal(request, lang)?;
        if signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(CheckoutError::new(ErrorCode::Aborted, lang));
        }
        let order_id = js::string(request, "orderId", ErrorCode::InvalidOrderId, lang)?;
        let order = order_id.trim();
        let busy = || CheckoutError::new(ErrorCode::Busy, lang).with_order(order);
        let lock = order_lock::claim(order).ok_or_else(busy)?;
        if storage::at_bank(order) {
            // Back on a page of the shop in the tab that went to the bank's page (the Back button, a reload): its
            // sessionStorage names the payment and this page did not post it. The shopper left the bank's page
            // here, so the order is this tab's to pay again (the gateway refuses it if the first attempt paid).
            let back_here = !storage::posted_here(order)
                && storage::peek().is_some_and(|s| s.order_id == order);
            if !back_here {
                return Err(busy().with_detail("order at the bank's page"));
            }
            // Settled once the order's lock is this tab's (run): a payment refused as busy keeps the mark.
            let mut lock = lock;
            lock.settles = true;
            return Ok((lang, signal, order_id, lock));
        }
        Ok((lang, signal, order_id, lock))
    }

    fn start_card(
        &self,
        request: &JsValue,
    ) -> Result<(CardFlow, Action, Option<AbortSignal>, OrderLock), CheckoutError> {
        let (lang, signal, order_id, lock) = self.begin(request)?;
        // Wiped when dropped, on every path (an invalid field after them returns early).
        let pan = Zeroizing::new(js::string(
            request,
            "pan",
            ErrorCode::InvalidCardNumber,
            lang,
        )?);
        let expiry = js::string(request, "expiry", ErrorCode::InvalidExpiry, lang)?;
        let cvc = Zeroizing::new(js::string(request, "cvc", ErrorCode::InvalidCvc, lang)?);
        let cardholder = js::string(request, "cardholder", ErrorCode::InvalidCardholder, lang)?;
        // A test environment (`sandbox`) takes its documented cards' past expiry (the seeds': 12/24).
        let past_ok = self.settings.policy.allow_insecure_loopback;
        let card = CardData::new(&pan, &expiry, &cvc, &cardholder, js::today(), past_ok)
            .map_err(|code| CheckoutError::new(code, lang))?;
        drop((pan, cvc));
        let ip = js::opt_string(request, "ip", lang)?;
        let window = self.settings.window();
        let info = browser::snapshot(window, self.settings.accept_header.clone(), ip.clone())
            .gateway_info();
        let order = CardOrder {
            order_id,
            card,
            email: js::opt_string(request, "email", lang)?,
            ip,
            client_browser_info: Some(info.to_json()),
            extras: PaymentExtras {
                // "Don't save my card": the gateway makes no binding after the payment.
                binding_not_needed: js::opt_bool(request, "saveCard", lang)? == Some(false),
                json_params: js::opt_json_object(request, "jsonParams", lang)?,
                billing_payer_data: js::opt_json_object(request, "billingPayerData", lang)?,
            },
        };
        let (flow, first) = CardFlow::start(self.settings.flow_config(window), order)?;
        Ok((flow, first, signal, lock))
    }

    fn start_binding(
        &self,
        request: &JsValue,
    ) -> Result<(CardFlow, Action, Option<AbortSignal>, OrderLock), CheckoutError> {
        let (lang, signal, order_id, lock) = self.begin(request)?;
        let order = BindingOrder {
            order_id,
            binding_id: js::string(request, "bindingId", ErrorCode::InvalidOption, lang)?,
            cvc: js::opt_string(request, "cvc", lang)?.map(checkout_core::Zeroizing::new),
            ip: js::string(request, "ip", ErrorCode::InvalidOption, lang)?,
            email: js::opt_string(request, "email", lang)?,
            client_id: js::opt_string(request, "clientId", lang)?,
        };
        let window = self.settings.window();
        let info = browser::snapshot(
            window,
            self.settings.accept_header.clone(),
            Some(order.ip.clone()),
        )
        .gateway_info();
        let (flow, first) = CardFlow::start_binding(
            self.settings.flow_config(window),
            order,
            Some(info.to_json()),
        )?;
        Ok((flow, first, signal, lock))
    }
}
