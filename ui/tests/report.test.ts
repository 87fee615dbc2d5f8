import { describe, expect, it } from 'vitest';
import {
  fiscalYearLabel, fiscalYearParts, fixScreen, formatDateTime, groupFingerprint, groupReadiness, needsSecondConfirmation,
  verdictTone,
} from '../src/lib/report';
import type { ReadinessDto } from '../src/lib/bindings/ReadinessDto';
import type { ReadinessEntryDto } from '../src/lib/bindings/ReadinessEntryDto';

describe('report screen helpers', () => {
  it('shows a signing time in local Japanese words, converting the offset', () => {
    // Signed 22:30 UTC = 07:30 the next morning in Tokyo.
    expect(formatDateTime('2026-11-23T22:30:15+00:00', 'ja', 'Asia/Tokyo')).toBe('2026年11月24日 7:30');
    expect(formatDateTime('2026-11-24T07:30:15+09:00', 'en', 'Asia/Tokyo')).toBe('24 Nov 2026, 7:30');
    expect(formatDateTime(null, 'ja')).toBe('');
    expect(formatDateTime('not a date', 'ja')).toBe('not a date');
  });

  it('names fiscal years the way clinics do', () => {
    expect(fiscalYearLabel(2026, 'ja')).toBe('2026年度（令和8年度）');
    expect(fiscalYearLabel(2019, 'ja')).toBe('2019年度（令和元年度）');
    expect(fiscalYearLabel(2026, 'en')).toBe('FY2026');
    expect(fiscalYearLabel(null, 'ja')).toBe('');
    expect(fiscalYearParts(2026, 'ja')).toEqual(['2026年度', '令和8年度']);
    expect(fiscalYearParts(2026, 'en')).toEqual(['FY2026', '']);
  });

  it('groups a fingerprint and maps verdicts to their colour', () => {
    expect(groupFingerprint('ab12cd34ef')).toBe('AB12 CD34 EF');
    expect(groupFingerprint('AB:12:CD:34')).toBe('AB12 CD34');
    expect(verdictTone('valid')).toBe('ok');
    expect(verdictTone('invalid')).toBe('bad');
    expect(verdictTone('could_not_check')).toBe('unknown');
  });
});

describe('review before signing', () => {
  const entry = (kind: ReadinessEntryDto['kind'], target: ReadinessEntryDto['target'], item: string | null = null): ReadinessEntryDto => ({
    kind, target, item_id: item, item_number: item, subject: null, message: { ja: kind, en: kind },
  });
  const review = (entries: ReadinessEntryDto[]): ReadinessDto => ({
    assessment_id: 1, checked_at: '2026-11-24T00:00:00Z', entries, summary: null,
    signing_note: { ja: '', en: '' },
  });

  it('groups open entries by kind, keeping the engine order', () => {
    const groups = groupReadiness([
      entry('assessor_missing', 'profile'),
      entry('unanswered', 'checklist', '1-1'),
      entry('unanswered', 'checklist', '1-2'),
      entry('no_automatic_check', 'scan'),
    ]);
    expect(groups.map((g) => g.kind)).toEqual(['assessor_missing', 'unanswered', 'no_automatic_check']);
    expect(groups[1]?.entries.map((e) => e.item_id)).toEqual(['1-1', '1-2']);
    expect(groupReadiness([])).toEqual([]);
  });

  it('links each entry to the screen that fixes it', () => {
    expect(fixScreen('profile')).toBe('profile');
    expect(fixScreen('checklist')).toBe('checklist');
    expect(fixScreen('scan')).toBe('scan');
    expect(fixScreen('vendor')).toBe('vendor');
  });

  it('asks a second time only while something is open', () => {
    expect(needsSecondConfirmation(null)).toBe(false);
    expect(needsSecondConfirmation(review([]))).toBe(false);
    expect(needsSecondConfirmation(review([entry('unanswered', 'checklist', '1-1')]))).toBe(true);
  });
});
