//! Putting values in the order of a key, with one sort for every type.
//!
//! `sort_by_key` on a slice of `T` compiles a whole sort (driftsort, about
//! 3 KB of wasm) for each `T`; the page sorted five kinds of values that
//! way. Here the sort runs on `(key, position)` pairs, one instantiation
//! for all of them, and the values are then moved into place. The position
//! breaks ties, so the order is stable, as `sort_by_key`'s is.

/// `items` ordered by `key`, equal keys in their original order.
pub fn by_key<T>(items: Vec<T>, key: impl Fn(&T) -> u64) -> Vec<T> {
    let mut order: Vec<(u64, u64)> = items.iter().enumerate().map(|(i, t)| (key(t), i as u64)).collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|(_, i)| slots.get_mut(i as usize).and_then(Option::take)).collect()
}

/// Sorts `v` in `f64::total_cmp`'s order, through the same `u64` sort: the
/// bits of an `f64`, with the sign bit flipped for positives and every bit
/// flipped for negatives, compare as `total_cmp` compares the numbers (it
/// does this very transformation).
pub fn sort_f64(v: &mut [f64]) {
    let mut keys: Vec<u64> = v.iter().map(|x| total_key(*x)).collect();
    keys.sort_unstable();
    for (x, k) in v.iter_mut().zip(keys) {
        *x = f64::from_bits(if k >> 63 == 1 { k ^ (1 << 63) } else { !k });
    }
}

fn total_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b ^ (1 << 63)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_sort_as_total_cmp_sorts_them() {
        let mut v = vec![2.5, -0.0, f64::INFINITY, -3.0, 0.0, 1e-300, -1e300, f64::NEG_INFINITY, 2.5];
        let mut want = v.clone();
        want.sort_by(f64::total_cmp);
        sort_f64(&mut v);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn orders_by_key_and_keeps_ties_in_place() {
        let v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        assert_eq!(by_key(v, |p| p.0), vec![(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
        assert_eq!(by_key(Vec::<u8>::new(), |&x| u64::from(x)), Vec::<u8>::new());
    }
}
