//! Scaling sweeps: which worker counts to try, and Amdahl's law fitted to
//! the measured speedups to estimate the serial fraction of the work.

use crate::settings::MAX_WORKERS;

/// 1, 2, 4, … up to the core count, the core count itself, then twice the
/// core count to show what oversubscription does.
pub fn sweep_counts(cores: usize) -> Vec<usize> {
    let cap_all = MAX_WORKERS as usize;
    let cores = cores.clamp(1, cap_all);
    let cap = (MAX_WORKERS as usize).min(cores * 2).max(2);
    let mut counts = Vec::new();
    let mut n = 1;
    while n <= cap {
        counts.push(n);
        n *= 2;
    }
    for extra in [cores, cap] {
        if !counts.contains(&extra) {
            counts.push(extra);
        }
    }
    counts.sort_unstable();
    counts
}

/// Amdahl's law: the speedup on `n` workers when a fraction `serial` of
/// the work cannot run in parallel (`n` is fractional for drawing curves).
pub fn amdahl_speedup(serial: f64, n: f64) -> f64 {
    let n = n.max(1.0);
    1.0 / (serial + (1.0 - serial) / n)
}

/// Least-squares serial fraction for measured `(workers, speedup)` points.
///
/// Amdahl gives `1/S = f + (1 - f)/n`, i.e. `1/S - 1/n = f (1 - 1/n)`: a
/// line through the origin in `x = 1 - 1/n`, so `f = Σxy / Σx²`. Points
/// with one worker carry no information (x = 0). The fit is clamped to
/// [0, 1]; a value near 1 means "no gain at all" (e.g. under a GIL).
pub fn amdahl_fit(points: &[(usize, f64)]) -> Option<f64> {
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(n, s) in points {
        if n < 2 || !(s.is_finite() && s > 0.0) {
            continue;
        }
        let x = 1.0 - 1.0 / n as f64;
        let y = 1.0 / s - 1.0 / n as f64;
        sxy += x * y;
        sxx += x * x;
    }
    (sxx > 0.0).then(|| (sxy / sxx).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cover_cores_and_beyond() {
        assert_eq!(sweep_counts(2), vec![1, 2, 4]);
        assert_eq!(sweep_counts(1), vec![1, 2]);
        assert_eq!(sweep_counts(6), vec![1, 2, 4, 6, 8, 12]);
        assert_eq!(sweep_counts(8), vec![1, 2, 4, 8, 16]);
        assert!(sweep_counts(1000).iter().all(|&n| n <= MAX_WORKERS as usize));
    }

    #[test]
    fn fit_recovers_a_known_serial_fraction() {
        for f in [0.0, 0.1, 0.5, 1.0] {
            let pts: Vec<(usize, f64)> = [1, 2, 4, 8].iter().map(|&n| (n, amdahl_speedup(f, n as f64))).collect();
            let got = amdahl_fit(&pts).unwrap();
            assert!((got - f).abs() < 1e-9, "{f} → {got}");
        }
    }

    #[test]
    fn fit_of_no_gain_is_fully_serial() {
        assert_eq!(amdahl_fit(&[(1, 1.0), (2, 0.97), (4, 0.95)]), Some(1.0));
        assert_eq!(amdahl_fit(&[(1, 1.0)]), None);
        assert_eq!(amdahl_speedup(0.0, 4.0), 4.0);
    }
}
