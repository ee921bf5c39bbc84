import type { z } from 'zod';

/**
 * What is wrong with a JSON body that a zod schema refused, in words a sender can act on: the field, what it must
 * be and what came instead ("'data.essentials.monitorCondition' must be one of "Fired", "Resolved""). Never the
 * value itself: a body may carry secrets, and the words go to logs and HTTP answers.
 */
export function describeInputProblems(body: unknown, issues: readonly z.core.$ZodIssue[], max = 3): string {
  return [...new Set(issues.map((issue) => describeIssue(body, issue)))].slice(0, max).join('; ');
}

/** The JSON value at a path of the body, to say what was there instead. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v = body;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'text';
  return `a ${typeof v}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

/** "'from.aadObjectId' must be text, not a number": the field, what it must be and what came. */
function describeIssue(body: unknown, issue: z.core.$ZodIssue): string {
  const where = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
  if (!where) return issue.code === 'custom' ? issue.message : 'the body is not a JSON object';
  const value = valueAt(body, issue.path);
  if (issue.code === 'custom') return `'${where}' ${issue.message}`;
  if (value === undefined) return `'${where}' is missing`;
  if (issue.code === 'invalid_type') return `'${where}' must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(value)}`;
  if (issue.code === 'invalid_value') return `'${where}' must be ${oneOf(issue.values)}`;
  if (issue.code === 'invalid_union') return describeUnion(body, issue, where, value);
  if (issue.code === 'too_big') return `'${where}' is too long`;
  if (issue.code === 'too_small') return `'${where}' is empty`;
  return `'${where}' is not valid`;
}

function oneOf(values: readonly unknown[]): string {
  const said = values.map((v) => JSON.stringify(v));
  return said.length === 1 ? (said[0] ?? '') : `one of ${said.join(', ')}`;
}

/**
 * A value no alternative took: what the alternative of the value's own type says (its JSON text is not JSON…), or
 * else every type that would do ("must be a list or text, not a number").
 */
function describeUnion(body: unknown, issue: z.core.$ZodIssueInvalidUnion, where: string, value: unknown): string {
  const wrongType = (branch: readonly z.core.$ZodIssue[]) => branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
  const taken = issue.errors.find((branch) => branch.length > 0 && !wrongType(branch));
  if (taken?.[0]) return describeIssue(body, { ...taken[0], path: [...issue.path, ...taken[0].path] });
  const expected = issue.errors.flatMap((branch) =>
    branch[0]?.code === 'invalid_type' ? [EXPECTED[branch[0].expected] ?? branch[0].expected] : [],
  );
  if (expected.length === 0) return `'${where}' is not valid`;
  return `'${where}' must be ${[...new Set(expected)].join(' or ')}, not ${kindOf(value)}`;
}
