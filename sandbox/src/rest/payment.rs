//! paymentorder.do (card fields or seToken) and paymentOrderBinding.do, and the shared start of
//! a payment: no 3DS, 3DS1 (PaReq) or 3DS2 (method URLs).

use axum::response::Response;
use serde_json::{json, Map, Value};

use super::{check_auth, order_redirect, Cx};
use crate::cards::{mask_pan, pan_checks_out, Flow};
use crate::http::{b64, b64url, ok_json, tag};
use crate::i18n::{t, Lang, Msg};
use crate::store::{CardInfo, Order, Phase, State, Tds};
use crate::time::current_year_month;

/// Card data from the request (never stored: only its masked form is).
pub struct Card {
    pub pan: String,
    pub cvc: String,
    /// YYYYMM
    pub expiry: String,
    pub holder: String,
}

/// A CVC/CVV2: 3 or 4 digits.
fn cvc_ok(cvc: &str) -> bool {
    (cvc.len() == 3 || cvc.len() == 4) && cvc.bytes().all(|b| b.is_ascii_digit())
}

/// Validates PAN, CVC and expiry (any future month; the seeds' 12/24 too).
pub fn validate_card(
    pan: &str,
    cvc: &str,
    year: &str,
    month: &str,
) -> Result<(String, String), Msg> {
    let pan: String = pan
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if !pan_checks_out(&pan) {
        return Err(Msg::InvalidPan);
    }
    let y: i64 = match year.trim().parse::<i64>() {
        Ok(y) if year.trim().len() == 2 => 2000 + y,
        Ok(y) if year.trim().len() == 4 => y,
        _ => return Err(Msg::InvalidExpiry),
    };
    let m: u32 = match month.trim().parse() {
        Ok(m) if (1..=12).contains(&m) => m,
        _ => return Err(Msg::InvalidExpiry),
    };
    let (cy, cm) = current_year_month();
    let seed_card = (y, m) == (2024, 12);
    if !seed_card && ((y, m) < (cy, cm) || y > cy + 30) {
        return Err(Msg::InvalidExpiry);
    }
    if !cvc_ok(cvc) {
        return Err(Msg::InvalidCvc);
    }
    Ok((pan, format!("{y:04}{m:02}")))
}

/// What blocks a new payment attempt on this order, as the answer to give.
pub fn gate(o: &Order, base: &str, lang: Lang) -> Option<Value> {
    if o.exhausted {
        return Some(json!({
            "redirect": order_redirect(base, o, false, lang),
            "info": t(lang, Msg::InfoRedirecting),
            "errorCode": 0,
        }));
    }
    if o.expired {
        return Some(json!({
            "redirect": order_redirect(base, o, false, lang),
            "info": t(lang, Msg::InfoTimeout),
            "error": t(lang, Msg::InfoTimeout),
            "errorCode": 0,
        }));
    }
    if o.is_paid() {
        return Some(json!({ "errorCode": 5, "errorMessage": t(lang, Msg::AlreadyProcessed) }));
    }
    None
}

/// Declines the attempt. Before the attempt limit the answer carries `error`; the attempt that
/// reaches the limit answers exactly as the seed shows (errorCode 0, info, redirect to failUrl).
pub fn decline_answer(
    st: &mut State,
    base: &str,
    lang: Lang,
    id: &str,
    code: i64,
    act: Msg,
    info: Msg,
) -> Value {
    let exhausted = st.decline(id, code, act);
    let redirect = st
        .orders
        .get(id)
        .map(|o| order_redirect(base, o, false, lang))
        .unwrap_or_default();
    let mut v = json!({ "redirect": redirect, "info": t(lang, info), "errorCode": 0 });
    if !exhausted {
        v["error"] = json!(t(lang, info));
    }
    v
}

