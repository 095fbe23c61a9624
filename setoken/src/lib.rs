//! gateway-checkout-setoken: `createSeToken(request)` encrypts the shopper's card in the browser into the
//! gateway's seToken (`timestamp/uuid/PAN/CVC/YYYYMM/mdOrder`, RSAES-PKCS1-v1_5 with the gateway's public
//! key, standard base64). The page hands the token to the merchant's server, which pays the order through
//! paymentorder.do with `seToken` and never sees the card.
//!
//! A module of its own (scripts/build-setoken.sh → pkg/setoken/): WebCrypto cannot encrypt with
//! RSAES-PKCS1-v1_5, so RSA is compiled in, and the card-only module does not carry it.
//!
//! The pure parts (checks, plaintext, key reading, encryption) are in [`token`] and test natively; this file
//! is the JS face: reading the request, the clock, `crypto.getRandomValues`, `GET {gatewayUrl}/se/keys.do`.
#![forbid(unsafe_code)]

pub mod token;

use checkout_core::url_policy::UrlPolicy;
use checkout_core::{CheckoutError, ErrorCode, Language};
use js_sys::{Promise, Reflect, Uint8Array, JSON};
use rand_core::{CryptoRng, RngCore};
use rsa::RsaPublicKey;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCredentials, RequestInit, Response};
use zeroize::Zeroizing;

use token::{Input, LocalTime, Refusal};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** The codes createSeToken rejects with (the same codes, and meanings, as the payment module's). */
export type SeTokenErrorCode =
  | "invalid_option" | "invalid_order_id" | "invalid_card_number" | "invalid_expiry" | "invalid_cvc"
  | "unsafe_url" | "network" | "timeout" | "http_status" | "bad_response" | "dom";

/** What a rejected createSeToken carries: an Error with a stable code. Never card data. */
export interface CheckoutError extends Error {
  name: "CheckoutError";
  code: SeTokenErrorCode;
  /** For the shopper, in the request's language. */
  message: string;
  /** Whether calling again may succeed (a network failure, not a wrong card number). */
  retryable: boolean;
  /** For logs: which field or step failed ("pan", "expiry", "cvc", "orderId", "publicKey", "gatewayUrl",
   *  "keys", "keyValue", "protocolVersion", "keyExpiration", "crypto", …). */
  detail?: string;
}

export interface SeTokenRequest {
  /** The gateway's orderId (mdOrder) from register.do: the token is valid for this order only. */
  orderId: string;
  /** Card number; spaces and dashes are ignored. Omitted with bindingId. */
  pan?: string;
  /** "MM/YY" or "MM/YYYY", not in the past. Omitted with bindingId. */
  expiry?: string;
  /** 3 or 4 digits. */
  cvc: string;
  /** A saved card: the token then carries the CVC and the binding, `ts/uuid//CVC//mdOrder/bindingId`. */
  bindingId?: string;
  /** The gateway's public key as PEM (SPKI or PKCS#1, one line or wrapped). Without it the key is fetched. */
  publicKey?: string;
  /** The gateway's `/payment` base (e.g. "https://3dsec.berekebank.kz/payment", or a relative merchant proxy
   *  "/payment"): the key comes from `GET {gatewayUrl}/se/keys.do` (its first key: protocolVersion RSA,
   *  keyExpiration in the future). Required without publicKey. */
  gatewayUrl?: string;
  /** A test environment: the local gateway sandbox or the bank's test gateway. Allows plain http to loopback hosts
   *  and takes a card's past expiry (the seeds' test cards expire 12/24). Never in production. */
  sandbox?: boolean;
  /** The language of error messages. Default: the page's `<html lang>` if it is en, ru or kk, else the browser's
   *  language if it is, else "en". */
  language?: "en" | "ru" | "kk";
}

/**
 * Encrypts the card for the gateway and resolves to the seToken (standard base64). Send it to your server,
 * which calls paymentorder.do with `MDORDER` = orderId and `seToken` (and its userName/password): your server
 * never sees the card. The module wipes its copies of the card data; the strings you passed stay yours.
 */
export function createSeToken(request: SeTokenRequest): Promise<string>;
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: u32) -> Result<AbortSignal, JsValue>;
    // globalThis.crypto: browsers, workers and Node ≥ 19.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &Uint8Array) -> Result<JsValue, JsValue>;
}

/// `se/keys.do` in time, or a timeout error.
const KEYS_TIMEOUT_MS: u32 = 30_000;
/// A keys.do answer is well under 1 KiB.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
const MAX_ANSWER_DEPTH: usize = 32;

