import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';
import { intentProblem } from '../../src/intents/validate-intent';

const ROOT = path.resolve(__dirname, '../..');
const INTENT_FILE = path.join(ROOT, 'src/intents/intent.ts');
const VALIDATE_FILE = path.join(ROOT, 'src/intents/validate-intent.ts');

/** Type-checks validate-intent.ts against intent.ts as `edit` rewrites it; returns validate-intent's errors. */
function validateIntentErrors(edit: (source: string) => string): readonly ts.Diagnostic[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  assert.ok(config, 'tsconfig.json not read');
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    path.resolve(fileName) === INTENT_FILE
      ? ts.createSourceFile(fileName, edit(ts.sys.readFile(INTENT_FILE) ?? ''), languageVersion)
      : getSourceFile(fileName, languageVersion, ...rest);
  const program = ts.createProgram([VALIDATE_FILE], config.options, host);
  return program.getSemanticDiagnostics(program.getSourceFile(VALIDATE_FILE));
}

describe('validate-intent', () => {
  it('finds a malformed reference in card data as it would in typed text', () => {
    assert.deepEqual(intentProblem({ kind: 'circuit', circuit: '../etc/passwd' }), {
      problem: "'../etc/passwd' looks like a file path or encoded text, not a circuit",
    });
    assert.deepEqual(intentProblem({ kind: 'status' }), { intent: { kind: 'status' } });
  });

  it('does not compile when Intent gains a kind that referenceProblem has no check for', function () {
    this.timeout(60_000);
    const opening = "export const Intent = z.discriminatedUnion('kind', [";
    const errors = validateIntentErrors((source) => {
      assert.ok(source.includes(opening), 'intent.ts no longer declares Intent as expected; update this test');
      return source.replace(opening, `${opening}\n  z.object({ kind: z.literal('unchecked-kind') }),`);
    });
    const lines = (ts.sys.readFile(VALIDATE_FILE) ?? '').split('\n');
    const neverLine = lines.findIndex((l) => l.includes(': never = intent'));
    assert.ok(neverLine >= 0, 'referenceProblem has no never-check in its default');
    const found = errors.map((d) => ({
      line: d.file && ts.getLineAndCharacterOfPosition(d.file, d.start ?? 0).line,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
    }));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]?.line, neverLine, JSON.stringify(found));
    assert.match(found[0]?.message ?? '', /unchecked-kind.*not assignable to type 'never'/);
  });
});
