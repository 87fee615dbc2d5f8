//! `tenken checklist`: list, show, validate and import checklists.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tenken_core::Lang;
use tenken_core::checklist::{self, Checklist, ChecklistError, ProvenanceTag};

use crate::ctx::Ctx;

/// Arguments of `tenken checklist`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// チェックリストの一覧 (list the checklists)
    List {
        /// JSON で出力 / print JSON
        #[arg(long)]
        json: bool,
    },
    /// チェックリストの内容を表示 (show one checklist)
    Show {
        /// チェックリストID (例: mhlw-r7) / checklist id
        id: String,
        /// JSON で出力 / print JSON
        #[arg(long)]
        json: bool,
    },
    /// チェックリストファイルを検証 (validate checklist files or folders)
    Validate {
        /// TOML ファイルまたはフォルダ / TOML files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// 厚生労働省のチェックリスト（.xlsx）を取り込む。令和8年度版は2つのブック（医療機関・薬局確認用、事業者確認用）を一度に、または1つずつ
    /// (import MHLW checklist workbooks: the two R8 files together or one at a time)
    Import {
        /// 取り込むブック（1つまたは2つ） / the workbooks (one or two)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 確認が必要な点（表示されます）を確かめたうえで取り込む / import although some points need confirmation (they are shown)
        #[arg(long)]
        confirm: bool,
        /// 取り込み結果を JSON で出力 / print the import plan as JSON
        #[arg(long)]
        json: bool,
    },
}

/// The data directory: `--data-dir` / `TENKEN_DATA_DIR`, else the OS app-data directory.
fn data_dir(ctx: &Ctx) -> Option<PathBuf> {
    Some(ctx.data_path())
}

/// Runs `tenken checklist`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<u8> {
    let result = match args.command {
        Command::List { json } => list(ctx, json),
        Command::Show { id, json } => show(ctx, &id, json),
        Command::Validate { paths } => Ok(validate(ctx, &paths)),
        Command::Import {
            files,
            confirm,
            json,
        } => import(ctx, &files, confirm, json),
    };
    // `tenken checklist show mhlw-r7 | head` closes the pipe early: not an error.
    match result {
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(0)
        }
        other => other,
    }
}

