//! `firewall.host`: is the host firewall on, and does it block inbound by default?
//! Windows `Get-NetFirewallProfile` (netsh fallback, locale-independent parsing); macOS
//! `socketfilterfw` (+ `pfctl`, root); Linux ufw / firewalld / nftables / iptables (root).
//!
//! Why this file is over 600 lines: firewall.host on three OSes and their fallbacks (PowerShell, netsh, pf, nft/iptables/ufw/firewalld), each with its parser.

use std::time::Duration;

use serde_json::Value;

use super::{finding, ok, unknown};
use crate::exec::{command, file, powershell};
use crate::parse::{as_list, ps_json};
use crate::{Captured, EvalContext, Os, Probe, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{Finding, UnknownReason, Verdict};

const PS_BODY: &str = "$out.profiles = Try-Probe { ,@(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object { \
[ordered]@{ Name=[string]$_.Name; Enabled=[string]$_.Enabled; DefaultInboundAction=[string]$_.DefaultInboundAction; \
DefaultOutboundAction=[string]$_.DefaultOutboundAction; AllowInboundRules=[string]$_.AllowInboundRules } }) }; \
$out.connected = Try-Probe { ,@(Get-NetConnectionProfile | ForEach-Object { [ordered]@{ InterfaceAlias=$_.InterfaceAlias; \
InterfaceIndex=[int]$_.InterfaceIndex; NetworkCategory=[string]$_.NetworkCategory } }) }; \
$out.thirdParty = Try-Probe { ,@(Get-CimInstance -Namespace root/SecurityCenter2 -ClassName FirewallProduct -OperationTimeoutSec 20 | \
ForEach-Object { [ordered]@{ displayName=$_.displayName; productState=[int64]$_.productState } }) }";

/// One Windows firewall profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WinProfile {
    /// Domain / Private / Public.
    pub name: String,
    /// Enabled (None = not configured: Windows default is on).
    pub enabled: Option<bool>,
    /// Default inbound action: block / allow / not_configured (= block).
    pub inbound: String,
}

fn tri(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64()? {
            1 => Some(true),
            0 => Some(false),
            _ => None,
        },
        Value::String(s) => match s.as_str() {
            "True" | "true" | "1" => Some(true),
            "False" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn action(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(4) => "block",
            Some(2) => "allow",
            _ => "not_configured",
        },
        Some(Value::String(s)) if s.eq_ignore_ascii_case("block") || s == "4" => "block",
        Some(Value::String(s)) if s.eq_ignore_ascii_case("allow") || s == "2" => "allow",
        _ => "not_configured",
    }
    .to_string()
}

/// Parses Windows profiles (string enums or raw integers).
pub fn win_profiles(v: &Value) -> Option<Vec<WinProfile>> {
    let list = match v.get("profiles") {
        Some(p) if p.get("error").is_some() => return None,
        Some(p) => as_list(Some(p)),
        None if v.is_array() => as_list(Some(v)),
        None => return None,
    };
    let profiles: Vec<WinProfile> = list
        .iter()
        .filter_map(|p| {
            Some(WinProfile {
                name: p.get("Name")?.as_str()?.to_string(),
                enabled: tri(p.get("Enabled")),
                inbound: action(p.get("DefaultInboundAction")),
            })
        })
        .collect();
    if profiles.is_empty() {
        None
    } else {
        Some(profiles)
    }
}

/// The `profiles` array of the probe script, built from `Get-NetFirewallProfile` printed as a
/// list (its default view, as an administrator copies it), so that a pasted output is judged
/// like the script's own. Same keys as the script's `[ordered]@{...}`, every value the string
/// PowerShell prints (`True`, `NotConfigured`, ...), as the script's `[string]` casts give; a
/// property missing from the text is `null`. Only records with `Name` and `Enabled` are kept;
/// `None` when there is none (not this cmdlet's output). Which store the text shows (the
/// script reads `-PolicyStore ActiveStore`; without it the cmdlet shows the persistent local
/// store) cannot be told from the text: the case that feeds it says so.
pub fn profiles_from_list(text: &str) -> Option<Value> {
    let profiles: Vec<Value> = crate::parse::ps_format_list(text)
        .iter()
        .filter(|r| {
            crate::parse::kv_get(r, "Name").is_some()
                && crate::parse::kv_get(r, "Enabled").is_some()
        })
        .map(|r| {
            let get = |k: &str| {
                crate::parse::kv_get(r, k).map_or(Value::Null, |v| Value::String(v.to_string()))
            };
            serde_json::json!({
                "Name": get("Name"),
                "Enabled": get("Enabled"),
                "DefaultInboundAction": get("DefaultInboundAction"),
                "DefaultOutboundAction": get("DefaultOutboundAction"),
                "AllowInboundRules": get("AllowInboundRules"),
            })
        })
        .collect();
    (!profiles.is_empty()).then_some(Value::Array(profiles))
}

