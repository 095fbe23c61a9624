//! The gateway's answers as they arrive, quirks included: errorCode as a number or a string or absent,
//! flags as booleans or strings. One permissive shape covers every REST answer the flow reads.

use serde::{Deserialize, Deserializer};

/// A JSON value that should be a code or a number but may arrive as either.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum NumOrStr {
    Num(f64),
    Str(String),
}

impl NumOrStr {
    /// The value as text: 5 → "5", "5" → "5".
    pub fn text(&self) -> String {
        match self {
            NumOrStr::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => (*n as i64).to_string(),
            NumOrStr::Num(n) => n.to_string(),
            NumOrStr::Str(s) => s.trim().to_owned(),
        }
    }
    /// The value as an integer, when it is one JavaScript can hold exactly (|n| ≤ 2^53 − 1).
    pub fn int(&self) -> Option<i64> {
        const MAX_SAFE: i64 = (1 << 53) - 1;
        let n = match self {
            NumOrStr::Num(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE as f64 => *n as i64,
            NumOrStr::Num(_) => return None,
            NumOrStr::Str(s) => s.trim().parse().ok()?,
        };
        (-MAX_SAFE..=MAX_SAFE).contains(&n).then_some(n)
    }
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        B(bool),
        S(String),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        Some(Flag::B(b)) => Some(b),
        Some(Flag::S(s)) => Some(s.eq_ignore_ascii_case("true")),
        None => None,
    })
}

/// cardAuthInfo of getOrderStatusExtended.do.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CardAuthInfo {
    pub masked_pan: Option<String>,
    pub expiration: Option<String>,
    pub cardholder_name: Option<String>,
    pub approval_code: Option<String>,
}

/// paymentAmountInfo of getOrderStatusExtended.do.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentAmountInfo {
    pub payment_state: Option<String>,
    pub approved_amount: Option<NumOrStr>,
    pub deposited_amount: Option<NumOrStr>,
    pub refunded_amount: Option<NumOrStr>,
}

/// Any REST answer of paymentorder.do, 3ds/continue.do, finish3dsVer2Payment.do, getOrderStatusExtended.do.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct GatewayAnswer {
    #[serde(rename = "errorCode")]
    pub error_code: Option<NumOrStr>,
    #[serde(rename = "errorMessage")]
    pub error_message: Option<String>,
    /// continue.do's failure with errorCode 0.
    pub error: Option<String>,
    #[serde(rename = "errorTypeName")]
    pub error_type_name: Option<String>,
    pub info: Option<String>,
    pub redirect: Option<String>,
    // 3DS1
    #[serde(rename = "acsUrl")]
    pub acs_url: Option<String>,
    #[serde(rename = "paReq")]
    pub pa_req: Option<String>,
    #[serde(rename = "termUrl")]
    pub term_url: Option<String>,
    // 3DS2
    #[serde(rename = "is3DSVer2", deserialize_with = "flag")]
    pub is_3ds_ver2: Option<bool>,
    #[serde(rename = "threeDSServerTransId")]
    pub three_ds_server_trans_id: Option<String>,
    #[serde(rename = "threeDSMethodURLServer")]
    pub three_ds_method_url_server: Option<String>,
    #[serde(rename = "threeDSMethodURL")]
    pub three_ds_method_url: Option<String>,
    #[serde(rename = "threeDSMethodDataPacked")]
    pub three_ds_method_data_packed: Option<String>,
    #[serde(rename = "packedCReq")]
    pub packed_creq: Option<String>,
    /// Wallet answers carry the order's id in `data`.
    #[serde(rename = "orderId")]
    pub order_id: Option<String>,
    /// getOrderStatusExtended.do's `attributes`, where `mdOrder` is the order's id.
    pub attributes: Option<Vec<NameValue>>,
    // Status
    #[serde(rename = "orderStatus")]
    pub order_status: Option<NumOrStr>,
    #[serde(rename = "orderNumber")]
    pub order_number: Option<String>,
    #[serde(rename = "actionCode")]
    pub action_code: Option<NumOrStr>,
    #[serde(rename = "actionCodeDescription")]
    pub action_code_description: Option<String>,
    pub amount: Option<NumOrStr>,
    pub currency: Option<NumOrStr>,
    #[serde(rename = "cardAuthInfo")]
    pub card_auth_info: Option<CardAuthInfo>,
    #[serde(rename = "paymentAmountInfo")]
    pub payment_amount_info: Option<PaymentAmountInfo>,
}

/// `{name, value}` pairs (attributes, merchantOrderParams).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
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

impl GatewayAnswer {
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
        serde_json::from_str(s).unwrap()
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
}
