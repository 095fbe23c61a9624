//! The TypeScript face of the module: real types for every option, input and result, and the extern
//! types that let the Rust signatures name them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Stable error codes; see README "Errors". */
export type CheckoutErrorCode =
  | "invalid_option" | "invalid_card_number" | "invalid_expiry" | "invalid_cvc" | "invalid_cardholder"
  | "invalid_order_id" | "invalid_amount" | "invalid_wallet_token" | "unsafe_url" | "network" | "timeout"
  | "http_status" | "bad_response" | "access_denied" | "gateway_error" | "three_ds_failed"
  | "challenge_timeout" | "aborted" | "busy" | "nothing_to_resume" | "status_unknown" | "dom" | "wallet_error"
  | "redirect_blocked" | "redirect_unconfirmed";

/** What every rejected promise of the module carries: an Error with a stable code. */
export interface CheckoutError extends Error {
  name: "CheckoutError";
  code: CheckoutErrorCode;
  /** Shown to the shopper, in the Checkout's language (the gateway's own message when it sent one). */
  message: string;
  /** Whether calling payCard again WITH THE SAME orderId is safe and may succeed. Never register a new order
   *  to retry: the order is the idempotency key (the gateway refuses a second payment of a paid order). */
  retryable: boolean;
  /** The order the failed payment belongs to (once a payment started): check or retry exactly this one. */
  orderId?: string;
  /** The gateway's errorCode, when it sent one. */
  gatewayCode?: string;
  /** For logs: which field or step failed. Never card data. */
  detail?: string;
}

export type Language = "en" | "ru" | "kk";
export type CheckoutStep = "paying" | "device_check" | "authenticating" | "challenge" | "finishing" | "checking_status";
export type ChallengeWindowSizeCode = "01" | "02" | "03" | "04" | "05";

export interface CheckoutTimeouts {
  /** 3DS method ceiling in ms; at most (and by default) 10 000, as EMVCo requires. */
  methodMs?: number;
  /** Each request to the gateway, in ms (default 30 000). */
  requestMs?: number;
  /** The shopper's time for the bank's challenge, in ms (default 600 000). */
  challengeMs?: number;
  /** After a payment request whose answer was lost, aborted or refused with a system error, how long the
   *  order's status is read before the module gives up with status_unknown, in ms (default 60 000). */
  statusWindowMs?: number;
}

/** For resume() on a page the shopper reached without this tab's sessionStorage (another tab, a cleared
 *  storage): the order (and, for 3DS2, the transaction) the gateway appended to the return URL are read from
 *  the URL by default; pass them to override. */
export interface ResumeOptions {
  orderId?: string;
  threeDSServerTransId?: string;
}

export interface CheckoutOptions {
  /** The gateway's `/payment` base, e.g. "https://3dsec.berekebank.kz/payment", or a merchant proxy ("/payment"). */
  gatewayUrl: string;
  /** The merchant's public Open ID token. Never put userName/password in a page. */
  token: string;
  /** Messages and the gateway's answers. Default, read when the Checkout is made: the page's `<html lang>` if it is
   *  en, ru or kk, else the browser's language if it is, else en. */
  language?: Language;
  /** "iframe" (default when a container is given): the challenge shows inside `container`.
   *  "redirect": the page itself goes to the bank; call `resume()` on the return page. */
  challengeMode?: "iframe" | "redirect";
  /** Element (or CSS selector) that receives the challenge iframe. */
  container?: HTMLElement | string;
  /** Where the bank sends the shopper back (threeDSVer2FinishUrl); the order's returnUrl should match.
   *  Default: the current page without its query. */
  returnUrl?: string;
  /** The order's failUrl, if the merchant registered a different one; also recognised as "back". */
  failUrl?: string;
  /** A test environment: the local gateway sandbox or the bank's test gateway. Allows plain http to loopback hosts
   *  and takes a card's past expiry (the seeds' test cards expire 12/24). Never in production. */
  sandbox?: boolean;
  timeouts?: CheckoutTimeouts;
  /** Progress, for a spinner with words. */
  onStep?: (step: CheckoutStep) => void;
  /** The Accept header your server saw, for EMVCo's browserAcceptHeader. */
  acceptHeader?: string;
  /** Opt-in `sandbox` attribute for the challenge iframe: true = "allow-scripts allow-forms allow-same-origin"
   *  (what an EMVCo 3DS2 ACS page needs); a string = your own tokens (some 3DS1 ACS pages also need
   *  "allow-popups" or "allow-top-navigation"). Default: no sandbox attribute. */
  challengeFrameSandbox?: boolean | string;
  /** "fit" (default): the CReq's challengeWindowSize is rewritten to the size that fits the container, so
   *  the ACS lays its page out for the frame the shopper sees. "as-received": the packedCReq is posted
   *  exactly as the gateway sent it (as seeds 002 and 004 show) and the frame takes the size it announces. */
  creqWindowSize?: "fit" | "as-received";
}

