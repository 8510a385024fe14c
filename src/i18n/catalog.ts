// One message catalog for everything labkit tells a student, in each language it speaks. A small typed catalog
// rather than i18next: labkit has two languages, no plural rules beyond "1 vs many" and no runtime loading, and
// a plain object typed by the English one makes a missing or misspelled key (or a message taking other values)
// a compile error, where i18next's string keys and `{{var}}` interpolation are checked only at run time.
import { en } from './en.ts';
import { ko } from './ko.ts';
import type { Lang } from './lang.ts';

export type Messages = typeof en;

export const CATALOG: Record<Lang, Messages> = { en, ko };
