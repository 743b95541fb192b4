"""The page's wasm in two: what draws the tour, and the lab's code (the
lab's views and everything that runs a model), loaded when first needed (a
view that needs it, a claim to check) or when the page is idle.

Why: the first view on a phone waited for every view's code (issue 22: the
tour was usable after 2.6 s on slow 4G, 383 KB gzip before it). wasm-bindgen
cannot split a module, and a second Rust binary would carry its own copy of
yew, std and the runner: the whole site would grow by a third. binaryen's
`wasm-split` splits the one module instead: the lab's functions move to a
secondary module that imports the primary's memory, table and functions;
their slots in the primary's table hold placeholders until the secondary
is instantiated and its element segment overwrites them. The data (the
texts) stays in the primary. The site grows by about 6 KB gzip.

Which functions move is decided by name (rustc's v0 symbols name the
component a generic function is instantiated for), then by reach: see
`VIEWS`, `RUN`, the gates and `staying` below (tested by
scripts/test_lab_split.py). The page never calls into them before the code
is loaded: it renders the lab's views only once `web::lab_code` says the
code is there, and the tour awaits it before it checks a claim or reads an
export (tests/e2e/split.test.mjs checks the tour with the file blocked). A
call that still came early would load the code synchronously (the loader,
scripts/lab_split.js, appended to the glue), so it cannot break the page;
the loader counts such calls, and that test wants none.

The tools: wasm-split from Debian's binaryen (108; npm's binaryen has no
wasm-split). Version 108 predates `table.fill`, which wasm-bindgen emits
for its externref table: the page is built without reference types
(Cargo.toml, `[profile.page]`), and wasm-bindgen keeps JS objects in its
JS-side heap instead."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from typing import NamedTuple

HERE = os.path.dirname(os.path.abspath(__file__))
LOADER = os.path.join(HERE, "lab_split.js")

# Which functions move is decided in two steps. First by name: every
# function whose name mentions one of these (the item itself, or a generic
# instantiated for it): the lab's views…
VIEWS = re.compile(r"concurrency_lab\[\w+\]::ui::(?:lab|demos|interp)::"
                   r"|concurrency_lab\[\w+\]::ui::charts::(?:crossover_chart|scaling_chart|timeline)::")
# …and what runs a model: the runner's busy guard, the pools, the
# experiments, the tour's check…
RUN = re.compile(r"concurrency_lab\[\w+\]::web::(?:runner::BusyGuard\b|(?:pools|experiments|asyncio)::)"
                 r"|concurrency_lab\[\w+\]::ui::tour::check::|engine\[\w+\]::pools::")
# …and none of these: a generic over both is the tour's too; and no drop
# code, which runs on every path out of a gate, early returns included.
TOUR = re.compile(r"concurrency_lab\[\w+\]::ui::(?:tour::(?!check::)|app::)|concurrency_lab\[\w+\]::ui::charts::claim_chart::"
                  r"|^core\[\w+\]::ptr::drop_glue::| as core\[\w+\]::ops::drop::Drop>::drop$")
# The gates: the callers that may call a named function directly, because
# they only do once the lab's code is here. The page's root component draws
# the lab's views only then (`LabCode::ready`); it may call into the views,
# not into the runner (it starts the `Lab` at once).
VIEW_GATES = re.compile(r"concurrency_lab\[\w+\]::ui::app::")
# The tour's `start` awaits the code before it runs a claim
# (`web::lab_code::load`), and its `import` before it reads an export; the
# lab's batches (`start_batch`) are started only from the lab's views.
RUN_GATES = re.compile(r"^concurrency_lab\[\w+\]::ui::(?:tour::view::(?:start|import)|app::start_batch)\b")
# Then by reach: what stays is every function the first half can get to
# without the lab's code (its exports, the table's functions that do not
# move, and what they call, except through a gate); everything else moves
# too (the engine's code that only the lab's views or the runner use).

# What wasm-bindgen's glue says where the loader hooks in (checked: a
# wasm-bindgen that writes it otherwise fails the build).
GLUE_IMPORTS = '"./app_bg.js": import0,'


def say(msg):
    print(f"lab_split: {msg}", file=sys.stderr)


# The wasm-split this reads the output of: it prints function names
# escaped (`\5b` for `[`), comma-separated (a comma in a name is `\2c`).
WASM_SPLIT_VERSION = "wasm-split version 108"


def wasm_split():
    tool = shutil.which("wasm-split")
    if not tool:
        sys.exit("scripts/lab_split.py: wasm-split is missing (Debian's binaryen); run scripts/setup.sh")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    if version != WASM_SPLIT_VERSION:
        sys.exit(f"scripts/lab_split.py: {version!r}; this reads the output of {WASM_SPLIT_VERSION!r}")
    return tool


def binaryen_names(tool, wasm):
    """Every function of `wasm` as wasm-split names it (escaped: `[` is
    `\\5b`…), paired with the plain name the patterns read."""
    out = subprocess.run([tool, "-all", "-v", wasm, "--split-funcs=lab_split:none", "-o1", os.devnull, "-o2", os.devnull],
                         capture_output=True, text=True, check=True)
    line = next((l for l in out.stdout.splitlines() + out.stderr.splitlines() if l.startswith("Keeping functions: ")),
                None)
    if line is None:
        sys.exit("scripts/lab_split.py: wasm-split -v printed no function list")
    names = [n.strip() for n in line.split(": ", 1)[1].split(",") if n.strip()]
    plain = lambda n: re.sub(r"\\([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), n)
    return [(n, plain(n)) for n in names]


class CallGraph(NamedTuple):
    """A module's functions as binaryen's call graph shows them (plain names)."""
    imports: set
    exports: set
    # The functions in the table: what an indirect call can reach.
    indirect: set
    # (caller, callee) of every direct call.
    calls: list


def call_graph(wasm_opt, wasm):
    """binaryen's call graph of `wasm` (`--print-call-graph`, Graphviz)."""
    out = subprocess.run(["node", wasm_opt, "--all-features", wasm, "--print-call-graph", "-o", os.devnull],
                         capture_output=True, text=True, check=True).stdout
    imports = set(re.findall(r'^\s*"(.*)" \[style="filled", fillcolor="turquoise"\];$', out, re.M))
    exports = set(re.findall(r'^\s*"(.*)" \[style="filled", fillcolor="gray"\];$', out, re.M))
    indirect = set(re.findall(r'^\s*"(.*)" \[style="filled, rounded"\];$', out, re.M))
    calls = re.findall(r'^\s*"(.*)" -> "(.*)"; // call$', out, re.M)
    if not imports or not exports or not indirect or not calls:
        sys.exit("scripts/lab_split.py: wasm-opt --print-call-graph printed no imports, exports, table or calls")
    return CallGraph(imports, exports, indirect, calls)


