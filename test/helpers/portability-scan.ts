// A static audit of the unit and integration tests for what a machine with only Node (Windows, macOS) lacks:
// a test file that spawns a shell or another program, writes a shebang stub, checks POSIX file modes or makes
// a symlink, itself or through a test module it imports, must register a suite with describeWithTools and a
// tool that covers it (test/helpers/tools.ts). The check is per file (a gated suite beside an ungated one
// passes it); the Node-only run in README "Development and tests" is the per-test evidence.
import { dirname, join, normalize } from 'node:path';
import type { Tool } from './tools.ts';

/** Tools that are missing on Windows whatever is installed (POSIX or Linux-only semantics). */
export const NOT_ON_WINDOWS: readonly Tool[] = [
  'posix-sh',
  'posix-permissions',
  'linux-userland',
  'linux-shell',
  'vagrant-libvirt',
];
const SHELLS: readonly Tool[] = ['posix-sh', 'bash', 'linux-shell', 'linux-userland'];

/** A program a test may spawn by name, and the tools that guarantee it is there. Anything else (node, npx,
 *  an unregistered program) is a finding: use process.execPath for node, or register the tool. */
const COMMANDS: Readonly<Record<string, readonly Tool[]>> = {
  sh: ['posix-sh', 'linux-shell', 'linux-userland'],
  '/bin/sh': ['posix-sh', 'linux-shell', 'linux-userland'],
  bash: ['bash', 'linux-shell', 'linux-userland'],
  '/usr/bin/bash': ['linux-userland'],
  pgrep: ['linux-shell'],
  git: ['git'],
  python3: ['python3'],
  ruby: ['ruby'],
  vagrant: ['vagrant'],
  shellcheck: ['shellcheck'],
  unzip: ['real-kubectl'],
  tmux: ['tmux'],
  ip: ['root-netns'],
  iptables: ['iptables'],
  'iptables-restore': ['iptables'],
};

export interface Need {
  /** What was found, quoted from the source. */
  readonly what: string;
  readonly line: number;
  /** Any of these tools, registered by the test file, covers it. */
  readonly coveredBy: readonly Tool[];
  /** What to do instead, when no tool covers it. */
  readonly fix?: string;
}

export interface Finding {
  readonly file: string;
  readonly line: number;
  /** The file the need is in: the test file itself or a test module it imports. */
  readonly source: string;
  readonly message: string;
}

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** What one file needs, from its own text. */
export function needsOf(text: string): Need[] {
  const needs: Need[] = [];
  const add = (re: RegExp, need: (m: RegExpExecArray) => Omit<Need, 'line'> | undefined): void => {
    for (const m of text.matchAll(re)) {
      const n = need(m as RegExpExecArray);
      if (n) needs.push({ ...n, line: lineOf(text, m.index ?? 0) });
    }
  };
  // A program spawned by its name or path (a string literal as the first argument); not `pool.exec(`.
  add(
    /(?<![.\w])(?:spawn|spawnSync|execFile|execFileSync|execSync|exec|execa|execaSync)\(\s*(['"`])([^'"`$]+)\1/g,
    (m) => {
      const command = m[2] ?? '';
      return { what: `spawns \`${command}\``, coveredBy: COMMANDS[command] ?? [] };
    },
  );
  add(/toolPath\(\s*'([a-z0-9-]+)'\s*\)/g, (m) => ({
    what: `toolPath('${m[1]}')`,
    coveredBy: [m[1] as Tool],
  }));
  // A script written or expected with an interpreter line: Windows cannot exec it.
  add(/['"`]#!\//g, () => ({ what: 'a shebang script', coveredBy: SHELLS }));
  add(/&\s*0o777\b/g, () => ({ what: 'POSIX file mode bits', coveredBy: ['posix-permissions'] }));
  // Windows makes symlinks only with Developer Mode or as administrator.
  add(/\bsymlinkSync\(/g, () => ({ what: 'a symlink', coveredBy: NOT_ON_WINDOWS }));
  // '/C:/Users/…' on Windows and %20 for a space everywhere: fileURLToPath is the portable form.
  add(/import\.meta\.url\)\.pathname/g, () => ({ what: 'URL.pathname as a file path', coveredBy: [] }));
  // The stub CLIs in test/helpers/bin are Node scripts with a `#!/usr/bin/env node` line: execa (through
  // cross-spawn) runs them as `node <stub>` on Windows, node:child_process cannot.
  const stub = /helpers\/bin\//.exec(text);
  if (stub && /from 'node:child_process'/.test(text))
    needs.push({
      what: 'a stub of test/helpers/bin beside node:child_process',
      line: lineOf(text, stub.index),
      coveredBy: [],
      fix: 'launch the stub with execa',
    });
  return needs;
}

/** The tools a file registers with describeWithTools: literal lists, or a constant list defined in `all`. */
export function gatesOf(text: string, all: ReadonlyMap<string, string>): Set<string> {
  const gates = new Set<string>();
  const literal = (list: string): void => {
    for (const m of list.matchAll(/'([a-z0-9-]+)'/g)) gates.add(m[1] ?? '');
  };
  for (const m of text.matchAll(/describeWithTools\(\s*(\[[^\]]*\]|[A-Z_][A-Z0-9_]*)/g)) {
    const arg = m[1] ?? '';
    if (arg.startsWith('[')) {
      literal(arg);
      continue;
    }
    const def = new RegExp(`const ${arg}\\b[^=]*=\\s*(\\[[^\\]]*\\])`);
    for (const source of all.values()) {
      const d = def.exec(source);
      if (d) literal(d[1] ?? '');
    }
  }
  return gates;
}

/** Relative imports of a file that are test modules in `all` (keys are repository paths with `/`). */
function importsOf(file: string, text: string, all: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const target = normalize(join(dirname(file), m[1] ?? '')).replaceAll('\\', '/');
    if (all.has(target)) out.push(target);
  }
  return out;
}

/** Every need of each test file (`*.test.ts`) in `all` that the suites it registers do not cover. */
export function scanTests(all: ReadonlyMap<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const [file, text] of all) {
    if (!file.endsWith('.test.ts')) continue;
    const gates = gatesOf(text, all);
    const seen = new Set<string>();
    const visit = (source: string): void => {
      if (seen.has(source)) return;
      seen.add(source);
      const sourceText = all.get(source) ?? '';
      for (const need of needsOf(sourceText)) {
        if (need.coveredBy.some((t) => gates.has(t))) continue;
        const fix =
          need.fix ??
          (need.coveredBy.length === 0
            ? 'make it portable (process.execPath for node, fileURLToPath for paths) or register the tool'
            : `register the suite with describeWithTools([${need.coveredBy.map((t) => `'${t}'`).join(' | ')}], ...)`);
        findings.push({
          file,
          line: need.line,
          source,
          message: `${source}:${need.line} ${need.what}: ${fix}`,
        });
      }
      for (const dep of importsOf(source, sourceText, all)) visit(dep);
    };
    visit(file);
  }
  return findings;
}
