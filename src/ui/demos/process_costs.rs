//! What a process costs, measured: memory against worker count for
//! processes and threads, the start cost of a process by start method with
//! the break-even of "a process per task" against a pool, and moving data
//! to processes (copy, transfer, shared memory) against threads and
//! sequential — moving time shown apart from compute.

use crate::ui::charts::kit::{grid_y, x_labels};
use crate::ui::charts::scale::{log_bounds, points, Frame, Scale};
use crate::ui::i18n::{Lang, Words};
use crate::ui::lab::number_field::NumberField;
use crate::web::runner::{lab, BusyGuard};
use engine::analysis::costs::{MemoryPoint, StartCosts};
use engine::analysis::moving_data::{self, DataModel, DataRun, MoveMode};
use engine::settings::{DataForm, Field, PAYLOAD_BOUNDS};
use engine::text::{ms, thousands};
use engine::{Activity, FieldError, RunError};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub(crate) struct ProcessCostsProps {
    /// The payload fields as typed.
    pub(crate) form: DataForm,
    pub(crate) isolated: bool,
    pub(crate) cores: usize,
    /// The form's worker count, for the data runs (at least 2).
    pub(crate) workers: usize,
    pub(crate) busy: Option<Activity>,
    pub(crate) on_edit: Callback<(Field, String)>,
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / moving_data::MIB as f64)
}

fn data_label(lang: Lang, m: DataModel) -> &'static str {
    match m {
        DataModel::Sequential => lang.s("sequential (owns the array)", "순차 실행 (배열을 직접 가짐)"),
        DataModel::Threads => lang.s("threads (one shared array)", "스레드 (배열 하나를 공유)"),
        DataModel::Processes(MoveMode::Copy) => lang.s("processes, by copy (pickle)", "프로세스, 복사 (pickle)"),
        DataModel::Processes(MoveMode::Transfer) => {
            lang.s("processes, by transfer", "프로세스, 소유권 이전 (transfer)")
        }
        DataModel::Processes(MoveMode::Shared) => lang.s("processes, shared memory", "프로세스, 공유 메모리"),
    }
}

/// The models a data run can use here.
fn data_models(isolated: bool) -> Vec<DataModel> {
    DataModel::ALL.into_iter().filter(|m| isolated || !m.needs_shared_memory()).collect()
}

/// A line chart of `series` (label class, points) on log–log axes.
fn line_chart(aria: String, series: &[(&'static str, Vec<(f64, f64)>)], x_unit: &str, y_unit: &str) -> Html {
    const FRAME: Frame = Frame { w: 520.0, h: 220.0, left: 54.0, bottom: 30.0, top: 10.0, right: 14.0 };
    let shown = |pts: &[(f64, f64)]| pts.iter().copied().filter(|p| p.0 > 0.0 && p.1 > 0.0).collect::<Vec<_>>();
    let all: Vec<(f64, f64)> = series.iter().flat_map(|s| shown(&s.1)).collect();
    let bounds = |f: fn(&(f64, f64)) -> f64| log_bounds(all.iter().map(f), 10.0, 1.0);
    let (Some((x0, x1)), Some((y0, y1))) = (bounds(|p| p.0), bounds(|p| p.1)) else {
        return html! {};
    };
    let x = Scale::log(10.0, x0, x1, FRAME.x_range());
    let y = Scale::log(10.0, y0, y1, FRAME.y_range());
    let fmt = |v: f64| if v >= 1.0 { thousands(v as u64) } else { format!("{v}") };
    let ticks_y = y.powers().into_iter().map(|v| (v, format!("{} {y_unit}", fmt(v))));
    let ticks_x = x.powers().into_iter().map(|v| (v, format!("{} {x_unit}", fmt(v))));
    html! {
        <svg class="cost-chart" viewBox={FRAME.view_box()} role="img" aria-label={aria}>
            { grid_y(&FRAME, &y, ticks_y) }
            { x_labels(&FRAME, &x, ticks_x) }
            { for series.iter().map(|(class, pts)| {
                let pts = shown(pts);
                html! {
                    <g class={classes!("curve", *class)}>
                        <polyline points={points(pts.iter().map(|p| (x.at(p.0), y.at(p.1))))} />
                        { for pts.iter().map(|p| html! { <circle cx={x.at(p.0).to_string()} cy={y.at(p.1).to_string()} r="3" /> }) }
                    </g>
                }
            }) }
        </svg>
    }
}

/// The series class of a data model (colours in the stylesheet).
fn data_class(m: DataModel) -> &'static str {
    match m {
        DataModel::Sequential => "m-sequential",
        DataModel::Threads => "m-threads",
        DataModel::Processes(MoveMode::Copy) => "m-processes",
        DataModel::Processes(MoveMode::Transfer) => "m-gil",
        DataModel::Processes(MoveMode::Shared) => "m-asyncio",
    }
}

/// Runs `f` with the lab's guard held; `busy` errors are ignored (the
/// buttons are off then).
fn with_guard<F, Fut>(activity: Activity, f: F)
where
    F: FnOnce(BusyGuard) -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    if let Ok(guard) = lab().begin(activity) {
        wasm_bindgen_futures::spawn_local(f(guard));
    }
}

