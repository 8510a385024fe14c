import { describe, expect, test } from 'vitest';
import { adminKubeconfig } from '../../../../src/sim/apiserver/kubeconfig.ts';
import { parseKubeconfig } from '../../../../src/sim/dns/kubeconfig.ts';

const pem = { caCert: 'CA PEM', adminCert: 'CERT PEM', adminKey: 'KEY PEM' } as Parameters<
  typeof adminKubeconfig
>[1];

describe("the DNS reads the cluster's admin.conf", () => {
  test('server and inline certificates of the current context', () => {
    const creds = parseKubeconfig(adminKubeconfig('https://192.168.57.10:6443', pem), 'admin.conf');
    expect(creds).toEqual({
      server: new URL('https://192.168.57.10:6443'),
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
    });
  });

  test('a kubeconfig without inline data, or an http server, is refused naming the file', () => {
    expect(() => parseKubeconfig('apiVersion: v1\nkind: Config\n', '/x/admin.conf')).toThrow(
      /^\/x\/admin.conf: not a kubeconfig/,
    );
    expect(() => parseKubeconfig(adminKubeconfig('http://10.0.0.1:8080', pem), 'k')).toThrow(
      'k: the server http://10.0.0.1:8080 is not https',
    );
  });
});
