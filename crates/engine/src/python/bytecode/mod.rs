//! One level down: short Python functions run instruction by instruction,
//! as CPython 3.11 compiles them, by several threads over shared globals —
//! to show where a thread switch can fall and what it breaks.
//!
//! - This module: the instructions the scenarios need, read from `dis`
//!   listings (the listings are CPython 3.11's own output, kept as fixtures
//!   in `scenarios`), and a step machine: threads with a program counter,
//!   a value stack and locals each, the globals they share.
//! - [`Switching`]: where the next thread may be chosen. Under the GIL,
//!   CPython 3.10+ honours a request to drop the GIL only where it checks
//!   its *eval breaker*; free threads interleave anywhere.
//! - `scenarios`: the Python source, its listing, the invariant it breaks.
//! - `explore`: every interleaving of a scenario, counted.
//! - `play`: the reader as the scheduler — a schedule, replayed.
//! - `real`: the scenarios on real threads, under a GIL or free.
//!
//! A sans-IO state machine like the pools: [`Machine::step`] takes the
//! thread the scheduler (the reader, or the explorer) picks, and refuses a
//! pick the switching rule does not allow.

pub mod explore;
pub mod play;
pub mod real;
pub mod scenarios;
#[cfg(test)]
mod tests;

use std::fmt;

/// A value on a stack, in a local or a global.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// The NULL `LOAD_GLOBAL` pushes before a callable (3.11's calling
    /// convention: `NULL + range`).
    Null,
    /// A builtin the scenarios call.
    Builtin(Builtin),
    /// `iter(range(…))`: the next value and the stop.
    RangeIter {
        next: i64,
        stop: i64,
    },
    /// A string (the scenarios' keys).
    Str(&'static str),
    /// An object on the shared heap (a list), by its index.
    Ref(usize),
}

/// An object the threads share by reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Object {
    List(Vec<Value>),
    /// A dict, its items in insertion order.
    Dict(Vec<(Value, Value)>),
    /// `itertools.count()`: the number its `__next__` returns next.
    Count(i64),
    /// A `threading.Lock` and the thread holding it.
    Lock {
        owner: Option<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    Range,
    Int,
    /// `list.append`, as `LOAD_METHOD append` finds it.
    Append,
    /// A lock's `__exit__`, which `BEFORE_WITH` leaves on the stack: the
    /// lock it releases.
    LockExit(usize),
    /// A count's `__next__` (a C function): the count it advances.
    Next(usize),
}

/// One instruction, as far as the machine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    Resume,
    /// `LOAD_GLOBAL`; `null`: it also pushes the NULL of a call.
    LoadGlobal {
        name: String,
        null: bool,
    },
    LoadConst(Value),
    LoadFast(usize),
    StoreFast(usize),
    StoreGlobal(String),
    /// `LOAD_METHOD`: the method, then the object it is bound to.
    LoadMethod(String),
    PopTop,
    Nop,
    /// `BEFORE_WITH` on a lock: acquires it (a thread waits while another
    /// holds it), leaves its `__exit__` and `None` on the stack.
    BeforeWith,
    /// `JUMP_FORWARD` to the instruction at this index.
    JumpForward(usize),
    /// The code that runs only when an exception unwinds a `with`
    /// (`PUSH_EXC_INFO`, `WITH_EXCEPT_START`, `RERAISE`…): the scenarios
    /// raise none, so the machine never gets there.
    ExceptionPath,
    /// `BINARY_OP` with `+` or `+=` (the same on ints).
    Add,
    /// `CONTAINS_OP`: `in`, or `not in` when `not`.
    Contains {
        not: bool,
    },
    /// `POP_JUMP_FORWARD_IF_TRUE` / `_FALSE`: pops a bool, jumps to the
    /// instruction at `to` when it is `when`.
    PopJumpIf {
        when: bool,
        to: usize,
    },
    /// `STORE_SUBSCR`: `container[key] = value`.
    StoreSubscr,
    Precall,
    Call(usize),
    GetIter,
    /// `FOR_ITER`: at the end of the iterator, jump to the instruction at
    /// this index.
    ForIter(usize),
    /// `JUMP_BACKWARD` to the instruction at this index.
    JumpBackward(usize),
    ReturnValue,
}

