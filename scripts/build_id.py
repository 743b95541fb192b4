#!/usr/bin/env python3
"""trunk pre-build hook: writes the build id that the page and its workers share.

Worker files keep their names from build to build (trunk does not hash
worker outputs), so a page of one build could load a worker of another
(an old tab after a deploy, or a stale offline copy). The id lets each
side check the other. It is a hash of every input of the build, so an
unchanged tree keeps its id and cargo does not rebuild. The engine's
build script (crates/engine/build.rs) reads the file
(`cargo:rerun-if-changed`), so all three binaries of one trunk build embed
the same value; `scripts/post_build.py` stamps it into sw.js.

The file is only rewritten when the id changes, so its mtime (which cargo
watches) stays put otherwise."""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUTS = ["src", "crates", "www", "build.rs", "Cargo.toml", "Cargo.lock", "index.html", "Trunk.toml",
          "rust-toolchain.toml", ".cargo", "scripts/post_build.py", "scripts/csp.py", "scripts/lab_split.py",
          "scripts/lab_split.js"]


def files(path):
    if os.path.isdir(path):
        for base, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                yield os.path.join(base, name)
    elif os.path.isfile(path):
        yield path


def build_id():
    h = hashlib.sha256()
    for item in INPUTS:
        for f in files(os.path.join(ROOT, item)):
            h.update(os.path.relpath(f, ROOT).encode() + b"\0")
            with open(f, "rb") as fh:
                h.update(fh.read())
            h.update(b"\0")
    # The profile is part of the build: a debug page must not take release workers.
    h.update(os.environ.get("TRUNK_PROFILE", "").encode())
    # So is the public URL: a build for a sub-path is not the build for `/`.
    h.update(b"\0" + os.environ.get("TRUNK_PUBLIC_URL", "/").encode())
    return h.hexdigest()[:16]


if __name__ == "__main__":
    path = os.path.join(ROOT, ".build-id")
    new = build_id()
    old = open(path).read().strip() if os.path.exists(path) else None
    if new != old:
        with open(path, "w") as fh:
            fh.write(new + "\n")
    print(f"build id {new}", file=sys.stderr)