/// Parses `netsh advfirewall show allprofiles state` (any language, CP932 decoded): the last
/// word of each state line is ON/OFF (English) or オン/オフ (Japanese). Returns one bool per profile.
pub fn netsh_states(text: &str) -> Vec<bool> {
    text.lines()
        .filter_map(|l| match l.split_whitespace().last()? {
            "ON" | "オン" => Some(true),
            "OFF" | "オフ" => Some(false),
            _ => None,
        })
        .collect()
}

/// macOS `socketfilterfw --getglobalstate` state number.
pub fn socketfilterfw_state(text: &str) -> Option<u8> {
    let i = text.find("(State = ")?;
    text[i + 9..]
        .chars()
        .next()?
        .to_digit(10)
        .and_then(|d| u8::try_from(d).ok())
}

/// ufw `status verbose`: (active, default incoming policy).
pub fn ufw_status(text: &str) -> Option<(bool, Option<String>)> {
    let mut active = None;
    let mut incoming = None;
    for l in text.lines() {
        if let Some(r) = l.trim().strip_prefix("Status:") {
            active = Some(r.trim() == "active");
        }
        if let Some(r) = l.trim().strip_prefix("Default:") {
            incoming = r
                .split(',')
                .find(|p| p.contains("(incoming)"))
                .and_then(|p| p.split_whitespace().next())
                .map(str::to_string);
        }
    }
    active.map(|a| (a, incoming))
}

/// nft JSON: is inbound traffic filtered (input-hook chain with drop policy, or a drop/reject rule
/// in an input-hook chain)? None when not nft JSON.
pub fn nft_filters_input(text: &str) -> Option<bool> {
    let v: Value = serde_json::from_str(text.trim()).ok()?;
    let items = v.get("nftables")?.as_array()?;
    let mut input_chains = Vec::new();
    for it in items {
        if let Some(c) = it.get("chain")
            && c.get("hook").and_then(Value::as_str) == Some("input")
        {
            if c.get("policy").and_then(Value::as_str) == Some("drop") {
                return Some(true);
            }
            input_chains.push((
                c.get("table")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                c.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ));
        }
    }
    for it in items {
        if let Some(r) = it.get("rule") {
            let t = r.get("table").and_then(Value::as_str).unwrap_or("");
            let c = r.get("chain").and_then(Value::as_str).unwrap_or("");
            if input_chains.iter().any(|(tt, cc)| tt == t && cc == c) {
                let s = r.get("expr").map(|e| e.to_string()).unwrap_or_default();
                if s.contains("\"drop\"") || s.contains("\"reject\"") {
                    return Some(true);
                }
            }
        }
    }
    Some(false)
}

/// `iptables -L INPUT -n`: filtering when policy DROP/REJECT or a DROP/REJECT rule or a jump to
/// ufw*/firewalld*/nixos-fw* chains (Tailscale's ts-input does not count). None if not iptables.
pub fn iptables_filters_input(text: &str) -> Option<bool> {
    let mut lines = text.lines();
    let first = lines.by_ref().find(|l| l.starts_with("Chain INPUT"))?;
    if first.contains("policy DROP") || first.contains("policy REJECT") {
        return Some(true);
    }
    for l in lines {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let target = if cols
            .first()
            .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()))
        {
            cols.get(1)
        } else {
            cols.first()
        };
        if let Some(t) = target
            && (*t == "DROP"
                || *t == "REJECT"
                || t.starts_with("ufw")
                || t.starts_with("firewalld")
                || t.starts_with("nixos-fw")
                || t.starts_with("INPUT_"))
        {
            return Some(true);
        }
    }
    Some(false)
}

