//! The issuer ACS: the 3DS2 method page, the 3DS2 challenge (creq) and the 3DS1 page (PaReq).
//! One-time code 12345678; Confirm and Cancel. Pages use no external resources.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::json;

use crate::cards::Flow;
use crate::html::{auto_post, document, error_page, esc, html_response, is_http_url, page, BANNER};
use crate::http::{b64, b64_json, b64url, tag, Input};
use crate::store::{Order, Phase};
use crate::time::now_ms;
use crate::{AppState, ACS_CODE};

/// Challenge window sizes (EMVCo): 01 250×400, 02 390×400, 03 500×600, 04 600×400, 05 full.
pub fn window_dims(size: &str) -> Option<(u32, u32)> {
    match size {
        "01" => Some((250, 400)),
        "02" => Some((390, 400)),
        "03" => Some((500, 600)),
        "04" => Some((600, 400)),
        _ => None,
    }
}

const ACS_CSS: &str = "html,body{height:100%;overflow:hidden}\
.acs{display:flex;flex-direction:column;margin:0 auto;max-width:100vw;max-height:100vh;overflow:auto;background:#fff}\
.acs.full{width:100vw;height:100vh}\
.acs header{display:flex;justify-content:space-between;align-items:center;padding:6px 10px;border-bottom:1px solid #e3e7ee;font-weight:600;font-size:13px}\
.acs header span{font-weight:400;color:#5b6574;font-size:11px}\
.content{padding:8px 12px;flex:1}.full .content>*{max-width:420px;margin-left:auto;margin-right:auto}\
.content p{font-size:13px;margin:0 0 6px}\
dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:0 0 6px;font-size:12px}dt{color:#5b6574}dd{margin:0}\
label{display:block;font-size:12px;margin:6px 0 4px}\
input[type=text]{width:100%;font:inherit;font-size:16px;padding:6px 8px;border:1px solid #9aa4b2;border-radius:4px;letter-spacing:2px}\
.btns{display:flex;gap:8px;margin-top:10px}\
button{flex:1;font:inherit;padding:8px 4px;border-radius:4px;border:1px solid #1f5fbf;background:#1f5fbf;color:#fff;cursor:pointer}\
button.secondary{background:#fff;color:#1f5fbf}.hint{font-size:11px;color:#5b6574;margin-top:6px}";

const VISIBLE_JS: &str = "(function(){var b=document.body;function r(){\
var w=window.innerWidth||document.documentElement.clientWidth;\
var h=window.innerHeight||document.documentElement.clientHeight;\
b.setAttribute('data-visible-width',String(w));b.setAttribute('data-visible-height',String(h));\
window.__acsVisible={width:w,height:h,windowSize:b.getAttribute('data-window-size')};}\
r();window.addEventListener('resize',r);})();";

fn money(o: &Order) -> String {
    format!("{}.{:02} ({})", o.amount / 100, o.amount % 100, o.currency)
}

/// The one-time-code page. `hidden` fields are posted with `code` and `action` to `action_url`.
fn code_page(
    title: &str,
    size: &str,
    o: &Order,
    action_url: &str,
    hidden: &[(&str, &str)],
) -> String {
    let (class, css) = match window_dims(size) {
        Some((w, h)) => (
            "acs".to_string(),
            format!(".acs{{width:{w}px;height:{h}px}}"),
        ),
        None => ("acs full".to_string(), String::new()),
    };
    let mut fields = String::new();
    for (k, v) in hidden {
        fields.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(k),
            esc(v)
        ));
    }
    let pan = o
        .card
        .as_ref()
        .map(|c| c.masked_pan.clone())
        .unwrap_or_default();
    let body = format!(
        "<div class=\"{class}\" id=\"acs\"><div class=\"sbx\" role=\"note\">{BANNER}</div>\
<header>{title}<span>Sandbox ACS</span></header><div class=\"content\">\
<p>Enter the one-time code sent to your phone to confirm the purchase.</p>\
<dl><dt>Merchant</dt><dd>{merchant}</dd><dt>Amount</dt><dd>{amount}</dd><dt>Card</dt><dd>{pan}</dd></dl>\
<form id=\"challenge\" method=\"post\" action=\"{action}\">{fields}\
<label for=\"otp\">One-time code</label>\
<input type=\"text\" id=\"otp\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"8\" required>\
<div class=\"btns\"><button type=\"submit\" id=\"confirm\" name=\"action\" value=\"confirm\">Confirm</button>\
<button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\" class=\"secondary\" formnovalidate>Cancel</button></div>\
<p class=\"hint\">Sandbox code: {code}</p></form></div></div>",
        title = esc(title),
        merchant = esc(crate::MERCHANT_LOGIN),
        amount = esc(&money(o)),
        pan = esc(&pan),
        action = esc(action_url),
        code = ACS_CODE,
    );
    let doc = document(title, &body, &format!("{ACS_CSS}{css}"), VISIBLE_JS);
    doc.replacen(
        "<body>",
        &format!("<body data-window-size=\"{}\">", esc(size)),
        1,
    )
}