fn list(ctx: &Ctx, json: bool) -> anyhow::Result<u8> {
    let dir = data_dir(ctx);
    let all = checklist::all(dir.as_deref())?;
    let mut out = crate::out::stdout();
    if json {
        let v: Vec<_> = all
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id,
                    "title": c.title.get(ctx.lang),
                    "fiscal_year": c.fiscal_year,
                    "kind": c.kind,
                    "sheets": c.sheets.iter().map(|s| serde_json::json!({
                        "id": s.id,
                        "title": s.title.get(ctx.lang),
                        "items": c.sheet_items(&s.id).count(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        crate::out::json(&serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    for c in &all {
        let sheets: Vec<String> = c
            .sheets
            .iter()
            .map(|s| format!("{} {}", s.title.get(ctx.lang), c.sheet_items(&s.id).count()))
            .collect();
        writeln!(
            out,
            "{:<22} {} [{}] ({})",
            c.id,
            c.title.get(ctx.lang),
            c.fiscal_year,
            sheets.join(", ")
        )?;
    }
    Ok(0)
}

/// The mark shown after a wording, by provenance.
fn mark(tag: ProvenanceTag, lang: Lang) -> &'static str {
    match tag {
        ProvenanceTag::Checked => "",
        ProvenanceTag::Quoted => lang.pick(
            "※二次資料が引用した公式文言",
            "(official wording as quoted by a secondary source)",
        ),
        ProvenanceTag::Secondary => lang.pick(
            "※二次資料による文言（公式文言と異なる可能性があります）",
            "(secondary-source wording; may differ from the official text)",
        ),
        ProvenanceTag::Reconstructed => lang.pick(
            "※再構成（公式文言ではありません）",
            "(reconstructed; not the official wording)",
        ),
        ProvenanceTag::Imported => {
            lang.pick("※取り込んだブックの文言", "(from the imported workbook)")
        }
        ProvenanceTag::Tenken => lang.pick(
            "※Tenken の推奨（公式項目ではありません）",
            "(Tenken advice; not an official item)",
        ),
    }
}

fn show(ctx: &Ctx, id: &str, json: bool) -> anyhow::Result<u8> {
    let dir = data_dir(ctx);
    let c = match checklist::find(id, dir.as_deref()) {
        Ok(c) => c,
        Err(ChecklistError::NotFound(_)) => {
            errln!(
                "{}: {id}",
                ctx.t("チェックリストが見つかりません", "checklist not found")
            );
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = crate::out::stdout();
    if json {
        crate::out::json(&serde_json::to_string_pretty(&c)?);
        return Ok(0);
    }
    write_listing(&mut out, &c, ctx.lang)?;
    Ok(0)
}

fn write_listing(out: &mut impl Write, c: &Checklist, lang: Lang) -> std::io::Result<()> {
    let l = |ja, en| lang.pick(ja, en);
    writeln!(out, "{}  ({})", c.title.get(lang), c.id)?;
    writeln!(
        out,
        "{}: {} {}",
        l("出典", "Source"),
        c.source.title,
        c.source.date
    )?;
    if let Some(u) = &c.source.url {
        writeln!(out, "  {u}")?;
    }
    writeln!(out, "{}: {}", l("利用条件", "Terms"), c.source.license_note)?;
    for sheet in &c.sheets {
        writeln!(out)?;
        writeln!(out, "■ {}", sheet.title.get(lang))?;
        for sec in &c.sections {
            let items: Vec<_> = sec
                .items
                .iter()
                .filter(|i| i.sheets.contains(&sheet.id))
                .collect();
            if items.is_empty() {
                continue;
            }
            writeln!(out, "  {} {}", sec.id, sec.title.get(lang))?;
            for i in items {
                let m = mark(i.provenance.tag, lang);
                write!(out, "    {}  {}", i.number, i.text.get(lang))?;
                if !m.is_empty() {
                    write!(out, " {m}")?;
                }
                writeln!(out)?;
                if !i.scopes.is_empty() {
                    let s: Vec<_> = i.scopes.iter().map(|s| s.label(lang)).collect();
                    writeln!(out, "        {}: {}", l("対象", "Rows"), s.join(" / "))?;
                }
                if let Some(d) = &i.deadline {
                    writeln!(out, "        {}: {}", l("期限", "Deadline"), d.get(lang))?;
                }
                if i.new_in_version {
                    writeln!(
                        out,
                        "        {}",
                        l("【今年度の新規項目】", "[new in this version]")
                    )?;
                }
                if i.gate {
                    writeln!(
                        out,
                        "        {}",
                        l(
                            "（「いいえ」の場合、以下の項目は確認不要）",
                            "(if No, the remaining items are not needed)"
                        )
                    )?;
                }
                if let Some(n) = &i.provenance.note {
                    writeln!(out, "        {}: {}", l("注", "Note"), note_in(n, lang))?;
                }
            }
        }
    }
    Ok(())
}

/// Notes are written `日本語 / English` (parts joined by `; `); picks the language's halves.
fn note_in(note: &str, lang: Lang) -> String {
    note.split("; ")
        .map(|part| match part.split_once(" / ") {
            Some((ja, en)) => lang.pick(ja, en).trim().to_string(),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(lang.pick("。", "; "))
}

/// Prints `file:line:col: message` for every problem; 0 when all valid, 1 otherwise.
fn validate(ctx: &Ctx, paths: &[PathBuf]) -> u8 {
    let mut bad = false;
    for p in paths {
        let result = if p.is_dir() {
            checklist::load_dir(p).map(|v| v.len())
        } else {
            checklist::load_file(p).map(|_| 1)
        };
        match result {
            Ok(n) => outln!("{}: OK ({n} {})", p.display(), ctx.t("件", "checklists")),
            Err(e) => {
                bad = true;
                match &e {
                    ChecklistError::Invalid(d) => d.iter().for_each(|d| outln!("{d}")),
                    other => outln!("{}: {other}", p.display()),
                }
            }
        }
    }
    u8::from(bad)
}

fn import(ctx: &Ctx, files: &[PathBuf], confirm: bool, json: bool) -> anyhow::Result<u8> {
    let dir = data_dir(ctx).context(ctx.t(
        "データの保存場所が分かりません（--data-dir を指定してください）",
        "no data directory (use --data-dir)",
    ))?;
    let failed = ctx.t("取り込めませんでした", "import failed");
    let known = match checklist::all(Some(&dir)) {
        Ok(k) => k,
        Err(e) => {
            errln!("{failed}: {}", e.in_lang(ctx.lang));
            return Ok(1);
        }
    };
    let plan = match checklist::plan_import(files, &known) {
        Ok(p) => p,
        Err(e) => {
            errln!("{failed}: {}", e.in_lang(ctx.lang));
            return Ok(1);
        }
    };
    let mut out = crate::out::stdout();
    if json {
        crate::out::json(&serde_json::to_string_pretty(&plan)?);
    } else {
        write_plan(&mut out, &plan, ctx.lang)?;
    }
    if plan.needs_confirmation() && !confirm {
        errln!(
            "{}",
            ctx.t(
                "「要確認」の点があるため、まだ取り込んでいません。内容を確かめ、よければ --confirm を付けてもう一度実行してください。",
                "Nothing was imported: some points need confirmation (marked above). Check them and run again with --confirm.",
            )
        );
        return Ok(2);
    }
    let path = plan.save(&dir)?;
    let c = &plan.checklist;
    writeln!(
        out,
        "{}: {} ({} {}) -> {}",
        ctx.t("取り込みました", "imported"),
        c.id,
        c.items().count(),
        ctx.t("項目", "items"),
        path.display()
    )?;
    Ok(0)
}

/// What an import found: files and hashes, items with their link to the previous version, and
/// every point to confirm.
fn write_plan(
    out: &mut impl Write,
    plan: &checklist::ImportPlan,
    lang: Lang,
) -> std::io::Result<()> {
    let l = |ja, en| lang.pick(ja, en);
    let c = &plan.checklist;
    writeln!(out, "{}  ({}, {})", c.title.get(lang), c.id, c.fiscal_year)?;
    if let Some(to) = &plan.adds_to {
        writeln!(
            out,
            "{}: {to}",
            l("既存のチェックリストにシートを追加", "adds sheets to")
        )?;
    }
    for f in &plan.files {
        writeln!(
            out,
            "  {}  [{}] {} {}  sha256:{}",
            f.name,
            f.worksheet,
            f.items,
            l("項目", "items"),
            f.sha256
        )?;
    }
    let prev = c.previous.as_deref().unwrap_or("-");
    writeln!(out)?;
    writeln!(
        out,
        "{} ({prev}):",
        l("項目と前の版との対応", "Items and the previous version")
    )?;
    for link in &plan.links {
        let status = if link.previous_ids.is_empty() {
            if c.previous.is_some() {
                l("新規", "new").to_string()
            } else {
                String::new()
            }
        } else {
            format!("<- {}", link.previous_ids.join(", "))
        };
        let mark = if link.unsure {
            l(" 【要確認】", " [confirm]")
        } else {
            ""
        };
        writeln!(out, "  {:<14} {}  {status}{mark}", link.item, link.text)?;
        if link.unsure
            && let Some(t) = &link.previous_text
        {
            writeln!(
                out,
                "        {}: {t} ({}: {:.2})",
                l("前の版の文言", "previous wording"),
                l("類似度", "similarity"),
                link.score
            )?;
        }
    }
    let (confirm, info): (Vec<_>, Vec<_>) = plan.notices.iter().partition(|n| n.confirm);
    for (title, list) in [
        (l("要確認", "To confirm"), confirm),
        (l("お知らせ", "Notes"), info),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{title}:")?;
        for n in list {
            match &n.at {
                Some(at) => writeln!(out, "  [{at}] {}", n.message.get(lang))?,
                None => writeln!(out, "  {}", n.message.get(lang))?,
            }
        }
    }
    Ok(())
}
