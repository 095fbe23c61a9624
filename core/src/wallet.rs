//! Apple Pay and Google Pay: the request objects merchants hand to the wallets, the JSON bodies of the
//! gateway's applepay/google payment.do, and their answers. The module never loads the wallets' scripts.

use crate::error::{classify_gateway_error, CheckoutError, ErrorCode};
use crate::fields::{self, Bad, Fields};
use crate::json::push_uint;
use crate::lang::Language;
use crate::outcome::{AttemptEnd, Outcome};
use crate::prelude::*;
use crate::value::{Obj, Value};
use crate::wire::{GatewayAnswer, NumOrStr};

/// Standard Base64 of the token's UTF-8 text, as payment.do expects.
pub fn encode_token(token_json: &str) -> String {
    crate::b64::encode(token_json.as_bytes())
}

/// A currency by ISO 4217 numeric or alphabetic code, with its minor-unit exponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Currency {
    pub alpha: &'static str,
    pub numeric: &'static str,
    pub exponent: u32,
}

const CURRENCIES: [Currency; 14] = [
    Currency {
        alpha: "KZT",
        numeric: "398",
        exponent: 2,
    },
    Currency {
        alpha: "RUB",
        numeric: "643",
        exponent: 2,
    },
    Currency {
        alpha: "USD",
        numeric: "840",
        exponent: 2,
    },
    Currency {
        alpha: "EUR",
        numeric: "978",
        exponent: 2,
    },
    Currency {
        alpha: "GBP",
        numeric: "826",
        exponent: 2,
    },
    Currency {
        alpha: "CNY",
        numeric: "156",
        exponent: 2,
    },
    Currency {
        alpha: "TRY",
        numeric: "949",
        exponent: 2,
    },
    Currency {
        alpha: "UZS",
        numeric: "860",
        exponent: 2,
    },
    Currency {
        alpha: "KGS",
        numeric: "417",
        exponent: 2,
    },
    Currency {
        alpha: "BYN",
        numeric: "933",
        exponent: 2,
    },
    Currency {
        alpha: "AED",
        numeric: "784",
        exponent: 2,
    },
    Currency {
        alpha: "JPY",
        numeric: "392",
        exponent: 0,
    },
    Currency {
        alpha: "KRW",
        numeric: "410",
        exponent: 0,
    },
    Currency {
        alpha: "KWD",
        numeric: "414",
        exponent: 3,
    },
];

impl Currency {
    pub fn find(code: &str) -> Option<Currency> {
        let c = code.trim();
        CURRENCIES
            .iter()
            .copied()
            .find(|k| k.numeric == c || k.alpha.eq_ignore_ascii_case(c))
    }

    /// Minor units as the decimal string wallets show: 150050 KZT → "1500.50".
    pub fn decimal(self, minor: u64) -> String {
        let mut s = String::new();
        if self.exponent == 0 {
            push_uint(&mut s, minor);
            return s;
        }
        let unit = 10u64.pow(self.exponent);
        push_uint(&mut s, minor / unit);
        s.push('.');
        // unit + frac has exactly exponent + 1 digits: skip the leading 1.
        let mut frac = String::new();
        push_uint(&mut frac, unit + minor % unit);
        s.push_str(frac.get(1..).unwrap_or(""));
        s
    }
}

/// The gateway's numeric ISO 4217 code for `code`, numeric or alphabetic: a known currency's, or any other three
/// digits as given (the gateway knows more currencies than this table). None for anything else.
pub fn gateway_currency(code: &str) -> Option<&str> {
    let code = code.trim();
    match Currency::find(code) {
        Some(c) => Some(c.numeric),
        None => (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code),
    }
}

/// A positive whole number of minor units, from a JS number.
pub fn minor_units(v: f64) -> Result<u64, ErrorCode> {
    if (1.0..=9_007_199_254_740_991.0).contains(&v) && v == (v as u64) as f64 {
        Ok(v as u64)
    } else {
        Err(ErrorCode::InvalidAmount)
    }
}

