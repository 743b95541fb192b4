//! What runs produced and what they mean: a run's timeline and statistics
//! (`report`), the verdict after Run all (`summary`), scaling sweeps and
//! Amdahl's law (`scaling`), the crossover map of mixed work
//! (`crossover`), what a process costs (`costs`), and what moving data to
//! workers costs (`moving_data`).

pub mod costs;
pub mod crossover;
pub mod moving_data;
pub mod report;
pub mod scaling;
pub mod summary;