def classify(names):
    """The functions of `names` (plain) named to move: (the views', the
    runner's)."""
    names = [n for n in names if not TOUR.search(n)]
    views = {n for n in names if VIEWS.search(n)}
    return views, {n for n in names if RUN.search(n)} - views


def staying(named, graph):
    """The functions that stay in the first half. `named`: the functions
    named to move (the views', the runner's). What stays is what the first
    half can reach from its exports and from the table's functions that do
    not move, by direct calls, except a gate's calls to the named functions
    it gates. A named function reached otherwise stays too (two identical
    functions merged by LLVM or wasm-opt keep one name: the tour's code can
    carry a lab name), and so does all it calls: nothing that stays can reach a placeholder before
    the lab's code is here, but through a gate (or the table, for the named
    functions that are there: the loader would then fetch the code at once,
    and tests/e2e/split.test.mjs checks it never has to)."""
    callees = {}
    for caller, callee in graph.calls:
        callees.setdefault(caller, []).append(callee)
    every = named[0] | named[1]
    stays, todo = set(), list(graph.exports | (graph.indirect - every))
    while todo:
        f = todo.pop()
        if f in stays:
            continue
        stays.add(f)
        cut = every if RUN_GATES.search(f) else named[0] if VIEW_GATES.search(f) else set()
        todo.extend(g for g in callees.get(f, ()) if g not in cut)
    return stays


