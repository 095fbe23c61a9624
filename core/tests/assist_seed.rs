//! Assist (seed 002, `../shared/seeds/002_*.txt`): where the module departed from the seed's words (issue 12).
//! Every test names the seed phrase it follows.

mod support;

use checkout_core::assist::{
    AssistChallenge, AssistFlow, AssistResponse, AssistThreeDsData, MethodSkipped,
};
use checkout_core::browser_info::{assist_client_ip, clip_bytes, BrowserSnapshot};
use checkout_core::url_policy::UrlPolicy;
use checkout_core::window_size::ChallengeWindowSize;
use checkout_core::ErrorCode;

const POLICY: UrlPolicy = UrlPolicy {
    allow_insecure_loopback: false,
};

fn snapshot() -> BrowserSnapshot {
    BrowserSnapshot {
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0".into(),
        language: "ru-RU".into(),
        color_depth: 24,
        pixel_depth: 24,
        screen_width: 1920,
        screen_height: 1080,
        avail_width: 1920,
        avail_height: 1040,
        tz_offset_minutes: -300,
        time_zone: None,
        java_enabled: false,
        accept_header: None,
        ip: Some("185.230.240.201".into()),
        challenge_window: ChallengeWindowSize::W500H600,
    }
}

fn json(text: &str) -> AssistThreeDsData {
    AssistResponse::read(&support::Json(serde_json::from_str(text).unwrap()))
        .unwrap()
        .data()
}

/// Seed 002: "CLIENT_SCREEN_COLORS | Числовой (1, 4,8,15,16,24,32,48) | Screen.pixelDepth".
#[test]
fn seed_002_client_screen_colors_is_screen_pixel_depth() {
    let mut s = snapshot();
    s.color_depth = 24;
    s.pixel_depth = 32;
    let info = s.normalize();
    assert_eq!(
        info.assist.client_screen_colors, 32,
        "pixelDepth, not colorDepth"
    );
    assert_eq!(
        info.emvco.browser_color_depth, "24",
        "EMVCo keeps colorDepth"
    );
    // Rounded down to the seed's list; a host without pixelDepth (0) falls back to colorDepth.
    s.pixel_depth = 30;
    assert_eq!(s.normalize().assist.client_screen_colors, 24);
    s.pixel_depth = 0;
    s.color_depth = 16;
    assert_eq!(s.normalize().assist.client_screen_colors, 16);
}

/// Seed 002: "ClientIP | Максимум 15 цифр, 4 разделителя «.» | IP адрес покупателя": dotted IPv4 only.
#[test]
fn seed_002_client_ip_is_dotted_ipv4() {
    assert_eq!(
        assist_client_ip(" 10.10.10.10 ").as_deref(),
        Some("10.10.10.10")
    );
    assert_eq!(
        assist_client_ip("255.255.255.255").as_deref(),
        Some("255.255.255.255")
    );
    assert_eq!(
        assist_client_ip("::ffff:127.100.100.101").as_deref(),
        Some("127.100.100.101"),
        "IPv4-mapped IPv6 gives its IPv4"
    );
    for bad in [
        "2001:db8::1",
        "::1",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.4:80",
        "",
        "localhost",
    ] {
        assert_eq!(assist_client_ip(bad), None, "{bad}");
    }
    let mut s = snapshot();
    s.ip = Some("2001:db8::1".into());
    let info = s.normalize();
    assert_eq!(info.assist.client_ip, None, "Assist: omitted");
    assert_eq!(
        info.emvco.browser_ip.as_deref(),
        Some("2001:db8::1"),
        "EMVCo allows IPv6"
    );
    let v: serde_json::Value = serde_json::from_str(&info.assist.to_value().to_json()).unwrap();
    assert!(v.get("ClientIP").is_none());
}

/// Seed 002: "ClientIP | Нет/Да | IP адрес покупателя. Параметр является обязательным для протокола 3-D
/// Secure версии 2.": a 3DS2-bound caller gets a typed error when it is missing or not IPv4.
#[test]
fn seed_002_client_ip_required_for_3ds2() {
    let info = snapshot().normalize();
    assert_eq!(info.assist.require_client_ip(), Ok("185.230.240.201"));
    let mut s = snapshot();
    s.ip = None;
    assert_eq!(
        s.normalize().assist.require_client_ip(),
        Err(ErrorCode::InvalidOption)
    );
    s.ip = Some("fe80::1".into());
    assert_eq!(
        s.normalize().assist.require_client_ip(),
        Err(ErrorCode::InvalidOption)
    );
}

