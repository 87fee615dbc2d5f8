//! Types of the evidence views (checklist side panel, automatic check, home, network check,
//! devices) that cross into the UI; TypeScript in `ui/src/lib/bindings/` via ts-rs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::dto::{ScopeDto, TextDto};

/// Who can check an item the probes leave 未確認: `tenken_core::assessment::results::Checker`.
pub use tenken_core::assessment::results::Checker as CheckerDto;

/// A checklist item a finding speaks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemLinkDto {
    /// Item id (to open it).
    pub id: String,
    /// Number as printed.
    pub number: String,
}

/// One automatic-check result of one host, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FindingDto {
    /// Host (PC name) the result is about.
    pub host: String,
    /// Probe id (stable).
    pub probe_id: String,
    /// True when the result comes from a consented network check; false when the probe only read
    /// this PC (the kind the evidence registry declares, never guessed from the id).
    pub network: bool,
    /// Title.
    pub title: TextDto,
    /// `pass`, `warn`, `fail`, `unknown` or `na`.
    pub verdict: String,
    /// What was found, in one line.
    pub summary: TextDto,
    /// What to do (empty when nothing is needed).
    pub action: TextDto,
    /// Why it could not be checked (only for `unknown`).
    pub reason: Option<TextDto>,
    /// How a 未確認 result can still be checked (only for `unknown`).
    pub how_to_check: Option<TextDto>,
    /// Who can still check a 未確認 result (only for `unknown`; from the evidence registry).
    pub who_can_check: Option<CheckerDto>,
    /// Checklist items of the current checklist this result supports.
    pub items: Vec<ItemLinkDto>,
    /// When the host's check ended (RFC 3339).
    pub checked_at: String,
}

/// A disagreement between a person's answer and a result (the answer is never changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContradictionDto {
    /// Host of the result.
    pub host: String,
    /// Probe id of the result.
    pub probe_id: String,
    /// `yes_but_fail`, `na_but_fail` or `no_but_pass` (回答と矛盾), or `yes_but_warn` or
    /// `na_but_warn` (要確認: a second look, not a contradiction).
    pub kind: String,
    /// Plain explanation.
    pub message: TextDto,
}

/// The evidence of one item and scope row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemEvidenceDto {
    /// Item id.
    pub item_id: String,
    /// Scope row.
    pub scope: ScopeDto,
    /// `supported` (green), `contradicted` (回答と矛盾), `review` (要確認), `context` (related facts
    /// only, never green), `unverified` (all 未確認) or `none`.
    pub status: String,
    /// Results that speak to this row.
    pub findings: Vec<FindingDto>,
    /// Flagged contradictions with the answer.
    pub contradictions: Vec<ContradictionDto>,
}

/// Number of results per verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct VerdictCountsDto {
    /// 適合.
    pub pass: u32,
    /// 要改善.
    pub warn: u32,
    /// 不適合.
    pub fail: u32,
    /// 未確認.
    pub unknown: u32,
    /// 該当なし.
    pub na: u32,
}

/// The last automatic check of one host kept with this fiscal year's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HostCheckDto {
    /// Host name.
    pub host: String,
    /// OS name and version.
    pub os: String,
    /// When the check ended (RFC 3339).
    pub checked_at: String,
    /// Results per verdict.
    pub counts: VerdictCountsDto,
    /// Whether network results are included.
    pub network: bool,
    /// Whether it was replayed from a recording.
    pub replayed: bool,
}

/// Results of one meaning group (`action_needed`, `improve`, `unverified`, `ok`, `not_applicable`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResultGroupDto {
    /// Group id.
    pub group: String,
    /// Results, in display order.
    pub findings: Vec<FindingDto>,
}

/// Everything the automatic check keeps for this fiscal year, grouped by meaning.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ScanResultsDto {
    /// Checked hosts, most recent first.
    pub hosts: Vec<HostCheckDto>,
    /// Results grouped by meaning (empty groups left out).
    pub groups: Vec<ResultGroupDto>,
}

/// What a network check found and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NetworkOutcomeDto {
    /// Results of the network check.
    pub findings: Vec<FindingDto>,
    /// Host the results were kept with.
    pub host: String,
}

/// One row of the device ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeviceRowDto {
    /// Host or device name.
    pub host: String,
    /// `scanned` (Tenken ran there) or `manual` (entered by hand).
    pub source: String,
    /// OS name and build (or the device kind).
    pub os: String,
    /// IP addresses.
    pub ips: Vec<String>,
    /// Role (受付PC…), if set.
    pub role: Option<String>,
    /// Date of the last update, if known.
    pub last_update: Option<String>,
    /// Antivirus verdict (`pass`…), `None` = 未確認.
    pub antivirus: Option<String>,
    /// Firewall verdict, `None` = 未確認.
    pub firewall: Option<String>,
    /// Risky ports, `None` = 未確認.
    pub risky_ports: Option<Vec<String>>,
    /// When it was last checked (RFC 3339), if scanned.
    pub last_seen: Option<String>,
    /// `verified`, `unverified` or `unchecked` (signature check on import; `manual` for hand entries).
    pub signature: String,
    /// Who signed the bundle, when known.
    pub signer: Option<String>,
    /// Checks with 不適合 on this PC (0 for hand entries).
    pub fails: u32,
    /// Checks with 未確認 on this PC (0 for hand entries).
    pub unknowns: u32,
}

/// PCs of one role in the fleet overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoleCountDto {
    /// The role (empty: not set).
    pub role: String,
    /// PCs with that role.
    pub hosts: u32,
    /// PCs with at least one 不適合.
    pub with_fail: u32,
    /// PCs with at least one 未確認.
    pub with_unknown: u32,
    /// PCs not checked for more than `stale_days` days.
    pub stale: u32,
}

