//! Sandbox cards and what each one does (docs/sandbox-contract.md, "Card behaviours").

/// The 3DS path a card takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Flow {
    /// No 3DS, approved.
    NoTds,
    /// 3DS1 (PaReq/ACS/TermUrl), code 12345678.
    Tds1,
    /// 3DS2 challenge, both methods.
    Challenge,
    /// 3DS2 frictionless, both methods (challenged when the gather POST did not arrive).
    Frictionless,
    /// 3DS2 challenge, only the 3DS Server method.
    ChallengeServerOnly,
    /// 3DS2 frictionless, then soft decline → methods again → challenge.
    SoftDecline,
    /// 3DS2 decoupled: continue.do redirects, the order stays at status 5.
    Decoupled,
    /// No 3DS, declined for insufficient funds (actionCode 116).
    InsufficientFunds,
    /// 3DS2 challenge passes, then the issuer declines (actionCode 5).
    IssuerDecline,
    /// 3DS2, the ACS method page never answers, then frictionless.
    AcsMethodHangs,
    /// 3DS2 frictionless with no method URLs at all.
    NoMethods,
}

impl Flow {
    pub fn for_pan(pan: &str) -> Flow {
        match pan {
            "4012001038166662" => Flow::Tds1,
            "5555555555555599" => Flow::Challenge,
            "4000001111111118" => Flow::Frictionless,
            "4000002222222224" => Flow::ChallengeServerOnly,
            "4000003333333330" => Flow::SoftDecline,
            "4000004444444446" => Flow::Decoupled,
            "4000005555555557" => Flow::InsufficientFunds,
            "4000006666666663" => Flow::IssuerDecline,
            "4000007777777779" => Flow::AcsMethodHangs,
            "5200001111111113" => Flow::NoMethods,
            _ => Flow::NoTds,
        }
    }

    pub fn is_3ds2(self) -> bool {
        !matches!(self, Flow::NoTds | Flow::Tds1 | Flow::InsufficientFunds)
    }

    /// The 3DS Server gather method is offered.
    pub fn server_method(self) -> bool {
        self.is_3ds2() && self != Flow::NoMethods
    }

    /// The ACS method (threeDSMethodURL + threeDSMethodDataPacked) is offered.
    pub fn acs_method(self) -> bool {
        self.server_method() && self != Flow::ChallengeServerOnly
    }
}

/// Luhn check over a string of digits.
pub fn luhn(pan: &str) -> bool {
    if pan.is_empty() || !pan.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = pan
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// UnionPay (BINs 62…, 81…): its numbers need not pass the Luhn check (the network's rule; Braintree's card-validator
/// and other card libraries skip the check for UnionPay), and a gateway routes them by BIN.
pub fn is_unionpay(pan: &str) -> bool {
    pan.starts_with("62") || pan.starts_with("81")
}

/// A card number as the gateway takes it: digits only, 12–19 of them, Luhn-valid unless UnionPay.
pub fn pan_checks_out(pan: &str) -> bool {
    (12..=19).contains(&pan.len())
        && pan.bytes().all(|b| b.is_ascii_digit())
        && (is_unionpay(pan) || luhn(pan))
}

/// first6 + `**` + last4, the gateway's maskedPan format (444455**3333).
pub fn mask_pan(pan: &str) -> String {
    let digits: String = pan.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() < 10 {
        return "**".to_string();
    }
    format!("{}**{}", &digits[..6], &digits[digits.len() - 4..])
}

/// A string that looks like a full card number (12–19 digits, spaces/dashes allowed, Luhn-valid or UnionPay).
pub fn looks_like_pan(s: &str) -> bool {
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return false;
    }
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    pan_checks_out(&digits)
}

pub fn payment_system(pan_or_mask: &str) -> &'static str {
    if is_unionpay(pan_or_mask) {
        return "CUP";
    }
    if pan_or_mask.starts_with("220") && matches!(pan_or_mask.as_bytes().get(3), Some(b'0'..=b'4'))
    {
        return "MIR";
    }
    match pan_or_mask.as_bytes().first() {
        Some(b'4') => "VISA",
        Some(b'5') | Some(b'2') => "MASTERCARD",
        Some(b'3') => "AMEX",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_sandbox_cards_pass_luhn() {
        for pan in [
            "4444555511113333",
            "4012001038166662",
            "5555555555555599",
            "4000001111111118",
            "4000002222222224",
            "4000003333333330",
            "4000004444444446",
            "4000005555555557",
            "4000006666666663",
            "4000007777777779",
            "5200001111111113",
        ] {
            assert!(luhn(pan), "{pan}");
        }
        assert_eq!(mask_pan("4444555511113333"), "444455**3333");
        assert!(!luhn("4444555511113334"));
    }

    #[test]
    fn unionpay_numbers_need_no_luhn_check_digit() {
        assert!(!luhn("6200000000000006"));
        assert!(pan_checks_out("6200000000000006"));
        assert!(pan_checks_out("8171999927660001"));
        assert!(!pan_checks_out("4444555511113334"));
        assert!(!pan_checks_out("62000000000"));
        assert!(looks_like_pan("6200 0000 0000 0006"));
        assert_eq!(payment_system("620000**0006"), "CUP");
        assert_eq!(payment_system("220012**3456"), "MIR");
        assert_eq!(payment_system("555555**5599"), "MASTERCARD");
    }
}
