//! `tenken profile`: show, set or import the clinic profile (医療機関名, 所在地, 管理者,
//! 安全管理責任者, systems, vendors). A change is copied into this fiscal year's assessments so
//! the next report shows it; earlier years keep the profile they were made with.

use std::path::PathBuf;

use anyhow::{Context, bail};
use tenken_core::assessment::{ClinicProfile, Vendor, fiscal_year_of};
use tenken_core::store::Store;

use crate::ctx::Ctx;

/// Arguments of `tenken profile`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProfileCommand {
    /// 医療機関の情報を表示する (show the clinic profile)
    Show {
        /// JSONで出力 (print JSON)
        #[arg(long)]
        json: bool,
    },
    /// 医療機関の情報を設定する（指定した項目だけ変更） (set fields; others are kept)
    Set(SetArgs),
    /// TOMLファイルから取り込む（全体を置き換え） (import a profile.toml, replacing the profile)
    Import {
        /// profile.toml
        file: PathBuf,
    },
}

/// Fields of `tenken profile set`; only the given ones change.
#[derive(Debug, clap::Args)]
struct SetArgs {
    /// 医療機関名 (clinic name)
    #[arg(long)]
    name: Option<String>,
    /// 所在地 (address)
    #[arg(long)]
    address: Option<String>,
    /// 管理者・院長 (administrator)
    #[arg(long)]
    administrator: Option<String>,
    /// 医療情報システム安全管理責任者 (security officer)
    #[arg(long)]
    security_officer: Option<String>,
    /// 利用しているシステム（繰り返し可、指定すると一覧を置き換え） (system in use; repeatable, replaces the list)
    #[arg(long = "system")]
    systems: Vec<String>,
    /// 事業者 "名称,連絡先,システム"（繰り返し可、一覧を置き換え） (vendor "name,contact,systems"; repeatable, replaces the list)
    #[arg(long = "vendor")]
    vendors: Vec<String>,
    /// 点検者（今年度の点検を行う人）/ who carries out this fiscal year's assessment
    #[arg(long)]
    assessor: Option<String>,
    /// 点検者の会社（事業者が点検するとき）/ the assessor's company, when a vendor does it
    #[arg(long, requires = "assessor")]
    assessor_company: Option<String>,
}

