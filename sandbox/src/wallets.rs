//! Apple Pay / Google Pay: `POST /payment/applepay/payment.do`, `POST /payment/google/payment.do`
//! (JSON in). The sandbox "decrypts" its own sample tokens (README.md): the Base64 paymentToken is
//! JSON whose `data` (Apple Pay) or `signedMessage` (Google Pay) selects the outcome.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use crate::cards::Flow;
use crate::http::{b64_any, ok_json, tag, Input};
use crate::i18n::Lang;
use crate::rest::payment::begin;
use crate::rest::register::{valid_order_number, CURRENCIES};
use crate::rest::status_json;
use crate::store::{CardInfo, Order};
use crate::time::current_year_month;
use crate::{AppState, MERCHANT_LOGIN};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wallet {
    Apple,
    Google,
}

#[derive(Clone, Copy)]
enum WErr {
    BadRequest,
    Merchant,
    OrderNumber,
    OrderNumberUsed,
    Ip,
    Amount,
    ReturnUrl,
    Token,
    Decrypt,
    NoKey,
    AccessDenied,
    Funds,
}

fn werr(lang: Lang, e: WErr) -> Value {
    let (code, en, ru) = match e {
        WErr::BadRequest => (10, "Invalid request", "Неверный запрос"),
        WErr::Merchant => (
            10,
            "Invalid value of the merchant parameter",
            "Неверное значение параметра merchant",
        ),
        WErr::OrderNumber => (
            10,
            "Invalid value of the orderNumber parameter",
            "Неверное значение параметра orderNumber",
        ),
        WErr::OrderNumberUsed => (
            10,
            "Invalid value of the orderNumber parameter: the order number is already used",
            "Неверное значение параметра orderNumber: номер заказа уже использован",
        ),
        WErr::Ip => (
            10,
            "Invalid value of the ip parameter",
            "Неверное значение параметра ip",
        ),
        WErr::Amount => (
            10,
            "Invalid value of the amount parameter",
            "Неверное значение параметра amount",
        ),
        WErr::ReturnUrl => (
            10,
            "Invalid value of the returnUrl parameter",
            "Неверное значение параметра returnUrl",
        ),
        WErr::Token => (
            10,
            "Invalid value of the paymentToken parameter",
            "Неверное значение параметра paymentToken",
        ),
        WErr::Decrypt => (
            10,
            "Decryption of the transferred data failed",
            "Не удалось расшифровать переданные данные",
        ),
        WErr::NoKey => (
            10,
            "The merchant has no private key",
            "У продавца нет закрытого ключа",
        ),
        WErr::AccessDenied => (5, "Access denied", "Доступ запрещён"),
        WErr::Funds => (
            1,
            "The funds on the card are not sufficient",
            "Недостаточно средств на карте",
        ),
    };
    let message = if lang == Lang::En { en } else { ru };
    json!({ "success": false, "error": { "code": code, "description": "Processing Error", "message": message } })
}

pub async fn apple_pay(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    pay(&app, &input, Wallet::Apple)
}

pub async fn google_pay(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    pay(&app, &input, Wallet::Google)
}

fn str_or_num(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn positive_int(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|a| *a > 0)
}

