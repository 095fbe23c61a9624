//! Low-level 3DS building blocks for any gateway (Assist's among them), usable without a Checkout.

use super::js::{self, error_to_js, invalid, to_js, Js};
use super::types::*;
use crate::prelude::*;
use crate::web::challenge::{self, ChallengeEnd, ChallengeError, ReturnPages};
use crate::web::{browser, methods, rt};
use checkout_core::assist::{AssistChallenge, AssistResponse, AssistThreeDsData};
use checkout_core::flow::{AcsMethod, MethodPlan, METHOD_CEILING_MS};
use checkout_core::url_policy::UrlPolicy;
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::{CheckoutError, ErrorCode, Language};
use wasm_bindgen::prelude::*;

const LANG: Language = Language::En;

fn reject(e: CheckoutError) -> js_sys::Promise {
    js_sys::Promise::reject(&error_to_js(&e))
}

/// The browser's 3DS2 data in three shapes: EMVCo fields, the gateway's clientBrowserInfo, Assist's names.
#[wasm_bindgen(js_name = collectBrowserInfo)]
pub fn collect_browser_info(
    options: Option<BrowserInfoOptionsJs>,
) -> Result<BrowserInfoJs, JsValue> {
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let window = match js::opt_string(&options, "windowSize", LANG).map_err(|e| error_to_js(&e))? {
        Some(code) => ChallengeWindowSize::parse(&code)
            .ok_or_else(|| error_to_js(&invalid(ErrorCode::InvalidOption, LANG, "windowSize")))?,
        None => ChallengeWindowSize::FullScreen,
    };
    let accept = js::opt_string(&options, "acceptHeader", LANG).map_err(|e| error_to_js(&e))?;
    let ip = js::opt_string(&options, "ip", LANG).map_err(|e| error_to_js(&e))?;
    let info = browser::snapshot(window, accept, ip).normalize();
    // Seed 002: ClientIP "является обязательным для протокола 3-D Secure версии 2".
    if js::opt_bool(&options, "requireClientIp", LANG)
        .map_err(|e| error_to_js(&e))?
        .unwrap_or(false)
    {
        info.assist
            .require_client_ip()
            .map_err(|code| error_to_js(&invalid(code, LANG, "ip")))?;
    }
    Ok(to_js(&info.to_value()).unchecked_into())
}

/// The largest of 01–04 that fits width × height, else 05.
#[wasm_bindgen(js_name = pickChallengeWindowSize)]
pub fn pick_challenge_window_size(width: f64, height: f64) -> ChallengeWindowJs {
    let size = ChallengeWindowSize::fitting(width, height);
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &"code".into(), &size.code().into());
    if let Some((w, h)) = size.dimensions() {
        let _ = js_sys::Reflect::set(&obj, &"width".into(), &w.into());
        let _ = js_sys::Reflect::set(&obj, &"height".into(), &h.into());
    }
    JsValue::from(obj).unchecked_into()
}

/// Posts one 3DS method in a hidden iframe; resolves `{compInd, ms}` when it loads (Y) or at the ceiling (N).
#[wasm_bindgen(js_name = runThreeDSMethod)]
pub fn run_three_ds_method(request: ThreeDSMethodRequestJs) -> ThreeDSMethodResultPromise {
    let request: JsValue = request.into();
    let plan = (|| -> Result<(MethodPlan, Option<web_sys::AbortSignal>), CheckoutError> {
        let policy = UrlPolicy {
            allow_insecure_loopback: js::opt_bool(&request, "sandbox", LANG)?.unwrap_or(false),
        };
        let raw = js::string(&request, "url", ErrorCode::InvalidOption, LANG)?;
        let url = policy
            .check(&raw)
            .map_err(|_| invalid(ErrorCode::UnsafeUrl, LANG, "url"))?;
        let timeout_ms = js::opt_ms(&request, "timeoutMs", LANG)?
            .unwrap_or(METHOD_CEILING_MS)
            .min(METHOD_CEILING_MS);
        let signal = js::signal(&request, LANG)?;
        Ok((
            match js::opt_string(&request, "threeDSMethodData", LANG)? {
                Some(data) => MethodPlan {
                    server: None,
                    acs: Some(AcsMethod { url, data }),
                    timeout_ms,
                },
                None => MethodPlan {
                    server: Some(url),
                    acs: None,
                    timeout_ms,
                },
            },
            signal,
        ))
    })();
    let promise = match plan {
        Err(e) => reject(e),
        Ok((plan, signal)) => rt::spawn(Box::pin(async move {
            match methods::run(&plan, signal.as_ref()).await {
                Ok(r) => {
                    let obj = js_sys::Object::new();
                    // One frame, whichever kind: it loaded in time (Y) or the ceiling came first (N).
                    let ind = if r.all_loaded { "Y" } else { "N" };
                    let _ = js_sys::Reflect::set(&obj, &"compInd".into(), &ind.into());
                    let _ = js_sys::Reflect::set(&obj, &"ms".into(), &r.ms.into());
                    Ok(obj.into())
                }
                Err(methods::MethodError::Aborted) => {
                    Err(error_to_js(&CheckoutError::new(ErrorCode::Aborted, LANG)))
                }
                Err(methods::MethodError::Dom) => {
                    Err(error_to_js(&invalid(ErrorCode::Dom, LANG, "document")))
                }
            }
        })),
    };
    promise.unchecked_into()
}

