import type { Expr, KqlQuery, NamedExpr, SortKey, Stage } from './kql-ast';
import { KqlError } from './kql-error';
import { KQL_FUNCTIONS } from './kql-functions';
import { tokenize, type Token } from './kql-lexer';

const COMPARISONS = new Set(['==', '!=', '=~', '!~', '<', '<=', '>', '>=']);
const STRING_OPERATORS = ['has', 'contains', 'startswith', 'endswith'].flatMap((op) => [op, `!${op}`, `${op}_cs`, `!${op}_cs`]);
const IN_OPERATORS = new Set(['in', 'in~', '!in', '!in~']);
const STAGE_OPERATORS = new Set([
  'where',
  'filter',
  'project',
  'project-away',
  'extend',
  'order',
  'sort',
  'take',
  'limit',
  'top',
  'count',
  'distinct',
]);
const KNOWN_UNSUPPORTED = new Set([
  'summarize',
  'join',
  'union',
  'mv-expand',
  'mv-apply',
  'parse',
  'project-keep',
  'project-rename',
  'project-reorder',
  'sample',
  'lookup',
  'make-series',
  'render',
  'as',
  'let',
  'range',
  'serialize',
  'invoke',
]);

/** Parses `Resources | where … | project … | order by … | take N` and the rest of the supported subset. */
export function parseKql(text: string): KqlQuery {
  return new Parser(tokenize(text)).query();
}

