//! SYNTHESISED sample data for tests, the bench program and demos: a checklist with three
//! sections and 20 items (some with scope rows), answers incl. いいえ with 目標日, and three host
//! bundles with findings incl. 未確認 ones and a contradiction (はい on updates vs an
//! `os.patches` fail, last update 200 days ago). Wording paraphrases the MHLW form; it is NOT
//! the official text and not real clinic data.
//!
//! Why this file is over 600 lines: synthesised sample data for tests (a checklist, an assessment, three hosts' bundles); data, not logic.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::json;

use tenken_assessment::{Answer, AnswerValue, Assessment, Assessor, ClinicProfile, Vendor};
use tenken_base::Text;
use tenken_checklist::{
    Checklist, ChecklistKind, Guidance, Item, Provenance, ProvenanceTag, Scope, Section, Sheet,
    Source,
};
use tenken_evidence::{
    BUNDLE_FORMAT, Bundle, Evidence, Finding, HostFacts, ItemRef, SourceKind, UnknownReason,
    Verdict, sha256_hex,
};

/// Checklist id of the sample.
pub const CHECKLIST_ID: &str = "mhlw-r7";
/// Item about security updates (answered はい, contradicted by evidence).
pub const PATCH_ITEM: &str = "2-6";

fn t(ja: &str, en: &str) -> Text {
    Text::new(ja, en)
}

fn item(id: &str, number: &str, ja: &str, en: &str, scopes: &[Scope]) -> Item {
    Item {
        id: id.into(),
        number: number.into(),
        text: t(ja, en),
        provenance: Provenance {
            tag: ProvenanceTag::Reconstructed,
            sources: vec!["synthesised test fixture".into()],
            note: None,
        },
        sheets: vec!["clinic".into()],
        scopes: scopes.to_vec(),
        previous_ids: Vec::new(),
        deadline: None,
        guidance: Guidance {
            why: t(
                &format!(
                    "{ja}ができていないと、ランサムウェアなどの被害を受けたときに診療が止まるおそれがあります。院内で誰が何をするかを決め、記録に残しておくことが大切です。"
                ),
                &format!(
                    "If this is not in place ({en}), an incident such as ransomware can stop the clinic's work. Decide who does what and keep a record."
                ),
            ),
            done_when: t(
                "手順書や記録があり、担当者が説明できる状態になっていれば「はい」です。",
                "Answer Yes when a written procedure or record exists and the person in charge can explain it.",
            ),
            who: t(
                "院長・事務長（必要に応じて保守事業者）",
                "Director / office manager (with the vendor where needed)",
            ),
        },
        new_in_version: false,
        gate: false,
    }
}