def split(staging, wasm_name, glue_name, public_url, wasm_opt):
    """Splits `wasm_name` (optimized, with its name section) in `staging`;
    writes the lab's module next to it, hooks the loader into the glue and
    writes the module's URL (under `public_url`) into index.html. Returns
    the lab module's file name. `wasm_opt`: npm binaryen's, for the call
    graph."""
    tool = wasm_split()
    wasm = os.path.join(staging, wasm_name)
    names = binaryen_names(tool, wasm)
    views, run = classify(plain for _, plain in names)
    graph = call_graph(wasm_opt, wasm)
    stays = staying((views, run), graph)
    # The imports are JS functions: they stay where the glue put them.
    moved = [n for n, plain in names if plain not in stays and plain not in graph.imports]
    kept = (views | run) & stays
    if len(moved) < 100:
        # The names are how the split is decided: a build without them (or
        # with other paths) would silently put everything in the first view.
        sys.exit(f"scripts/lab_split.py: only {len(moved)} of {len(names)} functions are the lab's; are names kept?")
    work = wasm + ".split"
    os.makedirs(work, exist_ok=True)
    listing = os.path.join(work, "lab-functions.txt")
    with open(listing, "w", encoding="utf-8") as fh:
        fh.write("\n".join(moved) + "\n")
    primary, secondary = os.path.join(work, "primary.wasm"), os.path.join(work, "lab.wasm")
    placeholders = os.path.join(work, "primary.wasm.placeholders")
    subprocess.run([tool, "-all", wasm, f"--split-funcs=@{listing}", "-o1", primary, "-o2", secondary,
                    "--import-namespace=primary", "--placeholder-namespace=placeholder", "--placeholdermap"],
                   check=True)
    # "<table index>:<function name>" per line.
    slots = sorted(int(l.split(":", 1)[0]) for l in open(placeholders, encoding="utf-8") if l.strip())
    prim, sec = open(primary, "rb").read(), open(secondary, "rb").read()
    # Named after both halves: a lab module only ever fits the primary it
    # was split from (it imports the primary's functions by export name).
    lab_name = "lab-" + hashlib.sha256(prim + sec).hexdigest()[:16] + "_bg.wasm"
    open(wasm, "wb").write(prim)
    open(os.path.join(staging, lab_name), "wb").write(sec)
    shutil.rmtree(work)

    glue = os.path.join(staging, glue_name)
    text = open(glue, encoding="utf-8").read()
    if text.count(GLUE_IMPORTS) != 1:
        sys.exit(f"scripts/lab_split.py: wasm-bindgen's glue changed; no single {GLUE_IMPORTS!r} in {glue_name}")
    text = text.replace(GLUE_IMPORTS, GLUE_IMPORTS + " placeholder: __labCode.placeholders,")
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(sec).digest()).decode()
    loader = open(LOADER, encoding="utf-8").read()
    for key, value in (("LAB_FILE", lab_name), ("LAB_INTEGRITY", integrity), ("LAB_SLOTS", slots)):
        token = f"'{key}'"
        if token not in loader:
            sys.exit(f"scripts/lab_split.py: no {token} in scripts/lab_split.js")
        loader = loader.replace(token, json.dumps(value, separators=(",", ":")))
    open(glue, "w", encoding="utf-8").write(text + "\n" + loader)
    # index.html's inline www/preload_lab.js fetches it early for a page
    # opened on one of its views; it reads the URL from a meta tag.
    index = os.path.join(staging, "index.html")
    html = open(index, encoding="utf-8").read()
    if html.count('content="LAB_CODE_URL"') != 1:
        sys.exit('scripts/lab_split.py: index.html has no single <meta name="lab-code" content="LAB_CODE_URL">')
    open(index, "w", encoding="utf-8").write(html.replace('content="LAB_CODE_URL"', f'content="{public_url}{lab_name}"'))
    say(f"{len(moved)} of {len(names)} functions ({len(slots)} table slots; {len(kept)} with a lab name kept, "
        f"called by code that stays) → {lab_name}: {len(prim):,} + {len(sec):,} bytes")
    return lab_name
