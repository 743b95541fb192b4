//! Tests of the page's reducer (`LabState`), of `View::choose` and of the isolation words.

use super::*;
use engine::analysis::report::{RunData, TaskOutcome};
use engine::error::Problem;
use engine::work::workload::Mix;
use engine::Settings;

fn env(reported: usize, isolated: bool) -> EnvInfo {
    EnvInfo { isolated, core_count: Cores::reported(reported), coi: CoiStatus::Isolated, memory_gap: None }
}

fn fresh() -> Rc<LabState> {
    Rc::new(LabState::new(env(4, true), Lang::En))
}

fn apply(s: Rc<LabState>, actions: impl IntoIterator<Item = Action>) -> Rc<LabState> {
    actions.into_iter().fold(s, |s, a| s.reduce(a))
}

/// A finished run of `model` on the form's default workload, `wall_ms` long.
fn report(model: Model, wall_ms: f64) -> RunReport {
    let settings = RawSettings::defaults(4).validate().unwrap_or_else(|e| panic!("defaults validate: {e:?}"));
    let s = Settings { model, ..settings };
    let task = &s.workload.tasks()[0];
    let outcome = TaskOutcome::new(task, 0, 1, Vec::new());
    let data = RunData {
        started_at: 0.0,
        finished_at: wall_ms,
        outcomes: vec![outcome],
        failures: Vec::new(),
        loop_blocked_ms: None,
    };
    RunReport::new(&s, 0.0, data)
}

fn too_small(field: Field) -> FieldError {
    FieldError::new(field, Problem::TooSmall { lo: "1".into() })
}

#[test]
fn a_permalink_wins_then_the_query_then_the_remembered_view() {
    assert_eq!(View::choose(true, Some("lab"), Some("lab")), View::Tour);
    assert_eq!(View::choose(false, Some("lab"), Some("tour")), View::Lab);
    assert_eq!(View::choose(false, Some("nonsense"), Some("lab")), View::Lab);
    assert_eq!(View::choose(false, None, Some("bogus")), View::Tour);
    assert_eq!(View::choose(false, None, None), View::Tour);
    for v in [View::Tour, View::Lab] {
        assert_eq!(View::from_id(v.id()), Some(v));
    }
}

#[test]
fn without_shared_memory_the_form_starts_on_processes() {
    assert_eq!(LabState::new(env(4, false), Lang::En).raw.lab.model, Model::Processes.id());
    assert_ne!(LabState::new(env(4, true), Lang::En).raw.lab.model, Model::Processes.id());
}

#[test]
fn an_edit_clears_only_its_own_field_s_message() {
    let s = apply(fresh(), [Action::Invalid(vec![too_small(Field::Size), too_small(Field::Tasks)])]);
    let s = s.reduce(Action::Edit(Field::Size, "5000".into()));
    assert_eq!(s.raw.lab.size, "5000");
    assert_eq!(s.errors, vec![too_small(Field::Tasks)]);
    // Another workload clears every message (its fields are new).
    let s = s.reduce(Action::SetWorkload(WorkloadKind::SleepIo));
    assert!(s.errors.is_empty());
    assert_eq!(s.raw.lab.workload, WorkloadKind::SleepIo.id());
}

#[test]
fn measured_cores_replace_the_default_worker_count_but_not_a_chosen_one() {
    let s = fresh();
    assert_eq!(s.raw.lab.workers, default_workers(4).to_string());
    let measured = s.clone().reduce(Action::CoresMeasured(2));
    assert_eq!(measured.env.cores(), 2);
    assert_eq!(measured.raw.lab.workers, default_workers(2).to_string());
    // Typed by the reader: kept.
    let chosen = apply(s.clone(), [Action::Edit(Field::Workers, "7".into()), Action::CoresMeasured(2)]);
    assert_eq!(chosen.raw.lab.workers, "7");
    assert_eq!(chosen.env.cores(), 2);
    // Carried by a claim's "Open in the lab": kept too.
    let mut raw = RawSettings::defaults(4);
    raw.lab.workers = "3".into();
    let opened = apply(s, [Action::OpenInLab(Box::new(raw), View::Lab), Action::CoresMeasured(2)]);
    assert_eq!((opened.raw.lab.workers.as_str(), opened.view), ("3", View::Lab));
}

