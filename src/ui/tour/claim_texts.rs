//! The tour's words: each claim in one sentence, what its experiment runs,
//! the rule its verdict follows (quoting the engine's thresholds), and the
//! labels of its numbers, in English and in Korean written for Korean
//! developers.

use crate::ui::format::{cores_en, ms, thousands, times};
use crate::ui::i18n::Lang;
use engine::cores::Cores;
use engine::tour::claims::{
    self, Claim, Doubt, Figure, Quantity, Verdict, ASYNC_MIN_BLOCKED_SHARE, ASYNC_MIN_SPEEDUP, CONVOY_MIN_SLOWDOWN,
    COPY_MIN_COST, CORES_MIN_EFFICIENCY, COUNT_TOLERANCE, GIL_MAX_SPEEDUP, IO_MANY_GAIN, IO_MIN_SPEEDUP,
    MEMORY_COPY_SHARE, NOISE_MAX, OVERSUBSCRIBED_MAX_GAIN, POOL_MAX_SHARE, STATIC_MIN_PENALTY, TAKEOVER_MARGIN,
};
use engine::tour::export::ImportError;

/// The claim, in one sentence.
pub(crate) fn sentence(lang: Lang, c: Claim) -> &'static str {
    match c {
        Claim::GilCpu => lang.s(
            "With the GIL, CPU-bound threads are no faster than one thread.",
            "GIL이 있으면 CPU 작업을 스레드 여러 개로 나눠도 스레드 하나보다 빨라지지 않는다.",
        ),
        Claim::ProcessesCores => lang.s(
            "Processes speed up CPU-bound work up to the number of cores — and no further.",
            "CPU 작업은 프로세스를 늘리면 코어 수만큼 빨라지고, 그 이상은 빨라지지 않는다.",
        ),
        Claim::CpuCount => lang.s(
            "For CPU-bound work, use as many processes as cores (os.cpu_count()).",
            "CPU 작업에는 코어 수(os.cpu_count())만큼 프로세스를 띄우면 된다.",
        ),
        Claim::IoThreads => lang.s(
            "For I/O-bound work threads help — even far more threads than cores.",
            "I/O 작업에는 스레드가 효과가 있고, 코어 수보다 훨씬 많은 스레드도 도움이 된다.",
        ),
        Claim::AsyncioLoop => lang.s(
            "asyncio overlaps waits on a single thread — and one CPU-heavy coroutine blocks all the others.",
            "asyncio는 스레드 하나로 대기를 겹쳐 처리하지만, CPU를 오래 쓰는 코루틴 하나가 나머지를 모두 막는다.",
        ),
        Claim::Memory => lang.s(
            "Threads share one memory; each process has its own.",
            "스레드는 메모리 하나를 함께 쓰고, 프로세스는 각자 자기 메모리를 가진다.",
        ),
        Claim::DataTransfer => lang.s(
            "Sending data to processes costs more than sharing it.",
            "프로세스에 데이터를 보내는 것은 공유하는 것보다 비용이 크다.",
        ),
        Claim::Pool => lang.s(
            "A pool avoids paying the start of a process for every task.",
            "풀을 쓰면 작업마다 프로세스를 새로 띄우는 비용을 내지 않아도 된다.",
        ),
        Claim::RaceLock => lang.s(
            "Shared memory without a lock loses updates; with a lock it does not.",
            "락 없이 공유 메모리를 고치면 갱신이 사라지고, 락을 걸면 사라지지 않는다.",
        ),
        Claim::Deadlock => lang.s(
            "Two locks taken in opposite orders can deadlock.",
            "두 스레드가 락 두 개를 서로 반대 순서로 잡으면 데드락에 빠질 수 있다.",
        ),
        Claim::Crash => lang.s(
            "A crashing process leaves the others running; a crashing thread takes down the whole process.",
            "프로세스 하나가 죽어도 나머지는 계속 돌지만, 스레드 하나가 죽으면 프로세스 전체가 죽는다.",
        ),
        Claim::Uneven => lang.s(
            "With uneven tasks, splitting the work up front leaves cores idle; a shared queue keeps them busy.",
            "작업 크기가 들쭉날쭉하면 미리 나눠 주는 방식은 코어를 놀리고, 공유 큐는 코어를 계속 바쁘게 한다.",
        ),
        Claim::Mixed => lang.s(
            "In mixed work, threads are enough while tasks mostly wait; as the CPU share grows, processes take over.",
            "대기와 계산이 섞인 작업은 대기가 대부분일 때는 스레드로 충분하지만, CPU 비중이 커지면 프로세스가 앞선다.",
        ),
        Claim::Convoy => lang.s(
            "The GIL slows down I/O threads that run beside CPU-bound threads.",
            "GIL은 CPU 작업 스레드 옆에서 도는 I/O 스레드를 느리게 만든다.",
        ),
    }
}

