// Who `lab grade` grades, and how, decided before anything connects: the inventory (validated in full: shape,
// key and known_hosts files, step overrides against the lab; every problem at once as `file:line key:
// reason`), --class and --student filters, and --reports (a student with a report in DIR is graded from it,
// the others over SSH; without an inventory every report is a student, named by its file).
import { loadInventory, type Inventory, type InventoryStudent } from '../inventory/load.ts';
import { checkInventoryFiles, checkStepOverrides } from '../inventory/validate.ts';
import type { PlannedStudent } from '../grade/class-run.ts';
import { listReports } from '../grade/reports.ts';
import { subjectOf } from '../grade/subject.ts';
import type { LabSpec } from '../lab/spec/types.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { SourceError } from '../util/yaml-source.ts';

export interface PlanOptions {
  readonly inventory?: string;
  readonly reports?: string;
  readonly classId?: string;
  readonly students?: readonly string[];
}

export interface GradePlan {
  readonly planned: PlannedStudent[];
  readonly unlisted: Set<string>;
}

function select(inventory: Inventory, options: PlanOptions): InventoryStudent[] {
  let students = [...inventory.students];
  if (options.classId !== undefined) {
    const classes = [...new Set(students.map((s) => s.classId))];
    students = students.filter((s) => s.classId === options.classId);
    if (students.length === 0)
      throw new UserError(
        `${inventory.file}: no class ${JSON.stringify(options.classId)}; the classes are ${classes.join(', ')}`,
        EXIT.usage,
      );
  }
  if (options.students?.length) {
    const unknown = options.students.filter((id) => !students.some((s) => s.id === id));
    if (unknown.length)
      throw new UserError(
        `${inventory.file}: no student ${unknown.map((u) => JSON.stringify(u)).join(', ')}${options.classId ? ` in class ${options.classId}` : ''}; see the inventory for the ids`,
        EXIT.usage,
      );
    students = students.filter((s) => options.students?.includes(s.id));
  }
  return students;
}

export async function planGrading(spec: LabSpec, options: PlanOptions): Promise<GradePlan> {
  if (options.inventory === undefined && options.reports === undefined)
    throw new UserError(
      "lab grade needs --inventory FILE (grade over SSH), --reports DIR (students' reports), or both",
      EXIT.usage,
    );
  const reports = options.reports !== undefined ? await listReports(options.reports) : [];
  const reportOf = new Map(reports.map((r) => [r.id, r]));
  if (options.inventory === undefined) {
    const chosen = options.students?.length
      ? reports.filter((r) => options.students?.includes(r.id))
      : reports;
    return {
      planned: chosen.map((r) => ({ kind: 'report', subject: { id: r.id }, report: r })),
      unlisted: new Set(),
    };
  }
  const inventory = await loadInventory(options.inventory);
  const students = select(inventory, options);
  const viaSsh = students.filter((s) => !reportOf.has(s.id));
  const problems = [
    ...checkStepOverrides(inventory, spec),
    ...(await checkInventoryFiles({ ...inventory, students: viaSsh })),
  ].sort((a, b) => a.line - b.line);
  if (problems.length) throw new SourceError(problems);
  const planned: PlannedStudent[] = students.map((s) => {
    const report = reportOf.get(s.id);
    const only = s.overrides?.steps;
    return report
      ? { kind: 'report', subject: subjectOf(s), report, ...(only ? { only } : {}) }
      : { kind: 'ssh', subject: subjectOf(s), student: s };
  });
  const listed = new Set(inventory.students.map((s) => s.id));
  const extra = options.students?.length || options.classId ? [] : reports.filter((r) => !listed.has(r.id));
  for (const r of extra) planned.push({ kind: 'report', subject: { id: r.id }, report: r });
  return { planned, unlisted: new Set(extra.map((r) => r.id)) };
}
