//! `wifi.security`: security of the Wi-Fi network this PC is connected to.
//!
//! WPA3 / WPA2 (AES-CCMP) = pass; WPA1, TKIP or WPA2/WPA mixed = warn/fail; open or WEP = fail;
//! not on Wi-Fi = not applicable; blocked by location permission = unknown. Windows prefers the
//! WinRT connection profile (no text), with `netsh wlan show interfaces` (CP932 on Japanese
//! Windows, localized labels) as a best-effort fallback that keys only on untranslated tokens.

use std::time::Duration;

use serde_json::{Value, json};

use super::kit::{Outcome, as_str, cmd, file, host_probe, lines, ps, ps_doc, section, text, unk};
use crate::parse::as_list;
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    WifiSecurity,
    "Probe `wifi.security`: security of the connected Wi-Fi."
);

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "wifi.security",
        title: Text::new("無線LAN（Wi-Fi）の暗号化", "Wi-Fi security"),
        reads: vec![
            (
                Os::Windows,
                "WinRT ConnectionProfile NetworkSecuritySettings; netsh wlan show interfaces",
            ),
            (Os::Macos, "system_profiler SPAirPortDataType -json"),
            (
                Os::Linux,
                "nmcli -t -f ACTIVE,SSID,SECURITY device wifi list --rescan no; /proc/net/wireless",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("wifi.security"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![
            ps(
                "ps",
                r"$out.wifi=Try-Probe{$null=[Windows.Networking.Connectivity.NetworkInformation,Windows.Networking.Connectivity,ContentType=WindowsRuntime];,@([Windows.Networking.Connectivity.NetworkInformation]::GetConnectionProfiles()|Where-Object{$_.IsWlanConnectionProfile -and $_.GetNetworkConnectivityLevel() -ne 0}|ForEach-Object{$s=$_.NetworkSecuritySettings;[ordered]@{ProfileName=$_.ProfileName;Auth=[string]$s.NetworkAuthenticationType;Encryption=[string]$s.NetworkEncryptionType}})}",
            ),
            cmd(
                "netsh",
                r"C:\Windows\System32\netsh.exe",
                &["wlan", "show", "interfaces"],
            ),
        ],
        Os::Macos => vec![cmd(
            "airport",
            "system_profiler",
            &["SPAirPortDataType", "-json"],
        )],
        Os::Linux => vec![
            cmd(
                "nmcli",
                "nmcli",
                &[
                    "-t",
                    "-f",
                    "ACTIVE,SSID,SECURITY",
                    "device",
                    "wifi",
                    "list",
                    "--rescan",
                    "no",
                ],
            ),
            file("wireless", "/proc/net/wireless"),
            cmd("netdevs", "ls", &["-1", "/sys/class/net"]),
        ],
    }
}

/// Security class of a Wi-Fi link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WifiClass {
    /// WPA3 or WPA2 with AES.
    Strong,
    /// WPA2/WPA mixed, OWE: usable but should be improved.
    Weak,
    /// Open, WEP, WPA1-only or TKIP.
    Broken,
}

fn class_outcome(c: WifiClass, what: &str, facts: Value) -> Outcome {
    match c {
        WifiClass::Strong => Outcome::pass(
            &format!("接続中のWi-Fiは安全な方式で暗号化されています（{what}）。"),
            &format!("The connected Wi-Fi uses strong security ({what})."),
        ),
        WifiClass::Weak => Outcome::warn(
            &format!("接続中のWi-Fiの暗号化方式が古い方式を含みます（{what}）。"),
            &format!("The connected Wi-Fi allows older security ({what})."),
        )
        .act("無線ルーターをWPA2（AES）またはWPA3のみに設定してください。", "Set the access point to WPA2 (AES) or WPA3 only."),
        WifiClass::Broken => Outcome::fail(
            &format!("接続中のWi-Fiは暗号化が無いか、破られやすい方式です（{what}）。"),
            &format!("The connected Wi-Fi is open or uses broken security ({what})."),
        )
        .act(
            "この無線LANで患者情報を扱わないでください。無線ルーターをWPA2（AES）またはWPA3に変更してください（業者に相談）。",
            "Do not use this Wi-Fi for patient data; switch the access point to WPA2 (AES) or WPA3.",
        ),
    }
    .facts(facts)
}