impl Op {
    /// Whether CPython 3.11 checks its eval breaker at this instruction, so
    /// that a thread asked to drop the GIL does so right after it. Read in
    /// v3.11.2's `Python/ceval.c`: `CHECK_EVAL_BREAKER()` (l. 1349) jumps to
    /// `handle_eval_breaker`, whose `eval_frame_handle_pending` is the one
    /// place that drops the GIL (l. 1202). It is reached from
    /// - `RESUME` at a function's entry (`RESUME_QUICK`, l. 1784: `oparg < 2`);
    /// - `JUMP_BACKWARD` (`JUMP_BACKWARD_QUICK`, l. 4209), and the
    ///   `POP_JUMP_BACKWARD_IF_*` jumps when taken;
    /// - `CALL` after a call into C returns (l. 4791), and the `PRECALL_*`
    ///   forms specialized for C functions (`int(1)`: `PRECALL_BUILTIN_CLASS`,
    ///   l. 5000).
    ///
    /// Not from `PRECALL`, `LOAD_*`, `STORE_*`, `BINARY_OP`, `BEFORE_WITH`,
    /// forward jumps or `RETURN_VALUE`: between `LOAD_GLOBAL counter` and
    /// `STORE_GLOBAL counter` of `counter += 1` the GIL is never given up.
    ///
    /// One simplification: once 3.11 has specialized `items.append(x)` into
    /// `PRECALL_NO_KW_LIST_APPEND` (l. 5180, after a few calls), that call
    /// skips the check; the machine checks at every `CALL`. An append is
    /// whole either way, so no count of a broken invariant changes.
    pub fn checks_eval_breaker(&self) -> bool {
        matches!(self, Op::Resume | Op::JumpBackward(_) | Op::Call(_))
    }
}

/// One line of a listing: its byte offset and instruction, and the text
/// `dis` printed for it without its source line number and jump marker
/// (offset, name, argument, meaning: what the page shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instr {
    pub offset: u32,
    pub op: Op,
    pub text: String,
}

/// Why a listing could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingError {
    pub line: usize,
    pub why: String,
}

impl fmt::Display for ListingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "listing line {}: {}", self.line, self.why)
    }
}

/// A function's code: its instructions and its locals' names (as the
/// listing names them; a local it never names is `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub instrs: Vec<Instr>,
    pub locals: usize,
    pub local_names: Vec<String>,
}

