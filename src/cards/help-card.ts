import type { Hint } from '../command-names';
import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, text, title } from './card-kit';
import { hintWords } from './hint-words';

export interface HelpEntry {
  usage: string;
  summary: string;
  /** Extra detail shown for `help <command>`, naming other commands by reference. */
  details?: Hint;
  examples: readonly string[];
}

export interface HelpView {
  entries: readonly HelpEntry[];
  /** "Commands you can use" unless told. */
  heading?: string;
  /** A line under the title, e.g. "You can see 2 customers." */
  intro?: string;
}

export function helpCard(view: HelpView): AdaptiveCardJson {
  const body = [title(view.heading ?? 'Commands you can use')];
  if (view.intro) body.push(text(view.intro, { subtle: true, spacing: 'None' }));
  for (const entry of view.entries) {
    // Angle brackets read as HTML in some Teams clients (the Playground drops `<circuit>`); show guillemets.
    body.push(text(`**${entry.usage.replace(/</g, '‹').replace(/>/g, '›')}**`, { separator: true, spacing: 'Medium' }));
    body.push(text(entry.summary, { spacing: 'None' }));
    if (entry.details) body.push(text(hintWords(entry.details), { size: 'Small', spacing: 'None' }));
    if (entry.examples.length > 0) {
      const examples = entry.examples.map((e) => `\`${e}\``).join(' · ');
      body.push(text(`e.g. ${examples}`, { size: 'Small', subtle: true, spacing: 'None' }));
    }
  }
  if (view.entries.length === 0) body.push(text('There are no commands you can use yet. Ask a bot admin for access.'));
  return adaptiveCard(body);
}