/// For a claim whose verdict depends on the core count: which count it is
/// sized from, and whether the page measured it or took the browser's word
/// (WebKit clamps `navigator.hardwareConcurrency`). Empty for the others.
pub(crate) fn cores_note(lang: Lang, c: Claim, cores: Cores) -> String {
    if !c.needs_cores() {
        return String::new();
    }
    let n = cores.usable();
    match (lang, cores.measured) {
        (Lang::En, Some(_)) => {
            format!(" Sized for {}, as measured on this page (the browser says {}).", cores_en(n), cores.reported)
        }
        (Lang::Ko, Some(_)) => {
            format!(" 이 페이지에서 측정한 코어 {n}개 기준입니다 (브라우저가 알려 준 값은 {}개).", cores.reported)
        }
        (Lang::En, None) => format!(" Sized for {}, the browser's figure (not yet measured).", cores_en(n)),
        (Lang::Ko, None) => format!(" 브라우저가 알려 준 코어 {n}개 기준입니다 (아직 측정 전)."),
    }
}

/// What the experiment runs, with this machine's counts.
pub(crate) fn what_runs(lang: Lang, c: Claim, cores: usize) -> String {
    let n = cores.max(2);
    let t = 8 * cores.clamp(1, 16);
    let many = (8 * cores).clamp(16, 32);
    let io_tasks = 3 * many;
    let target = claims::CPU_TARGET_MS / 1000.0;
    match (lang, c) {
        (Lang::En, Claim::GilCpu) => format!("Counting primes in {t} tasks (sized so one core takes about {target} s): sequentially before and after, then on {n} threads under a GIL and, for contrast, on {n} free threads."),
        (Lang::Ko, Claim::GilCpu) => format!("소수 세기를 작업 {t}개로 나눠 (코어 하나로 약 {target}초 걸리게 크기 조정) 처음과 끝에 순차 실행으로 한 번씩, 그 사이에 GIL 아래 스레드 {n}개로, 비교용으로 자유 스레드 {n}개로 돌립니다."),
        (Lang::En, Claim::ProcessesCores) => format!("The same prime count sequentially (before and after), then on {cores} processes (the core count) and on {} (twice as many).", 2 * cores),
        (Lang::Ko, Claim::ProcessesCores) => format!("같은 소수 세기를 순차 실행(처음과 끝)으로, 그리고 프로세스 {cores}개(코어 수)와 {}개(코어 수의 두 배)로 돌립니다.", 2 * cores),
        (Lang::En, Claim::CpuCount) => format!("The same prime count on 1, {cores} and {} processes, against sequential runs before and after.", 2 * cores),
        (Lang::Ko, Claim::CpuCount) => format!("같은 소수 세기를 프로세스 1개, {cores}개, {}개로 돌리고 처음과 끝의 순차 실행과 비교합니다.", 2 * cores),
        (Lang::En, Claim::IoThreads) => format!("{io_tasks} simulated network calls of {} ms each: sequentially, then on {n} and on {many} threads under a GIL.", claims::IO_LATENCY_MS),
        (Lang::Ko, Claim::IoThreads) => format!("{} ms짜리 가짜 네트워크 호출 {io_tasks}개를 순차 실행으로, 그리고 GIL 아래 스레드 {n}개와 {many}개로 돌립니다.", claims::IO_LATENCY_MS),
        (Lang::En, Claim::AsyncioLoop) => format!("The same {io_tasks} waits sequentially and with asyncio; then 8 coroutines that each wait, then compute {} ms without awaiting.", claims::ASYNC_MIXED_MS * u64::from(claims::ASYNC_MIXED_CPU) / 100),
        (Lang::Ko, Claim::AsyncioLoop) => format!("같은 대기 {io_tasks}개를 순차 실행과 asyncio로 돌립니다. 이어서 코루틴 8개가 각각 기다린 뒤 await 없이 {} ms 동안 계산합니다.", claims::ASYNC_MIXED_MS * u64::from(claims::ASYNC_MIXED_CPU) / 100),
        (Lang::En, Claim::RaceLock) => format!("{n} threads each add 1 to one shared counter {} times: without a lock (counter += 1), then with one.", thousands(claims::RACE_PER_WORKER)),
        (Lang::Ko, Claim::RaceLock) => format!("스레드 {n}개가 공유 카운터 하나에 각각 1을 {}번 더합니다. 먼저 락 없이(counter += 1), 다음엔 락을 걸고.", thousands(claims::RACE_PER_WORKER)),
        (Lang::En, Claim::Deadlock) => format!("Two threads take locks A and B in opposite orders, then both in the same order; a watchdog calls a deadlock when the same wait-for cycle stands for {} ms.", claims::DEADLOCK_WATCHDOG_MS),
        (Lang::Ko, Claim::Deadlock) => format!("스레드 두 개가 락 A와 B를 서로 반대 순서로 잡고, 다음엔 같은 순서로 잡습니다. 같은 대기 사이클이 {} ms 동안 풀리지 않으면 감시자가 데드락으로 판정합니다.", claims::DEADLOCK_WATCHDOG_MS),
        (Lang::En, Claim::Crash) => format!("8 small prime-count tasks, the middle one set to crash: on {n} processes, then on {n} threads."),
        (Lang::Ko, Claim::Crash) => format!("작은 소수 세기 작업 8개 중 가운데 하나가 죽도록 설정하고, 프로세스 {n}개와 스레드 {n}개로 각각 돌립니다."),
        (Lang::En, Claim::Uneven) => format!("{t} prime-count tasks of uneven sizes (2,4,6,8,1,3,5,7…) on {n} processes: a shared queue, static slices (data[i::N]), the queue again."),
        (Lang::Ko, Claim::Uneven) => format!("크기가 들쭉날쭉한(2,4,6,8,1,3,5,7…) 소수 세기 작업 {t}개를 프로세스 {n}개로 돌립니다. 공유 큐, 정적 분할(data[i::N]), 다시 공유 큐 순서입니다."),
        (Lang::En, Claim::Mixed) => format!("{} tasks of {} ms that wait, then compute, at 0 %, 50 % and 100 % CPU: sequentially, on {n} threads under a GIL and on {n} processes.", 4 * n, claims::MIXED_TASK_MS),
        (Lang::Ko, Claim::Mixed) => format!("기다린 뒤 계산하는 {} ms짜리 작업 {}개를 CPU 비중 0 %, 50 %, 100 %로 바꿔 가며 순차 실행, GIL 아래 스레드 {n}개, 프로세스 {n}개로 돌립니다.", claims::MIXED_TASK_MS, 4 * n),
        (Lang::En, Claim::Memory) => format!("Starts 1 and {n} processes, and a pool of 1 and {n} threads, and counts their memory (wasm memory, plus each process's JS heap where the browser can count it)."),
        (Lang::Ko, Claim::Memory) => format!("프로세스 1개와 {n}개, 스레드 1개와 {n}개짜리 풀을 띄우고 메모리를 셉니다 (wasm 메모리, 그리고 브라우저가 셀 수 있으면 프로세스마다의 JS 힙)."),
        (Lang::En, Claim::DataTransfer) => format!("Sums an array of {} MiB: sequentially, on {n} processes through shared memory, and on {n} processes that each get a copy of their chunk.", claims::DATA_MIB),
        (Lang::Ko, Claim::DataTransfer) => format!("{} MiB 배열의 합을 구합니다. 순차 실행, 공유 메모리를 쓰는 프로세스 {n}개, 자기 조각을 복사해 받는 프로세스 {n}개로 각각 돌립니다.", claims::DATA_MIB),
        (Lang::En, Claim::Pool) => format!("Times starting a process three ways (spawn, forkserver-like, a reused pool), then compares {} tasks each in a new process with the same tasks on a pool of {n}.", claims::POOL_TASKS),
        (Lang::Ko, Claim::Pool) => format!("프로세스를 띄우는 비용을 세 가지 방식(spawn, forkserver 방식, 재사용 풀)으로 재고, 작업 {}개를 작업마다 새 프로세스로 돌릴 때와 프로세스 {n}개짜리 풀로 돌릴 때를 비교합니다.", claims::POOL_TASKS),
        (Lang::En, Claim::Convoy) => format!("An I/O thread makes {} waits of 1 ms, alone and beside one CPU-bound thread: under a GIL (switch interval 5 ms), then with free threads.", claims::CONVOY_WAITS),
        (Lang::Ko, Claim::Convoy) => format!("I/O 스레드가 1 ms 대기를 {}번 합니다. 혼자일 때와 CPU 작업 스레드 하나 옆에서, GIL 아래(전환 간격 5 ms)와 자유 스레드로 각각 잽니다.", claims::CONVOY_WAITS),
    }
}

