//! The tour's results as a file, to compare two machines: the machine
//! (cores, browser, isolation), the calibration, and each claim's settings,
//! measurements and verdict. Versioned; reading one back checks everything
//! and says in one typed error what is wrong, so a foreign or broken file
//! changes nothing on the page.

use crate::settings::RawSettings;
use crate::tour::claims::{Calibration, Claim, Conditions, Measured, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use serde_json::value::RawValue;
use std::borrow::Cow;
use thiserror::Error;

/// What the `format` field of every export says.
pub const FORMAT: &str = "concurrency-lab/tour";
/// The version this page writes and reads.
pub const VERSION: u64 = 1;
/// Largest file accepted: a full tour is a few kB.
pub const MAX_BYTES: usize = 1_000_000;
/// Longest user agent kept (a real one is about 150 characters).
const MAX_AGENT: usize = 400;

/// The machine a tour ran on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// The cores the claims were sized from: measured by the page
    /// (`engine::cores`), or the browser's figure where it could not be.
    pub cores: usize,
    /// `navigator.hardwareConcurrency`, when it was recorded (exports made
    /// before the page measured its cores have only `cores`, which was it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_cores: Option<usize>,
    /// `navigator.userAgent`.
    pub user_agent: String,
    /// Whether shared memory worked (isolated, and the engine really has
    /// it: `web::features`): whether threads could run.
    pub isolated: bool,
}

impl Machine {
    /// "Chrome 156", "Firefox 131", "Safari 17.4"…, from the user agent.
    pub fn browser(&self) -> String {
        browser_name(&self.user_agent)
    }
}

/// A short browser name and major version from a user agent string.
/// The order matters: Edge and Opera also say "Chrome", Chrome also says
/// "Safari".
pub fn browser_name(ua: &str) -> String {
    let version = |key: &str| -> Option<String> {
        let rest = &ua[ua.find(key)? + key.len()..];
        let v: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let mut parts = v.split('.');
        let major = parts.next().filter(|m| !m.is_empty())?;
        Some(major.to_owned())
    };
    for (key, name) in [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
    ] {
        if let Some(v) = version(key) {
            return format!("{name} {v}");
        }
    }
    if ua.contains("Safari/") {
        if let Some(v) = version("Version/") {
            return format!("Safari {v}");
        }
    }
    "unknown browser".to_owned()
}

/// One claim's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimResult {
    /// The measurements; their `claim` tag is the claim's id.
    #[serde(flatten)]
    pub measured: Measured,
    pub verdict: Verdict,
    pub hidden: bool,
    /// The lab settings of the claim's main run ("Open in the lab").
    pub settings: RawSettings,
    /// How long the whole experiment took.
    pub duration_ms: f64,
}

impl ClaimResult {
    pub fn claim(&self) -> Claim {
        self.measured.claim()
    }

    /// The result of `measured`, judged by the claim's verdict function.
    pub fn judge(measured: Measured, cores: usize, hidden: bool, settings: RawSettings, duration_ms: f64) -> Self {
        let verdict = measured.judge(Conditions { cores, hidden });
        ClaimResult { measured, verdict, hidden, settings, duration_ms }
    }
}

/// A result's own fields, beside its measurements (see [`Measured::read`]).
#[derive(Deserialize)]
struct ResultFields {
    verdict: Verdict,
    hidden: bool,
    settings: RawSettings,
    duration_ms: f64,
}

/// A whole export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TourExport {
    pub format: String,
    pub version: u64,
    pub machine: Machine,
    pub calibration: Option<Calibration>,
    /// In the tour's order; claims not run are absent.
    pub results: Vec<ClaimResult>,
}

impl TourExport {
    pub fn new(machine: Machine, calibration: Option<Calibration>, results: Vec<ClaimResult>) -> Self {
        let results = in_tour_order(results);
        TourExport { format: FORMAT.to_owned(), version: VERSION, machine, calibration, results }
    }

