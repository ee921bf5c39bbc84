import { KqlError } from './kql-error';

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifiers and operators as written; strings unquoted and unescaped. */
  text: string;
  pos: number;
}

/** Hyphenated KQL operator names, lexed as one identifier so the parser can name them (and refuse them). */
const HYPHENATED = ['project-away', 'project-keep', 'project-rename', 'project-reorder', 'mv-expand', 'mv-apply'];
const SYMBOLS = ['==', '!=', '=~', '!~', '<=', '>=', '<', '>', '=', '(', ')', ',', '|', '.', '[', ']', '-', '+', '*', '/', '%'];

/** Splits a KQL query into tokens. `!in`, `in~`, `!has` and friends come out as single operator tokens. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (query.startsWith('//', i)) {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || ((c === '@' || c === 'h' || c === 'H') && /['"]/.test(query[i + 1] ?? ''))) {
      const verbatim = c === '@';
      if (c !== "'" && c !== '"') i++;
      const { text, end } = readString(query, i, verbatim);
      tokens.push({ kind: 'string', text, pos: start });
      i = end;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(query.slice(i));
      const text = m?.[0] ?? c;
      tokens.push({ kind: 'number', text, pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c) || (c === '!' && /[A-Za-z]/.test(query[i + 1] ?? ''))) {
      const m = /^!?[A-Za-z_$][A-Za-z0-9_$]*/.exec(query.slice(i));
      let text = m?.[0] ?? c;
      const hyphenated = HYPHENATED.find(
        (h) => query.slice(i, i + h.length).toLowerCase() === h && !/[A-Za-z0-9_]/.test(query[i + h.length] ?? ''),
      );
      if (hyphenated) text = query.slice(i, i + hyphenated.length);
      i += text.length;
      const bare = text.replace(/^!/, '').toLowerCase();
      if (bare === 'in' && query[i] === '~') {
        text += '~';
        i++;
      }
      tokens.push({ kind: text.startsWith('!') ? 'op' : 'ident', text, pos: start });
      continue;
    }
    const symbol = SYMBOLS.find((s) => query.startsWith(s, i));
    if (!symbol) throw new KqlError(`Unexpected character '${c}'.`, i, c);
    tokens.push({ kind: 'op', text: symbol, pos: start });
    i += symbol.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: query.length });
  return tokens;
}

function readString(query: string, openAt: number, verbatim: boolean): { text: string; end: number } {
  const quote = query[openAt] ?? "'";
  let text = '';
  let i = openAt + 1;
  while (i < query.length) {
    const c = query[i] ?? '';
    if (c === quote) {
      // Verbatim strings escape their quote by doubling it.
      if (verbatim && query[i + 1] === quote) {
        text += quote;
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    if (c === '\\' && !verbatim) {
      const next = query[i + 1] ?? '';
      text += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    text += c;
    i++;
  }
  throw new KqlError('Unterminated string literal.', openAt, query.slice(openAt, openAt + 10));
}
