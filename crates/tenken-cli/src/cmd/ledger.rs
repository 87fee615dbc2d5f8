//! `tenken ledger`: the device ledger (機器台帳) of the current assessment, host roles and
//! manually added devices.

use anyhow::Context;
use tenken_core::ledger::{self, DEVICE_KINDS, SUGGESTED_ROLES};
use tenken_core::store::{Device, Store};

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
    AddDevice(DeviceArgs),
    /// 機器を削除する (remove a manually added device)
    RemoveDevice {
        /// 機器名 / device name
        name: String,
    },
}

#[derive(Debug, clap::Args)]
struct DeviceArgs {
    /// 種類 / kind: router, vpn, utm, modality, printer, other
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
    /// 開いているポート / open ports
    #[arg(long, default_value = "")]
    ports: String,
}

/// Runs `tenken ledger`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut store = Store::open_default(ctx.data_dir.as_deref())?;
    match args.command {
        Some(Sub::Role { host, role }) => {
            store.set_host_role(&host, &role)?;
            println!("{host}: {role}");
            if !SUGGESTED_ROLES.contains(&role.as_str()) {
                eprintln!(
                    "{}: {}",
                    ctx.t("よく使う役割", "suggested roles"),
                    SUGGESTED_ROLES.join(", ")
                );
            }
            Ok(0)
        }
        Some(Sub::AddDevice(d)) => {
            if !DEVICE_KINDS.contains(&d.kind.as_str()) {
                anyhow::bail!(
                    "{}: {} ({})",
                    ctx.t("種類が正しくありません", "unknown kind"),
                    d.kind,
                    DEVICE_KINDS.join(", ")
                );
            }
            if d.managed_by != "clinic" && !d.managed_by.starts_with("vendor:") {
                anyhow::bail!(
                    "{}",
                    ctx.t(
                        "--managed-by は clinic か vendor:<事業者名> です",
                        "--managed-by must be clinic or vendor:<name>"
                    )
                );
            }
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
            };
            store.upsert_device(&dev)?;
            println!(
                "{}: {}",
                ctx.t("機器を登録しました", "device saved"),
                dev.name
            );
            Ok(0)
        }
        Some(Sub::RemoveDevice { name }) => {
            if store.remove_device(&name)? {
                println!("{}: {name}", ctx.t("削除しました", "removed"));
                Ok(0)
            } else {
                eprintln!(
                    "{}: {name}",
                    ctx.t("その機器はありません", "no such device")
                );
                Ok(1)
            }
        }
        None => {
            let aid = super::import::clinic_assessment(ctx, &store, args.assessment)?;
            let l =
                ledger::build(&store, aid).context(ctx.t("台帳を作れません", "ledger failed"))?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&l)?);
            } else if args.csv {
                print!("{}", l.to_csv(ctx.lang));
            } else {
                let hdr = ledger::headers(ctx.lang);
                for row in l.table(ctx.lang) {
                    println!("──");
                    for (h, v) in hdr.iter().zip(row) {
                        if !v.is_empty() {
                            println!("  {h}: {v}");
                        }
                    }
                }
                if l.hosts.is_empty() && l.devices.is_empty() {
                    println!(
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