class Parser {
  private i = 0;
  private autoNames = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): KqlQuery {
    const first = this.peek();
    if (first.kind === 'eof') throw this.error(first, 'The query is empty.');
    const stages: Stage[] = [];
    let table = 'Resources';
    if (first.kind === 'ident' && (STAGE_OPERATORS.has(first.text) || KNOWN_UNSUPPORTED.has(first.text))) {
      // ARG lets a query start with an operator and reads it against the Resources table.
      stages.push(this.stage());
    } else if (first.kind === 'ident') {
      table = this.next().text;
    } else {
      throw this.error(first, `Expected a table name such as 'Resources', found '${first.text}'.`);
    }
    while (this.peek().kind !== 'eof') {
      this.expectOp('|');
      stages.push(this.stage());
    }
    return { table, tablePos: first.pos, stages };
  }

  private stage(): Stage {
    const t = this.next();
    if (t.kind !== 'ident') throw this.error(t, `Expected a query operator such as 'where' or 'project', found '${t.text}'.`);
    switch (t.text) {
      case 'where':
      case 'filter':
        return { kind: 'where', expr: this.expr() };
      case 'project':
        return { kind: 'project', items: this.namedList(true) };
      case 'extend':
        return { kind: 'extend', items: this.namedList(true) };
      case 'distinct':
        return { kind: 'distinct', items: this.namedList(false) };
      case 'project-away': {
        const names = [this.name()];
        while (this.acceptOp(',')) names.push(this.name());
        return { kind: 'project-away', names };
      }
      case 'order':
      case 'sort':
        this.expectWord('by');
        return { kind: 'order', keys: this.sortKeys() };
      case 'take':
      case 'limit':
        return { kind: 'take', count: this.count() };
      case 'top': {
        const count = this.count();
        this.expectWord('by');
        return { kind: 'top', count, keys: this.sortKeys() };
      }
      case 'count':
        return { kind: 'count' };
      default:
        if (KNOWN_UNSUPPORTED.has(t.text)) {
          throw new KqlError(
            `The query operator '${t.text}' is not supported by the simulator's Resource Graph.`,
            t.pos,
            t.text,
            'UnsupportedOperator',
          );
        }
        throw this.error(t, `Unknown query operator '${t.text}'.`);
    }
  }

  private namedList(allowAlias: boolean): NamedExpr[] {
    const items: NamedExpr[] = [];
    do {
      const t = this.peek();
      const after = this.tokens[this.i + 1];
      if (allowAlias && t.kind === 'ident' && after?.kind === 'op' && after.text === '=') {
        const name = this.name().name;
        this.next();
        items.push({ name, expr: this.expr() });
      } else {
        const expr = this.expr();
        items.push({ name: this.autoName(expr), expr });
      }
    } while (this.acceptOp(','));
    return items;
  }

  /** KQL names `properties.peer.id` properties_peer_id; other expressions Column1, Column2, … */
  private autoName(expr: Expr): string {
    const parts: Array<string | number> = [];
    let e: Expr = expr;
    while (e.kind === 'member') {
      parts.unshift(e.key);
      e = e.object;
    }
    if (e.kind === 'column') return [e.name, ...parts].join('_');
    this.autoNames += 1;
    return `Column${this.autoNames}`;
  }

  private sortKeys(): SortKey[] {
    const keys: SortKey[] = [];
    do {
      const expr = this.expr();
      let desc = true;
      if (this.acceptWord('asc')) desc = false;
      else this.acceptWord('desc');
      let nullsFirst = !desc;
      if (this.acceptWord('nulls')) {
        if (this.acceptWord('first')) nullsFirst = true;
        else {
          this.expectWord('last');
          nullsFirst = false;
        }
      }
      keys.push({ expr, desc, nullsFirst });
    } while (this.acceptOp(','));
    return keys;
  }

  private count(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^[0-9]+$/.test(t.text)) throw this.error(t, `Expected a row count, found '${t.text}'.`);
    return Number(t.text);
  }

  private expr(): Expr {
    let left = this.andExpr();
    while (this.peekWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'or', left, right: this.andExpr(), pos };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.comparison();
    while (this.peekWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'and', left, right: this.comparison(), pos };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    const op = t.kind === 'op' || t.kind === 'ident' ? t.text : '';
    if (COMPARISONS.has(op) || STRING_OPERATORS.includes(op)) {
      this.next();
      return { kind: 'binary', op, left, right: this.additive(), pos: t.pos };
    }
    if (IN_OPERATORS.has(op)) {
      this.next();
      this.expectOp('(');
      const list: Expr[] = [];
      if (!this.acceptOp(')')) {
        do list.push(this.additive());
        while (this.acceptOp(','));
        this.expectOp(')');
      }
      return { kind: 'in', op, left, list, pos: t.pos };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.peekOp('+') || this.peekOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.multiplicative(), pos: t.pos };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.peekOp('*') || this.peekOp('/') || this.peekOp('%')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.peekOp('-')) {
      const pos = this.next().pos;
      return { kind: 'negate', expr: this.unary(), pos };
    }
    let e = this.primary();
    for (;;) {
      if (this.acceptOp('.')) {
        const t = this.next();
        if (t.kind !== 'ident') throw this.error(t, `Expected a property name after '.', found '${t.text}'.`);
        e = { kind: 'member', object: e, key: t.text, pos: t.pos };
      } else if (this.peekOp('[')) {
        const pos = this.next().pos;
        const t = this.next();
        if (t.kind !== 'string' && t.kind !== 'number')
          throw this.error(t, `Expected a property name or index inside [ ], found '${t.text}'.`);
        this.expectOp(']');
        e = { kind: 'member', object: e, key: t.kind === 'number' ? Number(t.text) : t.text, pos };
      } else return e;
    }
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'literal', value: t.text, pos: t.pos };
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text), pos: t.pos };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.expr();
      this.expectOp(')');
      return inner;
    }
    if (t.kind === 'op' && t.text === '[') {
      const name = this.next();
      if (name.kind !== 'string') throw this.error(name, `Expected a quoted column name inside [ ], found '${name.text}'.`);
      this.expectOp(']');
      return { kind: 'column', name: name.text, pos: t.pos };
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', pos: t.pos };
      if (this.peekOp('(')) return this.call(t);
      return { kind: 'column', name: t.text, pos: t.pos };
    }
    throw this.error(
      t,
      t.kind === 'eof' ? 'The query ends where an expression was expected.' : `Unexpected '${t.text}' where an expression was expected.`,
    );
  }

  private call(name: Token): Expr {
    const fn = KQL_FUNCTIONS[name.text];
    if (!fn) throw new KqlError(`Unknown function: '${name.text}'.`, name.pos, name.text, 'UnknownFunction');
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.acceptOp(')')) {
      do args.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      throw new KqlError(
        `Function '${name.text}' takes ${fn.minArgs === fn.maxArgs ? fn.minArgs : `${fn.minArgs} to ${fn.maxArgs}`} argument(s), got ${args.length}.`,
        name.pos,
        name.text,
        'InvalidFunctionArguments',
      );
    }
    return { kind: 'call', name: name.text, args, pos: name.pos };
  }

  private name(): { name: string; pos: number } {
    const t = this.next();
    if (t.kind === 'ident') return { name: t.text, pos: t.pos };
    if (t.kind === 'op' && t.text === '[') {
      const s = this.next();
      this.expectOp(']');
      if (s.kind === 'string') return { name: s.text, pos: t.pos };
    }
    throw this.error(t, `Expected a column name, found '${t.text}'.`);
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { kind: 'eof', text: '', pos: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private peekOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }

  private acceptOp(op: string): boolean {
    if (!this.peekOp(op)) return false;
    this.i++;
    return true;
  }

  private expectOp(op: string): void {
    const t = this.peek();
    if (!this.acceptOp(op))
      throw this.error(t, t.kind === 'eof' ? `The query ends where '${op}' was expected.` : `Expected '${op}', found '${t.text}'.`);
  }

  private peekWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.peekWord(word)) return false;
    this.i++;
    return true;
  }

  private expectWord(word: string): void {
    const t = this.peek();
    if (!this.acceptWord(word)) throw this.error(t, `Expected '${word}', found '${t.text || 'the end of the query'}'.`);
  }

  private error(t: Token, message: string): KqlError {
    return new KqlError(message, t.pos, t.text);
  }
}
