#!/usr/bin/env python3
"""trunk post-build hook: writes the Content-Security-Policy of index.html.

The policy allows only this origin. trunk injects an inline module script
that loads the app, so its SHA-256 hash is added to script-src (the script
names hashed files, so the hash changes with every build and cannot be
written by hand)."""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()
hashes = []
for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S):
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
    hashes.append(f"'sha256-{digest}'")
policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob: " + " ".join(hashes),
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
])
if "CSP_PLACEHOLDER" not in html:
    sys.exit("scripts/csp.py: no CSP_PLACEHOLDER in index.html")
open(path, "w", encoding="utf-8").write(html.replace("CSP_PLACEHOLDER", policy))
