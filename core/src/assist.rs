//! Assist's `threedsdata` block (seed 002) turned into inputs for the generic primitives: the 3DS method
//! (threeDSMethodURL + threeDSMethodData) and the challenge (creq = challengerequest to challengeurl).

use crate::error::ErrorCode;
use crate::fields::{self, Bad, Fields};
use crate::prelude::*;
use crate::url_policy::{SafeUrl, UrlPolicy};

/// The block as Assist sends it in JSON (field names as in the seed; all optional), plus the silentpay
/// answer's own fields that a 3DS1 authentication uses (seed 002: "АПК Ассист возвращает код ответа
/// (responsecode) AS110 и дополнительные поля pareq и acsurl").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssistThreeDsData {
    pub version: Option<String>,
    pub three_ds_server_trans_id: Option<String>,
    pub three_ds_method_url: Option<String>,
    pub three_ds_method_data: Option<String>,
    pub challenge: Option<String>,
    pub alphaauthresult: Option<String>,
    pub challengeurl: Option<String>,
    pub challengerequest: Option<String>,
    /// AS110 when 3-D Secure is needed.
    pub responsecode: Option<String>,
    /// 3DS1: "Пакет запроса по 3D-Secure авторизации".
    pub pareq: Option<String>,
    /// 3DS1: the ACS address. The seed's answer table spells it "ascurl", its 3DS1 text "acsurl": both read.
    pub acsurl: Option<String>,
    /// 3DS1 merchant data, when an answer carries one (the seed names none; an empty MD is posted then).
    pub md: Option<String>,
}

/// A whole silentpay / get3dsecver2 JSON answer: `{"threedsdata": {…}, "MakePaymentResponse": {…}}` as in
/// the seed's examples, or the fields at the top level; [`AssistResponse::data`] merges them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssistResponse {
    pub threedsdata: Option<AssistThreeDsData>,
    pub make_payment_response: Option<AssistThreeDsData>,
    pub top: AssistThreeDsData,
}

impl AssistResponse {
    /// Reads a whole answer (serde's rules, as `GatewayAnswer::read`): the two blocks and the top level's
    /// own fields.
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let v = AssistResponse {
            threedsdata: r.obj("threedsdata", AssistThreeDsData::read),
            make_payment_response: r.obj("MakePaymentResponse", AssistThreeDsData::read),
            top: AssistThreeDsData::read(f).unwrap_or_else(|_| {
                r.fail();
                AssistThreeDsData::default()
            }),
        };
        r.finish(v)
    }

    /// Reads an answer from JSON text (tests).
    #[cfg(test)]
    pub fn parse(json: &str) -> Self {
        Self::read(&serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap()
    }

    /// One set of fields: the threedsdata block first, then MakePaymentResponse, then the top level.
    pub fn data(self) -> AssistThreeDsData {
        let mut out = self.threedsdata.unwrap_or_default();
        if let Some(p) = self.make_payment_response {
            out.fill_from(p);
        }
        out.fill_from(self.top);
        out
    }
}

/// F, C or D.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssistFlow {
    Frictionless,
    Challenge,
    Decoupled,
}

impl AssistFlow {
    pub fn code(self) -> &'static str {
        match self {
            AssistFlow::Frictionless => "frictionless",
            AssistFlow::Challenge => "challenge",
            AssistFlow::Decoupled => "decoupled",
        }
    }
}

/// The challenge to show in an iframe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssistChallenge {
    /// 3DS2: POST `creq` = challengerequest to challengeurl.
    ThreeDs2 { url: SafeUrl, creq: String },
    /// 3DS1: POST PaReq (pareq), MD and the merchant's TermUrl to acsurl; the ACS posts PaRes to TermUrl,
    /// and the merchant's server passes it to Assist's get3DSec (seed 002).
    ThreeDs1 {
        acs_url: SafeUrl,
        pa_req: String,
        md: Option<String>,
    },
}

/// Why a method URL was not posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodSkipped {
    /// threeDSMethodURL came without threeDSMethodData: the seed's method is "POST запрос с одним
    /// параметром threeDSMethodData", so there is nothing to post; go on to get3dsecver2.
    NoMethodData,
}

impl MethodSkipped {
    pub fn code(self) -> &'static str {
        match self {
            MethodSkipped::NoMethodData => "no_method_data",
        }
    }
}

/// What the page should do with the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistPlan {
    pub version: Option<String>,
    pub flow: AssistFlow,
    pub three_ds_server_trans_id: Option<String>,
    /// Y/N/A/U/R/E/I, present for frictionless results.
    pub auth_result: Option<String>,
    /// Run this method (hidden iframe, 10 s) before calling get3dsecver2: the URL and the threeDSMethodData
    /// to post as the form's one field.
    pub method: Option<(SafeUrl, String)>,
    /// Set when the block named a method URL that is not to be posted.
    pub method_skipped: Option<MethodSkipped>,
    /// The iframe challenge (flow C, or 3DS1).
    pub challenge: Option<AssistChallenge>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Seed 002 lists exactly three values: "C – нужно, F – не нужно, D - отложенная аутентификация". Anything
