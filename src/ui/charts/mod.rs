//! The page's SVG charts: a run's timeline, the scaling sweep, the
//! crossover map, and each claim card's chart — drawn on the shared scales
//! (`scale`, pure and tested natively) and axes (`kit`).

#[cfg(target_arch = "wasm32")]
pub(crate) mod claim_chart;
#[cfg(target_arch = "wasm32")]
pub(crate) mod crossover_chart;
#[cfg(target_arch = "wasm32")]
pub(crate) mod kit;
pub(crate) mod scale;
#[cfg(target_arch = "wasm32")]
pub(crate) mod scaling_chart;
#[cfg(target_arch = "wasm32")]
pub(crate) mod timeline;
