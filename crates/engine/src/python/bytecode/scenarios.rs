//! The scenarios: a few lines of Python each, the listing CPython 3.11
//! compiles its thread function to (`python3 -m dis`, kept verbatim; a
//! native test regenerates them where a CPython 3.11 is installed and fails
//! on any difference), and the invariant two threads can break.

use super::{Builtin, Code, ListingError, Machine, Object, Shared, Switching, Value};

crate::named_enum! {
    /// A scenario; its id names it in links.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    pub enum Scenario {
        /// `counter += 1` in a loop: a read, an add and a write, with no
        /// eval-breaker check between them.
        Increment = "increment",
        /// `counter = counter + int(1)`: the same with a call between the
        /// read and the write — and a call checks the eval breaker.
        IncrementCall = "increment-call",
        /// `if key not in cache: cache[key] = make()`: check, then act —
        /// with a call (a switch point) in between, so two threads can
        /// both miss and both make, under either rule.
        CheckThenAct = "check-then-act",
        /// `items.append(i)`: one call into C, whole under the GIL and
        /// with free threads' per-object locks.
        Append = "append",
        /// `with lock: counter += 1`: the fix.
        WithLock = "with-lock",
        /// Two threads take locks `a` and `b` in opposite orders, one right
        /// after the other: under the GIL no switch falls between the two
        /// acquisitions (taking a free lock checks no eval breaker), so
        /// only free threads can deadlock.
        OppositeOrders = "lock-order",
        /// The same with a call between the two acquisitions: a switch
        /// point, so the GIL deadlocks too.
        OppositeOrdersCall = "lock-order-call",
        /// Both take `a` first, then `b`: the fix.
        OneOrder = "lock-one-order",
    }
}

impl Scenario {
    /// The Python module; every thread runs its `worker(n)`.
    pub fn source(self) -> &'static str {
        match self {
            Scenario::Increment => INCREMENT_SOURCE,
            Scenario::IncrementCall => INCREMENT_CALL_SOURCE,
            Scenario::CheckThenAct => CACHE_SOURCE,
            Scenario::Append => APPEND_SOURCE,
            Scenario::WithLock => WITH_LOCK_SOURCE,
            Scenario::OppositeOrders | Scenario::OneOrder => LOCK_ORDER_SOURCE,
            Scenario::OppositeOrdersCall => LOCK_ORDER_CALL_SOURCE,
        }
    }

    /// `worker`'s listing, as `python3 -m dis` (CPython 3.11) prints it.
    pub fn listing(self) -> &'static str {
        match self {
            Scenario::Increment => INCREMENT_LISTING,
            Scenario::IncrementCall => INCREMENT_CALL_LISTING,
            Scenario::CheckThenAct => CACHE_LISTING,
            Scenario::Append => APPEND_LISTING,
            Scenario::WithLock => WITH_LOCK_LISTING,
            Scenario::OppositeOrders | Scenario::OneOrder => LOCK_ORDER_LISTING,
            Scenario::OppositeOrdersCall => LOCK_ORDER_CALL_LISTING,
        }
    }

    pub fn code(self) -> Result<Code, ListingError> {
        Code::from_listing(self.listing())
    }

    /// `threads` threads running `worker` from the module's start
    /// (`counter = 0`, `items = []`, the locks free): `worker(iterations)`,
    /// or for the lock orders, `worker(a, b)` and `worker(b, a)` (or
    /// `worker(a, b)` twice), or for the cache, `worker("config")` (no
    /// loop: `iterations` is not used).
    pub fn machine(self, code: &Code, threads: usize, iterations: i64, switching: Switching) -> Machine {
        let counter = || ("counter".to_owned(), Value::Int(0));
        let n = vec![vec![Value::Int(iterations)]; threads];
        let (a, b) = (Value::Ref(0), Value::Ref(1));
        let two_locks = vec![Object::Lock { owner: None }, Object::Lock { owner: None }];
        let (args, globals, heap) = match self {
            Scenario::Increment | Scenario::IncrementCall => (n, vec![counter()], Vec::new()),
            Scenario::CheckThenAct => (
                vec![vec![Value::Str(CACHE_KEY)]; threads],
                vec![("cache".to_owned(), Value::Ref(0)), ("make".to_owned(), Value::Builtin(Builtin::Next(1)))],
                vec![Object::Dict(Vec::new()), Object::Count(1)],
            ),
            Scenario::Append => (n, vec![("items".to_owned(), Value::Ref(0))], vec![Object::List(Vec::new())]),
            Scenario::WithLock => {
                (n, vec![counter(), ("lock".to_owned(), Value::Ref(0))], vec![Object::Lock { owner: None }])
            }
            Scenario::OppositeOrders | Scenario::OppositeOrdersCall => {
                let args =
                    (0..threads)
                        .map(|t| if t % 2 == 0 { vec![a.clone(), b.clone()] } else { vec![b.clone(), a.clone()] });
                (args.collect(), Vec::new(), two_locks)
            }
            Scenario::OneOrder => (vec![vec![a, b]; threads], Vec::new(), two_locks),
        };
        Machine::new(code, &args, globals, heap, switching)
    }

    /// Whether a finished run kept the invariant: every increment counted,
    /// every item appended, the value made once, every thread finished.
    pub fn holds(self, m: &Machine, iterations: i64) -> bool {
        match self.tally(&m.shared, m.threads.len(), iterations) {
            Some(t) => t.got == t.expected,
            // Their invariant is that they finish: a deadlock is counted apart.
            None => m.finished(),
        }
    }

    /// What a finished run of `threads` × `iterations` counted against what
    /// it should have (`None`: the lock orders, whose invariant is to end).
    pub fn tally(self, sh: &Shared, threads: usize, iterations: i64) -> Option<Tally> {
        let all = threads as u64 * iterations.max(0) as u64;
        let int = |v: Option<&Value>| match v {
            Some(Value::Int(n)) => u64::try_from(*n).unwrap_or(0),
            _ => 0,
        };
        match self {
            Scenario::Increment | Scenario::IncrementCall | Scenario::WithLock => {
                Some(Tally { expected: all, got: int(sh.global("counter")) })
            }
            Scenario::Append => {
                let got = match sh.heap.first() {
                    Some(Object::List(items)) => items.len() as u64,
                    _ => 0,
                };
                Some(Tally { expected: all, got })
            }
            // `make()` runs once; the count starts at 1.
            Scenario::CheckThenAct => {
                let made = match sh.heap.get(1) {
                    Some(Object::Count(n)) => u64::try_from(n - 1).unwrap_or(0),
                    _ => 0,
                };
                Some(Tally { expected: 1, got: made })
            }
            Scenario::OppositeOrders | Scenario::OppositeOrdersCall | Scenario::OneOrder => None,
        }
    }

    /// Whether it runs for real on threads (`real`): not the lock orders,
    /// which may deadlock (the lab's deadlock demo runs those).
    pub fn runs_for_real(self) -> bool {
        !matches!(self, Scenario::OppositeOrders | Scenario::OppositeOrdersCall | Scenario::OneOrder)
    }
}