/// Classifies WinRT `NetworkAuthenticationType` / `NetworkEncryptionType` names.
pub fn classify_winrt(auth: &str, enc: &str) -> Option<WifiClass> {
    let enc_bad = matches!(enc, "Tkip" | "Wep" | "Wep40" | "Wep104" | "None");
    match auth {
        "Wpa3Sae" | "Wpa3Enterprise" | "Wpa3Enterprise192Bits" | "Wpa3" | "Rsna" | "RsnaPsk" => {
            Some(if enc_bad {
                WifiClass::Broken
            } else {
                WifiClass::Strong
            })
        }
        "Owe" => Some(WifiClass::Weak),
        "Wpa" | "WpaPsk" | "WpaNone" | "Open80211" | "SharedKey80211" | "None" => {
            Some(WifiClass::Broken)
        }
        _ => None,
    }
}

/// Classifies free text tokens (netsh values, nmcli SECURITY, macOS mode suffix).
pub fn classify_tokens(s: &str) -> Option<WifiClass> {
    let u = s.to_ascii_uppercase().replace(['_', ' '], "-");
    if u.contains("WEP") || u.contains("TKIP") {
        return Some(WifiClass::Broken);
    }
    let wpa3 = u.contains("WPA3") || u.contains("SAE");
    let wpa2 =
        u.contains("WPA2") || u.contains("CCMP") || u.contains("GCMP") || u.contains("802.1X");
    let wpa1 = u.contains("WPA1")
        || u.contains("WPA-PERSONAL")
        || u.contains("WPA-ENTERPRISE")
        || u == "WPA";
    let mixed = u.contains("MIXED") || u.contains("TRANSITION");
    if (wpa2 || wpa3) && wpa1 {
        return Some(WifiClass::Weak);
    }
    if mixed && wpa2 && !wpa3 {
        return Some(WifiClass::Weak);
    }
    if wpa3 || wpa2 {
        return Some(WifiClass::Strong);
    }
    if wpa1 {
        return Some(WifiClass::Broken);
    }
    if u.contains("OPEN") || u.contains("NONE") || s.contains("オープン") {
        return Some(WifiClass::Broken);
    }
    None
}

