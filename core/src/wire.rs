//! The gateway's answers as they arrive, quirks included: errorCode as a number or a string or absent,
//! flags as booleans or strings. One permissive shape covers every REST answer the flow reads.

use crate::fields::{self, Bad, Fields};
use crate::json::int_text;
use crate::prelude::*;

/// A JSON value that should be a code or a number but may arrive as either.
#[derive(Clone, Debug, PartialEq)]
pub enum NumOrStr {
    Num(f64),
    Str(String),
}

impl NumOrStr {
    /// The value as text: 5 → "5", "5" → "5".
    pub fn text(&self) -> String {
        match self {
            NumOrStr::Num(n) => num_text(*n),
            NumOrStr::Str(s) => s.trim().to_owned(),
        }
    }
    /// The value as an integer, when it is one JavaScript can hold exactly (|n| ≤ 2^53 − 1).
    pub fn int(&self) -> Option<i64> {
        const MAX_SAFE: i64 = (1 << 53) - 1;
        let n = match self {
            NumOrStr::Num(n) if n.abs() <= MAX_SAFE as f64 && *n == (*n as i64) as f64 => *n as i64,
            NumOrStr::Num(_) => return None,
            NumOrStr::Str(s) => {
                let s = s.trim();
                let (negative, digits) = match s.as_bytes().first() {
                    Some(b'-') => (true, s.get(1..)?),
                    Some(b'+') => (false, s.get(1..)?),
                    _ => (false, s),
                };
                let n = i64::try_from(crate::text::parse_u64(digits)?).ok()?;
                if negative {
                    -n
                } else {
                    n
                }
            }
        };
        (-MAX_SAFE..=MAX_SAFE).contains(&n).then_some(n)
    }
}

/// A number as text without float formatting: whole numbers exactly, others to six decimals at most (the
/// gateway's codes and numbers are whole; a fraction is only ever echoed into an error's gatewayCode).
fn num_text(n: f64) -> String {
    if !n.is_finite() {
        return String::from("NaN");
    }
    if n.abs() < 1e15 && n == (n as i64) as f64 {
        return int_text(n as i64);
    }
    let scaled = (n.abs() * 1e6 + 0.5) as u64;
    let mut s = String::new();
    if n < 0.0 {
        s.push('-');
    }
    crate::json::push_uint(&mut s, scaled / 1_000_000);
    let mut frac = scaled % 1_000_000;
    if frac != 0 {
        s.push('.');
        let mut div = 100_000;
        while frac != 0 {
            s.push((b'0' + (frac / div) as u8) as char);
            frac %= div;
            div /= 10;
        }
    }
    s
}

impl NumOrStr {
    /// A number or a string; anything else is not of the protocol's shape.
    pub fn read<F: Fields>(f: &F, key: &str) -> Result<Option<NumOrStr>, Bad> {
        let Some(v) = f.get(key) else { return Ok(None) };
        if let Some(n) = v.number() {
            return Ok(Some(NumOrStr::Num(n)));
        }
        v.text().map(|s| Some(NumOrStr::Str(s))).ok_or(Bad)
    }
}

/// cardAuthInfo of getOrderStatusExtended.do: the masked card number the outcome shows. Its other fields are not
/// read: an unread field cannot make the answer unreadable (seed 003's tables type `expiration` an Integer, its
/// examples a string; a paid order must never turn status_unknown over a field nothing uses).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardAuthInfo {
    pub masked_pan: Option<String>,
}

/// paymentAmountInfo of getOrderStatusExtended.do: its paymentState (its amounts are not read).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaymentAmountInfo {
    pub payment_state: Option<String>,
}

/// Any REST answer of paymentorder.do, 3ds/continue.do, finish3dsVer2Payment.do, getOrderStatusExtended.do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GatewayAnswer {
    pub error_code: Option<NumOrStr>,
    pub error_message: Option<String>,
    /// continue.do's failure with errorCode 0.
    pub error: Option<String>,
    pub error_type_name: Option<String>,
    pub info: Option<String>,
    pub redirect: Option<String>,
    // 3DS1
    pub acs_url: Option<String>,
    pub pa_req: Option<String>,
    pub term_url: Option<String>,
    // 3DS2
    pub is_3ds_ver2: Option<bool>,
    pub three_ds_server_trans_id: Option<String>,
    pub three_ds_method_url_server: Option<String>,
    pub three_ds_method_url: Option<String>,
    pub three_ds_method_data_packed: Option<String>,
    pub packed_creq: Option<String>,
    /// Wallet answers carry the order's id in `data`.
    pub order_id: Option<String>,
    /// getOrderStatusExtended.do's `attributes`, where `mdOrder` is the order's id.
    pub attributes: Option<Vec<NameValue>>,
    // Status
    pub order_status: Option<NumOrStr>,
    pub action_code: Option<NumOrStr>,
    pub action_code_description: Option<String>,
    pub amount: Option<NumOrStr>,
    pub currency: Option<NumOrStr>,
    pub card_auth_info: Option<CardAuthInfo>,
    pub payment_amount_info: Option<PaymentAmountInfo>,
}