#[test]
fn finished_runs_join_the_history_and_the_timelines_up_to_a_limit() {
    let mut s = apply(fresh(), [Action::BatchStarted(BatchKind::Single)]);
    for i in 0..MAX_SHOWN + 2 {
        s = s.reduce(Action::Finished(Box::new(Ok(report(Model::Processes, 100.0 + i as f64)))));
    }
    assert_eq!(s.history.rows.len(), MAX_SHOWN + 2);
    // The oldest leave the timelines first; ids are never reused.
    assert_eq!(s.shown, (3..=MAX_SHOWN + 2).collect::<Vec<_>>());
    assert_eq!(s.batch.as_ref().map(|b| b.ids.len()), Some(MAX_SHOWN + 2));
    // A failure is in the table, not on the timelines.
    let failure = RunFailure {
        model: Model::Threads,
        workload: report(Model::Threads, 1.0).workload,
        error: RunError::Cancelled,
    };
    let s = s.reduce(Action::Finished(Box::new(Err(failure))));
    assert_eq!(s.history.rows.len(), MAX_SHOWN + 3);
    assert!(!s.shown.contains(&(MAX_SHOWN + 3)));
}

#[test]
fn a_comparison_batch_starts_a_fresh_comparison_and_ends_in_a_verdict() {
    let s = apply(
        fresh(),
        [Action::BatchStarted(BatchKind::Single), Action::Finished(Box::new(Ok(report(Model::Sequential, 400.0))))],
    );
    assert_eq!(s.shown.len(), 1);
    let mut s = s.reduce(Action::BatchStarted(BatchKind::All));
    assert!(s.shown.is_empty(), "Run all clears the timelines it replaces");
    assert_eq!(s.verdict(), None);
    for (m, ms) in [
        (Model::Sequential, 400.0),
        (Model::GilThreads, 390.0),
        (Model::Threads, 110.0),
        (Model::Processes, 120.0),
        (Model::Asyncio, 405.0),
    ] {
        s = s.reduce(Action::Finished(Box::new(Ok(report(m, ms)))));
    }
    assert_eq!(s.verdict(), None, "no verdict before the batch is done");
    let s = s.reduce(Action::BatchDone);
    let verdict = s.verdict().unwrap_or_else(|| panic!("a verdict after Run all"));
    assert_eq!(verdict.winner, Model::Threads);
}

#[test]
fn a_measured_mixed_rate_is_written_back_only_into_a_blank_field() {
    let mixed = |rate: u32| {
        let mut r = report(Model::Processes, 100.0);
        r.workload.kind = WorkloadKind::Mixed;
        r.workload.mix = Some(Mix { cpu_percent: 50, rounds_per_ms: rate });
        r
    };
    let s = fresh().reduce(Action::SetWorkload(WorkloadKind::Mixed));
    assert_eq!(s.raw.lab.rate, "");
    let s = s.reduce(Action::Finished(Box::new(Ok(mixed(4321)))));
    assert_eq!((s.raw.lab.rate.as_str(), s.calibration()), ("4321", Some(4321)));
    // A rate the reader (or a link) gave stays.
    let s = s.reduce(Action::Edit(Field::Rate, "999".into())).reduce(Action::Finished(Box::new(Ok(mixed(5000)))));
    assert_eq!(s.raw.lab.rate, "999");
}

#[test]
fn toggle_shows_and_hides_only_runs_that_exist_and_clear_forgets_them() {
    let s = apply(
        fresh(),
        [Action::BatchStarted(BatchKind::Single), Action::Finished(Box::new(Ok(report(Model::Processes, 100.0))))],
    );
    let hidden = s.clone().reduce(Action::Toggle(1));
    assert!(hidden.shown.is_empty());
    assert_eq!(hidden.clone().reduce(Action::Toggle(1)).shown, vec![1]);
    assert!(hidden.clone().reduce(Action::Toggle(42)).shown.is_empty(), "no run 42");
    let cleared = s.reduce(Action::Clear);
    assert!(cleared.history.rows.is_empty() && cleared.shown.is_empty() && cleared.batch.is_none());
}

