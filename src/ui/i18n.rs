//! Every word the page shows, in English and Korean.
//!
//! Components read the language from context (`use_context::<Lang>()`) and
//! pick a string with `lang.s("English", "한국어")`; longer texts (model
//! explanations, the verdict) live here so both versions sit side by side.
//! The Korean was written for Korean readers, not translated word by word.

use crate::ui::state::LoadError;
use engine::analysis::summary::RunAllVerdict;
use engine::error::{CrashCause, Failure, FieldError, Problem, Unavailable};
use engine::work::workload::Plan;
use engine::{Model, RunError, Strategy, WorkloadKind};

pub(crate) use engine::text::Lang;

/// The page's words for the engine's types, in the reader's language
/// (`Lang` itself is the engine's, so a claim's texts can live in its file).
pub(crate) trait Words {
    fn model(self, m: Model) -> &'static str;
    fn model_short(self, m: Model) -> &'static str;
    fn workload(self, k: WorkloadKind) -> &'static str;
    fn bound(self, k: WorkloadKind) -> &'static str;
    fn size_label(self, k: WorkloadKind) -> &'static str;
    fn plan(self, p: Plan) -> &'static str;
    fn strategy(self, s: Strategy) -> String;
    fn field_error(self, e: &FieldError) -> String;
    fn run_error(self, e: &RunError) -> String;
    fn crash_cause(self, c: &CrashCause) -> String;
    fn load_error(self, e: &LoadError) -> String;
    fn code_loading(self) -> &'static str;
    fn reload_page(self) -> &'static str;
}

