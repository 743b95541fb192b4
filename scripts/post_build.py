#!/usr/bin/env python3
"""trunk post-build hook, in order (one hook, so the steps cannot race):

1. release builds only: wasm-opt on all three wasm files (-Oz for the page,
   -O3 for the two workers, whose kernels are what is timed), with npm's
   binaryen (scripts/release-tools, installed by scripts/setup.sh). trunk's
   own wasm-opt stays off (data-wasm-opt="0"): it would download a binaryen
   release, and it does not pass the feature flags a threaded build needs
   (trunk-rs/trunk#866). Then the page's wasm is split in two: what the
   tour needs, and the lab's code, loaded later (scripts/lab_split.py).
2. wasm-bindgen-rayon's worker helper is patched (RAYON_HELPER_PATCHES):
   each pool thread's stack size.
3. release builds only: terser (same place) minifies every JS file:
   wasm-bindgen writes its glue to be read, once per wasm file.
   wasm + JS gzip sizes before step 1 and after this step are printed.
4. the Subresource Integrity hashes trunk wrote into index.html are
   recomputed, since the wasm files (and that helper) changed after trunk
   hashed them. URLs are read under the build's public URL, so a sub-path
   build (GitHub Pages: `--public-url /<repository>/`) gets fresh hashes
   too, and a hashed URL with no file behind it fails the build.
5. the build id (scripts/build_id.py) is stamped into sw.js, so each build
   gets its own offline cache, with the list of every file of the build,
   which the service worker fetches ahead.
6. scripts/csp.py writes the Content-Security-Policy."""
import base64
import gzip
import hashlib
import os
import re
import subprocess
import sys

import lab_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
TOOLS = os.path.join(ROOT, "scripts", "release-tools", "node_modules")
WASM_OPT = os.path.join(TOOLS, "binaryen", "bin", "wasm-opt")
TERSER = os.path.join(TOOLS, "terser", "bin", "terser")
# -Oz plus every feature the nightly emits; the thread host also needs
# threads and bulk memory (trunk-rs/trunk#866).
FEATURES = ["--enable-threads", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
         "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"]


def say(msg):
    print(f"post_build: {msg}", file=sys.stderr)


def bundle_gzip():
    """wasm + JS gzip bytes, as tests/e2e/bench.mjs counts them (top level only)."""
    total = 0
    for f in os.listdir(staging):
        if f.endswith((".wasm", ".js")):
            with open(os.path.join(staging, f), "rb") as fh:
                total += len(gzip.compress(fh.read(), 9))
    return total


def minify(path):
    """terser on one JS file. ES modules (wasm-bindgen's glue, the rayon
    helper) may have their top-level names mangled; classic scripts (the
    service worker, its registration, the loader shims) keep theirs, which
    are globals."""
    text = open(path, encoding="utf-8").read()
    module = re.search(r"^\s*(?:import|export)\b", text, re.M) is not None
    args = ["--compress", "--mangle", "--comments", "false"] + (["--module"] if module else [])
    subprocess.run(["node", TERSER, path, *args, "-o", path], check=True)


def optimize():
    for f in sorted(os.listdir(staging)):
        if f.endswith(".wasm"):
            path = os.path.join(staging, f)
            # The page is UI code: as small as can be. The workers run the
            # kernels every model is timed on: as fast as can be (-Oz made
            # them slower here).
            # The page keeps its function names (-g) for lab_split, whose
            # output has none.
            level = ["-Oz", "-g"] if f.startswith("app") else ["-O3"]
            subprocess.run(["node", WASM_OPT, *level, *FEATURES, path, "-o", path], check=True)


def split_page():
    """The page's wasm in two (scripts/lab_split.py)."""
    wasm = [f for f in os.listdir(staging) if f.startswith("app-") and f.endswith("_bg.wasm")]
    glue = [f for f in os.listdir(staging) if f.startswith("app-") and f.endswith(".js")]
    if len(wasm) != 1 or len(glue) != 1:
        sys.exit(f"scripts/post_build.py: expected one page wasm and glue, found {wasm} {glue}")
    lab_split.split(staging, wasm[0], glue[0], public_url(), WASM_OPT)


def minify_all():
    for root, _, files in os.walk(staging):
        for f in sorted(files):
            if f.endswith(".js"):
                minify(os.path.join(root, f))


def public_url():
    """The build's `--public-url` (trunk hands it to hooks), always with a
    trailing slash: `/` for a build served at the root, `/<repository>/`
    for the GitHub Pages build."""
    url = os.environ.get("TRUNK_PUBLIC_URL") or "/"
    return url if url.endswith("/") else url + "/"


def local_file(url, base):
    """The file in the staging folder behind a URL of index.html, or None
    for a URL outside the site. The URLs trunk writes carry the public URL
    (`/concurrency-lab/app-….js`); stripping only the leading `/` would look
    for `concurrency-lab/app-….js`, find nothing and leave a stale hash,
    and the browser would then block the script: a blank page on GitHub
    Pages."""
    path = url.split("#")[0].split("?")[0]
    if "://" in path or path.startswith("//"):
        return None
    if path.startswith(base):
        path = path[len(base):]
    elif path.startswith("/"):
        return None
    return os.path.join(staging, path)


