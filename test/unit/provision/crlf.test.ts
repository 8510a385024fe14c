// A Git for Windows checkout with core.autocrlf=true turns every LF into CRLF. The scripts labkit sends to
// the VMs (over SSH for the worker join, inline through Vagrant for common/master) must still be plain
// bash: built from a CRLF copy of scripts/provision, they hold no \r and run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { provisionScript, type ProvisionScript } from '../../../src/provision/script.ts';
import { provisionDir } from './paths.ts';

let project = '';
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'labkit-crlf-'));
  const dir = join(project, 'scripts', 'provision');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(provisionDir).filter((n) => n.endsWith('.sh')))
    writeFileSync(join(dir, f), readFileSync(join(provisionDir, f), 'utf8').replace(/\n/g, '\r\n'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describeWithTools(['bash'], 'provision scripts from a CRLF checkout', () => {
  it('the copy really is CRLF, and bash rejects such a script as it is', () => {
    const raw = readFileSync(join(project, 'scripts/provision/worker.sh'), 'utf8');
    expect(raw).toContain('\r\n');
    // What a student on Windows saw before the fix: the \r becomes part of the words.
    const r = spawnSync(toolPath('bash'), ['-n'], { input: raw, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/\r|syntax error/);
  });

  it.each(['worker', 'common', 'master'] as ProvisionScript[])(
    '%s as sent to a VM has no \\r and parses',
    async (name) => {
      const text = await provisionScript(project, name);
      expect(text).not.toContain('\r');
      expect(text).toBe(await provisionScript(join(provisionDir, '..', '..'), name));
      const r = spawnSync(toolPath('bash'), ['-n'], { input: text, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
  );
});
