import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { SshError } from '../../../src/ssh/errors.ts';
import { createSshPool, type SshPool } from '../../../src/ssh/pool.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';
import { startTestSshServer, type TestSshServer } from '../../helpers/ssh-server.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options?: Parameters<typeof startTestSshServer>[0]): Promise<TestSshServer> {
  const s = await startTestSshServer(options);
  cleanups.push(() => s.close());
  return s;
}

function pool(targets: SshTarget[]): SshPool {
  const p = createSshPool(targets);
  cleanups.push(() => p.close());
  return p;
}

async function rejection(promise: Promise<unknown>): Promise<SshError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SshError);
  return error as SshError;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describeWithTools(['linux-shell'], 'ssh failures explain themselves', () => {
  test('a server killed mid-command: a clear error naming the host; the next command reconnects once', async () => {
    const s = await server();
    const p = pool([s.target({ name: 'master-node' })]);
    await p.run('master-node', { argv: ['true'] });
    const pending = p.run('master-node', { argv: ['sleep', '5'] });
    await new Promise((r) => setTimeout(r, 200));
    s.dropConnections();
    const error = await rejection(pending);
    expect(error.kind).toBe('connection-lost');
    expect(error.commandStarted).toBe(true);
    expect(error.shortMessage).toBe(`master-node: connection to 127.0.0.1:${s.port} lost: sleep 5`);
    expect(error.message.split('\n')[1]).toMatch(
      /^master-node: the SSH connection to 127\.0\.0\.1:\d+ was lost/,
    );
    const again = await p.run('master-node', { argv: ['echo', 'back'] });
    expect(again.stdout).toBe('back\n');
    expect(p.stats('master-node').connects).toBe(2);
  });

  test('a dropped connection to a host that stays down: one reconnect attempt, then connection refused', async () => {
    const s = await server();
    const p = pool([s.target({ name: 'master-node', origin: 'vagrant' })]);
    await p.run('master-node', { argv: ['true'] });
    await s.stop();
    const error = await rejection(p.run('master-node', { argv: ['true'] }));
    expect(error.kind).toBe('refused');
    expect(p.stats('master-node').connects).toBe(2);
  });

  test('a port with nothing listening: connection refused, with what to check', async () => {
    const port = await freePort();
    const p = pool([
      {
        name: 'worker-node01',
        host: '127.0.0.1',
        port,
        user: 'vagrant',
        hostKey: { mode: 'ignore' },
        origin: 'vagrant',
      },
    ]);
    const error = await rejection(p.run('worker-node01', { argv: ['kubectl', 'get', 'nodes'] }));
    expect(error.message).toBe(
      `worker-node01: connection refused by 127.0.0.1:${port}\n` +
        `worker-node01: nothing accepts SSH connections at 127.0.0.1:${port}: check that the VM is running (\`vagrant status\`) and that the port matches \`vagrant ssh-config\`.`,
    );
  });

  test('a key the server does not accept: an authentication error naming user and key', async () => {
    const s = await server();
    const wrong = s.generateKey('wrong_key');
    const p = pool([s.target({ name: 'alice/master-node', identityFile: wrong.file, origin: 'inventory' })]);
    const error = await rejection(p.run('alice/master-node', { argv: ['true'] }));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `alice/master-node: authentication failed at 127.0.0.1:${s.port}\n` +
        `alice/master-node: 127.0.0.1:${s.port} did not accept user "vagrant" with key ${wrong.file}: check user and identityFile for this host in the inventory.`,
    );
  });

  test('a missing key file is named', async () => {
    const s = await server();
    const p = pool([s.target({ identityFile: join(s.dir, 'nope') })]);
    const error = await rejection(p.run('test-host', { argv: ['true'] }));
    expect(error.kind).toBe('key-file');
    expect(error.shortMessage).toBe(`test-host: cannot read private key ${join(s.dir, 'nope')}`);
  });

  test('strict host keys: a known key connects, a changed key is refused naming file and line', async () => {
    const s = await server();
    const knownHosts = join(s.dir, 'known_hosts');
    const other = await startTestSshServer();
    cleanups.push(() => other.close());
    writeFileSync(knownHosts, `# comment\n${s.knownHostsLine()}\n`);
    const ok = pool([s.target({ hostKey: { mode: 'strict', knownHostsFile: knownHosts } })]);
    expect((await ok.run('test-host', { argv: ['echo', 'ok'] })).stdout).toBe('ok\n');

    // The same address now answers with another key (a rebuilt VM, or an attacker).
    writeFileSync(
      knownHosts,
      `# comment\n${other.knownHostsLine().replace(`]:${other.port} `, `]:${s.port} `)}\n`,
    );
    const changed = pool([s.target({ hostKey: { mode: 'strict', knownHostsFile: knownHosts } })]);
    const error = await rejection(changed.run('test-host', { argv: ['true'] }));
    expect(error.kind).toBe('host-key');
    expect(error.shortMessage).toBe(`test-host: host key refused for 127.0.0.1:${s.port}`);
    expect(error.hint).toContain(`the host key of [127.0.0.1]:${s.port} has changed`);
    expect(error.hint).toContain(`${knownHosts} line 2 holds a different ssh-ed25519 key`);
    expect(error.hint).toContain(`ssh-keygen -f ${knownHosts} -R '[127.0.0.1]:${s.port}'`);
  });

  test('strict refuses an unknown host; accept-new records it and then holds it', async () => {
    const s = await server();
    const knownHosts = join(s.dir, 'kh', 'known_hosts');
    const strict = pool([s.target({ hostKey: { mode: 'strict', knownHostsFile: knownHosts } })]);
    const error = await rejection(strict.run('test-host', { argv: ['true'] }));
    expect(error.hint).toContain(`[127.0.0.1]:${s.port} is not in ${knownHosts} (the file does not exist)`);
    const tofu = pool([s.target({ hostKey: { mode: 'accept-new', knownHostsFile: knownHosts } })]);
    await tofu.run('test-host', { argv: ['true'] });
    expect(readFileSync(knownHosts, 'utf8')).toBe(`${s.knownHostsLine()}\n`);
    const again = pool([s.target({ hostKey: { mode: 'strict', knownHostsFile: knownHosts } })]);
    expect((await again.run('test-host', { argv: ['echo', 'ok'] })).stdout).toBe('ok\n');
  });

  test('a jump host: the target is reached through forwardOut', async () => {
    const bastion = await server();
    const target = await server();
    const p = pool([target.target({ name: 'alice/master-node', jump: bastion.target({ name: 'bastion' }) })]);
    expect((await p.run('alice/master-node', { argv: ['echo', 'via jump'] })).stdout).toBe('via jump\n');
    expect(bastion.connections).toBe(1);
    expect(target.connections).toBe(1);
  });

  test('sudo runs the command through `sudo -n --` and keeps env', async () => {
    const s = await server({ pathPrepend: [join(import.meta.dirname, '../../fixtures/ssh/sudo-shim')] });
    const p = pool([s.target()]);
    const result = await p.run(
      'test-host',
      { argv: ['sh', '-c', 'echo "$SUDO_SHIM:$K"'] },
      { sudo: true, env: { K: 'v w' } },
    );
    expect(result.stdout).toBe('1:v w\n');
    expect(result.command).toBe(`sudo -n -- env K=… sh -c 'echo "$SUDO_SHIM:$K"'`);
  });

  test('an unknown host name says which hosts exist', async () => {
    const s = await server();
    const p = pool([s.target({ name: 'master-node' })]);
    await expect(p.exec('master', { argv: ['true'] })).rejects.toThrow(
      'unknown host "master": known hosts are master-node',
    );
  });
});
