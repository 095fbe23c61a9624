//! The shopper's card as the module holds it for one payment: validated, never printed, wiped on drop.

use crate::error::ErrorCode;
use crate::prelude::*;
use zeroize::{Zeroize, Zeroizing};

/// Overwrites a secret string's bytes in place (the buffer is not freed unwiped).
pub fn wipe_string(s: &mut String) {
    s.zeroize();
}

/// A validated card. `Debug` shows only the masked number.
pub struct CardData {
    pan: String,
    cvc: String,
    /// Four digits.
    pub year: String,
    /// Two digits.
    pub month: String,
    pub cardholder: String,
}

impl Drop for CardData {
    fn drop(&mut self) {
        self.pan.zeroize();
        self.cvc.zeroize();
    }
}

impl core::fmt::Debug for CardData {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CardData")
            .field("pan", &mask_pan(&self.pan))
            .finish_non_exhaustive()
    }
}

/// first 6 + ** + last 4, as the gateway masks.
pub fn mask_pan(pan: &str) -> String {
    if pan.len() < 12 || !pan.is_ascii() {
        return "****".to_owned();
    }
    let mut m = String::with_capacity(12);
    m.push_str(pan.get(..6).unwrap_or(""));
    m.push_str("**");
    m.push_str(pan.get(pan.len() - 4..).unwrap_or(""));
    m
}

/// The Luhn check over ASCII digits (a card number without spaces).
pub fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// UnionPay (BINs 62…, 81…): its numbers need not pass the Luhn check (the network's rule; Braintree's
/// card-validator and other card libraries skip it for UnionPay). Refused here, such a card could never be paid.
fn luhn_exempt(pan: &str) -> bool {
    pan.starts_with("62") || pan.starts_with("81")
}

/// Digits only, whitespace (no-break and thin spaces too: banking apps group numbers with them) and dashes
/// removed; 12–19 digits with a valid Luhn check digit (UnionPay's need none).
pub fn normalize_pan(raw: &str) -> Result<String, ErrorCode> {
    // Wiped when refused; moved out (not copied) when accepted.
    let mut pan = Zeroizing::new(
        raw.chars()
            .filter(|c| !(c.is_whitespace() || *c == '-'))
            .collect::<String>(),
    );
    if !(12..=19).contains(&pan.len())
        || !pan.bytes().all(|b| b.is_ascii_digit())
        || !(luhn_exempt(&pan) || luhn_ok(&pan))
    {
        return Err(ErrorCode::InvalidCardNumber);
    }
    Ok(core::mem::take(&mut *pan))
}

/// What may separate an expiry's month and year.
const SEPARATORS: &[u8] = b"/- .";

/// Parses "MM/YY", "MM/YYYY", "MM-YY", "MMYY" into ("YYYY", "MM") and refuses months in the past, unless
/// `past_ok` (a test environment, whose documented cards may have expired: the seeds' expire 12/24).
/// `today` is (year, month) from the caller's clock.
pub fn parse_expiry(
    raw: &str,
    today: (u32, u32),
    past_ok: bool,
) -> Result<(String, String), ErrorCode> {
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let has_sep = crate::text::find_any(raw, SEPARATORS).is_some();
    let (mm, yy) = match crate::text::split_any(raw, SEPARATORS)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()[..]
    {
        [m, y] if has_sep => (m.trim().to_owned(), y.trim().to_owned()),
        [_] if !has_sep && (digits.len() == 4 || digits.len() == 6) => {
            let (m, y) = digits.split_at_checked(2).unwrap_or_default();
            (m.to_owned(), y.to_owned())
        }
        _ => return Err(ErrorCode::InvalidExpiry),
    };
    if !mm.bytes().all(|b| b.is_ascii_digit()) || !yy.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ErrorCode::InvalidExpiry);
    }
    let number = |s: &str| crate::text::parse_u64(s).and_then(|n| u32::try_from(n).ok());
    let month = number(&mm).ok_or(ErrorCode::InvalidExpiry)?;
    let year = match yy.len() {
        2 => 2000 + number(&yy).ok_or(ErrorCode::InvalidExpiry)?,
        4 => number(&yy).ok_or(ErrorCode::InvalidExpiry)?,
        _ => return Err(ErrorCode::InvalidExpiry),
    };
    if !(1..=12).contains(&month) || ((year, month) < today && !past_ok) || year > today.0 + 30 {
        return Err(ErrorCode::InvalidExpiry);
    }
    let mut mm = String::new();
    if month < 10 {
        mm.push('0');
    }
    crate::json::push_uint(&mut mm, u64::from(month));
    Ok((crate::json::int_text(i64::from(year)), mm))
}

