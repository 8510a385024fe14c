// Who a grade is for, from an inventory entry: id, class, display name, email, LMS id (the CSV's columns).
import type { InventoryStudent } from '../inventory/load.ts';
import type { GradeSubject } from './types.ts';

export function subjectOf(s: InventoryStudent): GradeSubject {
  return {
    id: s.id,
    classId: s.classId,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.email !== undefined ? { email: s.email } : {}),
    ...(s.lmsId !== undefined ? { lmsId: s.lmsId } : {}),
  };
}