/// The 3DS method fields of a 3DS2 transaction (threeDSMethodURLServer without a scheme).
pub fn method_fields(host: &str, base: &str, tds: &Tds) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("threeDSServerTransId".into(), json!(tds.id));
    if tds.flow.server_method() {
        m.insert(
            "threeDSMethodURLServer".into(),
            json!(format!(
                "{host}/3dsserver/api/v1/client/gather?threeDSServerTransID={}",
                tds.id
            )),
        );
    }
    if tds.flow.acs_method() {
        let packed = json!({
            "threeDSMethodNotificationURL":
                format!("{base}/3dsserver/api/v1/acs/notification?threeDSServerTransID={}", tds.id),
            "threeDSServerTransID": tds.id,
        });
        m.insert(
            "threeDSMethodURL".into(),
            json!(format!("{base}/acs/method")),
        );
        m.insert(
            "threeDSMethodDataPacked".into(),
            json!(b64url(packed.to_string().as_bytes())),
        );
    }
    m
}

/// The packed CReq for a transaction.
pub fn packed_creq(tds: &Tds) -> String {
    let creq = json!({
        "threeDSServerTransID": tds.id,
        "acsTransID": tds.acs_trans_id,
        "messageType": "CReq",
        "messageVersion": "2.2.0",
        "challengeWindowSize": "05",
    });
    b64url(creq.to_string().as_bytes())
}

/// The challenge answer (continue.do, or paymentorder.do repeated after a soft decline).
pub fn challenge_answer(base: &str, lang: Lang, tds: &mut Tds) -> Value {
    tds.phase = Phase::Challenge;
    json!({
        "info": t(lang, Msg::InfoProceeded),
        "errorCode": 0,
        "acsUrl": format!("{base}/acs/challenge"),
        "is3DSVer2": true,
        "packedCReq": packed_creq(tds),
    })
}

/// Starts a payment attempt of order `id` along `flow`.
///
/// `via` is the request path, recorded in the ledger when the attempt charges the card.
pub fn begin(
    st: &mut State,
    host: &str,
    base: &str,
    lang: Lang,
    id: &str,
    flow: Flow,
    via: &str,
) -> Value {
    let Some(o) = st.orders.get_mut(id) else {
        return json!({ "errorCode": 5 });
    };
    o.flow = Some(flow);
    if let Some(old) = o.tds2.take() {
        if let Some(t) = st.tds.get_mut(&old) {
            t.phase = Phase::Done;
        }
    }
    let Some(o) = st.orders.get_mut(id) else {
        return json!({ "errorCode": 5 });
    };
    match flow {
        Flow::NoTds => {
            o.eci = Some("07");
            st.approve(id, via);
            let redirect = st
                .orders
                .get(id)
                .map(|o| order_redirect(base, o, true, lang))
                .unwrap_or_default();
            json!({ "redirect": redirect, "info": t(lang, Msg::InfoProceeded), "errorCode": 0 })
        }
        Flow::InsufficientFunds => {
            o.eci = Some("07");
            decline_answer(
                st,
                base,
                lang,
                id,
                116,
                Msg::ActInsufficientFunds,
                Msg::InfoDeclinedFunds,
            )
        }
        Flow::Tds1 => {
            o.status = 5;
            o.action_code = 0;
            o.action_msg = Msg::ActPending;
            let pa_req = json!({
                "orderId": id,
                "acsTransId": uuid::Uuid::new_v4().to_string(),
                "amount": o.amount,
                "currency": o.currency,
                "merchant": crate::MERCHANT_LOGIN,
                "maskedPan": o.card.as_ref().map(|c| c.masked_pan.clone()).unwrap_or_default(),
            });
            let pa_req = b64(pa_req.to_string().as_bytes());
            o.pa_req = Some(pa_req.clone());
            json!({
                "info": t(lang, Msg::InfoProceeded),
                "errorCode": 0,
                "acsUrl": format!("{base}/acs/pareq"),
                "paReq": pa_req,
                "termUrl": format!("{base}/payment/rest/finish3ds.do?lang={}", lang.code()),
            })
        }
        _ => {
            o.status = 5;
            o.action_code = 0;
            o.action_msg = Msg::ActPending;
            let tds = Tds::new(id, flow);
            o.tds2 = Some(tds.id.clone());
            let mut v = Map::new();
            v.insert("errorCode".into(), json!(0));
            v.insert("is3DSVer2".into(), json!(true));
            v.extend(method_fields(host, base, &tds));
            st.tds.insert(tds.id.clone(), tds);
            Value::Object(v)
        }
    }
}

