// The class inventory an instructor grades from: classes of students, each with the SSH connection to
// their cluster's master host (and optionally its workers). Unknown keys are rejected everywhere.
import { z } from 'zod';

const nodeName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: 'must be a lowercase RFC 1123 name such as master-node (a-z, 0-9, "-")',
});

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
  message: 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

const port = z.int().min(1).max(65_535);

export const hostKeySchema = z
  .strictObject({
    mode: z
      .enum(['strict', 'accept-new', 'ignore'])
      .default('strict')
      .describe(
        'strict: the key must be in knownHostsFile; accept-new: trust on first use; ignore: no check (local Vagrant VMs only)',
      ),
    knownHostsFile: z
      .string()
      .min(1)
      .optional()
      .describe('OpenSSH known_hosts file (default ~/.ssh/known_hosts)'),
  })
  .describe('How the server host key is checked');

/** Connection fields that `defaults` may supply. */
const connectionFields = {
  port: port.optional().describe('SSH port (default 22)'),
  user: z.string().min(1).optional().describe('SSH user (default vagrant)'),
  identityFile: z
    .string()
    .min(1)
    .optional()
    .describe('Private key file; relative paths are relative to the inventory file'),
  hostKey: hostKeySchema.optional(),
  connectTimeoutSec: z.int().min(1).max(600).optional(),
};

export const jumpHostSchema = z
  .strictObject({ host: z.string().min(1).describe('Bastion host name or address'), ...connectionFields })
  .describe('A bastion reached first (like ProxyJump)');

export const hostConnectionSchema = z.strictObject({
  host: z.string().min(1).describe('Host name or address of the machine'),
  ...connectionFields,
  jump: jumpHostSchema.optional(),
});

export const workerSchema = z.strictObject({ name: nodeName, ...hostConnectionSchema.shape });

// A Kubernetes namespace name (RFC 1123 label, as kubectl insists).
const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: 'must be a Kubernetes namespace name (lowercase a-z, 0-9, "-", at most 63)',
});

export const overridesSchema = z
  .strictObject({
    namespace: namespaceName
      .optional()
      .describe(
        "The namespace this student's lab runs in (default: the lab's own), e.g. on a shared cluster",
      ),
    steps: z
      .array(z.union([z.int().min(1), z.string().min(1)]))
      .min(1)
      .optional()
      .describe('Grade only these steps (ids or numbers); the others are excused (no points, not counted)'),
  })
  .describe('Per-student exceptions to how the lab is graded');

export const studentSchema = z.strictObject({
  id: id.describe('Student id: unique in the inventory, used in reports and target names (id/master-node)'),
  name: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Display name (any characters; escaped in every output)'),
  email: z.email({ message: 'must be an email address such as kim@example.edu' }).optional(),
  lmsId: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("The student's id in the LMS gradebook (a column of grades.csv)"),
  overrides: overridesSchema.optional(),
  master: z
    .strictObject({ name: nodeName.default('master-node'), ...hostConnectionSchema.shape })
    .describe('The control-plane host that checks run on'),
  workers: z
    .array(workerSchema)
    .optional()
    .describe('Worker hosts, for checks that need them (e.g. NodePort)'),
});

export const classSchema = z.strictObject({
  id: id.describe('Class id, e.g. mon-am'),
  students: z.array(studentSchema).min(1),
});

export const inventorySchema = z
  .strictObject({
    defaults: z
      .strictObject({ ...connectionFields, jump: jumpHostSchema.optional() })
      .optional()
      .describe('Applied to every host (and jump host) that does not set the field itself'),
    classes: z.array(classSchema).min(1),
  })
  .superRefine((inventory, ctx) => {
    const seen = new Map<string, string>();
    inventory.classes.forEach((klass, c) =>
      klass.students.forEach((student, s) => {
        const where = seen.get(student.id);
        if (where)
          ctx.addIssue({
            code: 'custom',
            path: ['classes', c, 'students', s, 'id'],
            message: `duplicate student id "${student.id}" (also at ${where})`,
          });
        else seen.set(student.id, `classes[${c}].students[${s}]`);
      }),
    );
  });

export type InventoryInput = z.input<typeof inventorySchema>;
export type InventoryFile = z.output<typeof inventorySchema>;

/** JSON Schema (draft 7) for inventory files, for editor completion. */
export function inventoryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(inventorySchema, { target: 'draft-7', io: 'input' }),
    title: 'labkit class inventory',
  };
}