#[test]
fn the_language_view_and_busy_state_are_set_as_told() {
    let s = apply(
        fresh(),
        [
            Action::SetLang(Lang::Ko),
            Action::SetView(View::Lab),
            Action::Busy(Some(Activity::RunAll)),
            Action::SetCoi(CoiStatus::Refused),
        ],
    );
    assert_eq!((s.lang, s.view, s.busy, s.env.coi), (Lang::Ko, View::Lab, Some(Activity::RunAll), CoiStatus::Refused));
    assert_eq!(s.reduce(Action::Busy(None)).busy, None);
}

#[test]
fn another_scenario_rule_or_thread_count_starts_a_new_game() {
    let s = apply(fresh(), [Action::Edit(Field::Schedule, "1x9.2".into())]);
    assert_eq!(s.raw.interp.schedule, "1x9.2");
    // A pick or an undo keeps the game; a game field starts a new one.
    let s = apply(s, [Action::Edit(Field::Schedule, "1x9".into())]);
    assert_eq!(s.raw.interp.schedule, "1x9");
    for field in [Field::Scenario, Field::Rule, Field::Threads, Field::Iterations] {
        let t = apply(s.clone(), [Action::Edit(field, "2".into())]);
        assert_eq!(t.raw.interp.schedule, "", "{field:?}");
    }
    // The interpreter is a view of its own, named in links.
    assert_eq!(View::choose(false, Some("interpreter"), None), View::Interp);
}

#[test]
fn coi_status_reads_back_the_word_coi_js_wrote() {
    for (status, word) in CoiStatus::WORDS {
        assert_eq!(CoiStatus::parse(Some(word)), status);
        assert_eq!(status.word(), word);
    }
    // A blocked registration carries its error after the word.
    assert_eq!(CoiStatus::parse(Some("blocked: SecurityError: denied")), CoiStatus::Blocked);
    assert_eq!(CoiStatus::parse(Some("isolated-ish")), CoiStatus::Unknown);
    assert_eq!(CoiStatus::parse(None), CoiStatus::Unknown);
}

#[test]
fn a_view_drawn_by_the_lab_code_asks_for_it_and_the_tour_does_not() {
    let split = Rc::new(LabState { code: LabCode::new(), ..(*fresh()).clone() });
    let tour = apply(split.clone(), [Action::SetView(View::Tour)]);
    assert_eq!(tour.code, LabCode::new());
    let lab = apply(split.clone(), [Action::OpenInLab(Box::new(RawSettings::defaults(4)), View::Lab)]);
    assert_eq!((lab.view, lab.code.to_load()), (View::Lab, Some(1)));
    // Another view while it loads: still that one load; then drawn.
    let interp = apply(lab, [Action::SetView(View::Interp), Action::Code(CodeEvent::Loaded)]);
    assert_eq!((interp.view, interp.code.clone()), (View::Interp, LabCode::Ready));
    // An unsplit page (a debug build) has it from the start.
    assert!(fresh().code.ready());
}

#[test]
fn the_lab_code_is_fetched_ahead_when_idle_but_not_by_a_page_about_to_reload() {
    let split = |coi| {
        let s = fresh();
        Rc::new(LabState { code: LabCode::new(), env: EnvInfo { coi, ..s.env }, ..(*s).clone() })
    };
    let idle = apply(split(CoiStatus::Isolated), [Action::Code(CodeEvent::Idle)]);
    assert_eq!(idle.code, LabCode::Loading { attempt: 1, shown: false });
    // GitHub Pages' first visit: coi.js reloads the page once its service
    // worker is in; that page fetches nothing ahead…
    let pending = apply(split(CoiStatus::Pending), [Action::Code(CodeEvent::Idle)]);
    assert_eq!(pending.code, LabCode::new());
    // …unless the reload does not come (the registration was blocked).
    let blocked = apply(pending, [Action::SetCoi(CoiStatus::Blocked)]);
    assert_eq!(blocked.code, LabCode::Loading { attempt: 1, shown: false });
    // A status before the page is idle fetches nothing yet.
    assert_eq!(apply(split(CoiStatus::Pending), [Action::SetCoi(CoiStatus::Isolated)]).code, LabCode::new());
}
