// The language of this process and its messages. The language is chosen once, at the entry point (src/cli.ts,
// scripts/*), before anything is printed, like the locale it usually comes from; everything else reads it.
// Kept process-wide rather than passed down because every layer that talks to a student (checks, preflight,
// lab:up phases, renderers) would otherwise grow a parameter only to hand it on.
import { CATALOG, type Messages } from './catalog.ts';
import { DEFAULT_LANG, type Lang } from './lang.ts';

let current: Lang = DEFAULT_LANG;

export function setLanguage(lang: Lang): void {
  current = lang;
}

export function language(): Lang {
  return current;
}

/** The messages of the current language (or of `lang`). */
export function t(lang: Lang = current): Messages {
  return CATALOG[lang];
}

export type { Lang } from './lang.ts';
export type { Messages } from './catalog.ts';
