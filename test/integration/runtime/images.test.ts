// The runtime's pure parts: image references, command/args against ENTRYPOINT/CMD (as Kubernetes
// documents it), the kubelet's per-pod files and the global names. No root needed.
import { describe, expect, it } from 'vitest';
import {
  containerArgv,
  hostVethName,
  hostsFile,
  lookupImage,
  repositoryOf,
  resolvConf,
  sandboxName,
  type Image,
} from '../../../src/sim/runtime/index.ts';

const found = (reference: string): Image => {
  const result = lookupImage('/images', reference);
  if (result.kind !== 'found') throw new Error(result.message);
  return result.image;
};

describe('runtime images', () => {
  it('normalizes references as docker does', () => {
    expect(repositoryOf('busybox')).toBe('docker.io/library/busybox');
    expect(repositoryOf('busybox:1.36')).toBe('docker.io/library/busybox:1.36');
    expect(repositoryOf('docker.io/busybox@sha256:abc')).toBe('docker.io/library/busybox');
    expect(repositoryOf('alicek106/rr-test:echo-hostname')).toBe('docker.io/alicek106/rr-test:echo-hostname');
    expect(repositoryOf('localhost:5000/busybox')).toBe('localhost:5000/busybox');
  });

  it('knows busybox (any tag) and echo-hostname, and nothing else', () => {
    for (const ref of ['busybox', 'docker.io/busybox', 'docker.io/library/busybox:1.28', 'busybox:latest'])
      expect(found(ref).name).toBe('busybox');
    expect(found('docker.io/alicek106/rr-test:echo-hostname').rootfs).toBe('/images/echo-hostname/rootfs');
    for (const ref of ['nginx', 'alicek106/rr-test:latest', 'quay.io/busybox', 'busyboxx']) {
      const result = lookupImage('/images', ref);
      expect(result.kind).toBe('not-found');
    }
    const nginx = lookupImage('/images', 'nginx');
    expect(nginx.kind === 'not-found' && nginx.message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:latest": failed to resolve reference "docker.io/library/nginx:latest": not found',
    );
  });

  it('combines command and args with ENTRYPOINT and CMD as Kubernetes documents', () => {
    const busybox = found('busybox'); // ENTRYPOINT [], CMD ["sh"]
    const echo = found('alicek106/rr-test:echo-hostname'); // ENTRYPOINT [echo-hostname], CMD []
    expect(containerArgv(busybox, undefined, undefined)).toEqual(['sh']);
    expect(containerArgv(busybox, undefined, ['sleep', '1'])).toEqual(['sleep', '1']);
    expect(containerArgv(busybox, ['sleep'], undefined)).toEqual(['sleep']);
    expect(containerArgv(busybox, ['sleep'], ['5'])).toEqual(['sleep', '5']);
    expect(containerArgv(echo, undefined, ['-v'])).toEqual(['/usr/local/bin/echo-hostname', '-v']);
    expect(containerArgv(echo, ['sh', '-c'], undefined)).toEqual(['sh', '-c']);
  });
});

describe('runtime pod files and names', () => {
  const spec = { hostname: 'web-1', namespace: 'lab', podIp: '172.16.1.5', dnsIp: '172.17.0.10' };

  it('writes resolv.conf and hosts as the kubelet does', () => {
    expect(resolvConf(spec)).toBe(
      'search lab.svc.cluster.local svc.cluster.local cluster.local\nnameserver 172.17.0.10\noptions ndots:5\n',
    );
    expect(hostsFile(spec)).toBe(
      [
        '# Kubernetes-managed hosts file.',
        '127.0.0.1\tlocalhost',
        '::1\tlocalhost ip6-localhost ip6-loopback',
        'fe00::0\tip6-localnet',
        'fe00::0\tip6-mcastprefix',
        'fe00::1\tip6-allnodes',
        'fe00::2\tip6-allrouters',
        '172.16.1.5\tweb-1',
        '',
      ].join('\n'),
    );
    expect(
      hostsFile({ ...spec, subdomain: 'svc', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] }),
    ).toContain(
      '172.16.1.5\tweb-1.svc.lab.svc.cluster.local\tweb-1\n\n# Entries added by HostAliases.\n1.2.3.4\ta\tb\n',
    );
  });

  it('names sandboxes and veths within the kernel limits', () => {
    expect(sandboxName(3, '0A1B2C3D-4E5F-6789-abcd-ef0123456789')).toBe('lkpod-c3-0a1b2c3d4e5f');
    expect(hostVethName('0a1b2c3d-4e5f-6789-abcd-ef0123456789')).toMatch(/^cali[0-9a-f]{11}$/);
  });
});
