//! `new Checkout(options)`: payCard and resume for the merchant's page. Runs the core's CardFlow, executing
//! each action with the web layer, until the gateway's status gives the outcome.

use super::js::{self, error_to_js, invalid, to_js};
use super::types::*;
use crate::web::challenge::{self, ChallengeEnd, ChallengeError, ReturnPages};
use crate::web::http::{self, HttpError};
use crate::web::{browser, methods, storage};
use checkout_core::card::CardData;
use checkout_core::flow::{
    Action, CardFlow, CardOrder, Event, FlowConfig, Step, TransportFailure, METHOD_CEILING_MS,
};
use checkout_core::outcome::Outcome;
use checkout_core::url_policy::{SafeUrl, UrlPolicy};
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::wire::GatewayAnswer;
use checkout_core::{CheckoutError, ErrorCode, Language};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, HtmlElement};

const DEFAULT_REQUEST_MS: u32 = 30_000;
const DEFAULT_CHALLENGE_MS: u32 = 600_000;

#[derive(Clone)]
pub(crate) enum ChallengeMode {
    Iframe(HtmlElement),
    Redirect,
}

/// Everything a Checkout was configured with, validated once.
#[derive(Clone)]
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
    pub on_step: Option<js_sys::Function>,
    pub accept_header: Option<String>,
}

/// Resolves a possibly relative URL against the page (a merchant proxy such as "/payment").
pub(crate) fn absolute(url: &str) -> String {
    let base = web_sys::window().and_then(|w| w.location().href().ok());
    match base.and_then(|b| web_sys::Url::new_with_base(url, &b).ok()) {
        Some(u) => u.href(),
        None => url.to_owned(),
    }
}

fn current_page_without_query() -> Option<String> {
    let loc = web_sys::window()?.location();
    let mut s = loc.origin().ok()?;
    s.push_str(&loc.pathname().ok()?);
    Some(s)
}

impl Settings {
    pub(crate) fn from_js(options: &JsValue) -> Result<Settings, CheckoutError> {
        let language = js::get(options, "language")
            .as_string()
            .and_then(|l| Language::parse(&l))
            .unwrap_or_default();
        if !options.is_object() {
            return Err(invalid(ErrorCode::InvalidOption, language, "options"));
        }
        let sandbox = js::opt_bool(options, "sandbox").unwrap_or(false);
        let policy = UrlPolicy {
            allow_insecure_loopback: sandbox,
        };
        let gateway_raw = js::string(options, "gatewayUrl", ErrorCode::InvalidOption, language)?;
        let gateway = policy
            .check(absolute(&gateway_raw).trim_end_matches('/'))
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
        } else {
            Some(
                js::element(&container_value)
                    .ok_or_else(|| invalid(ErrorCode::Dom, language, "container"))?,
            )
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
            on_step,
            accept_header: js::opt_string(options, "acceptHeader", language)?,
        })
    }

    fn window(&self) -> ChallengeWindowSize {
        match &self.mode {
            ChallengeMode::Iframe(c) => challenge::fitting_size(c),
            ChallengeMode::Redirect => ChallengeWindowSize::FullScreen,
        }
    }

    /// The flow settings for a payment starting now (the window size fits the container as it is now).
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
pub(crate) async fn drive(
    settings: &Settings,
    mut flow: CardFlow,
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
                } else {
                    let body = params.encode();
                    drop(params);
                    let url = settings.endpoint_url(endpoint.path());
                    let answer = http::post(
                        &url,
                        "application/x-www-form-urlencoded",
                        &body,
                        settings.request_ms,
                        sig,
                    )
                    .await;
                    wipe(body);
                    match answer {
                        Ok(v) => match serde_wasm_bindgen::from_value::<GatewayAnswer>(v) {
                            Ok(a) => Event::Answer(Box::new(a)),
                            Err(_) => Event::TransportFailed(TransportFailure::BadResponse),
                        },
                        Err(HttpError::Transport(f)) => Event::TransportFailed(f),
                        Err(HttpError::Aborted) => Event::Aborted,
                    }
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
            Action::Challenge(form) => {
                let fields: Vec<(&str, &str)> =
                    form.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                match &settings.mode {
                    ChallengeMode::Iframe(container) => {
                        let pages = settings
                            .return_url
                            .iter()
                            .chain(settings.fail_url.iter())
                            .chain(extra_returns.iter());
                        let returns = ReturnPages::new(pages.map(String::as_str));
                        let shown = challenge::in_iframe(
                            &form.url,
                            &fields,
                            form.window,
                            container,
                            &returns,
                            settings.challenge_ms,
                            sig,
                        );
                        match shown.await {
                            Ok(ChallengeEnd::Returned(_)) => Event::ChallengeReturned,
                            Ok(ChallengeEnd::TimedOut) => Event::ChallengeTimedOut,
                            Err(ChallengeError::Aborted) => Event::Aborted,
                            Err(ChallengeError::Dom) => {
                                return Err(CheckoutError::new(ErrorCode::Dom, settings.language)
                                    .with_detail("challenge frame"))
                            }
                        }
                    }
                    ChallengeMode::Redirect => {
                        if !storage::save(&form.resume) {
                            return Err(CheckoutError::new(ErrorCode::Dom, settings.language)
                                .with_detail("sessionStorage"));
                        }
                        challenge::full_page(&form.url, &fields).map_err(|_| {
                            CheckoutError::new(ErrorCode::Dom, settings.language)
                                .with_detail("challenge form")
                        })?;
                        // The page is leaving for the bank and resume() on the return page settles the payment.
                        // Should the navigation never happen (a CSP form-action, a cancelled unload), the
                        // promise still settles: on abort, or when the challenge time is up.
                        if sleep_or_abort(settings.challenge_ms, sig).await.is_ok() {
                            let _ = storage::take();
                            Event::ChallengeTimedOut
                        } else {
                            let _ = storage::take();
                            Event::Aborted
                        }
                    }
                }
            }
        };
        if matches!(event, Event::Aborted) {
            signal = None;
        }
        action = flow.handle(event);
    }
}

