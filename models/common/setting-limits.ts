// Reads what a form needs from a training setting's zod schema (plain zod, no tfjs): its bounds, whether it counts in
// whole numbers, its default and its choices, so the Train forms derive them instead of copying numbers.
import { z } from 'zod';

/** The bounds of a number setting (±Infinity when unbounded), and whether it takes whole numbers only. */
export interface SettingLimits {
  min: number;
  max: number;
  int: boolean;
}

/** The schema under `.default()` / `.optional()`. */
function inner(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** The bounds of a number setting. A non-number schema is a mistake of the caller's, said as such. */
export function limitsOf(schema: z.ZodType): SettingLimits {
  const number = inner(schema);
  if (!(number instanceof z.ZodNumber)) throw new Error('limitsOf: not a number setting');
  return { min: number.minValue ?? Number.NEGATIVE_INFINITY, max: number.maxValue ?? Number.POSITIVE_INFINITY, int: number.isInt };
}

/** The choices of a setting that is a union of literals (an image size), in the schema's order. */
export function choicesOf(schema: z.ZodType): readonly unknown[] {
  const union = inner(schema);
  if (!(union instanceof z.ZodUnion)) throw new Error('choicesOf: not a union of choices');
  return (union.options as z.ZodType[]).map((option) => (option instanceof z.ZodLiteral ? option.value : undefined));
}

/** The default of a setting (`.default(…)`), or undefined when it has none. */
export function defaultOf(schema: z.ZodType): unknown {
  return schema instanceof z.ZodDefault ? (schema.def.defaultValue as unknown) : undefined;
}

/** The settings of `shape` that have a default, with it. */
export type SettingDefaults<S extends Readonly<Record<string, z.ZodType>>> = { [K in keyof S as S[K] extends z.ZodDefault ? K : never]: z.output<S[K]> };

/** The defaults of a family's settings (those with one), as a form starts from them. */
export function defaultsOf<S extends Readonly<Record<string, z.ZodType>>>(shape: S): SettingDefaults<S> {
  const entries = Object.entries(shape).filter(([, schema]) => schema instanceof z.ZodDefault);
  return Object.fromEntries(entries.map(([key, schema]) => [key, defaultOf(schema)])) as SettingDefaults<S>;
}

type NumberSetting = z.ZodNumber | z.ZodDefault<z.ZodNumber> | z.ZodOptional<z.ZodNumber>;

/** The bounds of every number setting of `shape`, by name (for the form's inputs). */
export function limitsOfAll<S extends Readonly<Record<string, z.ZodType>>>(shape: S): { [K in keyof S as S[K] extends NumberSetting ? K : never]: SettingLimits } {
  const numbers = Object.entries(shape).filter(([, schema]) => inner(schema) instanceof z.ZodNumber);
  return Object.fromEntries(numbers.map(([key, schema]) => [key, limitsOf(schema)])) as never;
}
