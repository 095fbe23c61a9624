//! `/payment/rest/<method>.do`: form-urlencoded in, JSON out.

pub mod manage;
pub mod payment;
pub mod register;
pub mod tds;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use crate::http::{json_response, ok_json, with_query, Input};
use crate::i18n::{t, Lang, Msg};
use crate::store::Order;
use crate::{AppState, MERCHANT_LOGIN, PASSWORD, USER_NAME};

/// A request in progress: the app, the parsed input and the answer language.
pub struct Cx<'a> {
    pub app: &'a AppState,
    pub input: &'a Input,
    pub lang: Lang,
}

impl Cx<'_> {
    pub fn new<'a>(app: &'a AppState, input: &'a Input) -> Cx<'a> {
        Cx {
            app,
            input,
            lang: Lang::parse(input.get("language").or(input.get("lang"))),
        }
    }

    pub fn msg(&self, m: Msg) -> &'static str {
        t(self.lang, m)
    }

    pub fn base(&self) -> String {
        self.input.base()
    }

    /// `{"errorCode": "N", "errorMessage": …}` (errorCode as a string, like register.do's).
    pub fn err_str(&self, code: u32, m: Msg) -> Response {
        ok_json(json!({ "errorCode": code.to_string(), "errorMessage": self.msg(m) }))
    }

    /// `{"errorCode": N, "errorMessage": …}`
    pub fn err_num(&self, code: u32, m: Msg) -> Response {
        ok_json(json!({ "errorCode": code, "errorMessage": self.msg(m) }))
    }

    /// `{"error": …, "errorCode": N, "errorMessage": …}` (paymentOrderBinding.do's error shape).
    pub fn err_full(&self, code: u32, m: Msg) -> Response {
        ok_json(json!({ "error": self.msg(m), "errorCode": code, "errorMessage": self.msg(m) }))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum AuthFail {
    Denied,
    EmptyLogin,
    EmptyPassword,
}

/// userName+password only: seed 003's deposit.do, reverse.do and refund.do list them and no token, which a page
/// carries (anybody reading it could move the money).
pub fn check_password(cx: &Cx) -> Result<(), AuthFail> {
    if cx.input.get("token").is_some() {
        return Err(AuthFail::Denied);
    }
    check_auth(cx)
}

/// userName+password or token — exactly one of the two.
pub fn check_auth(cx: &Cx) -> Result<(), AuthFail> {
    let i = cx.input;
    let token = i.get("token");
    let user = i.get("userName");
    let password = i.get("password").unwrap_or("");
    if let Some(token) = token {
        if user.is_some_and(|u| !u.is_empty()) || !password.is_empty() {
            return Err(AuthFail::Denied);
        }
        return if !token.is_empty() && token == cx.app.config.token {
            Ok(())
        } else {
            Err(AuthFail::Denied)
        };
    }
    match user {
        None => Err(AuthFail::Denied),
        Some("") => Err(AuthFail::EmptyLogin),
        Some(_) if password.is_empty() => Err(AuthFail::EmptyPassword),
        Some(u) if u == USER_NAME && password == PASSWORD => Ok(()),
        Some(_) => Err(AuthFail::Denied),
    }
}

/// An absolute URL for a merchant URL; relative ones (the seeds' `finish.html`) resolve under
/// the gateway's merchant pages, as the seeds' answers show.
pub fn resolve_url(base: &str, url: &str) -> String {
    let l = url.to_ascii_lowercase();
    if l.starts_with("http://") || l.starts_with("https://") {
        url.to_string()
    } else {
        format!(
            "{base}/payment/merchants/{MERCHANT_LOGIN}/{}",
            url.trim_start_matches('/')
        )
    }
}

/// Where the shopper goes after the payment: returnUrl, or failUrl (returnUrl when absent).
pub fn order_redirect(base: &str, o: &Order, success: bool, lang: Lang) -> String {
    let u = if success {
        &o.return_url
    } else {
        o.fail_url.as_ref().unwrap_or(&o.return_url)
    };
    with_query(
        &resolve_url(base, u),
        &[("orderId", &o.id), ("lang", lang.code())],
    )
}

/// `ANY /payment/rest/{method}`
pub async fn dispatch(
    State(app): State<AppState>,
    Path(method): Path<String>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let cx = Cx::new(&app, &input);
    if input.multipart || input.json.is_some() || input.bad_json {
        return ok_json(json!({ "errorCode": 7, "errorMessage": cx.msg(Msg::Multipart) }));
    }
    match method.as_str() {
        "register.do" => register::register(&cx, false),
        "registerPreAuth.do" => register::register(&cx, true),
        "paymentorder.do" | "paymentOrder.do" => payment::payment_order(&cx),
        "paymentOrderBinding.do" => payment::payment_order_binding(&cx),
        "3ds/continue.do" => tds::continue_do(&cx),
        "finish3dsVer2Payment.do" => tds::finish_ver2(&cx),
        "finish3ds.do" => tds::finish3ds(&cx),
        "acsRedirect.do" => tds::acs_redirect(&cx),
        "getOrderStatusExtended.do" => manage::status(&cx),
        "deposit.do" => manage::deposit(&cx),
        "reverse.do" => manage::reverse(&cx),
        "refund.do" => manage::refund(&cx),
        "getBindings.do" => manage::get_bindings(&cx),
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({ "errorCode": 7, "errorMessage": format!("{}: {method}", cx.msg(Msg::SystemError)) }),
        ),
    }
}