/// Parses `名称,連絡先,システム` (full-width commas too; several systems separated by `/` or `;`).
fn parse_vendor(spec: &str) -> anyhow::Result<Vendor> {
    let normalized = spec.replace(['，', '、'], ",");
    let mut parts = normalized.splitn(3, ',').map(str::trim);
    let name = parts.next().unwrap_or_default().to_string();
    if name.is_empty() {
        bail!("vendor {spec:?}: 名称 (name) is empty; expected \"名称,連絡先,システム\"");
    }
    let contact = parts.next().unwrap_or_default().to_string();
    let systems = parts
        .next()
        .unwrap_or_default()
        .split(['/', ';', '／'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Vendor {
        name,
        contact,
        systems,
    })
}

fn unset(ctx: &Ctx, value: &str) -> String {
    if value.trim().is_empty() {
        ctx.t("未設定", "not set").to_string()
    } else {
        value.to_string()
    }
}

fn print_profile(ctx: &Ctx, p: &ClinicProfile) {
    outln!("{}: {}", ctx.t("医療機関名", "Clinic"), unset(ctx, &p.name));
    outln!("{}: {}", ctx.t("所在地", "Address"), unset(ctx, &p.address));
    outln!(
        "{}: {}",
        ctx.t("管理者", "Administrator"),
        unset(ctx, &p.administrator)
    );
    outln!(
        "{}: {}",
        ctx.t("医療情報システム安全管理責任者", "Security officer"),
        unset(ctx, &p.security_officer)
    );
    outln!(
        "{}: {}",
        ctx.t("利用システム", "Systems"),
        unset(ctx, &p.systems.join(ctx.t("、", ", ")))
    );
    if p.vendors.is_empty() {
        outln!("{}: {}", ctx.t("事業者", "Vendors"), unset(ctx, ""));
    } else {
        outln!("{}:", ctx.t("事業者", "Vendors"));
        for v in &p.vendors {
            outln!(
                "  - {} / {} / {}",
                v.name,
                unset(ctx, &v.contact),
                unset(ctx, &v.systems.join(ctx.t("、", ", ")))
            );
        }
    }
}

/// Saves the profile and copies it into this fiscal year's assessments; reports what changed.
fn save(ctx: &Ctx, store: &mut Store, profile: &ClinicProfile) -> anyhow::Result<()> {
    store.set_profile(profile)?;
    let fy = fiscal_year_of(chrono::Local::now().date_naive());
    let n = store.apply_profile_to_fiscal_year(fy, profile)?;
    outln!(
        "{}",
        ctx.t("医療機関の情報を保存しました", "clinic profile saved")
    );
    if n > 0 {
        outln!(
            "{} ({n})",
            ctx.t(
                "今年度の点検にも反映しました",
                "applied to this fiscal year's assessments"
            )
        );
    }
    Ok(())
}

/// Runs `tenken profile`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let mut session = ctx.session()?;
    match args.command {
        ProfileCommand::Show { json } => {
            let profile = session.store().get_profile()?;
            if json {
                crate::out::json(&serde_json::to_string_pretty(&profile.unwrap_or_default())?);
            } else {
                match profile {
                    Some(p) => print_profile(ctx, &p),
                    None => {
                        outln!(
                            "{}",
                            ctx.t(
                                "医療機関の情報はまだ設定されていません (`tenken profile set --name ...`)",
                                "no clinic profile yet (`tenken profile set --name ...`)"
                            )
                        );
                        print_profile(ctx, &ClinicProfile::default());
                    }
                }
            }
            Ok(0)
        }
        ProfileCommand::Set(set) => {
            let mut profile = session.store().get_profile()?.unwrap_or_default();
            let vendors = set
                .vendors
                .iter()
                .map(|v| parse_vendor(v))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut changed = false;
            for (field, value) in [
                (&mut profile.name, set.name),
                (&mut profile.address, set.address),
                (&mut profile.administrator, set.administrator),
                (&mut profile.security_officer, set.security_officer),
            ] {
                if let Some(v) = value {
                    *field = v.trim().to_string();
                    changed = true;
                }
            }
            if !set.systems.is_empty() {
                profile.systems = set
                    .systems
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                changed = true;
            }
            if !vendors.is_empty() {
                profile.vendors = vendors;
                changed = true;
            }
            if let Some(name) = set.assessor.as_deref().map(str::trim) {
                // 点検者 belongs to this fiscal year's own assessment (created when missing).
                let a = session.assessment(tenken_core::Which::ThisYear)?;
                let company = set
                    .assessor_company
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string);
                session.store_mut().set_assessor(
                    a.id,
                    &tenken_core::assessment::Assessor {
                        name: name.to_string(),
                        company,
                    },
                )?;
                outln!(
                    "{}: {name}（{} {}）",
                    ctx.t("点検者を設定しました", "assessor set"),
                    ctx.t("点検", "assessment"),
                    a.id
                );
                if !changed {
                    return Ok(0);
                }
            }
            if !changed {
                bail!(
                    "{}",
                    ctx.t(
                        "変更する項目を指定してください（例: --name 医療機関名）",
                        "nothing to set (e.g. --name \"Clinic name\")"
                    )
                );
            }
            save(ctx, session.store_mut(), &profile)?;
            print_profile(ctx, &profile);
            Ok(0)
        }
        ProfileCommand::Import { file } => {
            // Refused whole (unknown keys, wrong values, not UTF-8) before anything changes;
            // fields the file does not mention are kept.
            let text = tenken_core::textfile::read_utf8(&file)?;
            let patch = tenken_core::assessment::profile_file::ProfilePatch::parse(&text)
                .with_context(|| file.display().to_string())?;
            let current = session.store().get_profile()?.unwrap_or_default();
            let profile = patch.applied_to(&current);
            save(ctx, session.store_mut(), &profile)?;
            print_profile(ctx, &profile);
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn vendor_spec_parses_name_contact_and_systems() {
        let v = parse_vendor("ABCメディカル，03-1234-5678，電子カルテ/レセコン").unwrap();
        assert_eq!(v.name, "ABCメディカル");
        assert_eq!(v.contact, "03-1234-5678");
        assert_eq!(v.systems, vec!["電子カルテ", "レセコン"]);
        let v = parse_vendor("XYZ").unwrap();
        assert_eq!((v.contact.as_str(), v.systems.len()), ("", 0));
        assert!(parse_vendor(" ,03").is_err());
    }
}
