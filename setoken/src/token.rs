//! The seToken itself, with no JS: the shopper's input checked like payCard's, the plaintext
//! `timestamp/uuid/PAN/CVC/YYYYMM/mdOrder[/bindingId]` (empty slots kept), the gateway's public key read
//! from its PEM (one line, as `se/keys.do` serves it, or wrapped), and RSAES-PKCS1-v1_5 + standard base64.
//! Every copy of the card data made here is wiped.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use checkout_core::card::CardData;
use checkout_core::flow::valid_id;
use checkout_core::ErrorCode;
use rand_core::CryptoRngCore;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};
use zeroize::Zeroizing;

/// Why no seToken was made: a stable code and the field or step that failed (never card data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub detail: &'static str,
}

impl Refusal {
    pub fn new(code: ErrorCode, detail: &'static str) -> Refusal {
        Refusal { code, detail }
    }
}

/// What the caller passed (None = absent).
#[derive(Clone, Copy, Default)]
pub struct Input<'a> {
    pub order_id: &'a str,
    pub pan: Option<&'a str>,
    pub expiry: Option<&'a str>,
    pub cvc: Option<&'a str>,
    pub binding_id: Option<&'a str>,
    /// A test environment (`sandbox`): a past expiry is taken (the seeds' test cards expire 12/24).
    pub past_ok: bool,
}

/// The checked fields of one seToken. PAN and CVC are wiped on drop.
pub struct Fields {
    md_order: String,
    /// Empty for a binding.
    pan: Zeroizing<String>,
    cvc: Zeroizing<String>,
    /// YYYYMM; empty for a binding.
    expiry: String,
    binding_id: Option<String>,
}

impl core::fmt::Debug for Fields {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Fields")
            .field("md_order", &self.md_order)
            .field("binding_id", &self.binding_id)
            .finish_non_exhaustive()
    }
}

fn present(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.trim().is_empty())
}

fn cvc_ok(cvc: &str) -> bool {
    (3..=4).contains(&cvc.len()) && cvc.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the input like payCard (card number with Luhn, expiry not in the past, 3–4 digit CVC) or, with a
/// bindingId, a saved card (its id and the CVC, if any; no number or expiry). `today` = (year, month).
pub fn check(input: Input<'_>, today: (u32, u32)) -> Result<Fields, Refusal> {
    let md_order = input.order_id.trim();
    if !valid_id(md_order) {
        return Err(Refusal::new(ErrorCode::InvalidOrderId, "orderId"));
    }
    let cvc = input.cvc.unwrap_or("").trim();
    if let Some(binding) = input.binding_id {
        let binding = binding.trim();
        if !valid_id(binding) {
            return Err(Refusal::new(ErrorCode::InvalidOption, "bindingId"));
        }
        // A saved card's seToken carries no number and no expiry: both slots stay empty.
        if present(input.pan).is_some() {
            return Err(Refusal::new(ErrorCode::InvalidOption, "pan"));
        }
        if present(input.expiry).is_some() {
            return Err(Refusal::new(ErrorCode::InvalidOption, "expiry"));
        }
        // No CVC at all: a merchant allowed to pay saved cards without it (seed 003, paymentOrderBinding.do); its
        // slot stays empty. One given must be one.
        if !cvc.is_empty() && !cvc_ok(cvc) {
            return Err(Refusal::new(ErrorCode::InvalidCvc, "cvc"));
        }
        return Ok(Fields {
            md_order: md_order.to_owned(),
            pan: Zeroizing::new(String::new()),
            cvc: Zeroizing::new(cvc.to_owned()),
            expiry: String::new(),
            binding_id: Some(binding.to_owned()),
        });
    }
    let pan = input
        .pan
        .ok_or(Refusal::new(ErrorCode::InvalidCardNumber, "pan"))?;
    let expiry = input
        .expiry
        .ok_or(Refusal::new(ErrorCode::InvalidExpiry, "expiry"))?;
    // The cardholder is not part of a seToken; the core's check needs one.
    let card =
        CardData::new(pan, expiry, cvc, "SETOKEN", today, input.past_ok).map_err(|code| {
            let detail = match code {
                ErrorCode::InvalidCardNumber => "pan",
                ErrorCode::InvalidExpiry => "expiry",
                _ => "cvc",
            };
            Refusal::new(code, detail)
        })?;
    // `card` wipes its own copies when it drops at the end of this function.
    let mut expiry = String::with_capacity(6);
    expiry.push_str(&card.year);
    expiry.push_str(&card.month);
    Ok(Fields {
        md_order: md_order.to_owned(),
        pan: Zeroizing::new(card.pan().to_owned()),
        cvc: Zeroizing::new(card.cvc().to_owned()),
        expiry,
        binding_id: None,
    })
}

impl Fields {
    /// `timestamp/uuid/PAN/CVC/YYYYMM/mdOrder[/bindingId]`, in a buffer sized up front (never reallocated,
    /// so no unwiped copy is left behind) and wiped on drop.
    pub fn plaintext(&self, timestamp: &str, uuid: &str) -> Zeroizing<String> {
        let parts: [&str; 6] = [
            timestamp,
            uuid,
            &self.pan,
            &self.cvc,
            &self.expiry,
            &self.md_order,
        ];
        let binding = self.binding_id.as_deref();
        let len =
            parts.iter().map(|p| p.len() + 1).sum::<usize>() + binding.map_or(0, |b| b.len() + 1);
        let mut out = Zeroizing::new(String::with_capacity(len));
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(p);
        }
        if let Some(b) = binding {
            out.push('/');
            out.push_str(b);
        }
        debug_assert!(out.capacity() == len);
        out
    }
}

