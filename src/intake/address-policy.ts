import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a feed, page or link may be fetched from. Only public unicast addresses: never loopback,
 * private, link-local, carrier-grade NAT, multicast, documentation or other special-purpose ranges, so a
 * feed url cannot make the bot reach the machine it runs on or the newsroom's internal network (SSRF).
 * IPv6 is allowed only in global unicast (2000::/3), minus the ranges that embed an IPv4 address
 * (6to4, NAT64, Teredo) or are reserved.
 */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const BLOCKED_V6: Array<[string, number]> = [
  ['2001::', 23], // IETF protocol assignments, Teredo (2001::/32) among them
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['3fff::', 20], // documentation
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** True for an address on the public internet; false for anything private, local or special. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family === 6) {
    // Zone ids (fe80::1%eth0) are link-local by definition.
    if (address.includes('%')) return false;
    return globalUnicast.check(address, 'ipv6') && !blocked.check(address, 'ipv6');
  }
  return false;
}
