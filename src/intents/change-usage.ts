import type { KindField, TypedSyntax } from '../changes/kind-fields';
import { KIND_DECLARATIONS } from '../changes/kinds';

/**
 * The usage line of a typed change command, from the kinds' declarations: which word after the target picks
 * which kind, and the fields it then takes (keywords in any order, or positions). Help, the manifest and every
 * usage error show it, so a field added to a kind shows up in them without another edit.
 */

const TARGETS: Record<TypedSyntax['target'], string> = {
  circuit: '<circuit>',
  routeTable: '<route table>',
  changeTarget: '<route filter>',
};

/** A short stand-in for a value of the field. */
function placeholder(field: KindField): string {
  switch (field.shape) {
    case 'number':
    case 'asn':
      return 'N';
    case 'subnet':
      return '/30';
    case 'prefixes':
      return 'p1,p2';
    case 'communities':
      return 'c1,c2';
    case 'secret':
      return 'MD5';
    case 'choice': {
      // As typed: the first word that means each choice (enable, disable), else the choice itself.
      const typed = (field.choices ?? []).map((c) => Object.entries(field.aliases ?? {}).find(([, v]) => v === c)?.[0] ?? c);
      return typed.length <= 3 ? typed.join('|') : `<${field.label.toLowerCase()}>`;
    }
    default:
      return `<${field.label.toLowerCase().replace(/ name$/, '') === field.label.toLowerCase() ? field.label.toLowerCase() : 'name'}>`;
  }
}

function syntaxUsage(syntax: TypedSyntax, fields: readonly KindField[], select: string): string {
  const field = (key: string) => fields.find((f) => f.key === key);
  const parts =
    syntax.style === 'keywords'
      ? fields
          .filter((f) => f.words !== undefined)
          .map((f) => (f.shape === 'flag' ? `[${f.words?.[0]}]` : `[${f.words?.[0]} ${placeholder(f)}]`))
      : (syntax.order ?? []).flatMap((key) => {
          const f = field(key);
          if (!f) return [];
          const word = f.words?.[0] !== undefined && !syntax.select.includes(f.words[0]) ? f.words[0] : undefined;
          const value = word ? `${word} ${placeholder(f)}` : placeholder(f);
          return [f.optional ? `[${value}]` : value];
        });
  return [syntax.command, TARGETS[syntax.target], select, ...parts].join(' ');
}

/** Every way to say `command`, one alternative per kind syntax, joined with ` | `. */
export function changeUsage(command: TypedSyntax['command']): string {
  const lines = new Map<string, { syntax: TypedSyntax; fields: readonly KindField[]; selects: string[] }>();
  for (const kind of KIND_DECLARATIONS) {
    for (const syntax of (kind.syntax ?? []).filter((s) => s.command === command)) {
      // Syntaxes of one kind that differ only in the picking word (private | microsoft) share a line.
      const key = `${kind.name} ${syntax.style} ${(syntax.order ?? []).join(',')}`;
      const line = lines.get(key) ?? { syntax, fields: kind.fields, selects: [] };
      line.selects.push(syntax.select[0] ?? '');
      lines.set(key, line);
    }
  }
  return [...lines.values()].map((l) => syntaxUsage(l.syntax, l.fields, l.selects.join('|'))).join(' | ');
}
