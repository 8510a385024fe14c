// README's "On Windows" and "On macOS" sections tell students the same fixes preflight prints: every command
// below must be in both the preflight sources and the section.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const preflightSources = [
  ...readdirSync(join(ROOT, 'src/preflight')).map((f) => join('src/preflight', f)),
  'src/vagrant/box-architecture.ts',
]
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .join('\n')
  // source strings escape backslashes
  .replaceAll('\\\\', '\\');

function section(title: string): string {
  const start = readme.indexOf(`\n### ${title}\n`);
  expect(start, `README has no "### ${title}"`).toBeGreaterThan(0);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end);
}

describe.each([
  {
    title: 'On Windows',
    fixes: [
      'winget install Oracle.VirtualBox',
      'winget upgrade Hashicorp.Vagrant',
      'setx VAGRANT_HOME C:\\vagrant.d',
      'C:\\labs\\labkit',
      'setproperty machinefolder C:\\VirtualBox-VMs',
      'Disable-WindowsOptionalFeature -Online -FeatureName',
      'bcdedit /set hypervisorlaunchtype off',
      'Core isolation',
      'UEFI Firmware Settings',
      'snapshot.enabled: false',
    ],
  },
  {
    title: 'On macOS',
    fixes: [
      'brew install --cask virtualbox',
      'brew install hashicorp/tap/hashicorp-vagrant',
      'sysctl hw.optional.arm64',
    ],
  },
])('README "$title" matches preflight', ({ title, fixes }) => {
  test.each(fixes)('%s', (fix) => {
    expect(preflightSources).toContain(fix);
    expect(section(title)).toContain(fix);
  });
});
