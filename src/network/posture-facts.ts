import type { Part } from './part';
import type { Circuit, ReadOptions, UdrTable } from './types';

/**
 * What the security criteria (posture-criteria.ts) look at, in domain words: the networks behind a customer's
 * circuits as Azure Resource Graph indexes them. src/azure reads them (PostureReader); nothing here knows ARM's
 * wire format.
 */

/** One NSG rule, the customer's own or one of Azure's six defaults, each list as ARM may give one or many. */
export interface SecurityRuleFact {
  name: string;
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  /** `*`, Tcp, Udp, Icmp… */
  protocol: string;
  /** Address prefixes or service tags (Internet, VirtualNetwork, `*`). */
  sources: string[];
  destinations: string[];
  /** Ports or ranges (`443`, `1024-65535`, `*`). */
  destinationPorts: string[];
  /** One of Azure's default rules (they cannot be removed, only overridden). */
  isDefault: boolean;
}

export interface NsgFact {
  id: string;
  name: string;
  /** The customer's rules and Azure's defaults together. */
  rules: SecurityRuleFact[];
}

export interface SubnetFact {
  id: string;
  name: string;
  addressPrefixes: string[];
  nsgId?: string;
  routeTableId?: string;
}

export interface VnetPeeringFact {
  remoteVnetId: string;
  /** Connected, Initiated, Disconnected */
  state: string;
  /** This VNet sends through the remote VNet's gateways (a spoke of a hub). */
  useRemoteGateways: boolean;
}

export interface VnetFact {
  id: string;
  name: string;
  subscriptionId: string;
  addressPrefixes: string[];
  subnets: SubnetFact[];
  peerings: VnetPeeringFact[];
}

/** A virtual network gateway: ExpressRoute or VPN. */
export interface GatewayFact {
  id: string;
  name: string;
  vnetId: string;
  /** ExpressRoute | Vpn */
  kind: string;
  /** The gateway's private addresses in the GatewaySubnet (VPN gateways with private IPs). */
  privateIpAddresses: string[];
  /** VPN: the gateway's private IPs are usable, so IPsec can run over ExpressRoute private peering. */
  enablePrivateIpAddress: boolean;
}

/** A site-to-site IPsec connection of a VPN gateway. */
export interface IpsecConnectionFact {
  id: string;
  name: string;
  gatewayId: string;
  /** The tunnel uses the gateway's private IPs: it runs over ExpressRoute private peering. */
  useLocalAzureIpAddress: boolean;
  /** Connected, Connecting, NotConnected, Unknown; absent when Azure doesn't say. */
  status?: string;
}

/** MACsec on one link of an ExpressRoute Direct port. */
export interface PortLinkMacsec {
  link: string;
  /** GcmAes128, GcmAes256, GcmAesXpn128, GcmAesXpn256; absent without MACsec. */
  cipher?: string;
  /** Both the CKN and the CAK secrets are set. */
  keysSet: boolean;
}

export interface PortFact {
  id: string;
  name: string;
  links: PortLinkMacsec[];
}

/** How a circuit is reached from Azure: a VNet's connection, a Virtual WAN hub's, or a redeemed authorization's. */
export interface CircuitLinkFact {
  /** The connection's name, or the authorization's when only the authorization is known. */
  name: string;
  connectionId?: string;
  /** Where the connection lives, when known; whose it is decides isolation. */
  subscriptionId?: string;
  /** The VNet behind the connection's gateway, when Resource Graph shows it. */
  vnetId?: string;
  /** A Virtual WAN hub's ExpressRoute gateway (no VNet of its own to check). */
  hubGateway?: string;
  /** The circuit authorization it redeemed, when one did. */
  authorization?: string;
}

/** Everything read for one customer's circuits; each part may fail on its own, and then what needs it is unknown. */
export interface PostureFacts {
  /** By circuit id, lower case. */
  links: ReadonlyMap<string, Part<CircuitLinkFact[]>>;
  /** The VNets linked to the circuits from the customer's subscriptions, and the VNets peered to them. */
  vnets: Part<VnetFact[]>;
  nsgs: Part<NsgFact[]>;
  routeTables: Part<UdrTable[]>;
  gateways: Part<GatewayFact[]>;
  ipsecConnections: Part<IpsecConnectionFact[]>;
  /** The ExpressRoute Direct ports of the circuits. */
  ports: Part<PortFact[]>;
}

export interface PostureRequest {
  tenantId: string;
  /** The customer's own subscriptions: the networks behind the circuits are read there. */
  subscriptions: readonly string[];
  /**
   * Every subscription the directory lists in the tenant: links are looked for there too, so that a link from
   * another customer's subscription is seen (and reported without naming it).
   */
  linkSubscriptions: readonly string[];
  circuits: readonly Circuit[];
}

/** The port the security posture is read through; src/azure implements it with Azure Resource Graph. */
export interface PostureReader {
  readPosture(request: PostureRequest, options?: ReadOptions): Promise<PostureFacts>;
}