export interface CardPaymentRequest {
  /** The gateway's orderId from register.do / registerPreAuth.do (made on your server). */
  orderId: string;
  /** Card number; spaces and dashes allowed. */
  pan: string;
  /** "MM/YY" or "MM/YYYY". */
  expiry: string;
  cvc: string;
  cardholder: string;
  email?: string;
  /** The shopper's IP as your server saw it. */
  ip?: string;
  /** false: "don't save my card" (bindingNotNeeded=true, seed 003); the gateway makes no binding. */
  saveCard?: boolean;
  /** The merchant's extra fields (seed 003 jsonParams), string values only. */
  jsonParams?: Record<string, string>;
  /** The payer's registration address for AVS/AVV (seed 003 billingPayerData: billingCity, billingCountry,
   *  billingAddressLine1…3, billingPostalCode, billingState), string values only. */
  billingPayerData?: Record<string, string>;
  signal?: AbortSignal;
}

/** A payment with a saved card (seed 003 paymentOrderBinding.do). Your server lists the shopper's bindings
 *  (getBindings.do, with your password) and gives the page the bindingId; the page never lists them. */
export interface BindingPaymentRequest {
  orderId: string;
  bindingId: string;
  /** The CVC the shopper typed (required unless your merchant account may pay without it). */
  cvc?: string;
  /** The shopper's IP as your server saw it (required by paymentOrderBinding.do). */
  ip: string;
  clientId?: string;
  email?: string;
  signal?: AbortSignal;
}

/** paid (2), authorized (1, held), declined (6), pending (5, or 0 after an unfinished attempt), reversed (3,
 *  the hold was cancelled), refunded (4). */
export type PaymentStatus = "paid" | "authorized" | "declined" | "pending" | "reversed" | "refunded";

/** The final state, read from the gateway's getOrderStatusExtended.do. */
export interface PaymentOutcome {
  status: PaymentStatus;
  orderId: string;
  /** The gateway's orderStatus 0–6. */
  orderStatus?: number;
  actionCode?: number;
  /** The gateway's reason (actionCodeDescription), for declines especially. */
  reason?: string;
  maskedPan?: string;
  paymentState?: string;
  amount?: number;
  currency?: string;
  /** Declined without trying the card: the gateway takes no more payment attempts for this order (its attempt
   *  limit, seed 003), so paying it again cannot succeed; register a new order for the shopper's next try. The
   *  outcome then has no reason, actionCode or maskedPan (the status's are the order's last card's). Absent
   *  otherwise. */
  attemptsExhausted?: true;
}

export interface EmvcoBrowserInfo {
  browserAcceptHeader: string; browserIP?: string; browserJavaEnabled: boolean; browserJavascriptEnabled: boolean;
  browserLanguage: string; browserColorDepth: string; browserScreenHeight: string; browserScreenWidth: string;
  browserTZ: string; browserUserAgent: string; challengeWindowSize: ChallengeWindowSizeCode;
}
export interface GatewayClientBrowserInfo {
  userAgent: string; OS: string; OSVersion: string; browserAcceptHeader: string; browserIpAddress?: string;
  browserLanguage: string; browserTimeZone: string; browserTimeZoneOffset: number; colorDepth: number;
  screenHeight: number; screenWidth: number; screenPrint: string; javaEnabled: boolean; javascriptEnabled: boolean;
  isMobile: boolean; device: string; deviceType: string;
}
/** Assist's silentpay browser fields (seed 002). Lengths are UTF-8 bytes as the seed gives them (headers 255,
 *  CLIENT_BROWSER_LANGUAGE 5 in whole subtags, CLIENT_SCREEN_RES 16), never cut inside a character. */
export interface AssistBrowserFields {
  HEADER_HTTP_ACCEPT: string; HEADER_HTTP_USER_AGENT: string; CLIENT_JAVA: boolean; CLIENT_BROWSER_LANGUAGE: string;
  /** screen.pixelDepth (seed 002: "Screen.pixelDepth"), rounded down to 1, 4, 8, 15, 16, 24, 32 or 48. */
  CLIENT_SCREEN_COLORS: number; CLIENT_SCREEN_RES: string; ChallengeWindowSize: ChallengeWindowSizeCode;
  /** Dotted IPv4 only (seed 002: "Максимум 15 цифр, 4 разделителя «.»"; ::ffff:a.b.c.d gives a.b.c.d); absent
   *  when `ip` was missing or not IPv4. Required by Assist for 3DS2: see BrowserInfoOptions.requireClientIp. */
  ClientIP?: string;
}
export interface BrowserInfo { emvco: EmvcoBrowserInfo; gateway: GatewayClientBrowserInfo; assist: AssistBrowserFields; }
export interface BrowserInfoOptions {
  acceptHeader?: string; ip?: string; windowSize?: ChallengeWindowSizeCode;
  /** For Assist 3DS2 (seed 002: ClientIP "является обязательным для протокола 3-D Secure версии 2"): throw
   *  invalid_option (detail "ip") when `ip` is missing or not IPv4. Default false: ClientIP is left out. */
  requireClientIp?: boolean;
}

