//! Tests of `settings`.

use super::*;
use crate::work::workload::TaskKind;

fn raw() -> RawSettings {
    RawSettings::defaults(2)
}

fn field_errors(r: &RawSettings) -> Vec<Field> {
    r.validate().unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn defaults_are_valid() {
    let s = raw().validate().unwrap();
    assert_eq!(s.workers, 2);
    assert_eq!(s.model, Model::Threads);
    assert_eq!(s.workload.kind, WorkloadKind::Primes);
    for kind in WorkloadKind::ALL {
        raw().with_workload(kind).validate().unwrap();
    }
}

#[test]
fn separators_are_accepted() {
    let mut r = raw();
    r.lab.size = " 5,000,000 ".into();
    assert_eq!(r.validate().unwrap().workload.size, 5_000_000);
}

#[test]
fn bad_numbers_get_clear_messages() {
    for (text, needle) in [
        ("", "enter a whole number"),
        ("-5", "negative"),
        ("abc", "not a whole number"),
        ("1e9", "not a whole number"),
        ("99999999999999999999999", "far too large"),
        ("999999999999", "too large"),
    ] {
        let mut r = raw();
        r.lab.size = text.into();
        let errs = r.validate().unwrap_err();
        assert_eq!(errs.len(), 1, "{text}");
        assert_eq!(errs[0].field, Field::Size);
        assert!(errs[0].message().contains(needle), "{text}: {}", errs[0].message());
    }
}

#[test]
fn every_bad_field_is_reported() {
    let mut r = raw();
    r.lab.tasks = "0".into();
    r.lab.workers = "1000".into();
    r.lab.chunk = "x".into();
    assert_eq!(field_errors(&r), vec![Field::Tasks, Field::Workers, Field::Chunk]);
}

#[test]
fn too_many_tasks_for_the_range() {
    let mut r = raw().with_workload(WorkloadKind::Mandelbrot);
    r.lab.size = "10".into();
    r.lab.tasks = "11".into();
    assert_eq!(field_errors(&r), vec![Field::Tasks]);
}

#[test]
fn runs_that_would_take_minutes_are_refused() {
    let mut r = raw().with_workload(WorkloadKind::Sha256);
    r.lab.size = "20000000".into();
    assert!(r.validate().is_ok(), "20M hashes ≈ 5 s");
    let mut m = raw().with_workload(WorkloadKind::Mandelbrot);
    m.lab.size = "4000".into();
    assert!(m.validate().is_ok());
    let mut p = raw();
    p.lab.size = "50000000".into();
    assert!(p.validate().is_ok());
}

#[test]
fn switch_interval_is_checked() {
    let mut r = raw();
    r.lab.interval = "0.5".into();
    assert_eq!(r.validate().unwrap().switch_interval_ms, 0.5);
    for bad in ["", "0", "-1", "abc", "NaN", "5000"] {
        r.lab.interval = bad.into();
        assert_eq!(field_errors(&r), vec![Field::Interval], "{bad}");
    }
}

#[test]
fn query_round_trip() {
    let mut r = raw().with_workload(WorkloadKind::SleepIo);
    r.lab.workers = "7".into();
    r.lab.strategy = "static".into();
    let q = r.to_query();
    let back = raw().with_query(q.iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(back, r);
    // Unknown keys are ignored; bad values survive to be reported.
    let odd = raw().with_query([("lang", "ko"), ("size", "-3")]);
    assert_eq!(field_errors(&odd), vec![Field::Size]);
}

#[test]
fn unknown_choices_are_reported() {
    let mut r = raw();
    r.lab.model = "fibers".into();
    r.lab.strategy = "random".into();
    assert_eq!(field_errors(&r), vec![Field::Model, Field::Strategy]);
}

#[test]
fn payload_and_sweep_bounds_hold() {
    let mut r = raw();
    assert_eq!(r.data.validate_payload(), Ok(DEFAULT_PAYLOAD_MIB));
    r.data.payload = "129".into();
    assert_eq!(r.data.validate_payload().unwrap_err()[0].field, Field::Payload);
    r.data.sweep_from = "16".into();
    r.data.sweep_to = "4".into();
    let e = r.data.validate_sweep().unwrap_err();
    assert_eq!((e[0].field, &e[0].problem), (Field::SweepTo, &Problem::TooSmall { lo: "16".into() }));
    r.data.sweep_to = "200".into();
    assert_eq!(r.data.validate_sweep().unwrap_err()[0].field, Field::SweepTo);
    r.data.sweep_to = "64".into();
    assert_eq!(r.data.validate_sweep(), Ok((16, 64)));
    r.deadlock.watchdog = "50".into();
    assert_eq!(r.deadlock.validate().unwrap_err()[0].field, Field::Watchdog);
}

#[test]
fn field_ids_round_trip() {
    for f in Field::ALL {
        assert_eq!(Field::from_id(f.id()), Some(f));
        // Serialized by id, as the untyped field name was.
        assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.id()));
    }
    let ids: Vec<&str> = Field::ALL.iter().map(|f| f.id()).collect();
    assert_eq!(
        ids,
        [
            "workload",
            "size",
            "tasks",
            "plan",
            "model",
            "workers",
            "strategy",
            "chunk",
            "interval",
            "crash",
            "cpu",
            "rate",
            "cputhreads",
            "waits",
            "wait",
            "watchdog",
            "payload",
            "sweepfrom",
            "sweepto",
            "scenario",
            "rule",
            "threads",
            "iterations",
            "schedule"
        ]
    );
    assert_eq!(Field::from_id("lang"), None);
    assert_eq!(Field::from_id("Size"), None);
}