/// The sample checklist (3 sections, 20 items, scope rows on several items).
pub fn checklist() -> Checklist {
    use Scope::*;
    let sst = [Server, Terminal, Network];
    let mut s2 = vec![
        item(
            "2-1",
            "2-①",
            "サーバ、端末PC、ネットワーク機器の台帳管理を行っている。",
            "An inventory of servers, client PCs and network devices is kept.",
            &[],
        ),
        item(
            "2-2",
            "2-②",
            "リモートメンテナンス（保守）を利用している機器の有無を事業者等に確認した。",
            "Checked with vendors which devices use remote maintenance.",
            &[],
        ),
        item(
            "2-3",
            "2-③",
            "事業者から製造業者/サービス事業者による医療情報セキュリティ開示書（MDS/SDS）を提出してもらっている。",
            "Obtained the vendors' security disclosure sheets (MDS/SDS).",
            &[],
        ),
        item(
            "2-4",
            "2-④",
            "利用者の職種・担当業務別の情報区分毎のアクセス利用権限を設定している。",
            "Access rights are set per job and information category.",
            &sst,
        ),
        item(
            "2-5",
            "2-⑤",
            "退職者や使用していないアカウント等、不要なアカウントを削除している。",
            "Unneeded accounts (leavers, unused) are deleted.",
            &sst,
        ),
        item(
            PATCH_ITEM,
            "2-⑥",
            "セキュリティパッチ（最新ファームウェアや更新プログラム）を適用している。",
            "Security patches (latest firmware and updates) are applied.",
            &sst,
        ),
        item(
            "2-7",
            "2-⑦",
            "接続元制限を実施している。",
            "Connections are restricted by source.",
            &sst,
        ),
        item(
            "2-8",
            "2-⑧",
            "パスワードは英数字、記号が混在した8文字以上とし、定期的に変更している。",
            "Passwords have 8+ mixed characters and are changed regularly.",
            &[Server, Terminal],
        ),
        item(
            "2-9",
            "2-⑨",
            "バックグラウンドで動作している不要なソフトウェア及びサービスを停止している。",
            "Unneeded background software and services are stopped.",
            &[Server, Terminal],
        ),
        item(
            "2-10",
            "2-⑩",
            "ウイルス対策ソフト（マルウェア対策ソフト）を導入し、定義ファイルを最新にしている。",
            "Antivirus is installed and its definitions are current.",
            &[Server, Terminal],
        ),
        item(
            "2-11",
            "2-⑪",
            "ファイアウォールを有効にし、不要なポートを閉じている。",
            "The firewall is on and unneeded ports are closed.",
            &sst,
        ),
        item(
            "2-12",
            "2-⑫",
            "USBメモリ等の外部記録媒体の接続を制限している。",
            "External storage (USB sticks) is restricted.",
            &[Server, Terminal],
        ),
    ];
    s2[0].guidance.who = t("事務長", "Office manager");
    let mut s1 = vec![
        item(
            "1-1",
            "1-(1)",
            "医療情報システム安全管理責任者を設置している。",
            "A security officer for medical information systems is appointed.",
            &[],
        ),
        item(
            "1-2",
            "1-(2)",
            "医療情報システム全般について、以下を実施している。保守事業者との契約でセキュリティ対策の責任分界を明確にしている。",
            "Responsibilities for security are defined in vendor contracts.",
            &[],
        ),
        item(
            "1-3",
            "1-(3)",
            "職員に対してサイバーセキュリティに関する研修を年1回以上行っている。",
            "Staff receive security training at least once a year.",
            &[],
        ),
        item(
            "1-4",
            "1-(4)",
            "サイバー攻撃を想定した事業継続計画（BCP）を策定している。",
            "A business continuity plan for cyber attacks exists.",
            &[],
        ),
    ];
    s1[0].gate = false;
    let mut s3 = vec![
        item(
            "3-1",
            "3-(1)",
            "インシデント発生時の連絡体制図（厚生労働省、警察、事業者等）を作成している。",
            "A contact chart for incidents (MHLW, police, vendors) exists.",
            &[],
        ),
        item(
            "3-2",
            "3-(2)",
            "バックアップを取得し、ネットワークから切り離して保管している（オフラインバックアップ）。",
            "Backups are taken and kept offline.",
            &[Server],
        ),
        item(
            "3-3",
            "3-(3)",
            "バックアップからの復旧手順を確認し、実際に復元できることを試験している。",
            "Restoring from backup has been tested.",
            &[Server],
        ),
        item(
            "3-4",
            "3-(4)",
            "インシデント発生時に診療を継続するための手順（紙運用等）を整備している。",
            "Procedures to continue care during an incident (paper operation) exist.",
            &[],
        ),
    ];
    s3[1].deadline = Some(t("令和7年度中に対応", "By the end of FY2025"));
    s2[3].new_in_version = true;
    Checklist {
        id: CHECKLIST_ID.into(),
        title: t(
            "令和7年度版 医療機関におけるサイバーセキュリティ対策チェックリスト（試験用）",
            "FY2025 Cybersecurity checklist for medical institutions (test copy)",
        ),
        fiscal_year: 2025,
        kind: ChecklistKind::Official,
        previous: Some("mhlw-r6".into()),
        source: Source {
            title: "医療機関におけるサイバーセキュリティ対策チェックリスト".into(),
            publisher: "厚生労働省".into(),
            date: "令和7年5月".into(),
            url: Some("https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000516275_00006.html".into()),
            license_note: "公共データ利用規約（第1.0版）（PDL1.0）に基づき利用。Tenken が文言を一部編集・要約しています（試験用データ）。".into(),
            sha256: None,
        },
        sheets: vec![Sheet { id: "clinic".into(), title: t("医療機関確認用", "For medical institutions") }],
        sections: vec![
            Section { id: "1".into(), title: t("体制構築", "Organisation"), items: s1 },
            Section { id: "2".into(), title: t("医療情報システムの管理・運用", "Managing and operating medical information systems"), items: s2 },
            Section { id: "3".into(), title: t("インシデント発生に備えた対応", "Preparing for incidents"), items: s3 },
        ],
        layout: None,
    }
}