impl Words for Lang {
    fn model(self, m: Model) -> &'static str {
        match m {
            Model::Sequential => self.s("Sequential", "순차 실행"),
            Model::GilThreads => self.s("Threads under a GIL", "GIL 아래의 스레드"),
            Model::Threads => {
                self.s("Free threads (like CPython 3.13t/3.14t)", "자유 스레드 (CPython 3.13t/3.14t처럼)")
            }
            Model::Processes => self.s("Processes (separate memory)", "프로세스 (메모리 분리)"),
            Model::Asyncio => self.s("asyncio (one event loop)", "asyncio (이벤트 루프 하나)"),
        }
    }

    /// A short name for tight spots (charts, the verdict).
    fn model_short(self, m: Model) -> &'static str {
        match m {
            Model::Sequential => self.s("sequential", "순차 실행"),
            Model::GilThreads => self.s("GIL threads", "GIL 스레드"),
            Model::Threads => self.s("free threads", "자유 스레드"),
            Model::Processes => self.s("processes", "프로세스"),
            Model::Asyncio => "asyncio",
        }
    }

    fn workload(self, k: WorkloadKind) -> &'static str {
        match k {
            WorkloadKind::Primes => self.s("Count primes", "소수 세기"),
            WorkloadKind::SumRange => self.s("Sum of a range", "구간 합"),
            WorkloadKind::Sha256 => self.s("SHA-256 chains", "SHA-256 해시 체인"),
            WorkloadKind::Mandelbrot => self.s("Mandelbrot rows", "망델브로 집합 행"),
            WorkloadKind::SleepIo => self.s("Simulated I/O wait", "I/O 대기 흉내"),
            WorkloadKind::Mixed => self.s("Mixed: wait, then compute", "혼합: 기다린 뒤 계산"),
        }
    }

    fn bound(self, k: WorkloadKind) -> &'static str {
        if k.is_io() {
            self.s("I/O-bound", "I/O 중심")
        } else if k == WorkloadKind::Mixed {
            self.s("I/O + CPU", "I/O + CPU")
        } else {
            self.s("CPU-bound", "CPU 중심")
        }
    }

    fn size_label(self, k: WorkloadKind) -> &'static str {
        match k {
            WorkloadKind::Primes => self.s("Count primes below", "이 수 미만의 소수"),
            WorkloadKind::SumRange => self.s("Sum of range(n), n =", "range(n)의 합, n ="),
            WorkloadKind::Sha256 => self.s("Total SHA-256 hashes", "SHA-256 해시 총 횟수"),
            WorkloadKind::Mandelbrot => self.s("Image side (pixels)", "이미지 한 변 (픽셀)"),
            WorkloadKind::SleepIo => self.s("Latency per task (ms)", "작업당 지연 (ms)"),
            WorkloadKind::Mixed => self.s("Time per task (ms): wait + CPU", "작업당 시간 (ms): 대기 + CPU"),
        }
    }

    fn plan(self, p: Plan) -> &'static str {
        match p {
            Plan::Uniform => self.s("Uniform: all the same", "균일: 모두 같은 크기"),
            Plan::Uneven => self.s("Uneven: 2,4,6,8,1,3,5,7…", "불균일: 2,4,6,8,1,3,5,7…"),
        }
    }

    fn strategy(self, s: Strategy) -> String {
        match (self, s) {
            (Lang::En, Strategy::Static) => "static slices".into(),
            (Lang::Ko, Strategy::Static) => "정적 분할".into(),
            (Lang::En, Strategy::Dynamic { chunk }) => format!("shared queue, chunk {chunk}"),
            (Lang::Ko, Strategy::Dynamic { chunk }) => format!("공유 큐, 청크 {chunk}"),
        }
    }

    fn field_error(self, e: &FieldError) -> String {
        if self == Lang::En {
            return e.message();
        }
        match &e.problem {
            Problem::Empty { lo, hi } => format!("{lo}부터 {hi} 사이의 정수를 입력하세요"),
            Problem::Negative { lo, hi } => format!("음수는 안 됩니다 ({lo}부터 {hi}까지)"),
            Problem::NotANumber { text, lo, hi } => format!("“{text}”은(는) 정수가 아닙니다 ({lo}부터 {hi}까지)"),
            Problem::TooSmall { lo } => format!("{lo} 이상이어야 합니다"),
            Problem::TooLarge { value, hi } => format!("{value}은(는) 너무 큽니다: 최대 {hi}"),
            Problem::FarTooLarge { hi } => format!("너무 큰 수입니다: 최대 {hi}"),
            Problem::OutOfRange { lo, hi } => format!("{lo}부터 {hi} 사이의 수를 입력하세요"),
            Problem::Unknown { text } => format!("알 수 없는 선택지 “{text}”"),
            Problem::TooManyTasks { max } => {
                format!("작업은 최대 {max}개: 작업마다 구간의 원소가 하나 이상 필요합니다")
            }
            Problem::TooSlow { seconds, limit } => {
                format!("코어 하나로 약 {seconds}초가 걸립니다. 한도는 {limit}초이니 크기를 줄이세요")
            }
            Problem::BadStep { text, threads } => {
                format!("“{text}”은(는) 1부터 {threads} 사이의 스레드 번호도, 1x9 같은 ‘스레드x횟수’도 아닙니다")
            }
            Problem::TooManySteps { max } => format!("스케줄은 최대 {max}단계입니다"),
            Problem::NotASwitchPoint { step, thread, holder } => format!(
                "{step}단계: 스레드 {thread}(으)로 넘어갈 수 없습니다 — 스레드 {holder}이(가) GIL을 쥐고 있고, CPython이 eval breaker를 확인하는 지점에 아직 닿지 않았습니다"
            ),
            Problem::CannotRun { step, thread } => {
                format!("{step}단계: 스레드 {thread}은(는) 이미 끝났거나 락을 기다리는 중입니다")
            }
        }
    }

    fn run_error(self, e: &RunError) -> String {
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            RunError::Cancelled => "실행을 취소했습니다".into(),
            RunError::Invalid(errs) => format!(
                "설정이 올바르지 않습니다: {}",
                errs.iter().map(|e| self.field_error(e)).collect::<Vec<_>>().join("; ")
            ),
            RunError::Unavailable(u) => format!("이 모델은 여기서 쓸 수 없습니다: {}", unavailable(self, u)),
            RunError::Failed(f) => failure(self, f),
            RunError::Busy => "다른 실행이 진행 중입니다".into(),
        }
    }

    /// While the lab's code is fetched (a view that needs it, a claim to run).
    fn code_loading(self) -> &'static str {
        self.s("Loading the lab's code…", "실험실 코드를 불러오는 중…")
    }

    /// The button for a page whose build the server no longer has.
    fn reload_page(self) -> &'static str {
        self.s("Reload the page", "페이지 새로 고침")
    }

    /// Why the lab's code could not be loaded, and what to do.
    fn load_error(self, e: &LoadError) -> String {
        match e {
            LoadError::Gone => self
                .s(
                    "The site was updated while this page was open, and this page's lab code is no longer on the server. Reload the page to get the new version.",
                    "이 페이지를 연 뒤에 사이트가 업데이트되어, 이 페이지가 쓰는 실험실 코드가 서버에 더 이상 없습니다. 새 버전을 받으려면 페이지를 새로 고침하세요.",
                )
                .to_owned(),
            LoadError::Failed(why) => match self {
                Lang::En => format!("The lab's code could not be loaded ({why}). Check your connection and try again."),
                Lang::Ko => format!("실험실 코드를 불러오지 못했습니다({why}). 네트워크 연결을 확인한 뒤 다시 시도하세요."),
            },
        }
    }

    /// Why a task crashed, in a phrase.
    fn crash_cause(self, c: &CrashCause) -> String {
        match (self, c) {
            (Lang::En, c) => c.to_string(),
            (Lang::Ko, CrashCause::CrashSwitch { task }) => {
                format!("작업 {task}이(가) 죽었습니다 (“작업 하나를 죽이기”가 켜져 있음)")
            }
            (Lang::Ko, CrashCause::Exception { task }) => format!("작업 {task}에서 예외가 발생했습니다"),
            (Lang::Ko, CrashCause::Panic { message }) => format!("패닉: {message}"),
            (Lang::Ko, CrashCause::Died { detail }) => format!("워커가 죽었습니다: {detail}"),
        }
    }
}