fn pay(app: &AppState, input: &Input, wallet: Wallet) -> Response {
    let body = input.json.as_ref().and_then(Value::as_object);
    let lang = Lang::parse(body.and_then(|b| b.get("language")).and_then(Value::as_str));
    let fail = |e: WErr| ok_json(werr(lang, e));
    let Some(b) = body else {
        return fail(WErr::BadRequest);
    };
    let merchant = b.get("merchant").and_then(Value::as_str).unwrap_or("");
    if merchant.trim().is_empty() {
        return fail(WErr::Merchant);
    }
    if merchant != MERCHANT_LOGIN && merchant != "sandbox_merchant" {
        return fail(WErr::AccessDenied);
    }
    let number = b
        .get("orderNumber")
        .and_then(str_or_num)
        .unwrap_or_default();
    if !valid_order_number(&number) {
        return fail(WErr::OrderNumber);
    }
    // Seed 003, google/payment.do: "ip … Иә" (required); Apple Pay's table has no ip: checked when sent.
    let ip = b.get("ip").and_then(Value::as_str);
    match ip {
        Some(ip) if ip.parse::<std::net::IpAddr>().is_err() => return fail(WErr::Ip),
        None if wallet == Wallet::Google => return fail(WErr::Ip),
        _ => {}
    }
    let return_url = b
        .get("returnUrl")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if wallet == Wallet::Google && return_url.is_none_or(|u| !crate::html::is_http_url(u)) {
        return fail(WErr::ReturnUrl);
    }
    let google_amount = b.get("amount").and_then(positive_int);
    if wallet == Wallet::Google && google_amount.is_none() {
        return fail(WErr::Amount);
    }
    let Some(token) = b
        .get("paymentToken")
        .and_then(Value::as_str)
        .and_then(b64_any)
        .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok())
        .filter(Value::is_object)
    else {
        return fail(WErr::Token);
    };
    let (payload, version) = match wallet {
        Wallet::Apple => (token.get("data"), token.get("version")),
        Wallet::Google => (token.get("signedMessage"), token.get("protocolVersion")),
    };
    let (Some(payload), Some(version)) = (
        payload.and_then(Value::as_str),
        version.and_then(Value::as_str),
    ) else {
        return fail(WErr::Decrypt);
    };
    let known_version = match wallet {
        Wallet::Apple => version == "EC_v1",
        Wallet::Google => version == "ECv1" || version == "ECv2",
    };
    if !known_version {
        return fail(WErr::NoKey);
    }
    let flow = match payload {
        "sandbox:approve" => Flow::NoTds,
        "sandbox:insufficient-funds" => Flow::InsufficientFunds,
        "sandbox:3ds1" => Flow::Tds1,
        "sandbox:3ds2" => Flow::Challenge,
        _ => return fail(WErr::Decrypt),
    };
    let amount = google_amount
        .or_else(|| token.get("transactionAmount").and_then(positive_int))
        .unwrap_or(1000);
    // Seed 003 says 643 by default for Google Pay's currencyCode only ("Көрсетілмеген жағдайда, 643 (Ресей
    // рублі) болып есептеледі"); an Apple Pay order takes the currency of its decrypted token, and without one
    // the merchant's own currency (the demo merchant's is 398, like register.do's default here).
    let default_currency = match wallet {
        Wallet::Google => "643",
        Wallet::Apple => "398",
    };
    let currency = b
        .get("currencyCode")
        .or_else(|| token.get("currencyCode"))
        .and_then(str_or_num)
        .filter(|c| CURRENCIES.contains(&c.as_str()))
        .unwrap_or_else(|| default_currency.to_string());
    let pre_auth = matches!(b.get("preAuth"), Some(Value::Bool(true)))
        || b.get("preAuth").and_then(Value::as_str) == Some("true");

    let id = uuid::Uuid::new_v4().to_string();
    let base = input.base();
    let mut st = app.lock();
    if st.numbers.contains_key(&number) {
        return fail(WErr::OrderNumberUsed);
    }
    let mut o = Order::new(
        id.clone(),
        number,
        amount,
        currency,
        return_url.unwrap_or("finish.html").to_string(),
    );
    o.two_stage = pre_auth;
    o.fail_url = b
        .get("failUrl")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    o.description = b
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    o.language = lang;
    o.client_id = b.get("clientId").and_then(str_or_num);
    o.email = b.get("email").and_then(Value::as_str).map(str::to_string);
    o.phone = b.get("phone").and_then(str_or_num);
    o.ip = ip.map(str::to_string);
    if let Some(Value::Object(extra)) = b.get("additionalParameters") {
        o.params = extra
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), str_or_num(v)?)))
            .collect();
    }
    o.payment_way = if wallet == Wallet::Apple {
        "APPLE_PAY"
    } else {
        "GOOGLE_PAY"
    };
    let (y, _) = current_year_month();
    o.card = Some(CardInfo {
        masked_pan: "520424**0010".into(),
        expiration: format!("{}12", y + 3),
        holder: "CARD HOLDER".into(),
        approval_code: None,
    });
    st.insert_order(o);
    let answer = begin(&mut st, &input.host, &base, lang, &id, flow, &input.path);
    let status = st
        .order(&id)
        .map(|o| status_json(o, lang))
        .unwrap_or(Value::Null);
    drop(st);
    let out = match flow {
        Flow::InsufficientFunds => {
            let mut v = werr(lang, WErr::Funds);
            v["orderStatus"] = status;
            v
        }
        _ => {
            let mut data = json!({ "orderId": id });
            for k in [
                "acsUrl",
                "paReq",
                "termUrl",
                "is3DSVer2",
                "threeDSServerTransId",
                "threeDSMethodURLServer",
                "threeDSMethodURL",
                "threeDSMethodDataPacked",
            ] {
                if let Some(v) = answer.get(k) {
                    data[k] = v.clone();
                }
            }
            json!({ "success": true, "data": data, "orderStatus": status })
        }
    };
    tag(ok_json(out), &id)
}
