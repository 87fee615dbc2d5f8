// Pure front-end logic (tested with Vitest): answer validation, overview, chart shaping, the
// evidence shown beside items, the next thing to do, autosave timing.
import type { AnswerDto } from './bindings/AnswerDto';
import { formatDateTime } from './report';
import type { ContradictionDto } from './bindings/ContradictionDto';
import type { FindingDto } from './bindings/FindingDto';
import type { ItemEvidenceDto } from './bindings/ItemEvidenceDto';
import type { ProfileDto } from './bindings/ProfileDto';
import type { ItemView } from './bindings/ItemView';
import type { ScopeDto } from './bindings/ScopeDto';

/** Today's date in local time as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Key of one answer row. */
/** `list` with `p` in place of the entry of the same step, or appended (progress lists). */
export function upsertStep<T extends { step: string }>(list: T[], p: T): T[] {
  return list.some((s) => s.step === p.step) ? list.map((s) => (s.step === p.step ? p : s)) : [...list, p];
}

export function rowKey(itemId: string, scope: ScopeDto): string {
  return `${itemId}#${scope}`;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isDate(s: string | null | undefined): boolean {
  if (!s || !DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Returns the i18n key of the first problem of an answer, or null when it can be saved. */
export function answerProblem(a: AnswerDto): string | null {
  if (a.checked_on && !isDate(a.checked_on)) return 'answer.err.checkedOn';
  if (a.value === 'no' && !a.target_date) return 'answer.err.targetRequired';
  if (a.target_date && !isDate(a.target_date)) return 'answer.err.targetDate';
  if (a.note.length > 4000) return 'answer.err.noteLong';
  return null;
}

/** A fresh unanswered row with 確認日 defaulting to today. */
export function blankAnswer(itemId: string, scope: ScopeDto, day: string): AnswerDto {
  return {
    item_id: itemId,
    scope,
    value: 'unanswered',
    checked_on: day,
    target_date: null,
    note: '',
    responsible: '',
    attachments: [],
    updated_at: null,
  };
}

/** What the home screen shows. */
export interface Overview {
  /** Items of the checklist, and those with every scope row answered. */
  items: number;
  answeredItems: number;
  rows: number;
  answered: number;
  unanswered: number;
  yes: number;
  no: number;
  notApplicable: number;
  /** いいえ rows whose 目標日 is before today. */
  overdue: AnswerDto[];
  /** いいえ rows with a 目標日 still ahead, soonest first. */
  planned: AnswerDto[];
  /** First item with an unanswered row (the next thing to do), or null. */
  nextItemId: string | null;
}

/** Summarises answers against the checklist's rows. Answers for unknown rows are ignored. */
export function overview(items: ItemView[], answers: AnswerDto[], day: string): Overview {
  const byKey = new Map(answers.map((a) => [rowKey(a.item_id, a.scope), a]));
  const o: Overview = {
    rows: 0, answered: 0, unanswered: 0, yes: 0, no: 0, notApplicable: 0,
    items: items.length, answeredItems: 0,
    overdue: [], planned: [], nextItemId: null,
  };
  for (const item of items) {
    // An item counts as answered when every one of its scope rows is (the checklist and the
    // readiness review count items; rows are shown beside them).
    if (item.scopes.every((scope) => (byKey.get(rowKey(item.id, scope))?.value ?? 'unanswered') !== 'unanswered')) {
      o.answeredItems += 1;
    }
    for (const scope of item.scopes) {
      o.rows += 1;
      const a = byKey.get(rowKey(item.id, scope));
      const v = a?.value ?? 'unanswered';
      if (v === 'unanswered' || !a) {
        o.unanswered += 1;
        o.nextItemId ??= item.id;
        continue;
      }
      o.answered += 1;
      if (v === 'yes') o.yes += 1;
      if (v === 'not_applicable') o.notApplicable += 1;
      if (v === 'no') {
        o.no += 1;
        if (a.target_date && a.target_date < day) o.overdue.push(a);
        else o.planned.push(a);
      }
    }
  }
  o.planned.sort((x, y) => (x.target_date ?? '').localeCompare(y.target_date ?? ''));
  return o;
}

// ---------------------------------------------------------------- evidence (issue 7)

/** Evidence status of one answer row, as the engine reports it. */
export type EvidenceStatus = 'supported' | 'contradicted' | 'review' | 'context' | 'none' | 'unverified';

/** The evidence rows of one item (one per scope row), in the item's scope order. */
export function evidenceOf(evidence: ItemEvidenceDto[], itemId: string): ItemEvidenceDto[] {
  return evidence.filter((e) => e.item_id === itemId);
}

/** Evidence status of one answer row (`none` when the engine sent nothing for it). */
export function rowStatus(evidence: ItemEvidenceDto[], itemId: string, scope: ScopeDto): EvidenceStatus {
  const e = evidence.find((x) => x.item_id === itemId && x.scope === scope);
  return (e?.status as EvidenceStatus | undefined) ?? 'none';
}

/**
 * The most serious verdict among a row's results (`fail` > `warn` > `unknown` > `pass` > `na`), or
 * `null` without results: a 「結果あり」 badge takes this colour, so a 不適合 result is never green.
 */
export function rowWorstVerdict(evidence: ItemEvidenceDto[], itemId: string, scope: ScopeDto): string | null {
  const e = evidence.find((x) => x.item_id === itemId && x.scope === scope);
  const order = ['fail', 'warn', 'unknown', 'pass', 'na'];
  let best: string | null = null;
  for (const f of e?.findings ?? []) {
    const r = order.indexOf(f.verdict);
    if (r >= 0 && (best === null || r < order.indexOf(best))) best = f.verdict;
  }
  return best;
}

/** One item whose answer disagrees with the evidence. */
export interface ContradictionEntry {
  itemId: string;
  scope: ScopeDto;
  messages: ContradictionDto[];
}

/**
 * Every answer row the evidence contradicts (回答と矛盾) or asks to review (要確認: はい or 該当なし
 * against 要改善), in checklist order; each message says which. Answers are never changed.
 */
export function contradictions(evidence: ItemEvidenceDto[]): ContradictionEntry[] {
  return evidence
    .filter((e) => e.contradictions.length > 0)
    .map((e) => ({ itemId: e.item_id, scope: e.scope, messages: e.contradictions }));
}

/** Results of one item across its rows, each host+probe once (the 全般 row repeats the others). */
export function uniqueFindings(rows: ItemEvidenceDto[]): FindingDto[] {
  const seen = new Set<string>();
  const out: FindingDto[] = [];
  for (const r of rows) {
    for (const f of r.findings) {
      const k = `${f.host}\u0000${f.probe_id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
    }
  }
  const rank: Record<string, number> = { fail: 0, warn: 1, unknown: 2, pass: 3, na: 4 };
  return out.sort((a, b) => (rank[a.verdict] ?? 9) - (rank[b.verdict] ?? 9) || a.host.localeCompare(b.host));
}

/** What the home screen suggests next. */
export type NextAction =
  | { kind: 'profile' }
  | { kind: 'contradiction'; itemId: string }
  | { kind: 'answer'; itemId: string }
  | { kind: 'scan' }
  | { kind: 'report' };

/**
 * The next thing to do, in this order: complete the clinic profile (管理者・安全管理責任者),
 * resolve a contradiction (an answer the evidence disagrees with), answer the next item, run the
 * automatic check (never run this year), make the report.
 */
export function nextAction(
  profile: ProfileDto | null,
  o: Overview,
  evidence: ItemEvidenceDto[],
  checkedHosts: number,
): NextAction {
  if (!profile || !profile.name.trim() || !profile.administrator.trim() || !profile.security_officer.trim()) {
    return { kind: 'profile' };
  }
  const c = contradictions(evidence)[0];
  if (c) return { kind: 'contradiction', itemId: c.itemId };
  if (o.nextItemId) return { kind: 'answer', itemId: o.nextItemId };
  if (checkedHosts === 0) return { kind: 'scan' };
  return { kind: 'report' };
}

/** Answer counts of one section (for the home chart). */
export interface SectionCounts {
  section: string;
  yes: number;
  no: number;
  notApplicable: number;
  unanswered: number;
}

/** Answer status per section, sections in checklist order; `label` picks the section's wording. */
export function sectionCounts(
  items: ItemView[],
  answers: AnswerDto[],
  label: (i: ItemView) => string,
): SectionCounts[] {
  const byKey = new Map(answers.map((a) => [rowKey(a.item_id, a.scope), a.value]));
  const out: SectionCounts[] = [];
  for (const item of items) {
    const name = label(item);
    let s = out.find((x) => x.section === name);
    if (!s) {
      s = { section: name, yes: 0, no: 0, notApplicable: 0, unanswered: 0 };
      out.push(s);
    }
    for (const scope of item.scopes) {
      const v = byKey.get(rowKey(item.id, scope)) ?? 'unanswered';
      if (v === 'yes') s.yes += 1;
      else if (v === 'no') s.no += 1;
      else if (v === 'not_applicable') s.notApplicable += 1;
      else s.unanswered += 1;
    }
  }
  return out;
}

/** A horizontal stacked bar in percent of its row (segments with zero width left out). */
export function stackPercent(c: SectionCounts): { kind: 'yes' | 'no' | 'notApplicable' | 'unanswered'; x: number; width: number; count: number }[] {
  const total = c.yes + c.no + c.notApplicable + c.unanswered;
  if (total === 0) return [];
  let x = 0;
  const out = [];
  for (const kind of ['yes', 'no', 'notApplicable', 'unanswered'] as const) {
    const count = c[kind];
    if (count === 0) continue;
    const width = (count / total) * 100;
    out.push({ kind, x, width, count });
    x += width;
  }
  return out;
}

/** File size in plain units (bytes, KB, MB). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Local date and time `YYYY-MM-DD HH:MM` of an RFC 3339 time ('' when missing or unreadable). */
export function formatTime(rfc3339: string | null | undefined, lang: 'ja' | 'en' = 'ja'): string {
  if (!rfc3339) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '';
  // One style everywhere in the app (the report screen's): 2026年11月20日 9:05, local time.
  return formatDateTime(rfc3339, lang);
}

/**
 * Calls `fn` once `ms` after the last `run()` (typing is saved when the person pauses);
 * `flush()` runs a pending call at once (leaving the item), `cancel()` drops it.
 */
export function debounce(fn: () => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    run() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    },
    flush() {
      if (!timer) return;
      clearTimeout(timer);
      timer = null;
      fn();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
    get pending() {
      return timer !== null;
    },
  };
}

/**
 * The kept results of consented network checks, most telling group first. Grouped by the kind the
 * engine declares for each probe (`network`), never by the probe id: `net.gateway` and `net.peers`
 * only read this PC and are not network checks.
 */
export function networkFindings(groups: ReadonlyArray<{ findings: FindingDto[] }>): FindingDto[] {
  return groups.flatMap((g) => g.findings.filter((f) => f.network));
}
