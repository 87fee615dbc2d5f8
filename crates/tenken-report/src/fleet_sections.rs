//! Report sections fed by the fleet engine: the device ledger built from the store (every
//! scanned host and every manually added device), the vendor sheets (事業者確認用) of the
//! fiscal year, and the comparison with the previous fiscal year.
//!
//! Why this file is over 600 lines: the fleet sections of the report (device ledger, vendor sheets, year comparison) that share one table layout.

use printpdf::Color;
use serde::Serialize;

use super::ReportInput;
use super::layout::{CONTENT_W, Cell, Writer, rgb};
use tenken_assessment::{AnswerValue, Assessment};
use tenken_base::Lang;
use tenken_checklist::Checklist;
use tenken_compare::{Comparison, Direction, TargetState};
use tenken_evidence::Verdict;
use tenken_ledger::{CheckCell, KevState, Ledger, NetDevice, NetSource, unknown_label};
use tenken_store::{BundleTrust, VendorSheet, VendorStatus};

/// An item a vendor answered いいえ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorNoItem {
    /// Item number as printed (e.g. "2-①").
    pub number: String,
    /// Item text in the report language.
    pub text: String,
}

/// A vendor sheet with the counts the report prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorSheetSummary {
    /// The stored sheet (vendor, status, signer, last change).
    pub sheet: VendorSheet,
    /// Number of answer rows on the vendor's sheet.
    pub total: usize,
    /// Rows answered (はい / いいえ / 該当なし).
    pub answered: usize,
    /// Rows answered いいえ.
    pub no_items: Vec<VendorNoItem>,
}

impl VendorSheetSummary {
    /// Summarises `sheet`; `answers` is its vendor assessment (None while only requested),
    /// `checklist` the checklist for item numbers and texts.
    pub fn new(
        sheet: VendorSheet,
        answers: Option<&Assessment>,
        checklist: Option<&Checklist>,
        lang: Lang,
    ) -> Self {
        let mut total = 0;
        let mut answered = 0;
        let mut no_items = Vec::new();
        if let Some(a) = answers {
            // rows of the vendor sheet (one per item and scope), at least the stored answers
            let rows: usize = checklist.map_or(0, |c| {
                c.sheet_items("vendor")
                    .map(|i| i.answer_scopes().len())
                    .sum()
            });
            total = rows.max(a.answers.len());
            for ans in &a.answers {
                if ans.value != AnswerValue::Unanswered {
                    answered += 1;
                }
                if ans.value == AnswerValue::No {
                    let item = checklist.and_then(|c| c.item(&ans.item_id));
                    no_items.push(VendorNoItem {
                        number: item.map_or_else(|| ans.item_id.clone(), |i| i.number.clone()),
                        text: item.map_or_else(String::new, |i| i.text.get(lang).to_string()),
                    });
                }
            }
        }
        Self {
            sheet,
            total,
            answered,
            no_items,
        }
    }
}

fn verdict_fill(v: Verdict) -> Color {
    match v {
        Verdict::Pass => rgb(0xd9, 0xef, 0xd9),
        Verdict::Warn => rgb(0xfc, 0xf0, 0xc8),
        Verdict::Fail => rgb(0xf8, 0xd4, 0xd4),
        Verdict::Unknown => rgb(0xe6, 0xe6, 0xe6),
        Verdict::NotApplicable => rgb(0xf4, 0xf4, 0xf4),
    }
}

fn unknown_cell(lang: Lang) -> Cell {
    Cell::filled(unknown_label(lang), verdict_fill(Verdict::Unknown))
}

fn check_cell(c: &Option<CheckCell>, lang: Lang) -> Cell {
    match c {
        Some(c) => Cell::filled(
            match lang {
                Lang::Ja => format!("{}（{}）", c.verdict.label(lang), c.summary.get(lang)),
                Lang::En => format!("{} ({})", c.verdict.label(lang), c.summary.get(lang)),
            },
            verdict_fill(c.verdict),
        ),
        None => unknown_cell(lang),
    }
}