export interface ChallengeWindow { code: ChallengeWindowSizeCode; width?: number; height?: number; }

export interface ThreeDSMethodRequest {
  url: string;
  /** threeDSMethodData; omit for the 3DS Server's empty POST. */
  threeDSMethodData?: string;
  /** At most 10 000 (the default). */
  timeoutMs?: number;
  sandbox?: boolean;
  signal?: AbortSignal;
}
export interface ThreeDSMethodResult { compInd: "Y" | "N"; ms: number; }

export interface ChallengeRequest {
  acsUrl: string;
  /** 3DS2: the packed CReq. */
  creq?: string;
  /** 3DS1: PaReq, MD and TermUrl. */
  paReq?: string;
  md?: string;
  termUrl?: string;
  /** Default: the size that fits the container (iframe) or "05" (redirect). */
  windowSize?: ChallengeWindowSizeCode;
  mode?: "iframe" | "redirect";
  container?: HTMLElement | string;
  /** Pages that mean the shopper is back (iframe mode). */
  returnUrl?: string;
  failUrl?: string;
  timeoutMs?: number;
  sandbox?: boolean;
  signal?: AbortSignal;
}
export interface ChallengeResult { status: "returned" | "timeout" | "redirected"; href?: string; windowSize: ChallengeWindowSizeCode; }

export interface ApplePayPayment {
  /** The merchant's gateway login (public). */
  merchant: string;
  orderNumber: string;
  /** The PKPaymentToken from ApplePaySession's onpaymentauthorized (or just its paymentData). */
  paymentToken: object | string;
  /** Two-stage (hold). Seed 003 types it String; "true"/"false" are taken too; a boolean is sent. */
  preAuth?: boolean | "true" | "false";
  description?: string;
  language?: Language;
  additionalParameters?: Record<string, string>;
  /** Where a 3DS challenge returns the shopper; default: the Checkout's returnUrl / failUrl. */
  returnUrl?: string;
  failUrl?: string;
  signal?: AbortSignal;
}

export interface GooglePayPayment {
  merchant: string;
  orderNumber: string;
  /** What google.payments.api.PaymentsClient.loadPaymentData resolved to. */
  paymentData: { paymentMethodData: { tokenizationData: { token: string } } };
  /** Minor units, a positive whole number. */
  amount: number;
  /** The currency the shopper approved, ISO 4217 numeric ("398") or alphabetic ("KZT", as in Google's sheet; sent
   *  as the numeric code). Required: without it google/payment.do charges roubles (643, seed 003). */
  currencyCode: string;
  /** The shopper's IP as your server saw it: required by google/payment.do (seed 003). */
  ip: string;
  /** Default: the Checkout's returnUrl (one of the two is required). */
  returnUrl?: string;
  /** Default: the Checkout's failUrl. */
  failUrl?: string;
  preAuth?: boolean | "true" | "false";
  clientId?: string;
  email?: string;
  /** Digits with the country code, "+" optional (seed 003: Integer; sent as a number unless it has "+"). */
  phone?: string | number;
  description?: string;
  language?: Language;
  additionalParameters?: Record<string, string>;
  signal?: AbortSignal;
}

export interface WalletRequestInput {
  /** Minor units. */
  amount: number;
  /** ISO 4217 numeric ("398") or alphabetic ("KZT"). */
  currency: string;
  /** ISO 3166 alpha-2, e.g. "KZ". */
  country: string;
  /** The shop's name, shown as the total's label. */
  label: string;
  /** Google Pay: the bank's gateway id (required by googlePayPaymentDataRequest, unused by Apple Pay's). */
  gateway?: string;
  /** Google Pay: the merchant's gateway login (required by googlePayPaymentDataRequest). */
  gatewayMerchantId?: string;
  googleMerchantId?: string;
  networks?: string[];
}