/// Seed 002: "HEADER_HTTP_ACCEPT | Строка, 255 байт", "HEADER_HTTP_USER_AGENT | Строка, 255 байт",
/// "CLIENT_BROWSER_LANGUAGE | Строковый (5 байт)": UTF-8 bytes, never cut inside a character.
#[test]
fn seed_002_lengths_are_bytes() {
    let mut s = snapshot();
    // 200 ASCII + 100 two-byte characters: 300 characters but 400 bytes.
    s.user_agent = format!("{}{}", "a".repeat(200), "ж".repeat(100));
    s.accept_header = Some(format!("text/html;{}", "é".repeat(300)));
    s.language = "ру-RU".into();
    let a = s.normalize().assist;
    assert!(a.header_http_user_agent.len() <= 255);
    assert_eq!(a.header_http_user_agent.len(), 254, "255 would split a 'ж'");
    assert!(a.header_http_user_agent.ends_with('ж'));
    assert!(a.header_http_accept.len() <= 255);
    assert_eq!(a.header_http_accept.len(), 254);
    assert_eq!(a.client_browser_language, "ру", "4 bytes, whole subtag");
    assert!(a.client_browser_language.len() <= 5);
    s.language = "zh-Hant-TW".into();
    assert_eq!(s.normalize().assist.client_browser_language, "zh");
    s.language = "ru-RU".into();
    assert_eq!(s.normalize().assist.client_browser_language, "ru-RU");
    s.language = "жжжжж".into();
    assert_eq!(s.normalize().assist.client_browser_language, "жж");
    // clip_bytes itself: at most `max` bytes, on a character boundary.
    for text in ["", "abc", "жжж", "a€b", "🙂🙂"] {
        for max in 0..10 {
            let c = clip_bytes(text, max);
            assert!(c.len() <= max && text.starts_with(c), "{text} {max}");
        }
    }
    assert_eq!(clip_bytes("🙂🙂", 7), "🙂");
}

