// Which language labkit speaks to a student: `--lang`, else LABKIT_LANG, else the locale (LC_ALL, LC_MESSAGES,
// LANG, the order POSIX gives them; on Windows, where those are rarely set, the user's UI language as Node's ICU
// reports it), else English. Pure: the caller passes the environment, so tests need no process state.
import { EXIT, UserError } from '../util/exit-codes.ts';

export const LANGS = ['en', 'ko'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'en';

/** `ko`, `ko-KR`, `ko_KR.UTF-8`, `en_US` → the language labkit has for it; undefined for any other. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  const primary = locale
    ?.trim()
    .split(/[-_.@]/)[0]
    ?.toLowerCase();
  return LANGS.find((l) => l === primary);
}

export interface LanguageSources {
  /** The `--lang` option as typed (validated here). */
  readonly flag?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  /** The OS user's locale as ICU sees it (Intl.DateTimeFormat().resolvedOptions().locale). */
  readonly uiLocale?: () => string;
}

function explicit(value: string, where: string): Lang {
  const lang = langOfLocale(value);
  if (lang === undefined)
    throw new UserError(
      `${where} ${JSON.stringify(value)}: labkit speaks ${LANGS.join(' and ')} (e.g. ${where} ko)`,
      EXIT.usage,
    );
  return lang;
}

export function resolveLanguage(sources: LanguageSources): Lang {
  if (sources.flag !== undefined) return explicit(sources.flag, '--lang');
  const fromEnv = sources.env['LABKIT_LANG'];
  if (fromEnv) return explicit(fromEnv, 'LABKIT_LANG');
  // The first of these that is set decides, even when it names a language labkit lacks (then English).
  const locale = ['LC_ALL', 'LC_MESSAGES', 'LANG'].map((k) => sources.env[k]).find((v) => v);
  if (locale !== undefined) return langOfLocale(locale) ?? DEFAULT_LANG;
  if (sources.platform === 'win32' && sources.uiLocale)
    return langOfLocale(sources.uiLocale()) ?? DEFAULT_LANG;
  return DEFAULT_LANG;
}

/** The language for this process, from its own environment. */
export function languageOfProcess(flag?: string): Lang {
  return resolveLanguage({
    flag,
    env: process.env,
    platform: process.platform,
    uiLocale: () => Intl.DateTimeFormat().resolvedOptions().locale,
  });
}
