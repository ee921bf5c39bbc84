import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { commandSyntax } from '../../src/cards/hint-words';
import { CATALOG, commandNamed } from '../../src/intents/catalog';
import { COMMAND_NAMES, type CommandName } from '../../src/command-names';
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

/**
 * The word the catalog's own examples put at argument position `i`, for values only known at run time: from
 * an example with the reference's literal words in the same places if there is one (`filter <filter>
 * communities <c1,c2>` takes its words from `filter rf-m365 communities 12076:5010`), else from the first.
 */
function exampleWord(say: CommandName, args: readonly WrittenArg[], i: number): string | undefined {
  const examples = commandNamed(say).examples.map((e) => e.split(' ').slice(1));
  const agrees = (words: readonly string[]) =>
    args.every((a, j) => !('literal' in a) || words[j]?.toLowerCase() === a.literal.toLowerCase());
  const positional = examples.find((words) => agrees(words) && words[i] !== undefined);
  if (positional) return positional[i];
  // A placeholder may stand for several words (`emergency <change command> because <reason>`): from an example whose
  // words, split at the reference's literals, give every placeholder at least one word.
  for (const words of examples) {
    const spans = alignedSpans(words, args);
    if (spans) return spans[i];
  }
  return examples.find((words) => words[i] !== undefined)?.[i];
}

/** The example's words, one span per argument: each literal matched exactly, each placeholder one or more words. */
function alignedSpans(words: readonly string[], args: readonly WrittenArg[]): string[] | undefined {
  const [first, ...rest] = args;
  if (first === undefined) return words.length === 0 ? [] : undefined;
  if ('literal' in first) {
    if (words[0]?.toLowerCase() !== first.literal.toLowerCase()) return undefined;
    const tail = alignedSpans(words.slice(1), rest);
    return tail && [first.literal, ...tail];
  }
  for (let take = 1; take <= words.length; take++) {
    const tail = alignedSpans(words.slice(take), rest);
    if (tail) return [words.slice(0, take).join(' '), ...tail];
  }
  return undefined;
}

/** Command syntax spelt out inside a string in `dir` (`udr rt-hub`), where a reference should be. */
function speltOutCommands(dir: string): string[] {
  const spelt = new RegExp(`\`(?:${COMMAND_NAMES.join('|')})(?:\\s[^\`]*)?\``);
  const found: string[] = [];
  for (const file of sourceFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      // A template's text with each substitution as a word, so that `udr ${table.name}` is seen whole.
      const text =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? node.text
          : ts.isTemplateExpression(node)
            ? node.head.text + node.templateSpans.map((span) => `x${span.literal.text}`).join('')
            : undefined;
      if (text !== undefined && spelt.test(text)) {
        found.push(`${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('command references in hints', () => {
  const { refs, problems } = commandRefsInSource();

  it('should find the references written literally, so that each can be checked', () => {
    assert.deepEqual(problems, []);
    assert.ok(refs.length >= 30, `found only ${refs.length} references; is the scan still finding them?`);
  });

  it("should cover the change kinds' refusals, which name commands only by reference", () => {
    const inKinds = refs.filter((r) => r.where.startsWith(path.join('changes', 'kinds') + path.sep));
    assert.ok(inKinds.length >= 15, `found only ${inKinds.length} references in src/changes/kinds`);
    assert.deepEqual(speltOutCommands(path.join(SRC, 'changes')), []);
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
        const word = exampleWord(say, ref.args, i);
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