/// A list cell: red when anything is listed, "なし" when checked and empty, 未確認 otherwise.
fn list_cell(l: &Option<Vec<String>>, lang: Lang) -> Cell {
    match l {
        Some(v) if v.is_empty() => Cell::new(lang.pick("なし", "none")),
        Some(v) => Cell::filled(v.join("、"), verdict_fill(Verdict::Fail)),
        None => unknown_cell(lang),
    }
}

fn opt_cell(o: &Option<String>, lang: Lang) -> Cell {
    match o {
        Some(s) if !s.is_empty() => Cell::new(s.clone()),
        _ => unknown_cell(lang),
    }
}

fn dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".to_string()
    } else {
        s.to_string()
    }
}

/// People's word for a manually added device kind.
pub fn device_kind_label(kind: &str, lang: Lang) -> String {
    match kind {
        "router" => lang.pick("ルータ", "Router"),
        "vpn" => lang.pick("VPN装置", "VPN device"),
        "utm" => lang.pick("UTM（統合脅威管理）", "UTM"),
        "wifi_ap" => lang.pick("無線LANアクセスポイント", "Wi-Fi access point"),
        "lte_router" => lang.pick("LTE/モバイルルータ", "LTE / mobile router"),
        "nas" => lang.pick("NAS（ファイルサーバ）", "NAS"),
        "modality" => lang.pick("医療機器（モダリティ）", "Modality"),
        "printer" => lang.pick("プリンタ", "Printer"),
        "other" => lang.pick("その他", "Other"),
        other => return other.to_string(),
    }
    .to_string()
}

/// Who manages a device: `clinic` or `vendor:<name>`.
fn managed_by_label(m: &str, lang: Lang) -> String {
    if m == "clinic" {
        lang.pick("院内", "Clinic").to_string()
    } else if let Some(v) = m.strip_prefix("vendor:") {
        format!("{}{v}", lang.pick("事業者：", "Vendor: "))
    } else {
        dash(m)
    }
}

