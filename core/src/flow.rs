//! The card payment with 3DS1/3DS2 as a pure state machine: the web layer feeds events in (gateway answers,
//! transport failures, method and challenge completion, abort) and executes the one action that comes out
//! (a REST call, the method iframes, the challenge form, or the end). No I/O, no clock, no DOM here, so
//! every branch is tested natively (tests/flow.rs).
//!
//! The final answer always comes from getOrderStatusExtended.do. A payment request whose answer got lost
//! is never sent again: the flow asks the gateway for the order's status instead, so nothing is paid twice
//! (flow/status.rs: the status reads and the window of doubt).

use crate::prelude::*;

use crate::card::CardData;
use crate::creq;
use crate::error::{CheckoutError, ErrorCode};
use crate::form::FormParams;
use crate::lang::Language;
use crate::outcome::{AttemptEnd, Outcome};
use crate::url_policy::{SafeUrl, UrlPolicy};
#[cfg(feature = "wallets")]
use crate::wallet::{WalletAnswer, WalletNext};
use crate::window_size::ChallengeWindowSize;
use crate::wire::{AnswerError, GatewayAnswer};

mod status;
use status::StatusCheck;

/// The EMVCo ceiling for the 3DS method.
pub const METHOD_CEILING_MS: u32 = 10_000;

/// Settings of one Checkout that the flow needs.
#[derive(Clone, Debug)]
pub struct FlowConfig {
    /// The merchant's public Open ID token (never userName/password in a browser).
    pub token: String,
    pub language: Language,
    /// Where the ACS sends the shopper back (paymentorder.do's threeDSVer2FinishUrl).
    pub finish_url: Option<String>,
    pub method_notification_url: Option<String>,
    pub url_policy: UrlPolicy,
    pub method_timeout_ms: u32,
    pub challenge_window: ChallengeWindowSize,
    /// Post the packedCReq exactly as the gateway sent it (seed 004/002: "post the received value") and size
    /// the frame by its challengeWindowSize, instead of announcing the size that fits the container.
    pub creq_as_received: bool,
    /// Status reads tried (when no payment request is in doubt) before giving up with StatusUnknown.
    pub status_attempts: u8,
    /// How long the status decides after a payment request whose answer was lost, aborted or refused with
    /// a system error: the gateway may still be processing it, so an unpaid order is re-read until this
    /// much time has passed (counted in the waits between reads) before anything is reported.
    pub status_window_ms: u32,
}

/// The default status window: a slow issuer answers a gateway within ~30 s and the gateway may retry once
/// or fall back to stand-in processing, so a charge can land up to a minute after the browser gave up.
pub const DEFAULT_STATUS_WINDOW_MS: u32 = 60_000;

impl FlowConfig {
    pub fn new(token: impl Into<String>) -> Self {
        FlowConfig {
            token: token.into(),
            language: Language::En,
            finish_url: None,
            method_notification_url: None,
            url_policy: UrlPolicy::default(),
            method_timeout_ms: METHOD_CEILING_MS,
            challenge_window: ChallengeWindowSize::FullScreen,
            creq_as_received: false,
            status_attempts: 3,
            status_window_ms: DEFAULT_STATUS_WINDOW_MS,
        }
    }
}

/// The order and the shopper's data for one payCard.
#[derive(Debug)]
pub struct CardOrder {
    pub order_id: String,
    pub card: CardData,
    pub email: Option<String>,
    pub ip: Option<String>,
    /// The gateway's clientBrowserInfo object as JSON text.
    pub client_browser_info: Option<String>,
    pub extras: PaymentExtras,
}

/// What paymentorder.do takes besides the card (seed 003): passed through when given.
#[derive(Debug, Default, Clone)]
pub struct PaymentExtras {
    /// `bindingNotNeeded=true`: the shopper does not want the card saved (seed 003: "true – төлемді
    /// аяқтағаннан кейін байлам жасау өшірілген").
    pub binding_not_needed: bool,
    /// `jsonParams`: the merchant's extra fields as a JSON object text (`{"param":"value"}`).
    pub json_params: Option<String>,
    /// `billingPayerData`: the payer's registration address for AVS/AVV checks, as a JSON object text.
    pub billing_payer_data: Option<String>,
}

/// A saved card (a binding, seed 003 paymentOrderBinding.do): its id, and the CVC when the shopper typed it.
#[derive(Debug)]
pub struct BindingOrder {
    pub order_id: String,
    pub binding_id: String,
    /// Wiped on drop. Required by the seed unless the merchant may pay without it.
    pub cvc: Option<zeroize::Zeroizing<String>>,
    /// The shopper's IP as the merchant's server saw it: required by paymentOrderBinding.do (seed 003).
    pub ip: String,
    pub email: Option<String>,
    pub client_id: Option<String>,
}

/// What a saved-card flow keeps until its payment request is sent.
#[derive(Debug)]
struct Binding {
    id: String,
    cvc: Option<zeroize::Zeroizing<String>>,
    client_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    PaymentOrder,
    PaymentOrderBinding,
    Continue3ds,
    Finish3dsVer2,
    OrderStatusExtended,
}

impl Endpoint {
    /// Path below the gateway base (`…/payment`).
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::PaymentOrder => "/rest/paymentorder.do",
            Endpoint::PaymentOrderBinding => "/rest/paymentOrderBinding.do",
            Endpoint::Continue3ds => "/rest/3ds/continue.do",
            Endpoint::Finish3dsVer2 => "/rest/finish3dsVer2Payment.do",
            Endpoint::OrderStatusExtended => "/rest/getOrderStatusExtended.do",
        }
    }
}