/// Smallest modulus accepted: a shorter key is not safe, and a 1024-bit key cannot even hold the plaintext
/// (117 bytes at most; a card's is about 130).
pub const MIN_KEY_BITS: usize = 2048;
/// Longer than any PEM of a 4096-bit key (the rsa crate's own ceiling).
const MAX_PEM_CHARS: usize = 16 * 1024;

/// The gateway's public key from its text: `-----BEGIN PUBLIC KEY-----…-----END PUBLIC KEY-----` (SPKI) on
/// one line as `se/keys.do` serves it or wrapped at any width, `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1), or
/// the bare base64 of either. None for anything else, or a key under [`MIN_KEY_BITS`].
pub fn public_key(text: &str) -> Option<RsaPublicKey> {
    if text.len() > MAX_PEM_CHARS {
        return None;
    }
    let mut body = text.trim();
    for (begin, end) in [
        ("-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"),
        (
            "-----BEGIN RSA PUBLIC KEY-----",
            "-----END RSA PUBLIC KEY-----",
        ),
    ] {
        if let Some(rest) = body.strip_prefix(begin) {
            body = rest.strip_suffix(end)?;
            break;
        }
    }
    let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let der = lenient.decode(b64).ok()?;
    let key = RsaPublicKey::from_public_key_der(&der)
        .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
        .ok()?;
    (key.n().bits() >= MIN_KEY_BITS).then_some(key)
}

/// RSAES-PKCS1-v1_5 of the plaintext with `key`, as standard base64 (with padding). None when the plaintext
/// does not fit the key (never for a key of [`MIN_KEY_BITS`] and the fields [`check`] lets through).
pub fn encrypt<R: CryptoRngCore>(
    key: &RsaPublicKey,
    plaintext: &[u8],
    rng: &mut R,
) -> Option<String> {
    // The rsa crate pads into a buffer it wipes itself.
    let sealed = key.encrypt(rng, Pkcs1v15Encrypt, plaintext).ok()?;
    Some(STANDARD.encode(sealed))
}

/// A moment of the shopper's local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub year: u32,
    /// 1–12
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Minutes east of UTC (+05:00 → 300); JS's getTimezoneOffset() is the opposite.
    pub offset_minutes: i32,
}

/// `yyyy-MM-ddTHH:mm:ss±HH:mm`
pub fn timestamp(t: LocalTime) -> String {
    let sign = if t.offset_minutes < 0 { '-' } else { '+' };
    let off = t.offset_minutes.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        off / 60,
        off % 60
    )
}

/// A random (version 4, RFC 9562 variant) UUID from 16 random bytes, lower-case hex.
pub fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(HEX[usize::from(byte >> 4)] as char);
        s.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    s
}

/// The first key of the gateway's `se/keys.do` answer, from its fields: `protocolVersion` must be RSA,
/// `keyExpiration` (ms since the epoch) after `now_ms`, and `keyValue` a key [`public_key`] reads.
pub fn gateway_key(
    key_value: Option<&str>,
    protocol_version: Option<&str>,
    key_expiration_ms: Option<f64>,
    now_ms: f64,
) -> Result<RsaPublicKey, Refusal> {
    let bad = |detail| Refusal::new(ErrorCode::BadResponse, detail);
    if !protocol_version.is_some_and(|p| p.trim().eq_ignore_ascii_case("RSA")) {
        return Err(bad("protocolVersion"));
    }
    if !key_expiration_ms.is_some_and(|e| e.is_finite() && e > now_ms) {
        return Err(bad("keyExpiration"));
    }
    key_value.and_then(public_key).ok_or(bad("keyValue"))
}
