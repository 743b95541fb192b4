//! The page's SVG charts: a run's timeline, the scaling sweep, the
//! crossover map, and each claim card's chart.

pub(crate) mod claim_chart;
pub(crate) mod crossover_chart;
pub(crate) mod scaling_chart;
pub(crate) mod timeline;
