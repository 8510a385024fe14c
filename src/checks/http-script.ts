// The in-pod scripts: all traffic of one client in ONE `kubectl exec ... -- sh -c SCRIPT` round trip (a
// loop inside the pod, never one exec per request). Every value that comes from a spec or the cluster
// (URLs built from names and IPs) enters the script through quoteWord, so `$(x)`, backticks, quotes and
// newlines stay literal text. busybox wget opens a new connection per run, which is what makes kube-proxy
// choose an endpoint per request.
import { quoteWord } from '../ssh/quote.ts';

/** Marks the lines the script prints, so stray output (MOTD, warnings) is never mistaken for an answer. */
export const ANSWER_MARK = 'labkit-answer';
/** Seconds busybox wget waits per request; a healthy in-cluster answer takes milliseconds. */
export const WGET_TIMEOUT_S = 2;
/** Seconds one request may take in all, name resolution included: wget's -T does not bound the resolver,
 *  which with the cluster DNS down waits its timeout for every search domain (ndots:5) before `bad address`. */
export const REQUEST_LIMIT_S = WGET_TIMEOUT_S + 1;

export function urlFor(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}/`;
}

/** One request; `labelWord` is already a shell word (a digit string or "$i"). */
function fetchLine(url: string, labelWord: string): string {
  return (
    `r=$(timeout ${REQUEST_LIMIT_S} wget -q -T ${WGET_TIMEOUT_S} -O - ${quoteWord(url)} 2>/dev/null | grep Hello); ` +
    `printf '%s %s %s\\n' ${ANSWER_MARK} ${labelWord} "$r"`
  );
}

/** One request to each URL, in order; answer i is labelled i. */
export function probeScript(urls: readonly string[]): string {
  return urls.map((u, i) => fetchLine(u, String(i))).join('\n');
}

/** `count` requests to one URL, answers labelled 0..count-1. The index list is spelled out so the loop
 *  needs nothing beyond `for` (no seq or arithmetic in the client image). */
export function repeatScript(url: string, count: number): string {
  const indices = Array.from({ length: count }, (_, i) => String(i)).join(' ');
  return `for i in ${indices}; do\n${fetchLine(url, '"$i"')}\ndone`;
}

export interface Answer {
  readonly index: number;
  /** The greeting line (trimmed) or '' when the request got no answer. */
  readonly raw: string;
  /** The pod named by `<p>Hello,  NAME</p>`, if the line was a greeting. */
  readonly name: string | undefined;
}

const GREETING = /Hello,\s+([^\s<]+)\s*<\/p>/;

export function greetedName(line: string): string | undefined {
  return GREETING.exec(line)?.[1];
}

/** Answers by index; an index the script never printed (the exec was cut short) is absent. */
export function parseAnswers(stdout: string): Map<number, Answer> {
  const answers = new Map<number, Answer>();
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${ANSWER_MARK} (\\d+) ?(.*)$`).exec(line);
    if (!m) continue;
    const index = Number(m[1]);
    const raw = (m[2] ?? '').trim();
    answers.set(index, { index, raw, name: greetedName(raw) });
  }
  return answers;
}

/** One request to each URL from a node's own shell (not a busybox pod): curl where the node has it, else wget
 *  with ONE try — GNU wget retries a timed-out request 20 times by default, which would turn one silent node
 *  into minutes. Answers are labelled and parsed as probeScript's. */
export function nodeProbeScript(urls: readonly string[]): string {
  const get =
    `if command -v curl >/dev/null 2>&1; then get() { curl -s -m ${WGET_TIMEOUT_S} "$1"; }; ` +
    `else get() { wget -q -t 1 -T ${WGET_TIMEOUT_S} -O - "$1"; }; fi`;
  const lines = urls.map(
    (u, i) =>
      `r=$(get ${quoteWord(u)} 2>/dev/null | grep Hello); printf '%s %s %s\\n' ${ANSWER_MARK} ${i} "$r"`,
  );
  return [get, ...lines].join('\n');
}