/// What both wallet request builders take.
#[derive(Clone, Debug, Default)]
pub struct WalletRequestInput {
    /// Minor units.
    pub amount: f64,
    /// ISO 4217, numeric ("398") or alphabetic ("KZT").
    pub currency: String,
    /// ISO 3166 alpha-2, e.g. "KZ".
    pub country: String,
    /// The shop's name / the total's label.
    pub label: String,
    /// Google Pay: the gateway id the bank gives (bank-specific).
    pub gateway: Option<String>,
    /// Google Pay: the merchant's gateway login.
    pub gateway_merchant_id: Option<String>,
    pub google_merchant_id: Option<String>,
    pub networks: Option<Vec<String>>,
}

fn country(c: &str) -> Result<String, ErrorCode> {
    let c = c.trim();
    if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(c.to_ascii_uppercase())
    } else {
        Err(ErrorCode::InvalidOption)
    }
}

impl WalletRequestInput {
    fn common(&self) -> Result<(Currency, u64, String, String), ErrorCode> {
        let amount = minor_units(self.amount)?;
        let currency = Currency::find(&self.currency).ok_or(ErrorCode::InvalidOption)?;
        let label = self.label.trim();
        if label.is_empty() {
            return Err(ErrorCode::InvalidOption);
        }
        Ok((currency, amount, country(&self.country)?, label.to_owned()))
    }

    /// Reads the merchant's input object (amount, currency, country, label, gateway, gatewayMerchantId,
    /// googleMerchantId, networks). Missing fields take their defaults; wrong types are refused.
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        if !f.is_object() {
            return Err(Bad);
        }
        let networks = fields::list(f, "networks", |v: &F| v.text().ok_or(Bad))?;
        Ok(WalletRequestInput {
            amount: fields::number(f, "amount")?.unwrap_or(0.0),
            currency: fields::string(f, "currency")?.unwrap_or_default(),
            country: fields::string(f, "country")?.unwrap_or_default(),
            label: fields::string(f, "label")?.unwrap_or_default(),
            gateway: fields::string(f, "gateway")?,
            gateway_merchant_id: fields::string(f, "gatewayMerchantId")?,
            google_merchant_id: fields::string(f, "googleMerchantId")?,
            networks,
        })
    }

    /// Google Pay's PaymentDataRequest for this gateway (tokenizationSpecification PAYMENT_GATEWAY).
    pub fn google_pay(&self) -> Result<Value, ErrorCode> {
        let (currency, amount, country, label) = self.common()?;
        let gateway = self
            .gateway
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .ok_or(ErrorCode::InvalidOption)?;
        let merchant = self
            .gateway_merchant_id
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .ok_or(ErrorCode::InvalidOption)?;
        let networks: Vec<String> = match &self.networks {
            Some(n) => n.iter().map(|n| n.to_ascii_uppercase()).collect(),
            None => vec!["VISA".into(), "MASTERCARD".into()],
        };
        let method = Obj::new()
            .str("type", "CARD")
            .put(
                "parameters",
                Obj::new()
                    .put(
                        "allowedAuthMethods",
                        vec![String::from("PAN_ONLY"), String::from("CRYPTOGRAM_3DS")],
                    )
                    .put("allowedCardNetworks", networks),
            )
            .put(
                "tokenizationSpecification",
                Obj::new().str("type", "PAYMENT_GATEWAY").put(
                    "parameters",
                    Obj::new()
                        .str("gateway", gateway)
                        .str("gatewayMerchantId", merchant),
                ),
            );
        Ok(Obj::new()
            .int("apiVersion", 2)
            .int("apiVersionMinor", 0)
            .put("allowedPaymentMethods", Value::List(vec![method.into()]))
            .put(
                "merchantInfo",
                Obj::new()
                    .opt_str("merchantId", self.google_merchant_id.as_deref())
                    .str("merchantName", label.as_str()),
            )
            .put(
                "transactionInfo",
                Obj::new()
                    .str("totalPriceStatus", "FINAL")
                    .str("totalPrice", currency.decimal(amount))
                    .str("totalPriceLabel", label)
                    .str("currencyCode", currency.alpha)
                    .str("countryCode", country),
            )
            .into())
    }

    /// Apple Pay's ApplePayPaymentRequest.
    pub fn apple_pay(&self) -> Result<Value, ErrorCode> {
        let (currency, amount, country, label) = self.common()?;
        let networks = self
            .networks
            .clone()
            .unwrap_or_else(|| vec!["visa".into(), "masterCard".into()]);
        Ok(Obj::new()
            .str("countryCode", country)
            .str("currencyCode", currency.alpha)
            .put("supportedNetworks", networks)
            .put("merchantCapabilities", vec![String::from("supports3DS")])
            .put(
                "total",
                Obj::new()
                    .str("label", label)
                    .str("amount", currency.decimal(amount))
                    .str("type", "final"),
            )
            .into())
    }
}

