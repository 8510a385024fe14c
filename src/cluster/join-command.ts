// `kubeadm token create --print-join-command` prints one line:
//   kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:<64 hex>
// Parsed into parts so workers get them as values (never a string to eval) and the token can be redacted.

export interface JoinCommand {
  readonly endpoint: string;
  readonly token: string;
  readonly caCertHash: string;
}

const JOIN =
  /kubeadm join (?<endpoint>[\w.-]+:\d+) --token (?<token>[a-z0-9]{6}\.[a-z0-9]{16}) --discovery-token-ca-cert-hash (?<hash>sha256:[a-f0-9]{64})/;

export function parseJoinCommand(text: string): JoinCommand | undefined {
  const groups = JOIN.exec(text)?.groups;
  if (!groups?.['endpoint'] || !groups['token'] || !groups['hash']) return undefined;
  return { endpoint: groups['endpoint'], token: groups['token'], caCertHash: groups['hash'] };
}