fn unavailable(lang: Lang, u: &Unavailable) -> String {
    match (lang, u) {
        (Lang::En, u) => u.to_string(),
        (Lang::Ko, Unavailable::NotIsolated) => {
            "스레드는 공유 메모리가 필요한데, 브라우저는 교차 출처 격리된 페이지에서만 공유 메모리를 허용합니다"
                .into()
        }
        (Lang::Ko, Unavailable::MemoryNotShared) => {
            "스레드 호스트의 메모리가 공유 메모리(SharedArrayBuffer)가 아닙니다".into()
        }
        (Lang::Ko, Unavailable::WorkerStart { detail }) => format!("워커를 시작하지 못했습니다: {detail}"),
        (Lang::Ko, Unavailable::WorkerLoad { detail }) => format!("워커가 로드 중에 실패했습니다: {detail}"),
        (Lang::Ko, Unavailable::PoolStart { detail }) => format!("스레드 풀을 시작하지 못했습니다: {detail}"),
        (Lang::Ko, Unavailable::NoSharedArrayBuffer) => {
            "이 브라우저는 이 페이지에서 SharedArrayBuffer를 제공하지 않아 스레드가 메모리를 공유할 수 없습니다".into()
        }
        (Lang::Ko, Unavailable::NoSharedWasmMemory { detail }) => {
            format!("브라우저가 공유 WebAssembly 메모리를 만들어 주지 않았습니다: {detail}")
        }
        (Lang::Ko, Unavailable::StartTimeout { seconds }) => format!(
            "워커가 {seconds}초 안에 로드를 마치지 못했습니다 (스크립트나 wasm을 불러오거나 컴파일하지 못했습니다)"
        ),
        (Lang::Ko, Unavailable::OtherBuild { page, worker }) => format!(
            "페이지를 연 뒤에 사이트가 업데이트되었습니다 (페이지 빌드 {page}, 워커 빌드 {worker}). 페이지를 새로 고침하세요"
        ),
    }
}

