import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  greetedName,
  parseAnswers,
  probeScript,
  repeatScript,
  urlFor,
} from '../../../src/checks/http-script.ts';
import { quoteArgv } from '../../../src/ssh/quote.ts';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const SEED_LINE = '        <p>Hello,  hostname-deployment-7d4f978855-8h2m9</p>     </blockquote>';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs a script in /bin/sh with a wget that records its URL argument and greets as "echo". */
function runWithStub(script: string): { stdout: string; urls: string[]; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-http-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'wget'),
    `#!/bin/sh\nfor a; do url=$a; done\nprintf '%s\\0' "$url" >> "$D/urls"\nprintf '        <p>Hello,  echo</p>     </blockquote>\\n'\n`,
  );
  chmodSync(join(dir, 'wget'), 0o755);
  const run = spawnSync(toolPath('posix-sh'), ['-c', script], {
    cwd: dir,
    env: { PATH: `${dir}:/usr/bin:/bin`, D: dir },
    encoding: 'utf8',
  });
  // NUL-separated: a URL with a newline in it is still one URL.
  const urls = readFileSync(join(dir, 'urls'), 'utf8').split('\0').slice(0, -1);
  return { stdout: run.stdout, urls, files: readdirSync(dir).sort() };
}

const HOSTILE = [
  '$(touch pwned)',
  '`touch pwned`',
  "x' ; touch pwned ; '",
  'x" ; touch pwned ; "',
  'a\ntouch pwned',
  '; touch pwned #',
  '$HOME',
];

describe('greeting parser (the seed page)', () => {
  test('reads the pod name from the seed line with two spaces', () => {
    expect(greetedName(SEED_LINE)).toBe('hostname-deployment-7d4f978855-8h2m9');
  });
  test('ignores other pages', () => {
    expect(greetedName('<h1>Welcome to nginx!</h1>')).toBeUndefined();
    expect(greetedName('')).toBeUndefined();
  });
  test('parses marked answers by index and ignores stray lines', () => {
    const out = `Defaulted container "x"\nlabkit-answer 0 ${SEED_LINE}\nlabkit-answer 1 \nnoise\n`;
    const answers = parseAnswers(out);
    expect(answers.get(0)?.name).toBe('hostname-deployment-7d4f978855-8h2m9');
    expect(answers.get(1)).toEqual({ index: 1, raw: '', name: undefined });
    expect(answers.size).toBe(2);
  });
});

describe('urls', () => {
  test('IPv4 and IPv6 hosts', () => {
    expect(urlFor('172.16.158.8', 80)).toBe('http://172.16.158.8:80/');
    expect(urlFor('fd00::8', 80)).toBe('http://[fd00::8]:80/');
  });
});

describeWithTools(['posix-sh'], 'scripts run one request per URL / per index in a real sh', () => {
  test('probeScript visits each URL once, in order', () => {
    const urls = ['http://172.16.158.8:80/', 'http://172.16.87.234:80/'];
    const run = runWithStub(probeScript(urls));
    expect(run.urls).toEqual(urls);
    expect([...parseAnswers(run.stdout).values()].map((a) => a.name)).toEqual(['echo', 'echo']);
  });
  test('repeatScript sends exactly N requests, labelled 0..N-1', () => {
    const run = runWithStub(repeatScript('http://hostname-service-clusterip:8080/', 25));
    expect(run.urls).toHaveLength(25);
    expect([...parseAnswers(run.stdout).keys()]).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });
});

describeWithTools(['posix-sh'], 'hostile names never inject', () => {
  test.each(HOSTILE)('probeScript with host %j', (host) => {
    const url = urlFor(host, 8080);
    const run = runWithStub(probeScript([url]));
    expect(run.urls).toEqual([url]); // wget received the text verbatim
    expect(run.files).not.toContain('pwned');
  });
  test.each(HOSTILE)('repeatScript with host %j', (host) => {
    const url = urlFor(host, 8080);
    const run = runWithStub(repeatScript(url, 3));
    expect(run.urls).toEqual([url, url, url]);
    expect(run.files).not.toContain('pwned');
  });
  test.each(HOSTILE)('and survive the second quoting layer (kubectl exec argv over SSH) for %j', (host) => {
    // What the SSH layer sends: `kubectl exec POD -- sh -c SCRIPT` quoted as one command line, read by the
    // login shell; here a stand-in `kubectl` hands the script to sh just as kubectl exec would.
    const url = urlFor(host, 8080);
    const line = quoteArgv([
      'kubectl',
      'exec',
      'client',
      '-n',
      'default',
      '--',
      'sh',
      '-c',
      probeScript([url]),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'labkit-kubectl-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'kubectl'), '#!/bin/sh\nshift 5\nexec "$@"\n');
    writeFileSync(
      join(dir, 'wget'),
      `#!/bin/sh\nfor a; do url=$a; done\nprintf '%s\\0' "$url" >> "$D/urls"\n`,
    );
    chmodSync(join(dir, 'kubectl'), 0o755);
    chmodSync(join(dir, 'wget'), 0o755);
    spawnSync(toolPath('posix-sh'), ['-c', line], {
      cwd: dir,
      env: { PATH: `${dir}:/usr/bin:/bin`, D: dir },
    });
    expect(readFileSync(join(dir, 'urls'), 'utf8')).toBe(`${url}\0`);
    expect(readdirSync(dir)).not.toContain('pwned');
  });
});