fn pct(f: f64) -> String {
    format!("{:.0} %", f * 100.0)
}

/// The rule the verdict follows, with the thresholds it uses.
pub(crate) fn rule(lang: Lang, c: Claim, cores: usize) -> String {
    let n = cores.max(2);
    let holds = match (lang, c) {
        (Lang::En, Claim::GilCpu) => format!("Holds if {n} threads under the GIL are less than {GIL_MAX_SPEEDUP}× faster than sequential."),
        (Lang::Ko, Claim::GilCpu) => format!("GIL 아래 스레드 {n}개가 순차 실행보다 {GIL_MAX_SPEEDUP}배 미만으로 빠르면 성립."),
        (Lang::En, Claim::ProcessesCores) => format!("Holds if {cores} processes are at least {:.2}× faster than sequential ({CORES_MIN_EFFICIENCY} × cores) and {} processes add at most {} on top.", CORES_MIN_EFFICIENCY * cores as f64, 2 * cores, pct(OVERSUBSCRIBED_MAX_GAIN - 1.0)),
        (Lang::Ko, Claim::ProcessesCores) => format!("프로세스 {cores}개가 순차 실행보다 {:.2}배({CORES_MIN_EFFICIENCY} × 코어 수) 이상 빠르고, {}개로 늘려도 추가 이득이 {} 이하이면 성립.", CORES_MIN_EFFICIENCY * cores as f64, 2 * cores, pct(OVERSUBSCRIBED_MAX_GAIN - 1.0)),
        (Lang::En, Claim::CpuCount) => format!("Holds if no process count is more than {} faster than {cores} (the core count).", pct(COUNT_TOLERANCE - 1.0)),
        (Lang::Ko, Claim::CpuCount) => format!("어떤 프로세스 개수도 {cores}개(코어 수)보다 {} 넘게 빠르지 않으면 성립.", pct(COUNT_TOLERANCE - 1.0)),
        (Lang::En, Claim::IoThreads) => format!("Holds if {n} threads are at least {IO_MIN_SPEEDUP}× faster than sequential and the many threads at least {IO_MANY_GAIN}× faster again."),
        (Lang::Ko, Claim::IoThreads) => format!("스레드 {n}개가 순차 실행보다 {IO_MIN_SPEEDUP}배 이상 빠르고, 스레드를 많이 쓰면 거기서 다시 {IO_MANY_GAIN}배 이상 빨라지면 성립."),
        (Lang::En, Claim::AsyncioLoop) => format!("Holds if asyncio is at least {ASYNC_MIN_SPEEDUP}× faster than sequential on the waits and, with CPU work, the loop stalls for at least {} of one coroutine's CPU time.", pct(ASYNC_MIN_BLOCKED_SHARE)),
        (Lang::Ko, Claim::AsyncioLoop) => format!("대기만 있을 때 asyncio가 순차 실행보다 {ASYNC_MIN_SPEEDUP}배 이상 빠르고, CPU 작업이 있을 때 이벤트 루프가 코루틴 하나의 계산 시간의 {} 이상 멈추면 성립.", pct(ASYNC_MIN_BLOCKED_SHARE)),
        (Lang::En, Claim::RaceLock) => "Holds if the counter without a lock loses at least one update and the one with a lock loses none.".to_owned(),
        (Lang::Ko, Claim::RaceLock) => "락 없는 카운터에서 갱신이 하나라도 사라지고, 락을 건 카운터에서는 하나도 사라지지 않으면 성립.".to_owned(),
        (Lang::En, Claim::Deadlock) => "Holds if opposite orders deadlock and one global order finishes.".to_owned(),
        (Lang::Ko, Claim::Deadlock) => "반대 순서에서는 데드락이 나고, 같은 순서에서는 끝까지 실행되면 성립.".to_owned(),
        (Lang::En, Claim::Crash) => "Holds if the processes return 7 of 8 results and report the one crash, while the thread run fails as a whole.".to_owned(),
        (Lang::Ko, Claim::Crash) => "프로세스는 결과 8개 중 7개를 돌려주고 죽은 하나를 보고하는 반면, 스레드 실행은 통째로 실패하면 성립.".to_owned(),
        (Lang::En, Claim::Uneven) => format!("Holds if static slices take at least {} longer than the shared queue.", pct(STATIC_MIN_PENALTY - 1.0)),
        (Lang::Ko, Claim::Uneven) => format!("정적 분할이 공유 큐보다 {} 이상 오래 걸리면 성립.", pct(STATIC_MIN_PENALTY - 1.0)),
        (Lang::En, Claim::Mixed) => format!("Holds if at 0 % CPU processes are not {} faster than GIL threads, and at 100 % they are.", pct(TAKEOVER_MARGIN - 1.0)),
        (Lang::Ko, Claim::Mixed) => format!("CPU 0 %에서는 프로세스가 GIL 스레드보다 {} 이상 빠르지 않고, 100 %에서는 그만큼 빠르면 성립.", pct(TAKEOVER_MARGIN - 1.0)),
        (Lang::En, Claim::Memory) => format!("Holds if {n} processes use at least {} of {n} times one process's memory while the extra threads add less than one process does.", pct(MEMORY_COPY_SHARE)),
        (Lang::Ko, Claim::Memory) => format!("프로세스 {n}개가 프로세스 1개 메모리의 {n}배 중 {} 이상을 쓰는 반면, 늘어난 스레드들이 더한 메모리는 프로세스 하나보다 적으면 성립.", pct(MEMORY_COPY_SHARE)),
        (Lang::En, Claim::DataTransfer) => format!("Holds if moving the chunks by copy takes at least {COPY_MIN_COST}× as long as sharing them, and the run by copy is the slower one."),
        (Lang::Ko, Claim::DataTransfer) => format!("조각을 복사해 보내는 시간이 공유할 때의 {COPY_MIN_COST}배 이상이고, 복사한 실행이 더 느리면 성립."),
        (Lang::En, Claim::Pool) => format!("Holds if a reused pool answers faster than a process starts and, for {} tasks, the pool's overhead is at most {} of a process per task's.", claims::POOL_TASKS, pct(POOL_MAX_SHARE)),
        (Lang::Ko, Claim::Pool) => format!("재사용 풀이 프로세스 하나 띄우는 것보다 빨리 응답하고, 작업 {}개에서 풀의 오버헤드가 작업마다 프로세스를 띄울 때의 {} 이하이면 성립.", claims::POOL_TASKS, pct(POOL_MAX_SHARE)),
        (Lang::En, Claim::Convoy) => format!("Holds if, beside one CPU-bound thread, the I/O thread's median wait under the GIL is at least {CONVOY_MIN_SLOWDOWN}× its median alone."),
        (Lang::Ko, Claim::Convoy) => format!("CPU 작업 스레드 하나 옆에서 GIL 아래 I/O 스레드의 대기 중앙값이 혼자일 때의 {CONVOY_MIN_SLOWDOWN}배 이상이면 성립."),
    };
    let noisy = matches!(c, Claim::GilCpu | Claim::ProcessesCores | Claim::CpuCount | Claim::Uneven);
    let mut unless = Vec::new();
    if c.needs_cores() {
        unless.push(lang.s("fewer than 2 cores", "코어가 2개 미만"));
    }
    if !matches!(c, Claim::RaceLock | Claim::Crash) {
        unless.push(lang.s("a hidden tab", "탭이 숨겨짐"));
    }
    let noise = match lang {
        Lang::En => format!("repeated runs that differ by more than {}", pct(NOISE_MAX)),
        Lang::Ko => format!("반복 실행끼리 {} 넘게 차이 남", pct(NOISE_MAX)),
    };
    let mut list: Vec<String> = unless.into_iter().map(str::to_owned).collect();
    if noisy {
        list.push(noise);
    }
    if list.is_empty() {
        return holds;
    }
    match lang {
        Lang::En => format!("{holds} Inconclusive with {}.", list.join(", ")),
        Lang::Ko => format!("{holds} 다음 경우엔 판단 보류: {}.", list.join(", ")),
    }
}