fn failure(lang: Lang, f: &Failure) -> String {
    match (lang, f) {
        (Lang::En, f) => f.to_string(),
        (Lang::Ko, Failure::ThreadPanicked { cause }) => format!(
            "스레드 하나가 패닉했습니다 — {}. 스레드 하나의 패닉은 프로세스 전체를 멈추게 하므로 스레드 풀을 새로 띄웁니다",
            lang.crash_cause(cause)
        ),
        (Lang::Ko, Failure::EventLoopDied { cause }) => {
            format!("이벤트 루프가 죽었습니다: {}", lang.crash_cause(cause))
        }
        (Lang::Ko, Failure::ProcessDied { worker, detail }) => format!("프로세스 {worker}이(가) 죽었습니다: {detail}"),
        (Lang::Ko, Failure::WorkerClosed) => "워커가 예기치 않게 닫혔습니다".into(),
        (Lang::Ko, Failure::StuckAfterCancel { seconds }) => {
            format!("취소한 뒤 {seconds}초가 지나도 스레드가 멈추지 않았습니다")
        }
        (Lang::Ko, Failure::Messaging { detail }) => format!("워커와 메시지를 주고받지 못했습니다: {detail}"),
        (Lang::Ko, Failure::NoMemory { mib, detail }) => {
            format!("브라우저가 배열에 쓸 메모리 {mib}MiB를 내주지 않았습니다: {detail}")
        }
    }
}

/// What a model is, the Python it mirrors, and the kitchen analogy.
pub(crate) struct Guide {
    pub(crate) what: &'static str,
    pub(crate) code: &'static str,
    pub(crate) kitchen: &'static str,
}

