import { commandNamed } from '../intents/catalog';
import { type CommandRef, type Hint, hintParts, isCommandRef } from '../command-names';

/** A reference as the user types it: the catalog's name for the command, then its arguments. */
export function commandSyntax(ref: CommandRef): string {
  return [commandNamed(ref.say).name, ...(ref.args ?? [])].join(' ');
}

/** A hint in words: text as written, each command reference in backticks with the catalog's syntax. */
export function hintWords(hint: Hint): string {
  return hintParts(hint)
    .map((part) => (isCommandRef(part) ? `\`${commandSyntax(part)}\`` : part))
    .join('');
}
