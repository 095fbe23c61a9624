//! getOrderStatusExtended.do, deposit.do, reverse.do, refund.do, getBindings.do.

use axum::response::Response;
use serde_json::json;

use super::{check_auth, check_password, status_json, Cx};
use crate::http::{ok_json, tag};
use crate::i18n::Msg;
use crate::store::PaymentState;

fn success(cx: &Cx, id: &str) -> Response {
    tag(
        ok_json(json!({ "errorCode": 0, "errorMessage": cx.msg(Msg::Success) })),
        id,
    )
}

/// `getOrderStatusExtended.do` (orderId, or orderNumber; orderId wins).
pub fn status(cx: &Cx) -> Response {
    if check_auth(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let i = cx.input;
    let mut st = cx.app.lock();
    let id = match (i.non_empty("orderId"), i.non_empty("orderNumber")) {
        (Some(id), _) => id.to_string(),
        (None, Some(n)) => match st.order_id_by_number(n) {
            Some(id) => id,
            None => return cx.err_num(6, Msg::UnregisteredOrderId),
        },
        (None, None) => return cx.err_num(5, Msg::OrderIdEmpty),
    };
    let Some(o) = st.order(&id) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    tag(ok_json(status_json(o, cx.lang)), &id)
}

/// Parses an `amount` parameter: Ok(None) when absent, Err when not a non-negative integer.
fn amount_param(cx: &Cx) -> Result<Option<u64>, ()> {
    match cx.input.get("amount").map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<u64>().map(Some).map_err(|_| ()),
    }
}

/// `deposit.do`: completes a hold; amount 0 (or absent) = the whole held amount.
pub fn deposit(cx: &Cx) -> Response {
    if check_password(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let Some(id) = cx.input.non_empty("orderId").map(str::to_string) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    let Ok(amount) = amount_param(cx) else {
        return cx.err_num(5, Msg::InvalidAmount);
    };
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    let amount = amount.unwrap_or(0);
    if (1..100).contains(&amount) {
        return tag(cx.err_num(5, Msg::DepositTooSmall), &id);
    }
    if o.status != 1 {
        return tag(cx.err_num(7, Msg::WrongState), &id);
    }
    let amount = if amount == 0 { o.approved } else { amount };
    if amount > o.approved {
        return tag(cx.err_num(5, Msg::InvalidAmount), &id);
    }
    o.deposited = amount;
    o.status = 2;
    o.state = PaymentState::Deposited;
    st.push_callback(&id, "deposited", true);
    success(cx, &id)
}

/// `reverse.do`: cancels a hold (the whole amount only).
pub fn reverse(cx: &Cx) -> Response {
    if check_password(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let Some(id) = cx.input.non_empty("orderId").map(str::to_string) else {
        return cx.err_num(5, Msg::OrderIdEmpty);
    };
    let Ok(amount) = amount_param(cx) else {
        return cx.err_num(5, Msg::InvalidAmount);
    };
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    if o.status != 1 {
        return tag(cx.err_num(7, Msg::WrongState), &id);
    }
    if amount.is_some_and(|a| a != o.approved) {
        return tag(cx.err_num(5, Msg::InvalidAmount), &id);
    }
    o.status = 3;
    o.state = PaymentState::Reversed;
    st.push_callback(&id, "reversed", true);
    success(cx, &id)
}

/// `refund.do`: returns deposited money, several times, in total up to the deposited amount.
pub fn refund(cx: &Cx) -> Response {
    if check_password(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let Some(id) = cx.input.non_empty("orderId").map(str::to_string) else {
        return cx.err_num(5, Msg::OrderIdEmpty);
    };
    let amount = match amount_param(cx) {
        Ok(Some(a)) if a > 0 => a,
        _ => return cx.err_num(5, Msg::InvalidAmount),
    };
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    if !matches!(o.status, 2 | 4) || o.deposited == 0 {
        return tag(cx.err_num(7, Msg::WrongState), &id);
    }
    if o.refunded + amount > o.deposited {
        return tag(cx.err_num(7, Msg::RefundExceeds), &id);
    }
    o.refunded += amount;
    o.status = 4;
    o.state = PaymentState::Refunded;
    st.push_callback(&id, "refunded", true);
    success(cx, &id)
}

/// `getBindings.do` (clientId).
pub fn get_bindings(cx: &Cx) -> Response {
    if check_auth(cx).is_err() {
        return cx.err_full(5, Msg::AccessDenied);
    }
    let Some(client) = cx.input.non_empty("clientId") else {
        return cx.err_full(1, Msg::ClientIdEmpty);
    };
    let st = cx.app.lock();
    let list: Vec<_> = st
        .bindings
        .iter()
        .filter(|b| b.client_id == client)
        .map(|b| {
            json!({
                "bindingId": b.binding_id,
                "maskedPan": b.masked_pan,
                "expiryDate": b.expiry_date,
                "paymentWay": "CARD",
                "displayLabel": format!("XXXXXXXXXXXX{}", &b.masked_pan[b.masked_pan.len().saturating_sub(4)..]),
            })
        })
        .collect();
    if list.is_empty() {
        return ok_json(json!({
            "errorCode": "2",
            "errorMessage": cx.msg(Msg::BindingNotFound),
            "error": cx.msg(Msg::BindingNotFound),
        }));
    }
    ok_json(json!({ "errorCode": "0", "errorMessage": cx.msg(Msg::Success), "bindings": list }))
}