pub(crate) fn guide(lang: Lang, m: Model) -> Guide {
    match m {
        Model::Sequential => Guide {
            what: lang.s(
                "One worker does every task, one after another. Every speedup on this page is measured against it.",
                "작업자 하나가 모든 작업을 차례대로 처리합니다. 이 페이지의 모든 속도 향상은 이것과 비교한 값입니다.",
            ),
            code: "results = [work(task) for task in tasks]",
            kitchen: lang.s(
                "One kitchen, one chef, cooking ten dishes one after another.",
                "주방 하나에 요리사 한 명이 요리 열 개를 하나씩 차례로 만듭니다.",
            ),
        },
        Model::GilThreads => Guide {
            what: lang.s(
                "Real threads share one memory, but CPython's global interpreter lock lets only one of them run Python code at a time. The lock changes hands every switch interval (sys.setswitchinterval, 5 ms by default) and is released while a thread waits on I/O. CPU-bound work gains nothing; waits on I/O still overlap.",
                "진짜 스레드들이 메모리 하나를 함께 쓰지만, CPython의 전역 인터프리터 락(GIL) 때문에 파이썬 코드는 한 번에 한 스레드만 실행합니다. 락은 전환 간격(sys.setswitchinterval, 기본 5 ms)마다 다른 스레드로 넘어가고, I/O를 기다리는 동안에는 풀립니다. 그래서 CPU 작업은 빨라지지 않지만 I/O 대기는 여전히 겹칩니다.",
            ),
            code: "from concurrent.futures import ThreadPoolExecutor\n\nwith ThreadPoolExecutor(max_workers=N) as pool:\n    results = list(pool.map(work, tasks))",
            kitchen: lang.s(
                "One kitchen, ten chefs crowding it, and a single stove: whoever holds it cooks, the rest wait their turn. A chef waiting for a delivery steps aside.",
                "주방 하나에 요리사 열 명이 북적이는데 화구는 하나뿐입니다. 화구를 잡은 사람만 요리하고 나머지는 차례를 기다립니다. 배달을 기다리는 요리사는 잠시 비켜섭니다.",
            ),
        },
        Model::Threads => Guide {
            what: lang.s(
                "The same threads without a GIL, like free-threaded CPython 3.13t/3.14t: every thread runs at once on its own core and they share one memory. CPU-bound work scales with the cores — and shared data now needs locks.",
                "GIL이 없는 같은 스레드입니다 (프리 스레드 CPython 3.13t/3.14t처럼). 모든 스레드가 각자의 코어에서 동시에 돌며 메모리 하나를 공유합니다. CPU 작업이 코어 수만큼 빨라지는 대신, 공유 데이터에는 이제 락이 필요합니다.",
            ),
            code: "# python3.13t -X gil=0\nfrom concurrent.futures import ThreadPoolExecutor\n\nwith ThreadPoolExecutor(max_workers=N) as pool:\n    results = list(pool.map(work, tasks))",
            kitchen: lang.s(
                "One kitchen, ten chefs, ten stoves: everyone cooks at once, but they share the fridge and must not grab the same pan.",
                "주방 하나에 요리사 열 명, 화구도 열 개. 모두 동시에 요리하지만 냉장고를 함께 쓰니 같은 냄비를 동시에 잡지 않게 조심해야 합니다.",
            ),
        },
        Model::Processes => Guide {
            what: lang.s(
                "Separate workers, each with its own memory and its own interpreter (and its own GIL). They share nothing and talk only by messages, so they truly run in parallel — but starting them and copying data to them costs time. As a Pool's workers read their next task from one shared pipe, here they take the next task number from one shared counter (on an isolated page) instead of waiting for the page to send it; the tasks and results still travel as messages.",
                "작업자마다 메모리와 인터프리터(그리고 GIL)를 따로 가집니다. 아무것도 공유하지 않고 메시지로만 대화하므로 진짜로 병렬 실행됩니다. 다만 프로세스를 띄우고 데이터를 복사해 보내는 데 시간이 듭니다. Pool의 작업자들이 파이프 하나에서 다음 작업을 꺼내 가듯, 여기서도 (격리된 페이지라면) 공유 카운터 하나에서 다음 작업 번호를 직접 가져가므로 페이지가 보내 주기를 기다리지 않습니다. 작업 내용과 결과는 여전히 메시지로 오갑니다.",
            ),
            code: "from concurrent.futures import ProcessPoolExecutor\n\nif __name__ == \"__main__\":\n    with ProcessPoolExecutor(max_workers=N) as pool:\n        results = list(pool.map(work, tasks))",
            kitchen: lang.s(
                "Ten kitchens, ten chefs: nobody gets in anyone's way, but building a kitchen takes time and the ingredients must be carried over.",
                "주방 열 개에 요리사 열 명. 서로 방해하지 않지만 주방을 차리는 데 시간이 들고 재료를 일일이 옮겨야 합니다.",
            ),
        },
        Model::Asyncio => Guide {
            what: lang.s(
                "One thread runs an event loop. A coroutine that awaits I/O hands the loop to the others, so thousands of waits overlap on a single core. CPU work never awaits, so it holds the loop and everything else stalls until it is done.",
                "스레드 하나가 이벤트 루프를 돌립니다. I/O를 await하는 코루틴은 루프를 다른 코루틴에게 넘기므로, 코어 하나로도 수천 개의 대기가 겹칩니다. CPU 작업은 await하지 않아 루프를 붙잡고, 끝날 때까지 나머지는 모두 멈춥니다.",
            ),
            code: "import asyncio\n\nasync def main():\n    return await asyncio.gather(*(work(t) for t in tasks))\n\nresults = asyncio.run(main())",
            kitchen: lang.s(
                "One kitchen, one chef juggling ten dishes: while one simmers, stir the next. A dish that needs non-stop chopping keeps the chef's hands full.",
                "주방 하나, 요리사 한 명이 요리 열 개를 번갈아 돌봅니다. 하나가 끓는 동안 다른 냄비를 젓지요. 하지만 쉬지 않고 썰어야 하는 요리가 있으면 요리사의 손이 묶입니다.",
            ),
        },
    }
}