/// Progress reported to the page through onStep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Paying,
    DeviceCheck,
    Authenticating,
    Challenge,
    Finishing,
    CheckingStatus,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Paying => "paying",
            Step::DeviceCheck => "device_check",
            Step::Authenticating => "authenticating",
            Step::Challenge => "challenge",
            Step::Finishing => "finishing",
            Step::CheckingStatus => "checking_status",
        }
    }
}

/// EMVCo threeDSCompInd: about the ACS's 3DS Method (threeDSMethodURL), not the 3DS Server's gather step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompInd {
    /// The ACS's method completed within the ceiling.
    Y,
    /// It did not complete within the ceiling.
    N,
    /// The ACS gave no method URL.
    U,
}

impl CompInd {
    pub fn code(self) -> &'static str {
        match self {
            CompInd::Y => "Y",
            CompInd::N => "N",
            CompInd::U => "U",
        }
    }
}

/// The ACS's method URL and the data to post to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcsMethod {
    pub url: SafeUrl,
    pub data: String,
}

/// The hidden-iframe 3DS method posts to run at the same time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodPlan {
    /// The 3DS Server's gather URL: an empty POST.
    pub server: Option<SafeUrl>,
    /// The ACS's method URL with threeDSMethodData.
    pub acs: Option<AcsMethod>,
    pub timeout_ms: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreeDsVersion {
    V1,
    V2,
}

/// What the page needs to finish a full-page challenge after the shopper comes back (kept in sessionStorage;
/// no card data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumeState {
    pub version: ThreeDsVersion,
    pub order_id: String,
    pub three_ds_server_trans_id: Option<String>,
    /// A wallet payment's challenge: its 3DS Server completes the payment (no finish3dsVer2Payment.do).
    pub wallet: bool,
}

const RESUME_TAG: &str = "gc1";

impl ResumeState {
    pub fn encode(&self) -> String {
        let v = match self.version {
            ThreeDsVersion::V1 => "1",
            ThreeDsVersion::V2 => "2",
        };
        let mut s = String::from(RESUME_TAG);
        for part in [
            v,
            &self.order_id,
            self.three_ds_server_trans_id.as_deref().unwrap_or(""),
        ] {
            s.push('|');
            s.push_str(part);
        }
        // Only wallet payments set it (a card-only build has none: its bytes stay out).
        #[cfg(feature = "wallets")]
        if self.wallet {
            s.push_str("|w");
        }
        s
    }