/// The verdict's label.
pub(crate) fn verdict_label(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => lang.s("Holds on this machine", "이 컴퓨터에서 성립"),
        Verdict::DoesNotHold => lang.s("Does not hold here", "여기서는 성립하지 않음"),
        Verdict::Inconclusive { .. } => lang.s("Inconclusive", "판단 보류"),
    }
}

/// A short label for the comparison (the other machine's verdict).
pub(crate) fn verdict_short(lang: Lang, v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => lang.s("holds", "성립"),
        Verdict::DoesNotHold => lang.s("does not hold", "성립 안 함"),
        Verdict::Inconclusive { .. } => lang.s("inconclusive", "판단 보류"),
    }
}

/// Why a verdict is inconclusive.
pub(crate) fn doubt(lang: Lang, d: Doubt) -> String {
    match (lang, d) {
        (Lang::En, Doubt::FewCores { cores }) => format!("This page got {}: with fewer than two nothing runs in parallel, so the claim is not tested. (A busy machine gives the page fewer cores than it has: reload when it is quiet.)", cores_en(cores)),
        (Lang::Ko, Doubt::FewCores { cores }) => format!("이 페이지가 쓸 수 있는 코어는 {cores}개였습니다. 코어가 2개 미만이면 병렬로 돌 수 없어 이 주장을 검증할 수 없습니다. (컴퓨터가 다른 일로 바쁘면 페이지가 받는 코어가 실제보다 적습니다. 컴퓨터가 한가할 때 페이지를 새로 고쳐 보세요.)"),
        (Lang::En, Doubt::Hidden) => "The tab was hidden during the run; browsers slow hidden tabs down, so the times are not real. Run it again with the tab in front.".to_owned(),
        (Lang::Ko, Doubt::Hidden) => "실행 중에 탭이 가려졌습니다. 브라우저는 숨은 탭을 느리게 돌리므로 시간이 실제와 다릅니다. 탭을 앞에 둔 채 다시 실행하세요.".to_owned(),
        (Lang::En, Doubt::Noisy { spread }) => format!("Two runs of the same work differed by {} (more than {}): the machine was busy. Run it again.", pct(spread), pct(NOISE_MAX)),
        (Lang::Ko, Doubt::Noisy { spread }) => format!("같은 작업을 두 번 돌렸는데 {} 차이가 났습니다({} 초과). 컴퓨터가 다른 일로 바빴던 것 같으니 다시 실행해 보세요.", pct(spread), pct(NOISE_MAX)),
        (Lang::En, Doubt::Unexpected) => "A run ended in a way the claim does not speak about (for example, threads are off on this page).".to_owned(),
        (Lang::Ko, Doubt::Unexpected) => "실행이 이 주장과 상관없는 방식으로 끝났습니다 (예: 이 페이지에서 스레드를 쓸 수 없음).".to_owned(),
    }
}

