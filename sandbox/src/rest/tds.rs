//! 3ds/continue.do, finish3dsVer2Payment.do, finish3ds.do (3DS1 TermUrl) and acsRedirect.do.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::payment::{challenge_answer, decline_answer, method_fields, packed_creq};
use super::{check_auth, order_redirect, Cx};
use crate::cards::Flow;
use crate::html::{auto_post, error_page, html_response};
use crate::http::{b64_json, ok_json, see_other, tag};
use crate::i18n::{t, Lang, Msg};
use crate::store::{Phase, State, Tds};

/// Completes a 3DS2 payment from the recorded CRes (`via` = the request path, for the ledger).
/// Returns (success, redirect URL).
pub fn complete_3ds2(
    st: &mut State,
    base: &str,
    lang: Lang,
    trans_id: &str,
    via: &str,
) -> Option<(bool, String)> {
    let tds = st.tds.get_mut(trans_id)?;
    let order_id = tds.order_id.clone();
    match tds.phase {
        Phase::Result => {}
        Phase::Done => {
            let o = st.orders.get(&order_id)?;
            let ok = o.is_paid();
            return Some((ok, order_redirect(base, o, ok, lang)));
        }
        _ => return None,
    }
    tds.phase = Phase::Done;
    let passed = tds.trans_status.as_deref() == Some("Y");
    let cancelled = tds.cancelled;
    let flow = tds.flow;
    if let Some(o) = st.orders.get_mut(&order_id) {
        o.eci = Some(if passed { "05" } else { "07" });
    }
    if !passed {
        let act = if cancelled {
            Msg::ActAuthCancelled
        } else {
            Msg::ActAuthFailed
        };
        st.decline(&order_id, -2006, act);
    } else if flow == Flow::IssuerDecline {
        st.decline(&order_id, 5, Msg::ActIssuerDeclined);
    } else {
        st.approve(&order_id, via);
    }
    // A paid order stays paid (the store never declines or pays it again).
    let o = st.orders.get(&order_id)?;
    let ok = o.is_paid();
    Some((ok, order_redirect(base, o, ok, lang)))
}

fn unknown_ares(cx: &Cx) -> Response {
    ok_json(json!({
        "errorCode": 0,
        "is3DSVer2": true,
        "error": cx.msg(Msg::SystemError),
        "errorTypeName": "TDS_UNKNOWN_ARES_STATUS",
    }))
}

/// `3ds/continue.do` (mdOrder, auth, optional threeDSMethodCompInd).
pub fn continue_do(cx: &Cx) -> Response {
    let i = cx.input;
    if check_auth(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let Some(id) = i
        .non_empty("mdOrder")
        .or(i.non_empty("orderId"))
        .map(str::to_string)
    else {
        return cx.err_num(5, Msg::OrderIdEmpty);
    };
    let base = cx.base();
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id) else {
        return cx.err_num(6, Msg::UnregisteredOrderId);
    };
    let trans = match (&o.tds2, o.status) {
        (Some(t), 5) => t.clone(),
        _ => return tag(unknown_ares(cx), &id),
    };
    let Some(tds) = st.tds.get_mut(&trans).filter(|t| t.phase == Phase::Method) else {
        return tag(unknown_ares(cx), &id);
    };
    tds.comp_ind = i.non_empty("threeDSMethodCompInd").map(str::to_string);
    let gathered = tds.gather_ms.is_some();
    let answer = match tds.flow {
        Flow::NoMethods => frictionless(&mut st, &base, cx.lang, &trans, &i.path),
        Flow::Frictionless | Flow::AcsMethodHangs if gathered => {
            frictionless(&mut st, &base, cx.lang, &trans, &i.path)
        }
        Flow::SoftDecline if gathered && !tds.repeat => {
            tds.phase = Phase::Done;
            let flow = tds.flow;
            let mut next = Tds::new(&id, flow);
            next.repeat = true;
            next.phase = Phase::AwaitRepeat;
            let mut v = serde_json::Map::new();
            v.insert("errorCode".into(), json!(0));
            v.insert("is3DSVer2".into(), json!(true));
            v.extend(method_fields(&i.host, &base, &next));
            if let Some(o) = st.orders.get_mut(&id) {
                o.tds2 = Some(next.id.clone());
            }
            st.tds.insert(next.id.clone(), next);
            serde_json::Value::Object(v)
        }
        Flow::Decoupled => {
            tds.phase = Phase::Challenge;
            let redirect = st
                .orders
                .get(&id)
                .map(|o| order_redirect(&base, o, true, cx.lang))
                .unwrap_or_default();
            json!({ "errorCode": 0, "is3DSVer2": true, "redirect": redirect })
        }
        _ => challenge_answer(&base, cx.lang, tds),
    };
    tag(ok_json(answer), &id)
}