fn at(day: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, day, h, 0, 0)
        .single()
        .unwrap_or_default()
}

fn date(m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(if m >= 4 { 2025 } else { 2026 }, m, d)
}

/// The sample assessment (answers incl. いいえ with 目標日, 該当なし and 未回答 rows).
pub fn assessment() -> Assessment {
    let cl = checklist();
    let mut answers = Vec::new();
    for (n, item) in cl.items().enumerate() {
        for (k, scope) in item.answer_scopes().into_iter().enumerate() {
            let i = n * 3 + k;
            let value = match (item.id.as_str(), scope) {
                (PATCH_ITEM, _) => AnswerValue::Yes,
                ("2-11", Scope::Network) => AnswerValue::No,
                ("2-3", _) | ("3-3", _) | ("1-3", _) => AnswerValue::No,
                ("2-12", Scope::Server) => AnswerValue::NotApplicable,
                ("3-4", _) => AnswerValue::Unanswered,
                _ if i % 11 == 7 => AnswerValue::No,
                _ => AnswerValue::Yes,
            };
            if value == AnswerValue::Unanswered {
                continue;
            }
            answers.push(Answer {
                item_id: item.id.clone(),
                scope,
                value,
                checked_on: date(11, 10),
                target_date: (value == AnswerValue::No).then(|| date(3, 31)).flatten(),
                note: if value == AnswerValue::No {
                    "保守事業者と相談のうえ対応予定。見積りを依頼済み。".into()
                } else {
                    String::new()
                },
                responsible: if value == AnswerValue::No {
                    "事務長 佐藤".into()
                } else {
                    String::new()
                },
                attachments: vec![],
                updated_at: Some(at(10, 9)),
            });
        }
    }
    Assessment {
        id: 1,
        fiscal_year: 2025,
        checklist_id: CHECKLIST_ID.into(),
        sheet: tenken_assessment::Sheet::Clinic,
        profile: ClinicProfile {
            name: "さくら内科クリニック（試験用）".into(),
            address: "東京都千代田区霞が関1-2-2 試験ビル3階".into(),
            administrator: "院長 山田 太郎".into(),
            security_officer: "事務長 佐藤 花子".into(),
            systems: vec![
                "電子カルテ".into(),
                "レセコン".into(),
                "オンライン資格確認".into(),
            ],
            vendors: vec![Vendor {
                name: "株式会社サンプルメディカルシステムズ".into(),
                contact: "03-0000-0000".into(),
                systems: vec!["電子カルテ".into()],
            }],
        },
        assessor: Assessor {
            name: "鈴木 一郎".into(),
            company: Some("株式会社サンプルメディカルシステムズ".into()),
        },
        answers,
        created_at: at(10, 9),
        updated_at: at(12, 17),
    }
}

fn evidence(kind: SourceKind, source: &str, raw: &str, when: DateTime<Utc>) -> Evidence {
    Evidence {
        kind,
        source: source.into(),
        raw: raw.into(),
        truncated: false,
        raw_len: raw.len() as u64,
        raw_sha256: sha256_hex(raw.as_bytes()),
        encoding: Some("utf-8".into()),
        stderr: None,
        started_at: when,
        ended_at: when + Duration::milliseconds(420),
        exit_code: Some(0),
        elevated: false,
        error: None,
        raw_deflate: None,
        same_as: None,
        note: None,
    }
}