/// `POST /acs/method` (threeDSMethodData): records the arrival, then posts the notification.
pub async fn method(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let data = input.non_empty("threeDSMethodData").and_then(b64_json);
    let Some(data) = data else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS method",
            "Missing or invalid threeDSMethodData.",
        );
    };
    let trans = data["threeDSServerTransID"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let notify = data["threeDSMethodNotificationURL"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let (order, hangs) = {
        let mut st = app.lock();
        match st.tds.get_mut(&trans) {
            Some(t) => {
                t.acs_method_ms.get_or_insert(now_ms());
                (Some(t.order_id.clone()), t.flow == Flow::AcsMethodHangs)
            }
            None => (None, false),
        }
    };
    if hangs {
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
    let res = if is_http_url(&notify) {
        let packed = b64url(
            json!({ "threeDSServerTransID": trans })
                .to_string()
                .as_bytes(),
        );
        html_response(
            StatusCode::OK,
            auto_post("ACS method", &notify, &[("threeDSMethodData", &packed)]),
        )
    } else {
        html_response(
            StatusCode::OK,
            page(
                "ACS method",
                "<main><p>ACS method completed</p></main>",
                "",
                "",
            ),
        )
    };
    match order {
        Some(o) => tag(res, &o),
        None => res,
    }
}

/// `POST /acs/challenge` (creq): the 3DS2 challenge page, laid out for challengeWindowSize.
pub async fn challenge(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let Some(creq) = input.non_empty("creq").and_then(b64_json) else {
        return error_page(StatusCode::BAD_REQUEST, "ACS", "Missing or invalid creq.");
    };
    if creq["messageType"].as_str() != Some("CReq") {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "The creq is not a CReq message.",
        );
    }
    let trans = creq["threeDSServerTransID"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let size = creq["challengeWindowSize"]
        .as_str()
        .unwrap_or("05")
        .to_string();
    let size = if window_dims(&size).is_some() || size == "05" {
        size
    } else {
        "05".to_string()
    };
    let mut st = app.lock();
    let Some(tds) = st
        .tds
        .get_mut(&trans)
        .filter(|t| t.phase == Phase::Challenge)
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "No challenge is pending for this transaction.",
        );
    };
    if creq["acsTransID"].as_str() != Some(tds.acs_trans_id.as_str()) {
        return error_page(StatusCode::BAD_REQUEST, "ACS", "acsTransID does not match.");
    }
    tds.window_size = Some(size.clone());
    let acs_id = tds.acs_trans_id.clone();
    let order_id = tds.order_id.clone();
    let Some(o) = st.orders.get(&order_id) else {
        return error_page(StatusCode::BAD_REQUEST, "ACS", "Unknown order.");
    };
    let action = format!("{}/acs/challenge/submit", input.base());
    let html = code_page(
        "Purchase authentication",
        &size,
        o,
        &action,
        &[
            ("threeDSServerTransID", &trans),
            ("acsTransID", &acs_id),
            ("challengeWindowSize", &size),
        ],
    );
    tag(html_response(StatusCode::OK, html), &order_id)
}

fn waiting_page() -> Response {
    html_response(
        StatusCode::OK,
        page(
            "Waiting for the bank",
            "<main><h1>Please wait</h1><p>Waiting for your bank to confirm the purchase\u{2026}</p></main>",
            "",
            "",
        ),
    )
}

