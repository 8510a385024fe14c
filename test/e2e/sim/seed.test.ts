// The seed tutorial's commands, stage by stage, over real SSH (labkit's pool) against the testbed master,
// whose `kubectl` is the simulated cluster. Run under `flock /tmp/labkit-testbed.lock npx vitest run
// --project e2e test/e2e/sim`.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil } from '../../../src/cluster/wait.ts';
import type { SshPool } from '../../../src/ssh/pool.ts';
import { testbedDown } from '../../testbed/index.ts';
import { setClusterConfig, setClusterFaults } from '../../testbed/faults.ts';
import { startTestbed, type Testbed } from '../ssh/testbed-fixture.ts';

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
      name: my-webserver
    spec:
      containers:
      - name: my-webserver
        image: docker.io/alicek106/rr-test:echo-hostname
        ports:
        - containerPort: 80
      imagePullSecrets:
      - name: regcred
`;

const SERVICE = (affinity: boolean): string => `apiVersion: v1
kind: Service
metadata:
  name: hostname-service-clusterip
spec:
  type: ClusterIP
  selector:
    app: webserver
  ports:
  - name: web-port
    port: 8080
    targetPort: 80
${affinity ? '  sessionAffinity: ClientIP\n' : ''}`;

let bed: Testbed;
let pool: SshPool;
let master: string;

async function sh(
  script: string,
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return pool.exec(master, { script }, { timeoutMs });
}

async function write(file: string, text: string): Promise<void> {
  await pool.run(master, { argv: ['tee', file] }, { stdin: text });
}

async function podNames(): Promise<string[]> {
  const r = await sh(
    `kubectl get pod -l app=webserver -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}'`,
  );
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((p) => p[1] === 'Running' && p.length === 2)
    .map((p) => p[0] ?? '');
}

/** One busybox pod, one exec, many requests: returns the pod names that answered, in order. */
async function hits(url: string, n: number, client = 'debug'): Promise<string[]> {
  const r = await sh(
    `kubectl run ${client} -i --rm --image=docker.io/busybox --restart=Never -- sh -c 'for i in $(seq 1 ${n}); do wget -q -O - ${url} | grep Hello; done'`,
  );
  expect(r.exitCode, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/<p>Hello, {2}(\S+)<\/p>/g)].map((m) => m[1] ?? '');
}

beforeAll(async () => {
  bed = await startTestbed();
  pool = bed.pool();
  master = bed.target('master-node');
  await setClusterConfig({ terminationDelayMs: 300 });
  await write('hostname-deployment.yaml', DEPLOYMENT);
  await write('hostname-service-clusterip.yaml', SERVICE(false));
});

afterAll(async () => {
  await pool?.close();
  await testbedDown();
});

