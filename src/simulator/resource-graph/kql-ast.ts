/** The KQL subset the simulator's Resource Graph understands. */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean; pos: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'member'; object: Expr; key: string | number; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: number }
  | { kind: 'in'; op: string; left: Expr; list: Expr[]; pos: number }
  | { kind: 'negate'; expr: Expr; pos: number };

export interface NamedExpr {
  name: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

export type Stage =
  | { kind: 'where'; expr: Expr }
  | { kind: 'project'; items: NamedExpr[] }
  | { kind: 'project-away'; names: Array<{ name: string; pos: number }> }
  | { kind: 'extend'; items: NamedExpr[] }
  | { kind: 'order'; keys: SortKey[] }
  | { kind: 'take'; count: number }
  | { kind: 'top'; count: number; keys: SortKey[] }
  | { kind: 'count' }
  | { kind: 'distinct'; items: NamedExpr[] };

export interface KqlQuery {
  table: string;
  tablePos: number;
  stages: Stage[];
}