/// The row label of a number.
pub(crate) fn figure_label(lang: Lang, c: Claim, f: &Figure) -> String {
    let who = match (f.model, f.workers) {
        (Some(m), Some(w)) if m.uses_worker_count() => match lang {
            Lang::En => format!("{} × {w}", lang.model_short(m)),
            Lang::Ko => format!("{} {w}개", lang.model_short(m)),
        },
        (Some(m), _) => lang.model_short(m).to_owned(),
        (None, _) => String::new(),
    };
    let what = match (c, f.slot.as_str()) {
        (Claim::Deadlock, "opposite") => lang.s("opposite orders", "반대 순서").to_owned(),
        (Claim::Deadlock, "ordered") => lang.s("one global order", "같은 순서").to_owned(),
        (Claim::Deadlock, "opposite-ms") => lang.s("opposite orders: time", "반대 순서: 시간").to_owned(),
        (Claim::Deadlock, "ordered-ms") => lang.s("one global order: time", "같은 순서: 시간").to_owned(),
        (Claim::RaceLock, "unlocked") => lang.s("no lock: lost updates", "락 없음: 사라진 갱신").to_owned(),
        (Claim::RaceLock, "locked") => lang.s("with a lock: lost updates", "락 사용: 사라진 갱신").to_owned(),
        (Claim::Uneven, "queue") => lang.s("shared queue", "공유 큐").to_owned(),
        (Claim::Uneven, "static") => lang.s("static slices", "정적 분할").to_owned(),
        (Claim::Uneven, "queue-idle") => lang.s("shared queue: idle", "공유 큐: 노는 시간").to_owned(),
        (Claim::Uneven, "static-idle") => lang.s("static slices: idle", "정적 분할: 노는 시간").to_owned(),
        (Claim::Uneven, "static-x") => lang.s("static / queue", "정적 분할 / 공유 큐").to_owned(),
        (Claim::AsyncioLoop, "io-blocked") => {
            lang.s("longest loop stall, waits only", "루프가 가장 오래 멈춘 시간 (대기만)").to_owned()
        }
        (Claim::AsyncioLoop, "cpu-blocked") => match lang {
            Lang::En => format!("longest loop stall, {} ms CPU each", f.note.as_deref().unwrap_or("?")),
            Lang::Ko => format!("루프가 가장 오래 멈춘 시간 (코루틴마다 CPU {} ms)", f.note.as_deref().unwrap_or("?")),
        },
        (Claim::Mixed, _) => match lang {
            Lang::En => format!("speedup at {} % CPU", f.note.as_deref().unwrap_or("?")),
            Lang::Ko => format!("CPU {} %에서 속도 향상", f.note.as_deref().unwrap_or("?")),
        },
        (Claim::Convoy, _) => match (lang, f.note.as_deref()) {
            (Lang::En, Some("0")) => "median wait, alone".to_owned(),
            (Lang::En, _) => "median wait, beside 1 CPU thread".to_owned(),
            (Lang::Ko, Some("0")) => "대기 중앙값, 혼자".to_owned(),
            (Lang::Ko, _) => "대기 중앙값, CPU 스레드 1개 옆".to_owned(),
        },
        (Claim::Crash, _) => lang.s("tasks that returned", "결과를 돌려준 작업").to_owned(),
        (Claim::Memory, s) if s.starts_with('p') => lang.s("memory, processes", "메모리, 프로세스").to_owned(),
        (Claim::Memory, _) => lang.s("memory, thread pool", "메모리, 스레드 풀").to_owned(),
        (Claim::DataTransfer, "seq") => lang.s("wall time (owns the array)", "걸린 시간 (배열을 직접 가짐)").to_owned(),
        (Claim::DataTransfer, "copy") => lang.s("by copy: wall time", "복사: 걸린 시간").to_owned(),
        (Claim::DataTransfer, "copy-move") => lang.s("by copy: moving the data", "복사: 데이터 전달").to_owned(),
        (Claim::DataTransfer, "shared") => lang.s("shared memory: wall time", "공유 메모리: 걸린 시간").to_owned(),
        (Claim::DataTransfer, _) => lang.s("shared memory: moving the data", "공유 메모리: 데이터 전달").to_owned(),
        (Claim::Pool, "spawn") => lang.s("start by spawn", "spawn으로 시작").to_owned(),
        (Claim::Pool, "forkserver") => lang.s("start, module compiled once", "시작, 모듈은 한 번만 컴파일").to_owned(),
        (Claim::Pool, "reused") => lang.s("reused pool: one task's round trip", "재사용 풀: 작업 하나 왕복").to_owned(),
        (Claim::Pool, "per-task") => match lang {
            Lang::En => format!("{} tasks, a new process each: overhead", claims::POOL_TASKS),
            Lang::Ko => format!("작업 {}개, 작업마다 새 프로세스: 오버헤드", claims::POOL_TASKS),
        },
        (Claim::Pool, _) => match lang {
            Lang::En => format!("{} tasks on a pool: overhead", claims::POOL_TASKS),
            Lang::Ko => format!("작업 {}개, 풀 사용: 오버헤드", claims::POOL_TASKS),
        },
        _ => match f.quantity {
            Quantity::Speedup => lang.s("speedup", "속도 향상").to_owned(),
            _ => lang.s("wall time", "걸린 시간").to_owned(),
        },
    };
    if who.is_empty() {
        what
    } else {
        format!("{who} — {what}")
    }
}