    pub fn to_json(&self) -> String {
        // Plain data of strings and numbers: serialization cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// `results` in the tour's order.
fn in_tour_order(results: Vec<ClaimResult>) -> Vec<ClaimResult> {
    crate::order::by_key(results, |r| r.claim() as u64)
}

/// Why a file cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The reader picked no file.
    #[error("no file was chosen")]
    NoFile,
    /// The browser refused to read the file; its reason.
    #[error("the browser could not read the file ({why})")]
    Unreadable { why: String },
    #[error("the file is too large ({bytes} bytes; a tour export is a few kB)")]
    TooLarge { bytes: usize },
    #[error("the file is not JSON (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
    #[error("this JSON is not a Concurrency Lab tour export")]
    Foreign,
    #[error("this export has version {found}; this page reads version {VERSION}")]
    Version { found: String },
    #[error("the export is damaged: {detail}")]
    Invalid { detail: String },
    #[error("the export has no claim this page knows")]
    NoClaims,
}

/// A file read back: the export, and how many of its claims this page does
/// not know (from a newer page) and left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub export: TourExport,
    pub skipped: usize,
}

/// The top of an export, each part kept as its text until it is checked.
/// Reading parts straight from the text (`RawValue`) rather than through a
/// `serde_json::Value` tree keeps one JSON reader per type in the page.
#[derive(Deserialize)]
struct Parts<'a> {
    #[serde(borrow)]
    format: Option<&'a RawValue>,
    #[serde(borrow)]
    version: Option<&'a RawValue>,
    #[serde(borrow)]
    machine: Option<&'a RawValue>,
    #[serde(borrow)]
    calibration: Option<&'a RawValue>,
    #[serde(borrow)]
    results: Option<&'a RawValue>,
}

/// A result's claim id, read before the rest of it.
#[derive(Deserialize)]
struct ClaimId<'a> {
    claim: Cow<'a, str>,
}