#[test]
fn which_runs_need_process_workers() {
    let s = raw().validate().expect("valid");
    let io = RawSettings {
        lab: LabForm { workload: "io".into(), size: "10".into(), tasks: "4".into(), ..raw().lab },
        ..raw()
    };
    let io = io.validate().expect("valid");
    let uses = |m: Model, s: Settings| s.for_model(m).uses_process_workers();
    assert!(uses(Model::Sequential, s) && uses(Model::Processes, s) && uses(Model::Asyncio, s));
    assert!(!uses(Model::Threads, s) && !uses(Model::GilThreads, s));
    assert!(!uses(Model::Asyncio, io), "asyncio's waits run on the page");
    assert!(uses(Model::Processes, io));
}

#[test]
fn same_link_same_tasks() {
    // The work of a run is a function of its settings alone: a mixed
    // link with its rate gives the same tasks however often it is read.
    let link = "workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes&rate=4200";
    let read = || {
        let pairs = link.split('&').filter_map(|kv| kv.split_once('='));
        raw().with_query(pairs).validate().expect("valid").workload.tasks()
    };
    let first = read();
    assert_eq!(first, read());
    assert!(first.iter().all(|t| matches!(t.kind, TaskKind::Mixed { rounds: 42_000, wait_ms: 10, .. })));
    // Blank: to be measured here (the runner fills it in, the page
    // writes it back into the link).
    let mut r = raw().with_workload(WorkloadKind::Mixed);
    r.lab.rate = String::new();
    assert_eq!(r.validate().expect("valid").workload.mix.map(|m| m.rounds_per_ms), Some(0));
    // Out of bounds: refused with the field's message, nothing run.
    r.lab.rate = "12".into();
    assert_eq!(r.validate().map(|_| ()).unwrap_err()[0].field, Field::Rate);
}

/// The answer of the mixed link the e2e tests open in every engine
/// (`tests/e2e/startup.test.mjs`, `engines.test.mjs`): pinned here, so
/// a page that answers otherwise did other work.
pub const MIXED_LINK: &str = "workload=mixed&size=20&cpu=50&tasks=16&workers=2&model=processes&rate=3000";
pub const MIXED_LINK_ANSWER: u64 = 17_928_666_068_893_293_783;

