//! Typed errors: bad input (one message per form field), cancellation, and
//! failures of a run. All of them render as plain sentences in the page.

use crate::settings::Field;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A run was stopped by the reader before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("the run was cancelled")]
pub struct Cancelled;

/// What is wrong with a field's text. Typed, so the page can say it in
/// the reader's language; `Display` gives the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Empty {
        lo: String,
        hi: String,
    },
    Negative {
        lo: String,
        hi: String,
    },
    NotANumber {
        text: String,
        lo: String,
        hi: String,
    },
    TooSmall {
        lo: String,
    },
    TooLarge {
        value: String,
        hi: String,
    },
    FarTooLarge {
        hi: String,
    },
    OutOfRange {
        lo: String,
        hi: String,
    },
    Unknown {
        text: String,
    },
    TooManyTasks {
        max: u64,
    },
    TooSlow {
        seconds: u64,
        limit: u64,
    },
    /// A schedule's part is not a thread (from 1 to `threads`), nor a
    /// thread and a count (`1x9`).
    BadStep {
        text: String,
        threads: u64,
    },
    /// A schedule longer than this many steps.
    TooManySteps {
        max: u64,
    },
    /// Step `step` hands the GIL to `thread` where `holder` keeps it.
    NotASwitchPoint {
        step: u64,
        thread: u64,
        holder: u64,
    },
    /// Step `step` picks a thread that has finished or waits for a lock.
    CannotRun {
        step: u64,
        thread: u64,
    },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Empty { lo, hi } => write!(f, "enter a whole number from {lo} to {hi}"),
            Problem::Negative { lo, hi } => write!(f, "must not be negative (from {lo} to {hi})"),
            Problem::NotANumber { text, lo, hi } => write!(f, "“{text}” is not a whole number (from {lo} to {hi})"),
            Problem::TooSmall { lo } => write!(f, "must be at least {lo}"),
            Problem::TooLarge { value, hi } => write!(f, "{value} is too large: at most {hi}"),
            Problem::FarTooLarge { hi } => write!(f, "far too large: at most {hi}"),
            Problem::OutOfRange { lo, hi } => write!(f, "enter a number from {lo} to {hi}"),
            Problem::Unknown { text } => write!(f, "unknown choice “{text}”"),
            Problem::TooManyTasks { max } => {
                write!(f, "at most {max} tasks: each task needs at least one item of the range")
            }
            Problem::TooSlow { seconds, limit } => {
                write!(f, "this would take about {seconds} s on one core; the limit is {limit} s — use a smaller size")
            }
            Problem::BadStep { text, threads } => {
                write!(f, "“{text}” is not a thread from 1 to {threads}, nor a thread and a count like 1x9")
            }
            Problem::TooManySteps { max } => write!(f, "a schedule of at most {max} steps"),
            Problem::NotASwitchPoint { step, thread, holder } => write!(
                f,
                "step {step}: thread {thread} cannot run there — thread {holder} holds the GIL and has not reached a point where CPython checks its eval breaker"
            ),
            Problem::CannotRun { step, thread } => {
                write!(f, "step {step}: thread {thread} has finished or waits for a lock")
            }
        }
    }
}

/// One invalid form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}: {problem}", .field.id())]
pub struct FieldError {
    /// The field; its `id()` is the input's `name` in the page.
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// The English sentence.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

/// The message a panic was raised with (`panic!("…")`), for reporting a
/// crash before the worker dies.
pub fn panic_text(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    match (payload.downcast_ref::<String>(), payload.downcast_ref::<&str>()) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => (*s).to_owned(),
        (None, None) => info.to_string(),
    }
}

/// Why a model cannot run on this page.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum Unavailable {
    /// Threads share one memory, which browsers allow only on a
    /// cross-origin isolated page.
    #[error("threads need shared memory, which the browser only allows on a cross-origin isolated page")]
    NotIsolated,
    /// The thread host loaded, but its memory is not a SharedArrayBuffer.
    #[error("the thread host's memory is not shared (no SharedArrayBuffer)")]
    MemoryNotShared,
    /// The browser refused to start a worker; `detail` is its reason.
    #[error("could not start a worker: {detail}")]
    WorkerStart { detail: String },
    /// A worker started but failed while loading its wasm.
    #[error("a worker failed to load: {detail}")]
    WorkerLoad { detail: String },
    /// A worker of another build answered (the site was updated while this
    /// page was open, or an old offline copy): it is not used.
    #[error(
        "the site was updated while this page was open (page build {page}, worker build {worker}); reload the page"
    )]
    OtherBuild { page: String, worker: String },
    /// wasm-bindgen-rayon could not start the pool's threads.
    #[error("could not start the thread pool: {detail}")]
    PoolStart { detail: String },
    /// The page is isolated, yet the browser has no `SharedArrayBuffer`
    /// (Safari's engine can be built or started that way).
    #[error("this browser offers no SharedArrayBuffer on this page, so threads cannot share memory")]
    NoSharedArrayBuffer,
    /// The browser refused to make a shared `WebAssembly.Memory`.
    #[error("the browser refused a shared WebAssembly memory: {detail}")]
    NoSharedWasmMemory { detail: String },
    /// A worker was started but never said it had loaded: its script or
    /// its wasm failed to load or compile without an error the page could
    /// hear (an unhandled rejection inside a worker raises none).
    #[error("a worker did not finish loading within {seconds} s (its script or wasm could not be loaded or compiled)")]
    StartTimeout { seconds: u64 },
}

