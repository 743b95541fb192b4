//! Exports `LAB_BUILD_ID`, the id the page and its workers compare
//! (`pools::protocol::build_id`; worker files are not content-hashed, so a
//! page could load a worker of another build). trunk's pre-build hook
//! (scripts/build_id.py) writes it to the workspace's `.build-id` before the
//! three binaries are built, so all three embed the same value; a plain
//! `cargo build` without it gets "dev".
fn main() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.build-id");
    println!("cargo:rerun-if-changed={}", file.display());
    let id = std::fs::read_to_string(&file).map(|s| s.trim().to_owned()).unwrap_or_default();
    let id = if id.is_empty() { "dev".to_owned() } else { id };
    println!("cargo:rustc-env=LAB_BUILD_ID={id}");
}