/// Records what the payment request said about the shopper and the 3DS2 return path.
fn record_request(o: &mut Order, cx: &Cx) {
    let i = cx.input;
    if let Some(ip) = i.non_empty("ip") {
        o.ip = Some(ip.to_string());
    }
    if let Some(e) = i.non_empty("email") {
        o.email = Some(e.to_string());
    }
    if let Some(u) = i.non_empty("threeDSVer2FinishUrl") {
        o.finish_url = Some(u.to_string());
    }
    if let Some(u) = i.non_empty("threeDSMethodNotificationUrl") {
        o.method_notification_url = Some(u.to_string());
    }
    if let Some(b) = i.non_empty("clientBrowserInfo") {
        o.browser_info = Some(serde_json::from_str(b).unwrap_or_else(|_| json!(b)));
    }
    if i.get("bindingNotNeeded") == Some("true") {
        o.binding_not_needed = true;
    }
}

/// `paymentorder.do`
pub fn payment_order(cx: &Cx) -> Response {
    let i = cx.input;
    if check_auth(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let md_order = i.non_empty("MDORDER").map(str::to_string);
    let card = if let Some(token) = i.non_empty("seToken") {
        let Some(se) = cx.app.se_key.decrypt(token) else {
            return cx.err_num(5, Msg::InvalidSeToken);
        };
        // Seed 003: MDORDER is required ("Иә"), a seToken too; it must name the token's order.
        match &md_order {
            Some(m) if *m != se.md_order => return cx.err_num(5, Msg::InvalidSeToken),
            Some(_) => {}
            None => return cx.err_num(5, Msg::OrderNotFound),
        }
        // A saved card's token (`ts/uuid//CVC//mdOrder/bindingId`, GATEWAY.md): paid by the binding, the shopper's
        // only (the order's clientId, seed 003's register.do).
        if se.pan.is_empty() && !se.binding_id.is_empty() {
            let mut st = cx.app.lock();
            let Some(o) = st.order(&se.md_order) else {
                return cx.err_num(5, Msg::OrderNotFound);
            };
            let client = o.client_id.clone();
            let auto = o.has_feature("AUTO_PAYMENT");
            let Some(binding) = st
                .bindings
                .iter()
                .find(|b| {
                    b.binding_id == se.binding_id && client.as_deref() == Some(b.client_id.as_str())
                })
                .cloned()
            else {
                return cx.err_num(5, Msg::BindingNotFound);
            };
            // No CVC: only for a merchant allowed to pay without it (AUTO_PAYMENT), as on paymentOrderBinding.do.
            match se.cvc.as_str() {
                "" if !auto => return cx.err_num(5, Msg::CvcNotSpecified),
                "" => {}
                c if !cvc_ok(c) => return cx.err_num(5, Msg::InvalidCvc),
                _ => {}
            }
            return charge_binding(cx, &mut st, &se.md_order, &binding, auto);
        }
        if se.expiry.len() != 6 {
            return cx.err_num(5, Msg::InvalidExpiry);
        }
        Card {
            pan: se.pan,
            cvc: se.cvc,
            expiry: se.expiry,
            holder: i.get("TEXT").unwrap_or("").to_string(),
        }
    } else {
        Card {
            pan: i.get("$PAN").unwrap_or("").to_string(),
            cvc: i.get("$CVC").unwrap_or("").to_string(),
            expiry: format!(
                "{}{:0>2}",
                i.get("YYYY").unwrap_or("").trim(),
                i.get("MM").unwrap_or("").trim()
            ),
            holder: i.get("TEXT").unwrap_or("").to_string(),
        }
    };
    let (year, month) = card.expiry.split_at(card.expiry.len().saturating_sub(2));
    let (pan, expiration) = match validate_card(&card.pan, &card.cvc, year, month) {
        Ok(x) => x,
        Err(m) => return cx.err_num(5, m),
    };
    let Some(id) = md_order else {
        return cx.err_num(5, Msg::OrderNotFound);
    };
    let base = cx.base();
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_num(5, Msg::OrderNotFound);
    };
    if let Some(answer) = gate(o, &base, cx.lang) {
        return tag(ok_json(answer), &id);
    }
    record_request(o, cx);
    // paymentorder.do repeated with the new threeDSServerTransId after a soft decline.
    if let Some(trans) = i.non_empty("threeDSServerTransId") {
        let Some(tds) = st.tds.get_mut(trans).filter(|t| t.order_id == id) else {
            return cx.err_num(5, Msg::UnknownTransId);
        };
        if tds.phase == Phase::AwaitRepeat {
            let mut v = challenge_answer(&base, cx.lang, tds);
            v["threeDSServerTransId"] = json!(trans);
            return tag(ok_json(v), &id);
        }
    }
    let flow = Flow::for_pan(&pan);
    let Some(o) = st.orders.get_mut(&id) else {
        return cx.err_num(5, Msg::OrderNotFound);
    };
    o.card = Some(CardInfo {
        masked_pan: mask_pan(&pan),
        expiration,
        holder: card.holder.trim().to_string(),
        approval_code: None,
    });
    o.payment_way = "CARD";
    o.binding_id = None;
    let answer = begin(&mut st, &i.host, &base, cx.lang, &id, flow, &i.path);
    tag(ok_json(answer), &id)
}