fn wipe(mut body: String) {
    checkout_core::card::wipe_string(&mut body);
}

async fn sleep_or_abort(ms: u32, signal: Option<&AbortSignal>) -> Result<(), ()> {
    let mut s: crate::web::signals::Signals<bool> = crate::web::signals::Signals::new();
    s.after(ms, true);
    s.on_abort(signal, || false);
    match s.next().await {
        Some(true) => Ok(()),
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
    settings: Settings,
    busy: Rc<Cell<bool>>,
}

#[wasm_bindgen]
impl Checkout {
    /// Validates the options; throws a CheckoutError (code invalid_option, unsafe_url or dom) when they are wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(options: CheckoutOptionsJs) -> Result<Checkout, JsValue> {
        let settings = Settings::from_js(&options).map_err(|e| error_to_js(&e))?;
        Ok(Checkout {
            settings,
            busy: Rc::new(Cell::new(false)),
        })
    }

    /// Pays the order with the card, running every 3-D Secure step, and resolves with the gateway's final
    /// state. Rejects with a CheckoutError. A second call while one runs is refused (code "busy").
    #[wasm_bindgen(js_name = payCard)]
    pub fn pay_card(&self, request: CardPaymentRequestJs) -> PaymentOutcomePromise {
        let result = self.start_card(&request);
        let settings = self.settings.clone();
        let busy = self.busy.clone();
        let promise = match result {
            Err(e) => js_sys::Promise::reject(&error_to_js(&e)),
            Ok((flow, first, signal)) => {
                busy.set(true);
                let guard = BusyGuard(busy);
                wasm_bindgen_futures::future_to_promise(async move {
                    let _guard = guard;
                    match drive(&settings, flow, first, signal, &[]).await {
                        Ok(o) => Ok(to_js(&o)),
                        Err(e) => Err(error_to_js(&e)),
                    }
                })
            }
        };
        promise.unchecked_into()
    }

    /// On the return page after a full-page challenge: finishes the payment and resolves with the same
    /// outcome as payCard. Rejects with code "nothing_to_resume" when no payment is waiting.
    pub fn resume(&self) -> PaymentOutcomePromise {
        let lang = self.settings.language;
        if self.busy.get() {
            return js_sys::Promise::reject(&error_to_js(&CheckoutError::new(
                ErrorCode::Busy,
                lang,
            )))
            .unchecked_into();
        }
        let Some(state) = storage::take() else {
            return js_sys::Promise::reject(&error_to_js(&CheckoutError::new(
                ErrorCode::NothingToResume,
                lang,
            )))
            .unchecked_into();
        };
        let settings = self.settings.clone();
        let (flow, first) =
            CardFlow::resume(settings.flow_config(ChallengeWindowSize::FullScreen), state);
        self.busy.set(true);
        let guard = BusyGuard(self.busy.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let _guard = guard;
            drive(&settings, flow, first, None, &[])
                .await
                .map(|o| to_js(&o))
                .map_err(|e| error_to_js(&e))
        })
        .unchecked_into()
    }

    /// Whether a payment is running.
    #[wasm_bindgen(getter)]
    pub fn busy(&self) -> bool {
        self.busy.get()
    }
}

impl Checkout {
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    pub(crate) fn is_busy(&self) -> bool {
        self.busy.get()
    }

    /// Marks a payment as running until the returned guard drops.
    pub(crate) fn hold(&self) -> BusyGuard {
        self.busy.set(true);
        BusyGuard(self.busy.clone())
    }

    fn start_card(
        &self,
        request: &JsValue,
    ) -> Result<(CardFlow, Action, Option<AbortSignal>), CheckoutError> {
        let lang = self.settings.language;
        if self.busy.get() {
            return Err(CheckoutError::new(ErrorCode::Busy, lang));
        }
        if !request.is_object() {
            return Err(invalid(ErrorCode::InvalidOption, lang, "request"));
        }
        let signal = js::signal(request);
        if signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(CheckoutError::new(ErrorCode::Aborted, lang));
        }
        let order_id = js::string(request, "orderId", ErrorCode::InvalidOrderId, lang)?;
        let mut pan = js::string(request, "pan", ErrorCode::InvalidCardNumber, lang)?;
        let expiry = js::string(request, "expiry", ErrorCode::InvalidExpiry, lang)?;
        let mut cvc = js::string(request, "cvc", ErrorCode::InvalidCvc, lang)?;
        let cardholder = js::string(request, "cardholder", ErrorCode::InvalidCardholder, lang)?;
        let card = CardData::new(&pan, &expiry, &cvc, &cardholder, js::today());
        checkout_core::card::wipe_string(&mut pan);
        checkout_core::card::wipe_string(&mut cvc);
        let card = card.map_err(|code| CheckoutError::new(code, lang))?;
        let ip = js::opt_string(request, "ip", lang)?;
        let window = self.settings.window();
        let info =
            browser::snapshot(window, self.settings.accept_header.clone(), ip.clone()).normalize();
        let order = CardOrder {
            order_id,
            card,
            email: js::opt_string(request, "email", lang)?,
            ip,
            client_browser_info: Some(info.gateway.to_json()),
        };
        let (flow, first) = CardFlow::start(self.settings.flow_config(window), order)?;
        Ok((flow, first, signal))
    }
}
