// Pure front-end logic (tested with Vitest): answer validation, overview, chart shaping.
import type { AnswerDto } from './bindings/AnswerDto';
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
    overdue: [], planned: [], nextItemId: null,
  };
  for (const item of items) {
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

/** One year of history. */
export interface YearCounts {
  year: number;
  yes: number;
  no: number;
  notApplicable: number;
  unanswered: number;
}

/** A stacked bar of the trend chart, in SVG user units. */
export interface Bar {
  year: number;
  x: number;
  segments: { kind: 'yes' | 'no' | 'notApplicable' | 'unanswered'; y: number; height: number; count: number }[];
}

/** Shapes history into stacked bars (oldest left) of a chart `height` tall, bars `width` apart. */
export function trendBars(history: YearCounts[], height: number, width: number): Bar[] {
  const sorted = [...history].sort((a, b) => a.year - b.year);
  const max = Math.max(1, ...sorted.map((h) => h.yes + h.no + h.notApplicable + h.unanswered));
  return sorted.map((h, i) => {
    let y = height;
    const segments = (['yes', 'no', 'notApplicable', 'unanswered'] as const).map((kind) => {
      const count = h[kind];
      const hgt = (count / max) * height;
      y -= hgt;
      return { kind, y, height: hgt, count };
    });
    return { year: h.year, x: i * width, segments };
  });
}
