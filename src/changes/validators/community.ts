/**
 * Microsoft's BGP communities for Microsoft peering route filters: 12076:5NNN tags a service (Exchange,
 * SharePoint…), 12076:5NNNN an Azure region.
 */
export type CommunityKind = 'service' | 'regional';

export interface Community {
  value: string;
  kind: CommunityKind;
}

const PATTERN = /^12076:(5\d{3,4})$/;

export function parseCommunity(text: string): Community | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  return { value: `12076:${m[1] ?? ''}`, kind: (m[1] ?? '').length === 4 ? 'service' : 'regional' };
}
