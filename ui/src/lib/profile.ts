// Clinic profile screen logic: the common systems offered as checkboxes, free entries, vendor
// rows, and the profile sent to Rust (which validates again and is the authority).
import type { ProfileDto } from './bindings/ProfileDto';
import type { VendorDto } from './bindings/VendorDto';

/** Systems most clinics use: the stored name (Japanese, as in the report) and its label key. */
export const COMMON_SYSTEMS: { value: string; key: string }[] = [
  { value: '電子カルテ', key: 'profile.sys.emr' },
  { value: 'レセコン', key: 'profile.sys.receipt' },
  { value: 'オンライン資格確認', key: 'profile.sys.oqs' },
  { value: '電子処方箋', key: 'profile.sys.eprescription' },
  { value: 'PACS・画像', key: 'profile.sys.pacs' },
  { value: '予約システム', key: 'profile.sys.booking' },
  { value: '検査機器', key: 'profile.sys.lab' },
  { value: 'ホームページ', key: 'profile.sys.website' },
];

const COMMON_VALUES = COMMON_SYSTEMS.map((s) => s.value);

/** Same name for comparing: trimmed, case-insensitive (Rust compares the same way). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** One vendor row being edited; `id` only keys the row on screen. */
export interface VendorRow {
  id: number;
  name: string;
  contact: string;
  systems: string[];
}

/** The form's state. */
export interface ProfileForm {
  name: string;
  address: string;
  administrator: string;
  officer: string;
  /** 点検者: who carries out this year's check (printed on the report). */
  assessor: string;
  /** Checked common systems (stored names). */
  common: string[];
  /** Systems typed in by the person. */
  other: string[];
  vendors: VendorRow[];
}

let nextId = 1;
/** A new, empty vendor row. */
export function blankVendor(): VendorRow {
  return { id: nextId++, name: '', contact: '', systems: [] };
}

/**
 * The form for a saved profile (or an empty one). A vendor's system missing from the list of
 * systems (e.g. entered with the CLI) is added as a free entry so nothing is dropped.
 */
export function toForm(p: ProfileDto | null): ProfileForm {
  const systems = [...(p?.systems ?? [])];
  for (const v of p?.vendors ?? []) {
    for (const s of v.systems) {
      if (s.trim() && !systems.some((x) => sameName(x, s))) systems.push(s);
    }
  }
  const common = COMMON_VALUES.filter((c) => systems.some((s) => sameName(s, c)));
  const other = systems.filter((s) => s.trim() && !COMMON_VALUES.some((c) => sameName(s, c)));
  return {
    name: p?.name ?? '',
    address: p?.address ?? '',
    administrator: p?.administrator ?? '',
    officer: p?.security_officer ?? '',
    assessor: p?.assessor ?? '',
    common,
    other,
    vendors: (p?.vendors ?? []).map((v) => ({
      id: nextId++, name: v.name, contact: v.contact,
      systems: v.systems.map((s) => systems.find((x) => sameName(x, s)) ?? s),
    })),
  };
}

/** Every system in use, common ones first in their usual order, then the typed ones. */
export function systemsInUse(f: Pick<ProfileForm, 'common' | 'other'>): string[] {
  const out: string[] = [];
  for (const s of [...COMMON_VALUES.filter((c) => f.common.includes(c)), ...f.other]) {
    const v = s.trim();
    if (v && !out.some((x) => sameName(x, v))) out.push(v);
  }
  return out;
}

/** Result of adding a typed system: the new list, or why it was not added. */
export type AddResult = { ok: true; common: string[]; other: string[] } | { ok: false; reason: string };

/**
 * Adds a typed system. A common one typed by hand checks its box; an empty or repeated entry
 * is refused with the reason's message key.
 */
export function addSystem(f: Pick<ProfileForm, 'common' | 'other'>, typed: string): AddResult {
  const v = typed.trim();
  if (!v) return { ok: false, reason: 'profile.err.systemEmpty' };
  if (v.length > 200) return { ok: false, reason: 'profile.err.tooLong' };
  const c = COMMON_VALUES.find((x) => sameName(x, v));
  if (c) {
    if (f.common.includes(c)) return { ok: false, reason: 'profile.err.systemTwice' };
    return { ok: true, common: [...f.common, c], other: f.other };
  }
  if (f.other.some((x) => sameName(x, v))) return { ok: false, reason: 'profile.err.systemTwice' };
  return { ok: true, common: f.common, other: [...f.other, v] };
}

/** Vendor rows with systems no longer in use taken off (after a box is unchecked). */
export function pruneVendorSystems(vendors: VendorRow[], inUse: string[]): VendorRow[] {
  return vendors.map((v) => ({ ...v, systems: v.systems.filter((s) => inUse.some((x) => sameName(x, s))) }));
}

/** A row nobody wrote anything in (dropped on save rather than refused). */
export function isBlankVendor(v: VendorRow): boolean {
  return !v.name.trim() && !v.contact.trim() && v.systems.length === 0;
}

/** What is wrong with the form, as a message key with values, or null. */
export function formProblem(f: ProfileForm): { key: string; vars?: Record<string, string | number>; vendor?: number } | null {
  if (!f.name.trim()) return { key: 'profile.err.name' };
  const seen: string[] = [];
  for (const [i, v] of f.vendors.entries()) {
    if (isBlankVendor(v)) continue;
    if (!v.name.trim()) return { key: 'profile.err.vendorName', vars: { n: i + 1 }, vendor: v.id };
    if (v.name.trim().length > 200 || v.contact.trim().length > 200) {
      return { key: 'profile.err.tooLong', vendor: v.id };
    }
    if (seen.some((s) => sameName(s, v.name))) {
      return { key: 'profile.err.vendorTwice', vars: { name: v.name.trim() }, vendor: v.id };
    }
    seen.push(v.name);
  }
  return null;
}

/** The profile to save: trimmed, blank vendor rows dropped, vendors' systems limited to those in use. */
export function toProfile(f: ProfileForm): ProfileDto {
  const systems = systemsInUse(f);
  const vendors: VendorDto[] = f.vendors.filter((v) => !isBlankVendor(v)).map((v) => ({
    name: v.name.trim(),
    contact: v.contact.trim(),
    systems: systems.filter((s) => v.systems.some((x) => sameName(x, s))),
  }));
  return {
    name: f.name.trim(),
    address: f.address.trim(),
    administrator: f.administrator.trim(),
    security_officer: f.officer.trim(),
    assessor: f.assessor.trim(),
    systems,
    vendors,
  };
}

/** Unsaved edits of the profile form kept while the person looks at another screen. */
let kept: ProfileForm | null = null;

/** Keeps unsaved edits when the profile screen is left without saving. */
export function keepDraft(f: ProfileForm): void {
  kept = structuredClone(f);
}

/** The kept unsaved edits (once), or null. */
export function takeDraft(): ProfileForm | null {
  const f = kept;
  kept = null;
  return f;
}