/// Counted against expected: increments, items, or calls of `make()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub expected: u64,
    pub got: u64,
}

const INCREMENT_SOURCE: &str = r#"counter = 0


def worker(n):
    global counter
    for _ in range(n):
        counter += 1
"#;

const INCREMENT_LISTING: &str = r#"  4           0 RESUME                   0

  6           2 LOAD_GLOBAL              1 (NULL + range)
             14 LOAD_FAST                0 (n)
             16 PRECALL                  1
             20 CALL                     1
             30 GET_ITER
        >>   32 FOR_ITER                12 (to 58)
             34 STORE_FAST               1 (_)

  7          36 LOAD_GLOBAL              2 (counter)
             48 LOAD_CONST               1 (1)
             50 BINARY_OP               13 (+=)
             54 STORE_GLOBAL             1 (counter)
             56 JUMP_BACKWARD           13 (to 32)

  6     >>   58 LOAD_CONST               0 (None)
             60 RETURN_VALUE"#;

const INCREMENT_CALL_SOURCE: &str = r#"counter = 0


def worker(n):
    global counter
    for _ in range(n):
        counter = counter + int(1)
"#;

const INCREMENT_CALL_LISTING: &str = r#"  4           0 RESUME                   0

  6           2 LOAD_GLOBAL              1 (NULL + range)
             14 LOAD_FAST                0 (n)
             16 PRECALL                  1
             20 CALL                     1
             30 GET_ITER
        >>   32 FOR_ITER                25 (to 84)
             34 STORE_FAST               1 (_)

  7          36 LOAD_GLOBAL              2 (counter)
             48 LOAD_GLOBAL              5 (NULL + int)
             60 LOAD_CONST               1 (1)
             62 PRECALL                  1
             66 CALL                     1
             76 BINARY_OP                0 (+)
             80 STORE_GLOBAL             1 (counter)
             82 JUMP_BACKWARD           26 (to 32)

  6     >>   84 LOAD_CONST               0 (None)
             86 RETURN_VALUE"#;

