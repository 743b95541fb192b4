//! The CPU kernels every model runs. Each is deterministic, checks a cancel
//! flag often enough to stop within a few milliseconds, and returns one `u64`
//! that the workload combines into the run's answer.

use crate::error::Cancelled;
use sha2::{Digest, Sha256};
use std::hint::black_box;

/// How many loop iterations run between two looks at the cancel flag.
const CANCEL_STRIDE: u64 = 4096;

/// Trial division, the textbook way (and the way the Python examples do it):
/// try 2, then every odd divisor up to √n.
///
/// Numbers that fit in 32 bits are divided as `u32`. Native x86 code takes
/// that path on its own (LLVM emits a 32-bit `div` whenever both operands
/// fit), but wasm has no such test: V8 compiles `i64.rem_u` to a 64-bit
/// `div`, which made this kernel 1.67× slower in the page than natively.
/// Same divisors, same answers; only the width of the division changes.
pub fn is_prime(n: u64) -> bool {
    match u32::try_from(n) {
        Ok(small) => trial_division_u32(small),
        Err(_) => trial_division_u64(n),
    }
}

/// Trial division over one width. One body for both: std has no trait for
/// `is_multiple_of` and `isqrt` to write it as a generic function over.
macro_rules! trial_division {
    ($name:ident, $int:ty) => {
        fn $name(n: $int) -> bool {
            if n < 2 {
                return false;
            }
            if n < 4 {
                return true;
            }
            if n.is_multiple_of(2) {
                return false;
            }
            // `d * d <= n` would overflow for the largest `n` of the width:
            // compare with ⌊√n⌋ instead, the same bound.
            let root = n.isqrt();
            let mut d = 3;
            while d <= root {
                if n.is_multiple_of(d) {
                    return false;
                }
                d += 2;
            }
            true
        }
    };
}
trial_division!(trial_division_u32, u32);
trial_division!(trial_division_u64, u64);

/// Number of primes in `lo..hi`.
pub fn count_primes(lo: u64, hi: u64, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
    let mut count = 0;
    let mut n = lo;
    while n < hi {
        let end = (n + CANCEL_STRIDE).min(hi);
        if cancelled() {
            return Err(Cancelled);
        }
        count += (n..end).filter(|&k| is_prime(k)).count() as u64;
        n = end;
    }
    Ok(count)
}

/// `sum(range(lo, hi))` one element at a time. `black_box` stops LLVM from
/// replacing the loop by Gauss's formula: the point is the loop, as in Python.
pub fn sum_range(lo: u64, hi: u64, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
    let mut total: u64 = 0;
    let mut n = lo;
    while n < hi {
        let end = (n + CANCEL_STRIDE * 64).min(hi);
        if cancelled() {
            return Err(Cancelled);
        }
        for k in n..end {
            total = total.wrapping_add(black_box(k));
        }
        n = end;
    }
    Ok(total)
}

/// Which SHA-256 code runs here, for the benchmark's table. Natively the
/// sha2 crate picks the CPU's SHA instructions (x86 SHA-NI, ARMv8 SHA2) at
/// run time when it has them; wasm has no such instructions and always runs
/// the portable code. The `soft-sha` feature forces the portable code
/// natively too, so wasm ÷ native can compare the same algorithm.
pub fn sha256_backend() -> &'static str {
    if cfg!(feature = "soft-sha") {
        return "portable";
    }
    // The same test sha2 0.10 makes (its `x86.rs`: sha, sse2, ssse3, sse4.1).
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    if std::is_x86_feature_detected!("sha")
        && std::is_x86_feature_detected!("sse2")
        && std::is_x86_feature_detected!("ssse3")
        && std::is_x86_feature_detected!("sse4.1")
    {
        return "SHA-NI";
    }
    #[cfg(target_arch = "aarch64")]
    if std::arch::is_aarch64_feature_detected!("sha2") {
        return "ARMv8 SHA2";
    }
    "portable"
}

/// A SHA-256 chain: hash the seed, then hash the digest, `rounds` times.
/// Returns the first 8 bytes of the last digest.
pub fn sha256_chain(seed: u64, rounds: u64, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
    sha256_chain_every(seed, rounds, CANCEL_STRIDE, cancelled)
}

/// Rounds between two checks in the mixed workload's chain: about 15 µs.
/// Under the GIL the check is CPython's eval breaker, where a thread sees
/// a drop request; checking only every few milliseconds would make every
/// hand-over late by that much, which CPython's is not.
const FINE_STRIDE: u64 = 64;

/// The SHA-256 chain, checking `cancelled` every [`FINE_STRIDE`] rounds.
pub fn sha256_chain_fine(seed: u64, rounds: u64, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
    sha256_chain_every(seed, rounds, FINE_STRIDE, cancelled)
}