/// The Python of each allocation strategy, comments in the reader's language.
pub(crate) fn strategy_code(lang: Lang, s: Strategy) -> String {
    match s {
        Strategy::Static => format!(
            "# {}\nchunks = [tasks[i::N] for i in range(N)]\nwith multiprocessing.Pool(N) as pool:\n    parts = pool.map(run_all, chunks)",
            lang.s("static slices: worker i gets tasks i, i+N, i+2N, ...", "정적 분할: 작업자 i가 i, i+N, i+2N, ... 번째 작업을 맡음")
        ),
        Strategy::Dynamic { .. } => format!(
            "# {}\nq = queue.Queue()\nfor t in tasks:\n    q.put(t)\n\ndef worker():\n    while True:\n        try:\n            t = q.get_nowait()\n        except queue.Empty:\n            return\n        results.append(work(t))",
            lang.s("shared queue: an idle worker takes the next task", "공유 큐: 일이 끝난 작업자가 다음 작업을 가져감")
        ),
    }
}

fn x(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}×")).unwrap_or_else(|| "—".into())
}

/// The verdict after Run-all, as sentences.
pub(crate) fn verdict(lang: Lang, v: &RunAllVerdict) -> String {
    let short = lang.model_short(v.winner);
    // A sentence starts with a capital (Korean has none; asyncio stays as is).
    let w = match (lang, v.winner) {
        (Lang::En, m) if m != Model::Asyncio => {
            let mut c = short.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        }
        _ => short.to_owned(),
    };
    let g = x(v.speedup_of(Model::GilThreads));
    let f = x(v.speedup_of(Model::Threads));
    let p = x(v.speedup_of(Model::Processes));
    let a = x(v.speedup_of(Model::Asyncio));
    let s = format!("{:.2}", v.winner_speedup);
    let n = v.workers;
    match (lang, v.io_bound) {
        (Lang::En, false) => format!(
            "{w} won this CPU-bound job: {s}× faster than sequential. Threads under the GIL reached {g} — only one thread runs Python code at a time — while free threads reached {f} and processes {p}, each worker on its own core (at most {n}). asyncio ran everything on its single thread ({a})."
        ),
        (Lang::Ko, false) => format!(
            "이 CPU 중심 작업의 승자는 {w}입니다: 순차 실행보다 {s}배 빠릅니다. GIL 아래의 스레드는 {g}에 그쳤습니다. 파이썬 코드는 한 번에 한 스레드만 돌기 때문입니다. 반면 자유 스레드는 {f}, 프로세스는 {p}로, 작업자마다 코어를 하나씩 썼습니다(최대 {n}개). asyncio는 스레드 하나에서 모두 차례로 돌렸습니다({a})."
        ),
        (Lang::En, true) => format!(
            "{w} won this I/O-bound job: {s}× faster than sequential. Waiting needs no core: asyncio overlapped every wait on one thread ({a}), and threads overlapped as many waits as there are threads, with the GIL ({g}) or without ({f}). {n} processes helped only as far as their number ({p})."
        ),
        (Lang::Ko, true) => format!(
            "이 I/O 중심 작업의 승자는 {w}입니다: 순차 실행보다 {s}배 빠릅니다. 기다리는 데는 코어가 필요 없습니다. asyncio는 스레드 하나로 모든 대기를 겹쳤고({a}), 스레드는 GIL이 있든({g}) 없든({f}) 스레드 수만큼 대기를 겹쳤습니다. 프로세스 {n}개는 그 개수만큼만 도움이 됐습니다({p})."
        ),
    }
}

/// The mixed workload, the crossover map and the convoy view: what each
/// shows, the Python it mirrors, and (for mixed work) the kitchen.
pub(crate) struct ViewGuide {
    pub(crate) what: &'static str,
    pub(crate) code: &'static str,
    pub(crate) kitchen: Option<&'static str>,
}