/// Encrypts the card (or a saved card's CVC) for the gateway; resolves to the seToken. Types in TS_TYPES.
#[wasm_bindgen(js_name = createSeToken, skip_typescript)]
pub async fn create_se_token(request: JsValue) -> Result<JsValue, JsValue> {
    // The option, else the page's language (its <html lang>, then the browser's), as a Checkout's.
    let global = js_sys::global();
    let page = get(&get(&get(&global, "document"), "documentElement"), "lang");
    let browser = get(&get(&global, "navigator"), "language");
    let lang = [get(&request, "language"), page, browser]
        .iter()
        .find_map(|l| l.as_string().and_then(|l| Language::parse(&l)))
        .unwrap_or_default();
    create(&request)
        .await
        .map(JsValue::from)
        .map_err(|r| error_to_js(r, lang))
}

async fn create(req: &JsValue) -> Result<String, Refusal> {
    if !req.is_object() {
        return Err(Refusal::new(ErrorCode::InvalidOption, "request"));
    }
    let order_id = opt_string(req, "orderId")
        .ok()
        .flatten()
        .ok_or(Refusal::new(ErrorCode::InvalidOrderId, "orderId"))?;
    let binding_id = opt_string(req, "bindingId")
        .map_err(|_| Refusal::new(ErrorCode::InvalidOption, "bindingId"))?;
    let fields = {
        // JS strings copied into wasm memory: wiped when this block ends.
        let pan = secret(req, "pan", ErrorCode::InvalidCardNumber)?;
        let expiry = secret(req, "expiry", ErrorCode::InvalidExpiry)?;
        let cvc = secret(req, "cvc", ErrorCode::InvalidCvc)?;
        token::check(
            Input {
                order_id: &order_id,
                pan: pan.as_deref().map(String::as_str),
                expiry: expiry.as_deref().map(String::as_str),
                cvc: cvc.as_deref().map(String::as_str),
                binding_id: binding_id.as_deref(),
                past_ok: get(req, "sandbox").as_bool().unwrap_or(false),
            },
            today(),
        )?
    };
    // Randomness first: without crypto.getRandomValues nothing can be encrypted.
    let mut id = [0u8; 16];
    random_bytes(&mut id).map_err(|_| Refusal::new(ErrorCode::Dom, "crypto"))?;
    let (key, refused) = match opt_string(req, "publicKey") {
        Ok(Some(pem)) => (
            token::public_key(&pem).ok_or(Refusal::new(ErrorCode::InvalidOption, "publicKey"))?,
            Refusal::new(ErrorCode::InvalidOption, "publicKey"),
        ),
        Ok(None) => (
            fetch_key(req).await?,
            Refusal::new(ErrorCode::BadResponse, "keyValue"),
        ),
        Err(()) => return Err(Refusal::new(ErrorCode::InvalidOption, "publicKey")),
    };
    let plaintext = fields.plaintext(&token::timestamp(local_now()), &token::uuid_v4(id));
    drop(fields);
    token::encrypt(&key, plaintext.as_bytes(), &mut WebRng).ok_or(refused)
}

/// `GET {gatewayUrl}/se/keys.do` and its first key. A simple GET (no custom headers, no cookies): no CORS
/// preflight.
async fn fetch_key(req: &JsValue) -> Result<RsaPublicKey, Refusal> {
    let raw = opt_string(req, "gatewayUrl")
        .ok()
        .flatten()
        .ok_or(Refusal::new(ErrorCode::InvalidOption, "gatewayUrl"))?;
    let policy = UrlPolicy {
        allow_insecure_loopback: get(req, "sandbox").as_bool().unwrap_or(false),
    };
    let base = policy
        .check(absolute(&raw).trim_end_matches('/'))
        .map_err(|_| Refusal::new(ErrorCode::UnsafeUrl, "gatewayUrl"))?;
    let text = get_text(&format!("{}/se/keys.do", base.as_str())).await?;
    let bad = Refusal::new(ErrorCode::BadResponse, "keys");
    if text.len() > MAX_ANSWER_BYTES
        || !checkout_core::json::nesting_within(&text, MAX_ANSWER_DEPTH)
    {
        return Err(bad);
    }
    let answer = JSON::parse(text.trim()).map_err(|_| bad)?;
    let keys = get(&answer, "keys");
    if !js_sys::Array::is_array(&keys) {
        return Err(bad);
    }
    let first = Reflect::get(&keys, &JsValue::from(0)).unwrap_or(JsValue::UNDEFINED);
    if !first.is_object() {
        return Err(bad);
    }
    // Milliseconds as a number or a string of digits (an integer parse: Rust's float parser is ~18 KB).
    let expiration = get(&first, "keyExpiration");
    let expiration = expiration.as_f64().or_else(|| {
        expiration
            .as_string()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(|ms| ms as f64)
    });
    token::gateway_key(
        get(&first, "keyValue").as_string().as_deref(),
        get(&first, "protocolVersion").as_string().as_deref(),
        expiration,
        js_sys::Date::now(),
    )
}

