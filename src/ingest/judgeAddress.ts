// Which kind of network an address belongs to, for the fetch guard. IPv6 has several ways to carry
// an IPv4 address inside it; each of them can reach the IPv4 network (the kernel, a NAT64 gateway
// or a 6to4 relay translates), so such an address is judged by the IPv4 address it carries, never
// by the IPv6 range around it: `[::a9fe:a9fe]` is the cloud metadata service, and a DNS64 answer
// `64:ff9b::5db8:d70e` on an IPv6-only host is an ordinary public site.
import ipaddr from "ipaddr.js";

export interface AddressVerdict {
  /** ipaddr.js range name of the address that counts: "unicast" is public. */
  range: string;
  /** Set when the range is that of an IPv4 address carried inside an IPv6 one. */
  embedded?: { ipv4: string; form: string };
}

/** NAT64 prefixes: the well-known one (RFC 6052) carries the IPv4 address in its last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
/** The local-use NAT64 prefix (RFC 8215) reaches whatever its operator routes to: never public. */
const NAT64_LOCAL_USE = ipaddr.parseCIDR("64:ff9b:1::/48");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");
const IPV4_TRANSLATED = ipaddr.parseCIDR("::ffff:0:0:0/96");

export function judgeAddress(address: string): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return { range: "invalid" };
  }
  if (parsed.kind() === "ipv4") return { range: parsed.range() };
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.match(NAT64_LOCAL_USE)) return { range: "private" };
  const embedded = embeddedIPv4(ipv6);
  if (!embedded) return { range: ipv6.range() };
  return { range: embedded.ipv4.range(), embedded: { ipv4: embedded.ipv4.toString(), form: embedded.form } };
}

function embeddedIPv4(ipv6: ipaddr.IPv6): { ipv4: ipaddr.IPv4; form: string } | undefined {
  const bytes = ipv6.toByteArray();
  const last32 = () => new ipaddr.IPv4(bytes.slice(12, 16));
  if (ipv6.isIPv4MappedAddress()) return { ipv4: ipv6.toIPv4Address(), form: "IPv4-mapped" };
  if (ipv6.match(IPV4_TRANSLATED)) return { ipv4: last32(), form: "IPv4-translated" };
  if (ipv6.match(NAT64_WELL_KNOWN)) return { ipv4: last32(), form: "NAT64" };
  if (ipv6.match(SIX_TO_FOUR)) return { ipv4: new ipaddr.IPv4(bytes.slice(2, 6)), form: "6to4" };
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, judged as such.
  const range = ipv6.range();
  if (ipv6.match(IPV4_COMPATIBLE) && range !== "unspecified" && range !== "loopback") {
    return { ipv4: last32(), form: "IPv4-compatible" };
  }
  return undefined;
}