/// The key every thread of the cache scenario looks up.
const CACHE_KEY: &str = "config";

const CACHE_SOURCE: &str = r#"import itertools

cache = {}
make = itertools.count(1).__next__


def worker(key):
    if key not in cache:
        cache[key] = make()
"#;

const CACHE_LISTING: &str = r#"  7           0 RESUME                   0

  8           2 LOAD_FAST                0 (key)
              4 LOAD_GLOBAL              0 (cache)
             16 CONTAINS_OP              1
             18 POP_JUMP_FORWARD_IF_FALSE    24 (to 68)

  9          20 LOAD_GLOBAL              3 (NULL + make)
             32 PRECALL                  0
             36 CALL                     0
             46 LOAD_GLOBAL              0 (cache)
             58 LOAD_FAST                0 (key)
             60 STORE_SUBSCR
             64 LOAD_CONST               0 (None)
             66 RETURN_VALUE

  8     >>   68 LOAD_CONST               0 (None)
             70 RETURN_VALUE"#;

const APPEND_SOURCE: &str = r#"items = []


def worker(n):
    for i in range(n):
        items.append(i)
"#;

const APPEND_LISTING: &str = r#"  4           0 RESUME                   0

  5           2 LOAD_GLOBAL              1 (NULL + range)
             14 LOAD_FAST                0 (n)
             16 PRECALL                  1
             20 CALL                     1
             30 GET_ITER
        >>   32 FOR_ITER                28 (to 90)
             34 STORE_FAST               1 (i)

  6          36 LOAD_GLOBAL              2 (items)
             48 LOAD_METHOD              2 (append)
             70 LOAD_FAST                1 (i)
             72 PRECALL                  1
             76 CALL                     1
             86 POP_TOP
             88 JUMP_BACKWARD           29 (to 32)

  5     >>   90 LOAD_CONST               0 (None)
             92 RETURN_VALUE"#;

const WITH_LOCK_SOURCE: &str = r#"import threading

counter = 0
lock = threading.Lock()


