// Routing as a service: the user's settings (keys in the secret store), the device signals, which
// tiers answer, and the decision for each query. The partner is never probed: nothing reaches it
// before the user consents to a query.
import { RpcError } from '../../../shared/rpc.ts';
import { route, type Decision, type Tier } from '../../../shared/router/router.ts';
import {
  defaultRouting,
  routingSettings,
  type RoutingSettings,
  type RoutingUpdate,
} from '../../../shared/router/schemas.ts';
import type { SettingsStore } from '../store/settingsStore.ts';
import { isOnline } from './deviceState.ts';
import { powerSources } from '../telemetry/powerSources.ts';
import { privatePresets, probe, type RemoteEndpoint } from './remoteClient.ts';
import type { SecretStore } from './secretStore.ts';

export interface RoutingServiceOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Battery level and charging state; the platform's telemetry source unless given. */
  battery?: () => Promise<{ percent: number | null; charging: boolean | null }>;
  online?: () => boolean;
}

const PROBE_CACHE_MS = 15_000;
const sources = powerSources();

async function defaultBattery(): Promise<{ percent: number | null; charging: boolean | null }> {
  const battery = await sources.battery();
  return battery.ok
    ? { percent: battery.value.percent, charging: battery.value.charging }
    : { percent: null, charging: null };
}

export class RoutingService {
  private readonly options: RoutingServiceOptions;
  private privateProbe: { at: number; url: string; ok: boolean } | null = null;
  constructor(options: RoutingServiceOptions) {
    this.options = options;
  }

  get(): RoutingSettings {
    const stored = this.options.settings.get('routing', routingSettings, defaultRouting);
    const { secrets } = this.options;
    return {
      ...stored,
      private: stored.private && { ...stored.private, hasKey: secrets.has('private') },
      partner: stored.partner && { ...stored.partner, hasKey: secrets.has('partner') },
    };
  }

  update(change: RoutingUpdate): RoutingSettings {
    const current = this.get();
    const next: RoutingSettings = {
      ...current,
      policy: change.policy ?? current.policy,
      confidenceThreshold: change.confidenceThreshold ?? current.confidenceThreshold,
    };
    for (const t of ['private', 'partner'] as const) {
      const given = change[t];
      if (given === undefined) continue;
      if (given === null) {
        next[t] = null;
        this.options.secrets.set(t, null);
        continue;
      }
      const { apiKey, ...rest } = given;
      if (apiKey !== undefined) this.options.secrets.set(t, apiKey || null);
      (next as Record<string, unknown>)[t] = { ...rest, hasKey: this.options.secrets.has(t) };
    }
    if (next.partner?.kind === 'anthropic' && !next.partner.hasKey) {
      throw new RpcError('bad_input', 'The Anthropic Messages API needs an API key.');
    }
    this.options.settings.set('routing', next);
    this.privateProbe = null;
    return next;
  }

  endpoint(tier: Exclude<Tier, 'device'>): RemoteEndpoint {
    const s = this.get()[tier];
    if (!s)
      throw new RpcError('bad_input', `No ${tier === 'private' ? 'private server' : 'partner cloud'} is configured.`);
    return {
      name: s.name,
      kind: tier === 'partner' ? (s as { kind: 'openai' | 'anthropic' }).kind : 'openai',
      baseUrl: s.baseUrl,
      model: s.model,
      apiKey: this.options.secrets.get(tier),
    };
  }

  private async privateReachable(): Promise<boolean> {
    const s = this.get().private;
    if (!s) return false;
    const cached = this.privateProbe;
    if (cached && cached.url === s.baseUrl && Date.now() - cached.at < PROBE_CACHE_MS) return cached.ok;
    let key: string | null;
    try {
      key = this.options.secrets.get('private');
    } catch {
      return false; // a key this shell cannot read (encrypted by the desktop app): asking without it would fail
    }
    const result = await probe(s.baseUrl, key);
    this.privateProbe = { at: Date.now(), url: s.baseUrl, ok: result.ok };
    return result.ok;
  }

  /** The tiers configured and reachable now; the partner counts as reachable when configured and online. */
  async tiers(): Promise<Tier[]> {
    const s = this.get();
    const tiers: Tier[] = ['device'];
    if (await this.privateReachable()) tiers.push('private');
    if (s.partner) tiers.push('partner');
    return tiers;
  }

  async decide(
    query: string,
    history: string[],
    partnerConsentRemembered: boolean,
    attachments: string[] = [],
  ): Promise<Decision> {
    const battery = await (this.options.battery ?? defaultBattery)();
    return route({
      query,
      history,
      attachments,
      battery,
      online: (this.options.online ?? isOnline)(),
      tiers: await this.tiers(),
      policy: this.get().policy,
      partnerConsentRemembered,
    });
  }

  /** Probes the usual local ports with short timeouts. */
  async detect(): Promise<{ name: string; baseUrl: string; ok: boolean; models: string[]; why: string | null }[]> {
    return Promise.all(
      privatePresets.map(async (p) => {
        const r = await probe(p.baseUrl, null);
        return { ...p, ok: r.ok, models: r.ok ? r.models : [], why: r.ok ? null : r.why };
      }),
    );
  }
}
