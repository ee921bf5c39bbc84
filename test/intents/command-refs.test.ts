import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { commandSyntax } from '../../src/cards/hint-words';
import { CATALOG, commandNamed } from '../../src/intents/catalog';
import { COMMAND_NAMES, type CommandName } from '../../src/intents/command-names';
import { parseCommand } from '../../src/intents/parse-command';

const SRC = path.join(__dirname, '../../src');

/** An argument as written: a literal word, or something only known at run time (an id, a name) or a <placeholder>. */
type WrittenArg = { literal: string } | { sample: true };

interface FoundRef {
  where: string;
  say: string;
  args: WrittenArg[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function literalText(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** Every object literal with a `say` property in src: the command references hints are written with. */
function commandRefsInSource(): { refs: FoundRef[]; problems: string[] } {
  const refs: FoundRef[] = [];
  const problems: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!/\bsay\s*:/.test(text)) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const prop = (name: string) =>
          node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === name);
        const say = prop('say');
        if (say) {
          const where = `${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
          const name = literalText(say.initializer);
          const args = prop('args');
          if (name === undefined) problems.push(`${where}: write \`say\` as a string literal`);
          else if (args && !ts.isArrayLiteralExpression(args.initializer)) problems.push(`${where}: write \`args\` as an array literal`);
          else {
            const written =
              args && ts.isArrayLiteralExpression(args.initializer) ? args.initializer.elements.map((e) => literalText(e)) : [];
            refs.push({
              where,
              say: name,
              args: written.map((w) => (w === undefined || /^<.+>$/.test(w) ? { sample: true as const } : { literal: w })),
            });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { refs, problems };
}

/** The word the catalog's own examples put at argument position `i`, for values only known at run time. */
function exampleWord(say: CommandName, i: number): string | undefined {
  for (const example of commandNamed(say).examples) {
    const word = example.split(' ').slice(1)[i];
    if (word !== undefined) return word;
  }
  return undefined;
}

describe('command references in hints', () => {
  const { refs, problems } = commandRefsInSource();

  it('should find the references written literally, so that each can be checked', () => {
    assert.deepEqual(problems, []);
    assert.ok(refs.length >= 30, `found only ${refs.length} references; is the scan still finding them?`);
  });

  it('should name only commands the catalog has, each with exactly one entry', () => {
    for (const name of COMMAND_NAMES) assert.equal(CATALOG.filter((c) => c.name === name).length, 1, name);
    assert.equal(CATALOG.length, COMMAND_NAMES.length);
    for (const ref of refs) assert.ok((COMMAND_NAMES as readonly string[]).includes(ref.say), `${ref.where}: ${ref.say}`);
  });

  it('should render every reference to text the parser accepts as that command', () => {
    for (const ref of refs) {
      const say = ref.say as CommandName;
      const args = ref.args.map((a, i) => {
        if ('literal' in a) return a.literal;
        const word = exampleWord(say, i);
        assert.ok(word, `${ref.where}: the catalog has no example of \`${say}\` with an argument at position ${i + 1}`);
        return word;
      });
      const typed = commandSyntax({ say, args });
      let intent;
      try {
        intent = parseCommand(typed);
      } catch (e) {
        assert.fail(`${ref.where}: \`${typed}\` does not parse: ${e instanceof Error ? e.message : String(e)}`);
      }
      assert.equal(intent.kind, commandNamed(say).kind, `${ref.where}: \`${typed}\``);
    }
  });
});