async fn get_text(url: &str) -> Result<String, Refusal> {
    let failed = |e: JsValue| {
        let timeout = Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == "TimeoutError");
        let code = if timeout {
            ErrorCode::Timeout
        } else {
            ErrorCode::Network
        };
        Refusal::new(code, "keys")
    };
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_credentials(RequestCredentials::Omit);
    // AbortSignal.timeout is everywhere current; without it the browser's own timeout applies.
    if let Ok(signal) = abort_after(KEYS_TIMEOUT_MS) {
        init.set_signal(Some(&signal));
    }
    let resp: Response = JsFuture::from(global_fetch(url, &init).map_err(failed)?)
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| Refusal::new(ErrorCode::Network, "keys"))?;
    if !resp.ok() {
        return Err(Refusal::new(ErrorCode::HttpStatus, "keys"));
    }
    let declared = resp
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_ANSWER_BYTES) {
        return Err(Refusal::new(ErrorCode::BadResponse, "keys"));
    }
    JsFuture::from(resp.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .ok_or(Refusal::new(ErrorCode::BadResponse, "keys"))
}

/// crypto.getRandomValues, at most 65 536 bytes a call (its limit).
fn random_bytes(dest: &mut [u8]) -> Result<(), JsValue> {
    for chunk in dest.chunks_mut(65_536) {
        let buf = Uint8Array::new_with_length(chunk.len() as u32);
        get_random_values(&buf)?;
        buf.copy_to(chunk);
    }
    Ok(())
}

/// The padding's randomness for the rsa crate. `create` has already drawn from getRandomValues, so the
/// failure below is not expected; it throws rather than pad with predictable bytes.
struct WebRng;

impl RngCore for WebRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }
    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if random_bytes(dest).is_err() {
            wasm_bindgen::throw_str("crypto.getRandomValues failed");
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        random_bytes(dest).map_err(|_| {
            rand_core::Error::from(
                core::num::NonZeroU32::new(rand_core::Error::CUSTOM_START)
                    .unwrap_or(core::num::NonZeroU32::MIN),
            )
        })
    }
}

impl CryptoRng for WebRng {}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// None when absent (undefined or null), Err when present but not a string.
fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, ()> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or(())
}

/// A card field, wiped on drop; a value that is not a string is refused with the field's code.
fn secret(
    obj: &JsValue,
    key: &'static str,
    code: ErrorCode,
) -> Result<Option<Zeroizing<String>>, Refusal> {
    opt_string(obj, key)
        .map(|v| v.map(Zeroizing::new))
        .map_err(|_| Refusal::new(code, key))
}

/// A URL resolved against the page (or worker) it runs in.
fn absolute(url: &str) -> String {
    let base = Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .map(|l| get(&l, "href"))
        .and_then(|h| h.as_string());
    match base.and_then(|b| web_sys::Url::new_with_base(url, &b).ok()) {
        Some(u) => u.href(),
        None => url.to_owned(),
    }
}

/// (year, month) of the shopper's clock, for the expiry check.
fn today() -> (u32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year(), d.get_month() + 1)
}

fn local_now() -> LocalTime {
    let d = js_sys::Date::new_0();
    LocalTime {
        year: d.get_full_year(),
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
        second: d.get_seconds(),
        offset_minutes: -(d.get_timezone_offset().round() as i32),
    }
}

/// The Error a rejected createSeToken carries: name CheckoutError, code, message, retryable, detail.
fn error_to_js(r: Refusal, lang: Language) -> JsValue {
    let e = CheckoutError::new(r.code, lang).with_detail(r.detail);
    let err = js_sys::Error::new(&e.message);
    err.set_name("CheckoutError");
    let obj: &JsValue = err.as_ref();
    let _ = Reflect::set(obj, &"code".into(), &e.code.code().into());
    let _ = Reflect::set(obj, &"retryable".into(), &e.retryable().into());
    let _ = Reflect::set(obj, &"detail".into(), &r.detail.into());
    err.into()
}