fn sha256_chain_every(seed: u64, rounds: u64, stride: u64, cancelled: &dyn Fn() -> bool) -> Result<u64, Cancelled> {
    let mut digest: [u8; 32] = Sha256::digest(seed.to_le_bytes()).into();
    for i in 1..rounds {
        if i % stride == 0 && cancelled() {
            return Err(Cancelled);
        }
        digest = Sha256::digest(digest).into();
    }
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    Ok(u64::from_le_bytes(first))
}

/// Iterations spent on Mandelbrot rows `row_lo..row_hi` of a `side`×`side`
/// image of the region [-2, 1] × [-1.5, 1.5].
pub fn mandelbrot_rows(
    side: u64,
    row_lo: u64,
    row_hi: u64,
    max_iter: u32,
    cancelled: &dyn Fn() -> bool,
) -> Result<u64, Cancelled> {
    let mut total = 0u64;
    let scale = 3.0 / side as f64;
    for row in row_lo..row_hi {
        if cancelled() {
            return Err(Cancelled);
        }
        let ci = -1.5 + row as f64 * scale;
        for col in 0..side {
            let cr = -2.0 + col as f64 * scale;
            let (mut zr, mut zi) = (0.0f64, 0.0f64);
            let mut it = 0;
            while it < max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                it += 1;
            }
            total += u64::from(it);
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> bool {
        false
    }

    #[test]
    fn primes_below_known_bounds() {
        assert_eq!(count_primes(0, 100, &never), Ok(25));
        assert_eq!(count_primes(0, 1_000_000, &never), Ok(78_498));
        // Split ranges add up to the whole.
        let parts: u64 = [(0, 333_333), (333_333, 700_001), (700_001, 1_000_000)]
            .iter()
            .map(|&(a, b)| count_primes(a, b, &never).unwrap())
            .sum();
        assert_eq!(parts, 78_498);
    }

    #[test]
    fn both_widths_agree_around_the_32_bit_boundary() {
        // The u32 path ends at u32::MAX; the u64 path starts above it. Each
        // is checked against the other where both apply, and against known
        // primes: 4,294,967,291 is the largest 32-bit prime, 4,294,967,311
        // the smallest above 2^32.
        let max = u64::from(u32::MAX);
        for n in (max - 200)..=max {
            assert_eq!(trial_division_u32(n as u32), n > 2 && trial_division_u64(n), "{n}");
        }
        assert!(is_prime(4_294_967_291));
        assert!(!is_prime(4_294_967_293));
        assert!(is_prime(4_294_967_311));
        assert!(!is_prime(4_294_967_297)); // 641 × 6,700,417 (Euler)
        assert!(!is_prime(65_537 * 65_537));
        assert!(!is_prime(65_521 * 65_521)); // the largest 16-bit prime, squared: fits in u32
    }

    #[test]
    fn small_primes_are_right() {
        let primes: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(primes, vec![2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn sum_matches_gauss() {
        assert_eq!(sum_range(0, 1_000_001, &never), Ok(500_000_500_000));
        assert_eq!(sum_range(10, 10, &never), Ok(0));
    }

    #[test]
    fn sha_chain_matches_reference_digest() {
        // sha256 of 8 zero bytes starts with af5570f5a1810b7a.
        assert_eq!(
            sha256_chain(0, 1, &never),
            Ok(u64::from_le_bytes([0xaf, 0x55, 0x70, 0xf5, 0xa1, 0x81, 0x0b, 0x7a]))
        );
        assert_ne!(sha256_chain(0, 2, &never), sha256_chain(0, 1, &never));
        // The fine-grained chain computes the very same digests.
        assert_eq!(sha256_chain_fine(7, 1000, &never), sha256_chain(7, 1000, &never));
    }

    #[test]
    fn mandelbrot_rows_add_up() {
        let whole = mandelbrot_rows(64, 0, 64, 100, &never).unwrap();
        let halves =
            mandelbrot_rows(64, 0, 32, 100, &never).unwrap() + mandelbrot_rows(64, 32, 64, 100, &never).unwrap();
        assert_eq!(whole, halves);
        assert!(whole > 64 * 64);
    }

    #[test]
    fn kernels_stop_when_cancelled() {
        let yes = || true;
        assert_eq!(count_primes(0, 10_000_000, &yes), Err(Cancelled));
        assert_eq!(sum_range(0, 10_000_000, &yes), Err(Cancelled));
        assert_eq!(sha256_chain(0, 100_000, &yes), Err(Cancelled));
        assert_eq!(mandelbrot_rows(100, 0, 100, 10, &yes), Err(Cancelled));
    }
}