fn frictionless(
    st: &mut State,
    base: &str,
    lang: Lang,
    trans: &str,
    via: &str,
) -> serde_json::Value {
    if let Some(t) = st.tds.get_mut(trans) {
        t.phase = Phase::Result;
        t.trans_status = Some("Y".into());
    }
    match complete_3ds2(st, base, lang, trans, via) {
        Some((true, redirect)) => {
            json!({ "errorCode": 0, "is3DSVer2": true, "redirect": redirect })
        }
        Some((false, redirect)) => json!({
            "errorCode": 0,
            "is3DSVer2": true,
            "redirect": redirect,
            "error": t(lang, Msg::InfoDeclinedIssuer),
        }),
        None => {
            json!({ "errorCode": 0, "is3DSVer2": true, "errorTypeName": "TDS_UNKNOWN_ARES_STATUS" })
        }
    }
}

/// `finish3dsVer2Payment.do` (threeDSServerTransId, auth).
pub fn finish_ver2(cx: &Cx) -> Response {
    if check_auth(cx).is_err() {
        return cx.err_num(5, Msg::AccessDenied);
    }
    let Some(trans) = cx.input.non_empty("threeDSServerTransId") else {
        return cx.err_num(5, Msg::UnknownTransId);
    };
    let base = cx.base();
    let mut st = cx.app.lock();
    let Some(order_id) = st.order_of_tds(trans) else {
        return cx.err_num(5, Msg::UnknownTransId);
    };
    match complete_3ds2(&mut st, &base, cx.lang, trans, &cx.input.path) {
        Some((_, redirect)) => tag(
            ok_json(json!({ "redirect": redirect, "errorCode": 0, "is3DSVer2": true })),
            &order_id,
        ),
        None => tag(cx.err_num(7, Msg::WrongState), &order_id),
    }
}

/// `finish3ds.do`: the 3DS1 TermUrl. PaRes + MD → 303 to returnUrl / failUrl.
pub fn finish3ds(cx: &Cx) -> Response {
    let i = cx.input;
    let pares = i.non_empty("PaRes").and_then(b64_json);
    let md = i.non_empty("MD").unwrap_or("");
    let Some(pares) = pares.filter(|p| p["orderId"].as_str() == Some(md)) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "3-D Secure",
            "Invalid PaRes or MD.",
        );
    };
    let base = cx.base();
    let mut st = cx.app.lock();
    let Some(o) = st.order(md) else {
        return error_page(StatusCode::BAD_REQUEST, "3-D Secure", "Unknown order.");
    };
    let lang = cx.lang;
    if o.status != 5 || o.pa_req.is_none() {
        let ok = o.is_paid();
        return tag(see_other(&order_redirect(&base, o, ok, lang)), md);
    }
    o.pa_req = None;
    let url = if pares["status"].as_str() == Some("Y") {
        o.eci = Some("05");
        st.approve(md, &i.path);
        st.orders
            .get(md)
            .map(|o| order_redirect(&base, o, true, lang))
    } else {
        o.eci = Some("07");
        let act = if pares["cancel"].as_bool() == Some(true) {
            Msg::ActAuthCancelled
        } else {
            Msg::ActAuthFailed
        };
        decline_answer(&mut st, &base, lang, md, -2006, act, Msg::InfoAuthFailed)["redirect"]
            .as_str()
            .map(str::to_string)
    };
    tag(see_other(&url.unwrap_or(base)), md)
}

/// `acsRedirect.do?orderId=…`: an auto-submitting form to the ACS for a pending 3DS order.
pub fn acs_redirect(cx: &Cx) -> Response {
    let id = cx
        .input
        .non_empty("orderId")
        .or(cx.input.non_empty("mdOrder"))
        .unwrap_or("")
        .to_string();
    let base = cx.base();
    let mut st = cx.app.lock();
    let Some(o) = st.order(&id).filter(|o| o.status == 5) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "ACS Redirect",
            "No 3-D Secure authentication is pending for this order.",
        );
    };
    if let Some(pa_req) = o.pa_req.clone() {
        let term = format!("{base}/payment/rest/finish3ds.do?lang={}", cx.lang.code());
        let page = auto_post(
            "ACS Redirect",
            &format!("{base}/acs/pareq"),
            &[("MD", &id), ("PaReq", &pa_req), ("TermUrl", &term)],
        );
        return tag(html_response(StatusCode::OK, page), &id);
    }
    let trans = o.tds2.clone().unwrap_or_default();
    match st
        .tds
        .get(&trans)
        .filter(|t| t.phase == Phase::Challenge && t.flow != Flow::Decoupled)
    {
        Some(tds) => {
            let page = auto_post(
                "ACS Redirect",
                &format!("{base}/acs/challenge"),
                &[("creq", &packed_creq(tds))],
            );
            tag(html_response(StatusCode::OK, page), &id)
        }
        None => error_page(
            StatusCode::NOT_FOUND,
            "ACS Redirect",
            "No ACS challenge is pending for this order.",
        ),
    }
}