/// Posts the challenge form (3DS2 creq, or 3DS1 PaReq/MD/TermUrl) into an iframe in `container` sized to
/// the window size, or as the whole page. In an iframe it resolves when the shopper lands on returnUrl/failUrl.
#[wasm_bindgen(js_name = runChallenge)]
pub fn run_challenge(request: ChallengeRequestJs) -> ChallengeResultPromise {
    let request: JsValue = request.into();
    let promise = match prepare_challenge(&request) {
        Err(e) => reject(e),
        Ok(prepared) => rt::spawn(Box::pin(async move {
            let Prepared {
                url,
                fields,
                window,
                container,
                returns,
                timeout_ms,
                signal,
            } = prepared;
            let fields_ref: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let result = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&result, &"windowSize".into(), &window.code().into());
            let (status, href) = match container {
                None => {
                    challenge::full_page(&url, &fields_ref).map_err(|e| {
                        error_to_js(&match e {
                            ChallengeError::Blocked { .. } => {
                                CheckoutError::new(ErrorCode::RedirectBlocked, LANG)
                            }
                            _ => invalid(ErrorCode::Dom, LANG, "document"),
                        })
                    })?;
                    ("redirected", None)
                }
                Some(c) => match challenge::in_iframe(
                    &url,
                    &fields_ref,
                    challenge::FrameOptions {
                        window,
                        container: &c,
                        returns: &returns,
                        timeout_ms,
                        sandbox: None,
                    },
                    signal.as_ref(),
                )
                .await
                {
                    Ok(ChallengeEnd::Returned(h)) => ("returned", Some(h)),
                    Ok(ChallengeEnd::TimedOut) => ("timeout", None),
                    Err(ChallengeError::Aborted) => {
                        return Err(error_to_js(&CheckoutError::new(ErrorCode::Aborted, LANG)))
                    }
                    Err(ChallengeError::Dom | ChallengeError::Detached) => {
                        return Err(error_to_js(&invalid(ErrorCode::Dom, LANG, "container")))
                    }
                    Err(ChallengeError::Blocked { .. }) => {
                        return Err(error_to_js(&invalid(
                            ErrorCode::RedirectBlocked,
                            LANG,
                            "the page's Content Security Policy refused the challenge frame",
                        )))
                    }
                },
            };
            let _ = js_sys::Reflect::set(&result, &"status".into(), &status.into());
            if let Some(h) = href {
                let _ = js_sys::Reflect::set(&result, &"href".into(), &h.into());
            }
            Ok(result.into())
        })),
    };
    promise.unchecked_into()
}