#[test]
fn the_mixed_link_answer_is_pinned() {
    let pairs = MIXED_LINK.split('&').filter_map(|kv| kv.split_once('='));
    let w = raw().with_query(pairs).validate().expect("valid").workload;
    let never = || false;
    let answer = w.combine(w.tasks().iter().map(|t| t.compute(&never).expect("not cancelled")));
    assert_eq!(answer, MIXED_LINK_ANSWER);
}

#[test]
fn a_rate_far_above_the_machines_is_refused_as_too_slow() {
    // 10 s of CPU a task at a desktop's rate is fine; at 100 times that
    // rate the same link would run for hours, so it is refused.
    let mut r = raw().with_workload(WorkloadKind::Mixed);
    r.lab.size = "10000".into();
    r.lab.tasks = "1".into();
    r.lab.cpu = "100".into();
    r.lab.rate = "4000".into();
    assert!(r.validate().is_ok());
    r.lab.rate = "400000".into();
    let errors = r.validate().map(|_| ()).unwrap_err();
    assert!(matches!(errors[0].problem, Problem::TooSlow { .. }), "{errors:?}");
}

#[test]
fn work_differences_name_the_fields_that_change_the_work() {
    let a = raw().with_workload(WorkloadKind::Mixed);
    let mut b = a.clone();
    b.lab.workers = "7".into();
    b.lab.model = "gil".into();
    assert!(a.work_differences(&b).is_empty(), "how a run runs is not its work");
    b.lab.size = format!(" {} ", a.lab.size);
    assert!(a.work_differences(&b).is_empty());
    b.lab.rate = "4000".into();
    b.lab.tasks = "3".into();
    assert_eq!(a.work_differences(&b), vec![Field::Tasks, Field::Rate]);
    // The rate means nothing for primes.
    let p = raw();
    let mut q = p.clone();
    q.lab.rate = "4000".into();
    assert!(p.work_differences(&q).is_empty());
}

#[test]
fn get_and_set_reach_every_field() {
    for f in Field::ALL {
        let mut r = raw();
        // A value every field can hold: "1" is also "on" for the switch.
        r.set(f, "1".into());
        assert_eq!(r.get(f), "1", "{f:?}");
        for other in Field::ALL.into_iter().filter(|&o| o != f) {
            assert_eq!(r.get(other), raw().get(other), "setting {f:?} changed {other:?}");
        }
    }
    let mut r = raw();
    r.set(Field::Size, " 12,345 ".into());
    assert_eq!(r.lab.size, " 12,345 ");
    assert_eq!(r.get(Field::Crash), "0");
    r.set(Field::Crash, "on".into());
    assert!(r.lab.crash);
    r.set(Field::Crash, "false".into());
    assert!(!r.lab.crash);
}

#[test]
fn defaults_come_from_the_engine_constants() {
    let r = raw();
    assert_eq!(r.lab.interval.parse::<f64>().unwrap(), DEFAULT_SWITCH_INTERVAL_MS);
    assert_eq!(r.lab.chunk, DEFAULT_CHUNK.to_string());
    assert!(!r.lab.crash);
}

#[test]
fn query_round_trip_with_crash_on_and_off() {
    for on in [true, false] {
        let mut r = raw();
        r.lab.set_crash(on);
        let q = r.to_query();
        assert_eq!(q.iter().any(|(k, v)| *k == "crash" && v == "1"), on);
        // Off is left out of the link altogether.
        assert_eq!(q.iter().any(|(k, _)| *k == "crash"), on);
        let back = raw().with_query(q.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, r);
        assert_eq!(back.validate().unwrap().crash, on);
    }
    // Every spelling of on and off a link may carry.
    for (text, on) in [("1", true), ("on", true), ("true", true), (" ON ", true)].into_iter().chain([
        ("", false),
        ("0", false),
        ("off", false),
        ("false", false),
    ]) {
        let r = raw().with_query([("crash", text)]);
        assert_eq!(r.validate().unwrap().crash, on, "{text:?}");
    }
}