/// `{name, value}` pairs (attributes, merchantOrderParams).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameValue {
    pub name: Option<String>,
    pub value: Option<String>,
}

/// What an answer's error fields say.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerError {
    /// No error fields, or errorCode 0 without `error`.
    None,
    /// errorCode other than 0.
    Code {
        code: String,
        message: Option<String>,
    },
    /// errorCode 0 (or absent) but an `error` text: a failure all the same.
    ZeroWithError { message: String },
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CardAuthInfo {
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let v = CardAuthInfo {
            masked_pan: r.shown("maskedPan"),
        };
        r.finish(v)
    }
}

impl PaymentAmountInfo {
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let v = PaymentAmountInfo {
            payment_state: r.shown("paymentState"),
        };
        r.finish(v)
    }
}

impl NameValue {
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let v = NameValue {
            name: r.str("name"),
            value: r.str("value"),
        };
        r.finish(v)
    }
}

impl GatewayAnswer {
    /// Reads an answer object (serde's rules: absent or null fields are None, a field of the wrong type
    /// makes the answer unreadable, unknown fields are ignored).
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let a = GatewayAnswer {
            error_code: r.num_or_str("errorCode"),
            error_message: r.str("errorMessage"),
            error: r.str("error"),
            error_type_name: r.str("errorTypeName"),
            info: r.str("info"),
            redirect: r.str("redirect"),
            acs_url: r.str("acsUrl"),
            pa_req: r.str("paReq"),
            term_url: r.str("termUrl"),
            is_3ds_ver2: r.flag("is3DSVer2"),
            three_ds_server_trans_id: r.str("threeDSServerTransId"),
            three_ds_method_url_server: r.str("threeDSMethodURLServer"),
            three_ds_method_url: r.str("threeDSMethodURL"),
            three_ds_method_data_packed: r.str("threeDSMethodDataPacked"),
            packed_creq: r.str("packedCReq"),
            order_id: r.str("orderId"),
            attributes: r.list("attributes", NameValue::read),
            order_status: r.num_or_str("orderStatus"),
            action_code: r.num_or_str("actionCode"),
            action_code_description: r.shown("actionCodeDescription"),
            amount: r.num_or_str("amount"),
            currency: r.num_or_str("currency"),
            card_auth_info: r.obj("cardAuthInfo", CardAuthInfo::read),
            payment_amount_info: r.obj("paymentAmountInfo", PaymentAmountInfo::read),
        };
        r.finish(a)
    }

    /// Reads an answer from JSON text (tests and tools; the browser reads the parsed JS object).
    #[cfg(test)]
    pub fn parse(json: &str) -> Self {
        Self::read(&serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap()
    }

    pub fn error(&self) -> AnswerError {
        let code = self
            .error_code
            .as_ref()
            .map(NumOrStr::text)
            .unwrap_or_default();
        if !code.is_empty() && code != "0" {
            return AnswerError::Code {
                code,
                message: non_empty(&self.error_message).map(str::to_owned),
            };
        }
        match non_empty(&self.error).or(non_empty(&self.error_type_name)) {
            Some(m) => AnswerError::ZeroWithError {
                message: m.to_owned(),
            },
            None => AnswerError::None,
        }
    }

    /// The order's id, as `orderId` or as the `mdOrder` attribute of a status answer.
    pub fn order_id(&self) -> Option<&str> {
        non_empty(&self.order_id).or_else(|| {
            self.attributes
                .iter()
                .flatten()
                .find(|a| a.name.as_deref() == Some("mdOrder"))
                .and_then(|a| non_empty(&a.value))
        })
    }

    pub fn str_field(v: &Option<String>) -> Option<&str> {
        non_empty(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> GatewayAnswer {
        GatewayAnswer::parse(s)
    }

    #[test]
    fn error_code_as_string_number_or_absent() {
        assert_eq!(
            parse(r#"{"errorCode":"12","errorMessage":"Empty amount"}"#).error(),
            AnswerError::Code {
                code: "12".into(),
                message: Some("Empty amount".into())
            }
        );
        assert_eq!(
            parse(r#"{"errorCode":5}"#).error(),
            AnswerError::Code {
                code: "5".into(),
                message: None
            }
        );
        assert_eq!(
            parse(r#"{"errorCode":"0","redirect":"x"}"#).error(),
            AnswerError::None
        );
        assert_eq!(parse(r#"{"orderStatus":2}"#).error(), AnswerError::None);
    }

    #[test]
    fn fields_nothing_uses_are_not_read() {
        // Seed 003's tables: expiration Integer (YYYYMM); its examples: a string. Either way the status is read.
        let a = parse(
            r#"{"orderStatus":2,"orderNumber":1017,"cardAuthInfo":{"maskedPan":"444455**3333","expiration":202612,"approvalCode":123456}}"#,
        );
        assert_eq!(
            a.card_auth_info.and_then(|c| c.masked_pan).as_deref(),
            Some("444455**3333")
        );
        // Fields only shown: of another type they are absent, and the status still reads.
        let a = parse(
            r#"{"orderStatus":2,"actionCodeDescription":0,"cardAuthInfo":{"maskedPan":4444553333},"paymentAmountInfo":{"paymentState":1,"approvedAmount":{"v":1}}}"#,
        );
        assert_eq!(a.order_status.as_ref().and_then(NumOrStr::int), Some(2));
        assert_eq!(a.action_code_description, None);
        assert_eq!(a.card_auth_info.and_then(|c| c.masked_pan), None);
    }

    #[test]
    fn zero_with_error_is_a_failure() {
        let a = parse(
            r#"{"errorCode":0,"error":"3DS failed","errorTypeName":"TDS_UNKNOWN_ARES_STATUS"}"#,
        );
        assert_eq!(
            a.error(),
            AnswerError::ZeroWithError {
                message: "3DS failed".into()
            }
        );
        let a = parse(r#"{"errorCode":0,"errorTypeName":"TDS_UNKNOWN_ARES_STATUS"}"#);
        assert_eq!(
            a.error(),
            AnswerError::ZeroWithError {
                message: "TDS_UNKNOWN_ARES_STATUS".into()
            }
        );
    }

    #[test]
    fn seed_3ds2_answer_parses() {
        let a = parse(
            r#"{"errorCode": 0, "is3DSVer2": true, "threeDSServerTransId": "c300fd79",
            "threeDSMethodURL": "https://example.com/acs2/acs/3dsMethod",
            "threeDSMethodURLServer": "example.com/3dsserver/api/v1/client/gather?threeDSServerTransID=c300fd79",
            "threeDSMethodDataPacked": "eyJ0"}"#,
        );
        assert_eq!(a.is_3ds_ver2, Some(true));
        assert_eq!(a.three_ds_server_trans_id.as_deref(), Some("c300fd79"));
        let a =
            parse(r#"{"is3DSVer2":"true","orderStatus":"2","amount":2000,"unknownField":[1,2]}"#);
        assert_eq!(a.is_3ds_ver2, Some(true));
        assert_eq!(a.order_status.unwrap().int(), Some(2));
    }

    #[test]
    fn wrong_types_make_the_answer_unreadable() {
        let read =
            |s: &str| GatewayAnswer::read(&serde_json::from_str::<serde_json::Value>(s).unwrap());
        assert!(read(r#"{"errorMessage":5}"#).is_err());
        assert!(read(r#"{"errorCode":true}"#).is_err());
        assert!(read(r#"{"cardAuthInfo":"x"}"#).is_err());
        assert!(read(r#"{"attributes":{}}"#).is_err());
        assert!(read(r#"[1]"#).is_err());
        assert!(read(r#"{"errorMessage":null,"cardAuthInfo":null,"x":{"y":[]}}"#).is_ok());
        assert_eq!(NumOrStr::Num(5.5).text(), "5.5");
        assert_eq!(NumOrStr::Num(-0.25).text(), "-0.25");
        assert_eq!(NumOrStr::Num(12.0).text(), "12");
    }
}
