import { describe, expect, it } from 'vitest';
import {
  addSystem, blankVendor, formProblem, keepDraft, pruneVendorSystems, systemsInUse, takeDraft, toForm,
  toProfile,
} from '../src/lib/profile';
import { atMost, flushPending, onLeave } from '../src/lib/pending';
import type { ProfileDto } from '../src/lib/bindings/ProfileDto';

const saved: ProfileDto = {
  name: 'さくら内科クリニック',
  address: '東京都千代田区1-1',
  administrator: '山田 太郎',
  security_officer: '',
  systems: ['レセコン', '電子カルテ', '自動精算機'],
  vendors: [
    { name: 'カルテ販売', contact: '田中 03-1234-5678', systems: ['電子カルテ', 'レセコン'] },
    // Entered with the CLI: looks after a system missing from the list.
    { name: '精算機サービス', contact: '', systems: ['自動精算機', '院内LAN'] },
  ],
  assessor: '事務長 佐藤',
};

describe('profile form', () => {
  it('splits saved systems into ticked common ones and free entries, keeping vendor systems', () => {
    const f = toForm(saved);
    expect(f.common).toEqual(['電子カルテ', 'レセコン']);
    expect(f.other).toEqual(['自動精算機', '院内LAN']);
    expect(f.vendors.map((v) => v.systems)).toEqual([['電子カルテ', 'レセコン'], ['自動精算機', '院内LAN']]);
    expect(f.officer).toBe('');
  });

  it('round-trips a saved profile without losing anything', () => {
    const back = toProfile(toForm(saved));
    expect(back.vendors).toEqual([
      { name: 'カルテ販売', contact: '田中 03-1234-5678', systems: ['電子カルテ', 'レセコン'] },
      { name: '精算機サービス', contact: '', systems: ['自動精算機', '院内LAN'] },
    ]);
    expect(back.systems).toEqual(['電子カルテ', 'レセコン', '自動精算機', '院内LAN']);
    expect(back.name).toBe(saved.name);
    expect(back.address).toBe(saved.address);
    expect(back.assessor).toBe('事務長 佐藤');
  });

  it('keeps the 点検者 typed into the form, trimmed', () => {
    const f = toForm(null);
    expect(f.assessor).toBe('');
    f.name = 'さくら内科クリニック';
    f.assessor = '  山田 花子 ';
    expect(toProfile(f).assessor).toBe('山田 花子');
  });

  it('starts empty on first launch', () => {
    const f = toForm(null);
    expect(f).toMatchObject({ name: '', common: [], other: [], vendors: [] });
    expect(formProblem(f)?.key).toBe('profile.err.name');
  });

  it('adds typed systems once; a common one typed by hand ticks its box', () => {
    let f = { common: [] as string[], other: [] as string[] };
    const a = addSystem(f, '  自動精算機 ');
    expect(a).toEqual({ ok: true, common: [], other: ['自動精算機'] });
    if (a.ok) f = a;
    expect(addSystem(f, '自動精算機')).toEqual({ ok: false, reason: 'profile.err.systemTwice' });
    expect(addSystem(f, '   ')).toEqual({ ok: false, reason: 'profile.err.systemEmpty' });
    const b = addSystem(f, 'pacs・画像');
    expect(b).toEqual({ ok: true, common: ['PACS・画像'], other: ['自動精算機'] });
    expect(systemsInUse(b.ok ? b : f)).toEqual(['PACS・画像', '自動精算機']);
  });

  it('unticking a system takes it off the vendors that looked after it', () => {
    const f = toForm(saved);
    const inUse = systemsInUse({ common: ['電子カルテ'], other: f.other });
    const pruned = pruneVendorSystems(f.vendors, inUse);
    expect(pruned[0]!.systems).toEqual(['電子カルテ']);
    expect(pruned[1]!.systems).toEqual(['自動精算機', '院内LAN']);
  });

  it('refuses a vendor without a name and a vendor entered twice; drops untouched rows', () => {
    const f = toForm({ ...saved, vendors: [] });
    const empty = blankVendor();
    const named = { ...blankVendor(), name: ' カルテ販売 ', contact: ' 03-1111-2222 ', systems: ['電子カルテ'] };
    f.vendors = [empty, named];
    expect(formProblem(f)).toBeNull();
    expect(toProfile(f).vendors).toEqual([{ name: 'カルテ販売', contact: '03-1111-2222', systems: ['電子カルテ'] }]);

    const noName = { ...blankVendor(), contact: '03-0000-0000' };
    f.vendors = [named, noName];
    expect(formProblem(f)).toEqual({ key: 'profile.err.vendorName', vars: { n: 2 }, vendor: noName.id });

    const twice = { ...blankVendor(), name: 'カルテ販売' };
    f.vendors = [named, twice];
    expect(formProblem(f)).toMatchObject({ key: 'profile.err.vendorTwice', vendor: twice.id });
  });

  it('keeps only systems in use on a vendor when saving', () => {
    const f = toForm({ ...saved, vendors: [] });
    f.vendors = [{ ...blankVendor(), name: 'A社', systems: ['電子カルテ', 'もう使っていない'] }];
    expect(toProfile(f).vendors[0]!.systems).toEqual(['電子カルテ']);
  });
});

describe('unsaved profile edits', () => {
  it('are kept once when the screen is left, as a copy', () => {
    expect(takeDraft()).toBeNull();
    const f = toForm(saved);
    f.address = '大阪府';
    keepDraft(f);
    f.address = 'changed after leaving';
    const back = takeDraft();
    expect(back?.address).toBe('大阪府');
    expect(back?.vendors).toHaveLength(2);
    expect(takeDraft()).toBeNull();
  });
});

describe('pending saves', () => {
  it('runs every registered save when the window closes, and not after removal', async () => {
    const done: string[] = [];
    const stopA = onLeave(async () => {
      await new Promise((r) => setTimeout(r, 5));
      done.push('a');
    });
    const stopB = onLeave(() => {
      throw new Error('b fails');
    });
    await flushPending();
    expect(done).toEqual(['a']);
    stopA();
    stopB();
    await flushPending();
    expect(done).toEqual(['a']);
  });

  it('does not wait for a hung save forever', async () => {
    const start = Date.now();
    await atMost(new Promise(() => undefined), 30);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