impl Code {
    /// Reads one function's `dis` listing (CPython 3.11's format: line
    /// number, `>>` for a jump target, offset, name, argument, its meaning
    /// in parentheses). Only the instructions of [`Op`] are known.
    pub fn from_listing(listing: &str) -> Result<Code, ListingError> {
        let mut raw = Vec::new();
        for (i, line) in listing.lines().enumerate() {
            let err = |why: &str| ListingError { line: i + 1, why: why.to_owned() };
            let t = line.trim();
            if t.starts_with("ExceptionTable:") {
                break;
            }
            if t.is_empty() || t.starts_with("Disassembly of") {
                continue;
            }
            let mut words = t.split_whitespace().filter(|w| *w != ">>").peekable();
            // A leading source line number comes before the offset when
            // both are there: two numbers in a row.
            let first: u32 = words.next().and_then(|w| w.parse().ok()).ok_or_else(|| err("no offset"))?;
            let offset = match words.peek().and_then(|w| w.parse::<u32>().ok()) {
                Some(o) => {
                    words.next();
                    o
                }
                None => first,
            };
            let name = words.next().ok_or_else(|| err("no instruction"))?.to_owned();
            let arg: Option<i64> = words.peek().and_then(|w| w.parse().ok());
            if arg.is_some() {
                words.next();
            }
            let rest = words.collect::<Vec<_>>().join(" ");
            let meaning = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or("").to_owned();
            let shown = [offset.to_string(), name.clone(), arg.map(|a| a.to_string()).unwrap_or_default(), rest];
            let shown = shown.iter().filter(|w| !w.is_empty()).cloned().collect::<Vec<_>>().join(" ");
            raw.push((offset, name, arg, meaning, shown, i + 1));
        }
        let index_of = |target: &str, line: usize| -> Result<usize, ListingError> {
            let to: u32 = target
                .strip_prefix("to ")
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| ListingError { line, why: format!("no jump target in '{target}'") })?;
            raw.iter()
                .position(|r| r.0 == to)
                .ok_or_else(|| ListingError { line, why: format!("no instruction at offset {to}") })
        };
        let mut instrs = Vec::new();
        let mut locals = 0;
        let mut local_names: Vec<String> = Vec::new();
        for (offset, name, arg, meaning, text, line) in &raw {
            let err = |why: String| ListingError { line: *line, why };
            let arg_n = || arg.ok_or_else(|| err(format!("{name} without an argument")));
            let op = match name.as_str() {
                "RESUME" => Op::Resume,
                "LOAD_GLOBAL" => match meaning.strip_prefix("NULL + ") {
                    Some(n) => Op::LoadGlobal { name: n.to_owned(), null: true },
                    None => Op::LoadGlobal { name: meaning.clone(), null: false },
                },
                "LOAD_CONST" => Op::LoadConst(match meaning.as_str() {
                    "None" => Value::None,
                    m => Value::Int(m.parse().map_err(|_| err(format!("constant '{m}'")))?),
                }),
                "LOAD_FAST" | "STORE_FAST" => {
                    let n = arg_n()? as usize;
                    locals = locals.max(n + 1);
                    if local_names.len() <= n {
                        local_names.resize(n + 1, String::new());
                    }
                    local_names[n].clone_from(meaning);
                    if name == "LOAD_FAST" {
                        Op::LoadFast(n)
                    } else {
                        Op::StoreFast(n)
                    }
                }
                "STORE_GLOBAL" => Op::StoreGlobal(meaning.clone()),
                "LOAD_METHOD" => Op::LoadMethod(meaning.clone()),
                "POP_TOP" => Op::PopTop,
                "NOP" => Op::Nop,
                "BEFORE_WITH" => Op::BeforeWith,
                "JUMP_FORWARD" => Op::JumpForward(index_of(meaning, *line)?),
                "POP_JUMP_FORWARD_IF_TRUE" | "POP_JUMP_FORWARD_IF_FALSE" => {
                    Op::PopJumpIf { when: name.ends_with("TRUE"), to: index_of(meaning, *line)? }
                }
                "PUSH_EXC_INFO" | "WITH_EXCEPT_START" | "RERAISE" | "COPY" | "POP_EXCEPT" => Op::ExceptionPath,
                "BINARY_OP" if meaning == "+" || meaning == "+=" => Op::Add,
                "CONTAINS_OP" => Op::Contains { not: arg_n()? == 1 },
                "STORE_SUBSCR" => Op::StoreSubscr,
                "PRECALL" => Op::Precall,
                "CALL" => Op::Call(arg_n()? as usize),
                "GET_ITER" => Op::GetIter,
                "FOR_ITER" => Op::ForIter(index_of(meaning, *line)?),
                "JUMP_BACKWARD" => Op::JumpBackward(index_of(meaning, *line)?),
                "RETURN_VALUE" => Op::ReturnValue,
                other => return Err(err(format!("the machine does not run {other} {meaning}"))),
            };
            instrs.push(Instr { offset: *offset, op, text: text.clone() });
        }
        Ok(Code { instrs, locals, local_names })
    }
}

crate::named_enum! {
    /// Where a scheduler may hand the next instruction to another thread;
    /// its id names it in links.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    pub enum Switching {
        /// CPython with the GIL: only after an instruction that checks the
        /// eval breaker ([`Op::checks_eval_breaker`]), or when the running
        /// thread ends.
        Gil = "gil",
        /// Free threading (3.13t): between any two instructions.
        Free = "free",
    }
}

/// One thread: where it is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Thread {
    pub pc: usize,
    pub stack: Vec<Value>,
    pub locals: Vec<Value>,
    pub done: bool,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// No such thread, or it has finished.
    NotRunnable(usize),
    /// The GIL is held by `holder`, which is between two instructions
    /// where CPython does not check the eval breaker.
    NotASwitchPoint { holder: usize },
    /// The code did something the machine cannot (a bug in a scenario).
    Stuck { thread: usize, why: String },
}

