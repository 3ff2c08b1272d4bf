// DiffAugment policies as a model's config stores them (plain strings, no tensors): the op names, and turning a list
// of ops into a policy and back. Apart from diff-augment.ts so schemas and forms can use them without loading tfjs.

export const DIFF_AUGMENT_OPS = ['color', 'translation', 'cutout'] as const;
export type DiffAugmentOp = (typeof DIFF_AUGMENT_OPS)[number];
const isOp = (op: string): op is DiffAugmentOp => (DIFF_AUGMENT_OPS as readonly string[]).includes(op);

/**
 * A policy as stored in a model's config: the ops joined by commas in the paper's order ('' for none), so two configs
 * compare as plain strings.
 */
export function diffAugmentPolicy(ops: readonly DiffAugmentOp[]): string {
  return DIFF_AUGMENT_OPS.filter((op) => ops.includes(op)).join(',');
}

export function parseDiffAugmentPolicy(policy: string): DiffAugmentOp[] {
  if (policy === '') return [];
  return policy.split(',').map((op) => {
    if (!isOp(op)) throw new Error(`DiffAugment: unknown op "${op}"; the ops are ${DIFF_AUGMENT_OPS.join(', ')}`);
    return op;
  });
}

/** Whether a stored policy names only known ops (a model.json from elsewhere may not). */
export function isDiffAugmentPolicy(policy: string): boolean {
  return policy === '' || policy.split(',').every(isOp);
}
