// The Vagrantfile, checked without booting a VM: Ruby syntax, real `vagrant validate` (with the
// vagrant-libvirt plugin), and its effective settings compared value by value with the same config file
// as the TypeScript side parses it (src/config/load.ts). Needs ruby, vagrant and vagrant-libvirt: without
// them the suites are skipped and listed at the end of the run (CI, LABKIT_REQUIRE_ALL=1, requires them).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { LabConfig } from '../../../src/config/schema.ts';
import { provisionScript } from '../../../src/provision/script.ts';
import {
  configFixture,
  effectiveSettings,
  VAGRANTFILE_TOOLS,
  repoRoot,
  rubySyntaxCheck,
  runVagrant,
  vagrantfilePath,
  type EffectiveMachine,
} from './run-ruby.ts';

// Every test spawns ruby or vagrant (about 1 s each, several times that on a loaded shared machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const CONFIGS = [
  { title: 'the default lab.config.yaml', path: join(repoRoot, 'lab.config.yaml') },
  { title: 'a changed config (192.168.60.x, other names, 4 nodes, virtualbox)', path: configFixture('changed.yaml') },
  { title: 'a libvirt config with driver and cpuModel', path: configFixture('libvirt.yaml') },
  { title: 'a libvirt config without vagrant.libvirt', path: configFixture('libvirt-no-options.yaml') },
];

let commonScript = '';
let masterScript = '';
let libScript = '';
beforeAll(async () => {
  commonScript = await provisionScript(repoRoot, 'common');
  masterScript = await provisionScript(repoRoot, 'master');
  libScript = readFileSync(join(repoRoot, 'scripts/provision/lib.sh'), 'utf8');
});

describeWithTools(VAGRANTFILE_TOOLS, 'Vagrantfile, tools', () => {
  it('is valid Ruby (ruby -c)', () => {
    const r = rubySyntaxCheck(vagrantfilePath);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Syntax OK\n');
    expect(r.status).toBe(0);
  });
});

describeWithTools(VAGRANTFILE_TOOLS, 'Vagrantfile, per config', () => {
describe.each(CONFIGS)('Vagrantfile with $title', ({ path }) => {
  let config: LabConfig;
  let machines: EffectiveMachine[];
  beforeAll(async () => {
    config = await loadConfig(path); // the fixture is a valid config by the TypeScript rules too
    const r = effectiveSettings({ LAB_CONFIG: path });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    machines = r.settings?.machines ?? [];
  });

  it('passes `vagrant validate`', () => {
    const r = runVagrant(['validate'], { LAB_CONFIG: path });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Vagrantfile validated successfully.');
    expect(r.status).toBe(0);
  });

  it('passes `vagrant validate --ignore-provider` (every machine, providers mocked usable)', () => {
    const r = runVagrant(['validate', '--ignore-provider'], { LAB_CONFIG: path });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Vagrantfile validated successfully.');
    expect(r.status).toBe(0);
  });

  it('defines one machine per node, named as the node, in config order', () => {
    expect(machines.map((m) => m.name)).toEqual(config.nodes.map((n) => n.name));
  });

  it('gives each machine the box, pinned version, boot timeout, hostname and private IP of the config', () => {
    const mask = netmask(config.network.nodeCidr);
    for (const [i, node] of config.nodes.entries()) {
      const m = machines[i];
      expect(m?.settings).toEqual({
        box: config.vagrant.box,
        box_version: config.vagrant.boxVersion,
        box_check_update: false,
        boot_timeout: config.vagrant.bootTimeout,
        hostname: node.name,
      });
      expect(m?.networks).toEqual([{ type: 'private_network', ip: node.ip, netmask: mask }]);
      expect(m?.syncedFolders).toEqual([{ host: '.', guest: '/vagrant', disabled: true }]);
    }
  });

  it('configures both providers with the node size, the configured one first (Vagrant’s default)', () => {
    const lv = config.vagrant.libvirt;
    for (const [i, node] of config.nodes.entries()) {
      const providers = machines[i]?.providers ?? [];
      expect(providers[0]?.name).toBe(config.vagrant.provider);
      const byName = Object.fromEntries(providers.map((p) => [p.name, p]));
      expect(Object.keys(byName).sort()).toEqual(['libvirt', 'virtualbox']);
      expect(byName['virtualbox']?.settings).toEqual({
        // unique per checkout (test/unit/vagrantfile/checkout.test.ts)
        name: expect.stringMatching(new RegExp(`^labkit-${node.name}-[0-9a-f]{8}$`)),
        cpus: node.cpus,
        memory: node.memoryMb,
        linked_clone: true,
      });
      expect(byName['libvirt']?.settings).toEqual({
        cpus: node.cpus,
        memory: node.memoryMb,
        ...(lv?.driver ? { driver: lv.driver } : {}),
        ...(lv?.cpuModel ? { cpu_mode: 'custom', cpu_model: lv.cpuModel } : {}),
      });
      // the providers' own config classes know every setting used
      expect(providers.flatMap((p) => p.errors)).toEqual([]);
    }
  });

  it('provisions common.sh on every node and master.sh on the control plane only, with env from the config', () => {
    const hosts = config.nodes.map((n) => `${n.ip}=${n.name}`).join(' ');
    for (const [i, node] of config.nodes.entries()) {
      const provisioners = machines[i]?.provisioners ?? [];
      const common = {
        LAB_NODE_NAME: node.name,
        LAB_NODE_IP: node.ip,
        LAB_NODE_CIDR: config.network.nodeCidr,
        LAB_HOSTS: hosts,
        LAB_K8S_VERSION: config.kubernetes.version,
        LAB_K8S_PACKAGE_REVISION: config.kubernetes.packageRevision,
      };
      const expected = [{ name: 'common', type: 'shell', inline: commonScript, env: common }];
      if (node.role === 'control-plane') {
        expected.push({
          name: 'master',
          type: 'shell',
          inline: masterScript,
          env: {
            ...common,
            LAB_POD_CIDR: config.network.podCidr,
            LAB_SERVICE_CIDR: config.network.serviceCidr,
            LAB_CALICO_VERSION: config.calico.version,
            LAB_CALICO_IPIP_MODE: config.calico.ipipMode,
            // the schema's default (quay.io) when the file omits calico.registry, as most fixtures do
            LAB_CALICO_REGISTRY: config.calico.registry,
          } as typeof common,
        });
      }
      expect(provisioners).toEqual(expected);
      for (const p of provisioners) expect(p.inline.startsWith(libScript)).toBe(true);
    }
  });
});
});