/// 3-0: what a hospital reads first: PCs per role, PCs not checked for weeks, the problems found
/// on the most PCs.
fn fleet_summary(w: &mut Writer<'_>, input: &ReportInput, s: &tenken_ledger::FleetSummary) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("3-0. 全体のまとめ", "3-0. Overview"), 2);
    let rows: Vec<Vec<Cell>> = s
        .roles
        .iter()
        .map(|r| {
            let n = |v: usize, bad: Verdict| {
                if v == 0 {
                    Cell::new("0")
                } else {
                    Cell::filled(v.to_string(), verdict_fill(bad))
                }
            };
            vec![
                Cell::new(if r.role.is_empty() {
                    l("役割未設定", "Role not set").to_string()
                } else {
                    r.role.clone()
                }),
                Cell::new(r.hosts.to_string()),
                n(r.with_fail, Verdict::Fail),
                n(r.with_unknown, Verdict::Unknown),
                n(r.stale, Verdict::Warn),
            ]
        })
        .collect();
    let stale_h = match lang {
        Lang::Ja => format!("{}日以上確認なし", tenken_ledger::STALE_DAYS),
        Lang::En => format!("Not checked > {} days", tenken_ledger::STALE_DAYS),
    };
    w.table(
        &[
            (l("役割", "Role"), CONTENT_W - 320.0),
            (l("台数", "PCs"), 50.0),
            (l("不適合あり", "With 不適合"), 90.0),
            (l("未確認あり", "With 未確認"), 90.0),
            (stale_h.as_str(), 90.0),
        ],
        &rows,
        8.0,
    );
    if !s.top.is_empty() {
        w.gap(4.0);
        w.body(l(
            "多くのPCで見つかった問題（不適合を先に）:",
            "Problems found on the most PCs (不適合 first):",
        ));
        let rows: Vec<Vec<Cell>> = s
            .top
            .iter()
            .map(|t| {
                vec![
                    Cell::new(format!("{}\n{}", t.title.get(lang), t.probe_id)),
                    Cell::filled(t.verdict.label(lang), verdict_fill(t.verdict)),
                    Cell::new(t.hosts.to_string()),
                    Cell::new(t.examples.join(", ")),
                ]
            })
            .collect();
        w.table(
            &[
                (l("確認内容", "Check"), 160.0),
                (l("判定", "Verdict"), 60.0),
                (l("台数", "PCs"), 40.0),
                (l("PC（最初の5台）", "PCs (first five)"), CONTENT_W - 260.0),
            ],
            &rows,
            8.0,
        );
    }
    if !s.stale.is_empty() {
        let shown: Vec<String> = s
            .stale
            .iter()
            .take(20)
            .map(|(h, t)| {
                format!(
                    "{h} ({})",
                    super::render::day(super::render::jst_day(*t), lang)
                )
            })
            .collect();
        let more = s.stale.len().saturating_sub(shown.len());
        w.body(&match lang {
            Lang::Ja => format!(
                "{}日以上確認されていないPC（{}台、古い順）: {}{}",
                tenken_ledger::STALE_DAYS,
                s.stale.len(),
                shown.join("、"),
                if more > 0 {
                    format!(" ほか{more}台")
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "PCs not checked for more than {} days ({}, oldest first): {}{}",
                tenken_ledger::STALE_DAYS,
                s.stale.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        });
    }
}

/// The device ledger section (replaces the bundle-derived one when a ledger is given).
pub(super) fn ledger(w: &mut Writer<'_>, input: &ReportInput, ledger: &Ledger) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("3. 機器台帳", "3. Device ledger"), 1);
    w.body(l(
        "院内のPC（自動確認の結果）と、手で登録した機器（ルータ・VPN・UTM・医療機器など）の一覧です。確認できなかった欄は「未確認」、署名を確かめられなかった証跡は「署名未確認」としています。",
        "PCs checked automatically, and devices entered by hand (routers, VPN, UTM, modalities ...). Fields that could not be checked say \"not checked\"; evidence whose signature could not be verified is marked \"signature not checked\".",
    ));
    w.gap(4.0);
    if ledger.hosts.len() > 1 {
        fleet_summary(w, input, &ledger.summary);
        w.gap(4.0);
    }
    w.heading(
        &format!(
            "{}{}{}{}{}",
            l("3-1. 自動確認したPC", "3-1. Hosts checked"),
            l("（", " ("),
            ledger.hosts.len(),
            l("台", " hosts"),
            l("）", ")")
        ),
        2,
    );
    if ledger.hosts.is_empty() {
        w.body(l(
            "自動確認したPCはまだありません。",
            "No host has been checked yet.",
        ));
    } else {
        let rows: Vec<Vec<Cell>> = ledger
            .hosts
            .iter()
            .map(|h| {
                let mut name = h.host.clone();
                if let Some(r) = &h.role {
                    name.push('\n');
                    name.push_str(r);
                }
                let os = match &h.os_build {
                    Some(b) if !b.is_empty() => format!("{} ({b})", h.os),
                    _ => h.os.clone(),
                };
                let mut scan = super::render::day(super::render::jst_day(h.scanned_at), lang);
                scan.push('\n');
                let trust = match h.trust {
                    BundleTrust::Verified => Cell::new(format!("{scan}{}", h.trust.label(lang))),
                    // unchecked or accepted without a valid signature: 署名未確認
                    _ => Cell::filled(
                        format!("{scan}{}", BundleTrust::Unchecked.label(lang)),
                        verdict_fill(Verdict::Warn),
                    ),
                };
                vec![
                    Cell::new(name),
                    Cell::new(os),
                    match h.display_ips() {
                        ips if ips.is_empty() => unknown_cell(lang),
                        ips => Cell::new(ips.join(" ")),
                    },
                    opt_cell(&h.last_patch_display(lang), lang),
                    check_cell(&h.antivirus, lang),
                    check_cell(&h.firewall, lang),
                    list_cell(&h.risky_ports, lang),
                    list_cell(&h.remote_tools, lang),
                    trust,
                ]
            })
            .collect();
        let fixed = 70.0 + 62.0 + 56.0 + 52.0 + 58.0 + 50.0 + 46.0 + 44.0;
        w.table(
            &[
                (l("名前・役割", "Name / role"), 70.0),
                (l("OS・ビルド", "OS / build"), 62.0),
                (l("IPアドレス", "IP"), 56.0),
                (l("最終更新日", "Last patch"), 52.0),
                (l("ウイルス対策", "Antivirus"), 58.0),
                (l("ファイアウォール", "Firewall"), 50.0),
                (l("危険な待受ポート", "Risky ports"), 46.0),
                (l("遠隔操作ソフト", "Remote tools"), 44.0),
                (
                    l("最終点検・署名", "Last scan / signature"),
                    CONTENT_W - fixed,
                ),
            ],
            &rows,
            6.5,
        );
    }
    w.gap(6.0);
    network_devices(w, input, &ledger.network);
}

fn kev_cell(r: &NetDevice, lang: Lang) -> Cell {
    let mut text = format!(
        "{}{}{}{}",
        r.kev_state.label(lang),
        lang.pick("（", " ("),
        r.kev_date,
        lang.pick("版）", " data)")
    );
    for f in &r.kev {
        let shown: Vec<&str> = f.cves.iter().take(3).map(String::as_str).collect();
        let more = f.cves.len().saturating_sub(shown.len());
        text.push_str(&format!(
            "\n{} {}: {}",
            f.vendor,
            f.product,
            shown.join(", ")
        ));
        if more > 0 {
            text.push_str(&match lang {
                Lang::Ja => format!(" ほか{more}件"),
                Lang::En => format!(" and {more} more"),
            });
        }
        if f.ransomware {
            text.push_str(lang.pick("（ランサムウェアで使用）", " (used by ransomware)"));
        }
    }
    if r.snmp_public {
        text.push_str(lang.pick(
            "\nSNMP 初期設定(public)で読めます",
            "\nSNMP readable with \"public\"",
        ));
    }
    if r.shadow {
        text.push_str(lang.pick("\nルーター以外の出口の候補", "\nPossibly another way out"));
    }
    // The cell's colour is its worst fact: a KEV listing, SNMP "public" or another way out is
    // 要改善; otherwise old data or an unknown model is 未確認.
    let v = match r.kev_state {
        _ if r.snmp_public || r.shadow => Verdict::Warn,
        KevState::Flagged => Verdict::Warn,
        KevState::NotListed => Verdict::Pass,
        KevState::Stale | KevState::Unidentified => Verdict::Unknown,
    };
    Cell::filled(text, verdict_fill(v))
}

/// 3-2: the network device ledger (外部接続ネットワーク装置一覧): routers, VPN devices, UTMs, APs,
/// LTE routers, NAS... entered by hand or found by the consented network check, with the fields
/// the seed documents ask for and each device's known-exploited state.
fn network_devices(w: &mut Writer<'_>, input: &ReportInput, rows: &[NetDevice]) {
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(
        &format!(
            "{}{}{}{}{}",
            l(
                "3-2. ネットワーク機器（外部接続ネットワーク装置一覧）",
                "3-2. Network devices (external connection points)"
            ),
            l("（", " ("),
            rows.len(),
            l("台", " devices"),
            l("）", ")")
        ),
        2,
    );
    w.body(l(
        "ルータ・VPN装置・UTM・無線LAN・LTEルータ・NAS など、手で登録した機器と、同意を得たネットワーク確認で見つかった機器です。既知の悪用脆弱性は CISA の KEV カタログ（表示の日付の版）と照合しています。一覧に版の範囲はないため、「該当あり」は動いているファームウェアが修正済みか保守業者に確認が必要という意味です。一覧が古いときや機種が分からないときは「未確認」です。",
        "Routers, VPN devices, UTMs, Wi-Fi, LTE routers, NAS... entered by hand or found by the consented network check. Known exploited vulnerabilities are looked up in the CISA KEV catalogue (of the date shown); it has no version ranges, so \"listed\" means the vendor must confirm the running firmware is fixed. Old data or an unknown model is \"unverified\".",
    ));
    if rows.is_empty() {
        w.body(l(
            "登録・発見された機器はありません（ルータやVPN装置は `tenken ledger add-device` で登録できます。院内LANの確認は `tenken scan --network --lan 範囲`）。",
            "No device entered or found (add routers or VPN devices with `tenken ledger add-device`; check the LAN with `tenken scan --network --lan RANGE`).",
        ));
        return;
    }
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let name = if r.ip.is_empty() || r.ip == r.name {
                r.name.clone()
            } else {
                format!("{}\n{}", r.name, r.ip)
            };
            let kind = if r.kind.is_empty() {
                if r.gateway {
                    l("ルータ（このPCの出口）", "Router (this PC's gateway)").to_string()
                } else {
                    "—".to_string()
                }
            } else {
                device_kind_label(&r.kind, lang)
            };
            let mut model = [r.manufacturer.as_str(), r.model.as_str()]
                .iter()
                .filter(|x| !x.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if model.is_empty() && !r.announced.is_empty() {
                model = r
                    .announced
                    .iter()
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" / ");
            }
            let firmware = match (r.firmware.trim(), r.firmware_updated.trim()) {
                ("", "") => "—".to_string(),
                (f, "") => f.to_string(),
                ("", u) => format!("{}{u}", l("更新 ", "updated ")),
                (f, u) => format!("{f}\n{}{u}", l("更新 ", "updated ")),
            };
            let mut link = [r.partner.as_str(), r.partner_ip.as_str(), r.method.as_str()]
                .iter()
                .filter(|x| !x.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
            if !r.ports.trim().is_empty() {
                link.push_str(&format!("\n{}{}", l("ポート ", "ports "), r.ports));
            }
            let managed = format!(
                "{}{}",
                managed_by_label(&r.managed_by, lang),
                match r.maintenance.as_str() {
                    "yes" => l("\n保守契約あり", "\nmaintenance: yes"),
                    "no" => l("\n保守契約なし", "\nmaintenance: no"),
                    _ => "",
                }
            );
            let seen = match (r.source, r.checked_at) {
                (NetSource::Manual, _) | (_, None) => l("手で登録", "entered").to_string(),
                (_, Some(t)) => format!(
                    "{}\n{}",
                    super::render::day(super::render::jst_day(t), lang),
                    l("ネットワーク確認", "network check")
                ),
            };
            vec![
                Cell::new(name),
                Cell::new(kind),
                Cell::new(dash(&model)),
                Cell::new(firmware),
                Cell::new(dash(&link)),
                Cell::new(managed),
                kev_cell(r, lang),
                Cell::new(seen),
            ]
        })
        .collect();
    let fixed = 62.0 + 50.0 + 70.0 + 52.0 + 66.0 + 56.0 + 52.0;
    w.table(
        &[
            (l("名前・IP", "Name / IP"), 62.0),
            (l("種別", "Kind"), 50.0),
            (l("メーカー・機種", "Maker / model"), 70.0),
            (l("ファームウェア", "Firmware"), 52.0),
            (l("接続先・方式・ポート", "Partner / method / ports"), 66.0),
            (l("管理者", "Managed by"), 56.0),
            (l("既知の悪用脆弱性", "Known exploited"), CONTENT_W - fixed),
            (l("確認日", "Seen"), 52.0),
        ],
        &cells,
        6.5,
    );
}

fn status_cell(s: VendorStatus, lang: Lang) -> Cell {
    match s {
        VendorStatus::Requested => Cell::filled(
            lang.pick("依頼中（回答なし）", "requested (no answers)"),
            verdict_fill(Verdict::Unknown),
        ),
        VendorStatus::Answered => Cell::filled(
            lang.pick("回答あり（署名なし）", "answered (unsigned)"),
            verdict_fill(Verdict::Warn),
        ),
        VendorStatus::Signed => Cell::filled(
            lang.pick("署名済み回答", "signed answers"),
            verdict_fill(Verdict::Pass),
        ),
    }
}

/// The vendor sheets (事業者確認用) of the fiscal year; nothing when none was requested.
pub(super) fn vendor_sheets(w: &mut Writer<'_>, input: &ReportInput) {
    if input.vendor_sheets.is_empty() {
        return;
    }
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(
        l(
            "3-3. 事業者の確認（事業者確認用チェックリスト）",
            "3-3. Vendor sheets",
        ),
        2,
    );
    w.body(l(
        "システム事業者に依頼した確認の状況です。「署名済み回答」は事業者の電子署名を確かめた回答です。",
        "Checks requested from the system vendors. \"signed answers\" carry the vendor's verified signature.",
    ));
    w.gap(4.0);
    let rows: Vec<Vec<Cell>> = input
        .vendor_sheets
        .iter()
        .map(|v| {
            let count = if v.sheet.status == VendorStatus::Requested {
                "—".to_string()
            } else {
                match lang {
                    Lang::Ja => format!(
                        "{} / {}（いいえ {}）",
                        v.answered,
                        v.total,
                        v.no_items.len()
                    ),
                    Lang::En => format!("{} / {} ({} no)", v.answered, v.total, v.no_items.len()),
                }
            };
            vec![
                Cell::new(v.sheet.vendor.clone()),
                status_cell(v.sheet.status, lang),
                Cell::new(count),
                Cell::new(v.sheet.signer.clone().unwrap_or_else(|| "—".into())),
                Cell::new(super::render::day(
                    super::render::jst_day(v.sheet.updated_at),
                    lang,
                )),
            ]
        })
        .collect();
    let fixed = 110.0 + 90.0 + 80.0 + 62.0;
    w.table(
        &[
            (l("事業者", "Vendor"), 110.0),
            (l("状況", "Status"), 90.0),
            (l("回答数", "Answered"), 80.0),
            (l("署名者", "Signer"), CONTENT_W - fixed),
            (l("日付", "Date"), 62.0),
        ],
        &rows,
        8.0,
    );
    let no_rows: Vec<Vec<Cell>> = input
        .vendor_sheets
        .iter()
        .flat_map(|v| {
            v.no_items.iter().map(|n| {
                vec![
                    Cell::new(v.sheet.vendor.clone()),
                    Cell::new(n.number.clone()),
                    Cell::new(n.text.clone()),
                ]
            })
        })
        .collect();
    if !no_rows.is_empty() {
        w.gap(6.0);
        w.heading(
            l(
                "事業者が「いいえ」と回答した項目",
                "Items vendors answered \"no\"",
            ),
            3,
        );
        w.table(
            &[
                (l("事業者", "Vendor"), 110.0),
                (l("番号", "No."), 40.0),
                (l("項目", "Item"), CONTENT_W - 150.0),
            ],
            &no_rows,
            8.0,
        );
    }
}

fn direction_cell(d: Direction, lang: Lang) -> Cell {
    match d {
        Direction::Improved => {
            Cell::filled(lang.pick("改善", "improved"), verdict_fill(Verdict::Pass))
        }
        Direction::Regressed => {
            Cell::filled(lang.pick("悪化", "regressed"), verdict_fill(Verdict::Fail))
        }
        Direction::Changed => Cell::new(lang.pick("変更", "changed")),
    }
}

fn fy_text(fy: u16, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{fy}年度"),
        Lang::En => format!("FY{fy}"),
    }
}

