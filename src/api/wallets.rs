//! Apple Pay and Google Pay: the wallet's token goes to the gateway's payment.do (JSON), and any 3DS the
//! answer asks for runs through the same flow as a card. Plus the request objects merchants give the
//! wallets. The module never loads Apple's or Google's scripts.

use super::checkout::{absolute, reject, Checkout};
use super::js::{self, error_to_js, invalid, to_js, Js};
use super::types::*;
use crate::prelude::*;
use crate::web::order_lock;
use checkout_core::flow::CardFlow;
use checkout_core::wallet::{encode_token, gateway_currency, minor_units, WalletRequestInput};
use checkout_core::{CheckoutError, ErrorCode, Language};
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

#[derive(Clone, Copy)]
enum Wallet {
    Apple,
    Google,
}

impl Wallet {
    fn path(self) -> &'static str {
        match self {
            Wallet::Apple => "/applepay/payment.do",
            Wallet::Google => "/google/payment.do",
        }
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Copies optional fields of the listed kinds from the merchant's request into the body.
fn copy_optional(
    from: &JsValue,
    to: &Object,
    keys: &[&'static str],
    lang: Language,
) -> Result<(), CheckoutError> {
    for key in keys {
        let v = js::get(from, key);
        if v.is_undefined() || v.is_null() {
            continue;
        }
        let value = match *key {
            // Seed 003 types preAuth as String ("true"/"false") and sends `"preAuth" : false` in its
            // examples: either is taken, the examples' boolean is sent.
            "preAuth" => v
                .as_bool()
                .or_else(|| match v.as_string().as_deref() {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => None,
                })
                .map(JsValue::from_bool),
            // Seed 003: "phone Integer … the country code always, with or without +": digits are sent as
            // the seed's Integer, a leading + keeps it a string (no JSON number carries one).
            "phone" => phone_value(&v),
            "additionalParameters" => {
                (v.is_object() && !js_sys::Array::is_array(&v)).then(|| v.clone())
            }
            // Google Pay's sheet shows the alphabetic code ("KZT"); the gateway takes the numeric one.
            "currencyCode" => v
                .as_string()
                .and_then(|c| gateway_currency(&c).map(JsValue::from_str)),
            _ => v.as_string().filter(|s| !s.is_empty()).map(|_| v.clone()),
        };
        let Some(value) = value else {
            return Err(invalid(ErrorCode::InvalidOption, lang, key));
        };
        set(to, key, &value);
    }
    Ok(())
}

fn phone_value(v: &JsValue) -> Option<JsValue> {
    if let Some(n) = v.as_f64() {
        return (n > 0.0 && n <= 9_007_199_254_740_991.0 && n == (n as u64) as f64)
            .then(|| JsValue::from_f64(n));
    }
    let s = v.as_string()?;
    let t = s.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.starts_with('+') {
        return Some(JsValue::from_str(t));
    }
    checkout_core::text::parse_u64(digits).map(|n| JsValue::from_f64(n as f64))
}

fn required(from: &JsValue, key: &'static str, lang: Language) -> Result<String, CheckoutError> {
    let s = js::string(from, key, ErrorCode::InvalidOption, lang)?;
    if s.trim().is_empty() {
        return Err(invalid(ErrorCode::InvalidOption, lang, key));
    }
    Ok(s)
}

/// Apple Pay's paymentData (from a PKPaymentToken or given directly), as JSON text.
fn apple_payment_data(token: &JsValue, lang: Language) -> Result<String, CheckoutError> {
    let bad = || invalid(ErrorCode::InvalidWalletToken, lang, "paymentToken");
    let token = match token.as_string() {
        Some(text) => JSON::parse(&text).map_err(|_| bad())?,
        None => token.clone(),
    };
    if !token.is_object() {
        return Err(bad());
    }
    let inner = js::get(&token, "paymentData");
    let data = if inner.is_object() { inner } else { token };
    let has = |k: &str| js::get(&data, k).as_string().is_some_and(|s| !s.is_empty());
    if !(has("version") && has("data")) {
        return Err(bad());
    }
    JSON::stringify(&data)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(bad)
}

/// Google Pay's paymentMethodData.tokenizationData.token: a JSON text.
fn google_token(payment_data: &JsValue, lang: Language) -> Result<String, CheckoutError> {
    let bad = || invalid(ErrorCode::InvalidWalletToken, lang, "paymentData");
    let token = js::get(
        &js::get(
            &js::get(payment_data, "paymentMethodData"),
            "tokenizationData",
        ),
        "token",
    )
    .as_string()
    .ok_or_else(bad)?;
    match JSON::parse(&token) {
        Ok(v) if v.is_object() => Ok(token),
        _ => Err(bad()),
    }
}

impl Checkout {
    /// The payment.do JSON body, and the pages that mean the shopper is back from a challenge.
    fn wallet_body(
        &self,
        wallet: Wallet,
        request: &JsValue,
    ) -> Result<(String, Vec<String>), CheckoutError> {
        let lang = self.settings().language;
        if !request.is_object() {
            return Err(invalid(ErrorCode::InvalidOption, lang, "request"));
        }
        let body = Object::new();
        set(
            &body,
            "merchant",
            &required(request, "merchant", lang)?.into(),
        );
        set(
            &body,
            "orderNumber",
            &required(request, "orderNumber", lang)?.into(),
        );
        let language = js::opt_string(request, "language", lang)?
            .and_then(|l| Language::parse(&l))
            .unwrap_or(lang);
        set(&body, "language", &language.code().into());
        let returns;
        match wallet {
            Wallet::Apple => {
                let data = apple_payment_data(&js::get(request, "paymentToken"), lang)?;
                set(&body, "paymentToken", &encode_token(&data).into());
                copy_optional(
                    request,
                    &body,
                    &["preAuth", "description", "additionalParameters"],
                    lang,
                )?;
                // Apple Pay orders have no return page of their own: without one, a 3DS challenge would
                // send the shopper to the gateway's default page instead of back to this store.
                returns = self.return_pages(request, &body, lang)?;
            }
            Wallet::Google => {
                let token = google_token(&js::get(request, "paymentData"), lang)?;
                set(&body, "paymentToken", &encode_token(&token).into());
                let amount = js::get(request, "amount")
                    .as_f64()
                    .ok_or(())
                    .and_then(|a| minor_units(a).map_err(|_| ()));
                let amount =
                    amount.map_err(|_| invalid(ErrorCode::InvalidAmount, lang, "amount"))?;
                set(&body, "amount", &JsValue::from_f64(amount as f64));
                returns = self.return_pages(request, &body, lang)?;
                if js::get(&body, "returnUrl").is_undefined() {
                    return Err(invalid(ErrorCode::InvalidOption, lang, "returnUrl"));
                }
                // Seed 003, google/payment.do: "ip … Иә" (required): the shopper's IP as the server saw it.
                required(request, "ip", lang)?;
                copy_optional(
                    request,
                    &body,
                    &[
                        "currencyCode",
                        "ip",
                        "preAuth",
                        "clientId",
                        "email",
                        "phone",
                        "description",
                        "additionalParameters",
                    ],
                    lang,
                )?;
                // Seed 003: without currencyCode the order is in 643 (roubles), whatever the shopper approved in
                // Google's sheet: required.
                if js::get(&body, "currencyCode").is_undefined() {
                    return Err(invalid(ErrorCode::InvalidOption, lang, "currencyCode"));
                }
            }
        }
        let body = JSON::stringify(&body)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| invalid(ErrorCode::InvalidOption, lang, "request"))?;
        Ok((body, returns))
    }

    /// returnUrl / failUrl: the request's, else the Checkout's (the pages its challenge recognises).
    /// returnUrl / failUrl: the request's, else the Checkout's, checked by the URL policy and put in the
    /// body. Returns them: the pages that mean the shopper is back from a challenge.
    fn return_pages(
        &self,
        request: &JsValue,
        body: &Object,
        lang: Language,
    ) -> Result<Vec<String>, CheckoutError> {
        let settings = self.settings();
        let mut pages = Vec::new();
        for (key, fallback) in [
            ("returnUrl", &settings.return_url),
            ("failUrl", &settings.fail_url),
        ] {
            let url = match js::opt_string(request, key, lang)? {
                Some(u) if !u.trim().is_empty() => {
                    let safe = settings
                        .policy
                        .check(&absolute(&u))
                        .map_err(|_| invalid(ErrorCode::UnsafeUrl, lang, key))?;
                    Some(safe.as_str().to_owned())
                }
                _ => fallback.clone(),
            };
            if let Some(u) = url {
                set(body, key, &u.as_str().into());
                pages.push(u);
            }
        }
        Ok(pages)
    }

    /// Runs a wallet payment through the same flow and driver as a card (CardFlow::start_wallet).
    fn pay_wallet(&self, wallet: Wallet, request: JsValue) -> PaymentOutcomePromise {
        let lang = self.settings().language;
        let prepared = (|| {
            let signal = js::signal(&request, lang)?;
            if self.is_busy() {
                return Err(CheckoutError::new(ErrorCode::Busy, lang));
            }
            if signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
                return Err(CheckoutError::new(ErrorCode::Aborted, lang));
            }
            let (body, returns) = self.wallet_body(wallet, &request)?;
            // The merchant's orderNumber is the wallet payment's idempotency key: one payment of it at a time.
            let order_number = js::string(&request, "orderNumber", ErrorCode::InvalidOption, lang)?;
            let mut key = String::from("orderNumber:");
            key.push_str(&order_number);
            let lock =
                order_lock::claim(&key).ok_or_else(|| CheckoutError::new(ErrorCode::Busy, lang))?;
            let (flow, first) = CardFlow::start_wallet(
                self.settings().card_flow_config(),
                &order_number,
                wallet.path(),
                body,
            );
            Ok((flow, first, signal, lock, returns))
        })();
        match prepared {
            Ok((flow, first, signal, lock, returns)) => {
                self.run(flow, first, signal, lock, returns)
            }
            Err(e) => reject(&e),
        }
    }
}

