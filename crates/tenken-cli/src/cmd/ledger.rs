//! `tenken ledger`: the device ledger (機器台帳) of the current assessment, host roles and
//! manually added devices.

use anyhow::Context;
use tenken_core::ledger::{self, SUGGESTED_ROLES};
use tenken_core::store::Device;

use crate::ctx::Ctx;

/// Arguments of `tenken ledger`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    /// JSONで出力 (print JSON)
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// CSVで出力（Excelで開けます）(print CSV, UTF-8 with BOM)
    #[arg(long)]
    csv: bool,
    /// 点検ID (assessment id; default: this fiscal year's clinic assessment)
    #[arg(long)]
    assessment: Option<i64>,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// PCの役割を設定する (set a host's role), e.g. 電子カルテサーバ, 受付PC
    Role {
        /// ホスト名 / host name
        host: String,
        /// 役割 / role (電子カルテサーバ, レセコン, 受付PC, 診察室PC, 画像サーバ, オンライン資格確認端末, ...)
        role: String,
    },
    /// Tenkenを動かせない機器を追加・変更する (add or edit a device that cannot run Tenken)
    AddDevice(Box<DeviceArgs>),
    /// 機器を削除する (remove a manually added device)
    RemoveDevice {
        /// 機器名 / device name
        name: String,
    },
}

#[derive(Debug, clap::Args)]
struct DeviceArgs {
    /// 種類 / kind: router, vpn, utm, wifi_ap, lte_router, nas, modality, printer, other
    #[arg(long)]
    kind: String,
    /// 機器名（同じ名前なら上書き）/ name (same name = edit)
    #[arg(long)]
    name: String,
    /// 機種 / model
    #[arg(long, default_value = "")]
    model: String,
    /// ファームウェア / firmware version
    #[arg(long, default_value = "")]
    firmware: String,
    /// 設置場所 / location
    #[arg(long, default_value = "")]
    location: String,
    /// 管理者: clinic または vendor:<事業者名> / managed by
    #[arg(long, default_value = "clinic")]
    managed_by: String,
    /// 接続先 / connection partner
    #[arg(long, default_value = "")]
    partner: String,
    /// 接続方法 / connection method
    #[arg(long, default_value = "")]
    method: String,
    /// 許可されているポート / allowed (open) ports
    #[arg(long, default_value = "")]
    ports: String,
    /// メーカー（既知の悪用脆弱性の照合に使います） / manufacturer (used for the KEV lookup)
    #[arg(long, default_value = "")]
    manufacturer: String,
    /// 院内のIPアドレス / IP address on the clinic LAN
    #[arg(long, default_value = "")]
    ip: String,
    /// 使用用途 / what it is used for
    #[arg(long, default_value = "")]
    purpose: String,
    /// 接続先のグローバルIPアドレス / the partner's global IP address
    #[arg(long, default_value = "")]
    partner_ip: String,
    /// 保守契約（ファームウェア更新を含む）: yes / no / unknown
    #[arg(long, default_value = "unknown")]
    maintenance: String,
    /// 最後にファームウェアを更新した日 (YYYY-MM-DD)
    #[arg(long, default_value = "")]
    firmware_updated: String,
}

/// Runs `tenken ledger`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    let store = session.store_mut();
    match args.command {
        Some(Sub::Role { host, role }) => {
            store.set_host_role(&host, &role)?;
            outln!("{host}: {role}");
            if !SUGGESTED_ROLES.contains(&role.as_str()) {
                errln!(
                    "{}: {}",
                    ctx.t("よく使う役割", "suggested roles"),
                    SUGGESTED_ROLES.join(", ")
                );
            }
            Ok(0)
        }
        Some(Sub::AddDevice(d)) => {
            let dev = Device {
                id: 0,
                kind: d.kind,
                name: d.name,
                model: d.model,
                firmware: d.firmware,
                location: d.location,
                managed_by: d.managed_by,
                partner: d.partner,
                method: d.method,
                ports: d.ports,
                manufacturer: d.manufacturer,
                ip: d.ip,
                purpose: d.purpose,
                partner_ip: d.partner_ip,
                maintenance: d.maintenance,
                firmware_updated: d.firmware_updated,
            };
            let dev = ledger::validate_device(dev, tenken_core::Session::today())?;
            store.upsert_device(&dev)?;
            outln!(
                "{}: {}",
                ctx.t("機器を登録しました", "device saved"),
                dev.name
            );
            Ok(0)
        }
        Some(Sub::RemoveDevice { name }) => {
            if store.remove_device(&name)? {
                outln!("{}: {name}", ctx.t("削除しました", "removed"));
                Ok(0)
            } else {
                errln!(
                    "{}: {name}",
                    ctx.t("その機器はありません", "no such device")
                );
                Ok(1)
            }
        }
        None => {
            let aid = super::assessment::resolve(ctx, &mut session, args.assessment)?.id;
            let l = ledger::build(session.store(), aid)
                .context(ctx.t("台帳を作れません", "ledger failed"))?;
            if args.json {
                crate::out::json(&serde_json::to_string_pretty(&l)?);
            } else if args.csv {
                crate::out::data(&l.to_csv(ctx.lang));
            } else {
                print_summary(ctx, &l.summary, l.hosts.len());
                let hdr = ledger::headers(ctx.lang);
                for row in l.table(ctx.lang) {
                    outln!("──");
                    for (h, v) in hdr.iter().zip(row) {
                        if !v.is_empty() {
                            outln!("  {h}: {v}");
                        }
                    }
                }
                print_network(ctx, &l.network);
                if l.hosts.is_empty() && l.devices.is_empty() && l.network.is_empty() {
                    outln!(
                        "{}",
                        ctx.t(
                            "台帳は空です（tenken scan / tenken import / tenken ledger add-device）",
                            "the ledger is empty (tenken scan / import / ledger add-device)"
                        )
                    );
                }
            }
            Ok(0)
        }
    }
}