/// `paymentOrderBinding.do`: pays with a saved card. 3DS1 cards go through the ACS (unless the
/// order has AUTO_PAYMENT); other cards are charged without 3DS.
pub fn payment_order_binding(cx: &Cx) -> Response {
    let i = cx.input;
    if check_auth(cx).is_err() {
        return cx.err_full(5, Msg::AccessDenied);
    }
    let Some(id) = i.non_empty("mdOrder").map(str::to_string) else {
        return cx.err_full(2, Msg::OrderNotFound);
    };
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_full(2, Msg::OrderNotFound);
    };
    let client = o.client_id.clone();
    let auto = o.has_feature("AUTO_PAYMENT");
    // Seed 003, register.do: clientId "must be given when payments are made with a binding; otherwise the payment
    // cannot be made": the order's shopper, and theirs only.
    let binding = i
        .non_empty("bindingId")
        .and_then(|b| st.bindings.iter().find(|x| x.binding_id == b).cloned())
        .filter(|b| client.as_deref() == Some(b.client_id.as_str()));
    let Some(binding) = binding else {
        return cx.err_full(2, Msg::BindingNotFound);
    };
    match i.non_empty("cvc") {
        None if !auto => return cx.err_full(1, Msg::CvcNotSpecified),
        Some(c) if !cvc_ok(c) => return cx.err_full(1, Msg::CvcNotSpecified),
        _ => {}
    }
    charge_binding(cx, &mut st, &id, &binding, auto)
}

/// Pays the order with a saved card (paymentOrderBinding.do, or paymentorder.do with a saved card's seToken):
/// 3DS1 cards go through the ACS unless the order has AUTO_PAYMENT; other cards are charged without 3DS.
fn charge_binding(
    cx: &Cx,
    st: &mut State,
    id: &str,
    binding: &crate::store::Binding,
    auto: bool,
) -> Response {
    let i = cx.input;
    let base = cx.base();
    let id = id.to_string();
    let Some(o) = st.order(&id) else {
        return cx.err_full(2, Msg::OrderNotFound);
    };
    if let Some(answer) = gate(o, &base, cx.lang) {
        return tag(ok_json(answer), &id);
    }
    record_request(o, cx);
    o.card = Some(CardInfo {
        masked_pan: binding.masked_pan.clone(),
        expiration: binding.expiry_date.clone(),
        holder: "CARDHOLDER".into(),
        approval_code: None,
    });
    o.payment_way = "BINDING";
    o.binding_id = Some(binding.binding_id.clone());
    let flow = if binding.flow == Flow::Tds1 && !auto {
        Flow::Tds1
    } else {
        Flow::NoTds
    };
    let answer = begin(st, &i.host, &base, cx.lang, &id, flow, &i.path);
    tag(ok_json(answer), &id)
}
