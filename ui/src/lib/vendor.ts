// Pure logic of the Vendor sheet screen (tested with Vitest): what a vendor's status line
// says, and the drafts of the answers entered in the app.
import type { AnswerDto } from './bindings/AnswerDto';
import type { ItemView } from './bindings/ItemView';
import type { VendorStateDto } from './bindings/VendorStateDto';
import { answerProblem, blankAnswer, rowKey } from './logic';

/** i18n key of the status word (未依頼 / 依頼済み / 回答済み / 要確認). */
export function progressKey(v: VendorStateDto): string {
  return `vendor.progress.${v.progress}`;
}

/** i18n keys and values of the detail line under the status word, in order. */
export function statusDetails(v: VendorStateDto): { key: string; vars?: Record<string, string | number> }[] {
  const out: { key: string; vars?: Record<string, string | number> }[] = [];
  if (v.progress === 'not_requested') return [{ key: 'vendor.detail.notRequested' }];
  if (v.progress === 'requested') {
    out.push({ key: 'vendor.detail.requestedOn', vars: { date: v.updated_on ?? '' } });
    return out;
  }
  out.push({ key: 'vendor.detail.answeredOn', vars: { date: v.updated_on ?? '' } });
  if (v.source === 'signed_verified') out.push({ key: 'vendor.detail.signedVerified', vars: { signer: v.signer ?? '' } });
  else if (v.source === 'signed_unverified') out.push({ key: 'vendor.detail.signedUnverified', vars: { signer: v.signer ?? '' } });
  else if (v.source === 'by_hand') out.push({ key: 'vendor.detail.byHand' });
  out.push({ key: 'vendor.detail.rows', vars: { answered: v.answered, rows: v.rows } });
  if (v.no > 0) out.push({ key: 'vendor.detail.no', vars: { n: v.no } });
  if (v.answered < v.rows) out.push({ key: 'vendor.detail.open', vars: { n: v.rows - v.answered } });
  return out;
}

/** One draft per item x scope row: the stored answer, or a blank one dated `day`. */
export function sheetDrafts(items: ItemView[], answers: AnswerDto[], day: string): AnswerDto[] {
  const byKey = new Map(answers.map((a) => [rowKey(a.item_id, a.scope), a]));
  return items.flatMap((it) =>
    it.scopes.map((s) => {
      const saved = byKey.get(rowKey(it.id, s));
      return saved ? { ...saved, attachments: [...saved.attachments] } : blankAnswer(it.id, s, day);
    }),
  );
}

/**
 * Whether a draft can be saved now: null when it can, 'skip' while it is still unanswered,
 * otherwise the i18n key of the problem (e.g. いいえ without 目標日).
 */
export function draftProblem(d: AnswerDto): string | null | 'skip' {
  if (d.value === 'unanswered') return 'skip';
  return answerProblem(d);
}

/** The answer sent to the app: 目標日 only with いいえ. */
export function toSave(d: AnswerDto): AnswerDto {
  return { ...d, target_date: d.value === 'no' ? d.target_date : null };
}
