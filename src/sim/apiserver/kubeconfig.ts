// admin.conf as `kubeadm init` writes it (and the student copies to ~/.kube/config): cluster "kubernetes",
// user "kubernetes-admin", context "kubernetes-admin@kubernetes", certificates inline as base64.
import { stringify } from 'yaml';
import type { PkiPem } from './pki.ts';

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

export function adminKubeconfig(server: string, pem: PkiPem): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(pem.caCert), server }, name: 'kubernetes' }],
    contexts: [
      {
        context: { cluster: 'kubernetes', user: 'kubernetes-admin' },
        name: 'kubernetes-admin@kubernetes',
      },
    ],
    'current-context': 'kubernetes-admin@kubernetes',
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: 'kubernetes-admin',
        user: {
          'client-certificate-data': b64(pem.adminCert),
          'client-key-data': b64(pem.adminKey),
        },
      },
    ],
  });
}
