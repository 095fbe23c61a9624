//! Assist's `threedsdata` block (seed 002) turned into inputs for the generic primitives: the 3DS method
//! (threeDSMethodURL + threeDSMethodData) and the challenge (creq = challengerequest to challengeurl).

use crate::error::ErrorCode;
use crate::url_policy::{SafeUrl, UrlPolicy};
use serde::Deserialize;

/// The block as Assist sends it in JSON (field names as in the seed; all optional).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AssistThreeDsData {
    pub version: Option<String>,
    #[serde(rename = "threeDSServerTransID")]
    pub three_ds_server_trans_id: Option<String>,
    #[serde(rename = "threeDSMethodURL")]
    pub three_ds_method_url: Option<String>,
    #[serde(rename = "threeDSMethodData")]
    pub three_ds_method_data: Option<String>,
    pub challenge: Option<String>,
    pub alphaauthresult: Option<String>,
    pub challengeurl: Option<String>,
    pub challengerequest: Option<String>,
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

/// What the page should do with the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistPlan {
    pub version: Option<String>,
    pub flow: AssistFlow,
    pub three_ds_server_trans_id: Option<String>,
    /// Y/N/A/U/R/E/I, present for frictionless results.
    pub auth_result: Option<String>,
    /// Run this method (hidden iframe, 10 s) before calling get3dsecver2.
    pub method: Option<(SafeUrl, Option<String>)>,
    /// Post `creq` to this URL in an iframe (flow C).
    pub challenge: Option<(SafeUrl, String)>,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl AssistThreeDsData {
    /// Reads the XML form (`<threedsdata><challenge>C</challenge>…</threedsdata>`), tolerating the seed's
    /// unclosed tags: a value runs from `<tag>` to the next `<`.
    pub fn from_xml(xml: &str) -> AssistThreeDsData {
        let value = |tag: &str| -> Option<String> {
            let open = format!("<{tag}>");
            let lower = xml.to_ascii_lowercase();
            let at = lower.find(&open.to_ascii_lowercase())? + open.len();
            let rest = &xml[at..];
            let end = rest.find('<').unwrap_or(rest.len());
            Some(rest[..end].trim().to_owned()).filter(|v| !v.is_empty())
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
        }
    }

    pub fn plan(&self, policy: &UrlPolicy) -> Result<AssistPlan, ErrorCode> {
        // The seed shows Cyrillic "С" for C in one example; accept it.
        let flow = match non_empty(&self.challenge).map(|c| c.chars().next().unwrap_or(' ')) {
            Some('F' | 'f') => AssistFlow::Frictionless,
            Some('C' | 'c' | 'С' | 'с') => AssistFlow::Challenge,
            Some('D' | 'd') => AssistFlow::Decoupled,
            _ => return Err(ErrorCode::BadResponse),
        };
        let method = match non_empty(&self.three_ds_method_url) {
            Some(u) => Some((
                policy.check(u).map_err(|_| ErrorCode::UnsafeUrl)?,
                non_empty(&self.three_ds_method_data).map(str::to_owned),
            )),
            None => None,
        };
        let challenge = match flow {
            AssistFlow::Challenge => {
                let url = non_empty(&self.challengeurl).ok_or(ErrorCode::BadResponse)?;
                let creq = non_empty(&self.challengerequest).ok_or(ErrorCode::BadResponse)?;
                Some((
                    policy.check(url).map_err(|_| ErrorCode::UnsafeUrl)?,
                    creq.to_owned(),
                ))
            }
            _ => None,
        };
        Ok(AssistPlan {
            version: non_empty(&self.version).map(str::to_owned),
            flow,
            three_ds_server_trans_id: non_empty(&self.three_ds_server_trans_id).map(str::to_owned),
            auth_result: non_empty(&self.alphaauthresult).map(str::to_owned),
            method,
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
        let (url, creq) = plan.challenge.unwrap();
        assert_eq!(url.as_str(), "https://acs.superbank.ru/version20/creq");
        assert_eq!(creq, "eyJ0aHJl");
    }

    #[test]
    fn json_frictionless_and_decoupled() {
        let d: AssistThreeDsData =
            serde_json::from_str(r#"{"version":"2.2.0","challenge":"F","alphaauthresult":"Y","threeDSMethodURL":"https://acs.bank/m","threeDSMethodData":"abc"}"#).unwrap();
        let plan = d.plan(&POLICY).unwrap();
        assert_eq!(plan.flow, AssistFlow::Frictionless);
        assert_eq!(plan.auth_result.as_deref(), Some("Y"));
        assert_eq!(plan.method.unwrap().1.as_deref(), Some("abc"));
        let d: AssistThreeDsData = serde_json::from_str(r#"{"challenge":"D"}"#).unwrap();
        assert_eq!(d.plan(&POLICY).unwrap().flow, AssistFlow::Decoupled);
    }

    #[test]
    fn bad_blocks_are_refused() {
        let d: AssistThreeDsData = serde_json::from_str(r#"{"challenge":"C"}"#).unwrap();
        assert_eq!(d.plan(&POLICY), Err(ErrorCode::BadResponse));
        let d: AssistThreeDsData = serde_json::from_str(
            r#"{"challenge":"C","challengeurl":"javascript:alert(1)","challengerequest":"x"}"#,
        )
        .unwrap();
        assert_eq!(d.plan(&POLICY), Err(ErrorCode::UnsafeUrl));
        assert_eq!(
            AssistThreeDsData::default().plan(&POLICY),
            Err(ErrorCode::BadResponse)
        );
    }
}