/// Seed 002: "При оплате картой, требующей авторизации по протоколу версии 1.0, АПК Ассист возвращает код
/// ответа (responsecode) AS110 и дополнительные поля pareq и acsurl в ответе на запрос авторизации."
/// (The answer table spells it "ascurl": both read.)
#[test]
fn seed_002_3ds1_as110_with_pareq_and_acsurl() {
    let d = json(
        r#"{"MakePaymentResponse":{"responsecode":"AS110","orderstate":"In Process","pareq":"eJxVUk1z","acsurl":"https://acs.bank.example/pa"}}"#,
    );
    let plan = d.plan(&POLICY).unwrap();
    assert_eq!(plan.flow, AssistFlow::Challenge);
    assert_eq!(
        plan.challenge,
        Some(AssistChallenge::ThreeDs1 {
            acs_url: POLICY.check("https://acs.bank.example/pa").unwrap(),
            pa_req: "eJxVUk1z".into(),
            md: None,
        })
    );
    // Top-level fields, the table's "ascurl" spelling, and XML.
    let d = json(
        r#"{"responsecode":"AS110","pareq":"P","ascurl":"https://acs.bank.example/pa","md":"m1"}"#,
    );
    let Some(AssistChallenge::ThreeDs1 { pa_req, md, .. }) = d.plan(&POLICY).unwrap().challenge
    else {
        panic!("3DS1")
    };
    assert_eq!((pa_req.as_str(), md.as_deref()), ("P", Some("m1")));
    let xml = "<result><responsecode>AS110</responsecode><pareq>P1</pareq><acsurl>https://acs.bank.example/pa</acsurl></result>";
    assert!(matches!(
        AssistThreeDsData::from_xml(xml)
            .plan(&POLICY)
            .unwrap()
            .challenge,
        Some(AssistChallenge::ThreeDs1 { .. })
    ));
    // Half a 3DS1 answer, or an unsafe ACS, is refused.
    assert_eq!(
        json(r#"{"responsecode":"AS110","pareq":"P"}"#).plan(&POLICY),
        Err(ErrorCode::BadResponse)
    );
    assert_eq!(
        json(r#"{"responsecode":"AS110","pareq":"P","acsurl":"javascript:alert(1)"}"#)
            .plan(&POLICY),
        Err(ErrorCode::UnsafeUrl)
    );
    // A 3DS2 block wins over stray 3DS1 fields unless its version says 1.
    let d = json(
        r#"{"threedsdata":{"version":"2.2.0","challenge":"D"},"MakePaymentResponse":{"responsecode":"AS110","pareq":"P","acsurl":"https://acs.bank.example/pa"}}"#,
    );
    assert_eq!(d.plan(&POLICY).unwrap().flow, AssistFlow::Decoupled);
}

/// Seed 002: "отправляет POST запрос с одним параметром threeDSMethodData на полученный адрес
/// threeDSMethodURL": without threeDSMethodData there is nothing to post, so the method is skipped (never
/// an empty POST) and the page goes on to get3dsecver2.
#[test]
fn seed_002_method_without_three_ds_method_data_is_not_posted() {
    let d = json(
        r#"{"threedsdata":{"version":"2.2.0","challenge":"F","alphaauthresult":"Y","threeDSMethodURL":"https://acs.bank.example/m"}}"#,
    );
    let plan = d.plan(&POLICY).unwrap();
    assert_eq!(plan.method, None);
    assert_eq!(plan.method_skipped, Some(MethodSkipped::NoMethodData));
    let d = json(
        r#"{"threedsdata":{"challenge":"F","threeDSMethodURL":"https://acs.bank.example/m","threeDSMethodData":"  "}}"#,
    );
    assert_eq!(d.plan(&POLICY).unwrap().method, None, "blank is missing");
    let d = json(
        r#"{"threedsdata":{"challenge":"F","threeDSMethodURL":"https://acs.bank.example/m","threeDSMethodData":"eyJ0"}}"#,
    );
    let plan = d.plan(&POLICY).unwrap();
    assert_eq!(plan.method.unwrap().1, "eyJ0");
    assert_eq!(plan.method_skipped, None);
}

/// Seed 002 lists "C – нужно, F – не нужно, D - отложенная аутентификация"; its page-history example
/// `"challenge": "FC"` (F replaced by C, with "alphaauthresultchallengeurl") is no answer to act on: it was
/// read as frictionless by its first letter, and is refused now.
#[test]
fn seed_002_challenge_fc_is_not_frictionless() {
    let seed_example = r#"{ "threedsdata": { "version": "2.2.0", "challengerequest": "eyJtZXNzYWdlVHlwZSI6IkNSZXEifQ", "alphaauthresultchallengeurl": "Yhttps://fake.3dss.t.paysecure.ru/acs/challenge", "challenge": "FC" }, "MakePaymentResponse": { "responsecode": "AS000AS110", "orderstate": "ApprovedIn Process" } }"#;
    assert_eq!(
        json(seed_example).plan(&POLICY),
        Err(ErrorCode::BadResponse)
    );
    for bad in ["FC", "CF", "Frictionless", "X", "F C", "ФC"] {
        let d = AssistThreeDsData {
            challenge: Some(bad.into()),
            ..Default::default()
        };
        assert_eq!(d.plan(&POLICY), Err(ErrorCode::BadResponse), "{bad}");
    }
    // The three values, and the Cyrillic "С" of the seed's XML example ("<challenge>С<challenge>").
    for (v, flow) in [
        ("F", AssistFlow::Frictionless),
        ("D", AssistFlow::Decoupled),
        (" F ", AssistFlow::Frictionless),
    ] {
        let d = AssistThreeDsData {
            challenge: Some(v.into()),
            ..Default::default()
        };
        assert_eq!(d.plan(&POLICY).unwrap().flow, flow);
    }
    let xml = "<threedsdata> <version>2.0<2</version> <challenge>С<challenge> <challengeurl>https://acs.superbank.ru/version20/creq</challengeurl> <challengerequest>eyJ0</challengerequest> </threedsdata>";
    assert_eq!(
        AssistThreeDsData::from_xml(xml).plan(&POLICY).unwrap().flow,
        AssistFlow::Challenge
    );
}

/// Seed 002's JSON examples wrap the block: `{"threedsdata": {…}, "MakePaymentResponse": {…}}`.
#[test]
fn seed_002_json_answer_with_wrapper() {
    let d = json(
        r#"{"threedsdata":{"version":"2.2.0","alphaauthresult":"Y","challenge":"F"},"MakePaymentResponse":{"responsecode":"AS000","orderstate":"Approved","customer":{"ipaddress":"10.10.10.10"}}}"#,
    );
    let plan = d.plan(&POLICY).unwrap();
    assert_eq!(plan.flow, AssistFlow::Frictionless);
    assert_eq!(plan.auth_result.as_deref(), Some("Y"));
    assert_eq!(plan.version.as_deref(), Some("2.2.0"));
    // The bare block still reads.
    let d = json(
        r#"{"challenge":"C","challengeurl":"https://acs.bank.example/c","challengerequest":"eyJ0"}"#,
    );
    assert!(matches!(
        d.plan(&POLICY).unwrap().challenge,
        Some(AssistChallenge::ThreeDs2 { .. })
    ));
}

/// No input panics the Assist reader (a seeded generator, like core/tests/no_panic.rs).
#[test]
fn assist_reader_never_panics() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let parts = [
        "<",
        ">",
        "<challenge>",
        "<pareq>",
        "<acsurl>",
        "<ascurl>",
        "<responsecode>",
        "AS110",
        "F",
        "C",
        "С",
        "D",
        "FC",
        "https://a.b/c",
        "javascript:x",
        "<threeDSMethodURL>",
        "<threeDSMethodData>",
        "<version>",
        "1.0",
        "2",
        "ж",
        "🙂",
        "</",
        "::ffff:",
        "1.2.3.4",
        " ",
    ];
    for _ in 0..5000 {
        let mut t = String::new();
        for _ in 0..(x % 12) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(parts[(x % parts.len() as u64) as usize]);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let _ = AssistThreeDsData::from_xml(&t).plan(&POLICY);
        let _ = assist_client_ip(&t);
        for max in [0, 1, 5, 16] {
            let _ = clip_bytes(&t, max);
        }
        let mut s = snapshot();
        s.language = t.clone();
        s.user_agent = t.clone();
        s.accept_header = Some(t.clone());
        s.ip = Some(t);
        let a = s.normalize().assist;
        assert!(a.client_browser_language.len() <= 5);
        assert!(a.header_http_accept.len() <= 255 && a.header_http_user_agent.len() <= 255);
    }
}
