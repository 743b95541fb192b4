//! The page address as state: settings and language live in the query, so
//! a link reopens the same experiment. `nosw` (service worker off) is kept,
//! and so is the fragment (`#claim-…`, a claim's permalink).

use web_sys::UrlSearchParams;

/// Query pairs of the current address.
pub(crate) fn read_query() -> Vec<(String, String)> {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = UrlSearchParams::new_with_str(&search) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in js_sys::try_iter(&params).ok().flatten().into_iter().flatten().flatten() {
        let pair = js_sys::Array::from(&entry);
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((k, v));
        }
    }
    out
}

/// Replaces the query (no new history entry, no reload).
pub(crate) fn write_query(pairs: &[(&str, String)]) {
    let Some(window) = web_sys::window() else { return };
    let Ok(params) = UrlSearchParams::new() else { return };
    let keep_nosw = read_query().iter().any(|(k, _)| k == "nosw");
    for (k, v) in pairs {
        params.append(k, v);
    }
    if keep_nosw {
        params.append("nosw", "");
    }
    let query: String = params.to_string().into();
    let path = window.location().pathname().unwrap_or_default();
    // The fragment (a claim's permalink) stays.
    let hash = read_hash();
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?{query}{hash}")));
    }
}

/// The address's fragment, with its `#` (empty when there is none).
pub(crate) fn read_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Reloads the page (the address keeps its settings): what a page of a
/// build the server no longer has must do to get the new one.
pub(crate) fn reload() {
    if let Some(window) = web_sys::window() {
        // Refused only in a detached document, which no reader sees.
        let _ = window.location().reload();
    }
}
