//! `accounts.policy`: password length/complexity and lockout policy.
//!
//! Rule (R7 2-⑦: 8+ characters mixing letters, digits and symbols): length ≥ 13, or ≥ 8 with
//! complexity = pass; ≥ 8 with complexity unknown/off = warn; < 8 = fail. No lockout lowers a
//! pass to warn. Windows reads `secedit` (admin) and falls back to `net accounts` parsed by
//! line position (Japanese output is CP932, labels translated).

use std::time::Duration;

use serde_json::json;

use super::kit::{
    Outcome, as_i64, cmd, conf_value, file, host_probe, lines, ps, ps_doc, section, text,
    text_or_stderr, unk,
};
use crate::{Captured, EvalContext, Os, ProbeMeta, Source};
use tenken_base::Text;
use tenken_evidence::{UnknownReason, Verdict};

host_probe!(
    AccountsPolicy,
    "Probe `accounts.policy`: password and lockout policy."
);

fn meta() -> ProbeMeta {
    ProbeMeta {
        id: "accounts.policy",
        title: Text::new(
            "パスワードとロックアウトの設定",
            "Password and lockout policy",
        ),
        reads: vec![
            (
                Os::Windows,
                "secedit /export [System Access] (admin); net accounts (positional)",
            ),
            (Os::Macos, "pwpolicy getaccountpolicies"),
            (
                Os::Linux,
                "pwquality.conf, pam.d common-password/system-auth, faillock.conf, login.defs",
            ),
        ],
        needs_elevation: false,
        timeout: Duration::from_secs(30),
        checklist_refs: super::registry_refs("accounts.policy"),
    }
}

fn plan(os: Os) -> Vec<Source> {
    match os {
        Os::Windows => vec![
            cmd(
                "net_accounts",
                r"C:\Windows\System32\net.exe",
                &["accounts"],
            ),
            ps(
                "ps",
                r"$out.secpol=Try-Probe{$cfg=Join-Path ([IO.Path]::GetTempPath()) ([IO.Path]::GetRandomFileName());secedit /export /cfg $cfg /areas SECURITYPOLICY|Out-Null;if(-not (Test-Path -LiteralPath $cfg)){throw 'secedit: Access is denied'};$h=[ordered]@{};$sec='';foreach($l in (Get-Content -LiteralPath $cfg)){if($l -match '^\[(.+)\]$'){$sec=$Matches[1];continue};if($sec -eq 'System Access' -and $l -match '^\s*(\w+)\s*=\s*(.*)$'){$h[$Matches[1]]=$Matches[2].Trim()}};Remove-Item -LiteralPath $cfg -Force;$h};$out.partOfDomain=Try-Probe{(Get-CimInstance Win32_ComputerSystem -OperationTimeoutSec 20).PartOfDomain}",
            ),
        ],
        Os::Macos => vec![cmd("pwpolicy", "pwpolicy", &["getaccountpolicies"])],
        Os::Linux => vec![
            file("pwquality", "/etc/security/pwquality.conf"),
            file("pam_debian", "/etc/pam.d/common-password"),
            file("pam_debian_auth", "/etc/pam.d/common-auth"),
            file("pam_rhel", "/etc/pam.d/system-auth"),
            file("faillock", "/etc/security/faillock.conf"),
            file("login_defs", "/etc/login.defs"),
        ],
    }
}

/// Password policy figures, whatever the source.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Minimum length.
    pub min_len: Option<i64>,
    /// Complexity required (None = could not be read).
    pub complexity: Option<bool>,
    /// Failed attempts before lockout (0 = never).
    pub lockout: Option<i64>,
}