/// A finding of `probe` with `verdict` naming `items` of the sample checklist.
pub fn finding(probe: &str, verdict: Verdict, items: &[&str], facts: serde_json::Value) -> Finding {
    let when = at(12, 10);
    let (summary, action) = match verdict {
        Verdict::Pass => (
            t("問題は見つかりませんでした", "No problem found"),
            t("", ""),
        ),
        Verdict::Warn => (
            t("改善が望ましい点があります", "Something should be improved"),
            t("設定を見直してください", "Review the setting"),
        ),
        Verdict::Fail => (
            t("対策が行われていません", "The measure is missing"),
            t(
                "保守事業者に相談し、対策してください",
                "Ask your vendor and fix it",
            ),
        ),
        Verdict::Unknown => (
            t("確認できませんでした", "Could not be checked"),
            t(
                "管理者として実行し直してください",
                "Run again as administrator",
            ),
        ),
        Verdict::NotApplicable => (
            t("このPCには該当しません", "Does not apply to this PC"),
            t("", ""),
        ),
    };
    Finding {
        probe_id: probe.into(),
        title: t(&format!("自動確認 {probe}"), &format!("Check {probe}")),
        verdict,
        reason: (verdict == Verdict::Unknown).then_some(UnknownReason::NeedsElevation),
        summary,
        action,
        facts,
        checklist_refs: items
            .iter()
            .map(|i| ItemRef {
                checklist: CHECKLIST_ID.into(),
                item: (*i).into(),
            })
            .collect(),
        evidence: vec![evidence(
            SourceKind::Command,
            &format!("powershell -NoProfile -Command Get-Tenken-{probe}"),
            &format!("{probe} raw output line 1\nstatus: {verdict:?}\n"),
            when,
        )],
    }
}

