/**
 * The directory's connection models (`customers[].model`) in words, with who configures the on-premises routers:
 * the reminder the circuit card and `customers` show.
 */
const MODEL_WORDS: Readonly<Record<string, { label: string; routers: string }>> = {
  'connect-through': { label: 'Connect-Through', routers: 'the CSP runs the BGP routes and network plumbing' },
  'connect-to': {
    label: 'Connect-To',
    routers:
      'the customer configures their own routers; the customer decides the VNet security policy or gives its requirements to the CSP',
  },
};

/** "Connect-To", or the value itself for a model this version does not know. */
export function modelLabel(model: string): string {
  return MODEL_WORDS[model]?.label ?? model;
}

/** "Connect-Through: the CSP runs the BGP routes and network plumbing". */
export function modelLine(model: string): string {
  const words = MODEL_WORDS[model];
  return words ? `${words.label}: ${words.routers}` : model;
}
