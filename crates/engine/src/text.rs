//! The two languages the page speaks, and the number formats its texts
//! share. The words themselves live beside what they describe: a claim's
//! sentence, plan and rule in its own file (`tour::claims`), the page's in
//! the app's `ui::i18n`.

crate::named_enum! {
    /// A language of the page; its id is the `lang=` of a URL and the
    /// `lang` attribute of the document.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Lang {
        En = "en",
        Ko = "ko",
    }
}

impl Lang {
    /// Picks the text of this language.
    pub fn s(self, en: &'static str, ko: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration in ms, with as many decimals as make sense.
pub fn ms(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.2} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

/// `1.93×`
pub fn times(v: f64) -> String {
    format!("{v:.2}×")
}

/// A share as a percentage: `0.25` → `25 %`.
pub fn pct(f: f64) -> String {
    format!("{:.0} %", f * 100.0)
}

/// "1 core", "2 cores": the English count of cores.
pub fn cores_en(n: usize) -> String {
    if n == 1 {
        "1 core".to_owned()
    } else {
        format!("{n} cores")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(ms(0.054), "0.05 ms");
        assert_eq!(ms(12.34), "12.3 ms");
        assert_eq!(ms(640.0), "640 ms");
        assert_eq!(ms(12_345.0), "12.35 s");
        assert_eq!(times(1.934), "1.93×");
        assert_eq!(pct(0.25), "25 %");
        assert_eq!(cores_en(1), "1 core");
        assert_eq!(cores_en(4), "4 cores");
        assert_eq!(Lang::from_id("ko"), Some(Lang::Ko));
    }
}