/// Reads and checks an export.
pub fn parse(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    // Any JSON that is not an object is someone else's file.
    let parts: Parts = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ImportError::NotJson { line: e.line(), column: e.column() },
        Category::Data => ImportError::Foreign,
    })?;
    let format = parts.format.and_then(|f| serde_json::from_str::<Cow<str>>(f.get()).ok());
    if format.as_deref() != Some(FORMAT) {
        return Err(ImportError::Foreign);
    }
    match parts.version.map(RawValue::get) {
        Some(v) if serde_json::from_str::<u64>(v).ok() == Some(VERSION) => {}
        Some(v) => return Err(ImportError::Version { found: v.chars().take(20).collect() }),
        None => return Err(ImportError::Version { found: "none".into() }),
    }
    let invalid = |detail: String| ImportError::Invalid { detail };
    let mut machine: Machine = serde_json::from_str(parts.machine.map_or("null", RawValue::get))
        .map_err(|e| invalid(format!("machine: {e}")))?;
    if !(1..=4096).contains(&machine.cores) {
        return Err(invalid(format!("machine: {} cores", machine.cores)));
    }
    if let Some(n) = machine.reported_cores.filter(|n| !(1..=4096).contains(n)) {
        return Err(invalid(format!("machine: the browser's {n} cores")));
    }
    machine.user_agent = machine.user_agent.chars().take(MAX_AGENT).collect();
    let calibration: Option<Calibration> = serde_json::from_str(parts.calibration.map_or("null", RawValue::get))
        .map_err(|e| invalid(format!("calibration: {e}")))?;
    if calibration.is_some_and(|c| !(c.wall_ms.is_finite() && c.wall_ms >= 0.0)) {
        return Err(invalid("calibration: not a time".into()));
    }
    let entries: Vec<&RawValue> =
        parts.results.and_then(|r| serde_json::from_str(r.get()).ok()).ok_or_else(|| invalid("no results".into()))?;
    let mut results: Vec<ClaimResult> = Vec::new();
    let mut skipped = 0;
    for (i, entry) in entries.iter().map(|e| e.get()).enumerate() {
        let id: ClaimId = serde_json::from_str(entry).map_err(|_| invalid(format!("result {}: no claim", i + 1)))?;
        let Some(claim) = Claim::from_id(&id.claim) else {
            // A claim added by a newer page: compare the others.
            skipped += 1;
            continue;
        };
        let damaged = |e: serde_json::Error| invalid(format!("{}: {e}", claim.id()));
        let fields: ResultFields = serde_json::from_str(entry).map_err(damaged)?;
        let measured = Measured::read(claim, entry).map_err(damaged)?;
        let mut r = ClaimResult {
            measured,
            verdict: fields.verdict,
            hidden: fields.hidden,
            settings: fields.settings,
            duration_ms: fields.duration_ms,
        };
        if !r.measured.is_sane() || !(r.duration_ms.is_finite() && r.duration_ms >= 0.0) {
            return Err(invalid(format!("{}: a measurement is not a time or a count", claim.id())));
        }
        if results.iter().any(|o| o.claim() == claim) {
            return Err(invalid(format!("{} appears twice", claim.id())));
        }
        // The settings are text from elsewhere: keep them as short as a link's.
        r.settings = RawSettings::defaults(machine.cores)
            .with_query(r.settings.to_query().iter().map(|(k, v)| (*k, v.as_str())));
        results.push(r);
    }
    if results.is_empty() {
        return Err(ImportError::NoClaims);
    }
    let results = in_tour_order(results);
    Ok(Imported {
        export: TourExport { format: FORMAT.to_owned(), version: VERSION, machine, calibration, results },
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tour::claims::{RaceLock, Uneven};

    fn sample() -> TourExport {
        let machine = Machine {
            cores: 2,
            reported_cores: Some(4),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36".into(),
            isolated: true,
        };
        let race = Measured::RaceLock(RaceLock { workers: 2, expected: 2_000_000, lost_unlocked: 812, lost_locked: 0 });
        let uneven = Measured::Uneven(Uneven {
            workers: 2,
            queue_ms: 300.0,
            queue_again_ms: 310.0,
            static_ms: 380.0,
            queue_idle: 0.03,
            static_idle: 0.2,
        });
        let raw = RawSettings::defaults(2);
        TourExport::new(
            machine,
            Some(Calibration { size: 1_000_000, wall_ms: 75.0 }),
            vec![
                ClaimResult::judge(uneven, 2, false, raw.clone(), 1200.0),
                ClaimResult::judge(race, 2, false, raw, 80.0),
            ],
        )
    }

    #[test]
    fn round_trip() {
        let e = sample();
        assert_eq!(e.results[0].claim(), Claim::RaceLock, "sorted in tour order");
        assert_eq!(e.results[0].verdict, Verdict::Holds);
        let json = e.to_json();
        assert!(json.contains("\"claim\": \"race-lock\""), "{json}");
        assert!(json.contains("\"verdict\": \"holds\""), "{json}");
        let back = parse(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.export, e);
        assert_eq!(back.skipped, 0);
        assert_eq!(e.machine.browser(), "Headless Chrome 156");
    }

    fn edit(f: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap_or_default();
        f(&mut v);
        v.to_string()
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert!(matches!(parse("{ not json"), Err(ImportError::NotJson { line: 1, .. })));
        assert_eq!(parse(""), Err(ImportError::NotJson { line: 1, column: 0 }));
        assert_eq!(parse("[1, 2, 3]"), Err(ImportError::Foreign));
        // Another app's JSON (this page's own lab export is a list of runs).
        assert_eq!(parse(r#"{"name": "package", "version": "1.0.0"}"#), Err(ImportError::Foreign));
        assert_eq!(parse(r#"{"format": 5, "version": 1}"#), Err(ImportError::Foreign));
        assert_eq!(parse("\u{feff}\"concurrency-lab/tour\""), Err(ImportError::Foreign));
        assert_eq!(parse(&edit(|v| v["version"] = 2.into())), Err(ImportError::Version { found: "2".into() }));
        assert_eq!(parse(&edit(|v| v["version"] = 1.5.into())), Err(ImportError::Version { found: "1.5".into() }));
        let no_version = edit(|v| drop(v.as_object_mut().and_then(|o| o.remove("version"))));
        assert_eq!(parse(&no_version), Err(ImportError::Version { found: "none".into() }));
        assert_eq!(
            parse(&edit(|v| v["results"] = 3.into())),
            Err(ImportError::Invalid { detail: "no results".into() })
        );
        assert_eq!(
            parse(&edit(|v| v["results"][1] = 3.into())),
            Err(ImportError::Invalid { detail: "result 2: no claim".into() })
        );
        let no_machine = edit(|v| drop(v.as_object_mut().and_then(|o| o.remove("machine"))));
        assert!(matches!(parse(&no_machine), Err(ImportError::Invalid { .. })));
        // A syntax error deep inside is still "not JSON", with its place.
        let broken = sample().to_json().replacen("\"hidden\": false", "\"hidden\": fals", 1);
        assert!(matches!(parse(&broken), Err(ImportError::NotJson { line, .. }) if line > 5), "{:?}", parse(&broken));
        assert_eq!(parse(&edit(|v| v["version"] = "1".into())), Err(ImportError::Version { found: "\"1\"".into() }));
        assert!(matches!(parse(&edit(|v| v["machine"]["cores"] = 0.into())), Err(ImportError::Invalid { .. })));
        assert!(matches!(
            parse(&edit(|v| v["machine"]["reported_cores"] = 0.into())),
            Err(ImportError::Invalid { .. })
        ));
        // An export made before the page measured its cores has no
        // `reported_cores`: still read.
        let old = edit(|v| drop(v["machine"].as_object_mut().and_then(|o| o.remove("reported_cores"))));
        assert_eq!(parse(&old).map(|i| i.export.machine.reported_cores), Ok(None));
        assert!(matches!(parse(&edit(|v| v["machine"] = "x".into())), Err(ImportError::Invalid { .. })));
        assert!(matches!(
            parse(&edit(|v| v["results"][0]["lost_unlocked"] = "many".into())),
            Err(ImportError::Invalid { .. })
        ));
        assert!(matches!(
            parse(&edit(|v| v["results"][1]["static_ms"] = (-5.0).into())),
            Err(ImportError::Invalid { .. })
        ));
        let dup = edit(|v| {
            let first = v["results"][0].clone();
            if let Some(a) = v["results"].as_array_mut() {
                a.push(first);
            }
        });
        assert!(matches!(parse(&dup), Err(ImportError::Invalid { .. })));
        assert_eq!(parse(&edit(|v| v["results"] = serde_json::json!([]))), Err(ImportError::NoClaims));
        let huge = " ".repeat(MAX_BYTES + 1);
        assert_eq!(parse(&huge), Err(ImportError::TooLarge { bytes: MAX_BYTES + 1 }));
    }

    #[test]
    fn unknown_claims_are_skipped_and_settings_trimmed() {
        let text = edit(|v| {
            if let Some(a) = v["results"].as_array_mut() {
                a.push(serde_json::json!({ "claim": "memory-per-worker", "whatever": 1 }));
            }
            v["results"][0]["settings"]["size"] = "9".repeat(500).into();
            v["machine"]["user_agent"] = "x".repeat(5000).into();
        });
        let got = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.skipped, 1);
        assert_eq!(got.export.results.len(), 2);
        assert_eq!(got.export.results[0].settings.lab.size.len(), 64);
        assert_eq!(got.export.machine.user_agent.len(), MAX_AGENT);
    }

    #[test]
    fn browser_names() {
        for (ua, name) in [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge 131"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "Safari 17"),
            ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", "Chrome 131"),
            ("curl/8.0", "unknown browser"),
        ] {
            assert_eq!(browser_name(ua), name, "{ua}");
        }
    }
}
