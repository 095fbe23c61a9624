//! seToken natively: the plaintext layout (card and binding), the checks and their codes, the keys the
//! gateway may serve, RSAES-PKCS1-v1_5 round trips with test private keys (this crate's and the sandbox's),
//! and no panic on garbage.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use checkout_core::ErrorCode;
use gateway_checkout_setoken::token::{
    check, encrypt, gateway_key, public_key, timestamp, uuid_v4, Input, LocalTime, Refusal,
};
use rand_core::{CryptoRng, RngCore};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};

const TODAY: (u32, u32) = (2026, 11);
const ORDER: &str = "9231a838-ac68-4a6c-b3f9-2a0a0a5a4b1e";
const TS: &str = "2026-11-29T10:15:30+05:00";
const UUID: &str = "2b1a1c0e-8c0e-4a7e-9a4c-3f1e2d3c4b5a";

const TEST_KEY: &str = include_str!("../src/testdata/test_key.pem");
const TEST_PUBLIC_PKCS1: &str = include_str!("../src/testdata/test_public_pkcs1.pem");
const SMALL_PUBLIC: &str = include_str!("../src/testdata/small_public.pem");
/// The sandbox's fixed (public) seToken key pair: what its paymentorder.do decrypts with.
const SANDBOX_KEY: &str = include_str!("../../sandbox/src/setoken_key.pem");

/// xorshift64*: enough for padding bytes in tests (the module uses crypto.getRandomValues).
struct TestRng(u64);
impl RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl CryptoRng for TestRng {}

fn der_of_pem(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    STANDARD.decode(b64.trim()).unwrap()
}

fn private(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_der(&der_of_pem(pem)).unwrap()
}

/// The public key as the gateway serves it: SPKI PEM on one line.
fn one_line_pem(key: &RsaPrivateKey) -> String {
    let der = key.to_public_key().to_public_key_der().unwrap();
    format!(
        "-----BEGIN PUBLIC KEY-----{}-----END PUBLIC KEY-----",
        STANDARD.encode(der.as_bytes())
    )
}

fn card(pan: &str, expiry: &str, cvc: &str) -> Input<'static> {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    Input {
        order_id: ORDER,
        pan: Some(leak(pan)),
        expiry: Some(leak(expiry)),
        cvc: Some(leak(cvc)),
        binding_id: None,
        past_ok: false,
    }
}

fn refusal(input: Input<'_>) -> Refusal {
    check(input, TODAY).expect_err("refused")
}

#[test]
fn plaintext_of_a_card() {
    let f = check(card("4444 5555 1111 3333", "12/30", "123"), TODAY).unwrap();
    assert_eq!(
        f.plaintext(TS, UUID).as_str(),
        format!("{TS}/{UUID}/4444555511113333/123/203012/{ORDER}")
    );
    // MM/YYYY, dashes, a 4-digit CVC, spaces around the order.
    let f = check(
        Input {
            order_id: " abc_123 ",
            ..card("5555-5555-5555-5599", "01/2031", " 1234 ")
        },
        TODAY,
    )
    .unwrap();
    assert_eq!(
        f.plaintext(TS, UUID).as_str(),
        format!("{TS}/{UUID}/5555555555555599/1234/203101/abc_123")
    );
}

#[test]
fn plaintext_of_a_binding_keeps_the_empty_slots() {
    let f = check(
        Input {
            order_id: ORDER,
            cvc: Some("321"),
            binding_id: Some("b7e0c1d2-0000-4000-8000-1234567890ab"),
            past_ok: false,
            ..Input::default()
        },
        TODAY,
    )
    .unwrap();
    assert_eq!(
        f.plaintext(TS, UUID).as_str(),
        format!("{TS}/{UUID}//321//{ORDER}/b7e0c1d2-0000-4000-8000-1234567890ab")
    );
    // Empty strings for the card slots are the same as absent.
    assert!(check(
        Input {
            order_id: ORDER,
            pan: Some(""),
            expiry: Some(" "),
            cvc: Some("321"),
            binding_id: Some("b1"),
            past_ok: false,
        },
        TODAY
    )
    .is_ok());
}

