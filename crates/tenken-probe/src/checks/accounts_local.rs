//! `accounts.local`: local administrators, guest account, accounts unused for 90+ days and
//! automatic logon. Windows keys on SIDs (S-1-5-32-544, RID 500/501), never on the localized
//! group name 「Administrators」.
//!
//! Rule: guest enabled, auto-logon or an enabled account without password = fail; built-in
//! Administrator enabled, more than 2 admins or unused accounts = warn; otherwise pass.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::kit::{
    Outcome, as_bool, as_str, cmd, days_since, file, host_probe, lines, ps, ps_doc, section, text,
    unk,
};
use crate::parse::{as_list, ps_date};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::UnknownReason;

host_probe!(
    AccountsLocal,
    "Probe `accounts.local`: admins, guest, unused accounts, auto-logon."
);

/// Accounts not used for more days than this are "unused".
pub const UNUSED_DAYS: i64 = 90;
/// More administrators than this = warn.
pub const MAX_ADMINS: usize = 2;

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "accounts.local",
        title: Text::new("PCのアカウント管理", "Local accounts"),
        reads: vec![
            (
                Os::Windows,
                "Get-LocalGroupMember -SID S-1-5-32-544 (ADSI fallback), Get-LocalUser, Winlogon",
            ),
            (
                Os::Macos,
                "dscl admin group and users, loginwindow preferences",
            ),
            (
                Os::Linux,
                "/etc/passwd, /etc/group, lastlog, display-manager auto-login config",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("accounts.local"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![ps(
            "ps",
            r"$out.admins=Try-Probe{,@(Get-LocalGroupMember -SID 'S-1-5-32-544'|ForEach-Object{[ordered]@{Name=$_.Name;SID=$_.SID.Value;ObjectClass=[string]$_.ObjectClass;PrincipalSource=[string]$_.PrincipalSource}})};if($out.admins -is [System.Collections.IDictionary]){$out.adminsAdsi=Try-Probe{$g=(New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')).Translate([System.Security.Principal.NTAccount]).Value.Split('\')[1];,@(([ADSI]('WinNT://./'+$g+',group')).psbase.Invoke('Members')|ForEach-Object{([ADSI]$_).Path})}};$out.users=Try-Probe{,@(Get-LocalUser|ForEach-Object{[ordered]@{Name=$_.Name;SID=$_.SID.Value;Enabled=$_.Enabled;LastLogon=(Iso $_.LastLogon);PasswordRequired=$_.PasswordRequired}})};$out.winlogon=Try-Probe{$w=Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon';[ordered]@{AutoAdminLogon=[string]$w.AutoAdminLogon;DefaultUserName=$w.DefaultUserName;HasDefaultPassword=($null -ne $w.DefaultPassword)}}",
        )],
        Os::Macos => vec![
            cmd(
                "admins",
                "dscl",
                &[".", "-read", "/Groups/admin", "GroupMembership"],
            ),
            cmd("users", "dscl", &[".", "-list", "/Users", "UniqueID"]),
            cmd(
                "loginwindow",
                "defaults",
                &["read", "/Library/Preferences/com.apple.loginwindow"],
            ),
        ],
        Os::Linux => vec![
            file("passwd", "/etc/passwd"),
            file("group", "/etc/group"),
            cmd("lastlog", "lastlog", &[]),
            file("gdm", "/etc/gdm3/custom.conf"),
            file("gdm_rhel", "/etc/gdm/custom.conf"),
            file("lightdm", "/etc/lightdm/lightdm.conf"),
        ],
    }
}

#[derive(Default)]
struct Found {
    admins: Vec<String>,
    guest_enabled: bool,
    builtin_admin_enabled: bool,
    unused: Vec<String>,
    no_password: Vec<String>,
    autologon: Option<String>,
}

fn judge(f: Found, extra: serde_json::Value) -> Outcome {
    let mut facts = json!({
        "admins": f.admins, "guest_enabled": f.guest_enabled,
        "builtin_administrator_enabled": f.builtin_admin_enabled,
        "unused_accounts": f.unused, "accounts_without_password": f.no_password,
        "auto_logon_user": f.autologon, "unused_after_days": UNUSED_DAYS,
    });
    if let (Some(m), Some(e)) = (facts.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            m.insert(k.clone(), v.clone());
        }
    }
    // (Japanese, English) pairs.
    let mut bad: Vec<(String, String)> = Vec::new();
    let mut weak: Vec<(String, String)> = Vec::new();
    if f.guest_enabled {
        bad.push((
            "ゲストアカウントが有効".into(),
            "guest account enabled".into(),
        ));
    }
    if let Some(u) = &f.autologon {
        bad.push((
            format!("自動ログオンが有効（{u}）"),
            format!("automatic logon as {u}"),
        ));
    }
    if !f.no_password.is_empty() {
        let l = f.no_password.join(", ");
        bad.push((
            format!("パスワードなしで使えるアカウント: {l}"),
            format!("accounts without password: {l}"),
        ));
    }
    if f.builtin_admin_enabled {
        weak.push((
            "組み込みのAdministratorが有効".into(),
            "built-in Administrator enabled".into(),
        ));
    }
    if f.admins.len() > MAX_ADMINS {
        let l = f.admins.join(", ");
        weak.push((
            format!("管理者が{}人: {l}", f.admins.len()),
            format!("{} administrators: {l}", f.admins.len()),
        ));
    }
    if !f.unused.is_empty() {
        let l = f.unused.join(", ");
        weak.push((
            format!("{UNUSED_DAYS}日以上使われていないアカウント: {l}"),
            format!("accounts unused for {UNUSED_DAYS}+ days: {l}"),
        ));
    }
    let join = |v: &[(String, String)]| {
        (
            v.iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join("／"),
            v.iter()
                .map(|p| p.1.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let act = (
        "ゲストと自動ログオンを無効にし、使っていないアカウントは無効化・削除し、管理者は必要な人だけにしてください。",
        "Disable guest and auto-logon, disable or remove unused accounts, keep administrators to those who need it.",
    );
    if !bad.is_empty() {
        let (ja, en) = join(&[bad, weak].concat());
        Outcome::fail(&ja, &format!("Account problems: {en}"))
            .act(act.0, act.1)
            .facts(facts)
    } else if !weak.is_empty() {
        let (ja, en) = join(&weak);
        Outcome::warn(&ja, &format!("Accounts to review: {en}"))
            .act(act.0, act.1)
            .facts(facts)
    } else {
        Outcome::pass(
            "ゲスト・自動ログオンは無効で、管理者の数と未使用アカウントに問題はありません。",
            "Guest and auto-logon are off; admins and unused accounts are fine.",
        )
        .facts(facts)
    }
}

fn rid(sid: &str) -> Option<u32> {
    if !sid.starts_with("S-1-5-21-") {
        return None;
    }
    sid.rsplit('-').next().and_then(|r| r.parse().ok())
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(ctx, caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(ctx, caps),
    }
}

fn windows(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let doc = match ps_doc(caps, "ps") {
        Ok(d) => d,
        Err(r) => return unk(r),
    };
    let users = match section(&doc, "users") {
        Ok(u) => as_list(Some(u)),
        Err(r) => return unk(r),
    };
    let mut f = Found::default();
    let mut admin_src = "Get-LocalGroupMember";
    match section(&doc, "admins") {
        Ok(a) => {
            for m in as_list(Some(a)) {
                if let Some(n) = as_str(m.get("Name")) {
                    f.admins.push(n.to_string());
                }
            }
        }
        Err(_) => match section(&doc, "adminsAdsi") {
            Ok(a) => {
                admin_src = "ADSI";
                for m in as_list(Some(a)) {
                    if let Some(p) = m.as_str() {
                        f.admins.push(p.trim_start_matches("WinNT://").to_string());
                    }
                }
            }
            Err(r) => return unk(r),
        },
    }
    for u in &users {
        let name = as_str(u.get("Name")).unwrap_or("?").to_string();
        let sid = as_str(u.get("SID")).unwrap_or("");
        let enabled = as_bool(u.get("Enabled")).unwrap_or(false);
        if !enabled {
            continue;
        }
        match rid(sid) {
            Some(501) => f.guest_enabled = true,
            Some(500) => f.builtin_admin_enabled = true,
            Some(503) | Some(504) => {}
            _ => {
                let last = u.get("LastLogon").and_then(ps_date);
                if last.is_none_or(|d| days_since(ctx.now, d) > UNUSED_DAYS) {
                    f.unused.push(name.clone());
                }
            }
        }
        if as_bool(u.get("PasswordRequired")) == Some(false) && rid(sid) != Some(501) {
            f.no_password.push(name);
        }
    }
    if let Ok(w) = section(&doc, "winlogon")
        && as_str(w.get("AutoAdminLogon")) == Some("1")
    {
        f.autologon = Some(as_str(w.get("DefaultUserName")).unwrap_or("?").to_string());
    }
    judge(f, json!({"admin_source": admin_src}))
}

fn macos(caps: &[Captured]) -> Outcome {
    let admins = match text(caps, "admins") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let Some(members) = lines(admins).find_map(|l| l.strip_prefix("GroupMembership:")) else {
        return unk(UnknownReason::Unparsable);
    };
    let mut f = Found {
        admins: members
            .split_whitespace()
            .filter(|m| *m != "root")
            .map(str::to_string)
            .collect(),
        ..Found::default()
    };
    if let Ok(t) = text(caps, "loginwindow") {
        for l in lines(t) {
            let l = l.trim_end_matches(';');
            if let Some((k, v)) = l.split_once('=') {
                let (k, v) = (k.trim(), v.trim().trim_matches('"'));
                if k == "GuestEnabled" && v == "1" {
                    f.guest_enabled = true;
                }
                if k == "autoLoginUser" && !v.is_empty() {
                    f.autologon = Some(v.to_string());
                }
            }
        }
    }
    let users: Vec<String> = text(caps, "users")
        .map(|t| {
            lines(t)
                .filter_map(|l| {
                    let mut it = l.split_whitespace();
                    let n = it.next()?;
                    let uid: i64 = it.next()?.parse().ok()?;
                    (uid >= 501 && !n.starts_with('_')).then(|| n.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    judge(f, json!({"users": users, "last_login_checked": false}))
}

/// `lastlog` date like `Mon Jun 10 09:12:01 +0900 2024` at the end of a line.
fn lastlog_date(l: &str) -> Option<DateTime<Utc>> {
    let toks: Vec<&str> = l.split_whitespace().collect();
    if toks.len() < 6 {
        return None;
    }
    let tail = toks[toks.len() - 6..].join(" ");
    DateTime::parse_from_str(&tail, "%a %b %e %H:%M:%S %z %Y")
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(&toks[toks.len() - 5..].join(" "), "%b %e %H:%M:%S %Y")
                .ok()
                .map(|n| n.and_utc())
        })
}

fn linux(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    let passwd = match text(caps, "passwd") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let group = match text(caps, "group") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    let mut humans = Vec::new();
    for l in lines(passwd) {
        let c: Vec<&str> = l.split(':').collect();
        if c.len() < 7 {
            continue;
        }
        let uid: u32 = c[2].parse().unwrap_or(0);
        let shell = c[6];
        if uid >= 1000 && uid != 65534 && !shell.ends_with("nologin") && !shell.ends_with("false") {
            humans.push(c[0].to_string());
        }
    }
    let mut f = Found::default();
    for l in lines(group) {
        let c: Vec<&str> = l.split(':').collect();
        if c.len() >= 4 && matches!(c[0], "sudo" | "wheel" | "admin") {
            for m in c[3].split(',').filter(|m| !m.is_empty()) {
                if !f.admins.iter().any(|a| a == m) {
                    f.admins.push(m.to_string());
                }
            }
        }
    }
    let lastlog_read = if let Ok(t) = text(caps, "lastlog") {
        for l in lines(t).skip(1) {
            let name = l.split_whitespace().next().unwrap_or("");
            if !humans.iter().any(|h| h == name) {
                continue;
            }
            let stale = l.contains("**Never logged in**")
                || lastlog_date(l).is_some_and(|d| days_since(ctx.now, d) > UNUSED_DAYS);
            if stale {
                f.unused.push(name.to_string());
            }
        }
        true
    } else {
        false
    };
    for k in ["gdm", "gdm_rhel"] {
        if let Ok(t) = text(caps, k) {
            let on = super::kit::conf_value(t, "AutomaticLoginEnable")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            if on {
                f.autologon = Some(super::kit::conf_value(t, "AutomaticLogin").unwrap_or_default());
            }
        }
    }
    if let Ok(t) = text(caps, "lightdm")
        && let Some(u) = super::kit::conf_value(t, "autologin-user").filter(|u| !u.is_empty())
    {
        f.autologon = Some(u);
    }
    judge(
        f,
        json!({"users": humans, "last_login_checked": lastlog_read}),
    )
}
