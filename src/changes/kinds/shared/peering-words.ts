/**
 * The words that name a peering, once: the peering kinds' typed selection (`peering er1 private …`,
 * `peering er1 ms …`) and the peering-state kind's `peering` choice and aliases all derive from them.
 * The first word of each is the choice itself.
 */
export const PEERING_WORDS = {
  private: ['private', 'priv', 'azureprivatepeering'],
  microsoft: ['microsoft', 'ms', 'msft', 'microsoftpeering'],
} as const;

export type PeeringWordChoice = keyof typeof PEERING_WORDS;

/** The peerings a change can name, in the order help shows them. */
export const PEERING_CHOICES = ['private', 'microsoft'] as const satisfies readonly PeeringWordChoice[];

/** Every other word for a peering → the peering it names. */
export const PEERING_ALIASES: Readonly<Record<string, PeeringWordChoice>> = Object.fromEntries(
  PEERING_CHOICES.flatMap((choice) => PEERING_WORDS[choice].slice(1).map((word) => [word, choice] as const)),
);
