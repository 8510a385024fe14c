import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadInventory, parseInventoryText } from '../../../src/inventory/load.ts';
import { inventoryJsonSchema } from '../../../src/inventory/schema.ts';
import { targetsFromInventory } from '../../../src/ssh/targets.ts';
import { SourceError } from '../../../src/util/yaml-source.ts';

const FIXTURE = join(import.meta.dirname, '../../fixtures/inventory/class.yaml');
const FIXTURE_DIR = join(import.meta.dirname, '../../fixtures/inventory');

function problems(text: string): string[] {
  try {
    parseInventoryText('class.yaml', text);
  } catch (error) {
    if (error instanceof SourceError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the inventory to be rejected');
}

const minimal = (student: string): string =>
  `defaults:\n  identityFile: /k\nclasses:\n  - id: c1\n    students:\n${student}`;

describe('loadInventory', () => {
  test('the example inventory loads with defaults applied and paths resolved', async () => {
    const inventory = await loadInventory(FIXTURE);
    expect(inventory.students.map((s) => `${s.classId}/${s.id}`)).toEqual([
      'mon-am/alice',
      'mon-am/bob',
      'wed-pm/chris',
    ]);
    const [alice, bob, chris] = inventory.students;
    expect(alice?.master).toEqual({
      name: 'master-node',
      host: '10.20.0.11',
      port: 22,
      user: 'vagrant',
      identityFile: join(FIXTURE_DIR, 'keys/class_ed25519'),
      hostKey: { mode: 'strict', knownHostsFile: join(FIXTURE_DIR, 'known_hosts') },
    });
    expect(alice?.workers.map((w) => w.name)).toEqual(['worker-node01', 'worker-node02']);
    expect(alice?.name).toBe('Alice Kim');
    expect(bob?.master).toMatchObject({
      port: 2222,
      hostKey: { mode: 'ignore' },
      identityFile: '/home/bob/.vagrant.d/insecure_private_key',
    });
    expect(chris?.master).toMatchObject({ name: 'cp-1', user: 'ubuntu' });
    expect(chris?.master.jump).toEqual({
      host: 'bastion.example.edu',
      port: 2022,
      user: 'gate',
      identityFile: join(FIXTURE_DIR, 'keys/class_ed25519'),
      hostKey: { mode: 'accept-new', knownHostsFile: join(FIXTURE_DIR, 'known_hosts') },
    });
    expect(targetsFromInventory(inventory).map((t) => t.name)).toEqual([
      'alice/master-node',
      'alice/worker-node01',
      'alice/worker-node02',
      'bob/master-node',
      'chris/cp-1',
    ]);
  });

  test('hostKey defaults to strict on ~/.ssh/known_hosts', () => {
    const inventory = parseInventoryText(
      '/x/class.yaml',
      minimal('      - id: a\n        master: { host: h }\n'),
    );
    expect(inventory.students[0]?.master.hostKey).toEqual({
      mode: 'strict',
      knownHostsFile: '~/.ssh/known_hosts',
    });
  });

  test('a missing file says what to pass', async () => {
    await expect(loadInventory('/nope/class.yaml')).rejects.toThrow(
      '/nope/class.yaml: file not found: pass the class inventory with --inventory FILE (see docs for its format)',
    );
  });

  test.each<[string, string, string[]]>([
    [
      'unknown top-level key',
      'classes:\n  - id: c1\n    students:\n      - id: a\n        master: { host: h, identityFile: /k }\nstudent: []\n',
      ['class.yaml:6 student: unknown key (check the spelling; see the JSON Schema for allowed keys)'],
    ],
    [
      'misspelt key in a host',
      minimal('      - id: a\n        master:\n          host: h\n          hostname: h2\n'),
      [
        'class.yaml:9 classes[0].students[0].master.hostname: unknown key (check the spelling; see the JSON Schema for allowed keys)',
      ],
    ],
    [
      'missing master',
      minimal('      - id: a\n'),
      ['class.yaml:6 classes[0].students[0].master: required key is missing'],
    ],
    [
      'port out of range and a bad host-key mode',
      minimal(
        '      - id: a\n        master:\n          host: h\n          port: 70000\n          hostKey: { mode: yes }\n',
      ),
      [
        'class.yaml:9 classes[0].students[0].master.port: Too big: expected number to be <=65535',
        'class.yaml:10 classes[0].students[0].master.hostKey.mode: Invalid option: expected one of "strict"|"accept-new"|"ignore"',
      ],
    ],
    [
      'no key anywhere',
      'classes:\n  - id: c1\n    students:\n      - id: a\n        master:\n          host: h\n',
      [
        'class.yaml:5 classes[0].students[0].master.identityFile: no private key: set identityFile here or under defaults',
      ],
    ],
    [
      'duplicate student id across classes',
      'defaults: { identityFile: /k }\nclasses:\n  - id: c1\n    students:\n      - id: a\n        master: { host: h }\n  - id: c2\n    students:\n      - id: a\n        master: { host: h2 }\n',
      ['class.yaml:9 classes[1].students[0].id: duplicate student id "a" (also at classes[0].students[0])'],
    ],
    [
      'bad worker name and id',
      minimal(
        '      - id: -bad\n        master: { host: h }\n        workers:\n          - { name: Worker_1, host: w }\n',
      ),
      [
        'class.yaml:6 classes[0].students[0].id: must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
        'class.yaml:9 classes[0].students[0].workers[0].name: must be a lowercase RFC 1123 name such as master-node (a-z, 0-9, "-")',
      ],
    ],
    [
      'empty class',
      'classes:\n  - id: c1\n    students: []\n',
      ['class.yaml:3 classes[0].students: Too small: expected array to have >=1 items'],
    ],
    [
      'YAML syntax error',
      'classes:\n  - id: c1\n   students: [\n',
      [
        'class.yaml:3: invalid YAML: Sequence item without - indicator',
        'class.yaml:4: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
  ])('%s', (_title, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});

describe('inventoryJsonSchema', () => {
  test('is draft 7, rejects unknown keys, and documents the fields', () => {
    const schema = inventoryJsonSchema() as {
      $schema: string;
      title: string;
      additionalProperties: boolean;
      required: string[];
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toBe('labkit class inventory');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['classes']);
    expect(JSON.stringify(schema)).toContain('strict: the key must be in knownHostsFile');
  });
});
