//! The 3DS Server: gather (3DS Server method), ACS method notification, challenge notification.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

use crate::html::{error_page, html_response, page};
use crate::http::{b64_json, see_other, tag, with_query, Input};
use crate::i18n::Lang;
use crate::rest::order_redirect;
use crate::rest::tds::complete_3ds2;
use crate::store::Phase;
use crate::time::now_ms;
use crate::AppState;

fn small_page(title: &str) -> Response {
    html_response(
        StatusCode::OK,
        page(title, &format!("<main><p>{title}</p></main>"), "", ""),
    )
}

fn trans_id(input: &Input) -> Option<String> {
    input
        .non_empty("threeDSServerTransID")
        .or(input.non_empty("threeDSServerTransId"))
        .map(str::to_string)
}

/// `POST /3dsserver/api/v1/client/gather?threeDSServerTransID=ID`: records its arrival.
pub async fn gather(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let mut order = None;
    if let Some(id) = trans_id(&input) {
        let mut st = app.lock();
        if let Some(t) = st.tds.get_mut(&id) {
            t.gather_ms.get_or_insert(now_ms());
            order = Some(t.order_id.clone());
        }
    }
    let res = small_page("3DS Server: browser data collected");
    match order {
        Some(o) => tag(res, &o),
        None => res,
    }
}

/// `POST /3dsserver/api/v1/acs/notification?threeDSServerTransID=ID` (field threeDSMethodData).
pub async fn acs_notification(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let id = trans_id(&input).or_else(|| {
        input
            .non_empty("threeDSMethodData")
            .and_then(b64_json)
            .and_then(|j| j["threeDSServerTransID"].as_str().map(str::to_string))
    });
    let mut order = None;
    if let Some(id) = id {
        let mut st = app.lock();
        if let Some(t) = st.tds.get_mut(&id) {
            t.notification_ms.get_or_insert(now_ms());
            order = Some(t.order_id.clone());
        }
    }
    let res = small_page("3DS Server: ACS method completed");
    match order {
        Some(o) => tag(res, &o),
        None => res,
    }
}

/// `POST /3dsserver/api/v1/challenge/notification` (field cres): records the result, then 303
/// to threeDSVer2FinishUrl, or (without one) completes the payment and goes to returnUrl/failUrl.
pub async fn challenge_notification(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let Some(cres) = input.non_empty("cres").and_then(b64_json) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "3DS Server",
            "Missing or invalid cres.",
        );
    };
    let trans = cres["threeDSServerTransID"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let base = input.base();
    let mut st = app.lock();
    let Some(tds) = st.tds.get_mut(&trans) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "3DS Server",
            "Unknown threeDSServerTransID.",
        );
    };
    if cres["acsTransID"].as_str() != Some(tds.acs_trans_id.as_str()) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "3DS Server",
            "acsTransID does not match.",
        );
    }
    let order_id = tds.order_id.clone();
    if tds.phase == Phase::Challenge {
        tds.phase = Phase::Result;
        tds.trans_status = cres["transStatus"].as_str().map(str::to_string);
        tds.cancelled = cres["challengeCancel"].as_str().is_some();
    }
    let Some(o) = st.orders.get(&order_id) else {
        return error_page(StatusCode::BAD_REQUEST, "3DS Server", "Unknown order.");
    };
    let lang = o.language;
    if let Some(finish) = o.finish_url.clone() {
        let url = with_query(
            &finish,
            &[("orderId", &order_id), ("threeDSServerTransId", &trans)],
        );
        if crate::html::is_http_url(&url) {
            return tag(see_other(&url), &order_id);
        }
    }
    let url = match complete_3ds2(&mut st, &base, lang, &trans, &input.path) {
        Some((_, url)) => url,
        None => st
            .orders
            .get(&order_id)
            .map(|o| order_redirect(&base, o, o.is_paid(), Lang::En))
            .unwrap_or(base),
    };
    tag(see_other(&url), &order_id)
}
