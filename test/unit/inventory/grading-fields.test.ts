import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp-dir.ts';
import { parseInventoryText } from '../../../src/inventory/load.ts';
import { checkInventoryFiles, checkStepOverrides } from '../../../src/inventory/validate.ts';
import { SourceError } from '../../../src/util/yaml-source.ts';

const dir = tempDir('labkit-inv-');
writeFileSync(join(dir, 'key'), 'k');
writeFileSync(join(dir, 'known_hosts'), '');

const text = `defaults:
  identityFile: key
  hostKey: { mode: strict, knownHostsFile: known_hosts }
classes:
  - id: mon
    students:
      - id: kim
        name: "김철수 <b>"
        email: kim@example.edu
        lmsId: "12345"
        overrides:
          namespace: kim
          steps: [deployment, 3, nope]
        master: { host: 10.0.0.1 }
      - id: lee
        master: { host: 10.0.0.2, identityFile: missing-key }
`;

describe('inventory: grading fields', () => {
  test('name, email, LMS id and overrides load', () => {
    const inv = parseInventoryText(join(dir, 'class.yaml'), text);
    expect(inv.students[0]).toMatchObject({
      name: '김철수 <b>',
      email: 'kim@example.edu',
      lmsId: '12345',
      overrides: { namespace: 'kim', steps: ['deployment', 3, 'nope'] },
      path: ['classes', 0, 'students', 0],
    });
  });

  test('shape errors come all at once as file:line key: reason', () => {
    const bad = text.replace('kim@example.edu', 'not-an-email').replace('namespace: kim', 'namespace: Kim_1');
    let error: unknown;
    try {
      parseInventoryText('class.yaml', bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message.split('\n')).toEqual([
      'class.yaml:9 classes[0].students[0].email: must be an email address such as kim@example.edu',
      'class.yaml:12 classes[0].students[0].overrides.namespace: must be a Kubernetes namespace name (lowercase a-z, 0-9, "-", at most 63)',
    ]);
  });

  test('before connecting: unknown override steps and missing key files, with their lines', async () => {
    const inv = parseInventoryText(join(dir, 'class.yaml'), text);
    const lab = {
      name: 'service',
      steps: [
        { index: 1, id: 'deployment' },
        { index: 2, id: 'b' },
        { index: 3, id: 'c' },
      ],
    };
    expect(checkStepOverrides(inv, lab).map((p) => `${p.line} ${p.key}: ${p.reason}`)).toEqual([
      '13 classes[0].students[0].overrides.steps[2]: lab service has no step "nope" (its steps: 1 deployment, 2 b, 3 c)',
    ]);
    const files = await checkInventoryFiles(inv);
    expect(files.map((p) => `${p.line} ${p.key}`)).toEqual(['16 classes[0].students[1].master.identityFile']);
    expect(files[0]?.reason).toMatch(/^private key .*missing-key: file not found/);
  });

  test('a missing file inherited from defaults is reported at the default', async () => {
    const inherited = text.replace('identityFile: key', 'identityFile: no-such-key');
    const files = await checkInventoryFiles(parseInventoryText(join(dir, 'class.yaml'), inherited));
    expect(files.map((p) => `${p.line} ${p.key}`)).toEqual([
      '2 defaults.identityFile',
      '16 classes[0].students[1].master.identityFile',
    ]);
  });
});