/// Why a task ended without a result.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum CrashCause {
    /// The "crash one task" switch made this task panic.
    #[error("task {task} crashed (the “crash one task” switch is on)")]
    CrashSwitch { task: usize },
    /// The coroutine of this task raised an exception (asyncio).
    #[error("task {task} raised an exception")]
    Exception { task: usize },
    /// Any other panic, with its message.
    #[error("{message}")]
    Panic { message: String },
    /// The worker died without a word of its own; the browser's error.
    #[error("{detail}")]
    Died { detail: String },
}

impl CrashCause {
    /// The cause behind a panic message: the crash switch's own message is
    /// recognised (so the page can word it in the reader's language), any
    /// other text is kept as it is.
    pub fn from_panic(message: &str) -> Self {
        let task = message
            .strip_prefix("task ")
            .and_then(|rest| rest.strip_suffix(" crashed (the “crash one task” switch is on)"))
            .and_then(|n| n.parse().ok());
        match task {
            Some(task) => CrashCause::CrashSwitch { task },
            None => CrashCause::Panic { message: message.to_owned() },
        }
    }
}

/// What went wrong while a run was going.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum Failure {
    /// A pool thread panicked. A panic aborts the thread's worker on the
    /// spot, so, like a crashing thread in an OS process, it takes the whole
    /// pool down; the page starts a new one.
    #[error("a thread panicked — {cause}. One thread's panic takes the whole process down; the pool was restarted")]
    ThreadPanicked { cause: CrashCause },
    /// The worker running the asyncio event loop died.
    #[error("the event loop died: {cause}")]
    EventLoopDied { cause: CrashCause },
    /// A process died while it had no task to lose.
    #[error("process {worker} died: {detail}")]
    ProcessDied { worker: usize, detail: String },
    /// A worker went away without saying why.
    #[error("a worker closed unexpectedly")]
    WorkerClosed,
    /// Cancelled threads did not stop within this many seconds.
    #[error("the threads did not stop within {seconds} s of cancel")]
    StuckAfterCancel { seconds: u64 },
    /// A message could not be posted or understood; the browser's words.
    #[error("messaging failed: {detail}")]
    Messaging { detail: String },
    /// The browser refused the memory for the parent's array.
    #[error("the browser refused {mib} MiB for the array: {detail}")]
    NoMemory { mib: u64, detail: String },
}

/// Why a run produced no result. Every variant carries data, not a
/// sentence, so the page words it in the reader's language; `Display` gives
/// the English one (logs, tests).
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum RunError {
    #[error("the run was cancelled")]
    Cancelled,
    #[error("invalid settings: {}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("this model is not available here: {0}")]
    Unavailable(Unavailable),
    #[error("{0}")]
    Failed(Failure),
    #[error("another run is already going")]
    Busy,
}

impl From<Cancelled> for RunError {
    fn from(_: Cancelled) -> Self {
        RunError::Cancelled
    }
}

impl From<Failure> for RunError {
    fn from(f: Failure) -> Self {
        RunError::Failed(f)
    }
}

impl From<Unavailable> for RunError {
    fn from(u: Unavailable) -> Self {
        RunError::Unavailable(u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crash_switch_message_is_recognised() {
        let text = CrashCause::CrashSwitch { task: 6 }.to_string();
        assert_eq!(CrashCause::from_panic(&text), CrashCause::CrashSwitch { task: 6 });
        assert_eq!(
            CrashCause::from_panic("index out of bounds"),
            CrashCause::Panic { message: "index out of bounds".into() }
        );
        assert_eq!(
            CrashCause::from_panic("task x crashed (the “crash one task” switch is on)"),
            CrashCause::Panic { message: "task x crashed (the “crash one task” switch is on)".into() }
        );
    }

    #[test]
    fn errors_read_as_sentences() {
        let e = RunError::Failed(Failure::ThreadPanicked { cause: CrashCause::CrashSwitch { task: 6 } });
        assert!(e.to_string().starts_with("a thread panicked — task 6 crashed"), "{e}");
        assert!(e.to_string().contains("takes the whole process down"));
    }
}