/// The network device ledger (外部接続ネットワーク装置一覧) with each device's known-exploited state.
fn print_network(ctx: &Ctx, rows: &[ledger::NetDevice]) {
    if rows.is_empty() {
        return;
    }
    outln!(
        "\n{}",
        ctx.t(
            "== ネットワーク機器（外部接続ネットワーク装置一覧）",
            "== Network devices (external connection points)"
        )
    );
    for r in rows {
        outln!("──");
        let src = match r.source {
            ledger::NetSource::Manual => ctx.t("手で登録", "entered by hand"),
            ledger::NetSource::Found => {
                ctx.t("ネットワーク確認で発見", "found by the network check")
            }
            ledger::NetSource::Both => {
                ctx.t("登録済み・ネットワーク確認で確認", "entered and seen")
            }
        };
        outln!("  {}: {} ({src})", ctx.t("名前", "name"), r.name);
        let fields = [
            (ctx.t("IPアドレス", "IP"), r.ip.clone()),
            (ctx.t("メーカー", "maker"), r.manufacturer.clone()),
            (ctx.t("機種", "model"), r.model.clone()),
            (ctx.t("ファームウェア", "firmware"), r.firmware.clone()),
            (
                ctx.t("ファームウェア更新日", "firmware updated"),
                r.firmware_updated.clone(),
            ),
            (ctx.t("名乗った名前", "announced"), r.announced.join(" / ")),
            (ctx.t("用途", "purpose"), r.purpose.clone()),
            (ctx.t("管理者", "managed by"), r.managed_by.clone()),
            (ctx.t("接続先", "partner"), r.partner.clone()),
            (ctx.t("接続先IP", "partner IP"), r.partner_ip.clone()),
            (ctx.t("接続方式", "method"), r.method.clone()),
            (ctx.t("ポート", "ports"), r.ports.clone()),
            (
                ctx.t("保守契約", "maintenance contract"),
                match r.maintenance.as_str() {
                    "yes" => ctx.t("あり", "yes").to_string(),
                    "no" => ctx.t("なし", "no").to_string(),
                    _ => String::new(),
                },
            ),
            (
                ctx.t("確認日", "seen"),
                r.checked_at
                    .map(|t| {
                        t.with_timezone(&chrono::Local)
                            .format("%Y-%m-%d")
                            .to_string()
                    })
                    .unwrap_or_default(),
            ),
        ];
        for (k, v) in fields {
            if !v.trim().is_empty() {
                outln!("  {k}: {v}");
            }
        }
        let mut kev = format!(
            "{} ({} {})",
            r.kev_state.label(ctx.lang),
            ctx.t("一覧", "catalogue"),
            r.kev_date
        );
        for f in &r.kev {
            kev.push_str(&format!(
                "\n    {} {}: {}{}",
                f.vendor,
                f.product,
                f.cves.join(", "),
                if f.ransomware {
                    ctx.t("（ランサムウェアで使用）", " (used by ransomware)")
                } else {
                    ""
                }
            ));
        }
        outln!("  {}: {kev}", ctx.t("既知の悪用脆弱性", "known exploited"));
        if r.snmp_public {
            outln!(
                "  {}",
                ctx.t(
                    "SNMP: 初期設定の public で読めます",
                    "SNMP: readable with \"public\""
                )
            );
        }
        if r.shadow {
            outln!(
                "  {}",
                ctx.t(
                    "ルーター以外の外部への出口の候補です",
                    "possibly another way out besides the router"
                )
            );
        }
    }
}

/// PCs per role, PCs not checked for weeks and the problems on the most PCs (more than one PC).
fn print_summary(ctx: &Ctx, s: &ledger::FleetSummary, hosts: usize) {
    if hosts < 2 {
        return;
    }
    outln!("{}", ctx.t("== 全体のまとめ", "== Overview"));
    for r in &s.roles {
        let role = if r.role.is_empty() {
            ctx.t("役割未設定", "role not set")
        } else {
            r.role.as_str()
        };
        outln!(
            "  {role}: {} {} / {} {} / {} {} / {} {}",
            r.hosts,
            ctx.t("台", "PCs"),
            ctx.t("不適合あり", "with 不適合"),
            r.with_fail,
            ctx.t("未確認あり", "with 未確認"),
            r.with_unknown,
            ctx.t("30日以上確認なし", "not checked > 30 days"),
            r.stale
        );
    }
    for t in &s.top {
        outln!(
            "  {} {} ({}): {} {} — {}",
            t.verdict.label(ctx.lang),
            t.title.get(ctx.lang),
            t.probe_id,
            t.hosts,
            ctx.t("台", "PCs"),
            t.examples.join(", ")
        );
    }
    outln!();
}
