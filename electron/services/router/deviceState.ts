// Whether the network is up, for the router. The battery comes from telemetry's power sources.
import { networkInterfaces } from 'node:os';

/** Online when any interface other than loopback is up with an address. */
export function isOnline(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => !i.internal));
}
