// Every message exists in every language, takes the same values, and says something. (The type of `ko` already
// makes a missing key a compile error; this also catches a key added with a cast, or an empty text.)
import { describe, expect, test } from 'vitest';
import { CATALOG } from '../../../src/i18n/catalog.ts';
import { LANGS } from '../../../src/i18n/lang.ts';

type Leaf = string | ((...args: never[]) => string);

function leaves(node: unknown, path = ''): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  if (typeof node === 'string' || typeof node === 'function') out.set(path, node as Leaf);
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node))
      for (const [p, l] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, l);
  return out;
}

/** A message rendered with sample values: numbers as 2, booleans false, everything else a word. */
function render(leaf: Leaf): string {
  if (typeof leaf === 'string') return leaf;
  const args = Array.from({ length: leaf.length }, (_, i) => `v${i}`);
  return (leaf as (...a: unknown[]) => string)(...args);
}

describe('the message catalog', () => {
  const english = leaves(CATALOG.en);

  test('has messages', () => expect(english.size).toBeGreaterThan(20));

  test.each(LANGS.filter((l) => l !== 'en'))(
    '%s has exactly the keys of English, each taking the same values',
    (lang) => {
      const other = leaves(CATALOG[lang]);
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, leaf] of english) {
        const mine = other.get(key);
        expect(typeof mine, key).toBe(typeof leaf);
        if (typeof leaf === 'function')
          expect((mine as Leaf & { length: number }).length, key).toBe(leaf.length);
      }
    },
  );

  test.each(LANGS)('every %s message renders to a non-empty text', (lang) => {
    for (const [key, leaf] of leaves(CATALOG[lang])) expect(render(leaf).trim(), key).not.toBe('');
  });

  test('Korean messages are Korean, not English left in place', () => {
    const korean = leaves(CATALOG.ko);
    const untranslated = [...english].filter(([key, leaf]) => {
      const text = render(korean.get(key) as Leaf);
      return text === render(leaf) && /[a-z]{4,}/i.test(text) && !/[가-힣]/.test(text);
    });
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });
});