/// `POST /acs/challenge/submit`: checks the code and posts the CRes to the 3DS Server.
pub async fn challenge_submit(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let trans = input.get("threeDSServerTransID").unwrap_or("").to_string();
    let mut st = app.lock();
    let Some(tds) = st.tds.get(&trans).filter(|t| t.phase == Phase::Challenge) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "No challenge is pending for this transaction.",
        );
    };
    if input.get("acsTransID") != Some(tds.acs_trans_id.as_str()) {
        return error_page(StatusCode::BAD_REQUEST, "ACS", "acsTransID does not match.");
    }
    let acs_id = tds.acs_trans_id.clone();
    let order_id = tds.order_id.clone();
    if st
        .take_fault("/acs/challenge", Some(&order_id), true)
        .is_some()
    {
        return tag(waiting_page(), &order_id);
    }
    let cancel = input.get("action") == Some("cancel");
    let passed = !cancel && input.get("code").map(str::trim) == Some(ACS_CODE);
    let mut cres = json!({
        "threeDSServerTransID": trans,
        "acsTransID": acs_id,
        "messageType": "CRes",
        "messageVersion": "2.2.0",
        "transStatus": if passed { "Y" } else { "N" },
        "challengeCompletionInd": "Y",
    });
    if cancel {
        cres["challengeCancel"] = json!("01");
    }
    let notify = format!("{}/3dsserver/api/v1/challenge/notification", input.base());
    let packed = b64url(cres.to_string().as_bytes());
    tag(
        html_response(
            StatusCode::OK,
            auto_post("Returning to the store", &notify, &[("cres", &packed)]),
        ),
        &order_id,
    )
}

/// The pending 3DS1 order a PaReq/MD pair names.
fn pending_3ds1<'a>(st: &'a mut crate::store::State, md: &str, pa_req: &str) -> Option<&'a Order> {
    let j = b64_json(pa_req)?;
    if j["orderId"].as_str() != Some(md) {
        return None;
    }
    st.order(md)
        .filter(|o| o.status == 5 && o.pa_req.as_deref() == Some(pa_req))
        .map(|o| &*o)
}

/// MD, PaReq and TermUrl of a 3DS1 form; the error page when TermUrl is not an http(s) URL.
// An error page is an axum Response (128 bytes); boxing it would only add noise here.
#[allow(clippy::result_large_err)]
fn pareq_fields(input: &Input) -> Result<(String, String, String), Response> {
    let md = input.get("MD").unwrap_or("").to_string();
    let pa_req = input.get("PaReq").unwrap_or("").to_string();
    let term = input.get("TermUrl").unwrap_or("").to_string();
    if !is_http_url(&term) {
        return Err(error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "TermUrl must be an http(s) URL.",
        ));
    }
    Ok((md, pa_req, term))
}

/// `POST /acs/pareq` (MD, PaReq, TermUrl): the 3DS1 authentication page.
pub async fn pareq(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let (md, pa_req, term) = match pareq_fields(&input) {
        Ok(fields) => fields,
        Err(page) => return page,
    };
    let mut st = app.lock();
    let Some(o) = pending_3ds1(&mut st, &md, &pa_req) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "No 3-D Secure authentication is pending for this MD/PaReq.",
        );
    };
    let action = format!("{}/acs/pareq/submit", input.base());
    let html = code_page(
        "3-D Secure",
        "05",
        o,
        &action,
        &[("MD", &md), ("PaReq", &pa_req), ("TermUrl", &term)],
    );
    tag(html_response(StatusCode::OK, html), &md)
}

/// `POST /acs/pareq/submit`: checks the code and posts PaRes + MD to TermUrl.
pub async fn pareq_submit(
    State(app): State<AppState>,
    Extension(input): Extension<Arc<Input>>,
) -> Response {
    let (md, pa_req, term) = match pareq_fields(&input) {
        Ok(fields) => fields,
        Err(page) => return page,
    };
    let mut st = app.lock();
    if pending_3ds1(&mut st, &md, &pa_req).is_none() {
        return error_page(
            StatusCode::BAD_REQUEST,
            "ACS",
            "No 3-D Secure authentication is pending for this MD/PaReq.",
        );
    }
    if st.take_fault("/acs/pareq", Some(&md), true).is_some() {
        return tag(waiting_page(), &md);
    }
    let cancel = input.get("action") == Some("cancel");
    let passed = !cancel && input.get("code").map(str::trim) == Some(ACS_CODE);
    let pares =
        json!({ "orderId": md, "status": if passed { "Y" } else { "N" }, "cancel": cancel });
    let pares = b64(pares.to_string().as_bytes());
    tag(
        html_response(
            StatusCode::OK,
            auto_post(
                "Returning to the store",
                &term,
                &[("PaRes", &pares), ("MD", &md)],
            ),
        ),
        &md,
    )
}