/// `ANY /payment/acsRedirect.do?orderId=…` (the seeds' simplified ACS redirect).
pub async fn acs_redirect_route(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    tds::acs_redirect(&Cx::new(&app, &input))
}

/// The getOrderStatusExtended.do body of an order (also the wallets' `orderStatus`).
pub fn status_json(o: &Order, lang: Lang) -> Value {
    let mut v = json!({
        "errorCode": "0",
        "errorMessage": t(lang, Msg::Success),
        "orderNumber": o.number,
        "orderStatus": o.status,
        "actionCode": o.action_code,
        "actionCodeDescription": t(lang, o.action_msg),
        "amount": o.amount,
        "currency": o.currency,
        "date": o.created_ms,
        "orderDescription": o.description,
        "merchantOrderParams": o.params.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
        "transactionAttributes": [],
        "attributes": [{ "name": "mdOrder", "value": o.id }],
        "paymentAmountInfo": {
            "paymentState": o.state,
            "approvedAmount": o.approved,
            "depositedAmount": o.deposited,
            "refundedAmount": o.refunded,
        },
        "bankInfo": { "bankCountryCode": "UNKNOWN", "bankCountryName": "&ltUnknown&gt" },
    });
    if let Some(ip) = &o.ip {
        v["ip"] = json!(ip);
    }
    if let Some(c) = &o.card {
        let mut card = json!({
            "maskedPan": c.masked_pan,
            "expiration": c.expiration,
            "cardholderName": c.holder,
            "approvalCode": c.approval_code.clone().unwrap_or_default(),
            "pan": c.masked_pan,
            "paymentSystem": crate::cards::payment_system(&c.masked_pan),
            "product": "",
        });
        if let Some(eci) = o.eci {
            card["secureAuthInfo"] = json!({ "eci": eci.parse::<u32>().unwrap_or(0) });
        }
        v["cardAuthInfo"] = card;
        v["paymentWay"] = json!(o.payment_way);
    }
    if let Some(client) = &o.client_id {
        let mut b = json!({ "clientId": client });
        if let Some(bid) = &o.binding_id {
            b["bindingId"] = json!(bid);
        }
        v["bindingInfo"] = b;
    }
    if let Some(ms) = o.auth_ms {
        v["authDateTime"] = json!(ms);
        v["terminalId"] = json!("12345678");
        v["authRefNum"] = json!(o.auth_ref.clone().unwrap_or_default());
    }
    v
}