impl CardData {
    /// Validates the shopper's input. `today` = (year, month); `past_ok` as in [`parse_expiry`].
    pub fn new(
        pan: &str,
        expiry: &str,
        cvc: &str,
        cardholder: &str,
        today: (u32, u32),
        past_ok: bool,
    ) -> Result<CardData, ErrorCode> {
        // Wiped if a later check refuses the card.
        let mut pan = Zeroizing::new(normalize_pan(pan)?);
        let (year, month) = parse_expiry(expiry, today, past_ok)?;
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ErrorCode::InvalidCvc);
        }
        let cardholder = cardholder.trim();
        if cardholder.is_empty()
            || cardholder.chars().count() > 64
            || cardholder.chars().any(char::is_control)
        {
            return Err(ErrorCode::InvalidCardholder);
        }
        Ok(CardData {
            pan: core::mem::take(&mut *pan),
            cvc: cvc.to_owned(),
            year,
            month,
            cardholder: cardholder.to_owned(),
        })
    }

    pub fn pan(&self) -> &str {
        &self.pan
    }
    pub fn cvc(&self) -> &str {
        &self.cvc
    }
    pub fn masked_pan(&self) -> String {
        mask_pan(&self.pan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: (u32, u32) = (2026, 11);

    #[test]
    fn accepts_the_seeds_cards() {
        for pan in [
            "4444 5555 1111 3333",
            "4012001038166662",
            "5555-5555-5555-5599",
            "4000001111111118",
        ] {
            assert!(normalize_pan(pan).is_ok(), "{pan}");
        }
    }

    /// Banking apps and PDFs group card numbers with no-break or thin spaces, and a pasted number may end in a
    /// newline: a merchant's own form passes its field's value as it is.
    #[test]
    fn any_whitespace_between_the_digits_is_taken() {
        for pan in [
            "4444\u{a0}5555\u{a0}1111\u{a0}3333",
            "4444\u{202f}5555\u{202f}1111\u{202f}3333",
            "4444\u{2009}5555\u{2009}1111\u{2009}3333",
            "4444 5555 1111 3333\n",
            "\t4444555511113333",
        ] {
            assert_eq!(normalize_pan(pan), Ok("4444555511113333".into()), "{pan:?}");
        }
    }

    #[test]
    fn unionpay_numbers_need_no_luhn_check_digit() {
        assert!(!luhn_ok("6200000000000006"));
        assert_eq!(
            normalize_pan("6200 0000 0000 0006"),
            Ok("6200000000000006".into())
        );
        assert!(normalize_pan("8171999927660001").is_ok());
        assert!(normalize_pan("6212345678901234567").is_ok());
        // Still digits, still 12–19 of them.
        assert!(normalize_pan("62000000000").is_err());
        assert!(normalize_pan("62000000000000000000").is_err());
        assert!(normalize_pan("6200x00000000006").is_err());
    }

    #[test]
    fn refuses_bad_numbers() {
        for pan in [
            "4444555511113334",
            "1234",
            "4444x55511113333",
            "",
            "44445555111133334444",
        ] {
            assert_eq!(
                normalize_pan(pan),
                Err(ErrorCode::InvalidCardNumber),
                "{pan}"
            );
        }
    }

    #[test]
    fn expiry_formats_and_the_past() {
        assert_eq!(
            parse_expiry("12/30", TODAY, false),
            Ok(("2030".into(), "12".into()))
        );
        assert_eq!(
            parse_expiry("1/2030", TODAY, false),
            Ok(("2030".into(), "01".into()))
        );
        assert_eq!(
            parse_expiry("1130", TODAY, false),
            Ok(("2030".into(), "11".into()))
        );
        assert_eq!(
            parse_expiry("11/26", TODAY, false),
            Ok(("2026".into(), "11".into()))
        );
        assert_eq!(
            parse_expiry("10/26", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("12/24", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("13/30", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("ab/cd", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("12/99", TODAY, false),
            Err(ErrorCode::InvalidExpiry)
        );
        // A test environment's cards: the seeds' 12/24 is past, and taken; nonsense is not.
        assert_eq!(
            parse_expiry("12/24", TODAY, true),
            Ok(("2024".into(), "12".into()))
        );
        assert_eq!(
            parse_expiry("13/24", TODAY, true),
            Err(ErrorCode::InvalidExpiry)
        );
        assert_eq!(
            parse_expiry("12/99", TODAY, true),
            Err(ErrorCode::InvalidExpiry)
        );
    }

    #[test]
    fn debug_never_shows_the_card() {
        let c = CardData::new(
            "4444555511113333",
            "12/30",
            "123",
            "TEST CARDHOLDER",
            TODAY,
            false,
        )
        .unwrap();
        let shown = std::format!("{c:?}");
        assert!(shown.contains("444455**3333"));
        assert!(!shown.contains("4444555511113333") && !shown.contains("123"));
    }

    #[test]
    fn cvc_and_cardholder_checks() {
        assert_eq!(
            CardData::new("4444555511113333", "12/30", "12", "A", TODAY, false).err(),
            Some(ErrorCode::InvalidCvc)
        );
        assert_eq!(
            CardData::new("4444555511113333", "12/30", "12a", "A", TODAY, false).err(),
            Some(ErrorCode::InvalidCvc)
        );
        assert_eq!(
            CardData::new("4444555511113333", "12/30", "123", " ", TODAY, false).err(),
            Some(ErrorCode::InvalidCardholder)
        );
        assert!(CardData::new("4444555511113333", "12/30", "1234", "Ä B", TODAY, false).is_ok());
    }
}
