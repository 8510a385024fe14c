// The kubectl double in-process against a temporary state file: apply messages, validation errors worded
// like the apiserver's, unsupported commands failing loudly, and the pod shell (pipes, loops, wget, env,
// nslookup, ip addr, resolv.conf) through `kubectl run` / `kubectl exec`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'shell-quote';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bootstrapCluster } from '../../../src/sim/model/bootstrap.ts';
import { kubectl } from '../../../src/sim/kubectl/main.ts';
import { writeStateFile } from '../../../src/sim/store.ts';
import { SEED_NODES } from './helpers.ts';

let dir: string;
let stateFile: string;

async function k(args: string, stdin = ''): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  // Split like the remote shell would (quotes removed, `$` left alone for the pod shell).
  const argv = parse(args, (name) => `$${name}`).map((a) =>
    typeof a === 'string' ? a : 'op' in a ? a.op : String(a),
  );
  const code = await kubectl({
    argv,
    stateFile,
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => stdin,
  });
  return { out, err, code };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: webserver
  template:
    metadata:
      labels:
        app: webserver
    spec:
      containers:
      - name: my-webserver
        image: docker.io/alicek106/rr-test:echo-hostname
        ports:
        - containerPort: 80
`;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labkit-sim-'));
  stateFile = join(dir, 'state.json');
  await writeStateFile(
    stateFile,
    bootstrapCluster(SEED_NODES, {
      config: { readyDelayMs: 0, terminationDelayMs: 0, sleepScale: 0, timeoutScale: 0 },
    }),
  );
  writeFileSync(join(dir, 'dep.yaml'), DEPLOYMENT);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('kubectl apply', () => {
  test('created, then unchanged, then configured', async () => {
    expect((await k(`apply -f ${dir}/dep.yaml`)).out).toBe('deployment.apps/hostname-deployment created\n');
    expect((await k(`apply -f ${dir}/dep.yaml`)).out).toBe('deployment.apps/hostname-deployment unchanged\n');
    writeFileSync(join(dir, 'dep.yaml'), DEPLOYMENT.replace('replicas: 3', 'replicas: 2'));
    expect((await k(`apply -f ${dir}/dep.yaml`)).out).toBe(
      'deployment.apps/hostname-deployment configured\n',
    );
  });

  test('from stdin and from a directory', async () => {
    expect((await k('apply -f -', DEPLOYMENT)).out).toBe('deployment.apps/hostname-deployment created\n');
    expect((await k(`apply -f ${dir}`)).out).toBe('deployment.apps/hostname-deployment unchanged\n');
  });

  test('an unknown field is a strict decoding error', async () => {
    writeFileSync(join(dir, 'bad.yaml'), DEPLOYMENT.replace('replicas: 3', 'replica: 3'));
    const r = await k(`apply -f ${dir}/bad.yaml`);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `Error from server (BadRequest): error when creating "${dir}/bad.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n`,
    );
  });

  test('a missing image and a selector that does not match are Invalid', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      DEPLOYMENT.replace('        image: docker.io/alicek106/rr-test:echo-hostname\n', '').replace(
        '      labels:\n        app: webserver\n    spec',
        '      labels:\n        app: other\n    spec',
      ),
    );
    const r = await k(`apply -f ${dir}/bad.yaml`);
    expect(r.err).toContain(
      'The Deployment "hostname-deployment" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n* spec.template.spec.containers[0].image: Required value',
    );
  });

  test('a service without ports, a missing kind, an unknown kind', async () => {
    expect(
      (
        await k(
          'apply -f -',
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: x\n',
        )
      ).err,
    ).toContain('The Service "s" is invalid: spec.ports: Required value');
    expect((await k('apply -f -', 'apiVersion: v1\nmetadata:\n  name: s\n')).err).toContain(
      'error validating data: kind not set',
    );
    expect((await k('apply -f -', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: s\n')).err).toContain(
      'no matches for kind "Foo" in version "v1"',
    );
  });
});