describe('the seed tutorial against the simulated cluster over SSH', () => {
  test('kubectl is on the master PATH only, and the nodes are the lab nodes with the testbed addresses', async () => {
    const nodes = await sh('kubectl get nodes -o wide');
    expect(nodes.stdout).toMatch(/^master-node\s+Ready\s+control-plane/m);
    expect(nodes.stdout).toMatch(/^worker-node01\s+Ready\s+worker/m);
    const addresses = bed.info.hosts.map((h) => h.address);
    for (const a of addresses) expect(nodes.stdout).toContain(a);
    const worker = await pool.exec(bed.target('worker-node01'), {
      script: 'command -v kubectl; echo "$PATH"',
    });
    expect(worker.stdout).not.toContain('.testbed/clusters');
  });

  test('stage 1: the Deployment is created and its 3 pods become Running on the workers with 172.16 IPs', async () => {
    const apply = await sh('kubectl apply -f hostname-deployment.yaml');
    expect(apply.stdout).toBe('deployment.apps/hostname-deployment created\n');
    const rollout = await sh('kubectl rollout status deployment/hostname-deployment --timeout=30s');
    expect(rollout.stdout).toContain('deployment "hostname-deployment" successfully rolled out');
    const wide = await sh('kubectl get pod -o wide');
    const rows = wide.stdout.trim().split('\n');
    expect(rows[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(1))
      expect(row).toMatch(
        /^hostname-deployment-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}\s+1\/1\s+Running\s+0\s+\S+\s+172\.16\.\d+\.\d+\s+worker-node0[12]\s+<none>\s+<none>$/,
      );
  });

  test('stage 2: a busybox pod reaches each pod IP and the pod answers with its own name', async () => {
    const r = await sh(
      `kubectl get pod -l app=webserver -o jsonpath='{range .items[*]}{.metadata.name}={.status.podIP}{"\\n"}{end}'`,
    );
    const pairs = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]);
    const script = pairs.map(([, ip]) => `wget -q -O - http://${ip} | grep Hello`).join('; ');
    const out = await sh(
      `kubectl run debug -i --rm --image=docker.io/busybox --restart=Never -- sh -c '${script}'`,
    );
    expect(out.stdout.split('\n').slice(0, 3)).toEqual(
      pairs.map(([name]) => `        <p>Hello,  ${name}</p>     </blockquote>`),
    );
  });

  test('stage 3: the ClusterIP service spreads requests over all pods, by IP:8080 and by name', async () => {
    expect((await sh('kubectl apply -f hostname-service-clusterip.yaml')).stdout).toBe(
      'service/hostname-service-clusterip created\n',
    );
    const svc = await sh('kubectl get service');
    expect(svc.stdout).toMatch(
      /^hostname-service-clusterip\s+ClusterIP\s+172\.17\.\d+\.\d+\s+<none>\s+8080\/TCP\s+\S+$/m,
    );
    expect(svc.stdout).toMatch(/^kubernetes\s+ClusterIP\s+172\.17\.0\.1\s+<none>\s+443\/TCP/m);
    const ip = (await sh(`kubectl get svc hostname-service-clusterip -o jsonpath='{.spec.clusterIP}'`))
      .stdout;
    const pods = await podNames();
    const byIp = await hits(`http://${ip}:8080`, 30);
    const byName = await hits('http://hostname-service-clusterip:8080', 30);
    // P(some pod gets none of 30) ≈ 3·(2/3)^30 ≈ 1.6e-5 for a uniform choice.
    expect(new Set(byIp)).toEqual(new Set(pods));
    expect(new Set(byName)).toEqual(new Set(pods));
  });

  test('stage 4: a deleted pod is replaced (new name, new IP); the replacement answers, the deleted one never', async () => {
    const before = await podNames();
    const victim = before[0] ?? '';
    const del = await sh(`kubectl delete pod ${victim}`);
    expect(del.stdout).toBe(`pod "${victim}" deleted\n`);
    const after = await pollUntil(
      'a replacement pod Running',
      async () => {
        const now = await podNames();
        return now.length === 3 && !now.includes(victim)
          ? { done: true, value: now }
          : { done: false, observed: now.join(' ') };
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const fresh = after.filter((p) => !before.includes(p));
    expect(fresh).toHaveLength(1);
    const answered = await hits('http://hostname-service-clusterip:8080', 30);
    expect(answered).not.toContain(victim);
    expect(new Set(answered)).toEqual(new Set(after));
  });

  test('stage 5: a pod created after the service has exactly the 8 service variables; an older pod has none', async () => {
    const env = await sh(
      `kubectl run envpod -i --rm --image=docker.io/busybox --restart=Never -- sh -c 'env | grep HOSTNAME_SERVICE_CLUSTERIP | sort'`,
    );
    const ip = (await sh(`kubectl get svc hostname-service-clusterip -o jsonpath='{.spec.clusterIP}'`))
      .stdout;
    expect(env.stdout.split('\n').filter((l) => l.startsWith('HOSTNAME_'))).toEqual(
      [
        `HOSTNAME_SERVICE_CLUSTERIP_PORT=tcp://${ip}:8080`,
        `HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP=tcp://${ip}:8080`,
        `HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_ADDR=${ip}`,
        'HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PORT=8080',
        'HOSTNAME_SERVICE_CLUSTERIP_PORT_8080_TCP_PROTO=tcp',
        `HOSTNAME_SERVICE_CLUSTERIP_SERVICE_HOST=${ip}`,
        'HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT=8080',
        'HOSTNAME_SERVICE_CLUSTERIP_SERVICE_PORT_WEB_PORT=8080',
      ].sort(),
    );
    // The pods made in stage 1 predate the service (the stage-4 replacement does not).
    const pods = (await sh(`kubectl get pod -l app=webserver --sort-by=.metadata.creationTimestamp -o name`))
      .stdout;
    const oldest = (pods.split('\n')[0] ?? '').replace('pod/', '');
    const old = await sh(`kubectl exec ${oldest} -- sh -c 'env | grep -c HOSTNAME_SERVICE_CLUSTERIP'`);
    expect(old.stdout.trim()).toBe('0');
  });

  test('stage 6: sessionAffinity ClientIP pins each client to one pod', async () => {
    await write('hostname-service-clusterip.yaml', SERVICE(true));
    expect((await sh('kubectl apply -f hostname-service-clusterip.yaml')).stdout).toBe(
      'service/hostname-service-clusterip configured\n',
    );
    const table = await sh('kubectl get pod,service -o wide');
    expect(table.stdout).toMatch(/^pod\/hostname-deployment-/m);
    expect(table.stdout).toMatch(
      /^service\/hostname-service-clusterip\s+ClusterIP\s+172\.17\.\S+\s+<none>\s+8080\/TCP\s+\S+\s+app=webserver$/m,
    );
    for (const client of ['debug', 'debug2'])
      expect(new Set(await hits('http://hostname-service-clusterip:8080', 20, client)).size).toBe(1);
  });

  test('faults: blackhole-endpoint makes one pod time out; dns-broken breaks names; switched off again', async () => {
    await setClusterFaults(['blackhole-endpoint', 'dns-broken']);
    try {
      const ips = (
        await sh(`kubectl get pod -l app=webserver -o jsonpath='{.items[*].status.podIP}'`)
      ).stdout.split(' ');
      const script =
        ips.map((ip) => `wget -q -T 1 -O - http://${ip} >/dev/null && echo ok || echo fail`).join('; ') +
        '; wget -q -T 1 -O - http://hostname-service-clusterip:8080';
      const r = await sh(
        `kubectl run faulty -i --rm --image=docker.io/busybox --restart=Never -- sh -c '${script}'`,
      );
      expect(r.stdout.split('\n').filter((l) => l === 'fail')).toHaveLength(1);
      // wget's messages are the container's stderr, which `kubectl run -i` keeps apart from its stdout.
      expect(r.stderr).toContain('wget: download timed out');
      expect(r.stderr).toContain("wget: bad address 'hostname-service-clusterip:8080'");
      expect(r.stdout).not.toContain('wget:');
    } finally {
      await setClusterFaults([]);
    }
  });

  test('cleanup: deleting both manifests removes the pods, the service and its endpoints', async () => {
    const del = await sh('kubectl delete -f hostname-deployment.yaml -f hostname-service-clusterip.yaml');
    expect(del.stdout).toBe(
      'deployment.apps "hostname-deployment" deleted\nservice "hostname-service-clusterip" deleted\n',
    );
    await pollUntil(
      'no webserver pods left',
      async () => {
        const left = (await sh('kubectl get pod -l app=webserver -o name')).stdout;
        return left === '' ? { done: true, value: true } : { done: false, observed: left };
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect((await sh('kubectl get endpoints hostname-service-clusterip')).stderr).toContain('not found');
  });
});
