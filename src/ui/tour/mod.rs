//! The tour of claims: the view (`view`), its reducer (`state`), a
//! claim's card (`claim_card`) and texts (`claim_texts`), another
//! machine's export beside this one's (`machine_compare`), and the check
//! that runs claims (`check`, in the lab's half of the page's wasm).
//!
//! The reducer is pure and also compiles natively, for its tests; the
//! components only for the page (wasm).

#[cfg(target_arch = "wasm32")]
pub(crate) mod check;
#[cfg(target_arch = "wasm32")]
pub(crate) mod claim_card;
#[cfg(target_arch = "wasm32")]
pub(crate) mod claim_texts;
#[cfg(target_arch = "wasm32")]
pub(crate) mod machine_compare;
pub(crate) mod state;
#[cfg(target_arch = "wasm32")]
pub(crate) mod view;
