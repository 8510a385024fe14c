// Warnings across students: two grades from one cluster (same kube-system uid: one student's report handed in
// twice, or two inventory entries pointing at one cluster), self-reported results, a report for a student the
// inventory does not list.
import type { StudentGrade } from './types.ts';

export function classFlags(
  grades: readonly StudentGrade[],
  options: { readonly unlisted?: ReadonlySet<string> } = {},
): Map<string, string[]> {
  const flags = new Map<string, string[]>(grades.map((g) => [g.id, []]));
  const byCluster = new Map<string, string[]>();
  for (const g of grades) {
    const uid = g.cluster?.kubeSystemUid;
    if (uid && (g.status === 'graded' || g.status === 'interrupted'))
      byCluster.set(uid, [...(byCluster.get(uid) ?? []), g.id]);
  }
  for (const [uid, ids] of byCluster)
    if (ids.length > 1)
      for (const id of ids)
        flags
          .get(id)
          ?.push(
            `duplicate cluster: same as ${ids.filter((o) => o !== id).join(', ')} (kube-system uid ${uid})`,
          );
  for (const g of grades) {
    if (g.source === 'report' && g.status === 'graded') flags.get(g.id)?.push('self-reported');
    if (g.source === 'report' && g.status === 'graded' && !g.cluster?.kubeSystemUid)
      flags.get(g.id)?.push('no cluster identity in the report');
    if (options.unlisted?.has(g.id)) flags.get(g.id)?.push('not in the inventory');
  }
  return flags;
}
