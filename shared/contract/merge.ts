// Joins the per-domain contracts into the one the transports serve. A name declared by two domains
// would silently replace the other's schema, so that is refused when the contract is built.
import type { Contract } from '../rpc.ts';

type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Flat<T> = { [K in keyof T]: T[K] };

export type Merged<T extends readonly Contract[]> = {
  calls: Flat<Intersect<T[number]['calls']>>;
  events: Flat<Intersect<T[number]['events']>>;
};

export function mergeContracts<const T extends readonly Contract[]>(domains: T): Merged<T> {
  const calls: Contract['calls'] = {};
  const events: Contract['events'] = {};
  for (const domain of domains) {
    for (const [name, spec] of Object.entries(domain.calls)) {
      if (Object.hasOwn(calls, name)) throw new Error(`The call "${name}" is declared by two domains`);
      calls[name] = spec;
    }
    for (const [name, schema] of Object.entries(domain.events)) {
      if (Object.hasOwn(events, name)) throw new Error(`The event "${name}" is declared by two domains`);
      events[name] = schema;
    }
  }
  return { calls, events } as Merged<T>;
}
