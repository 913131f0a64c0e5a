// The net under the checklist: a topology field that changed but that no classifier answers for.
import { care, changeId } from '../change.ts';
import type { ChecklistItem } from '../checklist.ts';
import type { Classifier } from '../comparison.ts';
import { covers, differingFields, fieldName } from '../fields.ts';

export const unclassifiedFields =
  (items: readonly ChecklistItem[], ignored: readonly string[]): Classifier =>
  ({ environment, before, after }) =>
    differingFields(before.topology, after.topology)
      .filter((path) => !ignored.some((pattern) => covers(pattern, path)))
      .filter((path) => !items.some((item) => item.fields.some((pattern) => covers(pattern, path))))
      .map((path) =>
        care(
          changeId('unclassified', fieldName(path)),
          `${fieldName(path)} changed`,
          'no plan rule knows this field yet: what it does to the running clusters is not classified',
          [`review the diff of rendered/${environment}/ by hand before deploying`, 'add a classifier for it to generator/plan/checklist.ts'],
        ),
      );
