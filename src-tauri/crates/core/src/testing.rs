//! Helpers for the unit tests: a small deterministic generator instead of a property-testing
//! crate, for thousands of generated cases.

/// A xorshift generator from `seed`; each call gives a number below `n`.
pub fn numbers(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}