#[test]
fn a_bad_crash_value_is_reported_on_its_field() {
    let r = raw().with_query([("crash", "maybe")]);
    let errs = r.validate().unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, Field::Crash);
    assert_eq!(errs[0].problem, Problem::Unknown { text: "maybe".into() });
    assert_eq!(errs[0].to_string(), "crash: unknown choice “maybe”");
    // The link keeps the bad value until the reader settles the switch.
    assert!(r.to_query().contains(&("crash", "maybe".to_owned())));
    let mut fixed = r.clone();
    fixed.lab.set_crash(true);
    assert!(fixed.validate().unwrap().crash);
    let mut fixed = r;
    fixed.set(Field::Crash, "0".into());
    assert!(!fixed.validate().unwrap().crash);
}

fn io(tasks: u64, latency_ms: u64) -> RawSettings {
    let mut r = raw().with_workload(WorkloadKind::SleepIo);
    r.lab.tasks = tasks.to_string();
    r.lab.size = latency_ms.to_string();
    r
}

#[test]
fn io_runs_count_their_waits() {
    // 2,000 waits of 10 s one after another: about 5.5 hours.
    let errs = io(2000, 10_000).validate().unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, Field::Size);
    assert_eq!(errs[0].problem, Problem::TooSlow { seconds: 20_000, limit: 120 });
    // Just over the limit, and the uneven plan waits as long in total.
    let mut r = io(121, 1000);
    assert_eq!(field_errors(&r), vec![Field::Size]);
    r.lab.plan = Plan::Uneven.id().into();
    assert_eq!(field_errors(&r), vec![Field::Size]);
    // The defaults (20 × 50 ms) and 100 × 1 s = 100 s pass.
    raw().with_workload(WorkloadKind::SleepIo).validate().unwrap();
    let s = io(100, 1000).validate().unwrap();
    assert_eq!((s.workload.tasks, s.workload.size), (100, 1000));
    // Each cap still binds somewhere under the time limit.
    io(MAX_IO_TASKS, 60).validate().unwrap();
    io(12, 10_000).validate().unwrap();
}

#[test]
fn cpu_estimates_are_unchanged() {
    for (kind, size, tasks, ns) in [
        (WorkloadKind::SumRange, 1000, 4, 500.0),
        (WorkloadKind::Sha256, 1000, 4, 250_000.0),
        (WorkloadKind::Mandelbrot, 100, 4, 600_000.0),
    ] {
        let w = Workload { kind, size, tasks, plan: Plan::Uniform, mix: None };
        assert_eq!(w.cost_estimate_ns(), ns, "{kind:?}");
        // The number of tasks does not change the CPU work.
        assert_eq!(Workload { tasks: 16, ..w }.cost_estimate_ns(), ns, "{kind:?}");
    }
    let mut r = raw().with_workload(WorkloadKind::SumRange);
    r.lab.size = "4000000000".into();
    assert!(r.validate().is_ok(), "4e9 additions ≈ 2 s");
}

#[test]
fn task_bounds_agree_with_validation() {
    for kind in WorkloadKind::ALL {
        let mut r = raw().with_workload(kind);
        let (lo, hi) = r.lab.task_bounds();
        assert_eq!(lo, 1);
        if !kind.is_io() {
            // A size that allows the largest count and keeps the run
            // short, so only the count is judged.
            r.lab.size = hi.to_string();
        }
        let (lo, hi) = r.lab.task_bounds();
        for (tasks, ok) in [(lo - 1, false), (lo, true), (hi, true), (hi + 1, false)] {
            r.lab.tasks = tasks.to_string();
            let refused = field_errors_or_none(&r).is_some_and(|f| f.contains(&Field::Tasks));
            assert_eq!(!refused, ok, "{kind:?} with {tasks} tasks (bounds {lo} – {hi})");
        }
    }
    assert_eq!(io(2000, 1).lab.task_bounds(), (1, 2000));
    io(2000, 1).validate().unwrap();
    assert_eq!(field_errors(&io(2001, 1)), vec![Field::Tasks]);
    // Range workloads: at most one task per item, and the hint follows
    // the size as typed (or any valid size while it is invalid).
    let mut m = raw().with_workload(WorkloadKind::Mandelbrot);
    m.lab.size = "10".into();
    assert_eq!(m.lab.task_bounds(), (1, 10));
    m.lab.size = "lots".into();
    assert_eq!(m.lab.task_bounds(), (1, 4000));
    assert_eq!(raw().lab.task_bounds(), (1, MAX_TASKS));
    assert_eq!(raw().with_workload(WorkloadKind::Sha256).lab.task_bounds(), (1, MAX_TASKS));
}