    pub fn decode(s: &str) -> Option<ResumeState> {
        let mut parts = crate::text::split_any(s, b"|");
        if parts.next()? != RESUME_TAG {
            return None;
        }
        let version = match parts.next()? {
            "1" => ThreeDsVersion::V1,
            "2" => ThreeDsVersion::V2,
            _ => return None,
        };
        let order_id = parts.next().filter(|o| valid_id(o))?.to_owned();
        let trans = parts.next()?;
        let wallet = match parts.next() {
            None => false,
            // Not in the card-only build: its return page refuses a wallet's state (one build on both pages).
            #[cfg(feature = "wallets")]
            Some("w") => true,
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        let three_ds_server_trans_id = match trans {
            "" => None,
            t if valid_id(t) => Some(t.to_owned()),
            _ => return None,
        };
        if version == ThreeDsVersion::V2 && three_ds_server_trans_id.is_none() {
            return None;
        }
        Some(ResumeState {
            version,
            order_id,
            three_ds_server_trans_id,
            wallet,
        })
    }
}

/// How long a browser's record that finish3dsVer2Payment.do left for an order counts (see
/// `CardFlow::resume_after_finish`): a return page is reloaded within minutes, not hours.
pub const FINISH_RECORD_MS: u64 = 3_600_000;

/// Whether a record of a finish (the epoch ms it left at) still counts at `now_ms`. A record from the future (a
/// clock set back) counts: forgetting it could send the finish again.
pub fn finish_record_counts(record: &str, now_ms: u64) -> bool {
    crate::text::parse_u64(record).is_some_and(|at| now_ms.saturating_sub(at) < FINISH_RECORD_MS)
}

/// Gateway identifiers (order ids, transaction ids): UUID-like, 1–64 of [A-Za-z0-9-_].
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The form the challenge posts to the ACS (in an iframe or as the whole page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeForm {
    pub url: SafeUrl,
    pub fields: Vec<(&'static str, String)>,
    pub version: ThreeDsVersion,
    pub window: ChallengeWindowSize,
    pub resume: ResumeState,
    /// The CReq is posted as received: its size is the ACS's to keep, never rewritten.
    pub as_received: bool,
}

impl ChallengeForm {
    /// Re-fits the challenge to the space there is when it is shown (the container may have appeared or
    /// changed since the payment started): the window size and, for 3DS2, the CReq announcing it.
    pub fn refit(&mut self, window: ChallengeWindowSize) {
        if window == self.window || self.as_received {
            return;
        }
        if self.version == ThreeDsVersion::V2 {
            for (name, value) in self.fields.iter_mut() {
                if *name == "creq" {
                    if let Some(c) = creq::with_window_size(value, window) {
                        *value = c;
                    }
                }
            }
        }
        self.window = window;
    }
}

/// Why a request got no usable answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    Network,
    Timeout,
    HttpStatus(u16),
    /// Not JSON, or not the protocol's shape.
    BadResponse,
}

impl TransportFailure {
    pub fn code(self) -> ErrorCode {
        match self {
            TransportFailure::Network => ErrorCode::Network,
            TransportFailure::Timeout => ErrorCode::Timeout,
            TransportFailure::HttpStatus(_) => ErrorCode::HttpStatus,
            TransportFailure::BadResponse => ErrorCode::BadResponse,
        }
    }
}

#[derive(Debug)]
pub enum Event {
    Answer(Box<GatewayAnswer>),
    /// The answer to a `WalletCall` (a wallet's payment.do).
    #[cfg(feature = "wallets")]
    WalletAnswer(Box<WalletAnswer>),
    TransportFailed(TransportFailure),
    MethodsFinished(CompInd),
    ChallengeReturned,
    ChallengeTimedOut,
    /// The challenge ended without the shopper seen back, after its form was posted: the page's Content Security
    /// Policy refused the frame once the bank's page had shown in it (`RedirectBlocked`), or the container left
    /// the document (`Dom`). The shopper may have finished it.
    ChallengeCutShort(ErrorCode),
    /// Back from a full-page challenge to this very page (the back/forward cache), after the return page in this
    /// tab had sent finish3dsVer2Payment.do for it: in doubt like a lost answer, never sent again.
    FinishSent,
    Aborted,
    /// The merchant's signal had aborted before the request was sent: it never left.
    NotSent,
}

#[derive(Debug)]
pub enum Action {
    /// POST `params` to `{gateway}{endpoint.path()}`, after waiting `delay_ms`.
    Call {
        step: Step,
        endpoint: Endpoint,
        params: FormParams,
        delay_ms: u32,
    },
    /// POST `body` (JSON) to a wallet's payment.do, `{gateway}{path}`; its answer comes back as
    /// `Event::WalletAnswer`.
    #[cfg(feature = "wallets")]
    WalletCall {
        path: &'static str,
        body: String,
    },
    RunMethods(MethodPlan),
    Challenge(ChallengeForm),
    Done(Outcome),
    Fail(CheckoutError),
}

impl Action {
    /// The progress step this action belongs to; None for the end.
    pub fn step(&self) -> Option<Step> {
        match self {
            Action::Call { step, .. } => Some(*step),
            #[cfg(feature = "wallets")]
            Action::WalletCall { .. } => Some(Step::Paying),
            Action::RunMethods(_) => Some(Step::DeviceCheck),
            Action::Challenge(_) => Some(Step::Challenge),
            Action::Done(_) | Action::Fail(_) => None,
        }
    }
}

#[derive(Debug)]
enum AfterMethods {
    Continue,
    RepeatPayment,
}

#[derive(Debug)]
enum Stage {
    /// A wallet's payment.do is on its way: the order is known only by the merchant's orderNumber until
    /// its answer names the gateway's orderId.
    #[cfg(feature = "wallets")]
    WalletPaying {
        order_number: String,
    },
    Paying {
        repeat: bool,
    },
    Methods {
        then: AfterMethods,
    },
    Continuing,
    Challenging {
        version: ThreeDsVersion,
    },
    Finishing,
    Status(StatusCheck),
    Over,
}

/// One card payment.
#[derive(Debug)]
pub struct CardFlow {
    config: FlowConfig,
    order_id: String,
    /// Kept only while a payment request may still need it (the soft-decline repeat); wiped on drop.
    card: Option<CardData>,
    /// A saved card instead of `card`; its CVC is wiped like the card.
    binding: Option<Binding>,
    extras: PaymentExtras,
    email: Option<String>,
    ip: Option<String>,
    client_browser_info: Option<String>,
    trans_id: Option<String>,
    soft_declined: bool,
    stage: Stage,
    /// The order is known only by the merchant's orderNumber (a wallet payment whose answer was lost):
    /// status reads ask by orderNumber and the outcome names the gateway's orderId (mdOrder).
    by_order_number: bool,
    /// A wallet payment: its order has no finish URL, so the 3DS Server completes its 3DS2 payment when the ACS's
    /// CRes arrives (no finish3dsVer2Payment.do of the module's).
    wallet: bool,
}

impl CardFlow {
    /// Validates the order and returns the flow with its first action (paymentorder.do).
    pub fn start(
        config: FlowConfig,
        order: CardOrder,
    ) -> Result<(CardFlow, Action), CheckoutError> {
        if !valid_id(order.order_id.trim()) {
            return Err(CheckoutError::new(
                ErrorCode::InvalidOrderId,
                config.language,
            ));
        }
        if config.token.trim().is_empty() {
            return Err(
                CheckoutError::new(ErrorCode::InvalidOption, config.language).with_detail("token"),
            );
        }
        let mut flow = CardFlow {
            order_id: order.order_id.trim().to_owned(),
            card: Some(order.card),
            binding: None,
            extras: order.extras,
            email: order.email,
            ip: order.ip,
            client_browser_info: order.client_browser_info,
            trans_id: None,
            soft_declined: false,
            stage: Stage::Over,
            by_order_number: false,
            wallet: false,
            config,
        };
        let action = flow.payment_call(None);
        Ok((flow, action))
    }

    /// Validates a saved-card order and returns the flow with its first action (paymentOrderBinding.do).
    pub fn start_binding(
        config: FlowConfig,
        order: BindingOrder,
        client_browser_info: Option<String>,
    ) -> Result<(CardFlow, Action), CheckoutError> {
        let lang = config.language;
        if !valid_id(order.order_id.trim()) {
            return Err(CheckoutError::new(ErrorCode::InvalidOrderId, lang));
        }
        if !valid_id(order.binding_id.trim()) {
            return Err(CheckoutError::new(ErrorCode::InvalidOption, lang).with_detail("bindingId"));
        }
        if order.cvc.as_ref().is_some_and(|c| {
            !(c.len() == 3 || c.len() == 4) || !c.bytes().all(|b| b.is_ascii_digit())
        }) {
            return Err(CheckoutError::new(ErrorCode::InvalidCvc, lang));
        }
        if order.ip.trim().is_empty() {
            return Err(CheckoutError::new(ErrorCode::InvalidOption, lang).with_detail("ip"));
        }
        if config.token.trim().is_empty() {
            return Err(CheckoutError::new(ErrorCode::InvalidOption, lang).with_detail("token"));
        }
        let mut flow = CardFlow {
            order_id: order.order_id.trim().to_owned(),
            card: None,
            binding: Some(Binding {
                id: order.binding_id.trim().to_owned(),
                cvc: order.cvc,
                client_id: order.client_id,
            }),
            extras: PaymentExtras::default(),
            email: order.email,
            ip: Some(order.ip.trim().to_owned()),
            client_browser_info,
            trans_id: None,
            soft_declined: false,
            stage: Stage::Over,
            by_order_number: false,
            wallet: false,
            config,
        };
        let action = flow.payment_call(None);
        Ok((flow, action))
    }

    /// The flow after a full-page challenge: finish3dsVer2Payment.do (3DS2) or the status (3DS1).
    pub fn resume(config: FlowConfig, state: ResumeState) -> (CardFlow, Action) {
        let mut flow = CardFlow::resumed(config, state);
        let action = flow.handle(Event::ChallengeReturned);
        (flow, action)
    }

    /// Resuming an order whose finish3dsVer2Payment.do this browser already sent (a reloaded return page, or
    /// its answer lost): never again. It is in doubt like a lost payment answer: the status over the window
    /// decides. A state that sends no finish (3DS1, no transaction: a status check) resumes as `resume` does.
    pub fn resume_after_finish(config: FlowConfig, state: ResumeState) -> (CardFlow, Action) {
        let finishes = state.version == ThreeDsVersion::V2
            && state.three_ds_server_trans_id.is_some()
            && !state.wallet;
        let mut flow = CardFlow::resumed(config, state);
        let action = if finishes {
            flow.status_in_doubt(None)
        } else {
            flow.handle(Event::ChallengeReturned)
        };
        (flow, action)
    }

    fn resumed(config: FlowConfig, state: ResumeState) -> CardFlow {
        CardFlow {
            order_id: state.order_id,
            card: None,
            binding: None,
            extras: PaymentExtras::default(),
            email: None,
            ip: None,
            client_browser_info: None,
            trans_id: state.three_ds_server_trans_id,
            soft_declined: true,
            stage: Stage::Challenging {
                version: state.version,
            },
            by_order_number: false,
            wallet: state.wallet,
            config,
        }
    }

    /// A wallet payment: `body` (the payment.do JSON the web layer built from the wallet's token) goes to the
    /// wallet's `path`; the merchant's `order_number` is its idempotency key. What the answer says decides the
    /// rest: 3DS as for a card (the answer's `data` carries the same fields), a decline, or, when the answer is
    /// lost or refused, the order's status read by orderNumber first, so nothing is paid twice. The order's
    /// id is empty until the gateway names it.
    #[cfg(feature = "wallets")]
    pub fn start_wallet(
        config: FlowConfig,
        order_number: &str,
        path: &'static str,
        body: String,
    ) -> (CardFlow, Action) {
        let flow = CardFlow {
            order_id: String::new(),
            card: None,
            binding: None,
            extras: PaymentExtras::default(),
            email: None,
            ip: None,
            client_browser_info: None,
            trans_id: None,
            // No card to repeat the payment with: a soft decline ends at the status.
            soft_declined: true,
            stage: Stage::WalletPaying {
                order_number: order_number.to_owned(),
            },
            by_order_number: false,
            wallet: true,
            config,
        };
        (flow, Action::WalletCall { path, body })
    }

    /// The wallet payment's order is known only by its orderNumber (the answer is lost, aborted or a refusal):
    /// status reads ask by it, and the outcome names the gateway's orderId.
    #[cfg(feature = "wallets")]
    fn by_number(&mut self, order_number: String) {
        self.order_id = order_number;
        self.by_order_number = true;
    }

    #[cfg(feature = "wallets")]
    fn on_wallet_answer(&mut self, order_number: String, a: WalletAnswer) -> Action {
        match a.next(self.config.language) {
            WalletNext::Declined(outcome) => Action::Done(*outcome),
            // Access denied and malformed input are final; any other refusal (an orderNumber already used, a
            // system error) reads the status first: the order may be paid.
            WalletNext::Fail(e)
                if matches!(e.code, ErrorCode::WalletError | ErrorCode::GatewayError) =>
            {
                self.by_number(order_number);
                self.status(AttemptEnd::Failed, Some(e), None)
            }
            WalletNext::Fail(e) => Action::Fail(e),
            WalletNext::Flow { order_id, answer } => {
                self.order_id = order_id;
                match answer {
                    Some(a) => self.on_payment_answer(*a, false),
                    None => self.status(AttemptEnd::Completed, None, None),
                }
            }
        }
    }

    /// The gateway's orderId of this payment; empty while the gateway has not named it (a wallet payment known
    /// only by the merchant's orderNumber, which is never reported as an orderId).
    pub fn order_id(&self) -> &str {
        if self.by_order_number {
            ""
        } else {
            &self.order_id
        }
    }

    pub fn is_over(&self) -> bool {
        matches!(self.stage, Stage::Over)
    }

    /// Feeds one event in; returns the next action. After Done or Fail every event returns Fail.
    pub fn handle(&mut self, event: Event) -> Action {
        match event {
            Event::Aborted => return self.on_abort(),
            Event::NotSent => return self.on_not_sent(),
            _ => {}
        }
        let stage = core::mem::replace(&mut self.stage, Stage::Over);
        match (stage, event) {
            #[cfg(feature = "wallets")]
            (Stage::WalletPaying { order_number }, Event::WalletAnswer(a)) => {
                self.on_wallet_answer(order_number, *a)
            }
            // The wallet payment left and its answer was lost: it may have gone through. The status, read by
            // orderNumber over the status window, decides; never a second payment.
            #[cfg(feature = "wallets")]
            (Stage::WalletPaying { order_number }, Event::TransportFailed(f)) => {
                self.by_number(order_number);
                let e = CheckoutError::new(f.code(), self.config.language);
                self.status_in_doubt(Some(e))
            }
            (Stage::Paying { repeat }, Event::Answer(a)) => self.on_payment_answer(*a, repeat),
            (Stage::Methods { then }, Event::MethodsFinished(ind)) => match then {
                AfterMethods::Continue => self.continue_call(ind),
                AfterMethods::RepeatPayment => self.payment_call(Some(ind)),
            },
            (Stage::Continuing, Event::Answer(a)) => self.on_continue_answer(*a),
            (Stage::Challenging { version }, Event::ChallengeReturned) => {
                match (version, self.trans_id.clone()) {
                    // Seed 000, step 12: finish3dsVer2Payment.do only when the payment request carried
                    // threeDSVer2FinishUrl; a wallet's payment.do carries none (its 3DS Server completes the payment
                    // on the CRes).
                    (ThreeDsVersion::V2, Some(trans))
                        if !self.wallet && self.config.finish_url.is_some() =>
                    {
                        let mut p = self.auth_params();
                        p.push("threeDSServerTransId", trans);
                        self.stage = Stage::Finishing;
                        self.call(Step::Finishing, Endpoint::Finish3dsVer2, p)
                    }
                    _ => self.status(AttemptEnd::Completed, None, None),
                }
            }
            (Stage::Challenging { .. }, Event::FinishSent) => self.status_in_doubt(None),
            // The code says which (redirect_blocked: the page's policy; dom: the container left the document).
            (Stage::Challenging { version }, Event::ChallengeCutShort(code)) => {
                let e =
                    CheckoutError::new(code, self.config.language).with_detail("challenge frame");
                self.challenge_cut_short(version, e)
            }
            (Stage::Challenging { version }, Event::ChallengeTimedOut) => {
                let e = CheckoutError::new(ErrorCode::ChallengeTimeout, self.config.language);
                self.challenge_cut_short(version, e)
            }
            (Stage::Finishing, Event::Answer(a)) => match a.error() {
                AnswerError::None => self.status(AttemptEnd::Completed, None, None),
                AnswerError::Code { code, message } => self.on_error_answer(code, message, false),
                AnswerError::ZeroWithError { message } => {
                    self.status(AttemptEnd::Failed, None, Some(message))
                }
            },
            (Stage::Status(check), Event::Answer(a)) => self.on_status_answer(*a, check),
            (Stage::Status(check), Event::TransportFailed(_)) if check.doubt.is_some() => {
                // The status read itself failed while a payment is in doubt: keep reading over the window.
                self.next_doubt_read(check, false)
            }
            (Stage::Status(check), Event::TransportFailed(_)) => {
                if check.tries < self.config.status_attempts {
                    // Back off: 0.5 s, 1 s, 2 s …
                    let delay = 500u32.saturating_mul(1 << check.tries.saturating_sub(1).min(6));
                    self.read_status(
                        StatusCheck {
                            tries: check.tries + 1,
                            ..check
                        },
                        delay,
                    )
                } else {
                    let e = CheckoutError::new(ErrorCode::StatusUnknown, self.config.language);
                    self.fail(e)
                }
            }
            // A payment step's answer was lost: it may or may not have been processed. Ask, never resend.
            (
                Stage::Paying { .. } | Stage::Continuing | Stage::Finishing,
                Event::TransportFailed(f),
            ) => {
                let e = CheckoutError::new(f.code(), self.config.language);
                self.status_in_doubt(Some(e))
            }
            (Stage::Over, _) => Action::Fail(
                CheckoutError::new(ErrorCode::Aborted, self.config.language)
                    .with_detail("flow already ended"),
            ),
            (stage, _) => {
                // An event this stage does not expect: a web-layer bug. End cleanly rather than guess.
                let _ = stage;
                self.fail(
                    CheckoutError::new(ErrorCode::BadResponse, self.config.language)
                        .with_detail("event out of order"),
                )
            }
        }
    }

    /// The merchant's AbortSignal fired. Nothing in flight is trusted: once a payment request has left, the
    /// order's status decides (paid stays paid); an unpaid order reports the abort.
    fn on_abort(&mut self) -> Action {
        let lang = self.config.language;
        let aborted = CheckoutError::new(ErrorCode::Aborted, lang);
        match core::mem::replace(&mut self.stage, Stage::Over) {
            Stage::Over => Action::Fail(aborted.with_detail("flow already ended")),
            #[cfg(feature = "wallets")]
            Stage::WalletPaying { order_number } => {
                self.by_number(order_number);
                self.status_in_doubt(Some(aborted))
            }
            // A payment request may be on its way: the status over the window decides.
            Stage::Paying { .. } | Stage::Continuing | Stage::Finishing => {
                self.status_in_doubt(Some(aborted))
            }
            Stage::Methods { .. } => self.status(AttemptEnd::Failed, Some(aborted), None),
            Stage::Challenging { version } => self.challenge_cut_short(version, aborted),
            // Already reading the outcome: keep reading it; the abort only decides what "unpaid" reports after
            // a failed attempt (a completed one's 0 or 5 stays "pending": the bank may still approve it). The
            // read goes again after its whole wait: the abort may have cut that wait, which the window counts.
            Stage::Status(check) => {
                let if_unpaid = match check.attempt {
                    AttemptEnd::Completed | AttemptEnd::Redirected(_) | AttemptEnd::Exhausted => {
                        check.if_unpaid
                    }
                    AttemptEnd::Failed => check.if_unpaid.or(Some(aborted)),
                };
                let delay = check.delay_ms;
                self.read_status(StatusCheck { if_unpaid, ..check }, delay)
            }
        }
    }

    /// The challenge ended without the shopper coming back (aborted, timed out). Where its end completes the
    /// payment without a request of the module's (3DS1: the ACS posts the PaRes to the gateway's TermUrl; a wallet's
    /// 3DS2: the 3DS Server completes it on the CRes), the shopper may have finished it: the status over the
    /// window decides. Otherwise nothing completes it and one read does.
    fn challenge_cut_short(&mut self, version: ThreeDsVersion, cause: CheckoutError) -> Action {
        if version == ThreeDsVersion::V1 || self.wallet {
            self.status_in_doubt(Some(cause))
        } else {
            self.status(AttemptEnd::Failed, Some(cause), None)
        }
    }

    /// Aborted before a request left: a payment request that was never sent is not in doubt (one read tells
    /// what the earlier steps did); a status read is read again like any aborted one.
    fn on_not_sent(&mut self) -> Action {
        let aborted = CheckoutError::new(ErrorCode::Aborted, self.config.language);
        match core::mem::replace(&mut self.stage, Stage::Over) {
            // The wallet's payment.do was its first request: nothing of it reached the gateway.
            #[cfg(feature = "wallets")]
            Stage::WalletPaying { .. } => self.fail(aborted),
            Stage::Paying { .. } | Stage::Continuing | Stage::Finishing => {
                self.status(AttemptEnd::Failed, Some(aborted), None)
            }
            stage => {
                self.stage = stage;
                self.on_abort()
            }
        }
    }

    /// Ends the flow with an error naming the order: the merchant checks or retries this order, no other.
    fn fail(&mut self, e: CheckoutError) -> Action {
        self.stage = Stage::Over;
        self.forget_card();
        Action::Fail(e.with_order(self.order_id()))
    }

    /// An error answer (errorCode ≠ 0) to a payment request (`cvc`: a saved card's refusal for its missing CVC). The status is read before anything is
    /// reported, so a paid order stays paid and a system error is never shown as a card decline. errorCode 5
    /// is the seed's "payment attempts finished" and also "system or internal error", 7 its "system error" (seed 003,
    /// paymentOrderBinding.do and the status): the order may be paid or still being processed, so it is in doubt,
    /// unless the message says the attempts are finished (then this one was refused untried: one read). A refused
    /// token is final (a status read would be refused too).
    fn on_error_answer(&mut self, code: String, message: Option<String>, cvc: bool) -> Action {
        let kind = match crate::error::refusal(&code, message.as_deref()) {
            Some(false) => return self.status(AttemptEnd::Exhausted, None, None),
            Some(true) => ErrorCode::AccessDenied,
            None if cvc => ErrorCode::InvalidCvc,
            None => ErrorCode::GatewayError,
        };
        let in_doubt = code == "5" || code == "7";
        let mut e =
            CheckoutError::from_gateway(kind, self.config.language, Some(code), message.as_deref());
        if cvc {
            e = e.with_retryable(true);
        }
        if kind == ErrorCode::AccessDenied {
            return self.fail(e);
        }
        if in_doubt {
            self.status_in_doubt(Some(e))
        } else {
            self.status(AttemptEnd::Failed, Some(e), None)
        }
    }

    fn auth_params(&self) -> FormParams {
        let mut p = FormParams::new();
        p.push("token", self.config.token.clone());
        p.push("language", self.config.language.code());
        p
    }

    fn call(&self, step: Step, endpoint: Endpoint, params: FormParams) -> Action {
        Action::Call {
            step,
            endpoint,
            params,
            delay_ms: 0,
        }
    }

    /// Wipes the card (or the saved card's CVC): past this point no request needs it.
    fn forget_card(&mut self) {
        self.card = None;
        self.binding = None;
    }

    fn payment_call(&mut self, repeat_with: Option<CompInd>) -> Action {
        if self.binding.is_some() {
            return self.binding_call(repeat_with);
        }
        let Some(card) = self.card.as_ref() else {
            return self.fail(
                CheckoutError::new(ErrorCode::InvalidOption, self.config.language)
                    .with_detail("card"),
            );
        };
        let mut p = FormParams::new();
        p.push("MDORDER", self.order_id.clone())
            .push("$PAN", card.pan())
            .push("$CVC", card.cvc())
            .push("YYYY", card.year.clone())
            .push("MM", card.month.clone())
            .push("TEXT", card.cardholder.clone())
            .push("token", self.config.token.clone())
            .push("language", self.config.language.code())
            .push_opt("ip", self.ip.as_deref())
            .push_opt("email", self.email.as_deref())
            .push_opt("threeDSVer2FinishUrl", self.config.finish_url.as_deref())
            .push_opt(
                "threeDSMethodNotificationUrl",
                self.config.method_notification_url.as_deref(),
            )
            .push_opt("clientBrowserInfo", self.client_browser_info.as_deref());
        self.send_payment(Endpoint::PaymentOrder, p, repeat_with)
    }

    /// Sends a payment request (paymentorder.do or paymentOrderBinding.do) with the extras; the repeat after
    /// a soft decline carries the new transaction and the method's result, and is the card's last use.
    fn send_payment(
        &mut self,
        endpoint: Endpoint,
        mut p: FormParams,
        repeat_with: Option<CompInd>,
    ) -> Action {
        self.push_extras(&mut p);
        if let Some(ind) = repeat_with {
            p.push_opt("threeDSServerTransId", self.trans_id.as_deref());
            p.push("threeDSMethodCompInd", ind.code());
            self.forget_card();
        }
        self.stage = Stage::Paying {
            repeat: repeat_with.is_some(),
        };
        self.call(Step::Paying, endpoint, p)
    }

    fn push_extras(&self, p: &mut FormParams) {
        if self.extras.binding_not_needed {
            p.push("bindingNotNeeded", "true");
        }
        p.push_opt("jsonParams", self.extras.json_params.as_deref())
            .push_opt(
                "billingPayerData",
                self.extras.billing_payer_data.as_deref(),
            );
    }

    /// paymentOrderBinding.do (seed 003): mdOrder, bindingId, ip, cvc, email, language and the token.
    fn binding_call(&mut self, repeat_with: Option<CompInd>) -> Action {
        let Some(b) = self.binding.as_ref() else {
            return self.fail(
                CheckoutError::new(ErrorCode::InvalidOption, self.config.language)
                    .with_detail("bindingId"),
            );
        };
        let mut p = self.auth_params();
        p.push("mdOrder", self.order_id.clone())
            .push("bindingId", b.id.clone())
            .push_opt("cvc", b.cvc.as_deref().map(String::as_str))
            .push_opt("clientId", b.client_id.as_deref())
            .push_opt("ip", self.ip.as_deref())
            .push_opt("email", self.email.as_deref())
            .push_opt("threeDSVer2FinishUrl", self.config.finish_url.as_deref())
            .push_opt("clientBrowserInfo", self.client_browser_info.as_deref());
        self.send_payment(Endpoint::PaymentOrderBinding, p, repeat_with)
    }

    fn continue_call(&mut self, ind: CompInd) -> Action {
        let mut p = self.auth_params();
        p.push("mdOrder", self.order_id.clone());
        p.push("threeDSMethodCompInd", ind.code());
        self.stage = Stage::Continuing;
        self.call(Step::Authenticating, Endpoint::Continue3ds, p)
    }

    fn unsafe_url(&mut self, detail: &'static str) -> Action {
        self.fail(
            CheckoutError::new(ErrorCode::UnsafeUrl, self.config.language).with_detail(detail),
        )
    }

    fn challenge(&mut self, version: ThreeDsVersion, a: &GatewayAnswer) -> Action {
        let Some(acs) = GatewayAnswer::str_field(&a.acs_url) else {
            return self.status(AttemptEnd::Failed, None, None);
        };
        let url = match self.config.url_policy.check(acs) {
            Ok(u) => u,
            Err(_) => return self.unsafe_url("acsUrl"),
        };
        let mut window = self.config.challenge_window;
        let as_received = self.config.creq_as_received && version == ThreeDsVersion::V2;
        let fields = match version {
            ThreeDsVersion::V2 if as_received => {
                let packed = GatewayAnswer::str_field(&a.packed_creq).unwrap_or_default();
                // The frame takes the size the CReq announces to the ACS (05 when it names none).
                window = creq::window_size_of(packed).unwrap_or(ChallengeWindowSize::FullScreen);
                vec![("creq", packed.to_owned())]
            }
            ThreeDsVersion::V2 => {
                let packed = GatewayAnswer::str_field(&a.packed_creq).unwrap_or_default();
                let creq =
                    creq::with_window_size(packed, window).unwrap_or_else(|| packed.to_owned());
                vec![("creq", creq)]
            }
            ThreeDsVersion::V1 => {
                let term = GatewayAnswer::str_field(&a.term_url).unwrap_or_default();
                let term = match self.config.url_policy.check(term) {
                    Ok(u) => u,
                    Err(_) => return self.unsafe_url("termUrl"),
                };
                vec![
                    ("MD", self.order_id.clone()),
                    (
                        "PaReq",
                        GatewayAnswer::str_field(&a.pa_req)
                            .unwrap_or_default()
                            .to_owned(),
                    ),
                    ("TermUrl", term.as_str().to_owned()),
                ]
            }
        };
        // The card is not needed past this point.
        self.forget_card();
        self.stage = Stage::Challenging { version };
        Action::Challenge(ChallengeForm {
            url,
            fields,
            version,
            window,
            as_received,
            resume: ResumeState {
                version,
                order_id: self.order_id.clone(),
                three_ds_server_trans_id: self.trans_id.clone(),
                wallet: self.wallet,
            },
        })
    }

    /// The method plan from an answer carrying 3DS2 method fields; Err(field) if a URL is unsafe.
    fn method_plan(&self, a: &GatewayAnswer) -> Result<MethodPlan, &'static str> {
        let server = match GatewayAnswer::str_field(&a.three_ds_method_url_server) {
            Some(u) => Some(
                self.config
                    .url_policy
                    .check(u)
                    .map_err(|_| "threeDSMethodURLServer")?,
            ),
            None => None,
        };
        let acs = match (
            GatewayAnswer::str_field(&a.three_ds_method_url),
            GatewayAnswer::str_field(&a.three_ds_method_data_packed),
        ) {
            (Some(u), Some(data)) => {
                let url = self
                    .config
                    .url_policy
                    .check(u)
                    .map_err(|_| "threeDSMethodURL")?;
                Some(AcsMethod {
                    url,
                    data: data.to_owned(),
                })
            }
            _ => None,
        };
        Ok(MethodPlan {
            server,
            acs,
            timeout_ms: self.config.method_timeout_ms.min(METHOD_CEILING_MS),
        })
    }

    fn run_methods_then(&mut self, a: &GatewayAnswer, then: AfterMethods) -> Action {
        let plan = match self.method_plan(a) {
            Ok(p) => p,
            Err(field) => return self.unsafe_url(field),
        };
        if plan.server.is_none() && plan.acs.is_none() {
            return match then {
                AfterMethods::Continue => self.continue_call(CompInd::U),
                AfterMethods::RepeatPayment => self.payment_call(Some(CompInd::U)),
            };
        }
        self.stage = Stage::Methods { then };
        Action::RunMethods(plan)
    }

    fn on_payment_answer(&mut self, a: GatewayAnswer, repeat: bool) -> Action {
        match a.error() {
            AnswerError::Code { code, message } => {
                // paymentOrderBinding.do's only errorCode 1, "[cvc] көрсетілмеді" (not given, seed 003): the merchant's
                // page asks for the CVC, and the same order paid with it may succeed.
                let cvc = code == "1" && !repeat && self.binding.is_some();
                return self.on_error_answer(code, message, cvc);
            }
            AnswerError::ZeroWithError { message } => {
                return self.status(AttemptEnd::Failed, None, Some(message))
            }
            AnswerError::None => {}
        }
        let has_acs = GatewayAnswer::str_field(&a.acs_url).is_some();
        if has_acs && GatewayAnswer::str_field(&a.pa_req).is_some() {
            return self.challenge(ThreeDsVersion::V1, &a);
        }
        let is_3ds2 = a.is_3ds_ver2 == Some(true)
            || GatewayAnswer::str_field(&a.three_ds_server_trans_id).is_some();
        if !is_3ds2 {
            // No 3DS (or a redirect to the failUrl): the status says which.
            // A card or saved card's attempt (a wallet's order is new each time): with the card's last four digits,
            // to tell its own decline from the gateway's refusal to try it (outcome.rs).
            let sent = self
                .card
                .as_ref()
                .and_then(|c| c.pan().as_bytes().last_chunk::<4>().copied());
            let end = match GatewayAnswer::str_field(&a.redirect) {
                Some(_) if sent.is_some() || self.binding.is_some() => AttemptEnd::Redirected(sent),
                _ => AttemptEnd::Completed,
            };
            return self.status(end, None, None);
        }
        if let Some(t) = GatewayAnswer::str_field(&a.three_ds_server_trans_id) {
            self.trans_id = Some(t.to_owned());
        }
        if has_acs && GatewayAnswer::str_field(&a.packed_creq).is_some() {
            return self.challenge(ThreeDsVersion::V2, &a);
        }
        if repeat || self.trans_id.is_none() {
            // The repeat after a soft decline must bring the challenge; anything else ends here.
            let e = CheckoutError::new(ErrorCode::ThreeDsFailed, self.config.language);
            return self.status(AttemptEnd::Failed, Some(e), None);
        }
        self.run_methods_then(&a, AfterMethods::Continue)
    }

    fn on_continue_answer(&mut self, a: GatewayAnswer) -> Action {
        match a.error() {
            AnswerError::Code { code, message } => {
                return self.on_error_answer(code, message, false)
            }
            AnswerError::ZeroWithError { message } => {
                let e = CheckoutError::from_gateway(
                    ErrorCode::ThreeDsFailed,
                    self.config.language,
                    None,
                    None,
                );
                return self.status(AttemptEnd::Failed, Some(e), Some(message));
            }
            AnswerError::None => {}
        }
        if GatewayAnswer::str_field(&a.acs_url).is_some()
            && GatewayAnswer::str_field(&a.packed_creq).is_some()
        {
            return self.challenge(ThreeDsVersion::V2, &a);
        }
        // A soft decline brings a new 3DS2 transaction: method data, or a threeDSServerTransId other than
        // the current one. Anything less is not a reason to send the card again.
        let new_trans = GatewayAnswer::str_field(&a.three_ds_server_trans_id)
            .is_some_and(|t| self.trans_id.as_deref() != Some(t));
        let methods_again = GatewayAnswer::str_field(&a.redirect).is_none()
            && (GatewayAnswer::str_field(&a.three_ds_method_url_server).is_some() || new_trans);
        if methods_again && !self.soft_declined && (self.card.is_some() || self.binding.is_some()) {
            // Soft decline after frictionless: methods again, then the payment request again with the new
            // threeDSServerTransId, which brings the challenge (seed 000).
            self.soft_declined = true;
            if let Some(t) = GatewayAnswer::str_field(&a.three_ds_server_trans_id) {
                self.trans_id = Some(t.to_owned());
            }
            return self.run_methods_then(&a, AfterMethods::RepeatPayment);
        }
        self.status(AttemptEnd::Completed, None, None)
    }
}
