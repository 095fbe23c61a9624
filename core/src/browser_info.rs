//! Browser data for 3DS2: what the page can read (a `BrowserSnapshot`) normalised into the EMVCo fields,
//! the gateway's `clientBrowserInfo` object and Assist's field names.

use crate::error::ErrorCode;
use crate::json::{int_text, push_int};
use crate::prelude::*;
use crate::text::contains;
use crate::value::{Obj, Value};
use crate::window_size::ChallengeWindowSize;

/// What the web layer reads from `navigator`, `screen`, `Intl` and `Date`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BrowserSnapshot {
    pub user_agent: String,
    /// navigator.language, e.g. "ru-RU".
    pub language: String,
    /// screen.colorDepth (EMVCo browserColorDepth, the gateway's colorDepth).
    pub color_depth: i32,
    /// screen.pixelDepth: what seed 002 names for Assist's CLIENT_SCREEN_COLORS ("Screen.pixelDepth");
    /// 0 when the host has none (then colorDepth stands in).
    pub pixel_depth: i32,
    pub screen_width: i32,
    pub screen_height: i32,
    pub avail_width: i32,
    pub avail_height: i32,
    /// new Date().getTimezoneOffset(): minutes, positive west of UTC (UTC+5 → -300).
    pub tz_offset_minutes: i32,
    /// Intl's IANA zone, e.g. "Asia/Almaty".
    pub time_zone: Option<String>,
    pub java_enabled: bool,
    /// The page's Accept header, when the merchant's server passes it in (only a server sees it).
    pub accept_header: Option<String>,
    /// The shopper's IP, when the merchant's server passes it in.
    pub ip: Option<String>,
    pub challenge_window: ChallengeWindowSize,
}

/// EMVCo 2.2 allows these colour depths; others round down to the next allowed value.
const COLOR_DEPTHS: [i32; 8] = [1, 4, 8, 15, 16, 24, 32, 48];
/// When a browser hides its Accept header from scripts, the value browsers send for documents.
const DEFAULT_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// EMVCo 3DS2 browser fields, named as in the AReq.
#[derive(Clone, Debug, PartialEq)]
pub struct EmvcoBrowserInfo {
    pub browser_accept_header: String,
    pub browser_ip: Option<String>,
    pub browser_java_enabled: bool,
    pub browser_javascript_enabled: bool,
    pub browser_language: String,
    pub browser_color_depth: String,
    pub browser_screen_height: String,
    pub browser_screen_width: String,
    pub browser_tz: String,
    pub browser_user_agent: String,
    pub challenge_window_size: String,
}

/// Assist's names for the same data (seed 002, the silentpay browser-fields table). Limits as the seed gives
/// them: HEADER_HTTP_ACCEPT and HEADER_HTTP_USER_AGENT "Строка, 255 байт", CLIENT_BROWSER_LANGUAGE
/// "Строковый (5 байт)", CLIENT_SCREEN_RES "Строковый, 16 символов": UTF-8 bytes, never cut inside a
/// character. CLIENT_SCREEN_COLORS is "Screen.pixelDepth" rounded to "(1, 4,8,15,16,24,32,48)". ClientIP is
/// "Максимум 15 цифр, 4 разделителя «.»": a dotted IPv4 address, omitted when the shopper's IP is missing or
/// not IPv4 (see [`AssistBrowserFields::require_client_ip`] for 3DS2, where the seed makes it required).
#[derive(Clone, Debug, PartialEq)]
pub struct AssistBrowserFields {
    pub header_http_accept: String,
    pub header_http_user_agent: String,
    pub client_java: bool,
    pub client_browser_language: String,
    pub client_screen_colors: i32,
    pub client_screen_res: String,
    pub challenge_window_size: String,
    pub client_ip: Option<String>,
}

/// The gateway's `clientBrowserInfo` object for paymentorder.do.
#[derive(Clone, Debug, PartialEq)]
pub struct GatewayClientBrowserInfo {
    pub user_agent: String,
    pub os: String,
    pub os_version: String,
    pub browser_accept_header: String,
    pub browser_ip_address: Option<String>,
    pub browser_language: String,
    pub browser_time_zone: String,
    pub browser_time_zone_offset: i32,
    pub color_depth: i32,
    pub screen_height: i32,
    pub screen_width: i32,
    pub screen_print: String,
    pub java_enabled: bool,
    pub javascript_enabled: bool,
    pub is_mobile: bool,
    pub device: String,
    pub device_type: String,
}

