//! What one click of the lab's run buttons asks for: the runs, in order,
//! and the batch they make. Pure, so it is tested natively.

use crate::ui::state::{BatchKind, EnvInfo};
use engine::analysis::crossover::SHARES;
use engine::analysis::scaling::sweep_counts;
use engine::work::workload::{Mix, Plan};
use engine::{Model, Settings, Workload, WorkloadKind};

/// Which button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    One,
    All,
    Sweep,
    /// The crossover map of mixed tasks.
    Crossover,
}

/// The runs one click asks for.
pub(crate) fn plan_for(kind: RunKind, settings: Settings, env: EnvInfo) -> (BatchKind, Vec<Settings>) {
    match kind {
        RunKind::One => (BatchKind::Single, vec![settings]),
        RunKind::All => (BatchKind::All, Model::ALL.iter().map(|&m| settings.for_model(m)).collect()),
        RunKind::Sweep => {
            // Models with one worker have nothing to sweep: use free threads
            // (or processes where threads are unavailable).
            let model = if settings.model.uses_worker_count() {
                settings.model
            } else if env.isolated {
                Model::Threads
            } else {
                Model::Processes
            };
            let runs =
                sweep_counts(env.cores()).into_iter().map(|n| Settings { model, workers: n, ..settings }).collect();
            (BatchKind::Sweep(model), runs)
        }
        RunKind::Crossover => {
            // The form's mixed tasks, or the default ones.
            let mut base = settings;
            if base.workload.kind != WorkloadKind::Mixed {
                let kind = WorkloadKind::Mixed;
                let mix = Some(Mix { cpu_percent: 0, rounds_per_ms: 0 });
                base.workload =
                    Workload { kind, size: kind.default_size(), tasks: kind.default_tasks(), plan: Plan::Uniform, mix };
            }
            let mut runs = Vec::new();
            for share in SHARES {
                let mut w = base.workload;
                w.mix = w.mix.map(|m| Mix { cpu_percent: share, ..m });
                // Thread models need isolation; without it they are left out
                // rather than failing 14 times.
                for &m in Model::ALL.iter().filter(|m| env.isolated || !m.needs_shared_memory()) {
                    runs.push(Settings { workload: w, crash: false, ..base.for_model(m) });
                }
            }
            (BatchKind::Crossover, runs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::state::CoiStatus;
    use engine::cores::Cores;
    use engine::settings::RawSettings;

    fn env(cores: usize, isolated: bool) -> EnvInfo {
        EnvInfo { isolated, core_count: Cores::reported(cores), coi: CoiStatus::Isolated, memory_gap: None }
    }

    fn form(model: Model) -> Settings {
        let s = RawSettings::defaults(4).validate().unwrap_or_else(|e| panic!("defaults validate: {e:?}"));
        Settings { model, ..s }
    }

    #[test]
    fn run_is_the_form_and_run_all_is_every_model_on_the_same_work() {
        let s = form(Model::Processes);
        assert_eq!(plan_for(RunKind::One, s, env(4, true)), (BatchKind::Single, vec![s]));
        let (kind, runs) = plan_for(RunKind::All, s, env(4, true));
        assert_eq!(kind, BatchKind::All);
        assert_eq!(runs.iter().map(|r| r.model).collect::<Vec<_>>(), Model::ALL.to_vec());
        assert!(runs.iter().all(|r| r.workload == s.workload));
    }

    #[test]
    fn a_sweep_uses_a_model_with_workers_and_the_measured_cores() {
        let (kind, runs) = plan_for(RunKind::Sweep, form(Model::Processes), env(4, true));
        assert_eq!(kind, BatchKind::Sweep(Model::Processes));
        assert_eq!(runs.iter().map(|r| r.workers).collect::<Vec<_>>(), sweep_counts(4));
        // Sequential has no worker count: free threads, or processes
        // where threads cannot run.
        assert_eq!(plan_for(RunKind::Sweep, form(Model::Sequential), env(4, true)).0, BatchKind::Sweep(Model::Threads));
        assert_eq!(
            plan_for(RunKind::Sweep, form(Model::Sequential), env(4, false)).0,
            BatchKind::Sweep(Model::Processes)
        );
        let mut measured = env(4, true);
        measured.core_count.measured = Some(2);
        let (_, runs) = plan_for(RunKind::Sweep, form(Model::Processes), measured);
        assert_eq!(runs.iter().map(|r| r.workers).collect::<Vec<_>>(), sweep_counts(2));
    }

    #[test]
    fn the_crossover_map_runs_every_share_on_the_models_the_page_can_run() {
        let (kind, runs) = plan_for(RunKind::Crossover, form(Model::Processes), env(4, true));
        assert_eq!(kind, BatchKind::Crossover);
        assert_eq!(runs.len(), SHARES.len() * Model::ALL.len());
        assert!(runs.iter().all(|r| r.workload.kind == WorkloadKind::Mixed && !r.crash));
        let shares: Vec<u32> = runs.iter().filter_map(|r| r.workload.mix.map(|m| m.cpu_percent)).collect();
        assert_eq!(shares.len(), runs.len());
        for share in SHARES {
            assert_eq!(shares.iter().filter(|&&s| s == share).count(), Model::ALL.len());
        }
        // Without shared memory the thread models are left out.
        let (_, runs) = plan_for(RunKind::Crossover, form(Model::Processes), env(4, false));
        assert!(runs.iter().all(|r| !r.model.needs_shared_memory()));
        assert_eq!(runs.len(), SHARES.len() * Model::ALL.iter().filter(|m| !m.needs_shared_memory()).count());
    }
}
