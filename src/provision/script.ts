// A provision script as it is sent to a VM: lib.sh (the shared helpers) followed by the script itself,
// one self-contained bash program. The Vagrantfile builds the same concatenation for common/master.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ProvisionScript = 'common' | 'master' | 'worker';

export async function provisionScript(projectDir: string, name: ProvisionScript): Promise<string> {
  const dir = join(projectDir, 'scripts', 'provision');
  const [lib, script] = await Promise.all([
    readFile(join(dir, 'lib.sh'), 'utf8'),
    readFile(join(dir, `${name}.sh`), 'utf8'),
  ]);
  return `${lib.endsWith('\n') ? lib : `${lib}\n`}${script}`;
}