export interface GooglePayPaymentDataRequest {
  apiVersion: 2; apiVersionMinor: 0;
  allowedPaymentMethods: Array<{
    type: "CARD";
    parameters: { allowedAuthMethods: string[]; allowedCardNetworks: string[] };
    tokenizationSpecification: { type: "PAYMENT_GATEWAY"; parameters: { gateway: string; gatewayMerchantId: string } };
  }>;
  merchantInfo: { merchantId?: string; merchantName: string };
  transactionInfo: { totalPriceStatus: "FINAL"; totalPrice: string; totalPriceLabel: string; currencyCode: string; countryCode: string };
}

export interface ApplePayPaymentRequestSpec {
  countryCode: string; currencyCode: string; supportedNetworks: string[]; merchantCapabilities: string[];
  total: { label: string; amount: string; type: "final" };
}

/** parseAssistThreeDsData's second argument: `true` (= {sandbox: true}) or these. */
export interface AssistParseOptions {
  sandbox?: boolean;
  /** 3DS1: where the ACS posts PaRes (your page/server, which passes `pares` to Assist's get3DSec). Required
   *  when the answer is a 3DS1 one (responsecode AS110 with pareq and acsurl). */
  termUrl?: string;
  /** 3DS1: the MD to post (the seed names none; default: the answer's md, else empty). */
  md?: string;
}

export interface AssistThreeDsPlan {
  version?: string;
  /** The seed's challenge F / C / D; a 3DS1 answer (AS110 with pareq/acsurl) is "challenge" too. Any other
   *  value (e.g. the seed's "FC") is refused with bad_response. */
  flow: "frictionless" | "challenge" | "decoupled";
  /** Which challenge form `challenge` holds. */
  protocol?: "3ds1" | "3ds2";
  threeDSServerTransID?: string;
  authResult?: string;
  /** Input for runThreeDSMethod, when the block has a method URL and threeDSMethodData. */
  method?: ThreeDSMethodRequest & { threeDSMethodData: string };
  /** "no_method_data": threeDSMethodURL came without threeDSMethodData; the seed's method is a POST "с одним
   *  параметром threeDSMethodData", so nothing is posted: call get3dsecver2 straight away. */
  methodSkipped?: "no_method_data";
  /** Input for runChallenge, for flow "challenge": {acsUrl, creq} (3DS2) or {acsUrl, paReq, md, termUrl} (3DS1);
   *  add container/returnUrl or mode. */
  challenge?: ChallengeRequest;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CheckoutOptions")]
    pub type CheckoutOptionsJs;
    #[wasm_bindgen(typescript_type = "CardPaymentRequest")]
    pub type CardPaymentRequestJs;
    #[wasm_bindgen(typescript_type = "BindingPaymentRequest")]
    pub type BindingPaymentRequestJs;
    #[wasm_bindgen(typescript_type = "ResumeOptions | undefined")]
    pub type ResumeOptionsJs;
    #[wasm_bindgen(typescript_type = "Promise<PaymentOutcome>")]
    pub type PaymentOutcomePromise;
    #[wasm_bindgen(typescript_type = "BrowserInfoOptions | undefined")]
    pub type BrowserInfoOptionsJs;
    #[wasm_bindgen(typescript_type = "BrowserInfo")]
    pub type BrowserInfoJs;
    #[wasm_bindgen(typescript_type = "ChallengeWindow")]
    pub type ChallengeWindowJs;
    #[wasm_bindgen(typescript_type = "ThreeDSMethodRequest")]
    pub type ThreeDSMethodRequestJs;
    #[wasm_bindgen(typescript_type = "Promise<ThreeDSMethodResult>")]
    pub type ThreeDSMethodResultPromise;
    #[wasm_bindgen(typescript_type = "ChallengeRequest")]
    pub type ChallengeRequestJs;
    #[wasm_bindgen(typescript_type = "Promise<ChallengeResult>")]
    pub type ChallengeResultPromise;
    #[wasm_bindgen(typescript_type = "AssistThreeDsPlan")]
    pub type AssistThreeDsPlanJs;
    #[wasm_bindgen(typescript_type = "object | string")]
    pub type AssistBlockJs;
    #[wasm_bindgen(typescript_type = "boolean | AssistParseOptions")]
    pub type AssistParseOptionsJs;
    #[wasm_bindgen(typescript_type = "ApplePayPayment")]
    pub type ApplePayPaymentJs;
    #[wasm_bindgen(typescript_type = "GooglePayPayment")]
    pub type GooglePayPaymentJs;
    #[wasm_bindgen(typescript_type = "WalletRequestInput")]
    pub type WalletRequestInputJs;
    #[wasm_bindgen(typescript_type = "GooglePayPaymentDataRequest")]
    pub type GooglePayPaymentDataRequestJs;
    #[wasm_bindgen(typescript_type = "ApplePayPaymentRequestSpec")]
    pub type ApplePayPaymentRequestJs;
}
