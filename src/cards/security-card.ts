import type { IntentOf } from '../intents/intent';
import {
  type CircuitPosture,
  criterion,
  type CustomerPosture,
  type Finding,
  findingsOf,
  POSTURE_STATUSES,
  type PostureStatus,
  statusCounts,
  statusRank,
  type VnetPosture,
} from '../network/posture';
import type { AdaptiveCardJson, CardElement, TextColor } from './card-kit';
import { actionSet, adaptiveCard, CARD_BUDGET_BYTES, cardBytes, clip, executeAction, plain, text } from './card-kit';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface SecurityView {
  header: DataHeader;
  posture: CustomerPosture;
  /** What the buttons of other pages ask about: the customer's id, or one circuit's ARM id. */
  target: string;
  /** A circuit's name when one circuit was asked about. */
  circuitName?: string;
  /** 1-based; clamped to the pages there are. */
  page: number;
  /** Why parts couldn't be read, one sentence each: the criteria that need them say "unknown". */
  unread: readonly string[];
}

export const STATUS_STYLE: Record<PostureStatus, { icon: string; word: string; color: TextColor }> = {
  gap: { icon: '🔴', word: 'gap', color: 'Attention' },
  unknown: { icon: '⚪', word: 'unknown', color: 'Warning' },
  advice: { icon: '🟠', word: 'recommended', color: 'Warning' },
  met: { icon: '✅', word: 'met', color: 'Good' },
  na: { icon: '➖', word: 'n/a', color: 'Default' },
};

const EVIDENCE_LINES = 4;
const REQUIREMENT_WORDS = {
  separatePublicAndPrivate: 'public/private separation',
  forcedTunnelling: 'forced tunnelling',
  requireEncryption: 'encryption',
} as const;

function worst(findings: readonly Finding[]): PostureStatus {
  return findings.reduce<PostureStatus>((w, f) => (statusRank(f.status) < statusRank(w) ? f.status : w), 'na');
}