/// The comparison with the previous fiscal year; nothing when there is none.
pub(super) fn comparison(w: &mut Writer<'_>, input: &ReportInput) {
    let Some(c) = &input.comparison else {
        return;
    };
    let lang = input.lang;
    let l = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    w.heading(l("6. 前年度との比較", "6. Compared with last year"), 1);
    let improved = c
        .changes
        .iter()
        .filter(|x| x.direction == Direction::Improved)
        .count();
    let regressed = c
        .changes
        .iter()
        .filter(|x| x.direction == Direction::Regressed)
        .count();
    w.body(&match lang {
        Lang::Ja => format!(
            "{}（{}）と{}（{}）の比較：回答が変わった項目 {} 件（改善 {} 件・悪化 {} 件）、新しい版で増えた項目 {} 件。",
            fy_text(c.from.fiscal_year, lang),
            c.from.checklist_id,
            fy_text(c.to.fiscal_year, lang),
            c.to.checklist_id,
            c.changes.len(),
            improved,
            regressed,
            c.new_items.len()
        ),
        Lang::En => format!(
            "{} ({}) compared with {} ({}): {} answers changed ({} improved, {} regressed), {} items new in this version.",
            fy_text(c.from.fiscal_year, lang),
            c.from.checklist_id,
            fy_text(c.to.fiscal_year, lang),
            c.to.checklist_id,
            c.changes.len(),
            improved,
            regressed,
            c.new_items.len()
        ),
    });
    w.gap(4.0);

    w.heading(l("回答が変わった項目", "Answers that changed"), 2);
    if c.changes.is_empty() {
        w.body(l(
            "前年度と回答が変わった項目はありません。",
            "No answer changed.",
        ));
    } else {
        let rows: Vec<Vec<Cell>> = c
            .changes
            .iter()
            .map(|x| {
                let text = input
                    .checklist
                    .item(&x.item_after)
                    .map_or_else(String::new, |i| i.text.get(lang).to_string());
                vec![
                    Cell::new(x.number.clone()),
                    Cell::new(text),
                    Cell::new(x.scope.label(lang)),
                    Cell::new(x.before.label(lang)),
                    Cell::new(x.after.label(lang)),
                    direction_cell(x.direction, lang),
                ]
            })
            .collect();
        w.table(
            &[
                (l("番号", "No."), 36.0),
                (
                    l("項目", "Item"),
                    CONTENT_W - 36.0 - 62.0 - 50.0 - 50.0 - 40.0,
                ),
                (l("対象", "Scope"), 62.0),
                (l("前年度", "Last year"), 50.0),
                (l("今年度", "This year"), 50.0),
                (l("変化", "Change"), 40.0),
            ],
            &rows,
            7.5,
        );
    }

    w.gap(6.0);
    w.heading(
        l(
            "新しい版で増えた項目（「新規」）",
            "Items new in this version",
        ),
        2,
    );
    if c.new_items.is_empty() {
        w.body(l("増えた項目はありません。", "No new items."));
    } else {
        let rows: Vec<Vec<Cell>> = c
            .new_items
            .iter()
            .map(|n| {
                let text = input
                    .checklist
                    .item(&n.id)
                    .map_or_else(|| n.text.clone(), |i| i.text.get(lang).to_string());
                vec![
                    Cell::filled(l("新規", "new"), rgb(0xdd, 0xe8, 0xf8)),
                    Cell::new(n.number.clone()),
                    Cell::new(text),
                    Cell::new(
                        n.answer
                            .unwrap_or(AnswerValue::Unanswered)
                            .label(lang)
                            .to_string(),
                    ),
                ]
            })
            .collect();
        w.table(
            &[
                ("", 32.0),
                (l("番号", "No."), 36.0),
                (l("項目", "Item"), CONTENT_W - 32.0 - 36.0 - 54.0),
                (l("今年度", "This year"), 54.0),
            ],
            &rows,
            7.5,
        );
    }

    w.gap(6.0);
    w.heading(
        l("前年度に決めた目標日の結果", "Target dates set last year"),
        2,
    );
    if c.targets.is_empty() {
        w.body(l(
            "前年度に目標日を決めた項目はありません。",
            "No target date was set last year.",
        ));
    } else {
        let rows: Vec<Vec<Cell>> = c
            .targets
            .iter()
            .map(|t| {
                let number = c
                    .changes
                    .iter()
                    .find(|x| x.item_before == t.item)
                    .map(|x| x.number.clone())
                    .unwrap_or_else(|| t.item.clone());
                let state = match t.state {
                    TargetState::Met => Cell::filled(l("達成", "met"), verdict_fill(Verdict::Pass)),
                    TargetState::Overdue => Cell::filled(
                        l("期限切れ（未達成）", "overdue"),
                        verdict_fill(Verdict::Fail),
                    ),
                    TargetState::Pending => Cell::filled(
                        l("期限前（未達成）", "pending"),
                        verdict_fill(Verdict::Warn),
                    ),
                };
                vec![
                    Cell::new(number),
                    Cell::new(t.scope.label(lang)),
                    Cell::new(super::render::day(t.target_date, lang)),
                    state,
                ]
            })
            .collect();
        w.table(
            &[
                (l("項目", "Item"), 80.0),
                (l("対象", "Scope"), 90.0),
                (l("目標日", "Target date"), 80.0),
                (l("結果", "Outcome"), CONTENT_W - 250.0),
            ],
            &rows,
            8.0,
        );
    }

    w.gap(6.0);
    w.heading(
        l(
            "同じPCで結果が変わった自動確認",
            "Automatic checks that changed on the same host",
        ),
        2,
    );
    if c.findings.is_empty() {
        w.body(l(
            "両方の年度で確認したPCで、結果が変わったものはありません。",
            "No check changed on hosts checked in both years.",
        ));
    } else {
        let rows: Vec<Vec<Cell>> = c
            .findings
            .iter()
            .map(|f| {
                vec![
                    Cell::new(f.host.clone()),
                    Cell::new(f.probe_id.clone()),
                    Cell::filled(f.before.label(lang), verdict_fill(f.before)),
                    Cell::filled(f.after.label(lang), verdict_fill(f.after)),
                ]
            })
            .collect();
        w.table(
            &[
                (l("PC", "Host"), 110.0),
                (l("確認項目", "Check"), CONTENT_W - 110.0 - 140.0),
                (l("前年度", "Last year"), 70.0),
                (l("今年度", "This year"), 70.0),
            ],
            &rows,
            8.0,
        );
    }
}

