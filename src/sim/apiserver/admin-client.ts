// The testbed's side of ApiServer.simConfig: switches faults and timing of a running simulated cluster
// over HTTPS with the cluster's kubernetes-admin certificate (synchronous: the change holds on return).
import { request } from 'node:https';
import { SimConfigSchema, type SimConfig } from '../model/state.ts';
import { pkiFiles, readPki } from './pki.ts';
import { SIM_CONFIG_PATH } from './server.ts';

export async function putSimConfig(
  endpoint: { host: string; port: number; pkiDir: string },
  change: Partial<SimConfig>,
): Promise<SimConfig> {
  const pem = await readPki(pkiFiles(endpoint.pkiDir));
  const body = JSON.stringify(change);
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        path: SIM_CONFIG_PATH,
        method: 'PUT',
        ca: pem.caCert,
        cert: pem.adminCert,
        key: pem.adminKey,
        servername: 'kubernetes',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (res) => {
        let out = '';
        res.on('data', (c: Buffer) => (out += c.toString()));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(out)
            : reject(
                new Error(
                  `apiserver ${endpoint.host}:${endpoint.port}: sim config ${res.statusCode}: ${out}`,
                ),
              ),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`apiserver ${endpoint.host}:${endpoint.port}: sim config timed out`)),
    );
    req.on('error', reject);
    req.end(body);
  });
  return SimConfigSchema.parse(JSON.parse(text));
}