#[test]
fn refusals_have_the_payment_modules_codes() {
    let r = |code, detail| Refusal { code, detail };
    use ErrorCode::*;
    assert_eq!(
        refusal(card("4444 5555 1111 3334", "12/30", "123")),
        r(InvalidCardNumber, "pan")
    );
    assert_eq!(
        refusal(card("", "12/30", "123")),
        r(InvalidCardNumber, "pan")
    );
    assert_eq!(
        refusal(Input {
            pan: None,
            ..card("", "12/30", "123")
        }),
        r(InvalidCardNumber, "pan")
    );
    assert_eq!(
        refusal(card("4444555511113333", "10/26", "123")),
        r(InvalidExpiry, "expiry")
    );
    // A test environment (`sandbox`) takes the seeds' test cards as documented (12/24, a past month).
    assert!(check(
        Input {
            past_ok: true,
            ..card("4444555511113333", "12/24", "123")
        },
        TODAY
    )
    .is_ok());
    assert_eq!(
        refusal(card("4444555511113333", "13/30", "123")),
        r(InvalidExpiry, "expiry")
    );
    assert_eq!(
        refusal(Input {
            expiry: None,
            ..card("4444555511113333", "", "123")
        }),
        r(InvalidExpiry, "expiry")
    );
    assert_eq!(
        refusal(card("4444555511113333", "12/30", "12")),
        r(InvalidCvc, "cvc")
    );
    assert_eq!(
        refusal(card("4444555511113333", "12/30", "12a")),
        r(InvalidCvc, "cvc")
    );
    assert_eq!(
        refusal(Input {
            cvc: None,
            ..card("4444555511113333", "12/30", "")
        }),
        r(InvalidCvc, "cvc")
    );
    // A '/' would shift the gateway's fields; so would anything but the gateway's id characters.
    for order in ["", "a/b", "id with space", &"x".repeat(65), "заказ"] {
        assert_eq!(
            refusal(Input {
                order_id: order,
                ..card("4444555511113333", "12/30", "123")
            }),
            r(InvalidOrderId, "orderId"),
            "{order}"
        );
    }
    let binding = |pan, expiry, cvc, id| Input {
        order_id: ORDER,
        pan,
        expiry,
        cvc,
        binding_id: Some(id),
        past_ok: false,
    };
    assert_eq!(
        refusal(binding(None, None, Some("123"), "a/b")),
        r(InvalidOption, "bindingId")
    );
    assert_eq!(
        refusal(binding(None, None, Some("123"), "")),
        r(InvalidOption, "bindingId")
    );
    assert_eq!(
        refusal(binding(Some("4444555511113333"), None, Some("123"), "b1")),
        r(InvalidOption, "pan")
    );
    assert_eq!(
        refusal(binding(None, Some("12/30"), Some("123"), "b1")),
        r(InvalidOption, "expiry")
    );
    // A CVC given must be one; none at all is a merchant's right to pay without it (seed 003, paymentOrderBinding.do:
    // cvc "required unless the merchant may pay without it"): its slot stays empty.
    assert_eq!(
        refusal(binding(None, None, Some("1x3"), "b1")),
        r(InvalidCvc, "cvc")
    );
    let f = check(binding(None, None, None, "b1"), TODAY).unwrap();
    assert_eq!(
        f.plaintext(TS, UUID).as_str(),
        format!("{TS}/{UUID}////{ORDER}/b1")
    );
}

#[test]
fn no_card_data_in_debug_output() {
    let f = check(card("4444 5555 1111 3333", "12/30", "987"), TODAY).unwrap();
    let shown = format!("{f:?}");
    assert!(
        !shown.contains("4444555511113333") && !shown.contains("987"),
        "{shown}"
    );
}