describeWithTools(VAGRANTFILE_TOOLS, 'Vagrantfile, environment and secrets', () => {
  it('hands LAB_PROVISION_UNTIL to both provisioners when set, and nothing when unset', () => {
    const path = configFixture('changed.yaml');
    const base = effectiveSettings({ LAB_CONFIG: path, LAB_PROVISION_UNTIL: 'base' }).settings;
    const all = base?.machines.flatMap((m) => m.provisioners) ?? [];
    expect(all.map((p) => p.name)).toEqual(['common', 'common', 'master', 'common', 'common']);
    for (const p of all) expect(p.env['LAB_PROVISION_UNTIL']).toBe('base');
    const none = effectiveSettings({ LAB_CONFIG: path, LAB_PROVISION_UNTIL: '' }).settings;
    for (const p of none?.machines.flatMap((m) => m.provisioners) ?? []) {
      expect(Object.keys(p.env)).not.toContain('LAB_PROVISION_UNTIL');
    }
  });

  it('refuses a LAB_PROVISION_UNTIL that is not a plain phase name', () => {
    const r = effectiveSettings({ LAB_CONFIG: configFixture('changed.yaml'), LAB_PROVISION_UNTIL: 'base$(id)' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'labkit Vagrantfile: environment variable LAB_PROVISION_UNTIL="base$(id)" must be a phase name such as base (or empty for every phase)',
    );
  });

  it('never reads registry credentials: neither the variable names nor their values reach a VM', () => {
    const secret = 'hunter2-labkit-fixture-secret';
    const r = effectiveSettings({
      LAB_CONFIG: configFixture('changed.yaml'),
      LABKIT_FIXTURE_REGISTRY_USER: 'fixture-user-name',
      LABKIT_FIXTURE_REGISTRY_PASSWORD: secret,
    });
    expect(r.status).toBe(0);
    for (const leak of [secret, 'fixture-user-name', 'LABKIT_FIXTURE_REGISTRY', 'registry.example.test']) {
      expect(r.raw).not.toContain(leak);
    }
    // no read of the top-level registry section (calico.registry, an image registry host, is read)
    expect(readFileSync(vagrantfilePath, 'utf8')).not.toMatch(
      /lab\.call\(\s*['"]registry['"]|\[\s*['"]registry['"]\s*\]|fetch\(\s*['"]registry['"]|passwordEnv|usernameEnv/,
    );
  });

  it('passes calico.registry to master.sh, and the schema default quay.io when the file omits it', () => {
    const master = (path: string): Record<string, string> | undefined =>
      effectiveSettings({ LAB_CONFIG: path })
        .settings?.machines.flatMap((m) => m.provisioners)
        .find((p) => p.name === 'master')?.env;
    expect(master(configFixture('changed.yaml'))?.['LAB_CALICO_REGISTRY']).toBe(
      'mirror.example.org:5000/calico-mirror',
    );
    expect(readFileSync(configFixture('libvirt.yaml'), 'utf8')).not.toContain('registry:');
    expect(master(configFixture('libvirt.yaml'))?.['LAB_CALICO_REGISTRY']).toBe('quay.io');
  });

  it('reads lab.config.yaml beside itself when LAB_CONFIG is unset', () => {
    const r = effectiveSettings({});
    expect(r.status).toBe(0);
    expect(r.settings?.machines.map((m) => m.name)).toEqual(['master-node', 'worker-node01', 'worker-node02']);
  });
});

describeWithTools(VAGRANTFILE_TOOLS, 'Vagrantfile, broken configs fail with the file, line and key', () => {
  const cases = [
    {
      file: 'broken-missing-ip.yaml',
      message: (f: string) => `labkit Vagrantfile: ${f}:17 nodes[1].ip: missing`,
    },
    {
      file: 'broken-cpus-type.yaml',
      message: (f: string) => `labkit Vagrantfile: ${f}:15 nodes[0].cpus: must be an integer (got "two")`,
    },
    {
      file: 'broken-yaml.yaml',
      message: (f: string) => `labkit Vagrantfile: ${f}:4: not valid YAML: did not find expected ',' or '}'`,
    },
  ];
  it.each(cases)('$file: vagrant validate exits non-zero naming it', ({ file, message }) => {
    const path = configFixture(file);
    const r = runVagrant(['validate'], { LAB_CONFIG: path });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(message(path));
    expect(r.stderr).toContain(`Fix the config, then check it with \`npx lab config check --config ${path}\`.`);
    expect(r.stderr).not.toMatch(/\.rb:\d+:in /); // a message, not a Ruby stack trace
  });

  it('a missing config file is named with what to do', () => {
    const r = runVagrant(['validate'], { LAB_CONFIG: '/nonexistent/labkit/lab.config.yaml' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      "labkit Vagrantfile: /nonexistent/labkit/lab.config.yaml: file not found: create it from the repository's lab.config.yaml, or point LAB_CONFIG at your config file",
    );
  });

  it('a value a shell would expand is refused before it reaches a provisioner command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-vf-'));
    try {
      const f = join(dir, 'lab.yaml');
      const marker = join(dir, 'expanded');
      const text = readFileSync(join(repoRoot, 'lab.config.yaml'), 'utf8');
      writeFileSync(f, text.replace('name: worker-node01', `name: "w1$(touch ${marker})"`));
      const line = text.split('\n').findIndex((l) => l.includes('name: worker-node01')) + 1;
      const r = runVagrant(['validate'], { LAB_CONFIG: f });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        `labkit Vagrantfile: ${f}:${line} nodes[1].name: "w1$(touch ${marker})" may only hold letters, digits and ._/:=- (it reaches a shell on the VM)`,
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown provider is named with the two supported ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-vf-'));
    try {
      const f = join(dir, 'lab.yaml');
      writeFileSync(
        f,
        readFileSync(join(repoRoot, 'lab.config.yaml'), 'utf8').replace('provider: virtualbox', 'provider: hyperv'),
      );
      const r = effectiveSettings({ LAB_CONFIG: f });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        `labkit Vagrantfile: ${f}:13 vagrant.provider: must be one of virtualbox, libvirt (got "hyperv")`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTools(VAGRANTFILE_TOOLS, 'these tests catch a broken Vagrantfile', () => {
  // A copy of the Vagrantfile beside a link to the real scripts, with one deliberate mistake each.
  const mutations = [
    { title: 'a node IP written by hand', from: 'ip: n[:ip], netmask', to: "ip: '192.168.56.10', netmask" },
    { title: 'a misspelled VirtualBox setting', from: 'vb.cpus = n[:cpus]', to: 'vb.cpu = n[:cpus]' },
    { title: 'memory not taken from the config', from: 'lv.memory = n[:memory]', to: 'lv.memory = 2048' },
    { title: 'master.sh on every node', from: "next unless n[:role] == 'control-plane'", to: '' },
  ];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labkit-vf-mutant-'));
    symlinkSync(join(repoRoot, 'scripts'), join(dir, 'scripts'));
    cpSync(join(repoRoot, 'lab.config.yaml'), join(dir, 'lab.config.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(mutations)('$title', async ({ from, to }) => {
    const original = readFileSync(vagrantfilePath, 'utf8');
    expect(original).toContain(from);
    const mutant = join(dir, 'Vagrantfile');
    writeFileSync(mutant, original.replace(from, to));
    const config = await loadConfig(join(repoRoot, 'lab.config.yaml'));
    const good = effectiveSettings({}).settings;
    const bad = effectiveSettings({}, mutant).settings;
    expect(good?.machines).toHaveLength(config.nodes.length);
    expect(bad).toBeDefined();
    expect(bad).not.toEqual(good);
    const errors = bad?.machines.flatMap((m) => m.providers.flatMap((p) => p.errors)) ?? [];
    const ips = bad?.machines.map((m) => m.networks[0]?.['ip']);
    const sizes = bad?.machines.map((m) => m.providers.find((p) => p.name === 'libvirt')?.settings['memory']);
    const masters = bad?.machines.filter((m) => m.provisioners.some((p) => p.name === 'master')).length;
    // Each mutant breaks at least one of the properties the tests above assert.
    expect(
      errors.length > 0 ||
        new Set(ips).size < config.nodes.length ||
        sizes?.some((s, i) => s !== config.nodes[i]?.memoryMb) ||
        masters !== 1,
    ).toBe(true);
  });
});

function netmask(cidr: string): string {
  const bits = Number(cidr.split('/')[1]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (mask >>> s) & 0xff).join('.');
}
