import { describe, expect, test } from 'vitest';
import { langOfLocale, resolveLanguage } from '../../../src/i18n/lang.ts';
import { UserError } from '../../../src/util/exit-codes.ts';

const linux = (env: NodeJS.ProcessEnv, flag?: string) =>
  resolveLanguage({ flag, env, platform: 'linux', uiLocale: () => 'ko-KR' });

describe('the language labkit speaks', () => {
  test.each([
    ['ko_KR.UTF-8', 'ko'],
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['KO_kr.utf8', 'ko'],
    ['en_US.UTF-8', 'en'],
    ['C.UTF-8', undefined],
    ['de_DE@euro', undefined],
  ])('locale %s is %s', (locale, lang) => expect(langOfLocale(locale)).toBe(lang));

  test('--lang wins over LABKIT_LANG and the locale', () => {
    expect(linux({ LABKIT_LANG: 'ko', LANG: 'ko_KR.UTF-8' }, 'en')).toBe('en');
  });

  test('LABKIT_LANG wins over the locale', () => {
    expect(linux({ LABKIT_LANG: 'ko', LC_ALL: 'en_US.UTF-8' })).toBe('ko');
    expect(linux({ LABKIT_LANG: 'en', LANG: 'ko_KR.UTF-8' })).toBe('en');
  });

  test('LC_ALL, then LC_MESSAGES, then LANG decide, the first one set wins', () => {
    expect(linux({ LANG: 'ko_KR.UTF-8' })).toBe('ko');
    expect(linux({ LC_MESSAGES: 'ko_KR.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ko');
    expect(linux({ LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'ko_KR.UTF-8' })).toBe('en');
    // A language labkit lacks is English, not the next variable's.
    expect(linux({ LC_ALL: 'de_DE.UTF-8', LANG: 'ko_KR.UTF-8' })).toBe('en');
    expect(linux({ LC_ALL: '', LANG: 'ko_KR.UTF-8' })).toBe('ko');
  });

  test('without any, English on Linux and macOS, whatever ICU says', () => {
    expect(linux({})).toBe('en');
    expect(resolveLanguage({ env: {}, platform: 'darwin', uiLocale: () => 'ko-KR' })).toBe('en');
  });

  test("on Windows, the user's UI language when no locale variable is set", () => {
    expect(resolveLanguage({ env: {}, platform: 'win32', uiLocale: () => 'ko-KR' })).toBe('ko');
    expect(resolveLanguage({ env: {}, platform: 'win32', uiLocale: () => 'en-US' })).toBe('en');
    expect(resolveLanguage({ env: {}, platform: 'win32', uiLocale: () => 'ja-JP' })).toBe('en');
    // Git Bash sets LANG: it is the user's choice there too.
    expect(
      resolveLanguage({ env: { LANG: 'en_US.UTF-8' }, platform: 'win32', uiLocale: () => 'ko-KR' }),
    ).toBe('en');
  });

  test('an unknown --lang or LABKIT_LANG is a usage error naming it', () => {
    expect(() => linux({}, 'fr')).toThrow(UserError);
    expect(() => linux({}, 'fr')).toThrow(/--lang "fr": labkit speaks en and ko/);
    expect(() => linux({ LABKIT_LANG: 'jp' })).toThrow(/LABKIT_LANG "jp"/);
  });
});