/// `error` of a wallet answer.
#[derive(Clone, Debug, Default)]
pub struct WalletError {
    pub code: Option<NumOrStr>,
    pub message: Option<String>,
    /// Technical text for the merchant's logs; never shown to the shopper.
    pub description: Option<String>,
}

/// A flag the seed types as String ("success String … true / false") while its examples send a JSON
/// boolean: both are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

impl Flag {
    pub fn is_true(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Text(t) => t.trim().eq_ignore_ascii_case("true"),
        }
    }
}

/// `{success, data, error, orderStatus}`.
#[derive(Clone, Debug, Default)]
pub struct WalletAnswer {
    pub success: Option<Flag>,
    /// The orderId and, when 3DS is needed, the same fields as paymentorder.do's answer.
    pub data: Option<GatewayAnswer>,
    /// `orderId`.
    pub order_id_top: Option<String>,
    pub error: Option<WalletError>,
    /// `orderStatus`.
    pub order_status: Option<GatewayAnswer>,
}

impl WalletError {
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        Ok(WalletError {
            code: NumOrStr::read(f, "code")?,
            message: fields::string(f, "message")?,
            description: fields::string(f, "description")?,
        })
    }
}

impl WalletAnswer {
    /// Reads a payment.do answer (serde's rules, as `GatewayAnswer::read`).
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        if !f.is_object() {
            return Err(Bad);
        }
        let success = match f.get("success") {
            None => None,
            Some(v) => Some(match (v.flag(), v.text()) {
                (Some(b), _) => Flag::Bool(b),
                (None, Some(t)) => Flag::Text(t),
                (None, None) => return Err(Bad),
            }),
        };
        Ok(WalletAnswer {
            success,
            data: fields::object(f, "data", GatewayAnswer::read)?,
            order_id_top: fields::string(f, "orderId")?,
            error: fields::object(f, "error", WalletError::read)?,
            order_status: fields::object(f, "orderStatus", GatewayAnswer::read)?,
        })
    }

    /// Reads an answer from JSON text (unit tests).
    #[cfg(test)]
    pub fn parse(json: &str) -> Result<Self, Bad> {
        Self::read(&serde_json::from_str::<serde_json::Value>(json).map_err(|_| Bad)?)
    }
}

/// What to do with a wallet answer.
#[derive(Debug)]
pub enum WalletNext {
    /// Go on with the card flow from this payment answer (3DS or status) for this order.
    Flow {
        order_id: String,
        /// The payment answer (`data`); None when there was none (no 3DS asked for: the status decides).
        answer: Option<Box<GatewayAnswer>>,
    },
    /// A decline the gateway already reported with the order's status.
    Declined(Box<Outcome>),
    Fail(CheckoutError),
}