/// The three views of one snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct BrowserInfo {
    pub emvco: EmvcoBrowserInfo,
    pub gateway: GatewayClientBrowserInfo,
    pub assist: AssistBrowserFields,
}

/// EMVCo colour depth: the allowed value at or below `depth` (30 → 24); below 1 → 1; unknown (0) → 24.
pub fn normalize_color_depth(depth: i32) -> i32 {
    if depth == 0 {
        return 24;
    }
    COLOR_DEPTHS
        .iter()
        .rev()
        .copied()
        .find(|&d| d <= depth)
        .unwrap_or(1)
}

/// Appends `{width}x{height}`.
fn push_size(out: &mut String, width: i32, height: i32) {
    push_int(out, i64::from(width));
    out.push('x');
    push_int(out, i64::from(height));
}

/// Cuts `s` to at most `max` characters (never inside a character).
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Cuts `s` to at most `max` UTF-8 bytes, never inside a character (seed 002 counts Assist's limits in
/// "байт").
pub fn clip_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Assist's CLIENT_BROWSER_LANGUAGE ("Строковый (5 байт)"): the longest run of whole subtags that fits in
/// 5 bytes ("zh-Hant-TW" → "zh", not "zh-Ha"); a first subtag longer than that is cut at 5 bytes.
fn assist_language(language: &str) -> String {
    const MAX: usize = 5;
    let mut end = 0;
    for (i, _) in language.match_indices('-').chain([(language.len(), "")]) {
        if i > MAX {
            break;
        }
        end = i;
    }
    if end == 0 {
        clip_bytes(language, MAX).to_owned()
    } else {
        language.get(..end).unwrap_or("").to_owned()
    }
}

/// Assist's ClientIP (seed 002: "Максимум 15 цифр, 4 разделителя «.»", i.e. dotted IPv4): the address in
/// dotted-decimal form, or None when `raw` is not IPv4. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what
/// a dual-stack server often sees) gives its IPv4 address.
pub fn assist_client_ip(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let v4 = match raw.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("::ffff:") => raw.get(7..).unwrap_or(""),
        _ => raw,
    };
    // Canonical dotted decimal only (four parts, 0–255, no leading zeros: what core::net's parser takes),
    // so the address is given back as written. Checked by hand: core::net's parser costs ~1 KB of wasm.
    let mut parts = 0;
    for part in crate::text::split_any(v4, b".") {
        let canonical = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'));
        if !canonical || part.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')) > 255 {
            return None;
        }
        parts += 1;
    }
    (parts == 4).then(|| v4.to_owned())
}

/// Operating system, its version, and the device class, guessed from the user agent.
fn platform(ua: &str) -> (&'static str, String, bool, &'static str) {
    let version_after = |marker: &str| -> String {
        crate::text::find(ua, marker)
            .map(|i| {
                ua.get(i + marker.len()..)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
                    .collect::<String>()
                    .replace('_', ".")
            })
            .unwrap_or_default()
    };
    if contains(ua, "iPad") {
        ("iOS", version_after("OS "), true, "tablet")
    } else if contains(ua, "iPhone") || contains(ua, "iPod") {
        ("iOS", version_after("OS "), true, "mobile")
    } else if contains(ua, "Android") {
        let mobile = contains(ua, "Mobile");
        (
            "Android",
            version_after("Android "),
            true,
            if mobile { "mobile" } else { "tablet" },
        )
    } else if contains(ua, "Windows") {
        ("Windows", version_after("Windows NT "), false, "desktop")
    } else if contains(ua, "Mac OS X") {
        ("macOS", version_after("Mac OS X "), false, "desktop")
    } else if contains(ua, "CrOS") {
        ("ChromeOS", String::new(), false, "desktop")
    } else if contains(ua, "Linux") {
        ("Linux", String::new(), false, "desktop")
    } else {
        ("Unknown", String::new(), false, "desktop")
    }
}

/// The snapshot's values checked and clipped once, for each shape built from them.
struct Normalized {
    accept: String,
    ua: String,
    language: String,
    depth: i32,
    width: i32,
    height: i32,
    tz: i32,
    ip: Option<String>,
}