pub(crate) fn crossover_guide(lang: Lang) -> ViewGuide {
    ViewGuide {
        what: lang.s(
            "Real tasks wait and compute: fetch a page, then parse it. Each task here waits first (the GIL is released, waits overlap) and then computes its CPU share (under the GIL, one thread at a time). The map runs every model at CPU shares from 0 % to 100 % and plots each one's speedup over sequential at the same share. Where the curves cross is where “threads for I/O, processes for CPU” turns over on this machine.",
            "실제 작업은 기다리기도 하고 계산하기도 합니다. 페이지를 받아 온 뒤 파싱하는 식이죠. 여기서 작업은 먼저 기다리고(이때 GIL이 풀려 대기끼리 겹칩니다) 그다음 자기 몫의 CPU 작업을 합니다(GIL 아래에서는 한 번에 한 스레드만). 이 지도는 CPU 비율 0%부터 100%까지 모든 모델을 돌려, 같은 비율의 순차 실행 대비 속도 향상을 그립니다. 곡선이 교차하는 지점이 바로 이 컴퓨터에서 “I/O에는 스레드, CPU에는 프로세스”가 뒤바뀌는 지점입니다.",
        ),
        code: "import time\nfrom concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n\ndef task(wait_s, cpu_ms):\n    time.sleep(wait_s)        # fetch: the GIL is released\n    burn(cpu_ms)              # parse: pure Python, holds the GIL\n\nwith ThreadPoolExecutor(N) as pool:   # or ProcessPoolExecutor(N)\n    list(pool.map(task, waits, cpus))",
        kitchen: Some(lang.s(
            "A chef who waits for a delivery, then chops. Waiting chefs need no stove, so ten of them can wait in one kitchen at once; but with one stove (the GIL) the chopping happens one chef at a time. The more chopping per dish, the more it pays to open more kitchens.",
            "배달을 기다렸다가 재료를 써는 요리사를 떠올려 보세요. 기다리는 동안에는 화구가 필요 없으니 주방 하나에서 열 명이 함께 기다릴 수 있습니다. 하지만 화구(GIL)가 하나뿐이면 써는 일은 한 사람씩 해야 합니다. 요리마다 써는 일이 많을수록 주방을 여러 개 여는 편이 낫습니다.",
        )),
    }
}

pub(crate) fn convoy_guide(lang: Lang) -> ViewGuide {
    ViewGuide {
        what: lang.s(
            "One I/O thread makes short blocking waits beside threads that only compute. Under the GIL, every time the I/O thread wakes up it must win the lock back from a thread that never lets go on its own: it asks, waits a whole switch interval for the holder to notice, and only then runs — wait after wait (David Beazley's “convoy effect”, python/cpython#52194, never fixed). Free threads and processes do not queue. Change the GIL switch interval in the form to see the queue follow it.",
            "I/O 스레드 하나가 짧게 블로킹 대기를 반복하고, 옆에서는 계산만 하는 스레드들이 돕니다. GIL 아래에서는 I/O 스레드가 깨어날 때마다 스스로는 절대 락을 놓지 않는 스레드에게서 락을 되찾아야 합니다. 양보를 요청하고, 락을 쥔 스레드가 알아챌 때까지 전환 간격 하나를 통째로 기다린 뒤에야 실행됩니다. 대기할 때마다 매번 이렇습니다(데이비드 비즐리의 “호송 효과”, python/cpython#52194, 지금도 고쳐지지 않음). 자유 스레드와 프로세스는 줄을 서지 않습니다. 설정의 GIL 전환 간격을 바꾸면 대기 시간이 그대로 따라 움직이는 것을 볼 수 있습니다.",
        ),
        code: "import threading, time\n\ndone = False\ndef spin():                      # CPU-bound\n    x = 0\n    while not done:\n        x += 1\n\nfor _ in range(N):\n    threading.Thread(target=spin).start()\n\nfor _ in range(K):               # the I/O thread\n    t = time.perf_counter()\n    time.sleep(0.001)\n    waits.append(time.perf_counter() - t)\ndone = True",
        kitchen: None,
    }
}