/// else (the seed's own `"challenge": "FC"`, a page-history merge of F and C) is not an answer to act on.
/// One example writes C in Cyrillic ("<challenge>С<challenge>"), so that letter is read as C.
fn parse_flow(value: &str) -> Option<AssistFlow> {
    match value {
        "F" | "f" => Some(AssistFlow::Frictionless),
        "C" | "c" | "С" | "с" => Some(AssistFlow::Challenge),
        "D" | "d" => Some(AssistFlow::Decoupled),
        _ => None,
    }
}

impl AssistThreeDsData {
    /// Reads the JSON form (field names as in the seed; serde's rules, as `GatewayAnswer::read`; the two
    /// spellings of acsurl and MD are read, both at once is refused as serde refused a duplicate field).
    pub fn read<F: Fields>(f: &F) -> Result<Self, Bad> {
        let r = fields::Reader::new(f);
        let v = AssistThreeDsData {
            version: r.str("version"),
            three_ds_server_trans_id: r.str("threeDSServerTransID"),
            three_ds_method_url: r.str("threeDSMethodURL"),
            three_ds_method_data: r.str("threeDSMethodData"),
            challenge: r.str("challenge"),
            alphaauthresult: r.str("alphaauthresult"),
            challengeurl: r.str("challengeurl"),
            challengerequest: r.str("challengerequest"),
            responsecode: r.str("responsecode"),
            pareq: r.str("pareq"),
            acsurl: r.str_alias("acsurl", "ascurl"),
            md: r.str_alias("md", "MD"),
        };
        r.finish(v)
    }

