//! The tour of claims: the view (`view`), its reducer (`state`), a
//! claim's card (`claim_card`) and texts (`claim_texts`), and another
//! machine's export beside this one's (`machine_compare`).
//!
//! The reducer is pure and also compiles natively, for its tests; the
//! components only for the page (wasm).

#[cfg(target_arch = "wasm32")]
pub(crate) mod claim_card;
#[cfg(target_arch = "wasm32")]
pub(crate) mod claim_texts;
#[cfg(target_arch = "wasm32")]
pub(crate) mod machine_compare;
pub(crate) mod state;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view;
