// Layers point one way: CLI (src/commands, src/cli.ts) → lab engine → checks → cluster probes → SSH, with
// configuration and inventory as data at the bottom. This reads the import graph of src/ and fails on any
// arrow the other way, naming the importing file, its line and the import; and on any import cycle.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  importCycles,
  inLayer,
  layerViolations,
  readImportGraph,
  topLevelLayers,
  type ImportGraph,
  type LayerRule,
} from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const graph = readImportGraph(ROOT);
const LAYERS = topLevelLayers(graph);
const allBut = (...allowed: string[]): string[] => LAYERS.filter((l) => !allowed.includes(l));

const CLI = ['src/commands/', 'src/cli.ts'];
const ENGINE = ['src/lab/', 'src/checks/', 'src/cluster/', 'src/ssh/'];
const DATA = ['src/config/', 'src/inventory/'];

const RULES: readonly LayerRule[] = [
  {
    from: [...ENGINE, ...DATA],
    forbidden: CLI,
    because:
      'the engine never reaches up to the CLI (`lab grade` and tests use it without one): take the value as a parameter, or move it down (e.g. src/util)',
  },
  {
    from: ['src/lab/', 'src/checks/'],
    forbidden: ['src/vagrant/', 'src/sim/'],
    because:
      'the engine gets a LabTarget; which kind (Vagrant, inventory, simulated lab) is resolved at the edge (src/commands/lab-target.ts)',
  },
  {
    from: ['src/sim/'],
    forbidden: ['src/lab/', 'src/checks/'],
    because: 'the simulated lab stands in for a cluster: it must not know the labs and checks run against it',
  },
  {
    from: DATA,
    forbidden: allBut(...DATA, 'src/util/'),
    because:
      'configuration and inventory are data: they depend on nothing that acts on them (the SSH layer consumes inventory hosts, not the reverse)',
  },
  {
    from: ['src/util/'],
    forbidden: allBut('src/util/'),
    because: 'src/util is the bottom layer that every other one may use',
  },
  {
    from: ['src/checks/'],
    forbidden: ['src/lab/'],
    because: 'checks sit below the lab engine that runs them (the contract is src/checks/types.ts)',
  },
  {
    from: ['src/cluster/'],
    forbidden: ['src/lab/', 'src/checks/'],
    because: 'cluster probes sit below the checks and the engine',
  },
  {
    from: ['src/ssh/'],
    forbidden: ['src/lab/', 'src/checks/', 'src/cluster/'],
    because: 'the SSH layer runs commands for everyone above it and knows none of them',
  },
  {
    from: ENGINE,
    forbidden: ['src/report/'],
    because: 'the engine returns data (results, observed counts); reporters render it',
  },
];

describe('layers of src/', () => {
  test('every layer a rule names exists (a misspelt layer would make its rule pass vacuously)', () => {
    const named = [...new Set(RULES.flatMap((r) => [...r.from, ...r.forbidden]))];
    expect(named.filter((l) => !graph.files.some((f) => inLayer(f, l)))).toEqual([]);
    // The graph is read at all: a parser that found nothing would pass every rule.
    expect(graph.edges.length).toBeGreaterThan(300);
  });

  test('no import points the wrong way', () => {
    expect(layerViolations(graph, RULES)).toEqual([]);
  });

  test('no import cycle anywhere in src/', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the checker itself', () => {
  const synthetic: ImportGraph = {
    files: ['src/lab/target.ts', 'src/commands/lab-env.ts', 'src/up/vms.ts', 'src/up/vagrant-phase.ts'],
    edges: [
      {
        from: 'src/lab/target.ts',
        to: 'src/commands/lab-env.ts',
        specifier: '../commands/lab-env.ts',
        line: 7,
      },
      { from: 'src/up/vms.ts', to: 'src/up/vagrant-phase.ts', specifier: './vagrant-phase.ts', line: 9 },
      { from: 'src/up/vagrant-phase.ts', to: 'src/up/vms.ts', specifier: './vms.ts', line: 9 },
    ],
  };

  test('a forbidden edge is reported with the importing file, its line, the import and the reason', () => {
    expect(layerViolations(synthetic, RULES)).toEqual([
      `src/lab/target.ts:7 imports '../commands/lab-env.ts' (src/commands/lab-env.ts): ${RULES[0]?.because}`,
    ]);
  });

  test('a cycle is reported as the path around it, from its first file', () => {
    expect(importCycles(synthetic)).toEqual([
      'src/up/vagrant-phase.ts → src/up/vms.ts → src/up/vagrant-phase.ts',
    ]);
    expect(
      importCycles({
        files: ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'],
        edges: [
          { from: 'src/a.ts', to: 'src/b.ts', specifier: './b.ts', line: 1 },
          { from: 'src/b.ts', to: 'src/c.ts', specifier: './c.ts', line: 1 },
          { from: 'src/c.ts', to: 'src/a.ts', specifier: './a.ts', line: 1 },
          { from: 'src/c.ts', to: 'src/d.ts', specifier: './d.ts', line: 1 },
          { from: 'src/d.ts', to: 'src/d.ts', specifier: './d.ts', line: 1 },
        ],
      }),
    ).toEqual(['src/a.ts → src/b.ts → src/c.ts → src/a.ts', 'src/d.ts → src/d.ts']);
  });

  describe('reading sources', () => {
    const root = mkdtempSync(join(tmpdir(), 'labkit-layers-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    test('static, type-only, re-export, side-effect and dynamic imports and import() types are all edges', () => {
      for (const f of [
        'commands/env.ts',
        'sim/model.ts',
        'vagrant/run.ts',
        'vagrant/status.ts',
        'sim/index.ts',
      ])
        write(`src/${f}`, 'export const x = 1;\nexport type T = number;\n');
      write(
        'src/lab/engine.ts',
        [
          "import { x } from '../commands/env.ts';",
          "import type { T } from '../sim/model.ts';",
          "export { x as y } from '../vagrant/run.js';",
          "import '../vagrant/status.ts';",
          "import { readFile } from 'node:fs/promises';",
          'export async function load(): Promise<unknown> {',
          "  return [x, readFile, await import('../sim')];",
          '}',
          "export type V = T | import('../vagrant/run.ts').T;",
        ].join('\n'),
      );
      const [cli, target] = [RULES[0]?.because, RULES[1]?.because];
      expect(layerViolations(readImportGraph(root), RULES)).toEqual([
        `src/lab/engine.ts:1 imports '../commands/env.ts' (src/commands/env.ts): ${cli}`,
        `src/lab/engine.ts:2 imports '../sim/model.ts' (src/sim/model.ts): ${target}`,
        `src/lab/engine.ts:3 imports '../vagrant/run.js' (src/vagrant/run.ts): ${target}`,
        `src/lab/engine.ts:4 imports '../vagrant/status.ts' (src/vagrant/status.ts): ${target}`,
        `src/lab/engine.ts:7 imports '../sim' (src/sim/index.ts): ${target}`,
        `src/lab/engine.ts:9 imports '../vagrant/run.ts' (src/vagrant/run.ts): ${target}`,
      ]);
    });
  });
});
