import type { Expr, KqlQuery, NamedExpr, SortKey } from './kql-ast';
import { KqlError } from './kql-error';
import { evaluate, type Row } from './kql-evaluate';
import { compareValues, isNull } from './kql-values';

export interface Table {
  columns: string[];
  rows: Row[];
}

/** Runs a parsed query over a table; column names are checked per stage, so a typo fails even on no rows. */
export function runKql(query: KqlQuery, tables: Readonly<Record<string, Table>>): Table {
  const source = Object.entries(tables).find(([name]) => name.toLowerCase() === query.table.toLowerCase())?.[1];
  if (!source) {
    throw new KqlError(
      `Table '${query.table}' is not supported by the simulator's Resource Graph; use one of: ${Object.keys(tables).join(', ')}.`,
      query.tablePos,
      query.table,
      'InvalidTable',
    );
  }
  let { columns, rows } = source;
  for (const stage of query.stages) {
    switch (stage.kind) {
      case 'where':
        checkColumns(stage.expr, columns);
        rows = rows.filter((r) => evaluate(stage.expr, r) === true);
        break;
      case 'project':
      case 'distinct':
        ({ columns, rows } = project(stage.items, columns, rows));
        if (stage.kind === 'distinct') rows = distinct(rows);
        break;
      case 'extend': {
        for (const item of stage.items) checkColumns(item.expr, columns);
        rows = rows.map((r) => ({ ...r, ...Object.fromEntries(stage.items.map((i) => [i.name, evaluate(i.expr, r)])) }));
        columns = [...columns, ...stage.items.map((i) => i.name).filter((n) => !columns.includes(n))];
        break;
      }
      case 'project-away': {
        for (const n of stage.names) {
          if (!columns.includes(n.name)) throw unknownColumn(n.name, n.pos);
        }
        const away = new Set(stage.names.map((n) => n.name));
        columns = columns.filter((c) => !away.has(c));
        rows = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !away.has(k))));
        break;
      }
      case 'order':
        rows = sortRows(stage.keys, columns, rows);
        break;
      case 'top':
        rows = sortRows(stage.keys, columns, rows).slice(0, stage.count);
        break;
      case 'take':
        rows = rows.slice(0, stage.count);
        break;
      case 'count':
        columns = ['Count'];
        rows = [{ Count: rows.length }];
        break;
    }
  }
  return { columns, rows };
}

function project(items: NamedExpr[], columns: string[], rows: Row[]): Table {
  for (const item of items) checkColumns(item.expr, columns);
  const names = [...new Set(items.map((i) => i.name))];
  return { columns: names, rows: rows.map((r) => Object.fromEntries(items.map((i) => [i.name, evaluate(i.expr, r)]))) };
}

function distinct(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortRows(keys: SortKey[], columns: string[], rows: Row[]): Row[] {
  for (const k of keys) checkColumns(k.expr, columns);
  const keyed = rows.map((row) => ({ row, values: keys.map((k) => evaluate(k.expr, row)) }));
  keyed.sort((a, b) => {
    for (const [i, k] of keys.entries()) {
      const x = a.values[i];
      const y = b.values[i];
      if (isNull(x) || isNull(y)) {
        if (isNull(x) && isNull(y)) continue;
        return isNull(x) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

function checkColumns(expr: Expr, columns: string[]): void {
  switch (expr.kind) {
    case 'column':
      if (!columns.includes(expr.name)) throw unknownColumn(expr.name, expr.pos);
      return;
    case 'member':
      return checkColumns(expr.object, columns);
    case 'negate':
      return checkColumns(expr.expr, columns);
    case 'call':
      return expr.args.forEach((a) => checkColumns(a, columns));
    case 'in':
      checkColumns(expr.left, columns);
      return expr.list.forEach((a) => checkColumns(a, columns));
    case 'binary':
      checkColumns(expr.left, columns);
      return checkColumns(expr.right, columns);
    case 'literal':
      return;
  }
}

function unknownColumn(name: string, pos: number): KqlError {
  // Column names are case-sensitive in KQL: 'Type' is not 'type'.
  return new KqlError(`Failed to resolve scalar expression named '${name}'.`, pos, name, 'FailedToResolveScalarExpression');
}
