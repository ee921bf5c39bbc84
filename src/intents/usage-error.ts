import { CodedError, ErrorCode } from '../errors';
import { type Hint, hintText } from '../command-names';
import type { CommandSpec } from './catalog';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');
}

/**
 * A typing mistake: names the problem and shows the command's usage and an example. A problem that names
 * another command does it with a reference (command-names.ts), never by spelling its syntax.
 */
export function badInput(spec: CommandSpec, problem: Hint): CodedError {
  // An example with arguments shows more than the bare command does.
  const example = spec.examples.find((e) => e.includes(' ')) ?? spec.examples[0] ?? spec.usage;
  return new CodedError(ErrorCode.BadInput, `${capitalise(hintText(problem))}.`, {
    hint: `Usage: \`${spec.usage}\`, for example \`${example}\`.`,
    details: { command: spec.name, usage: spec.usage, example },
  });
}