function countsLine(findings: readonly Finding[]): string {
  const counts = statusCounts(findings);
  return POSTURE_STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${STATUS_STYLE[s].icon} ${counts[s]} ${STATUS_STYLE[s].word}`)
    .join(' · ');
}

/** One finding as a list item: met and n/a in one line; a gap, a recommendation or an unknown with all its evidence (and the fix). */
function findingItem(f: Finding): string {
  const c = criterion(f.criterion);
  const style = STATUS_STYLE[f.status];
  const brief = f.status === 'met' || f.status === 'na';
  const lines = f.evidence.slice(0, f.status === 'na' ? 1 : f.status === 'met' ? 2 : EVIDENCE_LINES);
  const more = f.evidence.length - lines.length;
  const evidence = lines.map((l) => plain(clip(l, 220))).join(' ') + (more > 0 && !brief ? ` (and ${more} more)` : '');
  const fix = f.status === 'gap' ? ` **Fix:** ${c.fix}` : f.status === 'advice' ? ` **Recommended:** ${c.fix}` : '';
  return `- ${style.icon} **${c.title}**: ${evidence || style.word}${fix}`;
}

function findingsBlock(findings: readonly Finding[]): CardElement {
  const ordered = [...findings].sort((a, b) => statusRank(a.status) - statusRank(b.status));
  return text(ordered.map(findingItem).join('\n'), { size: 'Small', spacing: 'Small' });
}

interface Section {
  circuit: CircuitPosture;
  /** A VNet's section opens a page with its circuit's name. */
  kind: 'circuit' | 'vnet';
  element: CardElement;
}

function circuitSection(c: CircuitPosture): CardElement {
  const all = findingsOf(c);
  const style = STATUS_STYLE[worst(all)];
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      text(`${style.icon} **${plain(clip(c.name, 80))}** · ${countsLine(all)}`, { color: style.color, size: 'Medium' }),
      text(
        `Circuit · ${c.vnets.length === 0 ? 'no VNet behind it from the customer’s subscriptions' : `${c.vnets.length} VNet${c.vnets.length === 1 ? '' : 's'} behind it`}`,
        {
          size: 'Small',
          subtle: true,
          spacing: 'None',
        },
      ),
      findingsBlock(c.findings),
      ...c.notes.slice(0, 3).map((n) => text(`ℹ ${plain(clip(n, 200))}`, { size: 'Small', subtle: true, spacing: 'None' })),
    ],
  };
}

function vnetSection(v: VnetPosture): CardElement {
  const style = STATUS_STYLE[worst(v.findings)];
  return {
    type: 'Container',
    spacing: 'Small',
    items: [
      text(`${style.icon} VNet **${plain(clip(v.name, 80))}**${v.via ? ` · spoke of ${plain(clip(v.via, 60))}` : ''}`, {
        weight: 'Bolder',
      }),
      findingsBlock(v.findings),
    ],
  };
}

/** Circuits worst first, and within one the VNets worst first: what needs fixing is on the first page. */
function sections(posture: CustomerPosture): Section[] {
  const rank = (findings: readonly Finding[]) => statusRank(worst(findings));
  const circuits = [...posture.circuits].sort((a, b) => rank(findingsOf(a)) - rank(findingsOf(b)) || a.name.localeCompare(b.name));
  return circuits.flatMap((circuit) => [
    { circuit, kind: 'circuit' as const, element: circuitSection(circuit) },
    ...[...circuit.vnets]
      .sort((a, b) => rank(a.findings) - rank(b.findings) || a.name.localeCompare(b.name))
      .map((v) => ({ circuit, kind: 'vnet' as const, element: vnetSection(v) })),
  ]);
}

const continued = (c: CircuitPosture) => text(`${plain(clip(c.name, 80))} (continued)`, { weight: 'Bolder', separator: true });
const bytesOf = (e: CardElement) => Buffer.byteLength(JSON.stringify(e)) + 1;

/** Sections packed into pages, in order, each page under the card budget with the frame around it. */
function paginate(all: readonly Section[], room: number): Section[][] {
  const pages: Section[][] = [];
  let current: Section[] = [];
  let used = 0;
  for (const s of all) {
    const opening = (page: Section[]) => (page.length === 0 && s.kind === 'vnet' ? bytesOf(continued(s.circuit)) : 0);
    let cost = bytesOf(s.element) + opening(current);
    if (current.length > 0 && used + cost > room) {
      pages.push(current);
      current = [];
      used = 0;
      cost = bytesOf(s.element) + opening(current);
    }
    current.push(s);
    used += cost;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

function requirementsLine(posture: CustomerPosture): string {
  const required = (Object.keys(REQUIREMENT_WORDS) as (keyof typeof REQUIREMENT_WORDS)[]).filter((k) => posture.requirements[k] === true);
  return required.length > 0
    ? `Required by the directory: ${required.map((k) => REQUIREMENT_WORDS[k]).join(', ')}.`
    : 'The directory requires no separation, forced tunnelling or encryption for this customer: those show as n/a when absent.';
}

/**
 * The security posture of a customer (or one circuit): the counts, then each circuit and each VNet behind it,
 * worst first, with the evidence and the fix of every gap. Paged by size, so that 20 circuits and 50 VNets fit.
 */
export function securityCard(view: SecurityView): AdaptiveCardJson {
  const all = sections(view.posture);
  const subject = view.circuitName ?? view.posture.customerName;
  const frame = (page: number, pages: number, body: CardElement[]): AdaptiveCardJson => {
    const intent = (p: number): IntentOf<'security'> => ({ kind: 'security', target: view.target, page: p });
    const buttons = [
      ...(page > 1 ? [executeAction('◀ Previous', intent(page - 1))] : []),
      ...(page < pages ? [executeAction('Next ▶', intent(page + 1))] : []),
    ];
    const counts = countsLine(view.posture.circuits.flatMap(findingsOf));
    return adaptiveCard([
      ...dataHeader(`Security posture of ${plain(clip(subject, 60))}`, view.header),
      text(counts || 'No circuits to check.', { weight: 'Bolder' }),
      text(requirementsLine(view.posture), { size: 'Small', subtle: true, spacing: 'None' }),
      ...(view.unread.length > 0
        ? [
            text(
              `⚠ Part of the posture couldn't be read, so what depends on it shows as unknown: ${view.unread
                .slice(0, 4)
                .map((u) => plain(clip(u, 200)))
                .join(' ')}`,
              { color: 'Attention', size: 'Small' },
            ),
          ]
        : []),
      ...body,
      ...(pages > 1 ? [text(`Page ${page} of ${pages}`, { size: 'Small', subtle: true, separator: true })] : []),
      ...actionSet(buttons),
    ]);
  };
  const room = CARD_BUDGET_BYTES - cardBytes(frame(2, 3, []));
  const pages = paginate(all, room);
  const page = Math.min(pages.length, Math.max(1, Math.floor(view.page) || 1));
  const shown = pages[page - 1] ?? [];
  const first = shown[0];
  const body = [...(first?.kind === 'vnet' ? [continued(first.circuit)] : []), ...shown.map((s) => s.element)];
  return frame(page, pages.length, body);
}
