// Files that go into a VM must reach it with LF line ends, also from a Git for Windows checkout
// (core.autocrlf=true): each is covered by an `eol=lf` rule in .gitattributes, and none holds CRLF, neither
// in the index nor in this working tree. Read with `git ls-files --eol`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What goes into a VM or runs as bash in its place: provisioning, manifests, lab specs, the Vagrantfile and
 *  the config it reads, the VM lane's box recipe, provisioning's stub commands, every shell script. */
function goesIntoVm(path: string): boolean {
  return (
    /^(scripts\/provision|manifests|labs|test\/vm\/box|test\/fixtures\/provision\/stubs)\//.test(path) ||
    /(^|\/)Vagrantfile$/.test(path) ||
    /\.(sh|rb|ya?ml)$/.test(path)
  );
}

interface EolRow {
  readonly index: string;
  readonly worktree: string;
  readonly attr: string;
  readonly path: string;
}

function eolRows(): EolRow[] {
  const text = execFileSync(toolPath('git'), ['ls-files', '--eol', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return text
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const [meta = '', path = ''] = entry.split('\t');
      const [index = '', worktree = '', ...attr] = meta.trim().split(/\s+/);
      return { index, worktree, attr: attr.join(' '), path };
    });
}

describeWithTools(['git'], 'line ends of what goes into a VM', () => {
  // Read when the suite runs, not when it is collected (a skipped suite is still collected).
  let rows: EolRow[] = [];
  beforeAll(() => {
    rows = eolRows().filter((r) => goesIntoVm(r.path));
  });

  test('the classifier finds them (an empty list would pass everything)', () => {
    const paths = rows.map((r) => r.path);
    for (const p of [
      'scripts/provision/common.sh',
      'manifests/service/hostname-deployment.yaml',
      'labs/service/lab.yaml',
      'Vagrantfile',
    ])
      expect(paths).toContain(p);
  });

  test('each is LF in .gitattributes, so a Windows checkout keeps it LF', () => {
    expect(
      rows.filter((r) => !r.attr.includes('eol=lf')).map((r) => `${r.path} (${r.attr || 'no attribute'})`),
    ).toEqual([]);
  });

  test('none has CRLF in the index or in the working tree', () => {
    const crlf = rows.filter((r) => /crlf|mixed/.test(r.index) || /crlf|mixed/.test(r.worktree));
    expect(crlf.map((r) => `${r.path}: ${r.index} ${r.worktree}`)).toEqual([]);
  });

  test('the check itself sees CRLF', () => {
    // `git ls-files --eol` reports w/crlf for a CRLF file and w/mixed for a mix: the patterns above match both.
    expect(/crlf|mixed/.test('w/crlf') && /crlf|mixed/.test('i/mixed') && !/crlf|mixed/.test('w/lf')).toBe(
      true,
    );
  });
});