impl BrowserSnapshot {
    fn normalized(&self) -> Normalized {
        let accept = self
            .accept_header
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .unwrap_or(DEFAULT_ACCEPT);
        Normalized {
            accept: clip(accept, 2048),
            ua: clip(&self.user_agent, 2048),
            // EMVCo 2.2: browserLanguage 1–35 characters (BCP 47); Assist: 5 bytes.
            language: if self.language.trim().is_empty() {
                "en".to_owned()
            } else {
                clip(self.language.trim(), 35)
            },
            depth: normalize_color_depth(self.color_depth),
            width: self.screen_width.clamp(0, 999_999),
            height: self.screen_height.clamp(0, 999_999),
            // EMVCo browserTZ: the getTimezoneOffset() value as is, 1–5 characters.
            tz: self.tz_offset_minutes.clamp(-9999, 99999),
            ip: self
                .ip
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| clip(s, 45)),
        }
    }

    /// The gateway's clientBrowserInfo alone: what payCard and payBinding send (the card-only build then
    /// carries no code for the EMVCo and Assist shapes).
    pub fn gateway_info(&self) -> GatewayClientBrowserInfo {
        self.gateway_from(&self.normalized())
    }

    fn gateway_from(&self, n: &Normalized) -> GatewayClientBrowserInfo {
        let (os, os_version, is_mobile, device_type) = platform(&n.ua);
        GatewayClientBrowserInfo {
            user_agent: n.ua.clone(),
            os: os.to_owned(),
            os_version,
            browser_accept_header: n.accept.clone(),
            browser_ip_address: n.ip.clone(),
            browser_language: n.language.clone(),
            browser_time_zone: self.time_zone.clone().unwrap_or_default(),
            browser_time_zone_offset: n.tz,
            color_depth: n.depth,
            screen_height: n.height,
            screen_width: n.width,
            screen_print: {
                let mut p = String::from("Current Resolution: ");
                push_size(&mut p, n.width, n.height);
                p.push_str(", Available Resolution: ");
                push_size(
                    &mut p,
                    self.avail_width.clamp(0, 999_999),
                    self.avail_height.clamp(0, 999_999),
                );
                p.push_str(", Color Depth: ");
                push_int(&mut p, i64::from(n.depth));
                p
            },
            java_enabled: self.java_enabled,
            javascript_enabled: true,
            is_mobile,
            device: device_type.to_owned(),
            device_type: device_type.to_owned(),
        }
    }

    /// All three shapes: EMVCo's fields, the gateway's clientBrowserInfo, Assist's names.
    pub fn normalize(&self) -> BrowserInfo {
        let n = self.normalized();
        // Seed 002: CLIENT_SCREEN_COLORS is "Screen.pixelDepth" (colorDepth when the host has none).
        let pixel_depth = normalize_color_depth(if self.pixel_depth > 0 {
            self.pixel_depth
        } else {
            self.color_depth
        });
        let window = self.challenge_window.code().to_owned();
        BrowserInfo {
            emvco: EmvcoBrowserInfo {
                browser_accept_header: n.accept.clone(),
                browser_ip: n.ip.clone(),
                // navigator.javaEnabled() is false in every current browser.
                browser_java_enabled: self.java_enabled,
                browser_javascript_enabled: true,
                browser_language: n.language.clone(),
                browser_color_depth: int_text(i64::from(n.depth)),
                browser_screen_height: int_text(i64::from(n.height)),
                browser_screen_width: int_text(i64::from(n.width)),
                browser_tz: int_text(i64::from(n.tz)),
                browser_user_agent: n.ua.clone(),
                challenge_window_size: window.clone(),
            },
            gateway: self.gateway_from(&n),
            assist: AssistBrowserFields {
                header_http_accept: clip_bytes(&n.accept, 255).to_owned(),
                header_http_user_agent: clip_bytes(&n.ua, 255).to_owned(),
                client_java: self.java_enabled,
                client_browser_language: assist_language(&n.language),
                client_screen_colors: pixel_depth,
                client_screen_res: {
                    let mut r = String::new();
                    push_size(&mut r, n.width, n.height);
                    clip_bytes(&r, 16).to_owned()
                },
                challenge_window_size: window,
                client_ip: n.ip.as_deref().and_then(assist_client_ip),
            },
        }
    }
}