/// A comparison is only printed for the assessment it was computed for.
pub fn comparison_applies(c: &Comparison, assessment_id: i64) -> bool {
    c.to.assessment_id == assessment_id
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tenken_assessment::Answer;
    use tenken_checklist::Scope;

    fn sheet(status: VendorStatus) -> VendorSheet {
        VendorSheet {
            id: 1,
            vendor: "ABCシステム".into(),
            fiscal_year: 2025,
            assessment_id: Some(7),
            status,
            signer: None,
            updated_at: chrono::Utc::now(),
        }
    }

    fn answer(item: &str, value: AnswerValue) -> Answer {
        Answer::new(item, Scope::General, value)
    }

    #[test]
    fn vendor_summary_counts_answers_and_lists_no_items() {
        let list = tenken_checklist::find("mhlw-r7", None).unwrap();
        let rows: usize = list
            .sheet_items("vendor")
            .map(|i| i.answer_scopes().len())
            .sum();
        assert!(rows >= 2, "mhlw-r7 has a vendor sheet");
        let (_, mut a, _) = tenken_testkit::sample::input_parts();
        a.answers = vec![
            answer("vendor-1-1", AnswerValue::Yes),
            answer("vendor-2-1", AnswerValue::No),
            answer("vendor-2-2", AnswerValue::Unanswered),
        ];
        let s = VendorSheetSummary::new(
            sheet(VendorStatus::Answered),
            Some(&a),
            Some(&list),
            Lang::Ja,
        );
        assert_eq!(s.answered, 2);
        assert_eq!(s.total, rows);
        assert_eq!(s.no_items.len(), 1);
        let item = list.item("vendor-2-1").unwrap();
        assert_eq!(s.no_items[0].number, item.number);
        assert_eq!(s.no_items[0].text, item.text.get(Lang::Ja));

        // only requested: nothing answered yet
        let s = VendorSheetSummary::new(sheet(VendorStatus::Requested), None, None, Lang::Ja);
        assert_eq!((s.answered, s.total, s.no_items.len()), (0, 0, 0));
    }

    #[test]
    fn device_kinds_read_as_words() {
        assert_eq!(device_kind_label("router", Lang::Ja), "ルータ");
        assert_eq!(device_kind_label("vpn", Lang::En), "VPN device");
        assert_eq!(device_kind_label("custom", Lang::Ja), "custom");
    }
}