struct Prepared {
    url: checkout_core::url_policy::SafeUrl,
    fields: Vec<(&'static str, String)>,
    window: ChallengeWindowSize,
    container: Option<web_sys::HtmlElement>,
    returns: ReturnPages,
    timeout_ms: u32,
    signal: Option<web_sys::AbortSignal>,
}

fn prepare_challenge(request: &JsValue) -> Result<Prepared, CheckoutError> {
    let policy = UrlPolicy {
        allow_insecure_loopback: js::opt_bool(request, "sandbox", LANG)?.unwrap_or(false),
    };
    let url = policy
        .check(&js::string(
            request,
            "acsUrl",
            ErrorCode::InvalidOption,
            LANG,
        )?)
        .map_err(|_| invalid(ErrorCode::UnsafeUrl, LANG, "acsUrl"))?;
    let redirect = match js::opt_string(request, "mode", LANG)?.as_deref() {
        Some("redirect") => true,
        Some("iframe") | None => false,
        Some(_) => return Err(invalid(ErrorCode::InvalidOption, LANG, "mode")),
    };
    let container = if redirect {
        None
    } else {
        Some(
            js::element(&js::get(request, "container"))
                .ok_or_else(|| invalid(ErrorCode::Dom, LANG, "container"))?,
        )
    };
    let window = match js::opt_string(request, "windowSize", LANG)? {
        Some(code) => ChallengeWindowSize::parse(&code)
            .ok_or_else(|| invalid(ErrorCode::InvalidOption, LANG, "windowSize"))?,
        None => container
            .as_ref()
            .map(challenge::fitting_size)
            .unwrap_or(ChallengeWindowSize::FullScreen),
    };
    let fields = match js::opt_string(request, "creq", LANG)? {
        Some(creq) => vec![(
            "creq",
            checkout_core::creq::with_window_size(&creq, window).unwrap_or(creq),
        )],
        None => {
            let pa_req = js::string(request, "paReq", ErrorCode::InvalidOption, LANG)?;
            let md = js::string(request, "md", ErrorCode::InvalidOption, LANG)?;
            let term = js::string(request, "termUrl", ErrorCode::InvalidOption, LANG)?;
            let term = policy
                .check(&term)
                .map_err(|_| invalid(ErrorCode::UnsafeUrl, LANG, "termUrl"))?;
            vec![
                ("MD", md),
                ("PaReq", pa_req),
                ("TermUrl", term.as_str().to_owned()),
            ]
        }
    };
    let mut pages = Vec::new();
    for key in ["returnUrl", "failUrl"] {
        if let Some(u) = js::opt_string(request, key, LANG)? {
            pages.push(
                policy
                    .check(&u)
                    .map_err(|_| invalid(ErrorCode::UnsafeUrl, LANG, key))?,
            );
        }
    }
    if container.is_some() && pages.is_empty() {
        return Err(invalid(ErrorCode::InvalidOption, LANG, "returnUrl"));
    }
    Ok(Prepared {
        url,
        fields,
        window,
        container,
        returns: ReturnPages::new(pages.iter().map(|p| p.as_str())),
        timeout_ms: js::opt_ms(request, "timeoutMs", LANG)?
            .unwrap_or(600_000)
            .max(1),
        signal: js::signal(request, LANG)?,
    })
}

/// Turns Assist's threedsdata block, or a whole silentpay/get3dsecver2 answer (JSON object or XML text), into
/// inputs for runThreeDSMethod / runChallenge. `options`: `true` (sandbox, as before) or
/// `{sandbox?, termUrl?, md?}`; termUrl is required when the answer is a 3DS1 one (AS110 with pareq/acsurl).
#[wasm_bindgen(js_name = parseAssistThreeDsData)]
pub fn parse_assist_three_ds_data(
    block: AssistBlockJs,
    options: Option<AssistParseOptionsJs>,
) -> Result<AssistThreeDsPlanJs, JsValue> {
    let block: JsValue = block.into();
    let options: JsValue = options.map(Into::into).unwrap_or(JsValue::UNDEFINED);
    let data = match block.as_string() {
        Some(xml) => AssistThreeDsData::from_xml(&xml),
        None => AssistResponse::read(&Js(block))
            .map_err(|_| error_to_js(&invalid(ErrorCode::BadResponse, LANG, "threedsdata")))?
            .data(),
    };
    let (sandbox, term_url, md) = match options.as_bool() {
        Some(b) => (b, None, None),
        None => (
            js::opt_bool(&options, "sandbox", LANG)
                .map_err(|e| error_to_js(&e))?
                .unwrap_or(false),
            js::opt_string(&options, "termUrl", LANG).map_err(|e| error_to_js(&e))?,
            js::opt_string(&options, "md", LANG).map_err(|e| error_to_js(&e))?,
        ),
    };
    let policy = UrlPolicy {
        allow_insecure_loopback: sandbox,
    };
    let plan = data
        .plan(&policy)
        .map_err(|code| error_to_js(&CheckoutError::new(code, LANG).with_detail("threedsdata")))?;
    let obj = js_sys::Object::new();
    let set = |target: &js_sys::Object, k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(target, &k.into(), &v);
    };
    set(&obj, "flow", plan.flow.code().into());
    if let Some(v) = &plan.version {
        set(&obj, "version", v.into());
    }
    if let Some(t) = &plan.three_ds_server_trans_id {
        set(&obj, "threeDSServerTransID", t.into());
    }
    if let Some(r) = &plan.auth_result {
        set(&obj, "authResult", r.into());
    }
    if let Some((url, data)) = &plan.method {
        let m = js_sys::Object::new();
        set(&m, "url", url.as_str().into());
        set(&m, "threeDSMethodData", data.into());
        set(&m, "timeoutMs", METHOD_CEILING_MS.into());
        if sandbox {
            set(&m, "sandbox", true.into());
        }
        set(&obj, "method", m.into());
    }
    if let Some(skipped) = plan.method_skipped {
        set(&obj, "methodSkipped", skipped.code().into());
    }
    if let Some(challenge) = &plan.challenge {
        let c = js_sys::Object::new();
        match challenge {
            AssistChallenge::ThreeDs2 { url, creq } => {
                set(&obj, "protocol", "3ds2".into());
                set(&c, "acsUrl", url.as_str().into());
                set(&c, "creq", creq.into());
            }
            AssistChallenge::ThreeDs1 {
                acs_url,
                pa_req,
                md: answer_md,
            } => {
                let term = term_url.as_deref().ok_or_else(|| {
                    error_to_js(&invalid(ErrorCode::InvalidOption, LANG, "termUrl"))
                })?;
                let term = policy
                    .check(term)
                    .map_err(|_| error_to_js(&invalid(ErrorCode::UnsafeUrl, LANG, "termUrl")))?;
                set(&obj, "protocol", "3ds1".into());
                set(&c, "acsUrl", acs_url.as_str().into());
                set(&c, "paReq", pa_req.into());
                let md = md.clone().or_else(|| answer_md.clone()).unwrap_or_default();
                set(&c, "md", md.into());
                set(&c, "termUrl", term.as_str().into());
            }
        }
        if sandbox {
            set(&c, "sandbox", true.into());
        }
        set(&obj, "challenge", c.into());
    }
    Ok(JsValue::from(obj).unchecked_into())
}
