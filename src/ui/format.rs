//! Number formatting shared by the components (thousands separators,
//! milliseconds that read well from 0.05 ms to minutes).

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
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
pub(crate) fn ms(v: f64) -> String {
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
pub(crate) fn times(v: f64) -> String {
    format!("{v:.2}×")
}

/// "1 core", "2 cores": the English count of cores.
pub(crate) fn cores_en(n: usize) -> String {
    if n == 1 {
        "1 core".to_owned()
    } else {
        format!("{n} cores")
    }
}