#[test]
fn round_trip_with_the_test_key() {
    let key = private(TEST_KEY);
    let f = check(card("4444 5555 1111 3333", "12/30", "123"), TODAY).unwrap();
    let plain = f.plaintext(TS, UUID);
    let mut rng = TestRng(0x9e37_79b9_7f4a_7c15);
    for pem in [
        one_line_pem(&key),
        key.to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap(),
        key.to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::CRLF)
            .unwrap(),
        TEST_PUBLIC_PKCS1.to_owned(),
        // Bare base64 of the SPKI DER, unpadded.
        STANDARD
            .encode(key.to_public_key().to_public_key_der().unwrap().as_bytes())
            .trim_end_matches('=')
            .to_owned(),
    ] {
        let public = public_key(&pem).unwrap_or_else(|| panic!("{pem}"));
        let token = encrypt(&public, plain.as_bytes(), &mut rng).unwrap();
        let sealed = STANDARD.decode(&token).expect("standard base64");
        assert_eq!(sealed.len(), 256, "a 2048-bit block");
        let opened = key.decrypt(Pkcs1v15Encrypt, &sealed).unwrap();
        assert_eq!(opened, plain.as_bytes());
    }
    // Random padding: the same plaintext never gives the same token twice.
    let public = public_key(&one_line_pem(&key)).unwrap();
    let a = encrypt(&public, plain.as_bytes(), &mut rng).unwrap();
    let b = encrypt(&public, plain.as_bytes(), &mut rng).unwrap();
    assert_ne!(a, b);
}

/// The token as the sandbox's paymentorder.do reads it (sandbox/src/setoken.rs): decrypt, split on '/'.
#[test]
fn the_sandbox_key_opens_it_into_the_gateways_fields() {
    let key = private(SANDBOX_KEY);
    let public = public_key(&one_line_pem(&key)).unwrap();
    let mut rng = TestRng(7);
    let f = check(card("4444555511113333", "12/30", "123"), TODAY).unwrap();
    let token = encrypt(&public, f.plaintext(TS, UUID).as_bytes(), &mut rng).unwrap();
    let text = String::from_utf8(
        key.decrypt(Pkcs1v15Encrypt, &STANDARD.decode(token).unwrap())
            .unwrap(),
    )
    .unwrap();
    let parts: Vec<&str> = text.split('/').collect();
    assert_eq!(
        parts,
        [TS, UUID, "4444555511113333", "123", "203012", ORDER]
    );
    let f = check(
        Input {
            order_id: ORDER,
            cvc: Some("123"),
            binding_id: Some("bnd-1"),
            past_ok: false,
            ..Input::default()
        },
        TODAY,
    )
    .unwrap();
    let token = encrypt(&public, f.plaintext(TS, UUID).as_bytes(), &mut rng).unwrap();
    let text = String::from_utf8(
        key.decrypt(Pkcs1v15Encrypt, &STANDARD.decode(token).unwrap())
            .unwrap(),
    )
    .unwrap();
    let parts: Vec<&str> = text.split('/').collect();
    assert_eq!(parts, [TS, UUID, "", "123", "", ORDER, "bnd-1"]);
}

#[test]
fn bad_keys_are_refused_without_panic() {
    let key = private(TEST_KEY);
    let good = one_line_pem(&key);
    let der = key.to_public_key().to_public_key_der().unwrap();
    let mut bad: Vec<String> = vec![
        String::new(),
        "   ".into(),
        "-----BEGIN PUBLIC KEY-----".into(),
        "-----BEGIN PUBLIC KEY----------END PUBLIC KEY-----".into(),
        "-----BEGIN PUBLIC KEY-----!!!!-----END PUBLIC KEY-----".into(),
        "-----BEGIN PUBLIC KEY-----QUJD-----END PUBLIC KEY-----".into(),
        "-----BEGIN PUBLIC KEY-----ключ-----END PUBLIC KEY-----".into(),
        good.trim_end_matches("-----END PUBLIC KEY-----").into(),
        good.replace("BEGIN PUBLIC", "BEGIN CERTIFICATE"),
        // The private key is not a public key.
        TEST_KEY.into(),
        // 1024 bits: too small.
        SMALL_PUBLIC.into(),
        "A".repeat(20_000),
        "\u{0}\u{1}\u{2}".into(),
    ];
    // Every truncation and a flipped byte at every position of the DER.
    let bytes = der.as_bytes();
    for n in 0..bytes.len() {
        bad.push(STANDARD.encode(&bytes[..n]));
    }
    for i in (0..bytes.len()).step_by(7) {
        let mut b = bytes.to_vec();
        b[i] ^= 0xa5;
        // Flips inside the modulus give another valid key: only the structure flips must fail.
        let pem = STANDARD.encode(&b);
        let _ = public_key(&pem);
    }
    // Pseudo-random garbage.
    let mut rng = TestRng(42);
    for len in [1usize, 2, 16, 100, 294, 300, 600, 2000] {
        let mut g = vec![0u8; len];
        rng.fill_bytes(&mut g);
        bad.push(STANDARD.encode(&g));
        bad.push(String::from_utf8_lossy(&g).into_owned());
    }
    for pem in &bad {
        assert!(
            public_key(pem).is_none(),
            "accepted: {}",
            &pem[..pem.len().min(80)]
        );
    }
    assert!(public_key(&good).is_some());
}

