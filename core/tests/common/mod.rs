//! What the generated-input tests share: a small seeded generator (the same cases every run).
#![allow(dead_code)]

/// xorshift64*: small, seeded, good enough to spread inputs.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A string from pieces that matter to parsers, plus random characters.
    pub fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "https://",
            "http://",
            "//",
            ":",
            "@",
            "[",
            "]",
            "::1",
            "127.0.0.1",
            "localhost",
            "/",
            "?",
            "#",
            "%",
            "\\",
            " ",
            "\n",
            "javascript:",
            "data:",
            "é",
            "ü",
            "{",
            "}",
            "\"",
            "challengeWindowSize",
            "=",
            "0",
            "5",
            "12",
            "/",
            "-",
            "<",
            ">",
            "challenge",
            "C",
            "С",
            "F",
            "D",
            "eyJ",
            "==",
            "\u{0}",
            "\u{2028}",
            "9999999999",
        ];
        let mut s = String::new();
        for _ in 0..self.below(12) {
            if self.below(4) == 0 {
                s.push(char::from_u32((self.next() % 0x3000) as u32).unwrap_or('x'));
            } else {
                s.push_str(self.pick(PIECES));
            }
        }
        s
    }
}
