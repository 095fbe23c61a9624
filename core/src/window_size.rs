//! EMVCo challenge window sizes and the choice of the one that fits the shopper's screen or container.

#[allow(unused_imports)]
use crate::prelude::*;

/// The CReq's challengeWindowSize.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChallengeWindowSize {
    /// 01: 250 × 400
    W250H400,
    /// 02: 390 × 400
    W390H400,
    /// 03: 500 × 600
    W500H600,
    /// 04: 600 × 400
    W600H400,
    /// 05: full screen (the whole container)
    #[default]
    FullScreen,
}

impl ChallengeWindowSize {
    /// The two-character code, "01" … "05".
    pub fn code(self) -> &'static str {
        match self {
            ChallengeWindowSize::W250H400 => "01",
            ChallengeWindowSize::W390H400 => "02",
            ChallengeWindowSize::W500H600 => "03",
            ChallengeWindowSize::W600H400 => "04",
            ChallengeWindowSize::FullScreen => "05",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Some(match code.trim() {
            "01" | "1" => ChallengeWindowSize::W250H400,
            "02" | "2" => ChallengeWindowSize::W390H400,
            "03" | "3" => ChallengeWindowSize::W500H600,
            "04" | "4" => ChallengeWindowSize::W600H400,
            "05" | "5" => ChallengeWindowSize::FullScreen,
            _ => return None,
        })
    }

    /// Width and height in CSS pixels; None for full screen.
    pub fn dimensions(self) -> Option<(u32, u32)> {
        match self {
            ChallengeWindowSize::W250H400 => Some((250, 400)),
            ChallengeWindowSize::W390H400 => Some((390, 400)),
            ChallengeWindowSize::W500H600 => Some((500, 600)),
            ChallengeWindowSize::W600H400 => Some((600, 400)),
            ChallengeWindowSize::FullScreen => None,
        }
    }

    /// The largest fixed size (by area) that fits `width` × `height`; full screen when none fits
    /// (a phone narrower than 250 px or shorter than 400 px) or the size is unknown (0 or negative).
    pub fn fitting(width: f64, height: f64) -> Self {
        // By area: 03 (300 000) > 04 (240 000) > 02 (156 000) > 01 (100 000).
        const BY_AREA: [ChallengeWindowSize; 4] = [
            ChallengeWindowSize::W500H600,
            ChallengeWindowSize::W600H400,
            ChallengeWindowSize::W390H400,
            ChallengeWindowSize::W250H400,
        ];
        if !(width.is_finite() && height.is_finite()) {
            return ChallengeWindowSize::FullScreen;
        }
        BY_AREA
            .into_iter()
            .find(|s| {
                s.dimensions()
                    .is_some_and(|(w, h)| f64::from(w) <= width && f64::from(h) <= height)
            })
            .unwrap_or(ChallengeWindowSize::FullScreen)
    }
}

#[cfg(test)]
mod tests {
    use super::ChallengeWindowSize as S;

    #[test]
    fn picks_the_largest_that_fits() {
        assert_eq!(S::fitting(1280.0, 800.0), S::W500H600);
        assert_eq!(S::fitting(620.0, 450.0), S::W600H400);
        assert_eq!(S::fitting(599.0, 599.0), S::W390H400);
        assert_eq!(S::fitting(400.0, 420.0), S::W390H400);
        assert_eq!(S::fitting(300.0, 500.0), S::W250H400);
        assert_eq!(S::fitting(250.0, 400.0), S::W250H400);
    }

    #[test]
    fn phones_and_unknown_sizes_get_full_screen() {
        assert_eq!(S::fitting(240.0, 700.0), S::FullScreen);
        assert_eq!(S::fitting(360.0, 399.0), S::FullScreen);
        assert_eq!(S::fitting(0.0, 0.0), S::FullScreen);
        assert_eq!(S::fitting(f64::NAN, 800.0), S::FullScreen);
        assert_eq!(S::fitting(-5.0, 800.0), S::FullScreen);
    }

    #[test]
    fn codes_round_trip() {
        for s in [
            S::W250H400,
            S::W390H400,
            S::W500H600,
            S::W600H400,
            S::FullScreen,
        ] {
            assert_eq!(S::parse(s.code()), Some(s));
        }
        assert_eq!(S::parse("06"), None);
    }
}