impl WalletAnswer {
    pub fn next(self, lang: Language) -> WalletNext {
        // A decline carries no `data`; its order is named in `orderStatus` (attributes' mdOrder).
        let order_id = self
            .data
            .as_ref()
            .and_then(GatewayAnswer::order_id)
            .or(self.order_id_top.as_deref())
            .or_else(|| self.order_status.as_ref().and_then(GatewayAnswer::order_id))
            .filter(|o| crate::flow::valid_id(o))
            .map(str::to_owned);
        if self.success.as_ref().is_some_and(Flag::is_true) {
            return match order_id {
                // Without `data` no 3DS is asked for: the order's status says the rest.
                Some(order_id) => WalletNext::Flow {
                    order_id,
                    answer: self.data.map(Box::new),
                },
                // The gateway says it succeeded but names no order: the payment may be made, so never
                // invite a second one.
                None => WalletNext::Fail(
                    CheckoutError::new(ErrorCode::StatusUnknown, lang).with_detail("data.orderId"),
                ),
            };
        }
        let err = self.error.unwrap_or_default();
        let code = err.code.as_ref().map(NumOrStr::text);
        let message = err.message.as_deref();
        // Insufficient funds (1) is a decline, with the order's status when the gateway sent it.
        if code.as_deref() == Some("1") {
            let status = self.order_status.as_ref().and_then(|s| {
                Outcome::from_status(order_id.as_deref().unwrap_or(""), s, AttemptEnd::Failed)
            });
            if let Some(mut o) = status {
                if o.reason.is_none() {
                    o.reason = message.map(str::to_owned);
                }
                return WalletNext::Declined(Box::new(o));
            }
        }
        // Code 10 covers the token, the order number, the merchant and the ip alike: the gateway's message
        // (shown as is) says which; the module's own invalid_wallet_token is for tokens it refuses itself.
        let kind = match code.as_deref() {
            Some(c) if classify_gateway_error(c, message) == ErrorCode::AccessDenied => {
                ErrorCode::AccessDenied
            }
            _ => ErrorCode::WalletError,
        };
        WalletNext::Fail(CheckoutError::from_gateway(kind, lang, code, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> WalletRequestInput {
        WalletRequestInput {
            amount: 150050.0,
            currency: "398".into(),
            country: "kz".into(),
            label: "Demo shop".into(),
            gateway: Some("sandboxbank".into()),
            gateway_merchant_id: Some("test_user".into()),
            ..Default::default()
        }
    }

    #[test]
    fn amounts_and_currencies() {
        assert_eq!(Currency::find("KZT").unwrap().decimal(150050), "1500.50");
        assert_eq!(Currency::find("398").unwrap().decimal(5), "0.05");
        assert_eq!(Currency::find("jpy").unwrap().decimal(500), "500");
        assert_eq!(Currency::find("414").unwrap().decimal(1234), "1.234");
        assert_eq!(Currency::find("XXX"), None);
        assert_eq!(minor_units(100.0), Ok(100));
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(minor_units(bad), Err(ErrorCode::InvalidAmount));
        }
    }

    #[test]
    fn gateway_currency_is_numeric_or_nothing() {
        assert_eq!(gateway_currency("KZT"), Some("398"));
        assert_eq!(gateway_currency(" kzt "), Some("398"));
        assert_eq!(gateway_currency("398"), Some("398"));
        // Three digits the table lacks go as given: the gateway knows more currencies.
        assert_eq!(gateway_currency("944"), Some("944"));
        for bad in ["", "XYZ", "3980", "39", "39a", "₸"] {
            assert_eq!(gateway_currency(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn google_pay_request_uses_the_payment_gateway_tokenization() {
        let v: serde_json::Value =
            serde_json::from_str(&input().google_pay().unwrap().to_json()).unwrap();
        let m = &v["allowedPaymentMethods"][0];
        assert_eq!(m["tokenizationSpecification"]["type"], "PAYMENT_GATEWAY");
        assert_eq!(
            m["tokenizationSpecification"]["parameters"]["gatewayMerchantId"],
            "test_user"
        );
        assert_eq!(v["transactionInfo"]["totalPrice"], "1500.50");
        assert_eq!(v["transactionInfo"]["currencyCode"], "KZT");
        assert_eq!(v["transactionInfo"]["countryCode"], "KZ");
        assert_eq!(v["apiVersion"], 2);
        let mut i = input();
        i.gateway = None;
        assert_eq!(i.google_pay().err(), Some(ErrorCode::InvalidOption));
    }

    #[test]
    fn apple_pay_request() {
        let v: serde_json::Value =
            serde_json::from_str(&input().apple_pay().unwrap().to_json()).unwrap();
        assert_eq!(v["total"]["amount"], "1500.50");
        assert_eq!(v["currencyCode"], "KZT");
        assert_eq!(v["merchantCapabilities"][0], "supports3DS");
        let mut i = input();
        i.amount = 0.5;
        assert_eq!(i.apple_pay().err(), Some(ErrorCode::InvalidAmount));
    }

    #[test]
    fn answers_map_to_flow_decline_or_error() {
        let parse = |s: &str| WalletAnswer::parse(s).unwrap().next(Language::En);
        match parse(
            r#"{"success":true,"data":{"orderId":"o-1","acsUrl":"https://acs/x","paReq":"p","termUrl":"https://gw/t"},"orderStatus":{"orderStatus":0}}"#,
        ) {
            WalletNext::Flow { order_id, answer } => {
                assert_eq!(order_id, "o-1");
                assert_eq!(answer.unwrap().pa_req.as_deref(), Some("p"));
            }
            other => panic!("{other:?}"),
        }
        match parse(
            r#"{"success":false,"error":{"code":1,"message":"Insufficient funds","description":"Processing Error"},"orderStatus":{"orderStatus":6,"actionCode":116,"attributes":[{"name":"mdOrder","value":"o-9"}]}}"#,
        ) {
            WalletNext::Declined(o) => {
                assert_eq!(o.order_id, "o-9", "the decline names its order");
                assert_eq!(o.order_status, Some(6));
                assert_eq!(o.reason.as_deref(), Some("Insufficient funds"));
            }
            other => panic!("{other:?}"),
        }
        match parse(
            r#"{"success":false,"error":{"code":10,"message":"Invalid paymentToken","description":"secret internals"}}"#,
        ) {
            WalletNext::Fail(e) => {
                assert_eq!(e.code, ErrorCode::WalletError);
                assert_eq!(e.gateway_code.as_deref(), Some("10"));
                assert_eq!(
                    e.message, "Invalid paymentToken",
                    "the shopper sees message, never description"
                );
            }
            other => panic!("{other:?}"),
        }
        match parse(r#"{"success":false,"error":{"code":5,"message":"Access denied"}}"#) {
            WalletNext::Fail(e) => assert_eq!(e.code, ErrorCode::AccessDenied),
            other => panic!("{other:?}"),
        }
        match parse(r#"{"success":true,"orderId":"o-2"}"#) {
            WalletNext::Flow { order_id, answer } => {
                assert_eq!(
                    order_id, "o-2",
                    "a success without data still names its order"
                );
                assert!(answer.is_none());
            }
            other => panic!("{other:?}"),
        }
        match parse(r#"{"success":true}"#) {
            WalletNext::Fail(e) => {
                assert_eq!(e.code, ErrorCode::StatusUnknown);
                assert!(!e.retryable());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn token_is_standard_base64_of_the_json() {
        assert_eq!(encode_token("{\"a\":1}"), "eyJhIjoxfQ==");
    }

    /// Seed 003, applepay/google payment.do answers: "success String Сұраудың сәтті өңделгенін көрсетеді …
    /// true - сұрау сәтті өңделді; false - сұрау өтпеді", while its examples send `"success": true`.
    #[test]
    fn success_is_read_as_the_seeds_string_or_its_examples_boolean() {
        for body in [
            r#"{"success":"true","data":{"orderId":"o-1"}}"#,
            r#"{"success":true,"data":{"orderId":"o-1"}}"#,
        ] {
            let a = WalletAnswer::parse(body).unwrap();
            assert!(
                matches!(a.next(Language::En), WalletNext::Flow { .. }),
                "{body}"
            );
        }
        let a = WalletAnswer::parse(r#"{"success":"false","error":{"code":"10","message":"m"}}"#)
            .unwrap();
        assert!(matches!(a.next(Language::En), WalletNext::Fail(_)));
    }
}
