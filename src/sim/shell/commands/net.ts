// busybox wget and nslookup, with busybox's own messages: `wget: can't connect to remote host (IP):
// Connection refused`, `wget: download timed out` (after -T seconds), `wget: bad address 'host:port'`,
// `** server can't find NAME: NXDOMAIN`, `;; connection timed out; no servers could be reached`.
import type { CommandFn } from '../session.ts';

/** Linux gives up on an unanswered SYN after ~127 s (tcp_syn_retries = 6). */
const KERNEL_CONNECT_TIMEOUT_S = 127;
/** The resolver's timeout when no DNS server answers (timeout 5 s × 2 attempts). */
const RESOLVER_TIMEOUT_S = 10;

interface WgetArgs {
  quiet: boolean;
  output?: string;
  timeout?: number;
  url?: string;
  spider: boolean;
}

function parseWgetArgs(args: string[]): WgetArgs | string {
  const parsed: WgetArgs = { quiet: false, spider: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--spider') parsed.spider = true;
    else if (a.startsWith('--timeout=')) parsed.timeout = Number(a.slice(10));
    else if (a === '-O' || a === '-T') {
      const v = args[++i];
      if (v === undefined) return `option requires an argument -- '${a.slice(1)}'`;
      if (a === '-O') parsed.output = v;
      else parsed.timeout = Number(v);
    } else if (/^-[qOTs]/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j] ?? '';
        if (f === 'q') parsed.quiet = true;
        else if (f === 's') parsed.spider = true;
        else if (f === 'O' || f === 'T') {
          const v = a.slice(j + 1) || args[++i];
          if (v === undefined) return `option requires an argument -- '${f}'`;
          if (f === 'O') parsed.output = v;
          else parsed.timeout = Number(v);
          break;
        }
      }
    } else if (a.startsWith('-')) return `unrecognized option '${a}'`;
    else parsed.url = a;
  }
  return parsed;
}

function parseUrl(url: string): { hostPort: string; host: string; port: number; path: string } | undefined {
  const m = /^(?:(https?):\/\/)?([^/?#]+)([^#]*)$/.exec(url);
  if (!m || (m[1] === undefined && url.includes('://'))) return undefined;
  const hostPort = m[2] ?? '';
  const colon = hostPort.lastIndexOf(':');
  const host = colon > 0 ? hostPort.slice(0, colon) : hostPort;
  const port = colon > 0 ? Number(hostPort.slice(colon + 1)) : m[1] === 'https' ? 443 : 80;
  return { hostPort, host, port, path: m[3] || '/' };
}

const wget: CommandFn = async (args, io, session) => {
  const opts = parseWgetArgs(args);
  if (typeof opts === 'string') {
    io.err.write(
      `wget: ${opts}\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n`,
    );
    return 1;
  }
  if (!opts.url) {
    io.err.write(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n',
    );
    return 1;
  }
  const url = parseUrl(opts.url);
  if (!url) {
    io.err.write(`wget: not an http or ftp url: ${opts.url}\n`);
    return 1;
  }
  const timeout =
    opts.timeout !== undefined && Number.isFinite(opts.timeout) && opts.timeout > 0
      ? opts.timeout
      : undefined;
  const outcome = await session.pod.net.connect(url.host, url.port, session.virtualMs);
  const waitFor = async (seconds: number): Promise<void> => {
    session.virtualMs += seconds * 1000;
    await session.pod.wait(seconds, 'timeout');
  };
  if (outcome.kind === 'dns-timeout' || outcome.kind === 'bad-address') {
    if (outcome.kind === 'dns-timeout')
      await waitFor(Math.min(timeout ?? RESOLVER_TIMEOUT_S, RESOLVER_TIMEOUT_S));
    io.err.write(`wget: bad address '${url.hostPort}'\n`);
    return 1;
  }
  if (!opts.quiet) io.err.write(`Connecting to ${url.hostPort} (${outcome.ip}:${url.port})\n`);
  if (outcome.kind === 'refused') {
    io.err.write(`wget: can't connect to remote host (${outcome.ip}): Connection refused\n`);
    return 1;
  }
  if (outcome.kind === 'timeout') {
    if (timeout !== undefined && timeout < KERNEL_CONNECT_TIMEOUT_S) {
      await waitFor(timeout);
      io.err.write('wget: download timed out\n');
    } else {
      await waitFor(KERNEL_CONNECT_TIMEOUT_S);
      io.err.write(`wget: can't connect to remote host (${outcome.ip}): Connection timed out\n`);
    }
    return 1;
  }
  if (opts.spider) {
    if (!opts.quiet) io.err.write('remote file exists\n');
    return 0;
  }
  const target = opts.output ?? (url.path.split('/').pop() || 'index.html');
  if (target === '-') {
    if (!opts.quiet) io.err.write('writing to stdout\n');
    io.out.write(outcome.body);
    if (!opts.quiet)
      io.err.write(
        `-                    100% |********************************|   ${outcome.body.length}  0:00:00 ETA\nwritten to stdout\n`,
      );
  } else {
    if (!opts.quiet) io.err.write(`saving to '${target}'\n`);
    session.files.set(target, outcome.body);
    if (!opts.quiet)
      io.err.write(
        `${target.padEnd(20).slice(0, 20)} 100% |********************************|   ${outcome.body.length}  0:00:00 ETA\n'${target}' saved\n`,
      );
  }
  return 0;
};

const nslookup: CommandFn = async (args, io, session) => {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) {
    io.err.write(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n',
    );
    return 1;
  }
  const server = session.pod.dnsServer;
  const answer = await session.pod.net.lookup(name);
  if (answer === 'timeout') {
    session.virtualMs += RESOLVER_TIMEOUT_S * 1000;
    await session.pod.wait(RESOLVER_TIMEOUT_S, 'timeout');
    io.out.write(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  io.out.write(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`);
  if (!answer) {
    io.out.write(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  if (answer.kind === 'cname') {
    io.out.write(`${answer.fqdn}\tcanonical name = ${answer.target}\n\n`);
    return 0;
  }
  if (answer.addresses.length === 0) {
    io.out.write(`*** Can't find ${name}: No answer\n\n`);
    return 1;
  }
  for (const ip of answer.addresses) io.out.write(`Name:\t${answer.fqdn}\nAddress: ${ip}\n`);
  io.out.write('\n');
  return 0;
};

export const netCommands: Record<string, CommandFn> = { wget, nslookup };
