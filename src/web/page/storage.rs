//! The page's few remembered choices, in `localStorage`. The browser may
//! refuse storage (private modes, settings): then nothing is remembered and
//! nothing fails.

/// The stored value of `key`, if storage works and has one.
pub(crate) fn get(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Stores `value` under `key`, or does nothing where storage is refused.
pub(crate) fn set(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}
