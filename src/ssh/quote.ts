// argv → one string for a POSIX shell (the remote login shell reads it once). Every word is single-quoted
// unless it is plainly safe, so `$(...)`, backticks, quotes, newlines and globs arrive as literal text.
// Equivalent to shell-quote's `quote`, but with one rule that is easy to prove: inside '...' nothing is
// special, and a `'` is written as '\'' (close, escaped quote, reopen).

/** Characters that need no quoting anywhere in a word. `=` is excluded so `A=b` is never an assignment. */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** Reserved words are only special unquoted, so quote them (argv ['if'] must run a program named `if`). */
const RESERVED = new Set([
  'case',
  'coproc',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'in',
  'select',
  'then',
  'time',
  'until',
  'while',
]);

/** Quotes one word for a POSIX shell (bash, dash, zsh). The empty string becomes ''. */
export function quoteWord(word: string): string {
  if (word.includes('\0')) throw new TypeError('a shell word cannot contain a NUL byte');
  if (SAFE_WORD.test(word) && !RESERVED.has(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quotes an argv into one shell command line: the remote shell splits it back into exactly these words. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks environment names; a bad name would otherwise be taken as a command by `env`. */
export function assertEnvName(name: string): void {
  if (!ENV_NAME.test(name)) throw new TypeError(`invalid environment variable name: ${JSON.stringify(name)}`);
}

/** `export A='1' B='two words'` for a shell prologue ('' when there is nothing to export). */
export function quoteEnvExports(env: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(env);
  if (pairs.length === 0) return '';
  return `export ${pairs.map(([k, v]) => (assertEnvName(k), `${k}=${quoteWord(v)}`)).join(' ')}`;
}

/** `['A=1', 'B=two words']` for `env` / `sudo -n -- env ...` argv (survives sudo's env_reset). */
export function envAssignments(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => (assertEnvName(k), `${k}=${v}`));
}