/// A number, in its unit.
pub(crate) fn figure_value(lang: Lang, f: &Figure) -> String {
    match f.quantity {
        Quantity::WallMs | Quantity::MedianWaitMs | Quantity::BlockedMs => ms(f.value),
        Quantity::Speedup => times(f.value),
        Quantity::Lost => thousands(f.value.max(0.0) as u64),
        Quantity::IdlePercent => format!("{:.0} %", f.value),
        Quantity::Done => format!("{} / {}", f.value as u64, f.note.as_deref().unwrap_or("?")),
        Quantity::Flag if f.value > 0.5 => lang.s("deadlocked", "데드락").to_owned(),
        Quantity::Flag => lang.s("finished", "정상 종료").to_owned(),
        Quantity::Mib => format!("{:.1} MiB", f.value),
    }
}

/// Why an imported file was refused.
pub(crate) fn import_error(lang: Lang, e: &ImportError) -> String {
    let what = match (lang, e) {
        // No file at all, or one the browser would not read: said plainly.
        (Lang::En, ImportError::NoFile) => return "No file was chosen. Nothing was changed.".to_owned(),
        (Lang::Ko, ImportError::NoFile) => return "선택한 파일이 없습니다. 아무것도 바뀌지 않았습니다.".to_owned(),
        (Lang::En, ImportError::Unreadable { why }) => {
            return format!("The browser could not read the file ({why}). Nothing was changed.")
        }
        (Lang::Ko, ImportError::Unreadable { why }) => {
            return format!("브라우저가 파일을 읽지 못했습니다 ({why}). 아무것도 바뀌지 않았습니다.")
        }
        (Lang::En, e) => e.to_string(),
        (Lang::Ko, ImportError::TooLarge { bytes }) => {
            format!("파일이 너무 큽니다 ({bytes}바이트, 투어 내보내기 파일은 몇 kB입니다)")
        }
        (Lang::Ko, ImportError::NotJson { line, column }) => {
            format!("JSON 파일이 아닙니다 ({line}번째 줄, {column}번째 글자)")
        }
        (Lang::Ko, ImportError::Foreign) => "Concurrency Lab 투어에서 내보낸 JSON이 아닙니다".to_owned(),
        (Lang::Ko, ImportError::Version { found }) => {
            format!("버전 {found} 파일입니다. 이 페이지는 버전 {}만 읽습니다", engine::tour::export::VERSION)
        }
        (Lang::Ko, ImportError::Invalid { detail }) => format!("파일이 손상되었습니다: {detail}"),
        (Lang::Ko, ImportError::NoClaims) => "이 페이지가 아는 주장이 파일에 하나도 없습니다".to_owned(),
    };
    match lang {
        Lang::En => format!("Could not compare: {what}. Nothing was changed."),
        Lang::Ko => format!("비교할 수 없습니다: {what}. 아무것도 바뀌지 않았습니다."),
    }
}