/// `firewall.host`.
pub struct HostFirewall {
    meta: ProbeMeta,
}

impl Default for HostFirewall {
    fn default() -> Self {
        Self::new()
    }
}

impl HostFirewall {
    /// Creates the probe.
    pub fn new() -> Self {
        Self {
            meta: ProbeMeta {
                id: "firewall.host",
                title: Text::new("パソコンのファイアウォール", "Host firewall"),
                reads: vec![
                    (
                        Os::Windows,
                        "Get-NetFirewallProfile -PolicyStore ActiveStore, Get-NetConnectionProfile, SecurityCenter2 FirewallProduct; netsh advfirewall (fallback)",
                    ),
                    (
                        Os::Macos,
                        "socketfilterfw --getglobalstate; pfctl -s info (root)",
                    ),
                    (
                        Os::Linux,
                        "systemctl is-active, /etc/ufw/ufw.conf, ufw status verbose (root), firewall-cmd --state, nft -j list ruleset (root), iptables -L INPUT (root)",
                    ),
                ],
                needs_elevation: false,
                timeout: Duration::from_secs(60),
                checklist_refs: super::registry_refs("firewall.host"),
            },
        }
    }

    fn pass(&self, ja: String, en: String, facts: Value) -> Finding {
        finding(
            &self.meta,
            Verdict::Pass,
            None,
            Text::new(ja, en),
            Text::default(),
            facts,
        )
    }