fn not_on_wifi() -> Outcome {
    Outcome::na(
        "このPCはWi-Fiに接続していません。",
        "This PC is not connected to Wi-Fi.",
    )
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(caps),
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = ps_doc(caps, "ps");
    let winrt = doc
        .as_ref()
        .ok()
        .map(|d| section(d, "wifi").map(|v| as_list(Some(v))));
    if let Some(Ok(profiles)) = &winrt
        && let Some(p) = profiles.first()
    {
        let auth = as_str(p.get("Auth")).unwrap_or("");
        let enc = as_str(p.get("Encryption")).unwrap_or("");
        let facts = json!({"source": "WinRT", "ssid": as_str(p.get("ProfileName")), "auth": auth, "encryption": enc});
        if let Some(c) = classify_winrt(auth, enc) {
            return class_outcome(c, &format!("{auth}/{enc}"), facts);
        }
    }
    let netsh = text(caps, "netsh");
    if let Ok(t) = netsh {
        if t.contains("location") || t.contains("位置情報") {
            return Outcome::unknown(
                UnknownReason::BlockedByOs,
                "Windowsの位置情報の許可がオフのためWi-Fi情報を読めません",
                "Windows location permission blocks Wi-Fi information",
            )
            .act(
                "設定 > プライバシー > 位置情報 で「デスクトップアプリに位置情報へのアクセスを許可する」をオンにして再確認してください。",
                "Allow desktop apps to access location (Settings > Privacy > Location) and check again.",
            );
        }
        if t.contains("no wireless interface")
            || t.contains("ワイヤレス インターフェイスがありません")
            || t.contains("wlansvc")
        {
            return not_on_wifi().facts(json!({"source": "netsh"}));
        }
        let values: Vec<String> = lines(t)
            .filter_map(|l| {
                l.split_once(':')
                    .or_else(|| l.split_once('：'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .collect();
        let connected = values
            .iter()
            .any(|v| v == "connected" || v.starts_with("接続されました") || v == "接続済み");
        if !connected {
            if values
                .iter()
                .any(|v| v == "disconnected" || v.starts_with("切断"))
            {
                return not_on_wifi().facts(json!({"source": "netsh"}));
            }
        } else {
            let tokens: Vec<&String> = values
                .iter()
                .filter(|v| {
                    let u = v.to_ascii_uppercase();
                    ["WPA", "WEP", "CCMP", "GCMP", "TKIP", "OPEN"]
                        .iter()
                        .any(|k| u.contains(k))
                        || v.contains("オープン")
                })
                .collect();
            let joined = tokens
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(c) = classify_tokens(&joined) {
                return class_outcome(c, &joined, json!({"source": "netsh", "tokens": tokens}));
            }
            return unk(UnknownReason::Unparsable).facts(json!({"source": "netsh"}));
        }
    }
    match winrt {
        Some(Ok(p)) if p.is_empty() => not_on_wifi().facts(json!({"source": "WinRT"})),
        Some(Err(r)) => unk(r),
        _ => unk(netsh
            .err()
            .or(doc.err())
            .unwrap_or(UnknownReason::Unparsable)),
    }
}

fn macos(caps: &[Captured]) -> Outcome {
    let t = match text(caps, "airport") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let Some(v) = crate::parse::ps_json(t) else {
        return unk(UnknownReason::Unparsable);
    };
    let mut saw_iface = false;
    for top in as_list(v.get("SPAirPortDataType")) {
        for iface in as_list(top.get("spairport_airport_interfaces")) {
            saw_iface = true;
            let connected = as_str(iface.get("spairport_status_information"))
                == Some("spairport_status_connected");
            let mode = iface
                .get("spairport_current_network_information")
                .and_then(|n| as_str(n.get("spairport_security_mode")));
            if let (true, Some(mode)) = (connected, mode) {
                let suffix = mode.split("security_mode_").nth(1).unwrap_or(mode);
                let facts =
                    json!({"interface": as_str(iface.get("_name")), "security_mode": suffix});
                let c = if suffix == "none" {
                    Some(WifiClass::Broken)
                } else {
                    classify_tokens(suffix)
                };
                return match c {
                    Some(c) => class_outcome(c, suffix, facts),
                    None => unk(UnknownReason::Unparsable).facts(facts),
                };
            }
        }
    }
    if saw_iface || as_list(v.get("SPAirPortDataType")).is_empty() {
        not_on_wifi()
    } else {
        unk(UnknownReason::Unparsable)
    }
}

/// Splits an `nmcli -t` line on unescaped `:` and unescapes `\:` / `\\`.
pub fn nmcli_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(n);
                }
            }
            ':' => out.push(String::new()),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

fn linux(caps: &[Captured]) -> Outcome {
    let no_radio = text(caps, "wireless")
        .map(|t| lines(t).count() <= 2)
        .unwrap_or(false)
        || super::kit::find(caps, "wireless")
            .is_some_and(|c| c.error.is_none() && lines(&c.stdout).count() <= 2);
    // Wireless NICs are named wl* by udev (wlan0, wlp2s0); none at all = not on Wi-Fi.
    let no_wl_nic = text(caps, "netdevs").is_ok_and(|t| !lines(t).any(|n| n.starts_with("wl")));
    let no_radio = no_radio || no_wl_nic;
    let t = match text(caps, "nmcli") {
        Ok(t) => t,
        Err(r) => {
            if no_radio {
                return not_on_wifi().facts(json!({"wireless_interfaces": 0}));
            }
            return unk(r);
        }
    };
    for l in lines(t) {
        let f = nmcli_fields(l);
        if f.first().map(String::as_str) == Some("yes") {
            let ssid = f.get(1).cloned().unwrap_or_default();
            let sec = f.get(2).cloned().unwrap_or_default();
            let facts = json!({"ssid": ssid, "security": sec});
            let c = if sec.trim().is_empty() || sec.trim() == "--" {
                Some(WifiClass::Broken)
            } else {
                classify_tokens(&sec)
            };
            return match c {
                Some(c) => class_outcome(c, if sec.is_empty() { "open" } else { &sec }, facts),
                None => unk(UnknownReason::Unparsable).facts(facts),
            };
        }
    }
    not_on_wifi()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nmcli_escapes() {
        assert_eq!(
            nmcli_fields(r"yes:AP\:1\\x:WPA2"),
            vec!["yes", r"AP:1\x", "WPA2"]
        );
        assert_eq!(nmcli_fields("no::"), vec!["no", "", ""]);
    }

    #[test]
    fn classes() {
        assert_eq!(classify_tokens("WPA3"), Some(WifiClass::Strong));
        assert_eq!(classify_tokens("WPA1 WPA2"), Some(WifiClass::Weak));
        assert_eq!(
            classify_tokens("wpa2_personal_mixed"),
            Some(WifiClass::Weak)
        );
        assert_eq!(classify_tokens("WEP"), Some(WifiClass::Broken));
        assert_eq!(
            classify_tokens("WPA2 - パーソナル CCMP"),
            Some(WifiClass::Strong)
        );
        assert_eq!(classify_tokens("???"), None);
        assert_eq!(classify_winrt("RsnaPsk", "Tkip"), Some(WifiClass::Broken));
        assert_eq!(classify_winrt("Ihv", "Ccmp"), None);
    }
}
