// testbed up|down|status|install [--clusters K] [--dir DIR] [--json]
// (npm run testbed -- up, or npx tsx test/testbed/cli.ts up)
import { parseArgs } from 'node:util';
import { parseFaultFlags } from './faults.ts';
import { installTestbedPackages } from './install.ts';
import { MAX_CLUSTERS } from './layout.ts';
import { testbedDown } from './down.ts';
import { testbedStatus } from './status.ts';
import { testbedUp } from './up.ts';

const USAGE = `usage: testbed <up|down|status|install> [--clusters K] [--fault [cN=]NAME]... [--dir DIR] [--json]
  up       create the bridge lkbr0 (192.168.57.1/24), K clusters of three namespaces with their own sshd,
           and write DIR/inventory.yaml, DIR/known_hosts, DIR/state.json (K = 1..${MAX_CLUSTERS}, default 1);
           --fault NAME: a fault in every simulated cluster, --fault c2=NAME: in cluster 2 only
  down     remove everything up made (also after a crash)
  status   list the hosts and whether each sshd answers a login
  install  apt-get the packages the testbed needs (openssh-server without starting it, iproute2, sudo)
DIR defaults to <repo>/.testbed. Needs Linux and root.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      clusters: { type: 'string' },
      fault: { type: 'string', multiple: true },
      dir: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  const log = (line: string): void => console.error(line);
  const dir = values.dir;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'up': {
      const clusters = values.clusters === undefined ? 1 : Number(values.clusters);
      const faults = parseFaultFlags(values.fault ?? [], clusters);
      const started = performance.now();
      const info = await testbedUp({
        clusters,
        dir,
        log,
        simulated: { faults: faults.all },
        clusterFaults: faults.byCluster,
      });
      log(`testbed up: ${info.hosts.length} hosts in ${Math.round(performance.now() - started)} ms`);
      console.log(
        values.json
          ? JSON.stringify({
              inventory: info.paths.inventory,
              knownHosts: info.paths.knownHosts,
              hosts: info.hosts,
            })
          : `inventory: ${info.paths.inventory}`,
      );
      return 0;
    }
    case 'down': {
      const report = await testbedDown({ dir, log });
      log(`testbed down: removed ${report.namespaces.length} namespaces`);
      return 0;
    }
    case 'status': {
      const status = await testbedStatus({ dir });
      if (values.json) console.log(JSON.stringify(status, null, 2));
      else {
        console.log(`testbed: ${status.phase}`);
        for (const h of status.hosts)
          console.log(
            `${h.netns.padEnd(18)} ${h.address.padEnd(15)} sshd ${String(h.sshdPid ?? '-').padEnd(8)} ${h.answers ? 'answers' : 'DOWN   '}  ${h.detail}`,
          );
      }
      return status.hosts.every((h) => h.answers) && status.phase === 'up' ? 0 : 1;
    }
    case 'install':
      await installTestbedPackages(log);
      return 0;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