def worker(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1
"#;

const WITH_LOCK_LISTING: &str = r#"  7           0 RESUME                   0

  9           2 LOAD_GLOBAL              1 (NULL + range)
             14 LOAD_FAST                0 (n)
             16 PRECALL                  1
             20 CALL                     1
             30 GET_ITER
        >>   32 FOR_ITER                43 (to 120)
             34 STORE_FAST               1 (_)

 10          36 LOAD_GLOBAL              2 (lock)
             48 BEFORE_WITH
             50 POP_TOP

 11          52 LOAD_GLOBAL              4 (counter)
             64 LOAD_CONST               1 (1)
             66 BINARY_OP               13 (+=)
             70 STORE_GLOBAL             2 (counter)

 10          72 LOAD_CONST               0 (None)
             74 LOAD_CONST               0 (None)
             76 LOAD_CONST               0 (None)
             78 PRECALL                  2
             82 CALL                     2
             92 POP_TOP
             94 JUMP_FORWARD            11 (to 118)
        >>   96 PUSH_EXC_INFO
             98 WITH_EXCEPT_START
            100 POP_JUMP_FORWARD_IF_TRUE     4 (to 110)
            102 RERAISE                  2
        >>  104 COPY                     3
            106 POP_EXCEPT
            108 RERAISE                  1
        >>  110 POP_TOP
            112 POP_EXCEPT
            114 POP_TOP
            116 POP_TOP
        >>  118 JUMP_BACKWARD           44 (to 32)

  9     >>  120 LOAD_CONST               0 (None)
            122 RETURN_VALUE
ExceptionTable:
  50 to 70 -> 96 [2] lasti
  96 to 102 -> 104 [4] lasti
  110 to 110 -> 104 [4] lasti"#;

const LOCK_ORDER_SOURCE: &str = r#"def worker(first, second):
    with first:
        with second:
            pass
"#;

const LOCK_ORDER_LISTING: &str = r#"  1           0 RESUME                   0

  2           2 LOAD_FAST                0 (first)
              4 BEFORE_WITH
              6 POP_TOP

  3           8 LOAD_FAST                1 (second)
             10 BEFORE_WITH
             12 POP_TOP

  4          14 NOP

  3          16 LOAD_CONST               0 (None)
             18 LOAD_CONST               0 (None)
             20 LOAD_CONST               0 (None)
             22 PRECALL                  2
             26 CALL                     2
             36 POP_TOP
             38 JUMP_FORWARD            11 (to 62)
        >>   40 PUSH_EXC_INFO
             42 WITH_EXCEPT_START
             44 POP_JUMP_FORWARD_IF_TRUE     4 (to 54)
             46 RERAISE                  2
        >>   48 COPY                     3
             50 POP_EXCEPT
             52 RERAISE                  1
        >>   54 POP_TOP
             56 POP_EXCEPT
             58 POP_TOP
             60 POP_TOP

  2     >>   62 LOAD_CONST               0 (None)
             64 LOAD_CONST               0 (None)
             66 LOAD_CONST               0 (None)
             68 PRECALL                  2
             72 CALL                     2
             82 POP_TOP
             84 LOAD_CONST               0 (None)
             86 RETURN_VALUE
        >>   88 PUSH_EXC_INFO
             90 WITH_EXCEPT_START
             92 POP_JUMP_FORWARD_IF_TRUE     4 (to 102)
             94 RERAISE                  2
        >>   96 COPY                     3
             98 POP_EXCEPT
            100 RERAISE                  1
        >>  102 POP_TOP
            104 POP_EXCEPT
            106 POP_TOP
            108 POP_TOP
            110 LOAD_CONST               0 (None)
            112 RETURN_VALUE
ExceptionTable:
  6 to 10 -> 88 [1] lasti
  12 to 12 -> 40 [2] lasti
  16 to 38 -> 88 [1] lasti
  40 to 46 -> 48 [4] lasti
  48 to 52 -> 88 [1] lasti
  54 to 54 -> 48 [4] lasti
  56 to 60 -> 88 [1] lasti
  88 to 94 -> 96 [3] lasti
  102 to 102 -> 96 [3] lasti"#;

const LOCK_ORDER_CALL_SOURCE: &str = r#"def worker(first, second):
    with first:
        int(0)
        with second:
            pass
"#;

const LOCK_ORDER_CALL_LISTING: &str = r#"  1           0 RESUME                   0

  2           2 LOAD_FAST                0 (first)
              4 BEFORE_WITH
              6 POP_TOP

  3           8 LOAD_GLOBAL              1 (NULL + int)
             20 LOAD_CONST               1 (0)
             22 PRECALL                  1
             26 CALL                     1
             36 POP_TOP

  4          38 LOAD_FAST                1 (second)
             40 BEFORE_WITH
             42 POP_TOP

  5          44 NOP

  4          46 LOAD_CONST               0 (None)
             48 LOAD_CONST               0 (None)
             50 LOAD_CONST               0 (None)
             52 PRECALL                  2
             56 CALL                     2
             66 POP_TOP
             68 JUMP_FORWARD            11 (to 92)
        >>   70 PUSH_EXC_INFO
             72 WITH_EXCEPT_START
             74 POP_JUMP_FORWARD_IF_TRUE     4 (to 84)
             76 RERAISE                  2
        >>   78 COPY                     3
             80 POP_EXCEPT
             82 RERAISE                  1
        >>   84 POP_TOP
             86 POP_EXCEPT
             88 POP_TOP
             90 POP_TOP

  2     >>   92 LOAD_CONST               0 (None)
             94 LOAD_CONST               0 (None)
             96 LOAD_CONST               0 (None)
             98 PRECALL                  2
            102 CALL                     2
            112 POP_TOP
            114 LOAD_CONST               0 (None)
            116 RETURN_VALUE
        >>  118 PUSH_EXC_INFO
            120 WITH_EXCEPT_START
            122 POP_JUMP_FORWARD_IF_TRUE     4 (to 132)
            124 RERAISE                  2
        >>  126 COPY                     3
            128 POP_EXCEPT
            130 RERAISE                  1
        >>  132 POP_TOP
            134 POP_EXCEPT
            136 POP_TOP
            138 POP_TOP
            140 LOAD_CONST               0 (None)
            142 RETURN_VALUE
ExceptionTable:
  6 to 40 -> 118 [1] lasti
  42 to 42 -> 70 [2] lasti
  46 to 68 -> 118 [1] lasti
  70 to 76 -> 78 [4] lasti
  78 to 82 -> 118 [1] lasti
  84 to 84 -> 78 [4] lasti
  86 to 90 -> 118 [1] lasti
  118 to 124 -> 126 [3] lasti
  132 to 132 -> 126 [3] lasti"#;
