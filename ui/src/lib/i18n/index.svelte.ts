// i18n: flat key catalogs in ja.json / en.json. Japanese is the default and the fallback.
import ja from './ja.json';
import en from './en.json';

export type Lang = 'ja' | 'en';
export const catalogs: Record<Lang, Record<string, string>> = { ja, en };

let current = $state<Lang>('ja');

/** Current language (reactive). */
export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(v: Lang) {
    current = v;
    if (typeof document !== 'undefined') document.documentElement.lang = v;
  },
};

/** Translates `key`, replacing `{name}` placeholders. Unknown keys show the key itself. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const raw = catalogs[current][key] ?? catalogs.ja[key] ?? key;
  if (!vars) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

/** Picks the wording of a bilingual text from the engine (English falls back to Japanese). */
export function pick(text: { ja: string; en: string } | null | undefined): string {
  if (!text) return '';
  return current === 'en' && text.en ? text.en : text.ja;
}
