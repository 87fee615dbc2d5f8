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

/// Records of a PowerShell `Format-List` view (the default view of many cmdlets): blocks of
/// `Name : Value` lines separated by blank lines. A key is one word (no whitespace), so prompt
/// lines (`PS C:\> ...`) and prose are skipped; an indented line that is not `Key : Value`
/// continues the previous value (PowerShell wraps long values at the console width, cutting
/// words, so the pieces are joined without a space). Keys keep their case; values are trimmed.
pub fn ps_format_list(s: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    for line in s.trim_start_matches('\u{feff}').lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                records.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let pair = line.split_once(':').and_then(|(k, v)| {
            let k = k.trim();
            (!k.is_empty() && !k.contains(char::is_whitespace)).then(|| (k, v.trim()))
        });
        match pair {
            Some((k, v)) => cur.push((k.to_string(), v.to_string())),
            None if line.starts_with(char::is_whitespace) => {
                if let Some((_, v)) = cur.last_mut() {
                    v.push_str(line.trim());
                }
            }
            None => {}
        }
    }
    if !cur.is_empty() {
        records.push(cur);
    }
    records
}

/// Rows of a PowerShell `Format-Table` view: the dashes line under the header gives the
/// columns (each from the start of its dashes to the start of the next one); a header may take
/// several lines (e.g. `Mount` over `Point`), whose pieces are joined (`MountPoint`). Rows run
/// from the dashes line to the first blank line; cells are trimmed. Only the first table is read.
/// Empty when there is no dashes line with a header above it.
pub fn ps_format_table(s: &str) -> Vec<Vec<(String, String)>> {
    let lines: Vec<Vec<char>> = s
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.chars().collect())
        .collect();
    let is_dashes =
        |l: &[char]| l.contains(&'-') && l.iter().all(|c| *c == '-' || c.is_whitespace());
    let Some(d) = lines.iter().position(|l| is_dashes(l)) else {
        return Vec::new();
    };
    let dashes = &lines[d];
    let starts: Vec<usize> = (0..dashes.len())
        .filter(|&i| dashes[i] == '-' && (i == 0 || dashes[i - 1] != '-'))
        .collect();
    let cell = |l: &[char], i: usize| -> String {
        let a = starts[i].min(l.len());
        let b = starts.get(i + 1).map_or(l.len(), |e| (*e).min(l.len()));
        l[a..b].iter().collect::<String>().trim().to_string()
    };
    let header_top = lines[..d]
        .iter()
        .rposition(|l| l.iter().all(|c| c.is_whitespace()))
        .map_or(0, |i| i + 1);
    if header_top == d {
        return Vec::new();
    }
    let names: Vec<String> = (0..starts.len())
        .map(|i| {
            lines[header_top..d]
                .iter()
                .map(|l| cell(l, i))
                .collect::<String>()
        })
        .collect();
    lines[d + 1..]
        .iter()
        .take_while(|l| !l.iter().all(|c| c.is_whitespace()))
        .map(|l| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), cell(l, i)))
                .collect()
        })
        .collect()
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

    #[test]
    fn format_list_records_wraps_and_prompts() {
        // The first record is [REAL] lines of a `Get-NetFirewallProfile` record in a blog note
        // (tool library string index id 38563630315): the note's command and comment lines,
        // the blank line, Name, Enabled, DefaultInboundAction, the LogFileName that PowerShell
        // wrapped in the middle of a word, and LogMaxSizeKilobytes (the record's other lines
        // left out). The one-line `Name : Public` record after it is synthesised.
        let text = "Get-NetFirewallProfile\n#admin powershell.exe not better\n\nName                            : Private\nEnabled                         : True\nDefaultInboundAction            : NotConfigured\nLogFileName                     : %systemroot%\\system32\\LogFiles\\Firewall\\pf\n                                  irewall.log\nLogMaxSizeKilobytes             : 4096\n\n\nName : Public\n";
        let r = ps_format_list(text);
        assert_eq!(r.len(), 2);
        assert_eq!(kv_get(&r[0], "Name"), Some("Private"));
        assert_eq!(
            kv_get(&r[0], "LogFileName"),
            Some("%systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log")
        );
        assert_eq!(kv_get(&r[0], "LogMaxSizeKilobytes"), Some("4096"));
        assert_eq!(kv_get(&r[1], "Name"), Some("Public"));
        // Prompt and prose lines are no keys; empty values are kept.
        let r = ps_format_list("\u{feff}PS C:\\> Get-X\r\nA : \r\nMount : C:\r\n");
        assert_eq!(
            r,
            vec![vec![
                ("A".into(), String::new()),
                ("Mount".into(), "C:".into())
            ]]
        );
        assert!(ps_format_list("").is_empty());
    }

    #[test]
    fn format_table_joins_two_line_headers() {
        let text = "\nType  Mount Status  Protection\n      Point         Status\n----  ----- ------  ----------\nOS    C:    Full    On\nData  D:\n\nnot a row\n";
        let rows = ps_format_table(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(kv_get(&rows[0], "MountPoint"), Some("C:"));
        assert_eq!(kv_get(&rows[0], "ProtectionStatus"), Some("On"));
        assert_eq!(kv_get(&rows[1], "Status"), Some(""));
        assert!(ps_format_table("no table\n").is_empty());
        assert!(ps_format_table("---- ----\nx y\n").is_empty());
        assert!(ps_format_table("Ａ列  B\n----  -\n日本語 x\n").len() == 1);
    }
}
