import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../../src/config/load.ts';
import { SourceError } from '../../../src/util/yaml-source.ts';

const DEFAULT_TEXT = readFileSync(new URL('../../../lab.config.yaml', import.meta.url), 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseConfigText('lab.config.yaml', text);
  } catch (error) {
    if (error instanceof SourceError) return error.message.split('\n');
    throw error;
  }
  return [];
}

/** Replaces one exact substring of the default config (fails loudly if the anchor is gone). */
function edit(from: string, to: string, text = DEFAULT_TEXT): string {
  expect(text, `fixture anchor ${JSON.stringify(from)}`).toContain(from);
  return text.replace(from, to);
}

function lineOf(snippet: string, text: string): number {
  return text.slice(0, text.indexOf(snippet)).split('\n').length;
}

describe('lab.config.yaml', () => {
  test('the shipped default config is valid and resolves to the tutorial lab', () => {
    const config = parseConfigText('lab.config.yaml', DEFAULT_TEXT);
    expect(config.nodes.map((n) => [n.name, n.role, n.ip])).toEqual([
      ['master-node', 'control-plane', '192.168.56.10'],
      ['worker-node01', 'worker', '192.168.56.11'],
      ['worker-node02', 'worker', '192.168.56.12'],
    ]);
    expect(config.network).toEqual({
      nodeCidr: '192.168.56.0/24',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/16',
    });
    expect(config.kubernetes.version).toMatch(/^1\.\d\d\.\d+$/);
    expect(config.registry).toBeUndefined();
    expect(config.calico.registry).toBe('quay.io');
  });

  test('calico.registry defaults to quay.io when omitted, and accepts a host with port and path', () => {
    const omitted = edit('  registry: quay.io\n', '');
    expect(parseConfigText('lab.config.yaml', omitted).calico.registry).toBe('quay.io');
    for (const registry of [
      'docker.io',
      'registry.example.org:5000/calico-mirror',
      '10.0.0.5:5000',
      'ghcr.io/my-org/mirror_1',
    ]) {
      const t = edit('  registry: quay.io\n', `  registry: ${registry}\n`);
      expect(parseConfigText('lab.config.yaml', t).calico.registry).toBe(registry);
    }
  });

  test.each([
    'https://quay.io',
    'quay.io/',
    'Quay.io',
    '"quay.io/$(id)"',
    '"quay.io calico"',
    "'quay.io;id'",
    '""',
  ])('rejects calico.registry %s', (value) => {
    const t = edit('  registry: quay.io\n', `  registry: ${value}\n`);
    expect(problemsOf(t)).toEqual([
      `lab.config.yaml:${lineOf(`registry: ${value}`, t)} calico.registry: must be a registry host[:port][/path] such as quay.io or registry.example.org:5000/mirror (lowercase, no scheme, no trailing "/")`,
    ]);
  });

  const cases: { name: string; text: () => string; expected: (text: string) => string[] }[] = [
    {
      name: 'pod CIDR overlapping the service CIDR names both keys',
      text: () => edit('podCidr: 172.16.0.0/16', 'podCidr: 172.16.0.0/12'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('serviceCidr:', t)} network.serviceCidr: 172.17.0.0/16 overlaps network.podCidr 172.16.0.0/12; node, pod and service ranges must be disjoint`,
      ],
    },
    {
      name: 'node network overlapping the pod CIDR',
      text: () => edit('nodeCidr: 192.168.56.0/24', 'nodeCidr: 172.16.56.0/24'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('podCidr:', t)} network.podCidr: 172.16.0.0/16 overlaps network.nodeCidr 172.16.56.0/24; node, pod and service ranges must be disjoint`,
        ...['10', '11', '12'].map(
          (last) =>
            `lab.config.yaml:${lineOf(`ip: 192.168.56.${last}`, t)} nodes[${Number(last) - 10}].ip: 192.168.56.${last} is outside network.nodeCidr 172.16.56.0/24`,
        ),
        `lab.config.yaml:${lineOf('pool: 192.168.56.240', t)} metallb.pool: 192.168.56.240-192.168.56.250 is not inside network.nodeCidr 172.16.56.0/24: L2 mode answers ARP on the node network only`,
      ],
    },
    {
      name: 'a MetalLB pool holding a node IP and the host .1',
      text: () => edit('pool: 192.168.56.240-192.168.56.250', 'pool: 192.168.56.1-192.168.56.11'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('pool: 192.168.56.1-', t)} metallb.pool: 192.168.56.1-192.168.56.11 includes 192.168.56.1, the host's own address on the private network`,
        `lab.config.yaml:${lineOf('pool: 192.168.56.1-', t)} metallb.pool: 192.168.56.1-192.168.56.11 includes nodes[0].ip 192.168.56.10 (master-node); pick addresses no node uses`,
        `lab.config.yaml:${lineOf('pool: 192.168.56.1-', t)} metallb.pool: 192.168.56.1-192.168.56.11 includes nodes[1].ip 192.168.56.11 (worker-node01); pick addresses no node uses`,
      ],
    },
    {
      name: 'a MetalLB pool CIDR reaching the broadcast address',
      text: () => edit('pool: 192.168.56.240-192.168.56.250', 'pool: 192.168.56.240/28'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('pool: 192.168.56.240/28', t)} metallb.pool: 192.168.56.240/28 includes the network or broadcast address of 192.168.56.0/24`,
      ],
    },
    {
      name: 'a MetalLB pool that ends before it starts',
      text: () => edit('pool: 192.168.56.240-192.168.56.250', 'pool: 192.168.56.250-192.168.56.240'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('pool: 192.168.56.250', t)} metallb.pool: "192.168.56.250-192.168.56.240" ends before it starts (192.168.56.240 < 192.168.56.250)`,
      ],
    },
    {
      name: 'a MetalLB pool that is a single address',
      text: () => edit('pool: 192.168.56.240-192.168.56.250', 'pool: 192.168.56.240'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('pool: 192.168.56.240', t)} metallb.pool: "192.168.56.240" is not a range such as 192.168.56.240-192.168.56.250 or a CIDR such as 192.168.56.240/29`,
      ],
    },
    {
      name: 'a node IP outside the node network',
      text: () => edit('ip: 192.168.56.12', 'ip: 192.168.57.12'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('ip: 192.168.57.12', t)} nodes[2].ip: 192.168.57.12 is outside network.nodeCidr 192.168.56.0/24`,
      ],
    },
    {
      name: 'a duplicated node IP',
      text: () => edit('ip: 192.168.56.12', 'ip: 192.168.56.11'),
      expected: () => [
        `lab.config.yaml:${lineOf('ip: 192.168.56.12', DEFAULT_TEXT)} nodes[2].ip: duplicates nodes[1].ip 192.168.56.11`,
      ],
    },
    {
      name: 'a duplicated hostname',
      text: () => edit('name: worker-node02', 'name: worker-node01'),
      expected: () => [
        `lab.config.yaml:${lineOf('name: worker-node02', DEFAULT_TEXT)} nodes[2].name: duplicates nodes[1].name "worker-node01"`,
      ],
    },
    {
      name: 'a misspelled key is an error, not ignored',
      text: () => edit('  provider: virtualbox', '  provder: virtualbox'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('vagrant:', t)} vagrant.provider: required key is missing`,
        `lab.config.yaml:${lineOf('provder:', t)} vagrant.provder: unknown key (check the spelling; see the JSON Schema for allowed keys)`,
      ],
    },
    {
      name: 'a Kubernetes version that is not a full patch version',
      text: () => edit(/version: 1\.\d+\.\d+/.exec(DEFAULT_TEXT)?.[0] ?? 'missing', 'version: v1.31'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('version: v1.31', t)} kubernetes.version: must be a full patch version such as 1.33.5 (no "v", no range)`,
      ],
    },
    {
      name: 'a Calico version without the v',
      text: () => edit(/version: v3\.\d+\.\d+/.exec(DEFAULT_TEXT)?.[0] ?? 'missing', 'version: 3.30.1'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('version: 3.30.1', t)} calico.version: must be a Calico release such as v3.30.3`,
      ],
    },
    {
      name: 'a CIDR with host bits set',
      text: () => edit('serviceCidr: 172.17.0.0/16', 'serviceCidr: 172.17.0.1/16'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('serviceCidr:', t)} network.serviceCidr: "172.17.0.1/16" has host bits set; the network is 172.17.0.0/16`,
      ],
    },
    {
      name: 'an unknown provider',
      text: () => edit('provider: virtualbox', 'provider: hyperv'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('provider: hyperv', t)} vagrant.provider: Invalid option: expected one of "virtualbox"|"libvirt"`,
      ],
    },
    {
      name: 'two control planes',
      text: () => edit('role: worker', 'role: control-plane'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('nodes:', t)} nodes: needs exactly one node with role control-plane (found 2)`,
      ],
    },
    {
      name: "the host's own .1 address",
      text: () => edit('ip: 192.168.56.10', 'ip: 192.168.56.1'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('ip: 192.168.56.1\n', t)} nodes[0].ip: 192.168.56.1 is the host's own address on the private network (.1); use .2 or above`,
      ],
    },
    {
      name: 'an uppercase hostname',
      text: () => edit('name: master-node', 'name: Master_Node'),
      expected: (t) => [
        `lab.config.yaml:${lineOf('name: Master_Node', t)} nodes[0].name: must be a lowercase RFC 1123 name (a-z, 0-9, "-", at most 63 characters, no leading/trailing "-")`,
      ],
    },
  ];

  test.each(cases)('rejects $name', ({ text, expected }) => {
    const t = text();
    expect(problemsOf(t)).toEqual(expected(t));
  });

  // kubeadm's minimums are lab:up's preflight rule (only when kubeadm will run), not a config error: the VM
  // lane's 768 MB / 1 CPU lab must load.
  test('accepts a control plane below kubeadm minimums (lab:up preflight checks them)', () => {
    const t = edit('cpus: 2 #', 'cpus: 1 #').replace('memoryMb: 2048', 'memoryMb: 768');
    expect(problemsOf(t)).toEqual([]);
    const vmLane = readFileSync(new URL('../../vm/lab.config.vm.yaml', import.meta.url), 'utf8');
    expect(problemsOf(vmLane)).toEqual([]);
    expect(parseConfigText('lab.config.vm.yaml', vmLane).nodes.map((n) => [n.cpus, n.memoryMb])).toEqual([
      [1, 768],
      [1, 768],
      [1, 768],
    ]);
  });

  test('invalid YAML is reported with its line', () => {
    const t = edit('calico:\n', 'calico:\n  version: [unclosed\n');
    const problems = problemsOf(t);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^lab\.config\.yaml:\d+: invalid YAML: /);
  });

  test('problems from different parts of the file are all listed in one pass', () => {
    const t = edit(
      '  provider: virtualbox',
      '  provder: virtualbox',
      edit('podCidr: 172.16.0.0/16', 'podCidr: 172.17.0.0/16'),
    );
    const problems = problemsOf(t);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain(
      'network.serviceCidr: 172.17.0.0/16 overlaps network.podCidr 172.17.0.0/16',
    );
    expect(problems.join('\n')).toContain('vagrant.provder: unknown key');
  });

  test('registry settings hold environment variable names, never values', () => {
    const t = `${DEFAULT_TEXT}\nregistry:\n  server: https://index.docker.io/v1/\n  usernameEnv: LAB_REGISTRY_USERNAME\n  passwordEnv: LAB_REGISTRY_PASSWORD\n`;
    expect(parseConfigText('lab.config.yaml', t).registry?.passwordEnv).toBe('LAB_REGISTRY_PASSWORD');
    const withValue = `${t}  password: hunter2\n`;
    expect(problemsOf(withValue).join('\n')).toContain('registry.password: unknown key');
  });
});
