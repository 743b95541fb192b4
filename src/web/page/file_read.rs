//! Reading a file the reader picked in an `<input type="file">`, as text.
//!
//! gloo-file (already in the dependency tree through yew) wraps
//! `FileReader` in a future; this adapter only turns the `<input>`'s first
//! file into that future and its errors into the import's.

use engine::tour::export::ImportError;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

/// The first file picked in `input`, with its size in bytes.
pub(crate) fn picked(input: &web_sys::EventTarget) -> Option<(gloo_file::File, u64)> {
    let input = input.dyn_ref::<HtmlInputElement>()?;
    let file = input.files()?.get(0)?;
    let size = file.size() as u64;
    Some((gloo_file::File::from(file), size))
}

/// Clears the `<input>` so picking the same file again fires `change`.
pub(crate) fn reset(input: &web_sys::EventTarget) {
    if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
        input.set_value("");
    }
}

/// The whole file as text (UTF-8).
/// Either failure is the import's (`ImportError`): the file cannot be compared.
pub(crate) async fn read_text(file: Option<gloo_file::File>) -> Result<String, ImportError> {
    let file = file.ok_or(ImportError::NoFile)?;
    gloo_file::futures::read_as_text(&file).await.map_err(|e| ImportError::Unreadable { why: e.to_string() })
}