fn field_errors_or_none(r: &RawSettings) -> Option<Vec<Field>> {
    r.validate().err().map(|errs| errs.into_iter().map(|e| e.field).collect())
}

#[test]
fn the_forms_are_written_as_one_flat_object_as_exports_always_had_them() {
    let mut r = raw();
    r.set(Field::Watchdog, "450".into());
    r.set(Field::Payload, "8".into());
    r.set(Field::Waits, "12".into());
    let json = serde_json::to_string(&r).unwrap_or_default();
    let keys: Vec<String> = match serde_json::from_str::<serde_json::Value>(&json) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        other => panic!("not an object: {other:?}"),
    };
    let mut want = vec![
        "workload",
        "size",
        "tasks",
        "plan",
        "model",
        "workers",
        "strategy",
        "chunk",
        "interval",
        "crash",
        "cpu",
        "rate",
        "cpu_threads",
        "waits",
        "wait",
        "watchdog",
        "payload",
        "sweep_from",
        "sweep_to",
        "bad_crash",
        "scenario",
        "rule",
        "threads",
        "iterations",
        "schedule",
    ];
    want.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, want);
    let back: RawSettings = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, r);
    assert_eq!(
        (back.deadlock.watchdog.as_str(), back.data.payload.as_str(), back.convoy.waits.as_str()),
        ("450", "8", "12")
    );
    // An older export, before the demos' fields existed, still reads.
    let old = r#"{"workload":"primes","size":"100","tasks":"4","plan":"uniform","model":"processes","workers":"2",
        "strategy":"dynamic","chunk":"1","interval":"5","crash":false}"#;
    let old: RawSettings = serde_json::from_str(old).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(old.lab.model, "processes");
}

#[test]
fn the_interpreter_form_reads_a_link_and_refuses_what_does_not_fit() {
    let link = |pairs: &[(&str, &str)]| RawSettings::defaults(2).with_query(pairs.iter().copied()).interp.validate();
    let ok = link(&[("scenario", "increment-call"), ("rule", "free"), ("threads", "3"), ("schedule", "1x9.3.2x2")])
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((ok.threads, ok.picks.len(), ok.picks[9]), (3, 12, 2));
    let field_of = |pairs: &[(&str, &str)]| link(pairs).err().map(|e| e.iter().map(|e| e.field).collect::<Vec<_>>());
    assert_eq!(field_of(&[("scenario", "nope")]), Some(vec![Field::Scenario]));
    assert_eq!(field_of(&[("rule", "fast")]), Some(vec![Field::Rule]));
    assert_eq!(field_of(&[("threads", "5")]), Some(vec![Field::Threads]));
    assert_eq!(field_of(&[("iterations", "0")]), Some(vec![Field::Iterations]));
    // Thread 3 of 2 threads.
    assert_eq!(field_of(&[("schedule", "1.3")]), Some(vec![Field::Schedule]));
    // A long schedule survives the link's length limit.
    let long = vec!["1"; 300].join(".");
    assert_eq!(RawSettings::defaults(2).with_query([("schedule", long.as_str())]).interp.schedule, long);
    // A schedule that reads but does not fit the game is refused by the replay.
    let play = link(&[("schedule", "1x9.2")]).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(play.replay().is_err());
}
