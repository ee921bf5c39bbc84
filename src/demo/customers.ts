/**
 * The demo world's fixed identities, shared by the built-in demo fleet (src/simulator) and the built-in demo
 * directory (src/directory) so that the two always agree. Nothing outside demo mode reads this.
 */
export const DEMO_CUSTOMERS = {
  contoso: {
    id: 'contoso',
    name: 'Contoso Ltd',
    model: 'connect-through' as const,
    tenantId: '11111111-1111-4111-8111-111111111111',
    subscriptions: ['1a1a1a1a-0000-4000-8000-00000000c001', '1a1a1a1a-0000-4000-8000-00000000c002'],
  },
  fabrikam: {
    id: 'fabrikam',
    name: 'Fabrikam Inc',
    model: 'connect-to' as const,
    tenantId: '22222222-2222-4222-8222-222222222222',
    subscriptions: ['2b2b2b2b-0000-4000-8000-00000000f001'],
  },
  northwind: {
    id: 'northwind',
    name: 'Northwind Traders',
    model: 'connect-through' as const,
    tenantId: '33333333-3333-4333-8333-333333333333',
    subscriptions: ['3c3c3c3c-0000-4000-8000-00000000a001'],
  },
};

/** Demo people. Their ids match the users in .m365agentsplayground.yml. */
export const DEMO_PEOPLE = {
  engineer: { aadObjectId: 'demo-engineer', name: 'Dana (CSP engineer)' },
  approver: { aadObjectId: 'demo-approver', name: 'Avery (CSP lead)' },
  oncall: { aadObjectId: 'demo-oncall', name: 'Omar (on-call)' },
  contosoOnly: { aadObjectId: 'demo-contoso-viewer', name: 'Casey (Contoso network admin)' },
  /** On Fabrikam's side: Fabrikam is Connect-To, so its circuit changes need her approval too. */
  fabrikamLead: { aadObjectId: 'demo-fabrikam-lead', name: 'Erin (Fabrikam network lead)' },
};