impl AssistBrowserFields {
    /// For a 3DS2 payment: seed 002's silentpay table marks ClientIP "Нет/Да" and says "Параметр является
    /// обязательным для протокола 3-D Secure версии 2", so a 3DS2-bound caller gets `InvalidOption` when it
    /// is missing or was not an IPv4 address, instead of a request Assist would refuse.
    pub fn require_client_ip(&self) -> Result<&str, ErrorCode> {
        self.client_ip.as_deref().ok_or(ErrorCode::InvalidOption)
    }
}

impl EmvcoBrowserInfo {
    pub fn to_value(&self) -> Value {
        Obj::new()
            .str("browserAcceptHeader", self.browser_accept_header.as_str())
            .opt_str("browserIP", self.browser_ip.as_deref())
            .bool("browserJavaEnabled", self.browser_java_enabled)
            .bool("browserJavascriptEnabled", self.browser_javascript_enabled)
            .str("browserLanguage", self.browser_language.as_str())
            .str("browserColorDepth", self.browser_color_depth.as_str())
            .str("browserScreenHeight", self.browser_screen_height.as_str())
            .str("browserScreenWidth", self.browser_screen_width.as_str())
            .str("browserTZ", self.browser_tz.as_str())
            .str("browserUserAgent", self.browser_user_agent.as_str())
            .str("challengeWindowSize", self.challenge_window_size.as_str())
            .into()
    }
}

impl AssistBrowserFields {
    pub fn to_value(&self) -> Value {
        Obj::new()
            .str("HEADER_HTTP_ACCEPT", self.header_http_accept.as_str())
            .str(
                "HEADER_HTTP_USER_AGENT",
                self.header_http_user_agent.as_str(),
            )
            .bool("CLIENT_JAVA", self.client_java)
            .str(
                "CLIENT_BROWSER_LANGUAGE",
                self.client_browser_language.as_str(),
            )
            .int("CLIENT_SCREEN_COLORS", i64::from(self.client_screen_colors))
            .str("CLIENT_SCREEN_RES", self.client_screen_res.as_str())
            .str("ChallengeWindowSize", self.challenge_window_size.as_str())
            .opt_str("ClientIP", self.client_ip.as_deref())
            .into()
    }
}

impl GatewayClientBrowserInfo {
    pub fn to_value(&self) -> Value {
        Obj::new()
            .str("userAgent", self.user_agent.as_str())
            .str("OS", self.os.as_str())
            .str("OSVersion", self.os_version.as_str())
            .str("browserAcceptHeader", self.browser_accept_header.as_str())
            .opt_str("browserIpAddress", self.browser_ip_address.as_deref())
            .str("browserLanguage", self.browser_language.as_str())
            .str("browserTimeZone", self.browser_time_zone.as_str())
            .int(
                "browserTimeZoneOffset",
                i64::from(self.browser_time_zone_offset),
            )
            .int("colorDepth", i64::from(self.color_depth))
            .int("screenHeight", i64::from(self.screen_height))
            .int("screenWidth", i64::from(self.screen_width))
            .str("screenPrint", self.screen_print.as_str())
            .bool("javaEnabled", self.java_enabled)
            .bool("javascriptEnabled", self.javascript_enabled)
            .bool("isMobile", self.is_mobile)
            .str("device", self.device.as_str())
            .str("deviceType", self.device_type.as_str())
            .into()
    }

    /// The JSON text sent as paymentorder.do's `clientBrowserInfo` parameter.
    pub fn to_json(&self) -> String {
        self.to_value().to_json()
    }
}