#[component]
pub(crate) fn ProcessCosts(props: &ProcessCostsProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or(Lang::En);
    let memory = use_state(Vec::<MemoryPoint>::new);
    let starts = use_state(|| None::<StartCosts>);
    let runs = use_state(Vec::<DataRun>::new);
    let failure = use_state(|| None::<RunError>);
    let errors = use_state(Vec::<FieldError>::new);
    let measuring = props.busy == Some(Activity::Costs);
    let workers = props.workers.max(2);

    let on_memory = {
        let (memory, failure, cores) = (memory.clone(), failure.clone(), props.cores);
        Callback::from(move |_: MouseEvent| {
            let (memory, failure) = (memory.clone(), failure.clone());
            failure.set(None);
            memory.set(Vec::new());
            with_guard(Activity::Costs, move |mut guard| async move {
                let mut counts: Vec<usize> = vec![1, 2, 4, cores.clamp(1, 8)];
                counts.sort_unstable();
                counts.dedup();
                match guard.measure_memory(&counts).await {
                    Ok(points) => memory.set(points),
                    Err(e) => failure.set(Some(e)),
                }
                drop(guard);
            });
        })
    };
    let on_start = {
        let (starts, failure) = (starts.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            let (starts, failure) = (starts.clone(), failure.clone());
            failure.set(None);
            with_guard(Activity::Costs, move |mut guard| async move {
                match guard.start_costs(5).await {
                    Ok(c) => starts.set(Some(c)),
                    Err(e) => failure.set(Some(e)),
                }
                drop(guard);
            });
        })
    };
    // One size (`Some`) or the payload sweep (`None`).
    let data_click = |sweep: bool| {
        let (runs, failure, errors, form, isolated) =
            (runs.clone(), failure.clone(), errors.clone(), props.form.clone(), props.isolated);
        Callback::from(move |_: MouseEvent| {
            let sizes = if sweep {
                form.validate_sweep().map(|(a, b)| moving_data::sweep_sizes(a, b))
            } else {
                form.validate_payload().map(|m| vec![m])
            };
            let sizes = match sizes {
                Ok(s) => s,
                Err(e) => {
                    errors.set(e);
                    return;
                }
            };
            errors.set(Vec::new());
            let (runs, failure) = (runs.clone(), failure.clone());
            failure.set(None);
            runs.set(Vec::new());
            with_guard(Activity::Costs, move |mut guard| async move {
                let mut done = Vec::new();
                'all: for mib in sizes {
                    for model in data_models(isolated) {
                        match guard.move_data(model, mib, workers).await {
                            Ok(r) => {
                                done.push(r);
                                runs.set(done.clone());
                            }
                            Err(e) => {
                                failure.set(Some(e));
                                break 'all;
                            }
                        }
                    }
                }
                drop(guard);
            });
        })
    };
    let input = |field: Field| {
        let error = errors.iter().find(|e| e.field == field).map(|e| lang.field_error(e));
        let (lo, hi) = PAYLOAD_BOUNDS;
        html! {
            <NumberField field={field} value={props.form.text(field).unwrap_or_default().to_owned()} hint={format!("{lo} – {hi}")}
                error={error} disabled={props.busy.is_some()} on_edit={props.on_edit.clone()} />
        }
    };
    let off = props.busy.is_some();
    let seq_of = |mib: u64| runs.iter().find(|r| r.model == DataModel::Sequential && r.mib == mib).map(|r| r.wall_ms());
    let sizes: Vec<u64> = {
        let mut v: Vec<u64> = runs.iter().map(|r| r.mib).collect();
        v.dedup();
        v
    };
    html! {
        <section class="panel costs" data-testid="costs" data-busy={measuring.to_string()}>
            <h2>{ lang.s("What a process costs: memory, start-up, moving data", "프로세스의 비용: 메모리, 시작 시간, 데이터 전달") }</h2>
            <p>{ lang.s(
                "Processes run truly in parallel, but each one has its own interpreter and its own memory, starting one takes time (which is why Pool exists), and everything it works on must be sent to it. Measure each cost on this machine.",
                "프로세스는 진짜로 병렬 실행되지만, 프로세스마다 인터프리터와 메모리를 따로 가지고, 하나 띄우는 데 시간이 들며(그래서 Pool이 있습니다), 다룰 데이터는 모두 보내 줘야 합니다. 이 컴퓨터에서 비용을 하나씩 재어 보세요.",
            ) }</p>
            if let Some(e) = &*failure {
                <p class="field-error" role="alert" data-testid="costs-error">{ lang.run_error(e) }</p>
            }

            <h3>{ lang.s("Memory per worker", "작업자당 메모리") }</h3>
            <div class="cost-row">
                <button data-testid="memory-run" onclick={on_memory} disabled={off}>
                    { if measuring { lang.s("Measuring…", "측정 중…") } else { lang.s("Measure memory", "메모리 측정") } }
                </button>
                <span class="hint">{ lang.s(
                    "Chromium counts each worker's memory after its next garbage collection: a measurement can take up to 20 s. Python it mirrors: the RSS of each Pool worker (ps -o rss).",
                    "크로미움은 다음 가비지 컬렉션 뒤에 워커별 메모리를 셉니다. 측정에 최대 20초가 걸릴 수 있습니다. 대응하는 파이썬: Pool 작업자 프로세스마다의 RSS (ps -o rss).",
                ) }</span>
            </div>
            if !memory.is_empty() {
                <p class="hint">{ lang.s(
                    "Each process has its own copy of everything: its wasm module's memory, its JS heap, its compiled code. The threads share one memory; each new thread adds only its stack (256 KiB here) inside it.",
                    "프로세스는 모든 것을 따로 가집니다: wasm 모듈의 메모리, JS 힙, 컴파일된 코드까지. 스레드는 메모리 하나를 함께 쓰고, 스레드가 하나 늘 때마다 그 안에 자기 스택(여기서는 256 KiB)만 더합니다.",
                ) }</p>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th class="num">{ lang.s("Workers", "작업자") }</th>
                            <th class="num">{ lang.s("Processes, total", "프로세스 합계") }</th>
                            <th class="num">{ lang.s("Per process", "프로세스당") }</th>
                            <th class="num">{ lang.s("Threads, total", "스레드 합계") }</th>
                            <th>{ lang.s("Measured with", "측정 방법") }</th>
                        </tr></thead>
                        <tbody>
                            { for memory.iter().map(|p| html! {
                                <tr data-testid="memory-row" data-workers={p.workers.to_string()} data-process-bytes={p.process_total().to_string()}
                                    data-per-process={p.one_process().to_string()} data-thread-bytes={p.threads.map(|t| t.to_string()).unwrap_or_default()}
                                    data-method={p.method.id()} data-wasm-included={p.wasm_included().to_string()}>
                                    <td class="num">{ p.workers }</td>
                                    <td class="num strong">{ mib(p.process_total()) }</td>
                                    <td class="num">{ mib(p.one_process()) }</td>
                                    <td class="num strong">{ p.threads.map(mib).unwrap_or_else(|| "—".into()) }</td>
                                    <td class="muted">{ match p.method {
                                        engine::analysis::costs::MemoryMethod::UaSpecific => lang.s("processes: wasm memory + JS heap (measureUserAgentSpecificMemory); threads: their one shared wasm memory", "프로세스: wasm 메모리 + JS 힙 (measureUserAgentSpecificMemory), 스레드: 함께 쓰는 wasm 메모리 하나"),
                                        engine::analysis::costs::MemoryMethod::Wasm => lang.s("wasm memories only (this browser cannot count JS heaps)", "wasm 메모리만 (이 브라우저는 JS 힙을 셀 수 없음)"),
                                    } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                { line_chart(
                    lang.s("memory against worker count, processes and threads (numbers in the table)", "작업자 수에 따른 메모리, 프로세스와 스레드 (숫자는 표)").to_owned(),
                    &[
                        ("m-processes", memory.iter().map(|p| (p.workers as f64, p.process_total() as f64 / moving_data::MIB as f64)).collect()),
                        ("m-threads", memory.iter().filter_map(|p| Some((p.workers as f64, p.threads? as f64 / moving_data::MIB as f64))).collect()),
                    ],
                    "", "MiB",
                ) }
                <div class="legend">
                    <span><i class="curve-key m-processes"></i>{ lang.s("processes", "프로세스") }</span>
                    <span><i class="curve-key m-threads"></i>{ lang.s("threads", "스레드") }</span>
                </div>
            }

            <h3>{ lang.s("Starting a process", "프로세스 시작") }</h3>
            <div class="cost-row">
                <button data-testid="start-run" onclick={on_start} disabled={off}>{ lang.s("Measure start-up", "시작 비용 측정") }</button>
                <span class="hint">{ lang.s(
                    "spawn: a fresh worker fetches and compiles the module itself (multiprocessing's spawn). forkserver-like: it is handed the module the page compiled once, and only instantiates it. Reused pool: no start at all, one task's round trip. A browser may hand a spawned worker the machine code another worker of the page already compiled from the same bytes (Chromium does), the way a spawned Python finds its modules in the OS's file cache: spawn then costs about what forkserver-like does.",
                    "spawn: 새 워커가 모듈을 직접 받아 컴파일합니다 (multiprocessing의 spawn). forkserver 방식: 페이지가 한 번 컴파일한 모듈을 넘겨받아 인스턴스만 만듭니다. 재사용 풀: 시작 없이 작업 하나를 주고받는 시간만 듭니다. 같은 모듈을 페이지의 다른 워커가 이미 컴파일해 두었으면 브라우저가 그 기계어를 새 워커에 그대로 넘겨주기도 합니다(크롬 계열 브라우저가 그렇습니다). spawn으로 뜬 파이썬이 OS 파일 캐시에서 모듈을 읽어 오는 것과 비슷해서, 이때 spawn 비용은 forkserver 방식과 거의 같습니다.",
                ) }</span>
            </div>
            if let Some(c) = &*starts {
                <div class="table-wrap">
                    <table>
                        <tbody>
                            { for [("spawn", c.spawn_ms), ("forkserver", c.forkserver_ms), ("reused", c.reused_ms)].iter().map(|(m, v)| html! {
                                <tr data-testid="start-row" data-method={*m} data-ms={format!("{v:.3}")}>
                                    <td>{ match *m {
                                        "spawn" => lang.s("spawn (set_start_method('spawn'))", "spawn (set_start_method('spawn'))"),
                                        "forkserver" => lang.s("forkserver-like (module compiled once)", "forkserver 방식 (모듈은 한 번만 컴파일)"),
                                        _ => lang.s("reused pool (no start)", "재사용 풀 (시작 없음)"),
                                    } }</td>
                                    <td class="num strong">{ ms(*v) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="verdict-line" data-testid="break-even">{ match (lang, c.break_even(workers)) {
                    (Lang::En, Some(k)) => format!("A new process per task (Process(target=…) per file) against a pool of {workers}: from {k} tasks on, the pool costs less — every further task saves a start of {}.", ms(c.spawn_ms)),
                    (Lang::Ko, Some(k)) => format!("작업마다 새 프로세스를 띄우는 방식(파일마다 Process(target=…))과 작업자 {workers}개짜리 풀을 비교하면, 작업이 {k}개 이상일 때부터 풀이 더 쌉니다. 작업이 하나 늘 때마다 시작 비용 {}을 아낍니다.", ms(c.spawn_ms)),
                    (Lang::En, None) => "Here a new process per task never cost more than the pool.".to_owned(),
                    (Lang::Ko, None) => "여기서는 작업마다 새 프로세스를 띄워도 풀보다 비싸지 않았습니다.".to_owned(),
                } }</p>
                { line_chart(
                    lang.s("start-up overhead against the number of tasks: a process per task and a pool", "작업 수에 따른 시작 오버헤드: 작업마다 프로세스, 그리고 풀").to_owned(),
                    &[
                        ("m-processes", [1usize, 2, 4, 8, 16, 32, 64].iter().map(|&k| (k as f64, c.per_task_processes_ms(k, workers))).collect()),
                        ("m-threads", [1usize, 2, 4, 8, 16, 32, 64].iter().map(|&k| (k as f64, c.pool_ms(k, workers))).collect()),
                    ],
                    "", "ms",
                ) }
                <div class="legend">
                    <span><i class="curve-key m-processes"></i>{ lang.s("a new process per task", "작업마다 새 프로세스") }</span>
                    <span><i class="curve-key m-threads"></i>{ lang.s("a pool", "풀") }</span>
                </div>
            }

            <h3>{ lang.s("Moving data", "데이터 전달") }</h3>
            <p class="hint">{ match lang {
                Lang::En => format!("Pool.map(sum, chunks) over a real array of numbers, on {workers} workers. Processes get their chunk by copy (structured clone, like pickling through a multiprocessing.Queue), by transfer (ownership handed over, no copy) or through shared memory (like multiprocessing.shared_memory); threads read the one array they share. Moving time is counted from the parent's send to the worker holding the data. Each way runs {REPEATS} times and the fastest is shown, as timeit does.", REPEATS = moving_data::REPEATS),
                Lang::Ko => format!("실제 숫자 배열에 Pool.map(sum, chunks)를 작업자 {workers}개로 돌립니다. 프로세스는 자기 조각을 복사(구조화 복제, multiprocessing.Queue로 pickle해 보내는 것과 같음), 소유권 이전(복사 없이 넘김), 공유 메모리(multiprocessing.shared_memory와 같음)로 받습니다. 스레드는 함께 쓰는 배열 하나를 그대로 읽습니다. 전달 시간은 부모가 보내기 시작한 때부터 작업자가 데이터를 손에 쥔 때까지입니다. 방식마다 {REPEATS}번 돌려 timeit처럼 가장 빠른 기록을 보여 줍니다.", REPEATS = moving_data::REPEATS),
            } }</p>
            <div class="cost-form">
                <div class="cost-line">
                    <label for={Field::Payload.id()}>{ lang.s("Array size (MiB)", "배열 크기 (MiB)") }</label>
                    { input(Field::Payload) }
                    <button data-testid="transfer-run" onclick={data_click(false)} disabled={off}>{ lang.s("Run every way", "모든 방식 실행") }</button>
                </div>
                <div class="cost-line">
                    <label for={Field::SweepFrom.id()}>{ lang.s("Sweep from (MiB)", "스윕 시작 (MiB)") }</label>
                    { input(Field::SweepFrom) }
                    <label for={Field::SweepTo.id()}>{ lang.s("to (MiB)", "끝 (MiB)") }</label>
                    { input(Field::SweepTo) }
                    <button data-testid="sweep-run" onclick={data_click(true)} disabled={off}>{ lang.s("Payload sweep", "크기 스윕") }</button>
                </div>
            </div>
            if !runs.is_empty() {
                <div class="table-wrap">
                    <table class="moves">
                        <thead><tr>
                            <th class="num">{ "MiB" }</th>
                            <th>{ lang.s("Who sums, and how the data gets there", "누가 더하고, 데이터는 어떻게 가는가") }</th>
                            <th class="num">{ lang.s("Wall time", "걸린 시간") }</th>
                            <th class="num">{ lang.s("Moving", "전달") }</th>
                            <th class="num">{ lang.s("Computing", "계산") }</th>
                            <th class="num">{ lang.s("vs sequential", "순차 대비") }</th>
                            <th>{ lang.s("Per worker: moving, then summing", "작업자별: 전달 후 계산") }</th>
                            <th class="num">{ lang.s("Answer", "답") }</th>
                        </tr></thead>
                        <tbody>
                            { for runs.iter().map(|r| {
                                let speed = seq_of(r.mib).map(|s| s / r.wall_ms().max(1e-6));
                                let span = r.wall_ms().max(1e-6);
                                html! {
                                    <tr data-testid="transfer-row" data-mb={r.mib.to_string()} data-mode={r.model.id()}
                                        data-wall={format!("{:.3}", r.wall_ms())} data-move-ms={format!("{:.3}", r.moving_ms())}
                                        data-compute-ms={format!("{:.3}", r.compute_ms())} data-answer={r.answer().to_string()} data-checks={r.checks().to_string()}>
                                        <td class="num" data-label="MiB">{ r.mib }</td>
                                        <td class="way">{ data_label(lang, r.model) }</td>
                                        <td class="num strong wall" data-label={lang.s("Wall time", "걸린 시간")}>{ ms(r.wall_ms()) }</td>
                                        <td class="num" data-label={lang.s("Moving", "전달")}>{ ms(r.moving_ms()) }</td>
                                        <td class="num" data-label={lang.s("Computing", "계산")}>{ ms(r.compute_ms()) }</td>
                                        <td class={classes!("num", "speed", speed.filter(|s| *s < 1.0).map(|_| "bad"))} data-label={lang.s("vs sequential", "순차 대비")}>{ speed.map(|s| format!("{s:.2}×")).unwrap_or_else(|| "—".into()) }</td>
                                        <td class="parts-cell" data-label={lang.s("Per worker: moving, then summing", "작업자별: 전달 후 계산")}>
                                            <svg class="parts" viewBox={format!("0 0 100 {}", 6 * r.parts.len())} preserveAspectRatio="none" aria-hidden="true">
                                                { for r.parts.iter().enumerate().map(|(i, p)| {
                                                    let x = |t: f64| ((t - r.started_at) / span * 100.0).clamp(0.0, 100.0);
                                                    let y = (i * 6) as f64;
                                                    html! { <>
                                                        <rect class="seg-move" x={x(p.sent_at).to_string()} y={y.to_string()} width={(x(p.received_at) - x(p.sent_at)).max(0.0).to_string()} height="5" />
                                                        <rect class="seg-cpu" x={x(p.received_at).to_string()} y={y.to_string()} width={(x(p.finished_at) - x(p.received_at)).max(0.3).to_string()} height="5" />
                                                    </> }
                                                }) }
                                            </svg>
                                        </td>
                                        <td class="num answer" data-label={lang.s("Answer", "답")}>{ thousands(r.answer()) }{ if r.checks() { html! { <span class="ok">{ " ✓" }</span> } } else { html! { <span class="bad">{ " ✗" }</span> } } }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                <div class="legend">
                    <span><i class="seg-move"></i>{ lang.s("moving data", "데이터 전달") }</span>
                    <span><i class="seg-cpu"></i>{ lang.s("summing", "계산") }</span>
                </div>
                if sizes.len() > 1 {
                    { line_chart(
                        lang.s("wall time against array size, one line per way (numbers in the table)", "배열 크기에 따른 걸린 시간, 방식마다 선 하나 (숫자는 표)").to_owned(),
                        &data_models(props.isolated).into_iter().map(|m| (data_class(m), runs.iter().filter(|r| r.model == m).map(|r| (r.mib as f64, r.wall_ms())).collect())).collect::<Vec<_>>(),
                        "MiB", "ms",
                    ) }
                    <div class="legend">
                        { for data_models(props.isolated).into_iter().map(|m| html! {
                            <span><i class={classes!("curve-key", data_class(m))}></i>{ data_label(lang, m) }</span>
                        }) }
                    </div>
                }
            }
        </section>
    }
}