/// The words a worker sends when a count or a real run is refused (the
/// workers are built with `-Zfmt-debug=none`: Debug prints nothing there).
/// The game's own refusals are worded per language in the ui.
impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotRunnable(t) => write!(f, "thread {} cannot run: it has finished or does not exist", t + 1),
            StepError::NotASwitchPoint { holder } => {
                write!(f, "thread {} holds the GIL between two instructions where CPython does not switch", holder + 1)
            }
            StepError::Stuck { thread, why } => write!(f, "thread {} is stuck: {why}", thread + 1),
        }
    }
}

/// Threads running the same code over shared globals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Machine {
    pub threads: Vec<Thread>,
    /// What the threads share: the globals and the objects.
    pub shared: Shared,
    /// The thread that ran last, if it may not be switched away from now.
    pub holder: Option<usize>,
    pub switching: Switching,
}

impl Machine {
    /// One thread per entry of `args` (its first locals) about to run
    /// `code`, over `globals` and the objects they refer to.
    pub fn new(
        code: &Code,
        args: &[Vec<Value>],
        globals: Vec<(String, Value)>,
        heap: Vec<Object>,
        switching: Switching,
    ) -> Self {
        let threads = args.iter().map(|a| Thread::new(code, a)).collect();
        Machine { threads, shared: Shared { globals, heap }, holder: None, switching }
    }

    /// The threads the scheduler may pick now, given the code they run.
    pub fn runnable(&self, code: &Code) -> Vec<usize> {
        let can_run = |t: usize| !self.threads[t].done && !self.waits(code, t);
        match self.holder {
            // A thread that waits for a lock lets the GIL go.
            Some(h) if self.switching == Switching::Gil && can_run(h) => vec![h],
            _ => (0..self.threads.len()).filter(|&t| can_run(t)).collect(),
        }
    }

    /// Whether thread `t` is about to take a lock another thread holds.
    pub fn waits(&self, code: &Code, t: usize) -> bool {
        self.threads[t].waits(code, t, &self.shared)
    }

    /// Every unfinished thread waits for a lock another one holds.
    pub fn deadlocked(&self, code: &Code) -> bool {
        !self.finished() && (0..self.threads.len()).all(|t| self.threads[t].done || self.waits(code, t))
    }

    /// Whether every thread has finished.
    pub fn finished(&self) -> bool {
        self.threads.iter().all(|t| t.done)
    }

    pub fn global(&self, name: &str) -> Option<&Value> {
        self.shared.global(name)
    }

    /// Runs one instruction of thread `t`.
    pub fn step(&mut self, code: &Code, t: usize) -> Result<(), StepError> {
        if !self.runnable(code).contains(&t) {
            return Err(match self.holder {
                Some(h) if self.threads.get(t).is_some_and(|th| !th.done) => StepError::NotASwitchPoint { holder: h },
                _ => StepError::NotRunnable(t),
            });
        }
        let th = self.threads.get_mut(t).ok_or(StepError::NotRunnable(t))?;
        let checked = th.exec(code, t, &mut self.shared)?;
        // The GIL stays with `t` unless it just checked the eval breaker
        // (or ended); free threads never hold on.
        self.holder = (self.switching == Switching::Gil && !checked && !th.done).then_some(t);
        Ok(())
    }
}

impl Thread {
    /// A thread about to run `code`, its first locals `args`.
    pub fn new(code: &Code, args: &[Value]) -> Self {
        let mut locals = vec![Value::None; code.locals.max(args.len())];
        locals[..args.len()].clone_from_slice(args);
        Thread { pc: 0, stack: Vec::new(), locals, done: false }
    }

    /// Whether this thread (`t`) is about to take a lock another holds.
    pub fn waits(&self, code: &Code, t: usize, sh: &Shared) -> bool {
        match (code.instrs.get(self.pc).map(|i| &i.op), self.stack.last()) {
            (Some(Op::BeforeWith), Some(Value::Ref(r))) => {
                matches!(sh.heap.get(*r), Some(Object::Lock { owner: Some(o) }) if *o != t)
            }
            _ => false,
        }
    }