impl BrowserInfo {
    /// `{emvco, gateway, assist}` as collectBrowserInfo() returns it.
    pub fn to_value(&self) -> Value {
        Obj::new()
            .put("emvco", self.emvco.to_value())
            .put("gateway", self.gateway.to_value())
            .put("assist", self.assist.to_value())
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> BrowserSnapshot {
        BrowserSnapshot {
            user_agent:
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36"
                    .into(),
            language: "ru-RU".into(),
            color_depth: 30,
            pixel_depth: 30,
            screen_width: 1920,
            screen_height: 1080,
            avail_width: 1920,
            avail_height: 1040,
            tz_offset_minutes: -300,
            time_zone: Some("Asia/Almaty".into()),
            java_enabled: false,
            accept_header: None,
            ip: Some("185.230.240.201".into()),
            challenge_window: ChallengeWindowSize::W500H600,
        }
    }

    #[test]
    fn colour_depth_rounds_down_to_allowed_values() {
        assert_eq!(normalize_color_depth(30), 24);
        assert_eq!(normalize_color_depth(24), 24);
        assert_eq!(normalize_color_depth(64), 48);
        assert_eq!(normalize_color_depth(2), 1);
        assert_eq!(normalize_color_depth(-3), 1);
        assert_eq!(normalize_color_depth(0), 24);
        assert_eq!(normalize_color_depth(15), 15);
    }

    #[test]
    fn emvco_fields_follow_the_spec() {
        let info = snapshot().normalize();
        let e = &info.emvco;
        assert_eq!(e.browser_color_depth, "24");
        assert_eq!(e.browser_tz, "-300");
        assert!(!e.browser_java_enabled);
        assert!(e.browser_javascript_enabled);
        assert_eq!(e.browser_language, "ru-RU");
        assert_eq!(e.challenge_window_size, "03");
        assert_eq!(e.browser_accept_header, DEFAULT_ACCEPT);
        let v: serde_json::Value = serde_json::from_str(&e.to_value().to_json()).unwrap();
        assert_eq!(v["browserTZ"], "-300");
        assert_eq!(v["browserIP"], "185.230.240.201");
        assert_eq!(v["browserScreenWidth"], "1920");
    }

    #[test]
    fn gateway_info_alone_equals_the_full_sets_gateway_shape() {
        let mut s = snapshot();
        assert_eq!(s.gateway_info(), s.normalize().gateway);
        s.ip = Some("  10.0.0.1 ".into());
        s.accept_header = None;
        s.language = " ".into();
        assert_eq!(s.gateway_info(), s.normalize().gateway);
    }

    #[test]
    fn assist_and_gateway_names_from_the_same_data() {
        let info = snapshot().normalize();
        let a: serde_json::Value = serde_json::from_str(&info.assist.to_value().to_json()).unwrap();
        assert_eq!(a["CLIENT_SCREEN_RES"], "1920x1080");
        assert_eq!(a["CLIENT_SCREEN_COLORS"], 24);
        assert_eq!(a["CLIENT_BROWSER_LANGUAGE"], "ru-RU");
        assert_eq!(a["ChallengeWindowSize"], "03");
        assert_eq!(a["ClientIP"], "185.230.240.201");
        let g: serde_json::Value = serde_json::from_str(&info.gateway.to_json()).unwrap();
        assert_eq!(
            g["screenPrint"],
            "Current Resolution: 1920x1080, Available Resolution: 1920x1040, Color Depth: 24"
        );
        assert_eq!(g["colorDepth"], 24);
        assert_eq!(g.as_object().unwrap().len(), 17);
        assert_eq!(g["OS"], "Linux");
        assert_eq!(g["browserTimeZoneOffset"], -300);
        assert_eq!(g["isMobile"], false);
    }

    /// Seed 002: CLIENT_BROWSER_LANGUAGE "Строковый (5 байт)": whole subtags within 5 UTF-8 bytes.
    #[test]
    fn seed_002_assist_language_is_5_bytes_of_whole_subtags() {
        assert_eq!(assist_language("ru-RU"), "ru-RU");
        assert_eq!(assist_language("zh-Hant-TW"), "zh");
        assert_eq!(assist_language("ast-ES"), "ast");
        assert_eq!(assist_language("ру-RU"), "ру");
        assert_eq!(assist_language("жжж"), "жж");
        assert_eq!(clip_bytes("aж", 2), "a");
    }

    #[test]
    fn limits_and_platforms() {
        let mut s = snapshot();
        s.language = "x".repeat(100);
        s.user_agent =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148".into();
        let info = s.normalize();
        assert_eq!(info.emvco.browser_language.len(), 35);
        assert_eq!(info.assist.client_browser_language.len(), 5);
        assert_eq!(info.gateway.os, "iOS");
        assert_eq!(info.gateway.os_version, "17.4");
        assert!(info.gateway.is_mobile);
        s.language = "  ".into();
        assert_eq!(s.normalize().emvco.browser_language, "en");
    }
}
