// `npx lab config check` as a user runs it: the real bin, a real file, exit codes and output.
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/lab.mjs');

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function configFile(transform: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labkit-cli-'));
  made.push(dir);
  const file = join(dir, 'lab.config.yaml');
  await writeFile(file, transform(await readFile(join(ROOT, 'lab.config.yaml'), 'utf8')));
  return file;
}

describe('lab config check', () => {
  test('prints the resolved config and exits 0 for the shipped config', async () => {
    const result = await execa(
      process.execPath,
      [BIN, 'config', 'check', '--config', join(ROOT, 'lab.config.yaml')],
      {
        reject: false,
      },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(': valid');
    expect(result.stdout).toContain('podCidr: 172.16.0.0/16');
  });

  test('exits 2 naming both keys when the pod CIDR overlaps the service CIDR', async () => {
    const file = await configFile((t) => t.replace('podCidr: 172.16.0.0/16', 'podCidr: 172.17.0.0/16'));
    const result = await execa(process.execPath, [BIN, 'config', 'check', '--config', file], {
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^${file}:\\d+ network\\.serviceCidr: 172\\.17\\.0\\.0/16 overlaps network\\.podCidr 172\\.17\\.0\\.0/16`,
        'm',
      ),
    );
    expect(result.stderr).toContain('1 problem found.');
  });

  test('shows whether registry credentials are set, never their values', async () => {
    const file = await configFile(
      (t) =>
        `${t}\nregistry:\n  server: https://index.docker.io/v1/\n  usernameEnv: LK_USER\n  passwordEnv: LK_PASS\n`,
    );
    const result = await execa(process.execPath, [BIN, 'config', 'check', '--config', file], {
      reject: false,
      env: { LK_USER: 'student1', LK_PASS: 's3cr3t-value' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('password: LK_PASS (set)');
    expect(result.stdout).not.toContain('s3cr3t-value');
    expect(result.stdout).not.toContain('student1');
  });

  test('a missing file exits 2 and says what to do', async () => {
    const result = await execa(
      process.execPath,
      [BIN, 'config', 'check', '--config', '/nonexistent/lab.yaml'],
      {
        reject: false,
      },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '/nonexistent/lab.yaml: file not found: run labkit from the project folder, or pass --config FILE / set LAB_CONFIG',
    );
  });

  test('an unknown command exits 2 with usage help', async () => {
    const result = await execa(process.execPath, [BIN, 'frobnicate'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
