import { DEMO_CUSTOMERS, DEMO_PEOPLE } from './customers';
import { parseDirectory, type Directory } from '../directory/directory';

/**
 * The demo customers' posture requirements, which `security` checks: Contoso requires all three and meets none
 * (gaps: contoso-ams-er1 carries private and Microsoft peering, nothing is tunnelled or encrypted); Fabrikam
 * requires forced tunnelling (its backstop is missing); Northwind requires all three and meets them.
 */
const SECURITY: Partial<Record<keyof typeof DEMO_CUSTOMERS, Record<string, boolean>>> = {
  contoso: { separatePublicAndPrivate: true, forcedTunnelling: true, requireEncryption: true },
  // Fabrikam tunnels its web subnet through an appliance but has no outbound deny-Internet backstop: a gap here.
  fabrikam: { forcedTunnelling: true },
  northwind: { separatePublicAndPrivate: true, forcedTunnelling: true, requireEncryption: true },
};

/** The directory demo mode runs with when DIRECTORY_FILE is unset; its ids match the demo fleet's. */
export function buildDemoDirectory(): Directory {
  const approval = { required: 1, ttlMinutes: 1440 };
  const customers = Object.values(DEMO_CUSTOMERS).map((c) => {
    const security = SECURITY[c.id as keyof typeof DEMO_CUSTOMERS];
    return {
      id: c.id,
      name: c.name,
      tenantId: c.tenantId,
      model: c.model,
      subscriptions: [...c.subscriptions],
      approval: { ...approval },
      ...(security ? { security: { ...security } } : {}),
    };
  });
  const people = [
    // Dana, the Playground's user, is also on call: the demo's alerts arrive in her 1:1 chat, and she can acknowledge them.
    { ...DEMO_PEOPLE.engineer, access: { '*': ['view', 'request', 'oncall'] } },
    // The CSP lead also administers the bot, so that `approvals here <customer>` can be tried in demo mode.
    // `admin` implies `request` too; the requester can still never approve their own request.
    { ...DEMO_PEOPLE.approver, access: { '*': ['view', 'approve', 'admin'] } },
    { ...DEMO_PEOPLE.oncall, access: { '*': ['view', 'oncall'] } },
    { ...DEMO_PEOPLE.contosoOnly, access: { [DEMO_CUSTOMERS.contoso.id]: ['view'] } },
    // Fabrikam is Connect-To: a change to one of its circuits needs Erin's approval too.
    { ...DEMO_PEOPLE.fabrikamLead, side: 'customer', access: { [DEMO_CUSTOMERS.fabrikam.id]: ['view', 'approve'] } },
  ];
  // Parsed like any file so that the demo can never drift from the schema.
  return parseDirectory({ customers, people }, 'built-in demo directory');
}
