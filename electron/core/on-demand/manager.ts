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
      if (def && def.port === relay.def.port) {
        relay.update(def as OnDemandRelay['def']); // same port: connections held and open stay
        continue;
      }
      this.relays.delete(name);
      // a new port: the new relay registers first, so no start falls between the two without an internal port
      const next = def ? this.open(def) : null;
      await relay.close();
      if (next) await next.listen();
    }
    for (const [name, def] of wanted) if (!this.relays.has(name)) await this.open(def).listen();
  }

  /** Makes (and keeps) the relay of an agent; it listens once listen() is called. */
  private open(def: AgentDefinition): OnDemandRelay {
    const relay = new OnDemandRelay(this.engine, def as OnDemandRelay['def'], this.events);
    this.relays.set(def.name, relay);
    return relay;
  }
}
