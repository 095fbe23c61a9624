//! register.do / registerPreAuth.do. Errors answer errorCode as a string, as the seeds show
//! (`{"errorCode": "12", "errorMessage": "Empty amount"}`).

use axum::response::Response;
use serde_json::{json, Value};

use super::{check_auth, AuthFail, Cx};
use crate::http::{ok_json, tag};
use crate::i18n::{Lang, Msg};
use crate::store::Order;
use crate::time::{now_ms, parse_datetime_ms};
use crate::MERCHANT_LOGIN;

/// ISO 4217 numeric codes the sandbox accepts.
pub const CURRENCIES: &[&str] = &[
    "398", "643", "840", "978", "933", "860", "417", "972", "934", "944", "051", "981", "156",
    "826", "949", "756",
];
pub const DEFAULT_CURRENCY: &str = "398";
const FEATURES: &[&str] = &[
    "AUTO_PAYMENT",
    "VERIFY",
    "FORCE_TDS",
    "FORCE_SSL",
    "FORCE_FULL_TDS",
    "FORCE_CREATE_BINDING",
];

pub fn valid_order_number(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

pub fn valid_language(s: &str) -> bool {
    s.len() == 2 && s.chars().all(|c| c.is_ascii_lowercase())
}

/// jsonParams: a JSON object of scalar values → (name, value) pairs.
fn parse_json_params(s: &str) -> Option<Vec<(String, String)>> {
    let v: Value = serde_json::from_str(s).ok()?;
    let mut out = Vec::new();
    for (k, v) in v.as_object()? {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        out.push((k.clone(), s));
    }
    Some(out)
}

pub fn register(cx: &Cx, two_stage: bool) -> Response {
    let i = cx.input;
    let e = |code: u32, m: Msg| cx.err_str(code, m);
    match check_auth(cx) {
        Ok(()) => {}
        Err(AuthFail::Denied) => return e(5, Msg::AccessDenied),
        Err(AuthFail::EmptyLogin) => return e(4, Msg::EmptyLogin),
        Err(AuthFail::EmptyPassword) => return e(4, Msg::EmptyPassword),
    }
    if let Some(l) = i.get("language") {
        if !valid_language(l) {
            return e(5, Msg::InvalidLanguage);
        }
    }
    if let Some(m) = i.get("merchantLogin") {
        if m != MERCHANT_LOGIN {
            return e(5, Msg::InvalidMerchantLogin);
        }
    }
    let number = match i.get("orderNumber") {
        None => None,
        Some(s) if s.trim().is_empty() => return e(4, Msg::EmptyOrderNumber),
        Some(s) if !valid_order_number(s) => return e(1, Msg::OrderNumberInvalid),
        Some(s) => Some(s.to_string()),
    };
    let amount = match i.get("amount") {
        None => return e(4, Msg::AmountNotSpecified),
        Some(s) if s.trim().is_empty() => return e(12, Msg::EmptyAmount),
        Some(s) => match s.trim().parse::<u64>() {
            Ok(a) => a,
            Err(_) => return e(5, Msg::InvalidAmount),
        },
    };
    let mut features = Vec::new();
    for f in i
        .get("features")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        if !FEATURES.contains(&f) {
            return e(14, Msg::InvalidFeatures);
        }
        features.push(f.to_string());
    }
    // VERIFY (seeds 003, 004): the card is checked, with 3DS where it has it, and nothing is taken; its amount may
    // be 0, the only order that may.
    if amount == 0 && !features.iter().any(|f| f == "VERIFY") {
        return e(5, Msg::InvalidAmount);
    }
    let currency = match i.non_empty("currency") {
        None => crate::rest::register::DEFAULT_CURRENCY.to_string(),
        Some(c) if CURRENCIES.contains(&c) => c.to_string(),
        Some(_) => return e(3, Msg::UnknownCurrency),
    };
    let Some(return_url) = i.non_empty("returnUrl") else {
        return e(4, Msg::ReturnUrlEmpty);
    };
    let params = match i.get("jsonParams") {
        None => Vec::new(),
        Some(s) => match parse_json_params(s) {
            Some(p) => p,
            None => return e(5, Msg::InvalidJsonParams),
        },
    };
    let now = now_ms();
    let expires = match i.non_empty("expirationDate") {
        Some(d) => match parse_datetime_ms(d) {
            Some(ms) => ms,
            None => return e(5, Msg::SystemError),
        },
        None => {
            let secs = i
                .non_empty("sessionTimeoutSecs")
                .and_then(|s| s.parse::<u64>().ok())
                .filter(|s| *s > 0)
                .unwrap_or(1200);
            now + secs * 1000
        }
    };
    let id = uuid::Uuid::new_v4().to_string();
    let mut st = cx.app.lock();
    let number = match number {
        Some(n) if st.numbers.contains_key(&n) => return e(1, Msg::OrderNumberUsed),
        Some(n) => n,
        None => st.new_number(),
    };
    let mut o = Order::new(id.clone(), number, amount, currency, return_url.to_string());
    o.two_stage = two_stage;
    o.fail_url = i.non_empty("failUrl").map(str::to_string);
    o.description = i.get("description").unwrap_or("").to_string();
    o.language = Lang::parse(i.get("language"));
    o.client_id = i.non_empty("clientId").map(str::to_string);
    o.callback_url = i.non_empty("dynamicCallbackUrl").map(str::to_string);
    o.email = i.non_empty("email").map(str::to_string);
    o.phone = i.non_empty("phone").map(str::to_string);
    o.params = params;
    o.features = features;
    o.expires_ms = expires;
    st.insert_order(o);
    drop(st);
    let form_url = format!(
        "{}/payment/merchants/rbs/payment_{}.html?mdOrder={id}",
        cx.base(),
        cx.lang.code()
    );
    tag(ok_json(json!({ "orderId": id, "formUrl": form_url })), &id)
}