    /// Reads the JSON form from text (unit tests).
    #[cfg(test)]
    pub fn parse(json: &str) -> Self {
        Self::read(&serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap()
    }

    /// Reads the XML form (`<threedsdata><challenge>C</challenge>…</threedsdata>`, or a whole answer with
    /// responsecode/pareq/acsurl), tolerating the seed's unclosed tags: a value runs from `<tag>` to the
    /// next `<`.
    pub fn from_xml(xml: &str) -> AssistThreeDsData {
        let lower = xml.to_ascii_lowercase();
        let value = |tag: &str| -> Option<String> {
            let mut open = String::from("<");
            open.push_str(&tag.to_ascii_lowercase());
            open.push('>');
            let at = crate::text::find(&lower, &open)? + open.len();
            let rest = xml.get(at..)?;
            let end = crate::text::find_any(rest, b"<").unwrap_or(rest.len());
            Some(rest.get(..end)?.trim().to_owned()).filter(|v| !v.is_empty())
        };
        AssistThreeDsData {
            version: value("version"),
            three_ds_server_trans_id: value("threeDSServerTransID"),
            three_ds_method_url: value("threeDSMethodURL"),
            three_ds_method_data: value("threeDSMethodData"),
            challenge: value("challenge"),
            alphaauthresult: value("alphaauthresult"),
            challengeurl: value("challengeurl"),
            challengerequest: value("challengerequest"),
            responsecode: value("responsecode"),
            pareq: value("pareq"),
            acsurl: value("acsurl").or_else(|| value("ascurl")),
            md: value("md"),
        }
    }

    /// Fills the fields still missing from `other`.
    fn fill_from(&mut self, other: AssistThreeDsData) {
        fn fill(a: &mut Option<String>, b: Option<String>) {
            if non_empty(a).is_none() {
                if let Some(b) = b {
                    *a = Some(b);
                }
            }
        }
        fill(&mut self.version, other.version);
        fill(
            &mut self.three_ds_server_trans_id,
            other.three_ds_server_trans_id,
        );
        fill(&mut self.three_ds_method_url, other.three_ds_method_url);
        fill(&mut self.three_ds_method_data, other.three_ds_method_data);
        fill(&mut self.challenge, other.challenge);
        fill(&mut self.alphaauthresult, other.alphaauthresult);
        fill(&mut self.challengeurl, other.challengeurl);
        fill(&mut self.challengerequest, other.challengerequest);
        fill(&mut self.responsecode, other.responsecode);
        fill(&mut self.pareq, other.pareq);
        fill(&mut self.acsurl, other.acsurl);
        fill(&mut self.md, other.md);
    }

    /// 3DS1 (seed 002, "3D-Secure авторизация по протоколу версии 1"): responsecode AS110 (or none given)
    /// with pareq and acsurl, and no 3DS2 `challenge` value (unless `version` says 1).
    fn is_three_ds1(&self) -> bool {
        let v1 = non_empty(&self.version).is_some_and(|v| v.starts_with('1'));
        let code_ok = non_empty(&self.responsecode).is_none_or(|c| c.eq_ignore_ascii_case("AS110"));
        let has_v1_fields = non_empty(&self.pareq).is_some() || non_empty(&self.acsurl).is_some();
        has_v1_fields && code_ok && (v1 || non_empty(&self.challenge).is_none())
    }

    pub fn plan(&self, policy: &UrlPolicy) -> Result<AssistPlan, ErrorCode> {
        if self.is_three_ds1() {
            let pa_req = non_empty(&self.pareq).ok_or(ErrorCode::BadResponse)?;
            let acs = non_empty(&self.acsurl).ok_or(ErrorCode::BadResponse)?;
            return Ok(AssistPlan {
                version: non_empty(&self.version).map(str::to_owned),
                flow: AssistFlow::Challenge,
                three_ds_server_trans_id: None,
                auth_result: None,
                method: None,
                method_skipped: None,
                challenge: Some(AssistChallenge::ThreeDs1 {
                    acs_url: policy.check(acs).map_err(|_| ErrorCode::UnsafeUrl)?,
                    pa_req: pa_req.to_owned(),
                    md: non_empty(&self.md).map(str::to_owned),
                }),
            });
        }
        let flow = non_empty(&self.challenge)
            .and_then(parse_flow)
            .ok_or(ErrorCode::BadResponse)?;
        let (method, method_skipped) = match non_empty(&self.three_ds_method_url) {
            Some(u) => {
                let url = policy.check(u).map_err(|_| ErrorCode::UnsafeUrl)?;
                match non_empty(&self.three_ds_method_data) {
                    Some(data) => (Some((url, data.to_owned())), None),
                    None => (None, Some(MethodSkipped::NoMethodData)),
                }
            }
            None => (None, None),
        };
        let challenge = match flow {
            AssistFlow::Challenge => {
                let url = non_empty(&self.challengeurl).ok_or(ErrorCode::BadResponse)?;
                let creq = non_empty(&self.challengerequest).ok_or(ErrorCode::BadResponse)?;
                Some(AssistChallenge::ThreeDs2 {
                    url: policy.check(url).map_err(|_| ErrorCode::UnsafeUrl)?,
                    creq: creq.to_owned(),
                })
            }
            _ => None,
        };
        Ok(AssistPlan {
            version: non_empty(&self.version).map(str::to_owned),
            flow,
            three_ds_server_trans_id: non_empty(&self.three_ds_server_trans_id).map(str::to_owned),
            auth_result: non_empty(&self.alphaauthresult).map(str::to_owned),
            method,
            method_skipped,
            challenge,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: UrlPolicy = UrlPolicy {
        allow_insecure_loopback: false,
    };

    #[test]
    fn seed_xml_challenge_block() {
        let xml = "<threedsdata> <version>2.0<2</version> <challenge>С<challenge> <challengeurl>https://acs.superbank.ru/version20/creq</challengeurl> <challengerequest>eyJ0aHJl</challengerequest> </threedsdata>";
        let plan = AssistThreeDsData::from_xml(xml).plan(&POLICY).unwrap();
        assert_eq!(plan.flow, AssistFlow::Challenge);
        let Some(AssistChallenge::ThreeDs2 { url, creq }) = plan.challenge else {
            panic!("a 3DS2 challenge")
        };
        assert_eq!(url.as_str(), "https://acs.superbank.ru/version20/creq");
        assert_eq!(creq, "eyJ0aHJl");
    }

    #[test]
    fn json_frictionless_and_decoupled() {
        let d = AssistThreeDsData::parse(
            r#"{"version":"2.2.0","challenge":"F","alphaauthresult":"Y","threeDSMethodURL":"https://acs.bank/m","threeDSMethodData":"abc"}"#,
        );
        let plan = d.plan(&POLICY).unwrap();
        assert_eq!(plan.flow, AssistFlow::Frictionless);
        assert_eq!(plan.auth_result.as_deref(), Some("Y"));
        assert_eq!(plan.method.unwrap().1, "abc");
        let d = AssistThreeDsData::parse(r#"{"challenge":"D"}"#);
        assert_eq!(d.plan(&POLICY).unwrap().flow, AssistFlow::Decoupled);
    }

    #[test]
    fn bad_blocks_are_refused() {
        let d = AssistThreeDsData::parse(r#"{"challenge":"C"}"#);
        assert_eq!(d.plan(&POLICY), Err(ErrorCode::BadResponse));
        let d = AssistThreeDsData::parse(
            r#"{"challenge":"C","challengeurl":"javascript:alert(1)","challengerequest":"x"}"#,
        );
        assert_eq!(d.plan(&POLICY), Err(ErrorCode::UnsafeUrl));
        assert_eq!(
            AssistThreeDsData::default().plan(&POLICY),
            Err(ErrorCode::BadResponse)
        );
    }
}
