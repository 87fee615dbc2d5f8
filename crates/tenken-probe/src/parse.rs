//! Text helpers shared by probe parsers: BOM and CLIXML noise, PowerShell JSON quirks
//! (one-element arrays, nulls, `/Date(ms)/`), `key: value` and `key=value` listings.
//!
//! Every function here is pure and total: arbitrary input gives a value or `None`, never a panic.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

/// Removes a leading UTF-8 BOM (U+FEFF) and surrounding whitespace.
pub fn strip_bom(s: &str) -> &str {
    s.trim_start_matches('\u{feff}').trim()
}

/// Removes PowerShell `#< CLIXML` progress/error records that `powershell.exe` may print
/// around the real output when stdout/stderr are redirected.
pub fn strip_clixml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_objs = false;
    for line in s.lines() {
        let t = line.trim_start_matches('\u{feff}').trim();
        if t.starts_with("#< CLIXML") {
            continue;
        }
        if t.starts_with("<Objs ") {
            in_objs = !t.ends_with("</Objs>");
            continue;
        }
        if in_objs {
            if t.ends_with("</Objs>") {
                in_objs = false;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Parses PowerShell `ConvertTo-Json` output into a list of objects: a single object becomes a
/// one-element list, `null`/empty output an empty list, an array stays an array. BOM and CLIXML
/// noise are removed first. Returns `None` when the text is not JSON.
pub fn ps_json_list(s: &str) -> Option<Vec<Value>> {
    let cleaned = strip_clixml(s);
    let t = strip_bom(&cleaned);
    if t.is_empty() {
        return Some(Vec::new());
    }
    match serde_json::from_str::<Value>(t).ok()? {
        Value::Null => Some(Vec::new()),
        Value::Array(items) => Some(items.into_iter().filter(|v| !v.is_null()).collect()),
        other => Some(vec![other]),
    }
}

/// Parses one PowerShell JSON value (object expected) after removing BOM / CLIXML noise.
pub fn ps_json(s: &str) -> Option<Value> {
    let cleaned = strip_clixml(s);
    serde_json::from_str(strip_bom(&cleaned)).ok()
}

/// Reads a value that PowerShell may give as a scalar or as a one-element array, as a list.
pub fn as_list(v: Option<&Value>) -> Vec<Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().filter(|x| !x.is_null()).cloned().collect(),
        Some(other) => vec![other.clone()],
    }
}

/// Parses a PowerShell date: `/Date(1700000000000)/`, `\/Date(1700000000000+0900)\/`, an ISO 8601
/// string, or an object with a `DateTime`/`value` field (PowerShell 5.1 `Get-Date` shapes).
pub fn ps_date(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::String(s) => parse_date_str(s),
        Value::Object(map) => map
            .get("value")
            .or_else(|| map.get("DateTime"))
            .and_then(ps_date),
        Value::Number(n) => n
            .as_i64()
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
        _ => None,
    }
}

fn parse_date_str(s: &str) -> Option<DateTime<Utc>> {
    let t = s.trim().trim_matches(|c| c == '\\' || c == '/');
    if let Some(inner) = t.strip_prefix("Date(").and_then(|r| r.strip_suffix(')')) {
        let digits: String = inner
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
            .map(|(_, c)| c)
            .collect();
        let ms: i64 = digits.parse().ok()?;
        return Utc.timestamp_millis_opt(ms).single();
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(dt.with_timezone(&Utc));
    }
    // "2024-05-13T10:20:30" or "2024-05-13 10:20:30" without zone: treated as UTC.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(s.trim(), fmt) {
            return Some(naive.and_utc());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(s.trim(), fmt) {
            return d.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
        }
    }
    None
}

/// Splits `key<sep>value` lines (e.g. `Key : Value`, `KEY=value`) into trimmed pairs; lines
/// without the separator are skipped. Values may contain the separator.
pub fn key_values(s: &str, sep: char) -> Vec<(String, String)> {
    strip_bom(s)
        .lines()
        .filter_map(|line| {
            let (k, v) = line.split_once(sep)?;
            let k = k.trim();
            if k.is_empty() {
                return None;
            }
            Some((k.to_string(), v.trim().trim_matches('"').to_string()))
        })
        .collect()
}

/// Looks up a key (case-insensitive) in `key_values` output.
pub fn kv_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_element_and_null_and_array() {
        assert_eq!(ps_json_list("{\"a\":1}").map(|v| v.len()), Some(1));
        assert_eq!(
            ps_json_list("\u{feff}[{\"a\":1},{\"a\":2}]").map(|v| v.len()),
            Some(2)
        );
        assert_eq!(ps_json_list("null").map(|v| v.len()), Some(0));
        assert_eq!(ps_json_list("   ").map(|v| v.len()), Some(0));
        assert!(ps_json_list("Get-MpComputerStatus : アクセスが拒否されました").is_none());
    }

    #[test]
    fn clixml_noise_is_removed() {
        let s = "#< CLIXML\n<Objs Version=\"1.1.0.1\" xmlns=\"x\"><Obj S=\"progress\"></Obj></Objs>\n{\"Enabled\":true}\n";
        assert_eq!(
            ps_json(s).and_then(|v| v.get("Enabled").cloned()),
            Some(Value::Bool(true))
        );
    }

    #[test]
    fn dates() {
        let d = ps_date(&Value::String("/Date(1700000000000)/".into()));
        assert_eq!(d.map(|d| d.timestamp()), Some(1_700_000_000));
        let d = ps_date(&Value::String("\\/Date(1700000000000+0900)\\/".into()));
        assert_eq!(d.map(|d| d.timestamp()), Some(1_700_000_000));
        let d = ps_date(&Value::String("2024-05-13T01:02:03Z".into()));
        assert_eq!(d.map(|d| d.timestamp()), Some(1_715_562_123));
        assert!(ps_date(&Value::String("not a date".into())).is_none());
    }

    #[test]
    fn key_value_pairs() {
        let p = key_values("Name : Windows\r\nVersion: 10.0\nnoise\n", ':');
        assert_eq!(kv_get(&p, "version"), Some("10.0"));
        assert_eq!(p.len(), 2);
    }
}
