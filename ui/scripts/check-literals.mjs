// Fails when a .svelte file contains user-visible text that is not from the i18n catalogs:
// literal text between tags, or literal aria-label / placeholder / title / alt attributes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../src', import.meta.url).pathname;
const WORD = /[A-Za-z\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]/;

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.svelte') ? [p] : [];
  });
}

/** Removes {expressions}, respecting nested braces and strings. */
export function stripExpressions(s) {
  let out = '';
  let depth = 0;
  let quote = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (depth > 0) {
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      continue;
    }
    if (c === '{') depth = 1;
    else out += c;
  }
  return out;
}

export function problems(src) {
  const found = [];
  let s = src
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  for (const m of s.matchAll(/\b(aria-label|placeholder|title|alt)="([^"{]*)"/g)) {
    if (WORD.test(m[2])) found.push(`${m[1]}="${m[2]}"`);
  }
  s = stripExpressions(s).replace(/<[^>]*>/g, '\n');
  for (const line of s.split('\n')) {
    const text = line.trim();
    if (text && WORD.test(text)) found.push(text);
  }
  return found;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  let bad = 0;
  for (const f of files(root)) {
    for (const p of problems(readFileSync(f, 'utf8'))) {
      console.error(`${relative(process.cwd(), f)}: literal text outside the i18n catalogs: ${p}`);
      bad++;
    }
  }
  if (bad) {
    console.error(`${bad} literal text(s) found`);
    process.exit(1);
  }
  console.log('no literal user-visible text in .svelte files');
}
