/** Which contacts exist. Seeded mode: the ids still present. "any" mode: only the ids deleted so far. */
import type { ProviderName } from "../providers/names.js";

export class ContactState {
  private readonly present = new Map<ProviderName, Set<string>>();
  private readonly deleted = new Map<ProviderName, Set<string>>();

  constructor(
    private readonly seeded: Readonly<Record<ProviderName, readonly string[]>>,
    private readonly anyMode: boolean,
  ) {
    this.restore();
  }

  exists(provider: ProviderName, key: string): boolean {
    return this.anyMode ? !this.deleted.get(provider)!.has(key) : this.present.get(provider)!.has(key);
  }

  remove(provider: ProviderName, key: string): void {
    if (this.anyMode) this.deleted.get(provider)!.add(key);
    else this.present.get(provider)!.delete(key);
  }

  /** Back to the seeds. */
  restore(): void {
    for (const [provider, ids] of Object.entries(this.seeded) as Array<[ProviderName, readonly string[]]>) {
      this.present.set(provider, new Set(ids));
      this.deleted.set(provider, new Set());
    }
  }
}