fn host_bundle(
    hostname: &str,
    ip: &str,
    os: &str,
    build: &str,
    patch_days: i64,
    fw_on: bool,
) -> Bundle {
    let when = at(12, 10);
    let last = (when - Duration::days(patch_days)).date_naive();
    let mut findings = vec![
        {
            let mut f = finding(
                "os.patches",
                if patch_days > 60 {
                    Verdict::Fail
                } else {
                    Verdict::Pass
                },
                &[PATCH_ITEM],
                json!({"last_update": last.to_string(), "days_since_update": patch_days, "pending": if patch_days > 60 { 7 } else { 0 }}),
            );
            if patch_days > 60 {
                f.summary = t(
                    &format!("最後の更新プログラム適用から{patch_days}日経過しています（{last}）"),
                    &format!("{patch_days} days since the last update ({last})"),
                );
                f.evidence.push(evidence(
                    SourceKind::Command,
                    "powershell -NoProfile -Command \"Get-HotFix | Sort-Object InstalledOn\"",
                    &"Source Description HotFixID InstalledBy InstalledOn\n".repeat(30),
                    when,
                ));
            }
            f
        },
        finding(
            "antivirus.status",
            if hostname.starts_with("UKETSUKE") {
                Verdict::Unknown
            } else {
                Verdict::Pass
            },
            &["2-10"],
            json!({"product": "Microsoft Defender Antivirus", "realtime": true, "signature_age_days": 1}),
        ),
        finding(
            "firewall.host",
            if fw_on { Verdict::Pass } else { Verdict::Fail },
            &["2-11"],
            json!({"enabled": fw_on, "profiles": {"domain": fw_on, "private": fw_on, "public": true}}),
        ),
        finding(
            "ports.listening",
            Verdict::Warn,
            &["2-9", "2-11"],
            json!({"risky": [{"port": 3389, "service": "RDP"}, {"port": 445, "service": "SMB"}], "count": 14}),
        ),
        finding(
            "accounts.local",
            Verdict::Pass,
            &["2-5"],
            json!({"enabled_accounts": 3, "stale": 0}),
        ),
        finding("usb.storage", Verdict::Unknown, &["2-12"], json!({})),
        finding("backup.recent", Verdict::Unknown, &["3-2"], json!({})),
        finding(
            "os.version",
            Verdict::Pass,
            &["2-1"],
            json!({"name": os, "build": build}),
        ),
    ];
    // the rest of a typical scan: one finding per probe, a mix of verdicts
    let extra: [(&str, &[&str], Verdict, serde_json::Value); 16] = [
        (
            "accounts.admin",
            &["2-4", "2-5"],
            Verdict::Warn,
            json!({"admins": ["Administrator", "clinic"], "count": 2}),
        ),
        (
            "accounts.guest",
            &["2-5"],
            Verdict::Pass,
            json!({"guest_enabled": false}),
        ),
        (
            "password.policy",
            &["2-8"],
            Verdict::Warn,
            json!({"min_length": 6, "max_age_days": 0, "complexity": false}),
        ),
        (
            "screen.lock",
            &["2-8"],
            Verdict::Pass,
            json!({"timeout_s": 600, "password_on_resume": true}),
        ),
        ("disk.encryption", &["2-12"], Verdict::Unknown, json!({})),
        (
            "rdp.enabled",
            &["2-7", "2-9"],
            Verdict::Warn,
            json!({"enabled": true, "nla": true}),
        ),
        (
            "smb.v1",
            &["2-9"],
            Verdict::Pass,
            json!({"smb1_enabled": false}),
        ),
        (
            "remote.tools",
            &["2-2"],
            Verdict::Warn,
            json!({"found": ["TeamViewer 15.51"], "services": ["TeamViewer"]}),
        ),
        (
            "services.unneeded",
            &["2-9"],
            Verdict::Pass,
            json!({"running": 112, "flagged": []}),
        ),
        (
            "autorun.disabled",
            &["2-12"],
            Verdict::Pass,
            json!({"NoDriveTypeAutoRun": 255}),
        ),
        (
            "time.sync",
            &["2-1"],
            Verdict::Pass,
            json!({"source": "time.windows.com", "offset_ms": 12}),
        ),
        ("audit.log", &["1-2"], Verdict::Unknown, json!({})),
        (
            "shares.open",
            &["2-4"],
            Verdict::Warn,
            json!({"shares": [{"name": "karte$", "everyone": true}]}),
        ),
        (
            "os.eol",
            &[PATCH_ITEM],
            Verdict::Pass,
            json!({"supported_until": "2031-10-14"}),
        ),
        (
            "antivirus.definitions",
            &["2-10"],
            Verdict::Pass,
            json!({"signature_version": "1.421.1520.0", "age_days": 1}),
        ),
        (
            "backup.offline",
            &["3-2", "3-3"],
            Verdict::Unknown,
            json!({}),
        ),
    ];
    for (probe, items, verdict, facts) in extra {
        let mut f = finding(probe, verdict, items, facts);
        f.evidence.push(evidence(
            SourceKind::File,
            &format!("C:\\ProgramData\\Tenken\\{probe}.txt"),
            &format!("{probe}: recorded state\n"),
            when,
        ));
        findings.push(f);
    }
    // a finding naming another checklist is not mapped onto this one
    let mut other = finding("os.autorun", Verdict::Fail, &[], json!({}));
    other.checklist_refs = vec![ItemRef {
        checklist: "tenken-recommended".into(),
        item: "r-3".into(),
    }];
    findings.push(other);
    if hostname.starts_with("SERVER") {
        findings.push(finding(
            "net.router.admin",
            Verdict::Warn,
            &["2-7", "2-11"],
            json!({"target": "192.0.2.1", "https": false}),
        ));
        findings.push(finding(
            "lan.ports",
            Verdict::Fail,
            &["2-11"],
            json!({"hosts": 6, "open_telnet": ["192.0.2.20:23"]}),
        ));
    }
    findings.sort_by(|a, b| a.probe_id.cmp(&b.probe_id));
    Bundle {
        format: BUNDLE_FORMAT.into(),
        host: HostFacts {
            hostname: hostname.into(),
            os_family: "windows".into(),
            os_name: os.into(),
            os_version: "10.0".into(),
            os_build: build.into(),
            ips: vec![ip.into()],
            macs: vec!["00:00:5e:00:53:01".into()],
            user: "clinic".into(),
            elevated: false,
            tool_version: tenken_base::VERSION.into(),
        },
        started_at: when,
        ended_at: when + Duration::seconds(38),
        replayed: false,
        findings,
    }
}

/// The sample bundles: a server with overdue updates, a reception PC (firewall off) and an
/// examination-room PC.
pub fn bundles() -> Vec<Bundle> {
    vec![
        host_bundle(
            "SERVER-KARTE",
            "192.0.2.10",
            "Windows Server 2022 Standard",
            "20348.2849",
            200,
            true,
        ),
        host_bundle(
            "UKETSUKE-PC1",
            "192.0.2.21",
            "Windows 11 Pro",
            "22631.4460",
            12,
            false,
        ),
        host_bundle(
            "SHINSATSU-PC2",
            "192.0.2.22",
            "Windows 11 Pro",
            "22631.4317",
            41,
            true,
        ),
    ]
}

/// Checklist, assessment and bundles together.
pub fn input_parts() -> (Checklist, Assessment, Vec<Bundle>) {
    (checklist(), assessment(), bundles())
}
