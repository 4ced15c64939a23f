// Keeps one relay per on-demand agent in step with the definitions; closes them with the host.
import type { AgentDefinition } from '../../../shared/agent.js';
import { OnDemandRelay, type RelayEngine, type RelayEvents } from './relay.js';

export class OnDemandManager {
  private readonly relays = new Map<string, OnDemandRelay>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: RelayEngine,
    private readonly events: RelayEvents = {},
  ) {}

  /** Opens, keeps or closes relays so that each agent with `onDemand` and `port` has one (changes queue behind each other). */
  sync(defs: readonly AgentDefinition[]): Promise<void> {
    this.chain = this.chain.then(() => this.apply(defs));
    return this.chain;
  }

  /** The relay of an agent, if it has one. */
  relay(name: string): OnDemandRelay | undefined {
    return this.relays.get(name);
  }

  /** Closes every relay (the agents are left as they are). */
  close(): Promise<void> {
    return this.sync([]);
  }

  /** One step of sync. */
  private async apply(defs: readonly AgentDefinition[]): Promise<void> {
    const wanted = new Map(defs.filter((d) => d.onDemand && d.port !== undefined).map((d) => [d.name, d]));
    for (const [name, relay] of this.relays) {
      const def = wanted.get(name);
      if (def && def.port === relay.def.port && def.onDemand?.idleStopMs === relay.def.onDemand.idleStopMs && def.startTimeoutMs === relay.def.startTimeoutMs) continue;
      this.relays.delete(name);
      await relay.close();
    }
    for (const [name, def] of wanted) {
      if (this.relays.has(name)) continue;
      const relay = new OnDemandRelay(this.engine, def as OnDemandRelay['def'], this.events);
      this.relays.set(name, relay);
      await relay.listen();
    }
  }
}