    /// Runs this thread's (`t`'s) next instruction over `sh`, whichever
    /// scheduler chose it (the step machine, or a real thread holding the
    /// GIL or the per-instruction lock: `real`). Returns whether CPython
    /// checks its eval breaker after it.
    pub fn exec(&mut self, code: &Code, t: usize, sh: &mut Shared) -> Result<bool, StepError> {
        let th = self;
        let stuck = |why: &str| StepError::Stuck { thread: t, why: why.to_owned() };
        let instr = code.instrs.get(th.pc).ok_or_else(|| stuck("ran past the code"))?;
        let mut next = th.pc + 1;
        match &instr.op {
            Op::Resume | Op::Precall | Op::Nop => {}
            Op::BeforeWith => {
                let lock = match th.stack.pop() {
                    Some(Value::Ref(r)) => r,
                    _ => return Err(stuck("with on something other than a lock")),
                };
                match sh.heap.get_mut(lock) {
                    Some(Object::Lock { owner: owner @ None }) => *owner = Some(t),
                    _ => return Err(stuck("with on a lock it cannot take")),
                }
                th.stack.extend([Value::Builtin(Builtin::LockExit(lock)), Value::None]);
            }
            Op::JumpForward(to) => next = *to,
            Op::ExceptionPath => return Err(stuck("an exception path: no scenario raises")),
            Op::LoadGlobal { name, null } => {
                let v = match name.as_str() {
                    "range" => Value::Builtin(Builtin::Range),
                    "int" => Value::Builtin(Builtin::Int),
                    n => sh.global(n).cloned().ok_or_else(|| stuck("NameError"))?,
                };
                if *null {
                    th.stack.push(Value::Null);
                }
                th.stack.push(v);
            }
            Op::LoadConst(v) => th.stack.push(v.clone()),
            Op::LoadFast(i) => {
                let v = th.locals.get(*i).cloned().ok_or_else(|| stuck("no such local"))?;
                th.stack.push(v);
            }
            Op::StoreFast(i) => {
                let v = th.stack.pop().ok_or_else(|| stuck("empty stack"))?;
                *th.locals.get_mut(*i).ok_or_else(|| stuck("no such local"))? = v;
            }
            Op::LoadMethod(name) => {
                let obj = th.stack.pop().ok_or_else(|| stuck("empty stack"))?;
                match (name.as_str(), &obj) {
                    ("append", Value::Ref(_)) => th.stack.extend([Value::Builtin(Builtin::Append), obj]),
                    _ => return Err(stuck("a method the machine does not know")),
                }
            }
            Op::PopTop => {
                th.stack.pop().ok_or_else(|| stuck("empty stack"))?;
            }
            Op::StoreGlobal(name) => {
                let v = th.stack.pop().ok_or_else(|| stuck("empty stack"))?;
                sh.set_global(name, v);
            }
            Op::Add => match (th.stack.pop(), th.stack.pop()) {
                (Some(Value::Int(b)), Some(Value::Int(a))) => th.stack.push(Value::Int(a + b)),
                _ => return Err(stuck("+ on something other than two ints")),
            },
            Op::Contains { not } => {
                let (container, key) = { (th.stack.pop(), th.stack.pop()) };
                let found = match (container, key) {
                    (Some(Value::Ref(r)), Some(k)) => match sh.heap.get(r) {
                        Some(Object::Dict(items)) => items.iter().any(|(ik, _)| *ik == k),
                        Some(Object::List(items)) => items.contains(&k),
                        _ => return Err(stuck("in on something other than a dict or a list")),
                    },
                    _ => return Err(stuck("in on something other than a dict or a list")),
                };
                th.stack.push(Value::Bool(found != *not));
            }
            Op::PopJumpIf { when, to } => match th.stack.pop() {
                Some(Value::Bool(b)) => {
                    if b == *when {
                        next = *to;
                    }
                }
                _ => return Err(stuck("a jump on something other than a bool")),
            },
            Op::StoreSubscr => {
                let (key, container, value) = (th.stack.pop(), th.stack.pop(), th.stack.pop());
                match (key, container, value) {
                    (Some(k), Some(Value::Ref(r)), Some(v)) => match sh.heap.get_mut(r) {
                        // One C call (`dict.__setitem__`): whole, like an append.
                        Some(Object::Dict(items)) => match items.iter_mut().find(|(ik, _)| *ik == k) {
                            Some(item) => item.1 = v,
                            None => items.push((k, v)),
                        },
                        _ => return Err(stuck("[] = on something other than a dict")),
                    },
                    _ => return Err(stuck("[] = with too few values")),
                }
            }
            Op::Call(n) => {
                let at = th.stack.len().checked_sub(n + 2).ok_or_else(|| stuck("too few values for a call"))?;
                let mut frame = th.stack.split_off(at);
                let mut args = frame.split_off(2);
                // 3.11's two shapes: NULL, callable, args… (a function) or
                // method, self, args… (after LOAD_METHOD).
                let callable = match (frame.swap_remove(0), frame.pop()) {
                    (Value::Null, Some(f)) => f,
                    (m, Some(this)) => {
                        args.insert(0, this);
                        m
                    }
                    _ => return Err(stuck("too few values for a call")),
                };
                let result = match (&callable, args.as_slice()) {
                    (Value::Builtin(Builtin::Range), [Value::Int(stop)]) => Value::RangeIter { next: 0, stop: *stop },
                    (Value::Builtin(Builtin::Int), [Value::Int(v)]) => Value::Int(*v),
                    // One C call: under the GIL, and with free threads'
                    // per-object locks alike, an append is whole.
                    (Value::Builtin(Builtin::Append), [Value::Ref(r), v]) => match sh.heap.get_mut(*r) {
                        Some(Object::List(items)) => {
                            items.push(v.clone());
                            Value::None
                        }
                        _ => return Err(stuck("append on something other than a list")),
                    },
                    // `itertools.count().__next__`: one C call, whole.
                    (Value::Builtin(Builtin::Next(r)), []) => match sh.heap.get_mut(*r) {
                        Some(Object::Count(n)) => {
                            *n += 1;
                            Value::Int(*n - 1)
                        }
                        _ => return Err(stuck("__next__ of something other than a count")),
                    },
                    (Value::Builtin(Builtin::LockExit(r)), [_, _, _]) => match sh.heap.get_mut(*r) {
                        Some(Object::Lock { owner }) if *owner == Some(t) => {
                            *owner = None;
                            Value::None
                        }
                        _ => return Err(stuck("releasing a lock it does not hold")),
                    },
                    _ => return Err(stuck("a call the machine cannot make")),
                };
                th.stack.push(result);
            }
            // `range(n)` is already its own iterator here.
            Op::GetIter => {}
            Op::ForIter(end) => match th.stack.last_mut() {
                Some(Value::RangeIter { next: i, stop }) if *i < *stop => {
                    let v = *i;
                    *i += 1;
                    th.stack.push(Value::Int(v));
                }
                Some(Value::RangeIter { .. }) => {
                    th.stack.pop();
                    next = *end;
                }
                _ => return Err(stuck("FOR_ITER without an iterator")),
            },
            Op::JumpBackward(to) => next = *to,
            Op::ReturnValue => {
                th.stack.clear();
                th.done = true;
            }
        }
        th.pc = next;
        Ok(instr.op.checks_eval_breaker())
    }
}

/// What threads share: the globals, by name in a fixed order (so states
/// hash the same), and the objects they refer to ([`Value::Ref`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Shared {
    pub globals: Vec<(String, Value)>,
    pub heap: Vec<Object>,
}

impl Shared {
    pub fn global(&self, name: &str) -> Option<&Value> {
        self.globals.iter().find(|g| g.0 == name).map(|g| &g.1)
    }

    fn set_global(&mut self, name: &str, v: Value) {
        match self.globals.iter_mut().find(|g| g.0 == name) {
            Some(g) => g.1 = v,
            None => self.globals.push((name.to_owned(), v)),
        }
    }
}