/// `net accounts` by line position (any UI language): line 4 = min length, line 6 = lockout
/// threshold; non-numeric values (Never / なし) mean 0.
pub fn parse_net_accounts(s: &str) -> Option<Policy> {
    let ls: Vec<&str> = lines(s).collect();
    if ls.len() < 9 {
        return None;
    }
    let value = |l: &str| -> String {
        l.rsplit([':', '：'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    // Every one of the first 9 lines must have a separator, or this is not the expected table.
    if !ls[..9].iter().all(|l| l.contains(':') || l.contains('：')) {
        return None;
    }
    let num = |i: usize| -> i64 { value(ls[i]).parse().unwrap_or(0) };
    Some(Policy {
        min_len: Some(num(3)),
        complexity: None,
        lockout: Some(num(5)),
    })
}

fn judge(p: &Policy, facts: serde_json::Value, local_only: bool) -> Outcome {
    let Some(len) = p.min_len else {
        return unk(UnknownReason::Unparsable).facts(facts);
    };
    let complexity = p.complexity;
    let lock = p.lockout.unwrap_or(0);
    let lock_ok = (1..=10).contains(&lock);
    let mut o = if len < 8 {
        Outcome::fail(
            &format!("パスワードの最低文字数が{len}文字です（8文字以上が必要）。"),
            &format!("Minimum password length is {len} (8 or more required)."),
        )
    } else if len >= 13 || complexity == Some(true) {
        Outcome::pass(
            &format!("パスワードは{len}文字以上、複雑さの条件があります。"),
            &format!("Passwords need {len}+ characters with complexity (or 13+)."),
        )
    } else if complexity.is_none() {
        Outcome::warn(
            &format!(
                "最低文字数は{len}文字ですが、英数字・記号を混ぜる条件は確認できませんでした。"
            ),
            &format!("Minimum length is {len}; complexity could not be read."),
        )
    } else {
        Outcome::warn(
            &format!("最低文字数は{len}文字ですが、英数字・記号を混ぜる条件がありません。"),
            &format!("Minimum length is {len} but complexity is not required."),
        )
    };
    if o.verdict == Verdict::Pass && !lock_ok {
        o = Outcome::warn(
            "パスワードの条件は十分ですが、何度も間違えたときのロックがありません。",
            "Password rules are fine, but there is no lockout after failed attempts.",
        );
    }
    let mut facts = facts;
    facts["min_length"] = json!(len);
    facts["complexity"] = json!(complexity);
    facts["lockout_threshold"] = json!(lock);
    facts["local_policy_only"] = json!(local_only);
    o.act(
        "パスワードは8文字以上で英字・数字・記号を混ぜる設定にし、10回以内の失敗でロックする設定にしてください。",
        "Require 8+ characters mixing letters, digits and symbols, and lock accounts after at most 10 failures.",
    )
    .facts(facts)
}

fn evaluate(ctx: &EvalContext, caps: &[Captured]) -> Outcome {
    match ctx.os {
        Os::Windows => windows(caps),
        Os::Macos => macos(caps),
        Os::Linux => linux(caps),
    }
}

fn windows(caps: &[Captured]) -> Outcome {
    let doc = ps_doc(caps, "ps").ok();
    let domain = doc
        .as_ref()
        .and_then(|d| section(d, "partOfDomain").ok())
        .and_then(|v| v.as_bool());
    if let Some(sp) = doc.as_ref().and_then(|d| section(d, "secpol").ok())
        && let Some(len) = as_i64(sp.get("MinimumPasswordLength"))
    {
        let p = Policy {
            min_len: Some(len),
            complexity: as_i64(sp.get("PasswordComplexity")).map(|c| c == 1),
            lockout: as_i64(sp.get("LockoutBadCount")),
        };
        return judge(
            &p,
            json!({"source": "secedit", "part_of_domain": domain}),
            domain == Some(true),
        );
    }
    match text(caps, "net_accounts") {
        Ok(t) => match parse_net_accounts(t) {
            Some(p) => judge(
                &p,
                json!({"source": "net accounts", "part_of_domain": domain}),
                domain == Some(true),
            ),
            None => unk(UnknownReason::Unparsable),
        },
        Err(r) => unk(r),
    }
}

/// Minimum length from a pwpolicy `policyContent` such as `policyAttributePassword matches '.{8,}+'`.
fn pw_min_len(s: &str) -> Option<i64> {
    let i = s.find(".{")?;
    let rest = &s[i + 2..];
    let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
    n.parse().ok()
}

fn macos(caps: &[Captured]) -> Outcome {
    let t = match text_or_stderr(caps, "pwpolicy") {
        Ok(t) => t,
        Err(r) => return unk(r),
    };
    if !t.contains("<plist") {
        if t.contains("No global policies") || t.contains("Getting global account policies") {
            return Outcome::warn(
                "パスワードの条件が設定されていません（Macの初期状態）。",
                "No password policy is set (macOS default).",
            )
            .act(
                "MDMや構成プロファイルで8文字以上・英数字記号混在の条件を設定するよう業者に依頼してください。",
                "Ask your vendor to set an 8+ character mixed password policy via MDM/profile.",
            )
            .facts(json!({"policy": null}));
        }
        return unk(UnknownReason::Unparsable);
    }
    let min_len = t
        .lines()
        .filter(|l| l.contains("policyAttributePassword"))
        .filter_map(pw_min_len)
        .max();
    let complexity = t.contains("[A-Za-z]")
        || t.contains("[0-9]")
        || t.contains("RequiresAlpha")
        || t.contains("[^a-zA-Z0-9]");
    let lockout = t
        .lines()
        .filter_map(|l| l.split("policyAttributeFailedAuthentications").nth(1))
        .filter_map(|r| {
            let n: String = r.chars().filter(|c| c.is_ascii_digit()).collect();
            n.parse::<i64>().ok()
        })
        .next();
    match min_len {
        Some(_) => judge(
            &Policy {
                min_len,
                complexity: Some(complexity),
                lockout,
            },
            json!({"source": "pwpolicy"}),
            false,
        ),
        None => Outcome::warn(
            "パスワードの最低文字数の条件が見つかりません。",
            "No minimum-length rule in the password policy.",
        )
        .act(
            "8文字以上・英数字記号混在の条件を設定してください。",
            "Set a rule of 8+ characters mixing letters, digits and symbols.",
        )
        .facts(json!({"source": "pwpolicy", "lockout_threshold": lockout})),
    }
}

fn pam_arg(line: &str, key: &str) -> Option<i64> {
    line.split_whitespace()
        .find_map(|tok| tok.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .and_then(|v| v.parse().ok())
}

fn active_pam<'a>(t: &'a str, module: &str) -> Vec<&'a str> {
    lines(t)
        .filter(|l| !l.starts_with('#') && l.contains(module))
        .collect()
}

fn linux(caps: &[Captured]) -> Outcome {
    let pam: Vec<&str> = ["pam_debian", "pam_rhel"]
        .iter()
        .filter_map(|k| text(caps, k).ok())
        .collect();
    let auth: Vec<&str> = ["pam_debian_auth", "pam_rhel"]
        .iter()
        .filter_map(|k| text(caps, k).ok())
        .collect();
    if pam.is_empty() {
        return unk(text(caps, "pam_debian")
            .err()
            .unwrap_or(UnknownReason::Other));
    }
    let pwq_lines: Vec<&str> = pam
        .iter()
        .flat_map(|t| {
            let mut v = active_pam(t, "pam_pwquality.so");
            v.extend(active_pam(t, "pam_cracklib.so"));
            v
        })
        .collect();
    let unix_lines: Vec<&str> = pam
        .iter()
        .flat_map(|t| active_pam(t, "pam_unix.so"))
        .collect();
    let conf = text(caps, "pwquality").ok();
    let (min_len, minclass) = if pwq_lines.is_empty() {
        // pam_unix alone: its default minimum is 6 (login.defs PASS_MIN_LEN is not used by PAM).
        (
            unix_lines
                .iter()
                .find_map(|l| pam_arg(l, "minlen"))
                .or(Some(6)),
            None,
        )
    } else {
        let arg_len = pwq_lines.iter().find_map(|l| pam_arg(l, "minlen"));
        let conf_len = conf
            .and_then(|c| conf_value(c, "minlen"))
            .and_then(|v| v.parse().ok());
        let arg_class = pwq_lines.iter().find_map(|l| pam_arg(l, "minclass"));
        let conf_class = conf
            .and_then(|c| conf_value(c, "minclass"))
            .and_then(|v| v.parse::<i64>().ok());
        // pwquality's built-in default minlen is 8 (libpwquality ≥ 1.4).
        (arg_len.or(conf_len).or(Some(8)), arg_class.or(conf_class))
    };
    let faillock_pam = auth
        .iter()
        .flat_map(|t| active_pam(t, "pam_faillock.so"))
        .collect::<Vec<_>>();
    let tally = auth
        .iter()
        .flat_map(|t| active_pam(t, "pam_tally2.so"))
        .collect::<Vec<_>>();
    let lockout = if !faillock_pam.is_empty() {
        faillock_pam
            .iter()
            .find_map(|l| pam_arg(l, "deny"))
            .or_else(|| {
                text(caps, "faillock")
                    .ok()
                    .and_then(|c| conf_value(c, "deny"))
                    .and_then(|v| v.parse().ok())
            })
            .or(Some(3))
    } else if !tally.is_empty() {
        tally.iter().find_map(|l| pam_arg(l, "deny")).or(Some(0))
    } else {
        Some(0)
    };
    let p = Policy {
        min_len,
        complexity: Some(minclass.is_some_and(|c| c >= 3)),
        lockout,
    };
    judge(
        &p,
        json!({"source": "pam", "pwquality_enabled": !pwq_lines.is_empty(), "minclass": minclass}),
        false,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn net_accounts_needs_the_full_table() {
        assert_eq!(parse_net_accounts("Minimum password length: 8\n"), None);
        assert_eq!(parse_net_accounts(""), None);
        let nine = "a: 1\nb: 2\nc: 3\nd: 12\ne: 4\nf: Never\ng: 30\nh: 30\ni: WORKSTATION\n";
        let p = parse_net_accounts(nine).unwrap();
        assert_eq!((p.min_len, p.lockout), (Some(12), Some(0)));
    }

    #[test]
    fn pwpolicy_length() {
        assert_eq!(
            pw_min_len("policyAttributePassword matches '.{10,}+'"),
            Some(10)
        );
        assert_eq!(pw_min_len("policyAttributePassword matches '[0-9]'"), None);
    }
}
