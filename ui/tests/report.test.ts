import { describe, expect, it } from 'vitest';
import { fiscalYearLabel, fiscalYearParts, formatDateTime, groupFingerprint, verdictTone } from '../src/lib/report';

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
