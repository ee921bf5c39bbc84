import { isNull, toNumber, toText } from './kql-values';

export interface KqlFunction {
  minArgs: number;
  maxArgs: number;
  apply(args: unknown[]): unknown;
}

const fn = (minArgs: number, maxArgs: number, apply: (args: unknown[]) => unknown): KqlFunction => ({ minArgs, maxArgs, apply });
const isEmpty = (v: unknown) => isNull(v) || v === '';

/** The scalar functions the simulator's Resource Graph knows; any other name is an error, as in ARG. */
export const KQL_FUNCTIONS: Readonly<Record<string, KqlFunction>> = {
  tolower: fn(1, 1, ([v]) => toText(v).toLowerCase()),
  toupper: fn(1, 1, ([v]) => toText(v).toUpperCase()),
  tostring: fn(1, 1, ([v]) => toText(v)),
  toint: fn(1, 1, ([v]) => truncate(toNumber(v))),
  tolong: fn(1, 1, ([v]) => truncate(toNumber(v))),
  todouble: fn(1, 1, ([v]) => toNumber(v)),
  toreal: fn(1, 1, ([v]) => toNumber(v)),
  tobool: fn(1, 1, ([v]) =>
    v === true || toText(v).toLowerCase() === 'true' ? true : v === false || toText(v).toLowerCase() === 'false' ? false : null,
  ),
  isnull: fn(1, 1, ([v]) => isNull(v)),
  isnotnull: fn(1, 1, ([v]) => !isNull(v)),
  isempty: fn(1, 1, ([v]) => isEmpty(v)),
  isnotempty: fn(1, 1, ([v]) => !isEmpty(v)),
  strlen: fn(1, 1, ([v]) => toText(v).length),
  array_length: fn(1, 1, ([v]) => (Array.isArray(v) ? v.length : null)),
  not: fn(1, 1, ([v]) => v !== true),
  iif: fn(3, 3, ([c, a, b]) => (c === true ? a : b)),
  iff: fn(3, 3, ([c, a, b]) => (c === true ? a : b)),
  coalesce: fn(1, 64, (args) => args.find((a) => !isEmpty(a)) ?? null),
  strcat: fn(1, 64, (args) => args.map(toText).join('')),
};

function truncate(n: number | null): number | null {
  return n === null ? null : Math.trunc(n);
}
