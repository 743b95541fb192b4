//! The scenarios: a few lines of Python each, the listing CPython 3.11
//! compiles its thread function to (`python3 -m dis`, kept verbatim; a
//! native test regenerates them where a CPython 3.11 is installed and fails
//! on any difference), and the invariant two threads can break.

use super::{Code, ListingError, Machine, Object, Switching, Value};

crate::named_enum! {
    /// A scenario; its id names it in links.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Scenario {
        /// `counter += 1` in a loop: a read, an add and a write, with no
        /// eval-breaker check between them.
        Increment = "increment",
        /// `counter = counter + int(1)`: the same with a call between the
        /// read and the write — and a call checks the eval breaker.
        IncrementCall = "increment-call",
        /// `items.append(i)`: one call into C, whole under the GIL and
        /// with free threads' per-object locks.
        Append = "append",
    }
}

impl Scenario {
    /// The Python module; every thread runs its `worker(n)`.
    pub fn source(self) -> &'static str {
        match self {
            Scenario::Increment => INCREMENT_SOURCE,
            Scenario::IncrementCall => INCREMENT_CALL_SOURCE,
            Scenario::Append => APPEND_SOURCE,
        }
    }

    /// `worker`'s listing, as `python3 -m dis` (CPython 3.11) prints it.
    pub fn listing(self) -> &'static str {
        match self {
            Scenario::Increment => INCREMENT_LISTING,
            Scenario::IncrementCall => INCREMENT_CALL_LISTING,
            Scenario::Append => APPEND_LISTING,
        }
    }

    pub fn code(self) -> Result<Code, ListingError> {
        Code::from_listing(self.listing())
    }

    /// `threads` threads each running `worker(iterations)` from the
    /// module's start (`counter = 0`, `items = []`).
    pub fn machine(self, code: &Code, threads: usize, iterations: i64, switching: Switching) -> Machine {
        let (globals, heap) = match self {
            Scenario::Increment | Scenario::IncrementCall => (vec![("counter".to_owned(), Value::Int(0))], Vec::new()),
            Scenario::Append => (vec![("items".to_owned(), Value::Ref(0))], vec![Object::List(Vec::new())]),
        };
        Machine::new(code, threads, &[Value::Int(iterations)], globals, heap, switching)
    }

    /// Whether a finished run kept the invariant: every increment counted,
    /// every item appended.
    pub fn holds(self, m: &Machine, iterations: i64) -> bool {
        let all = m.threads.len() as i64 * iterations;
        match self {
            Scenario::Increment | Scenario::IncrementCall => m.global("counter") == Some(&Value::Int(all)),
            Scenario::Append => matches!(m.heap.first(), Some(Object::List(items)) if items.len() as i64 == all),
        }
    }
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
