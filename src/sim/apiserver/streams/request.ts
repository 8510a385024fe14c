// Which exec or attach a URL asks for: `/api/v1/namespaces/{ns}/pods/{name}/exec?command=sh&command=-c&…
// &stdin=true&stdout=true&stderr=true&tty=true&container=c` (kubectl 1.33 sends one `command=` per argv word
// and only the flags that are true).
import type { StreamRequest } from './types.ts';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

/** A stream URL the server cannot serve; `message` is worded for a BadRequest Status. */
export class StreamRequestError extends Error {
  override readonly name = 'StreamRequestError';
}

/** undefined when the path is not a pod's exec or attach subresource (the server routes it elsewhere). */
export function parseStreamRequest(url: string): StreamRequest | undefined {
  const parsed = new URL(url, 'https://apiserver.invalid');
  const match = PATH.exec(parsed.pathname);
  if (!match) return undefined;
  const [, namespace = '', pod = '', kind] = match;
  const query = parsed.searchParams;
  const flag = (name: string): boolean => {
    const value = query.get(name);
    if (value === null) return false;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0' || value === '') return false;
    throw new StreamRequestError(`invalid value for ${name}: "${value}" (want true or false)`);
  };
  const request: StreamRequest = {
    kind: kind === 'attach' ? 'attach' : 'exec',
    namespace: decodeURIComponent(namespace),
    pod: decodeURIComponent(pod),
    container: query.get('container') || undefined,
    command: kind === 'exec' ? query.getAll('command') : [],
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
  // kube-apiserver's validation of PodExecOptions / PodAttachOptions, in its words.
  if (request.kind === 'exec' && request.command.length === 0)
    throw new StreamRequestError('you must specify at least 1 command');
  if (!request.stdin && !request.stdout && !request.stderr)
    throw new StreamRequestError('you must specify at least 1 of stdin, stdout, stderr');
  return request;
}
