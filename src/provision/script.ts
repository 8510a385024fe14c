// A provision script as it is sent to a VM: lib.sh (the shared helpers) followed by the script itself,
// one self-contained bash program with LF line ends. The Vagrantfile builds the same for common/master;
// lab:up sends worker (join) and metallb over SSH.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type ProvisionScript = 'common' | 'master' | 'worker' | 'metallb';

export async function provisionScript(projectDir: string, name: ProvisionScript): Promise<string> {
  const dir = join(projectDir, 'scripts', 'provision');
  const [lib, script] = await Promise.all([
    readFile(join(dir, 'lib.sh'), 'utf8'),
    readFile(join(dir, `${name}.sh`), 'utf8'),
  ]);
  const text = `${lib.endsWith('\n') ? lib : `${lib}\n`}${script}`;
  // A Git for Windows checkout (core.autocrlf=true) has CRLF line ends, and bash reads the \r as part of
  // each word (`syntax error near unexpected token $'{\r'`). Vagrant strips them from inline scripts; the
  // worker script goes over SSH, so it is done here for every script, whatever .gitattributes says.
  return text.replace(/\r\n/g, '\n');
}