def fix_integrity():
    path = os.path.join(staging, "index.html")
    html = open(path, encoding="utf-8").read()
    base = public_url()
    missing = []

    def tag(m):
        t = m.group(0)
        url = re.search(r'\b(?:href|src)="([^"]+)"', t)
        if not url or "integrity=" not in t:
            return t
        file = local_file(url.group(1), base)
        if not file or not os.path.isfile(file):
            missing.append(url.group(1))
            return t
        with open(file, "rb") as fh:
            digest = base64.b64encode(hashlib.sha384(fh.read()).digest()).decode()
        return re.sub(r'integrity="[^"]*"', f'integrity="sha384-{digest}"', t)

    html = re.sub(r"<(?:link|script)\b[^>]*>", tag, html)
    # A hash that cannot be recomputed is a page the browser will refuse to
    # run: fail the build instead of shipping it.
    if missing:
        sys.exit(f"scripts/post_build.py: no file for the hashed URL(s) {missing} (public URL {base})")
    open(path, "w", encoding="utf-8").write(html)


def build_files():
    """Every file of the build but the service worker itself, as paths
    relative to the site's root (its public URL), sorted."""
    files = []
    for root, _, names in os.walk(staging):
        for f in names:
            rel = os.path.relpath(os.path.join(root, f), staging).replace(os.sep, "/")
            if rel != "sw.js":
                files.append(rel)
    return sorted(files)


def stamp_service_worker():
    """sw.js gets the build id (its cache's name) and the list of files it
    fetches ahead (every file of the build)."""
    with open(os.path.join(ROOT, ".build-id")) as fh:
        build = fh.read().strip()
    path = os.path.join(staging, "sw.js")
    text = open(path, encoding="utf-8").read()
    for placeholder in ("BUILD_ID_PLACEHOLDER", "PRECACHE_FILES_PLACEHOLDER"):
        if placeholder not in text:
            sys.exit(f"scripts/post_build.py: no {placeholder} in sw.js")
    files = build_files()
    if any("," in f or "'" in f or '"' in f for f in files):
        sys.exit(f"scripts/post_build.py: a file name sw.js cannot list: {files}")
    text = text.replace("BUILD_ID_PLACEHOLDER", build).replace("PRECACHE_FILES_PLACEHOLDER", ",".join(files))
    open(path, "w", encoding="utf-8").write(text)


# A pool thread's stack, in bytes. wasm-bindgen's default is 2 MiB
# (DEFAULT_THREAD_STACK_SIZE in wasm-bindgen-cli-support's threads
# transform), carved out of the one shared memory for every thread; our
# kernels are flat loops, and 256 KiB leaves them ample room. The shared
# memory then grows by about a quarter MiB a thread instead of 2 MiB, which
# is what "a thread costs less than a process" should measure.
THREAD_STACK_SIZE = 256 * 1024


# wasm-bindgen-rayon's no-bundler helper, patched: (what it says, what it
# must say instead, why).
RAYON_HELPER_PATCHES = [
    # It starts each pool thread with `pkg.default(data.module, data.memory)`:
    # the deprecated positional call, which cannot pass `thread_stack_size`
    # (wasm-bindgen >= 0.2.93 reads it from the object form).
    ("await pkg.default(data.module, data.memory);",
     "await pkg.default({ module_or_path: data.module, memory: data.memory, "
     f"thread_stack_size: {THREAD_STACK_SIZE} }});"),
]


def patch_rayon_helper():
    """Applies RAYON_HELPER_PATCHES to wasm-bindgen-rayon's worker helper;
    fails the build if the helper no longer reads as expected."""
    found = False
    for root, _, files in os.walk(os.path.join(staging, "snippets")):
        for f in files:
            if f.startswith("workerHelpers") and f.endswith(".js"):
                path = os.path.join(root, f)
                text = open(path, encoding="utf-8").read()
                for old, new in RAYON_HELPER_PATCHES:
                    if old in text:
                        text = text.replace(old, new)
                    elif new not in text:
                        sys.exit(f"scripts/post_build.py: wasm-bindgen-rayon's worker helper changed; check {old[:40]!r}")
                open(path, "w", encoding="utf-8").write(text)
                found = True
    if not found:
        sys.exit("scripts/post_build.py: no wasm-bindgen-rayon worker helper in the build")


release = os.environ.get("TRUNK_PROFILE") == "release"
if release:
    for tool in (WASM_OPT, TERSER):
        if not os.path.exists(tool):
            sys.exit(f"scripts/post_build.py: {tool} is missing; run scripts/setup.sh")
    before = bundle_gzip()
    optimize()
    split_page()
# Before the integrity hashes: the helper is one of the files trunk hashed.
# Before terser too, which rewrites the code this step looks for.
patch_rayon_helper()
if release:
    minify_all()
    say(f"wasm-opt, terser: wasm + JS {before / 1024:.0f} KB → {bundle_gzip() / 1024:.0f} KB gzip")
fix_integrity()
stamp_service_worker()
subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "csp.py"), staging], check=True)