    fn eval_windows(&self, captured: &[Captured]) -> Finding {
        let ps = ok(captured, "ps_firewall").and_then(|c| ps_json(&c.stdout));
        let profiles = ps.as_ref().and_then(win_profiles);
        let Some(profiles) = profiles else {
            // Fallback: netsh (localized labels; only the ON/OFF words are used).
            let states = ok(captured, "netsh_state")
                .map(|c| netsh_states(&c.stdout))
                .unwrap_or_default();
            let facts = serde_json::json!({ "source": "netsh", "states": states });
            if states.is_empty() {
                let reason = if super::kit::silent_powershell(captured, "ps_firewall")
                    && ok(captured, "netsh_state").is_none_or(|c| c.stdout.trim().is_empty())
                {
                    UnknownReason::CommandMissing
                } else {
                    UnknownReason::Unparsable
                };
                return unknown(&self.meta, reason, facts);
            }
            // `show allprofiles state` prints one State line per profile (Domain, Private,
            // Public). Fewer ON lines (a cut output, or `show currentprofile` fed instead) cannot
            // show that every profile is on.
            if states.iter().all(|s| *s) && states.len() < 3 {
                return unknown(&self.meta, UnknownReason::Unparsable, facts);
            }
            if states.iter().all(|s| *s) {
                return self.pass(
                    "すべてのプロファイルでファイアウォールが有効です".into(),
                    "The firewall is on for every profile".into(),
                    facts,
                );
            }
            if states.iter().all(|s| !*s) && states.len() >= 3 {
                // netsh does not say which profile is in use, but with every one off the PC is
                // unprotected whichever it is.
                return finding(
                    &self.meta,
                    Verdict::Fail,
                    None,
                    Text::new(
                        "すべてのプロファイルでファイアウォールが無効です",
                        "The firewall is off for every profile",
                    ),
                    Text::new(
                        "Windows セキュリティでファイアウォールをすべて有効にしてください",
                        "Turn the firewall on for all profiles in Windows Security",
                    ),
                    facts,
                );
            }
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    "一部のプロファイルでファイアウォールが無効です",
                    "The firewall is off for some profiles",
                ),
                Text::new(
                    "Windows セキュリティでファイアウォールをすべて有効にしてください",
                    "Turn the firewall on for all profiles in Windows Security",
                ),
                facts,
            );
        };
        let ps = ps.unwrap_or(Value::Null);
        let connected: Vec<String> = as_list(ps.get("connected"))
            .iter()
            .filter_map(|c| c.get("NetworkCategory").and_then(Value::as_str))
            .map(|c| {
                if c.starts_with("Domain") {
                    "Domain".to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        let third: Vec<String> = as_list(ps.get("thirdParty"))
            .iter()
            .filter(|p| {
                p.get("productState")
                    .and_then(Value::as_i64)
                    .is_some_and(|s| (s >> 12) & 0xF == 1)
            })
            .filter_map(|p| {
                p.get("displayName")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let active = |p: &WinProfile| {
            connected.is_empty() || connected.iter().any(|c| c.eq_ignore_ascii_case(&p.name))
        };
        let facts = serde_json::json!({ "profiles": profiles, "connected_categories": connected, "third_party_on": third });
        let active_off: Vec<&str> = profiles
            .iter()
            .filter(|p| active(p) && p.enabled == Some(false))
            .map(|p| p.name.as_str())
            .collect();
        let other_off: Vec<&str> = profiles
            .iter()
            .filter(|p| !active(p) && p.enabled == Some(false))
            .map(|p| p.name.as_str())
            .collect();
        let allow_in: Vec<&str> = profiles
            .iter()
            .filter(|p| active(p) && p.inbound == "allow")
            .map(|p| p.name.as_str())
            .collect();
        let fix = Text::new(
            "Windows セキュリティ →「ファイアウォールとネットワーク保護」で有効にしてください",
            "Turn it on in Windows Security → Firewall & network protection",
        );
        if !active_off.is_empty() {
            let n = active_off.join(", ");
            if third.is_empty() {
                return finding(
                    &self.meta,
                    Verdict::Fail,
                    None,
                    Text::new(
                        format!("使用中のネットワーク（{n}）でファイアウォールが無効です"),
                        format!("The firewall is off for the network in use ({n})"),
                    ),
                    fix,
                    facts,
                );
            }
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!(
                        "Windows ファイアウォールは無効（{n}）ですが、他社製ファイアウォール（{}）が有効です",
                        third.join(", ")
                    ),
                    format!(
                        "Windows Firewall is off ({n}) but a third-party firewall is on ({})",
                        third.join(", ")
                    ),
                ),
                Text::new(
                    "他社製ファイアウォールの設定を保守業者に確認してください",
                    "Ask your vendor to confirm the third-party firewall settings",
                ),
                facts,
            );
        }
        if !allow_in.is_empty() || !other_off.is_empty() {
            let n = allow_in
                .iter()
                .chain(other_off.iter())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            return finding(
                &self.meta,
                Verdict::Warn,
                None,
                Text::new(
                    format!("ファイアウォールの設定に改善点があります（{n}）"),
                    format!("Firewall settings should be improved ({n})"),
                ),
                fix,
                facts,
            );
        }
        // Every profile that may be in use must have been seen before the firewall is called
        // on: all three when the connection profile is unknown, else the connected categories.
        // Tenken's script always lists the three; a cut or filtered list (a pasted snippet of
        // the Domain profile only) cannot show that the Public one is on.
        let seen = |n: &str| profiles.iter().any(|p| p.name.eq_ignore_ascii_case(n));
        let unseen_in_use = if connected.is_empty() {
            ["Domain", "Private", "Public"].iter().any(|n| !seen(n))
        } else {
            connected.iter().any(|c| !seen(c))
        };
        if unseen_in_use {
            return unknown(&self.meta, UnknownReason::Unparsable, facts);
        }
        self.pass(
            "ファイアウォールが有効で、外部からの接続は既定でブロックされています".into(),
            "The firewall is on and blocks inbound connections by default".into(),
            facts,
        )
    }

    fn eval_macos(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let state = ok(captured, "socketfilterfw").and_then(|c| socketfilterfw_state(&c.stdout));
        let pf = ok(captured, "pfctl_info").and_then(|c| {
            c.stdout.lines().find_map(|l| {
                l.strip_prefix("Status: ")
                    .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
            })
        });
        let facts = serde_json::json!({ "socketfilterfw_state": state, "pf_status": pf, "elevated": ctx.elevated });
        match state {
            Some(1 | 2) => self.pass(
                "macOS のファイアウォールが有効です".into(),
                "The macOS application firewall is on".into(),
                facts,
            ),
            Some(0) => finding(
                &self.meta,
                Verdict::Fail,
                None,
                Text::new(
                    "macOS のファイアウォールが無効です",
                    "The macOS firewall is off",
                ),
                Text::new(
                    "システム設定 →「ネットワーク」→「ファイアウォール」で有効にしてください",
                    "Turn it on in System Settings → Network → Firewall",
                ),
                facts,
            ),
            _ => {
                let reason = if ok(captured, "socketfilterfw").is_none() {
                    UnknownReason::CommandMissing
                } else {
                    UnknownReason::Unparsable
                };
                unknown(&self.meta, reason, facts)
            }
        }
    }

    fn eval_linux(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        let units: Vec<String> = ok(captured, "systemctl_active")
            .map(|c| c.stdout.lines().map(|l| l.trim().to_string()).collect())
            .unwrap_or_default();
        let unit = |i: usize| units.get(i).map(String::as_str) == Some("active");
        let (ufw_unit, firewalld_unit, nft_unit) = (unit(0), unit(1), unit(2));
        let ufw_conf = ok(captured, "ufw_conf").map(|c| {
            crate::parse::key_values(&c.stdout, '=')
                .iter()
                .any(|(k, v)| k == "ENABLED" && v.eq_ignore_ascii_case("yes"))
        });
        let ufw = ok(captured, "ufw_status").and_then(|c| ufw_status(&c.stdout));
        let firewalld_running = ok(captured, "firewalld_state")
            .map(|c| c.stdout.trim() == "running" && c.exit_code == Some(0));
        let nft = ok(captured, "nft_ruleset")
            .filter(|c| c.exit_code == Some(0))
            .and_then(|c| nft_filters_input(&c.stdout));
        let ipt = ok(captured, "iptables_input")
            .filter(|c| c.exit_code == Some(0))
            .and_then(|c| iptables_filters_input(&c.stdout));
        let facts = serde_json::json!({
            "units": { "ufw": ufw_unit, "firewalld": firewalld_unit, "nftables": nft_unit },
            "ufw_conf_enabled": ufw_conf,
            "ufw_status": ufw.as_ref().map(|(a, d)| serde_json::json!({ "active": a, "default_incoming": d })),
            "firewalld_running": firewalld_running,
            "nft_filters_input": nft,
            "iptables_filters_input": ipt,
            "elevated": ctx.elevated,
        });
        let on = |ja: &str, en: &str| {
            self.pass(
                format!("ファイアウォールが有効です（{ja}）"),
                format!("The firewall is on ({en})"),
                facts.clone(),
            )
        };
        if let Some((true, incoming)) = &ufw {
            if incoming.as_deref().is_some_and(|d| d == "allow") {
                return finding(
                    &self.meta,
                    Verdict::Warn,
                    None,
                    Text::new(
                        "ufw は有効ですが、外部からの接続を既定で許可しています",
                        "ufw is active but allows inbound connections by default",
                    ),
                    Text::new(
                        "ufw default deny incoming を設定してください（保守業者に確認）",
                        "Set `ufw default deny incoming` (check with your vendor)",
                    ),
                    facts,
                );
            }
            return on("ufw", "ufw");
        }
        if firewalld_running == Some(true) {
            return on("firewalld", "firewalld");
        }
        if nft == Some(true) {
            return on("nftables", "nftables");
        }
        if ipt == Some(true) {
            return on("iptables", "iptables");
        }
        // Without root the rule sets cannot be read; an enabled service is still evidence.
        if firewalld_unit {
            return on("firewalld サービス", "firewalld service");
        }
        if ufw_unit && ufw_conf == Some(true) && ufw.is_none() {
            return on("ufw サービス", "ufw service");
        }
        let rules_read = nft.is_some() || ipt.is_some();
        if rules_read {
            return finding(
                &self.meta,
                Verdict::Fail,
                None,
                Text::new(
                    "ファイアウォールが動作していません（受信を制限する設定がありません）",
                    "No firewall is filtering inbound traffic",
                ),
                Text::new(
                    "ufw や firewalld などのファイアウォールを有効にしてください（保守業者に相談）",
                    "Enable a firewall such as ufw or firewalld (ask your vendor)",
                ),
                facts,
            );
        }
        if !ctx.elevated {
            return unknown(&self.meta, UnknownReason::NeedsElevation, facts);
        }
        let missing = ["nft_ruleset", "iptables_input"]
            .iter()
            .all(|k| ok(captured, k).is_none());
        unknown(
            &self.meta,
            if missing {
                UnknownReason::CommandMissing
            } else {
                UnknownReason::Unparsable
            },
            facts,
        )
    }
}

impl Probe for HostFirewall {
    fn meta(&self) -> &ProbeMeta {
        &self.meta
    }

    fn plan(&self, os: Os) -> Vec<Source> {
        match os {
            Os::Windows => vec![
                powershell("ps_firewall", PS_BODY),
                command(
                    "netsh_state",
                    "netsh",
                    &["advfirewall", "show", "allprofiles", "state"],
                ),
            ],
            Os::Macos => vec![
                command(
                    "socketfilterfw",
                    "/usr/libexec/ApplicationFirewall/socketfilterfw",
                    &["--getglobalstate"],
                ),
                command("pfctl_info", "/sbin/pfctl", &["-s", "info"]),
            ],
            Os::Linux => vec![
                command(
                    "systemctl_active",
                    "systemctl",
                    &["is-active", "ufw", "firewalld", "nftables"],
                ),
                file("ufw_conf", "/etc/ufw/ufw.conf"),
                command("ufw_status", "ufw", &["status", "verbose"]),
                command("firewalld_state", "firewall-cmd", &["--state"]),
                command("nft_ruleset", "nft", &["-j", "list", "ruleset"]),
                command(
                    "iptables_input",
                    "iptables",
                    &["-L", "INPUT", "--line-numbers", "-n"],
                ),
            ],
        }
    }

    fn evaluate(&self, ctx: &EvalContext, captured: &[Captured]) -> Finding {
        match ctx.os {
            Os::Windows => self.eval_windows(captured),
            Os::Macos => self.eval_macos(ctx, captured),
            Os::Linux => self.eval_linux(ctx, captured),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// [REAL] `netsh advfirewall show currentprofile` on an English Windows (a public enumeration
    /// note found by the tool library's string index, id 9541937901), verbatim from the blank line
    /// after the prompt to the LogDroppedConnections line (the FileName line after it is cut in
    /// the stored text and left out). Only the Public profile.
    const CURRENTPROFILE_EN_REAL: &str = "\nPublic Profile Settings:\n----------------------------------------------------------------------\nState                                 ON\nFirewall Policy                       BlockInbound,AllowOutbound\nLocalFirewallRules                    N/A (GPO-store only)\nLocalConSecRules                      N/A (GPO-store only)\nInboundUserNotification               Enable\nRemoteManagement                      Disable\nUnicastResponseToMulticast            Enable\n\nLogging:\nLogAllowedConnections                 Disable\nLogDroppedConnections                 Disable\n";

    fn netsh_only(text: &str) -> Vec<Captured> {
        let now = chrono::Utc::now();
        HostFirewall::new()
            .plan(Os::Windows)
            .into_iter()
            .map(|source| {
                let netsh = source.key() == "netsh_state";
                Captured {
                    source,
                    stdout: if netsh {
                        text.to_string()
                    } else {
                        String::new()
                    },
                    stderr: String::new(),
                    exit_code: Some(if netsh { 0 } else { 1 }),
                    encoding: None,
                    raw_sha256: String::new(),
                    raw_len: 0,
                    error: (!netsh).then_some(crate::CaptureError::NotFound),
                    error_detail: None,
                    started_at: now,
                    ended_at: now,
                    elevated: false,
                }
            })
            .collect()
    }

    fn ctx() -> EvalContext {
        EvalContext {
            os: Os::Windows,
            host: tenken_evidence::HostFacts::default(),
            now: chrono::Utc::now(),
            elevated: false,
        }
    }

    fn ps_only(doc: &Value) -> Vec<Captured> {
        netsh_only("")
            .into_iter()
            .map(|mut c| {
                if c.source.key() == "ps_firewall" {
                    c.stdout = doc.to_string();
                    c.exit_code = Some(0);
                    c.error = None;
                } else {
                    c.error = Some(crate::CaptureError::NotFound);
                    c.exit_code = None;
                }
                c
            })
            .collect()
    }

    #[test]
    fn a_profile_in_use_that_is_not_listed_is_not_called_on() {
        // [REAL] the Domain-only snippet Microsoft prints in the WSL troubleshooting page
        // (MicrosoftDocs/WSL WSL/troubleshooting.md @ 940eb91b), prompt line cut.
        let snippet = "Name                            : Domain\nEnabled                         : True\nDefaultInboundAction            : Block\nDefaultOutboundAction           : Allow\nAllowInboundRules               : True\nAllowLocalFirewallRules         : False\n";
        let profiles = profiles_from_list(snippet).unwrap();
        let f = HostFirewall::new().evaluate(
            &ctx(),
            &ps_only(&serde_json::json!({ "profiles": profiles })),
        );
        assert_eq!(f.verdict, Verdict::Unknown);
        // The connected category is listed and on: enough.
        let doc = serde_json::json!({
            "profiles": [{"Name": "Public", "Enabled": "True", "DefaultInboundAction": "Block"}],
            "connected": [{"InterfaceAlias": "Ethernet", "InterfaceIndex": 3, "NetworkCategory": "Public"}],
        });
        assert_eq!(
            HostFirewall::new().evaluate(&ctx(), &ps_only(&doc)).verdict,
            Verdict::Pass
        );
        // A listed profile that is off still fails, whatever is missing.
        let doc = serde_json::json!({
            "profiles": [{"Name": "Domain", "Enabled": "False", "DefaultInboundAction": "Block"}],
        });
        assert_eq!(
            HostFirewall::new().evaluate(&ctx(), &ps_only(&doc)).verdict,
            Verdict::Fail
        );
    }

    #[test]
    fn real_profile_lists_give_the_script_profiles() {
        let on = profiles_from_list(include_str!(
            "../../tests/fixtures/real/windows/firewall.host/get_netfirewallprofile_list_server_all_on/Get-NetFirewallProfile.txt"
        ))
        .unwrap();
        let names: Vec<&str> = on
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["Name"].as_str())
            .collect();
        assert_eq!(names, ["Domain", "Private", "Public"]);
        assert_eq!(on[0]["Enabled"], "True");
        assert_eq!(on[0]["DefaultInboundAction"], "NotConfigured");
        assert_eq!(on[2]["AllowInboundRules"], "NotConfigured");
        let parsed = win_profiles(&serde_json::json!({ "profiles": on })).unwrap();
        assert!(
            parsed
                .iter()
                .all(|p| p.enabled == Some(true) && p.inbound == "not_configured")
        );
        let off = profiles_from_list(include_str!(
            "../../tests/fixtures/real/windows/firewall.host/get_netfirewallprofile_list_all_disabled/Get-NetFirewallProfile.txt"
        ))
        .unwrap();
        let parsed = win_profiles(&serde_json::json!({ "profiles": off })).unwrap();
        assert_eq!(parsed.len(), 3);
        assert!(parsed.iter().all(|p| p.enabled == Some(false)));
        // A property the text lacks is null, never invented; other cmdlets' lists are refused.
        let one = profiles_from_list("Name    : Public\nEnabled : False\n").unwrap();
        assert_eq!(one[0]["DefaultInboundAction"], Value::Null);
        assert!(profiles_from_list("AMServiceEnabled : True\n").is_none());
        assert!(profiles_from_list("").is_none());
    }

    #[test]
    fn real_netsh_profile_block_reads_only_the_state_line() {
        // The other lines (Enable/Disable, BlockInbound,AllowOutbound) are not states.
        assert_eq!(netsh_states(CURRENTPROFILE_EN_REAL), vec![true]);
        assert_eq!(
            netsh_states(&CURRENTPROFILE_EN_REAL.replace('\n', "\r\n")),
            vec![true]
        );
    }

    #[test]
    fn one_profile_on_is_not_every_profile_on() {
        let f = HostFirewall::new().evaluate(&ctx(), &netsh_only(CURRENTPROFILE_EN_REAL));
        assert_eq!(f.verdict, Verdict::Unknown);
        assert_eq!(f.reason, Some(UnknownReason::Unparsable));
        // One profile seen off is still a finding, but not "every profile is off".
        let off = CURRENTPROFILE_EN_REAL.replace(
            "State                                 ON",
            "State                                 OFF",
        );
        let f = HostFirewall::new().evaluate(&ctx(), &netsh_only(&off));
        assert_eq!(f.verdict, Verdict::Warn);
        // [SYN] The three State lines of `show allprofiles state`, all on: pass.
        let three = "Domain Profile Settings:\nState ON\n\nPrivate Profile Settings:\nState ON\n\nPublic Profile Settings:\nState ON\nOk.\n";
        let f = HostFirewall::new().evaluate(&ctx(), &netsh_only(three));
        assert_eq!(f.verdict, Verdict::Pass);
    }
}