#[test]
fn the_gateways_key_answer_is_checked() {
    let key = private(TEST_KEY);
    let pem = one_line_pem(&key);
    let now = 1_800_000_000_000.0;
    let later = Some(now + 86_400_000.0);
    assert!(gateway_key(Some(&pem), Some("RSA"), later, now).is_ok());
    let bad = |detail| {
        Err::<(), _>(Refusal {
            code: ErrorCode::BadResponse,
            detail,
        })
    };
    let r = |v, p, e| gateway_key(v, p, e, now).map(|_| ());
    assert_eq!(r(Some(&pem), Some("EC"), later), bad("protocolVersion"));
    assert_eq!(r(Some(&pem), None, later), bad("protocolVersion"));
    assert_eq!(r(Some(&pem), Some("RSA"), Some(now)), bad("keyExpiration"));
    assert_eq!(
        r(Some(&pem), Some("RSA"), Some(now - 1.0)),
        bad("keyExpiration")
    );
    assert_eq!(r(Some(&pem), Some("RSA"), None), bad("keyExpiration"));
    assert_eq!(
        r(Some(&pem), Some("RSA"), Some(f64::NAN)),
        bad("keyExpiration")
    );
    assert_eq!(r(None, Some("RSA"), later), bad("keyValue"));
    assert_eq!(r(Some("garbage"), Some("RSA"), later), bad("keyValue"));
    assert_eq!(r(Some(SMALL_PUBLIC), Some("RSA"), later), bad("keyValue"));
}

#[test]
fn timestamps_in_local_time_with_the_offset() {
    let t = |offset_minutes| LocalTime {
        year: 2026,
        month: 3,
        day: 7,
        hour: 9,
        minute: 5,
        second: 4,
        offset_minutes,
    };
    assert_eq!(timestamp(t(300)), "2026-03-07T09:05:04+05:00");
    assert_eq!(timestamp(t(0)), "2026-03-07T09:05:04+00:00");
    assert_eq!(timestamp(t(-210)), "2026-03-07T09:05:04-03:30");
    assert_eq!(timestamp(t(345)), "2026-03-07T09:05:04+05:45");
    assert_eq!(timestamp(t(-720)), "2026-03-07T09:05:04-12:00");
}

#[test]
fn uuids_are_version_4() {
    assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    let mut rng = TestRng(3);
    for _ in 0..100 {
        let mut b = [0u8; 16];
        rng.fill_bytes(&mut b);
        let u = uuid_v4(b);
        let groups: Vec<usize> = u.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert!(u
            .bytes()
            .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    }
}

#[test]
fn the_largest_plaintext_fits_a_2048_bit_key() {
    let key = private(TEST_KEY);
    let public = public_key(&one_line_pem(&key)).unwrap();
    let long_id = "x".repeat(64);
    let pan = luhn_complete("601100000000000000");
    let f = check(
        Input {
            order_id: &long_id,
            ..card(&pan, "12/2030", "1234")
        },
        TODAY,
    )
    .expect("a 19-digit card");
    let plain = f.plaintext("2026-03-07T09:05:04+05:00", UUID);
    assert!(plain.len() > 150);
    assert!(encrypt(&public, plain.as_bytes(), &mut TestRng(9)).is_some());
    let f = check(
        Input {
            order_id: &long_id,
            cvc: Some("1234"),
            binding_id: Some(&long_id),
            past_ok: false,
            ..Input::default()
        },
        TODAY,
    )
    .unwrap();
    assert!(encrypt(
        &public,
        f.plaintext("2026-03-07T09:05:04+05:00", UUID).as_bytes(),
        &mut TestRng(9)
    )
    .is_some());
}

/// `digits` with its Luhn check digit appended (the one the core's check accepts).
fn luhn_complete(digits: &str) -> String {
    (0..10)
        .map(|c| format!("{digits}{c}"))
        .find(|pan| checkout_core::card::luhn_ok(pan))
        .expect("one check digit fits")
}
