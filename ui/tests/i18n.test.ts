import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ja from '../src/lib/i18n/ja.json';
import en from '../src/lib/i18n/en.json';
// @ts-expect-error plain JS module without types
import { problems } from '../scripts/check-literals.mjs';

const src = new URL('../src', import.meta.url).pathname;
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : /\.(svelte|ts)$/.test(p) ? [p] : [];
  });
}

describe('i18n catalogs', () => {
  it('ja and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });

  it('no empty translations and the same {placeholders} in both', () => {
    const jaMap = ja as Record<string, string>;
    const enMap = en as Record<string, string>;
    for (const k of Object.keys(jaMap)) {
      expect(jaMap[k], k).not.toBe('');
      expect(enMap[k], k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(enMap[k] ?? ''), k).toEqual(vars(jaMap[k] ?? ''));
    }
  });

  it('every literal key used in the sources exists in the catalog', () => {
    const keys = new Set(Object.keys(ja));
    const missing: string[] = [];
    for (const f of sources(src)) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) {
        if (!keys.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
      }
      for (const m of text.matchAll(/'(answer\.err\.[a-zA-Z]+)'/g)) {
        if (!keys.has(m[1]!)) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('literal text check', () => {
  it('flags literal text and attributes but not expressions', () => {
    expect(problems('<p>保存する</p>')).toEqual(['保存する']);
    expect(problems('<button aria-label="Close">{t("x")}</button>')).toEqual(['aria-label="Close"']);
    expect(problems('<script>const a = "日本語";</script><p>{t("a.b")} · {n}</p>')).toEqual([]);
    expect(problems('<p>{#if x}{t("a")}{:else}Save{/if}</p>')).toEqual(['Save']);
  });
});