describe('unsupported things fail loudly', () => {
  test.each([
    'scale deployment x --replicas=2',
    'get pods --watch',
    'get foo',
    'get pods --bogus',
    'rollout undo deployment/x',
    'port-forward x 80',
  ])('kubectl %s exits non-zero with an error', async (args) => {
    const r = await k(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/^error: |^Error from server/);
  });
});

describe('pods and the pod shell', () => {
  test('run --rm -i with a loop over the service, grep, sort, uniq -c', async () => {
    await k(`apply -f ${dir}/dep.yaml`);
    await k('expose deployment hostname-deployment --port=8080 --target-port=80 --name=web');
    const r = await k(
      `run debug -i --rm --image=busybox --restart=Never -- sh -c 'for i in $(seq 1 30); do wget -q -O - http://web:8080 | grep -o "Hello,  [a-z0-9-]*"; done | sort | uniq -c | wc -l'`,
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe('3\npod "debug" deleted\n');
  });

  test('exec: hostname, ip addr (eth0 mtu 1480, /32), resolv.conf, nslookup, env, missing program', async () => {
    await k(`apply -f ${dir}/dep.yaml`);
    const name = (await k("get pod -l app=webserver -o jsonpath='{.items[0].metadata.name}'")).out;
    const ip = (await k(`get pod ${name} -o jsonpath='{.status.podIP}'`)).out;
    expect((await k(`exec ${name} -- hostname`)).out).toBe(`${name}\n`);
    const addr = (await k(`exec ${name} -- ip addr`)).out;
    expect(addr).toMatch(
      /eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1480 qdisc noqueue qlen 1000/,
    );
    expect(addr).toContain(`    inet ${ip}/32 scope global eth0\n`);
    expect((await k(`exec ${name} -- cat /etc/resolv.conf`)).out).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.17.0.10\noptions ndots:5\n',
    );
    expect((await k(`exec ${name} -- nslookup kubernetes.default`)).out).toBe(
      'Server:\t\t172.17.0.10\nAddress:\t172.17.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 172.17.0.1\n\n',
    );
    const missing = await k(`exec ${name} -- nosuchprogram`);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('executable file not found in $PATH');
    const failing = await k(`exec ${name} -- sh -c 'exit 3'`);
    expect(failing.code).toBe(3);
    expect(failing.err).toBe('command terminated with exit code 3\n');
  });

  test('shell syntax: &&, ||, while with a counter, variables, quotes, $((...))', async () => {
    await k(`apply -f ${dir}/dep.yaml`);
    const name = (await k("get pod -l app=webserver -o jsonpath='{.items[0].metadata.name}'")).out;
    const script = `i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo "n=$i"; done; false || echo fallback; true && echo "a  b" | grep -c "a  b"; echo 'single $i'`;
    expect((await k(`exec ${name} -- sh -c '${script.replace(/'/g, "'\\''")}'`)).out).toBe(
      'n=1\nn=2\nn=3\nfallback\n1\nsingle $i\n',
    );
  });

  test('wget errors: refused, bad address, timeout with -T', async () => {
    await k(`apply -f ${dir}/dep.yaml`);
    const name = (await k("get pod -l app=webserver -o jsonpath='{.items[0].metadata.name}'")).out;
    const ip = (await k(`get pod ${name} -o jsonpath='{.status.podIP}'`)).out;
    expect((await k(`exec ${name} -- wget -q -O - http://${ip}:81`)).err).toContain(
      `wget: can't connect to remote host (${ip}): Connection refused`,
    );
    expect((await k(`exec ${name} -- wget -q -O - http://nosuch:8080`)).err).toContain(
      "wget: bad address 'nosuch:8080'",
    );
    expect((await k(`exec ${name} -- wget -q -T 2 -O - http://172.16.99.99`)).err).toContain(
      'wget: download timed out',
    );
  });

  test('a detached busybox pod runs its command: logs, then Completed', async () => {
    expect((await k("run once --image=busybox --restart=Never -- sh -c 'echo hello; hostname'")).out).toBe(
      'pod/once created\n',
    );
    await k('get pods');
    expect((await k('logs once')).out).toBe('hello\nonce\n');
    expect((await k('get pod once')).out).toMatch(/^once\s+0\/1\s+Completed\s+0\s+/m);
  });
});
