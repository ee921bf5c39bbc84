import type { Expr } from './kql-ast';
import { KQL_FUNCTIONS } from './kql-functions';
import { isNull, toNumber, toText } from './kql-values';

export type Row = Record<string, unknown>;

/** The value of an expression for one row; missing columns and properties read as null. */
export function evaluate(expr: Expr, row: Row): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'column':
      return row[expr.name] ?? null;
    case 'member':
      return member(evaluate(expr.object, row), expr.key);
    case 'negate': {
      const n = toNumber(evaluate(expr.expr, row));
      return n === null ? null : -n;
    }
    case 'call':
      return KQL_FUNCTIONS[expr.name]?.apply(expr.args.map((a) => evaluate(a, row))) ?? null;
    case 'in': {
      const value = evaluate(expr.left, row);
      if (isNull(value)) return expr.op.startsWith('!');
      const insensitive = expr.op.endsWith('~');
      const found = expr.list.some((item) => equal(value, evaluate(item, row), insensitive));
      return expr.op.startsWith('!') ? !found : found;
    }
    case 'binary':
      return binary(expr.op, expr.left, expr.right, row);
  }
}

function member(object: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(object) ? (object[key < 0 ? object.length + key : key] ?? null) : null;
  if (typeof object === 'object' && object !== null && !Array.isArray(object)) return (object as Row)[key] ?? null;
  return null;
}

function binary(op: string, leftExpr: Expr, rightExpr: Expr, row: Row): unknown {
  if (op === 'and') return evaluate(leftExpr, row) === true && evaluate(rightExpr, row) === true;
  if (op === 'or') return evaluate(leftExpr, row) === true || evaluate(rightExpr, row) === true;
  const left = evaluate(leftExpr, row);
  const right = evaluate(rightExpr, row);
  switch (op) {
    case '==':
      return !isNull(left) && !isNull(right) && equal(left, right, false);
    case '!=':
      return !isNull(left) && !isNull(right) && !equal(left, right, false);
    case '=~':
      return !isNull(left) && !isNull(right) && equal(left, right, true);
    case '!~':
      return !isNull(left) && !isNull(right) && !equal(left, right, true);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return order(op, left, right);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(op, left, right);
    default:
      return stringOperator(op, toText(left), toText(right));
  }
}

function equal(a: unknown, b: unknown, insensitive: boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const x = toText(a);
  const y = toText(b);
  return insensitive ? x.toLowerCase() === y.toLowerCase() : x === y;
}

function order(op: string, a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return false;
  const x = toNumber(a);
  const y = toNumber(b);
  const c = x !== null && y !== null ? x - y : toText(a) < toText(b) ? -1 : toText(a) > toText(b) ? 1 : 0;
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

function arithmetic(op: string, a: unknown, b: unknown): number | null {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === null || y === null) return null;
  if (op === '+') return x + y;
  if (op === '-') return x - y;
  if (op === '*') return x * y;
  if (y === 0) return null;
  return op === '/' ? x / y : x % y;
}

/** has, contains, startswith, endswith: case-insensitive unless `_cs`, negated by a leading `!`. */
function stringOperator(op: string, haystack: string, needle: string): boolean {
  const negated = op.startsWith('!');
  const base = op.replace(/^!/, '').replace(/_cs$/, '');
  const sensitive = op.endsWith('_cs');
  const h = sensitive ? haystack : haystack.toLowerCase();
  const n = sensitive ? needle : needle.toLowerCase();
  let result: boolean;
  if (base === 'contains') result = h.includes(n);
  else if (base === 'startswith') result = h.startsWith(n);
  else if (base === 'endswith') result = h.endsWith(n);
  else result = hasTerm(h, n);
  return negated ? !result : result;
}

/** `has` matches whole terms: runs of letters and digits, so 'connections' is in 'microsoft.network/connections'. */
function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  const alnum = /[\p{L}\p{N}]/u;
  const needsStart = alnum.test(needle[0] ?? '');
  const needsEnd = alnum.test(needle[needle.length - 1] ?? '');
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? '';
    const after = haystack[at + needle.length] ?? '';
    if ((!needsStart || !alnum.test(before)) && (!needsEnd || !alnum.test(after))) return true;
  }
  return false;
}