/// A problem found on several PCs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TopProblemDto {
    /// The check's title.
    pub title: TextDto,
    /// `fail` or `warn`.
    pub verdict: String,
    /// PCs it was found on.
    pub hosts: u32,
    /// The first of them, by name.
    pub examples: Vec<String>,
}

/// A PC not checked for weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StalePcDto {
    /// Host name.
    pub host: String,
    /// Its last check (RFC 3339).
    pub last_seen: String,
}

/// What a hospital reads first about its PCs: per role, not checked for weeks, the problems
/// found on the most PCs (the same summary as the report's 3-0 and `tenken ledger`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FleetOverviewDto {
    /// PCs checked.
    pub pcs: u32,
    /// A PC is "not checked for weeks" after this many days.
    pub stale_days: u32,
    /// PCs per role, most PCs first (not set last).
    pub roles: Vec<RoleCountDto>,
    /// PCs not checked for more than `stale_days`, oldest first.
    pub stale: Vec<StalePcDto>,
    /// Problems found on the most PCs, 不適合 first (at most 10).
    pub top: Vec<TopProblemDto>,
    /// Roles offered when setting a PC's role (any other short label is accepted too).
    pub suggested_roles: Vec<String>,
}

/// Result of importing one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportResultDto {
    /// File name.
    pub file: String,
    /// `verified` (imported, trusted signer), `untrusted` (signed by someone not trusted: refused),
    /// `invalid` (unsigned, tampered or not a Tenken file: refused).
    pub status: String,
    /// Host of the imported bundle.
    pub host: Option<String>,
    /// Signer, when known.
    pub signer: Option<String>,
    /// Plain explanation.
    pub message: TextDto,
}

/// One thing the network check would contact, for the consent dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanEntryDto {
    /// Address (IP, or multicast group and port); empty when none was found.
    pub address: String,
    /// What it is and what is done with it, in plain words.
    pub what: TextDto,
    /// True when it will NOT be contacted (never-touch list, not found, not a LAN address).
    pub skipped: bool,
}

/// What the network check would contact, shown before consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NetworkPlanDto {
    /// One-time id of this plan: `start_network_check` runs only with it, within minutes, on
    /// exactly these targets (the backend keeps them).
    pub consent_id: String,
    /// Targets the check would run on (as kept by the backend).
    pub targets: Vec<String>,
    /// Everything that would be contacted (or skipped), in plain words.
    pub entries: Vec<PlanEntryDto>,
    /// Number of entries on the never-touch list (always honoured).
    pub never_touch: u32,
}

/// One catalogue product a network device matched (CISA KEV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KevFlagDto {
    /// CISA's vendor.
    pub vendor: String,
    /// CISA's product.
    pub product: String,
    /// CVE ids, newest first.
    pub cves: Vec<String>,
    /// Used by ransomware campaigns.
    pub ransomware: bool,
}

/// One row of the network device ledger (外部接続ネットワーク装置一覧).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NetDeviceDto {
    /// Name (the hand-entered name, else the IP address).
    pub name: String,
    /// Kind (router, vpn, utm, wifi_ap, lte_router, nas, modality, printer, other; empty when
    /// only found by the network check).
    pub kind: String,
    /// IP address.
    pub ip: String,
    /// Maker.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    pub firmware: String,
    /// Last firmware update (`YYYY-MM-DD`).
    pub firmware_updated: String,
    /// What the device said about itself.
    pub announced: Vec<String>,
    /// Where it stands.
    pub location: String,
    /// What it is used for.
    pub purpose: String,
    /// `clinic`, `vendor:<name>` or empty.
    pub managed_by: String,
    /// Connection partner.
    pub partner: String,
    /// Partner's global IP.
    pub partner_ip: String,
    /// Connection method.
    pub method: String,
    /// Allowed ports.
    pub ports: String,
    /// `yes`, `no` or empty.
    pub maintenance: String,
    /// `manual`, `found` or `both`.
    pub source: String,
    /// When the network check saw it (RFC 3339).
    pub checked_at: Option<String>,
    /// `flagged`, `not_listed`, `stale` or `unidentified`.
    pub kev_state: String,
    /// Matched catalogue products.
    pub kev: Vec<KevFlagDto>,
    /// Catalogue date the state was judged by.
    pub kev_date: String,
    /// Answers SNMP `public`.
    pub snmp_public: bool,
    /// Possibly another way out besides the router.
    pub shadow: bool,
    /// This PC's router.
    pub gateway: bool,
}

/// A device entered or edited by hand in the app (checked whole by the engine before saving).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeviceInputDto {
    /// Kind.
    pub kind: String,
    /// Name (same name = edit).
    pub name: String,
    /// Maker.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Firmware version.
    pub firmware: String,
    /// Last firmware update (`YYYY-MM-DD`) or empty.
    pub firmware_updated: String,
    /// IP address or empty.
    pub ip: String,
    /// Where it stands.
    pub location: String,
    /// What it is used for.
    pub purpose: String,
    /// `clinic` or `vendor:<name>`.
    pub managed_by: String,
    /// Connection partner.
    pub partner: String,
    /// Partner's global IP.
    pub partner_ip: String,
    /// Connection method.
    pub method: String,
    /// Allowed ports.
    pub ports: String,
    /// `yes`, `no` or empty.
    pub maintenance: String,
}

/// The known-exploited catalogue in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KevInfoDto {
    /// CISA's catalogue version.
    pub version: String,
    /// Release date (`YYYY-MM-DD`).
    pub date: String,
    /// Entries.
    pub count: u32,
    /// Older than 31 days.
    pub stale: bool,
    /// `builtin` or `installed`.
    pub origin: String,
}