#[wasm_bindgen]
impl Checkout {
    /// Hands an Apple Pay token to the gateway's applepay/payment.do and finishes any 3DS it asks for.
    #[wasm_bindgen(js_name = payApplePay)]
    pub fn pay_apple_pay(&self, request: ApplePayPaymentJs) -> PaymentOutcomePromise {
        self.pay_wallet(Wallet::Apple, request.into())
    }

    /// Hands a Google Pay token to the gateway's google/payment.do and finishes any 3DS it asks for.
    #[wasm_bindgen(js_name = payGooglePay)]
    pub fn pay_google_pay(&self, request: GooglePayPaymentJs) -> PaymentOutcomePromise {
        self.pay_wallet(Wallet::Google, request.into())
    }
}

fn wallet_input(input: JsValue) -> Result<WalletRequestInput, JsValue> {
    WalletRequestInput::read(&Js(input))
        .map_err(|_| error_to_js(&invalid(ErrorCode::InvalidOption, Language::En, "request")))
}

/// Google Pay's PaymentDataRequest for this gateway (tokenization PAYMENT_GATEWAY) from amount, currency,
/// country and label.
#[wasm_bindgen(js_name = googlePayPaymentDataRequest)]
pub fn google_pay_payment_data_request(
    input: WalletRequestInputJs,
) -> Result<GooglePayPaymentDataRequestJs, JsValue> {
    let spec = wallet_input(input.into())?
        .google_pay()
        .map_err(|c| error_to_js(&CheckoutError::new(c, Language::En)))?;
    Ok(to_js(&spec).unchecked_into())
}

/// Apple Pay's ApplePayPaymentRequest from amount, currency, country and label.
#[wasm_bindgen(js_name = applePayPaymentRequest)]
pub fn apple_pay_payment_request(
    input: WalletRequestInputJs,
) -> Result<ApplePayPaymentRequestJs, JsValue> {
    let spec = wallet_input(input.into())?
        .apple_pay()
        .map_err(|c| error_to_js(&CheckoutError::new(c, Language::En)))?;
    Ok(to_js(&spec).unchecked_into())
}
